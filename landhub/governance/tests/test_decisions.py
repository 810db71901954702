"""Decisions and votes through the services: quorum with apologies and alternates, recusal,
thresholds, ties, votes after closing, a second vote by the same seat, written procedure,
advice — and the steering committee's one voting seat per core partner."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from landhub.core.models import Notification
from landhub.governance import services
from landhub.governance.models import (
    AgendaItem,
    Attendance,
    ConflictDeclaration,
    Decision,
    KeyIssue,
    Meeting,
)

pytestmark = pytest.mark.django_db
JAN = dt.date(2026, 1, 1)


def _meeting(gov, *, present=(), apologies=(), represented=None):
    start = timezone.now() - dt.timedelta(hours=1)
    meeting = Meeting.objects.create(body=gov.sc, title="SC meeting", starts_at=start,
                                     ends_at=start + dt.timedelta(hours=2))  # fmt: skip
    item = AgendaItem.objects.create(meeting=meeting, title="Budget 2027", kind="decision")
    for seat in present:
        Attendance.objects.create(meeting=meeting, seat=seat, status="present")
    for seat in apologies:
        Attendance.objects.create(meeting=meeting, seat=seat, status="apologies",
                                  represented_by=(represented or {}).get(seat.pk))  # fmt: skip
    return meeting, item


def _propose(gov, item=None, **extra):
    values = {"title": "Adopt the 2027 budget", "text": "The budget is adopted.",
              "method": "vote"}  # fmt: skip
    values.update(extra)
    return services.decision_propose(actor=gov.sam, body=gov.sc, agenda_item=item, **values)


def _open(gov, decision, hours=2):
    return services.vote_open(actor=gov.sam, decision=decision, version=decision.version,
                              closes_at=timezone.now() + dt.timedelta(hours=hours))  # fmt: skip


def _close(gov, decision, **extra):
    decision.refresh_from_db()
    return services.vote_close(actor=gov.sam, decision=decision, version=decision.version,
                               **extra)  # fmt: skip


def test_quorum_counts_apologies_and_an_alternate_attending(gov, world):
    seats = gov.seats
    # Three of six voting seats present, sofia sends apologies: no quorum (four needed).
    meeting, item = _meeting(gov, present=[seats.chair, *seats.members[:2]],
                             apologies=[seats.sofia])  # fmt: skip
    decision = _propose(gov, item)
    with pytest.raises(ValidationError, match="3 of 4"):
        _open(gov, decision)
    # Her alternate pablo attends in her place: four present, the vote opens.
    Attendance.objects.filter(meeting=meeting, seat=seats.sofia).update(
        represented_by=seats.pablo)  # fmt: skip
    _open(gov, decision)
    for user in (gov.chidi, world.pablo, *gov.members[:2]):
        services.vote_cast(actor=user, decision=decision, choice="yes")
    # sofia is absent: pablo's vote counts for her seat; she cannot vote as well.
    assert decision.votes.get(cast_by=seats.pablo).seat == seats.sofia
    with pytest.raises(PermissionDenied, match="recorded as present"):
        services.vote_cast(actor=gov.members[3], decision=decision, choice="no")  # not there
    result = _close(gov, decision)
    assert result.status == "adopted"
    assert (result.yes_votes, result.present_seats, result.quorum_required) == (4, 4, 4)
    assert result.key_issue is None and "4 in favour" in result.result_note


def test_an_alternate_does_not_vote_while_the_principal_attends(gov, world):
    seats = gov.seats
    meeting, item = _meeting(gov, present=[seats.chair, seats.sofia, *seats.members])
    decision = _propose(gov, item)
    _open(gov, decision)
    with pytest.raises(PermissionDenied, match="alternate only"):
        services.vote_cast(actor=world.pablo, decision=decision, choice="yes")
    services.vote_cast(actor=world.sofia, decision=decision, choice="yes")


def test_a_declared_conflict_recuses_from_the_vote_and_the_quorum(gov, world):
    seats = gov.seats
    # Four of six present; sofia declares a conflict on the item.
    meeting, item = _meeting(gov, present=[seats.chair, seats.sofia, *seats.members[:2]])
    ConflictDeclaration.objects.create(seat=seats.sofia, agenda_item=item,
                                       nature="Commonland would receive the grant.")  # fmt: skip
    decision = _propose(gov, item)
    _open(gov, decision)  # five seats count, three needed, three present (not four)
    with pytest.raises(ValidationError, match="conflict of interest"):
        services.vote_cast(actor=world.sofia, decision=decision, choice="yes")
    for user in (gov.chidi, *gov.members[:2]):
        services.vote_cast(actor=user, decision=decision, choice="yes")
    result = _close(gov, decision)
    assert (result.eligible_seats, result.present_seats, result.quorum_required) == (5, 3, 3)
    assert result.status == "adopted"


def test_a_tie_fails_unless_the_chair_has_a_casting_vote(gov, world):
    seats = gov.seats
    everyone = [seats.chair, seats.sofia, *seats.members]
    voters = [gov.chidi, world.sofia, *gov.members]
    for tie_rule, casting, expected in (("fails", "", "rejected"), ("chair", "yes", "adopted"),
                                        ("chair", "no", "rejected")):  # fmt: skip
        gov.sc.tie_rule = tie_rule
        gov.sc.save()
        meeting, item = _meeting(gov, present=everyone)
        decision = _propose(gov, item)
        _open(gov, decision)
        for user, choice in zip(voters, ["yes", "yes", "yes", "no", "no", "no"], strict=True):
            services.vote_cast(actor=user, decision=decision, choice=choice)
        result = _close(gov, decision, casting_vote=casting)
        assert result.status == expected, tie_rule
        assert result.casting_vote_used == bool(casting and tie_rule == "chair")


@pytest.mark.parametrize(("threshold", "base", "yes", "no", "adopted"), [
    ("majority", "cast", 3, 2, True),
    ("majority", "seats", 3, 0, False),  # three of six seats is not more than half
    ("two_thirds", "cast", 4, 2, True),
    ("two_thirds", "seats", 3, 0, False),
    ("unanimity", "cast", 4, 0, True),  # two abstain: every vote cast is yes
    ("unanimity", "seats", 5, 0, False),
])  # fmt: skip
def test_each_threshold(gov, world, threshold, base, yes, no, adopted):
    gov.sc.threshold_base = base
    gov.sc.save()
    meeting, item = _meeting(gov, present=[gov.seats.chair, gov.seats.sofia, *gov.seats.members])
    decision = _propose(gov, item, threshold=threshold)
    _open(gov, decision)
    voters = [gov.chidi, world.sofia, *gov.members]
    choices = ["yes"] * yes + ["no"] * no + ["abstain"] * (6 - yes - no)
    for user, choice in zip(voters, choices, strict=True):
        services.vote_cast(actor=user, decision=decision, choice=choice)
    assert (_close(gov, decision).status == "adopted") is adopted


def test_no_vote_after_closing_and_one_vote_per_seat(gov, world):
    meeting, item = _meeting(gov, present=[gov.seats.chair, gov.seats.sofia, *gov.seats.members])
    decision = _propose(gov, item)
    _open(gov, decision)
    services.vote_cast(actor=world.sofia, decision=decision, choice="yes", comment="Agreed.")
    with pytest.raises(ValidationError, match="already voted"):
        services.vote_cast(actor=world.sofia, decision=decision, choice="no")
    now = timezone.now()
    Decision.objects.filter(pk=decision.pk).update(
        opens_at=now - dt.timedelta(hours=1), closes_at=now - dt.timedelta(seconds=1)
    )
    with pytest.raises(ValidationError, match="closed at"):
        services.vote_cast(actor=gov.chidi, decision=decision, choice="yes")
    assert decision.votes.count() == 1
    # Someone with no seat on the body may not vote at all.
    with pytest.raises(PermissionDenied):
        services.vote_cast(actor=world.nora, decision=decision, choice="yes")


def test_written_procedure_quorum_is_participation_and_alternates_fill_in(gov, world):
    issue = KeyIssue.objects.create(body=gov.sc, title="Admit a seventh partner?",
                                    background="A request came in.")  # fmt: skip
    decision = _propose(gov, None, key_issue=issue)
    assert decision.by_written_procedure
    issue.refresh_from_db()
    assert issue.status == "deliberation"
    _open(gov, decision, hours=48)
    services.vote_cast(actor=world.pablo, decision=decision, choice="yes")  # for sofia
    with pytest.raises(ValidationError, match="already voted"):
        services.vote_cast(actor=world.sofia, decision=decision, choice="yes")  # pablo did
    services.vote_cast(actor=gov.chidi, decision=decision, choice="yes")
    services.vote_cast(actor=gov.members[0], decision=decision, choice="abstain")
    # Three of six took part: a majority (four) did not — not adopted, and it says why.
    early = _close(gov, decision)
    assert early.status == "rejected" and "No quorum: 3" in early.result_note
    second = _propose(gov, None, key_issue=issue)
    _open(gov, second, hours=48)
    for user in (world.sofia, gov.chidi, *gov.members[:2]):
        services.vote_cast(actor=user, decision=second, choice="yes")
    assert _close(gov, second).status == "adopted"
    issue.refresh_from_db()
    assert issue.status == "decided"


def test_due_votes_close_themselves_and_voters_are_reminded_once(gov, world):
    decision = _propose(gov, None)
    _open(gov, decision, hours=10)
    services.vote_cast(actor=gov.chidi, decision=decision, choice="yes")
    closed, reminded = services.votes_close_due()
    assert (closed, reminded) == (0, 1)
    reminders = Notification.objects.filter(kind="governance.vote_closing")
    assert world.sofia in [n.recipient for n in reminders]
    assert gov.chidi not in [n.recipient for n in reminders]  # voted already
    assert services.votes_close_due() == (0, 0)  # once
    closed, _ = services.votes_close_due(now=timezone.now() + dt.timedelta(hours=11))
    decision.refresh_from_db()
    assert closed == 1 and decision.status == "rejected"  # one of six took part


def test_consensus_and_the_chairs_decision(gov, world):
    meeting, item = _meeting(gov, present=[gov.seats.chair, gov.seats.sofia])
    decision = _propose(gov, item, method="consensus")
    with pytest.raises(ValidationError, match="No quorum"):
        services.decision_record(actor=gov.sam, decision=decision, version=decision.version,
                                 adopted=True)  # fmt: skip
    with pytest.raises(ValidationError, match="chair decide alone"):
        _propose(gov, item, method="chair")
    gov.sc.chair_may_decide = True
    gov.sc.save()
    chair = _propose(gov, None, method="chair")
    chair = services.decision_record(actor=gov.chidi, decision=chair, version=chair.version,
                                     adopted=True)  # fmt: skip
    assert chair.status == "adopted" and chair.result_note == "Decided by the chair."
    # Not a member's business: proposing needs an officer of the body or hub staff.
    with pytest.raises(PermissionDenied):
        services.decision_propose(actor=world.sofia, body=gov.sc, title="x", text="y",
                                  method="vote")  # fmt: skip


def test_advice_is_requested_from_the_llag_and_recorded(gov, world):
    issue = KeyIssue.objects.create(body=gov.sc, title="Landscape fee", background="…")
    request = services.advice_request_create(actor=gov.sam, adviser=gov.llag, key_issue=issue,
                                             question="Should landscapes pay a fee?")  # fmt: skip
    assert Notification.objects.filter(recipient=world.lena,
                                       kind="governance.advice_requested").exists()  # fmt: skip
    with pytest.raises(PermissionDenied):  # lena is a member, not an officer of the LLAG
        services.advice_give(actor=world.lena, request=request, version=request.version,
                             advice="No.", recommendation="oppose")  # fmt: skip
    llag_chair = gov.seats.llag_chair.person.user
    with pytest.raises(ValidationError) as refused:
        services.advice_give(actor=llag_chair, request=request, version=request.version,
                             advice=" ", recommendation="maybe")  # fmt: skip
    assert set(refused.value.message_dict) == {"advice", "recommendation"}
    services.advice_give(actor=llag_chair, request=request, version=request.version,
                         advice="Not in the first year.", recommendation="oppose")  # fmt: skip
    assert Notification.objects.filter(recipient=gov.sam, kind="governance.advice_given").exists()
    with pytest.raises(ValidationError, match="already answered"):
        request.refresh_from_db()
        services.advice_decline(actor=llag_chair, request=request, version=request.version)


def test_one_voting_seat_per_core_partner(gov, world):
    from landhub.directory import factories as f

    hana = world.hana
    newcomer = f.PersonFactory(name="Seventh Person")
    # A second voting seat for Commonland Test (sofia holds one) is refused, with the reason.
    with pytest.raises(ValidationError, match="already holds a voting seat"):
        services.seat_create(actor=hana, body=gov.sc, person=newcomer, role="voting",
                             organization=world.core_org, term_start=JAN)  # fmt: skip
    # An organization that is not a core partner holds no voting seat on this body.
    with pytest.raises(ValidationError, match="represents a core partner"):
        services.seat_create(actor=hana, body=gov.sc, person=newcomer, role="voting",
                             organization=world.other_org, term_start=JAN)  # fmt: skip
    # An alternate is welcome; and when sofia's term ends, someone else may take the seat.
    services.seat_create(actor=hana, body=gov.sc, person=newcomer, role="alternate",
                         organization=world.core_org, principal=gov.seats.sofia,
                         term_start=dt.date(2026, 1, 1))  # fmt: skip
    services.seat_end(actor=hana, seat=gov.seats.sofia, version=gov.seats.sofia.version,
                      term_end=dt.date(2026, 6, 30))  # fmt: skip
    successor = services.seat_create(actor=hana, body=gov.sc, person=newcomer, role="voting",
                                      organization=world.core_org,
                                      term_start=dt.date(2026, 7, 1))  # fmt: skip
    assert successor.pk and gov.seats.pablo.alternates.count() == 0
    gov.seats.pablo.refresh_from_db()
    assert gov.seats.pablo.term_end == dt.date(2026, 6, 30)  # ended with its principal
    # Only hub staff fill seats.
    with pytest.raises(PermissionDenied):
        services.seat_create(actor=gov.chidi, body=gov.sc, person=newcomer, role="observer",
                             term_start=dt.date(2026, 1, 1))  # fmt: skip
