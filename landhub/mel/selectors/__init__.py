"""Reads of the MEL data, narrowed to what the reader may see, one module per area."""

from .frameworks import (  # noqa: F401
    framework_detail,
    framework_list,
)
from .indicators import (  # noqa: F401
    INDICATOR_SORTS,
    indicator_detail,
    indicator_list,
)
from .reporting import (  # noqa: F401
    reporting_grid,
    review_queue,
)
