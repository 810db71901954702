"""Writes of decisions: proposing, voting, closing, recording consensus or a chair's decision,
and asking advisory bodies for advice.

How a vote runs:

1. An officer (chair, secretary) or hub staff **proposes** a decision on an agenda item or by
   written procedure (``decision_propose``). It copies the body's rules (threshold, what it is
   counted against, ties) so the record says which rules applied.
2. ``vote_open`` opens the vote with a closing time; at a meeting only while the item has its
   quorum. The voting members are told (``governance.vote_open``).
3. Each voting seat votes once (``vote_cast``): the seat's holder, or the alternate attending
   for an absent principal (at a meeting: the alternate recorded as attending in the
   principal's place; by written procedure: an alternate of a principal who has not voted).
   A member recused by a conflict of interest cannot vote. No vote after closing.
4. ``vote_close`` counts: quorum (at a meeting: present voting seats; by written procedure:
   the seats that took part, abstentions included), the tally against the threshold, a tie
   as the body's rules say (the chair's casting vote where they give one). The decision is
   adopted or not, with the sentence that says why, and the members are told.

``decision_record`` records a decision taken by consensus or by the chair. ``votes_close_due``
(run by ``landhub governance-reminders``) closes votes whose time is up and reminds those who
have not voted of a vote closing within a day.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from landhub.core.services import notify
from landhub.core.versioning import save_versioned

from ..models import (
    AdviceRequest,
    AdviceStatus,
    AttendanceStatus,
    Body,
    ConflictDeclaration,
    Decision,
    DecisionMethod,
    DecisionStatus,
    IssueStatus,
    KeyIssue,
    Recommendation,
    Seat,
    SeatRole,
    Threshold,
    Vote,
    VoteChoice,
)
from ..procedure import SeatAtItem, count_quorum, tally
from .common import full_clean, not_archived, require

__all__ = [
    "DECISION_FIELDS",
    "advice_decline",
    "advice_give",
    "advice_request_create",
    "conflict_declare_on_decision",
    "decision_propose",
    "decision_record",
    "decision_update",
    "decision_withdraw",
    "item_seats",
    "vote_cast",
    "vote_close",
    "vote_open",
    "votes_close_due",
    "voting_seat_for",
]

DECISION_FIELDS = ("title", "text", "rationale", "method", "threshold", "effective_on",
                   "public_summary", "confidential", "key_issue")  # fmt: skip
CLOSING_SOON = dt.timedelta(hours=24)


# --- the facts of an item ---------------------------------------------------------------------


def _on(decision: Decision) -> dt.date:
    """The day whose seats count: the meeting's day, or today for a written procedure."""
    if decision.meeting_id is not None:
        return timezone.localdate(decision.meeting.starts_at)
    return timezone.localdate()


def _recused_seat_ids(decision: Decision) -> set[int]:
    """Seats recused from this item: a conflict declared on the agenda item or the decision.
    A conflict declared by an alternate recuses the seat they stand in for."""
    conflicts = ConflictDeclaration.objects.filter(decision=decision)
    if decision.agenda_item_id is not None:
        conflicts = conflicts | ConflictDeclaration.objects.filter(
            agenda_item_id=decision.agenda_item_id)  # fmt: skip
    return {
        principal or seat
        for seat, principal in conflicts.values_list("seat_id", "seat__principal_id")
    }


def item_seats(decision: Decision) -> list[SeatAtItem]:
    """The body's voting seats as this item sees them: present (at a meeting: attending, or
    represented by an attending alternate; by written procedure: having voted) and recused.
    Two queries (three with attendance)."""
    seats = list(Seat.objects.current(_on(decision)).voting().filter(body_id=decision.body_id)
                 .values_list("pk", flat=True))  # fmt: skip
    recused = _recused_seat_ids(decision)
    if decision.meeting_id is not None:
        rows = decision.meeting.attendance.values_list("seat_id", "status", "represented_by_id")
        present = {seat for seat, status, alternate in rows
                   if status == AttendanceStatus.PRESENT or alternate is not None}  # fmt: skip
    else:
        present = set(decision.votes.values_list("seat_id", flat=True))
    return [SeatAtItem(pk, pk in present, pk in recused) for pk in seats]


