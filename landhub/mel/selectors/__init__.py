"""Reads of the MEL data, narrowed to what the reader may see, one module per area.

The modules of the mixed methods (issue 6: outcomes, value, stories, reach, learning) list
their functions in ``__all__`` and are star-imported.
"""

from .assignments import (  # noqa: F401
    ASSIGNMENT_SORTS,
    BASELINE_STATES,
    assignment_detail,
    assignment_history,
    assignment_list,
    target_history,
    target_row,
)
from .completeness import (  # noqa: F401
    COMPLETENESS_SORTS,
    completeness,
)
from .evidence import (  # noqa: F401
    attach_evidence,
    evidence_detail,
)
from .frameworks import (  # noqa: F401
    framework_detail,
    framework_list,
)
from .indicators import (  # noqa: F401
    INDICATOR_SORTS,
    indicator_detail,
    indicator_list,
)
from .learning import *  # noqa: F403
from .outcomes import *  # noqa: F403
from .periods import (  # noqa: F401
    PERIOD_SORTS,
    period_list,
)
from .reach import *  # noqa: F403
from .reporting import (  # noqa: F401
    reporting_grid,
    review_queue,
)
from .stories import *  # noqa: F403
from .value import *  # noqa: F403
