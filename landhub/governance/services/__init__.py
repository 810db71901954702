"""Writes of governance, one module per part (see ``models``). Every function is named
``<entity>_<action>(*, actor, ...)``, checks the actor's right, validates, runs in a
transaction, keeps history and notifies. The modules list their functions in ``__all__``."""

from .actions import *  # noqa: F403
from .bodies import *  # noqa: F403
from .common import *  # noqa: F403
from .decisions import *  # noqa: F403
from .issues import *  # noqa: F403
from .meetings import *  # noqa: F403
from .plans import *  # noqa: F403