def voting_seat_for(actor, decision: Decision) -> tuple[Seat, Seat] | None:
    """(the voting seat ``actor`` may vote for on ``decision``, the seat they hold), or None.

    Their own voting seat first — at a meeting only if recorded as present; else an alternate
    seat whose principal is absent — at a meeting, recorded as represented by this alternate;
    by written procedure, not having voted.
    """
    if not actor.is_authenticated:
        return None
    held = list(Seat.objects.current(_on(decision)).filter(body_id=decision.body_id,
                                                           person__user=actor)
                .select_related("principal"))  # fmt: skip
    at_meeting = decision.meeting_id is not None
    for seat in held:
        if not seat.has_vote:
            continue
        if at_meeting and not decision.meeting.attendance.filter(
                seat=seat, status=AttendanceStatus.PRESENT).exists():  # fmt: skip
            return None  # absent: their alternate, if any, votes in their place
        return seat, seat
    for seat in held:
        principal = seat.principal
        if seat.role != SeatRole.ALTERNATE or principal is None:
            continue
        if not principal.is_current(_on(decision)) or not principal.has_vote:
            continue
        if decision.meeting_id is not None:
            if decision.meeting.attendance.filter(seat=principal, represented_by=seat).exists():
                return principal, seat
        elif not decision.votes.filter(seat=principal).exists():
            return principal, seat
    return None


# --- proposing --------------------------------------------------------------------------------


def _check_method(body: Body, method: str, errors: dict) -> None:
    if method == DecisionMethod.CHAIR and not body.chair_may_decide:
        errors.setdefault("method", []).append(
            _("This body's rules do not let the chair decide alone.")
        )


def _check_place(body: Body, meeting, agenda_item, errors: dict) -> None:
    if meeting is not None and meeting.body_id != body.pk:
        errors.setdefault("meeting", []).append(_("The meeting is not one of this body's."))
    if agenda_item is not None and agenda_item.meeting_id != getattr(meeting, "pk", None):
        errors.setdefault("agenda_item", []).append(
            _("The agenda item is not on this meeting's agenda.")
        )


@transaction.atomic
def decision_propose(*, actor, body: Body, title: str, text: str, method: str,
                     rationale: str = "", meeting=None, agenda_item=None,
                     key_issue: KeyIssue | None = None, threshold: str = "",
                     effective_on=None, public_summary: str = "", confidential: bool = False,
                     plan_items=()) -> Decision:  # fmt: skip
    """A decision put to ``body``: on an agenda item of one of its meetings, or by written
    procedure (no meeting). Officers of the body and hub staff."""
    require(actor, "governance.propose_decision", body)
    not_archived(body)
    if agenda_item is not None and meeting is None:
        meeting = agenda_item.meeting
    errors: dict = {}
    _check_method(body, method, errors)
    _check_place(body, meeting, agenda_item, errors)
    if key_issue is not None and key_issue.body_id != body.pk:
        errors.setdefault("key_issue", []).append(_("The key issue was raised to another body."))
    if key_issue is None and agenda_item is not None:
        key_issue = agenda_item.key_issue
    decision = Decision(
        body=body, meeting=meeting, agenda_item=agenda_item, key_issue=key_issue,
        title=(title or "").strip(), text=(text or "").strip(),
        rationale=(rationale or "").strip(), method=method,
        threshold=(threshold or body.threshold) if method == DecisionMethod.VOTE else "",
        threshold_base=body.threshold_base, tie_rule=body.tie_rule, effective_on=effective_on,
        public_summary=(public_summary or "").strip(), confidential=bool(confidential),
        created_by=actor,
    )  # fmt: skip
    full_clean(decision, errors, exclude=("created_by",))
    decision._history_user = actor
    decision.save()
    if plan_items:
        decision.plan_items.set(plan_items)
    if key_issue is not None and key_issue.status in (IssueStatus.RAISED, IssueStatus.SCHEDULED):
        key_issue.status = IssueStatus.DELIBERATION
        key_issue._history_user = actor
        save_versioned(key_issue, expected_version=None, update_fields=["status"])
    return decision


