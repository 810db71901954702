"""Reads of decisions, votes and advice (issue 7, "Decisions").

**Who reads a decision.** ``Decision.objects.visible_to`` (``BodyRecordQuerySet``): hub staff
all; a body's current members all its decisions; other signed-in members the non-confidential
decisions of bodies whose records are open to the network. The anonymous public reads only
``public_summaries()``: the summary of adopted, non-confidential decisions of public bodies
that publish them — never the text, the rationale or the votes.

**Who sees the votes per seat.** The body's members and hub staff. A network member who may
read the decision sees the tally and the result sentence, not who voted how.

**Who reads an advice request.** Whoever may read the decision or key issue it is about, the
advisory body's members (they must read the question to answer it) and hub staff.

``vote_state(user, decision)`` tells the decision page whether the reader may vote now, on
which seat (and as whose alternate), how they voted, or why they cannot: the same rules as
``services.vote_cast`` (``voting_seat_for``), said in words before the reader tries.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from landhub.core.access import is_hub_staff
from landhub.core.search import search_pks

from ..models import (
    AdviceRequest,
    AdviceStatus,
    Body,
    ConflictDeclaration,
    Decision,
    DecisionMethod,
    DecisionStatus,
    KeyIssue,
    Recommendation,
    Seat,
    SeatRole,
    Threshold,
    TieRule,
    Vote,
)
from ..panels import body_panel, meeting_panel
from ..rules import member_body_ids

__all__ = [
    "ADVICE_SORTS",
    "DECISION_SORTS",
    "VoteState",
    "advice_detail",
    "advice_list",
    "advice_visible_to",
    "adviser_choices",
    "decision_detail",
    "decision_history",
    "decision_list",
    "decision_years",
    "decisions_visible_to",
    "public_summaries",
    "register_decision_search",
    "rules_in_words",
    "tally_preview",
    "vote_state",
]

DECISION_SORTS = {"decided": "decided_at", "title": "title", "body": "body__name",
                  "created": "created_at"}  # fmt: skip
ADVICE_SORTS = {"requested": "created_at", "due": "due_on", "status": "status"}
_MAX_PK = 2**63


def _clean(filters: dict | None) -> dict:
    return {k: v.strip() for k, v in (filters or {}).items() if isinstance(v, str) and v.strip()}


def _pk(value) -> int | None:
    """A primary key from user input, or None (a word, a negative or a number beyond the
    databases' integers is no key, and not an error)."""
    text = str(value or "").strip()
    if not text.isdigit():
        return None
    number = int(text)
    return number if 0 < number < _MAX_PK else None


def decisions_visible_to(user) -> QuerySet[Decision]:
    return Decision.objects.visible_to(user)


def decision_list(*, user, filters: dict | None = None) -> QuerySet[Decision]:
    """The decision register: decisions ``user`` may read, not archived. Filters: body
    (slug), status, method, procedure (``written`` / ``meeting``), year (decided in), issue
    (key issue id), plan_item (id), q (words of the title, text, rationale, summary)."""
    filters = _clean(filters)
    qs = decisions_visible_to(user).filter(archived_at__isnull=True)
    if body := filters.get("body"):
        qs = qs.filter(body__slug=body[:80])
    if (status := filters.get("status")) in DecisionStatus.values:
        qs = qs.filter(status=status)
    if (method := filters.get("method")) in DecisionMethod.values:
        qs = qs.filter(method=method)
    if filters.get("procedure") == "written":
        qs = qs.filter(meeting__isnull=True)
    elif filters.get("procedure") == "meeting":
        qs = qs.filter(meeting__isnull=False)
    year = filters.get("year", "")
    if year.isdigit() and 1900 <= int(year) <= 2100:
        qs = qs.filter(decided_at__year=int(year))
    if "issue" in filters:
        qs = qs.filter(key_issue_id=_pk(filters["issue"]) or 0)
    if "plan_item" in filters:
        linked = Decision.plan_items.through.objects.filter(
            decision_id=OuterRef("pk"), planitem_id=_pk(filters["plan_item"]) or 0)  # fmt: skip
        qs = qs.filter(Exists(linked))
    if q := filters.get("q", "")[:200]:
        qs = qs.filter(Q(pk__in_list=search_pks(Decision, q)) | Q(title__icontains=q))
    return qs.select_related("body", "meeting", "key_issue")


def decision_years(user) -> list[int]:
    """The years of the register's year filter, newest first: from the first decision taken
    to the last (two index reads, whatever the reader may see; see ``mel.story_years``)."""
    del user
    first = Decision.objects.filter(decided_at__isnull=False).order_by("decided_at").first()
    if first is None:
        return []
    last = Decision.objects.filter(decided_at__isnull=False).order_by("-decided_at").first()
    return list(range(last.decided_at.year, first.decided_at.year - 1, -1))


def rules_in_words(decision: Decision) -> list[str]:
    """The rules the decision was taken under, as sentences for its record."""
    if decision.method == DecisionMethod.CONSENSUS:
        return [_("Taken by consensus (or consent): adopted when no member objects.")]
    if decision.method == DecisionMethod.CHAIR:
        return [_("Taken by the chair alone, as the body's rules allow.")]
    threshold = dict(Threshold.choices).get(decision.threshold or Threshold.SIMPLE_MAJORITY)
    words = [
        _("Threshold: %(threshold)s.") % {"threshold": threshold},
        _("Counted: %(base)s.") % {"base": decision.get_threshold_base_display().lower()
                                   if decision.threshold_base else "—"},
    ]  # fmt: skip
    if (decision.threshold or Threshold.SIMPLE_MAJORITY) == Threshold.SIMPLE_MAJORITY:
        words.append(_("Ties: the chair has a casting vote.")
                     if decision.tie_rule == TieRule.CHAIR_CASTS
                     else _("Ties: a tie fails, the proposal is not adopted."))  # fmt: skip
    return words


def _recusals(decision: Decision) -> list[ConflictDeclaration]:
    """Conflicts declared on the decision or on its agenda item, with who and the interest."""
    condition = Q(decision=decision)
    if decision.agenda_item_id is not None:
        condition |= Q(agenda_item_id=decision.agenda_item_id)
    return list(ConflictDeclaration.objects.filter(condition)
                .select_related("seat__person", "seat__organization", "seat__principal__person")
                .order_by("created_at", "id"))  # fmt: skip


def _advice_beside(decision: Decision) -> list[AdviceRequest]:
    """Advice asked on the decision, and on its key issue (asked before it was proposed)."""
    condition = Q(decision=decision)
    if decision.key_issue_id is not None:
        condition |= Q(key_issue_id=decision.key_issue_id, decision__isnull=True)
    return list(AdviceRequest.objects.filter(condition).select_related("adviser")
                .order_by("-given_at", "-created_at"))  # fmt: skip


def sees_votes(user, decision: Decision) -> bool:
    """Who voted how is for the body's members and hub staff."""
    return is_hub_staff(user) or decision.body_id in member_body_ids(user)


def decision_detail(*, user, pk) -> Decision:
    """One decision (404 if ``user`` may not read it) with what its page shows: ``rules``
    (sentences), ``recusals``, ``advice_beside``, ``visible_plan_items``, ``vote_rows``
    (the votes per seat, for members and hub staff; else empty) and ``votes_cast`` (how
    many seats voted). A bounded number of queries whatever the body's size."""
    from .. import models as m

    pk = _pk(pk)
    if pk is None:
        raise Http404
    plan_items = m.PlanItem.objects.filter(plan__in=m.Plan.objects.visible_to(user),
                                           archived_at__isnull=True)  # fmt: skip
    decision = (
        decisions_visible_to(user).filter(pk=pk)
        .select_related("body", "meeting", "agenda_item", "key_issue", "created_by")
        .prefetch_related(Prefetch("plan_items", queryset=plan_items.select_related("plan"),
                                   to_attr="visible_plan_items"))
        .annotate(votes_cast=Count("votes", distinct=True))
        .first()
    )  # fmt: skip
    if decision is None:
        raise Http404
    decision.rules = rules_in_words(decision)
    decision.recusals = _recusals(decision)
    decision.advice_beside = _advice_beside(decision)
    decision.shows_votes = sees_votes(user, decision)
    decision.vote_rows = (
        list(decision.votes.select_related("seat__person", "seat__organization",
                                           "cast_by__person").order_by("seat__person__name"))
        if decision.shows_votes else []
    )  # fmt: skip
    return decision


def decision_history(decision) -> list:
    from landhub.core.history import history_entries

    return history_entries(decision)


# --- the reader's vote ------------------------------------------------------------------------


@dataclass
class VoteState:
    """What the decision page says about the reader's vote."""

    can_vote: bool = False
    seat: Seat | None = None  # the voting seat the vote counts for
    cast_by: Seat | None = None  # the reader's own seat (an alternate's, standing in)
    vote: Vote | None = None  # the vote already cast for the reader's seat, if any
    reason: str = ""  # why the reader cannot vote now
    own_seat_ids: set | None = None  # the reader's seats on the body

    @property
    def as_alternate(self) -> bool:
        return self.seat is not None and self.cast_by is not None and self.seat != self.cast_by

    @property
    def voted_by_other(self) -> str:
        """The name of the alternate who cast the vote of the reader's own seat (or '')."""
        if self.vote is None or self.own_seat_ids is None:
            return ""
        if self.vote.cast_by_id in self.own_seat_ids:
            return ""
        return self.vote.cast_by.person.name

    @property
    def seat_holder(self) -> str:
        return self.seat.person.name if self.seat is not None else ""


def _vote_of(decision: Decision, seats: list[Seat]) -> Vote | None:
    """The vote counted for one of ``seats`` (own seat, or a principal's stood in for)."""
    ids = [s.pk for s in seats] + [s.principal_id for s in seats if s.principal_id]
    return (Vote.objects.filter(decision=decision)
            .filter(Q(seat_id__in=ids) | Q(cast_by_id__in=ids))
            .select_related("seat__person", "cast_by__person").first())  # fmt: skip


def vote_state(user, decision: Decision) -> VoteState:
    """Whether ``user`` may vote on ``decision`` now, on which seat, whether they voted and
    how, or why not (not a member, recused, not recorded present, the vote closed)."""
    from django.utils import timezone

    from ..services.decisions import _on, _recused_seat_ids, voting_seat_for

    state = VoteState()
    if decision.method != DecisionMethod.VOTE or not getattr(user, "is_authenticated", False):
        return state
    held = list(Seat.objects.current(_on(decision))
                .filter(body_id=decision.body_id, person__user=user)
                .select_related("person", "principal__person"))  # fmt: skip
    voters = [s for s in held if s.has_vote or (s.role == SeatRole.ALTERNATE and s.principal_id)]
    if not voters:
        state.reason = _("You hold no voting seat on this body.")
        return state
    state.own_seat_ids = {s.pk for s in voters}
    state.vote = _vote_of(decision, voters)
    if state.vote is not None:
        state.seat, state.cast_by = state.vote.seat, state.vote.cast_by
    now = timezone.now()
    if decision.status != DecisionStatus.VOTING:
        state.reason = (_("The vote is not open yet.") if decision.status == DecisionStatus.PROPOSED
                        else _("The vote is closed."))  # fmt: skip
        return state
    if decision.closes_at and now >= decision.closes_at:
        state.reason = _("The vote is closed.")
        return state
    if decision.opens_at and now < decision.opens_at:
        state.reason = _("The vote is not open yet.")
        return state
    if state.vote is not None:
        state.reason = _("Your seat has voted; each seat votes once.")
        return state
    found = voting_seat_for(user, decision)
    if found is None:
        own = next((s for s in voters if s.has_vote), None)
        if decision.meeting_id is not None and own is not None:
            state.reason = _("You are not recorded as present at the meeting; if your "
                             "alternate attends in your place, they vote for your "
                             "seat.")  # fmt: skip
        elif own is not None:
            state.reason = _("You hold no voting seat for this vote.")
        else:
            state.reason = _("An alternate votes only in place of an absent member: your "
                             "principal is present or has voted.")  # fmt: skip
        return state
    state.seat, state.cast_by = found
    state.seat = Seat.objects.select_related("person").get(pk=state.seat.pk)
    if state.seat.pk in _recused_seat_ids(decision):
        state.reason = _("A conflict of interest was declared for this seat on this item: "
                         "it does not vote.")  # fmt: skip
        return state
    state.can_vote = True
    return state


def tally_preview(decision: Decision):
    """The tally as it stands (for the officer closing the vote): ``procedure.Tally`` with
    the quorum, so the close form asks for a casting vote only on a tie under the chair rule."""
    from ..procedure import count_quorum, tally
    from ..services.decisions import item_seats

    quorum = count_quorum(decision.body.quorum, item_seats(decision))
    result = tally(threshold=decision.threshold or Threshold.SIMPLE_MAJORITY,
                   base=decision.threshold_base, tie_rule=decision.tie_rule,
                   choices=list(decision.votes.values_list("choice", flat=True)),
                   eligible=quorum.eligible)  # fmt: skip
    return result, quorum


# --- public summaries -------------------------------------------------------------------------


def public_summaries(*, filters: dict | None = None) -> QuerySet[Decision]:
    """Adopted, non-confidential decisions of bodies that publish summaries (for anyone,
    signed in or not): only what the page shows is read. Filters: body (slug), year, q."""
    filters = _clean(filters)
    qs = Decision.objects.public_summaries()
    if body := filters.get("body"):
        qs = qs.filter(body__slug=body[:80])
    year = filters.get("year", "")
    if year.isdigit() and 1900 <= int(year) <= 2100:
        qs = qs.filter(decided_at__year=int(year))
    if q := filters.get("q", "")[:200]:
        qs = qs.filter(Q(title__icontains=q) | Q(public_summary__icontains=q))
    return (qs.select_related("body").only("pk", "title", "public_summary", "decided_at",
                                           "effective_on", "body__name", "body__slug")
            .order_by("-decided_at", "-pk"))  # fmt: skip


def public_bodies() -> QuerySet[Body]:
    return Body.objects.filter(records_access="public", visibility="public",
                               archived_at__isnull=True).order_by("name")  # fmt: skip


# --- advice -----------------------------------------------------------------------------------


def advice_visible_to(user) -> QuerySet[AdviceRequest]:
    if not getattr(user, "is_authenticated", False):
        return AdviceRequest.objects.none()
    if is_hub_staff(user):
        return AdviceRequest.objects.all()
    return AdviceRequest.objects.filter(
        Q(adviser_id__in=member_body_ids(user))
        | Q(decision__in=Decision.objects.visible_to(user).values("pk"))
        | Q(key_issue__in=KeyIssue.objects.visible_to(user).values("pk"))
    )


def advice_list(*, user, body: Body, filters: dict | None = None) -> QuerySet[AdviceRequest]:
    """The requests made to the advisory ``body`` that ``user`` may read. Filters: status,
    recommendation, ``q`` (words of the question, the advice, or the title of the decision or
    key issue asked about — a register of a few hundred rows a year: a plain scan is enough)."""
    filters = _clean(filters)
    qs = advice_visible_to(user).filter(adviser=body)
    if (status := filters.get("status")) in AdviceStatus.values:
        qs = qs.filter(status=status)
    if (recommendation := filters.get("recommendation")) in Recommendation.values:
        qs = qs.filter(recommendation=recommendation)
    for word in filters.get("q", "")[:200].split()[:8]:
        qs = qs.filter(Q(question__icontains=word) | Q(advice__icontains=word)
                       | Q(decision__title__icontains=word)
                       | Q(key_issue__title__icontains=word))  # fmt: skip
    return qs.select_related("decision__body", "key_issue__body", "requested_by")


def advice_detail(*, user, pk) -> AdviceRequest:
    pk = _pk(pk)
    found = (advice_visible_to(user).filter(pk=pk)
             .select_related("adviser", "decision__body", "key_issue__body", "requested_by",
                             "given_by").first() if pk else None)  # fmt: skip
    if found is None:
        raise Http404
    return found


def adviser_choices(user, asking: Body) -> list[Body]:
    """Bodies that may be asked for advice by ``asking``: those that advise it first, then
    the other advisory bodies, then the rest; never itself or an archived body."""
    bodies = list(Body.objects.visible_to(user).filter(archived_at__isnull=True)
                  .exclude(pk=asking.pk))  # fmt: skip
    return sorted(bodies, key=lambda b: (b.advises_id != asking.pk, b.kind != "advisory",
                                         b.name.lower()))  # fmt: skip


# --- panels of a body's and a meeting's page --------------------------------------------------


@body_panel("governance/partials/body_decisions.html", order=20)
def body_decisions_panel(*, user, body) -> dict | None:
    """The body's recent decisions and its open votes (those the reader may read)."""
    qs = decisions_visible_to(user).filter(body=body, archived_at__isnull=True)
    open_votes = list(qs.filter(status=DecisionStatus.VOTING).order_by("closes_at", "pk")[:10])
    recent = list(qs.filter(decided_at__isnull=False).order_by("-decided_at", "-pk")[:5])
    return {"body": body, "open_votes": open_votes, "recent_decisions": recent,
            "can_propose": _can(user, "governance.propose_decision", body)}  # fmt: skip


@meeting_panel("governance/partials/meeting_decisions.html", order=10)
def meeting_decisions_panel(*, user, meeting) -> dict | None:
    """The decisions on the meeting's items, with their tallies."""
    decisions = list(decisions_visible_to(user)
                     .filter(meeting=meeting, archived_at__isnull=True)
                     .select_related("agenda_item")
                     .order_by("agenda_item__position", "pk"))  # fmt: skip
    can_propose = _can(user, "governance.propose_decision", meeting.body)
    # For its officers: the agenda's items, each with a link to propose a decision on it.
    items = list(meeting.agenda.order_by("position", "pk")) if can_propose else []
    return {"meeting": meeting, "decisions": decisions, "can_propose": can_propose,
            "items": items}  # fmt: skip


def _can(user, perm, obj) -> bool:
    from landhub.directory.rules import can

    return can(user, perm, obj)


# --- global search ----------------------------------------------------------------------------


def register_decision_search() -> None:
    """Called from ``GovernanceConfig.ready``: "Decisions" in the global search, narrowed to
    the decisions each reader may read (none for the anonymous public)."""
    from django.utils.translation import gettext_lazy

    from landhub.core.search import SearchSection, register_search_section

    def results(user, q):
        return decision_list(user=user, filters={"q": q})

    def hit(decision) -> dict:
        return {"label": decision.title, "url": decision.get_absolute_url(),
                "note": f"{decision.body.name} · {decision.get_status_display()}"}  # fmt: skip

    register_search_section(SearchSection("decision", gettext_lazy("Decisions"), results, hit,
                                          models=(Decision,)))  # fmt: skip
