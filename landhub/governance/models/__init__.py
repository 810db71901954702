"""The governance records, one module per part of the issue (7):

- ``bodies``: bodies (steering committee, advisory group, design teams, working groups), their
  rules (quorum, thresholds, ties) and seats with terms and alternates;
- ``issues``: key issues raised to a body, with links to the evidence;
- ``meetings``: meetings, agenda items, attendance, conflict-of-interest declarations, minutes;
- ``decisions``: decisions, votes and the advice of advisory bodies;
- ``actions``: action items from decisions and meetings;
- ``plans``: the strategic plan and the scaling strategy (goals → objectives → milestones),
  milestones tied to MEL indicators.
"""

from .actions import *  # noqa: F403
from .bodies import *  # noqa: F403
from .decisions import *  # noqa: F403
from .issues import *  # noqa: F403
from .meetings import *  # noqa: F403
from .plans import *  # noqa: F403