@transaction.atomic
def decision_update(*, actor, decision: Decision, version: int | None, changes: dict) -> Decision:
    """Change a decision's text or facts while it is only proposed (its public summary and
    effective date also after it was taken)."""
    require(actor, "governance.propose_decision", decision.body)
    not_archived(decision)
    unknown = set(changes) - set(DECISION_FIELDS) - {"plan_items"}
    if unknown:
        raise ValidationError({key: [_("This field cannot be changed here.")]
                               for key in sorted(unknown)})  # fmt: skip
    after_taken = {"public_summary", "effective_on", "plan_items", "confidential"}
    if decision.status != DecisionStatus.PROPOSED and set(changes) - after_taken:
        raise ValidationError(_("Once a vote is open the decision's text and method are "
                                "fixed; only its public summary, effective date and plan "
                                "items can change."))  # fmt: skip
    errors: dict = {}
    if "method" in changes:
        _check_method(decision.body, changes["method"], errors)
    issue = changes.get("key_issue")
    if issue is not None and issue.body_id != decision.body_id:
        errors.setdefault("key_issue", []).append(_("The key issue was raised to another body."))
    for key in DECISION_FIELDS:
        if key in changes:
            value = changes[key]
            setattr(decision, key, value.strip() if isinstance(value, str) else value)
    if decision.method != DecisionMethod.VOTE:
        decision.threshold = ""
    elif not decision.threshold:
        decision.threshold = decision.body.threshold
    full_clean(decision, errors, exclude=("created_by",))
    decision._history_user = actor
    save_versioned(decision, expected_version=version)
    if "plan_items" in changes:
        decision.plan_items.set(changes["plan_items"])
    return decision


@transaction.atomic
def decision_withdraw(*, actor, decision: Decision, version: int | None) -> Decision:
    require(actor, "governance.propose_decision", decision.body)
    if decision.status not in (DecisionStatus.PROPOSED, DecisionStatus.VOTING):
        raise ValidationError(_("Only a decision not yet taken can be withdrawn."))
    decision.status = DecisionStatus.WITHDRAWN
    decision._history_user = actor
    save_versioned(decision, expected_version=version)
    return decision


# --- voting -----------------------------------------------------------------------------------


def _utc(moment: dt.datetime) -> str:
    """A moment as the UTC the messages name (a form gives it in the member's own zone)."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M")


def _voters(decision: Decision):
    """The accounts of the body's current voting seats and of their alternates."""
    from django.contrib.auth import get_user_model

    seats = Seat.objects.current(_on(decision)).filter(body_id=decision.body_id)
    voting = seats.voting()
    alternates = seats.filter(role=SeatRole.ALTERNATE, principal__in=voting)
    users = (voting | alternates).values("person__user")
    return get_user_model().objects.filter(pk__in=users, is_active=True)


@transaction.atomic
def vote_open(*, actor, decision: Decision, closes_at: dt.datetime, version: int | None,
              opens_at: dt.datetime | None = None) -> Decision:  # fmt: skip
    """Open the vote until ``closes_at``. At a meeting the item must have its quorum."""
    require(actor, "governance.propose_decision", decision.body)
    not_archived(decision)
    if decision.method != DecisionMethod.VOTE:
        raise ValidationError({"method": [_("This decision is not taken by a vote.")]})
    if decision.status != DecisionStatus.PROPOSED:
        raise ValidationError(_("The vote on this decision was already opened."))
    now = timezone.now()
    opens_at = opens_at or now
    errors: dict = {}
    if closes_at is None or closes_at <= max(opens_at, now):
        errors["closes_at"] = [_("The vote must close later than it opens, in the future.")]
    if decision.meeting_id is not None:
        quorum = count_quorum(decision.body.quorum, item_seats(decision))
        if not quorum.met:
            errors.setdefault("__all__", []).append(
                _("No quorum for this item: %(present)d of %(required)d voting members "
                  "needed are present.") % {"present": quorum.present,
                                            "required": quorum.required})  # fmt: skip
    if errors:
        raise ValidationError(errors)
    decision.status = DecisionStatus.VOTING
    decision.opens_at, decision.closes_at = opens_at, closes_at
    decision._history_user = actor
    save_versioned(decision, expected_version=version)
    notify(recipients=_voters(decision), kind="governance.vote_open",
           title=_("Vote open: %(title)s") % {"title": decision.title},
           body=_("%(body)s. The vote closes %(when)s UTC.") % {
               "body": decision.body.name, "when": _utc(closes_at)},
           url=decision.get_absolute_url())  # fmt: skip
    return decision


