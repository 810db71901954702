"""Writes of the MEL data, one module per area (DESIGN §5: ``<entity>_<action>(*, actor, …)``).

Callers use ``from landhub.mel import services`` and ``services.observation_save(...)``; the
areas are ``observations`` (values, review), ``periods``, ``frameworks`` and ``indicators``.

The modules of the mixed methods (issue 6: outcomes, value, stories, reach, learning) list
their functions in ``__all__`` and are star-imported.
"""

from .assignments import (  # noqa: F401
    UNSET,
    assignment_create,
    assignment_remove,
    assignment_update,
    target_remove,
    target_set,
)
from .evidence import (  # noqa: F401
    evidence_add,
    evidence_editable,
    evidence_remove,
)
from .frameworks import (  # noqa: F401
    edge_remove,
    edge_save,
    framework_create,
    framework_publish,
    node_remove,
    node_save,
)
from .indicators import (  # noqa: F401
    INDICATOR_FIELDS,
    indicator_create,
    indicator_update,
)
from .learning import *  # noqa: F403
from .observations import (  # noqa: F401
    MAX_NUMBER,
    observation_approve,
    observation_return,
    observation_save,
    observation_submit,
)
from .outcomes import *  # noqa: F403
from .periods import (  # noqa: F401
    period_create,
    period_lock,
    period_series_create,
    period_set_due,
)
from .reach import *  # noqa: F403
from .reminders import (  # noqa: F401
    send_reporting_reminders,
)
from .stories import *  # noqa: F403
from .value import *  # noqa: F403
