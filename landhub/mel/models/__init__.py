"""The MEL models, one module per area.

- ``quantitative``: results frameworks, indicators, assignments, periods, observations and
  roll-ups (issue 5).
- ``outcomes``: outcome harvesting, substantiation, system change trails, contribution claims.
- ``stories``: most significant change — stories and selection rounds.
- ``learning``: learning questions, reflection sessions, adaptation decisions.
- ``reach``: people reached, counted once over overlapping landscapes.

Everything is re-exported here, so callers write ``from landhub.mel.models import Indicator``.
"""

from .learning import *  # noqa: F403
from .outcomes import *  # noqa: F403
from .quantitative import *  # noqa: F403
from .quantitative import evidence_storage  # noqa: F401 - named by migration 0004
from .reach import *  # noqa: F403
from .stories import *  # noqa: F403