@transaction.atomic
def vote_cast(*, actor, decision: Decision, choice: str, comment: str = "") -> Vote:
    """``actor`` votes on the seat they may vote for (``voting_seat_for``). Once per seat."""
    require(actor, "governance.vote", decision.body)
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    now = timezone.now()
    if decision.status != DecisionStatus.VOTING:
        raise ValidationError(_("This vote is not open."))
    if decision.opens_at and now < decision.opens_at:
        raise ValidationError(_("This vote opens at %(when)s UTC.") % {
            "when": decision.opens_at.strftime("%Y-%m-%d %H:%M")})  # fmt: skip
    if decision.closes_at and now >= decision.closes_at:
        raise ValidationError(_("This vote closed at %(when)s UTC.") % {
            "when": decision.closes_at.strftime("%Y-%m-%d %H:%M")})  # fmt: skip
    if choice not in VoteChoice.values:
        raise ValidationError({"choice": [_("Vote yes, no or abstain.")]})
    found = voting_seat_for(actor, decision)
    if found is None:
        raise PermissionDenied(_("You hold no voting seat for this vote: at a meeting a member "
                                 "votes when recorded as present, and an alternate only in "
                                 "place of an absent member."))  # fmt: skip
    seat, cast_by = found
    if seat.pk in _recused_seat_ids(decision):
        raise ValidationError(_("A conflict of interest was declared for this seat on this "
                                "item: it does not vote."))  # fmt: skip
    if Vote.objects.filter(decision=decision, seat=seat).exists():
        raise ValidationError(_("This seat has already voted; each seat votes once."))
    vote = Vote(decision=decision, seat=seat, cast_by=cast_by, choice=choice,
                comment=(comment or "").strip()[:5000], user=actor)  # fmt: skip
    vote._history_user = actor
    vote.save()
    return vote


def _close(decision: Decision, *, actor, casting_vote: str = "") -> Decision:
    seats = item_seats(decision)
    quorum = count_quorum(decision.body.quorum, seats)
    result = tally(threshold=decision.threshold or Threshold.SIMPLE_MAJORITY,
                   base=decision.threshold_base, tie_rule=decision.tie_rule,
                   choices=list(decision.votes.values_list("choice", flat=True)),
                   eligible=quorum.eligible, casting_vote=casting_vote)  # fmt: skip
    decision.yes_votes, decision.no_votes, decision.abstentions = (
        result.yes, result.no, result.abstain)  # fmt: skip
    decision.eligible_seats, decision.present_seats = quorum.eligible, quorum.present
    decision.quorum_required = quorum.required
    decision.casting_vote_used = bool(result.casting_vote)
    if quorum.met:
        decision.status = DecisionStatus.ADOPTED if result.adopted else DecisionStatus.REJECTED
        decision.result_note = result.explanation()
    else:
        decision.status = DecisionStatus.REJECTED
        decision.result_note = _("No quorum: %(present)d of the %(required)d voting members "
                                 "needed took part.") % {"present": quorum.present,
                                                         "required": quorum.required}  # fmt: skip
    decision.decided_at = timezone.now()
    decision._history_user = actor
    decision.save()
    _issue_decided(decision, actor)
    notify(recipients=_voters(decision), kind="governance.decision",
           title=_("%(title)s: %(status)s") % {"title": decision.title,
                                               "status": decision.get_status_display()},
           body=decision.result_note, url=decision.get_absolute_url())  # fmt: skip
    return decision


def _issue_decided(decision: Decision, actor) -> None:
    issue = decision.key_issue
    if (issue is not None and decision.status == DecisionStatus.ADOPTED
            and issue.status not in (IssueStatus.DECIDED, IssueStatus.CLOSED)):  # fmt: skip
        issue.status = IssueStatus.DECIDED
        issue._history_user = actor
        save_versioned(issue, expected_version=None, update_fields=["status"])


@transaction.atomic
def vote_close(*, actor, decision: Decision, version: int | None,
               casting_vote: str = "") -> Decision:  # fmt: skip
    """Count the votes and record the result (an officer or hub staff; also before the
    closing time, e.g. when every seat has voted at a meeting). ``casting_vote`` is the
    chair's yes/no where the body's rules give the chair a casting vote on a tie."""
    require(actor, "governance.propose_decision", decision.body)
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if version is not None and int(version) != decision.version:
        from landhub.core.exceptions import ConflictError

        raise ConflictError(decision, version)
    if decision.status != DecisionStatus.VOTING:
        raise ValidationError(_("This vote is not open."))
    if casting_vote and casting_vote not in (VoteChoice.YES, VoteChoice.NO):
        raise ValidationError({"casting_vote": [_("A casting vote is yes or no.")]})
    decision.version += 1
    return _close(decision, actor=actor, casting_vote=casting_vote)


