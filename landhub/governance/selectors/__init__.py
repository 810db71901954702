"""Reads of governance, narrowed to what the reader may see, one module per area; each lists
its functions in ``__all__`` and is imported here as it is built."""

from .actions import *  # noqa: F403
from .bodies import *  # noqa: F403
from .decisions import *  # noqa: F403
from .issues import *  # noqa: F403
from .meetings import *  # noqa: F403
from .plans import *  # noqa: F403
