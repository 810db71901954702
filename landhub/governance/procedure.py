"""The arithmetic of meetings and votes: quorum, thresholds, ties. Pure functions over plain
values, so every rule is tested on its own (``tests/test_procedure.py``) and the services only
gather the facts from the database and record the result.

**Quorum** is counted on voting seats. A seat counts as present when its holder attends, or
when one of its alternates attends in the holder's place. A member recused by a declared
conflict of interest is left out of the item altogether: not counted as present, and not
counted among the seats the quorum is a share of — so a conflict never makes a quorum easier
or harder to reach than if that seat did not exist for the item.

**Thresholds** are a share either of the votes cast (yes + no; abstentions are not votes cast)
or of all voting seats not recused. Simple majority: more than half; two thirds: at least two
thirds; unanimity: all of them (of votes cast: every vote cast is yes).

**Ties** (simple majority only: exactly half in favour) fail, or are decided by the chair's
casting vote, as the body's rules say. Nothing passes with no vote in favour.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .models import Quorum, Threshold, ThresholdBase, TieRule, VoteChoice


@dataclass(frozen=True)
class SeatAtItem:
    """A voting seat as an item sees it."""

    seat_id: int
    present: bool  # the holder attends, or an alternate attends in their place
    recused: bool = False


@dataclass(frozen=True)
class QuorumCount:
    eligible: int  # voting seats not recused
    present: int  # of those, present (in person or through an alternate)
    required: int

    @property
    def met(self) -> bool:
        return self.eligible > 0 and self.present >= self.required


def quorum_required(rule: str, eligible: int) -> int:
    """How many of ``eligible`` voting seats must be present under ``rule``."""
    if eligible <= 0:
        return 0
    if rule == Quorum.MAJORITY:
        return eligible // 2 + 1
    if rule == Quorum.HALF:
        return math.ceil(eligible / 2)
    if rule == Quorum.TWO_THIRDS:
        return math.ceil(eligible * 2 / 3)
    if rule == Quorum.ALL:
        return eligible
    raise ValueError(rule)


def count_quorum(rule: str, seats: list[SeatAtItem]) -> QuorumCount:
    eligible = [s for s in seats if not s.recused]
    present = sum(1 for s in eligible if s.present)
    return QuorumCount(len(eligible), present, quorum_required(rule, len(eligible)))


def votes_needed(threshold: str, base_size: int) -> int:
    """The fewest yes votes that pass ``threshold`` of ``base_size``."""
    if base_size <= 0:
        return 1
    if threshold == Threshold.SIMPLE_MAJORITY:
        return base_size // 2 + 1
    if threshold == Threshold.TWO_THIRDS:
        return math.ceil(base_size * 2 / 3)
    if threshold == Threshold.UNANIMITY:
        return base_size
    raise ValueError(threshold)


@dataclass(frozen=True)
class Tally:
    yes: int
    no: int
    abstain: int
    eligible: int  # voting seats not recused
    base_size: int  # what the threshold is a share of
    needed: int
    tie: bool
    casting_vote: str  # "yes"/"no" when the chair's casting vote decided a tie, else ""
    adopted: bool

    @property
    def cast(self) -> int:
        return self.yes + self.no

    def explanation(self) -> str:
        """One sentence for the decision record."""
        counts = _("%(yes)d in favour, %(no)d against, %(abstain)d abstaining") % {
            "yes": self.yes, "no": self.no, "abstain": self.abstain}  # fmt: skip
        if self.casting_vote:
            how = (_("a tie, decided by the chair's casting vote in favour")
                   if self.casting_vote == VoteChoice.YES
                   else _("a tie, decided by the chair's casting vote against"))  # fmt: skip
        elif self.tie:
            how = _("a tie, which fails under the body's rules")
        elif self.adopted:
            how = _("%(needed)d in favour were needed") % {"needed": self.needed}
        elif self.yes == 0:
            how = _("no vote in favour")
        else:
            how = _("%(needed)d in favour were needed") % {"needed": self.needed}
        return f"{counts}: {how}."


def tally(*, threshold: str, base: str, tie_rule: str, choices: list[str], eligible: int,
          casting_vote: str = "") -> Tally:  # fmt: skip
    """The result of a vote. ``choices`` holds one vote per voting seat that voted (recused
    seats cannot vote, see the services); ``eligible`` is the number of voting seats not
    recused; ``casting_vote`` is the chair's yes/no for a tie, used only where the body's
    rules give the chair one."""
    yes = choices.count(VoteChoice.YES)
    no = choices.count(VoteChoice.NO)
    abstain = choices.count(VoteChoice.ABSTAIN)
    base_size = yes + no if base == ThresholdBase.CAST else eligible
    needed = votes_needed(threshold, base_size)
    adopted = base_size > 0 and yes >= needed and yes > 0
    tie = threshold == Threshold.SIMPLE_MAJORITY and base_size > 0 and yes * 2 == base_size
    used = ""
    if tie and tie_rule == TieRule.CHAIR_CASTS and casting_vote in (VoteChoice.YES, VoteChoice.NO):
        used = casting_vote
        adopted = casting_vote == VoteChoice.YES
    return Tally(yes, no, abstain, eligible, base_size, needed, tie, used, adopted)