@transaction.atomic
def decision_record(*, actor, decision: Decision, version: int | None, adopted: bool,
                    note: str = "") -> Decision:  # fmt: skip
    """Record a decision taken by consensus (at a meeting with its quorum, or by written
    procedure) or by the chair (the chair, or hub staff recording it, where the rules allow)."""
    require(actor, "governance.propose_decision", decision.body)
    not_archived(decision)
    if decision.method == DecisionMethod.VOTE:
        raise ValidationError(_("A decision taken by a vote is recorded by closing the vote."))
    if decision.status != DecisionStatus.PROPOSED:
        raise ValidationError(_("This decision was already recorded."))
    errors: dict = {}
    if decision.method == DecisionMethod.CHAIR:
        _check_method(decision.body, decision.method, errors)
    seats = item_seats(decision)
    quorum = count_quorum(decision.body.quorum, seats)
    at_meeting = decision.meeting_id is not None
    if decision.method == DecisionMethod.CONSENSUS and at_meeting and not quorum.met:
        errors.setdefault("__all__", []).append(
            _("No quorum for this item: %(present)d of %(required)d voting members "
              "needed are present.") % {"present": quorum.present,
                                        "required": quorum.required})  # fmt: skip
    if errors:
        raise ValidationError(errors)
    decision.status = DecisionStatus.ADOPTED if adopted else DecisionStatus.REJECTED
    decision.eligible_seats = quorum.eligible
    if decision.meeting_id is not None:
        decision.present_seats, decision.quorum_required = quorum.present, quorum.required
    decision.result_note = (note or "").strip() or (
        _("Adopted by consensus.") if decision.method == DecisionMethod.CONSENSUS and adopted
        else _("No consensus.") if decision.method == DecisionMethod.CONSENSUS
        else _("Decided by the chair.") if adopted else _("Not adopted by the chair.")
    )  # fmt: skip
    decision.decided_at = timezone.now()
    decision._history_user = actor
    save_versioned(decision, expected_version=version)
    _issue_decided(decision, actor)
    return decision


def votes_close_due(*, now: dt.datetime | None = None) -> tuple[int, int]:
    """Close the votes whose time is up and remind voters who have not voted of a vote that
    closes within a day (once). Returns (closed, reminded). Run by the reminders command."""
    now = now or timezone.now()
    closed = 0
    for decision in Decision.objects.filter(status=DecisionStatus.VOTING, closes_at__lte=now):
        with transaction.atomic():
            locked = Decision.objects.select_for_update().get(pk=decision.pk)
            if locked.status == DecisionStatus.VOTING:
                _close(locked, actor=None)
                closed += 1
    reminded = 0
    soon = Decision.objects.filter(status=DecisionStatus.VOTING, closes_at__gt=now,
                                   closes_at__lte=now + CLOSING_SOON,
                                   closing_reminded_at__isnull=True)  # fmt: skip
    for decision in soon:
        voted = set(decision.votes.values_list("seat__person__user", "cast_by__person__user")
                    .distinct())  # fmt: skip
        done = {user for pair in voted for user in pair if user}
        recipients = [u for u in _voters(decision) if u.pk not in done]
        notify(recipients=recipients, kind="governance.vote_closing",
               title=_("Vote closing soon: %(title)s") % {"title": decision.title},
               body=_("The vote closes %(when)s UTC.") % {
                   "when": decision.closes_at.strftime("%Y-%m-%d %H:%M")},
               url=decision.get_absolute_url())  # fmt: skip
        Decision.objects.filter(pk=decision.pk).update(closing_reminded_at=now)
        reminded += 1
    return closed, reminded


@transaction.atomic
def conflict_declare_on_decision(*, actor, decision: Decision, nature: str) -> ConflictDeclaration:
    """``actor`` declares a conflict of interest on ``decision`` for their own seat on its body
    (mostly a decision by written procedure: at a meeting, conflicts are declared on the
    agenda item). The seat is recused from the vote and from the quorum; the record shows it.

    Their voting seat if they hold one, else their alternate seat (which recuses the seat
    they stand in for). Not once the seat has voted, nor twice, nor after the decision."""
    require(actor, "governance.declare_conflict", decision.body)
    not_archived(decision)
    if decision.status not in (DecisionStatus.PROPOSED, DecisionStatus.VOTING):
        raise ValidationError(_("This decision was already taken."))
    held = list(Seat.objects.current(_on(decision)).filter(body_id=decision.body_id,
                                                           person__user=actor))  # fmt: skip
    seat = next((s for s in held if s.has_vote), None) or next(
        (s for s in held if s.role == SeatRole.ALTERNATE and s.principal_id), None)  # fmt: skip
    if seat is None:
        raise ValidationError(_("You hold no voting seat on this body: there is no vote to "
                                "recuse."))  # fmt: skip
    counted = seat.principal_id or seat.pk
    errors: dict = {}
    if counted in _recused_seat_ids(decision):
        errors["nature"] = [_("A conflict of interest is already declared for this seat.")]
    elif decision.votes.filter(seat_id=counted).exists():
        errors["nature"] = [_("This seat has already voted: a conflict is declared before "
                              "voting.")]  # fmt: skip
    declaration = ConflictDeclaration(seat=seat, decision=decision,
                                      nature=(nature or "").strip()[:5000],
                                      declared_by=actor)  # fmt: skip
    full_clean(declaration, errors, exclude=("declared_by",))
    declaration._history_user = actor
    declaration.save()
    return declaration


# --- advice -----------------------------------------------------------------------------------


def _adviser_members(body: Body):
    from django.contrib.auth import get_user_model

    users = Seat.objects.current().filter(body=body).values("person__user")
    return get_user_model().objects.filter(pk__in=users, is_active=True)


@transaction.atomic
def advice_request_create(
    *, actor, adviser: Body, question: str, key_issue=None, decision: Decision | None = None,
    due_on=None,
) -> AdviceRequest:  # fmt: skip
    """The deciding body's officers (or hub staff) ask an advisory body for its view on a key
    issue or a proposed decision. The advisory body's members are told."""
    asking = decision.body if decision is not None else getattr(key_issue, "body", None)
    if asking is None:
        raise ValidationError(_("Ask for advice on a key issue or a decision."))
    require(actor, "governance.request_advice", asking)
    errors: dict = {}
    if adviser.pk == asking.pk:
        errors["adviser"] = [_("A body does not advise itself.")]
    if adviser.archived_at is not None:
        errors["adviser"] = [_("This body is archived.")]
    if decision is not None and key_issue is None:
        key_issue = decision.key_issue
    request = AdviceRequest(adviser=adviser, key_issue=key_issue, decision=decision,
                            question=(question or "").strip(), due_on=due_on,
                            requested_by=actor)  # fmt: skip
    full_clean(request, errors, exclude=("requested_by", "given_by"))
    request._history_user = actor
    request.save()
    subject = decision.title if decision is not None else key_issue.title
    notify(recipients=_adviser_members(adviser), kind="governance.advice_requested",
           title=_("Advice requested: %(title)s") % {"title": subject},
           body=_("%(body)s asks for the advice of %(adviser)s.") % {
               "body": asking.name, "adviser": adviser.name},
           url=(decision or key_issue).get_absolute_url())  # fmt: skip
    return request


@transaction.atomic
def advice_give(*, actor, request: AdviceRequest, version: int | None, advice: str,
                recommendation: str) -> AdviceRequest:  # fmt: skip
    """The advisory body's officers (or hub staff) record its advice."""
    require(actor, "governance.give_advice", request)
    if request.status != AdviceStatus.REQUESTED:
        raise ValidationError(_("This request was already answered."))
    errors: dict = {}
    if not (advice or "").strip():
        errors["advice"] = [_("Write the advice.")]
    if recommendation not in Recommendation.values:
        errors["recommendation"] = [_("Choose a recommendation.")]
    if errors:
        raise ValidationError(errors)
    request.advice, request.recommendation = advice.strip(), recommendation
    request.status, request.given_at, request.given_by = AdviceStatus.GIVEN, timezone.now(), actor
    request._history_user = actor
    save_versioned(request, expected_version=version)
    asking = request.decision.body if request.decision_id else request.key_issue.body
    officers = Seat.objects.current().filter(body=asking, role__in=("chair", "secretary"))
    from django.contrib.auth import get_user_model

    recipients = get_user_model().objects.filter(
        pk__in=[*officers.values_list("person__user", flat=True), request.requested_by_id]
    )
    subject = request.decision or request.key_issue
    notify(
        recipients=recipients,
        kind="governance.advice_given",
        title=_("Advice given: %(title)s") % {"title": subject.title},
        body=request.get_recommendation_display(),
        url=subject.get_absolute_url(),
    )
    return request


@transaction.atomic
def advice_decline(*, actor, request: AdviceRequest, version: int | None,
                   reason: str = "") -> AdviceRequest:  # fmt: skip
    require(actor, "governance.give_advice", request)
    if request.status != AdviceStatus.REQUESTED:
        raise ValidationError(_("This request was already answered."))
    request.status, request.given_at, request.given_by = (
        AdviceStatus.DECLINED, timezone.now(), actor)  # fmt: skip
    request.advice = (reason or "").strip()
    request._history_user = actor
    save_versioned(request, expected_version=version)
    return request
