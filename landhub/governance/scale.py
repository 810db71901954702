"""Synthetic governance data for the benchmark (issue 7), added by ``generate-scale``.

Always the steering committee (six core-partner seats with alternates, a secretary) and the
LLAG; per scale unit (1,000 landscapes): 10 design teams and working groups, 2,000 key issues,
600 meetings with four agenda items and the attendance of every voting seat, 2,000 decisions
(half at meetings, half by written procedure) with their votes, 4,000 action items (some
overdue), and a strategic plan per year 2024–2026 and a scaling strategy for 2025–2026, each
with 3 goals × 4 objectives × 5 milestones, a milestone in four tied to a MEL indicator.

The benchmark's member (``bench-member@scale.example``) holds the Commonland seat of the
steering committee and a seat on every tenth team, so the pages show a member's view.

Written with ``bulk_create``: no history rows, no notifications (load, not an audit trail).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from .models import (
    ActionItem,
    AgendaItem,
    Attendance,
    Body,
    Decision,
    KeyIssue,
    Meeting,
    MilestoneIndicator,
    Plan,
    PlanItem,
    Seat,
    Vote,
)

PER_SCALE = {"teams": 10, "issues": 2000, "meetings": 600, "decisions": 2000, "actions": 4000}
TITLE_PREFIX = "Scale "
START = dt.date(2019, 1, 1)
BATCH = 2000
MEMBER_EMAIL = "bench-member@scale.example"


def counts(scale: float) -> dict[str, int]:
    return {key: max(1, round(n * scale)) for key, n in PER_SCALE.items()}


def _person_for(user):
    from landhub.directory.models import Person

    person = Person.objects.filter(user=user).first()
    return person or Person.objects.create(name="Bench Member", email=user.email, user=user)


def generate(scale: float, *, seed: int = 1000, report: Callable[[str], None] = print) -> dict:
    """Add the synthetic governance records; returns the counts written."""
    from landhub.directory.models import CORE_PARTNER_KIND, Organization, Person
    from landhub.directory.scale import PREFIX, bench_user
    from landhub.mel.models import Indicator

    people = list(Person.objects.filter(name__startswith=PREFIX).values_list("pk", flat=True)
                  [:20_000])  # fmt: skip
    if not people:
        return {}
    if Body.objects.filter(name__startswith=TITLE_PREFIX).exists():
        raise ValueError("This database already has synthetic bodies.")
    rng = random.Random(seed + 7)
    n = counts(scale)
    core = list(Organization.objects.filter(kind__slug=CORE_PARTNER_KIND)
                .values_list("pk", flat=True)[:6])  # fmt: skip
    organizations = list(Organization.objects.filter(name__startswith=PREFIX)
                         .values_list("pk", flat=True)[:5000])  # fmt: skip
    while len(core) < 6 and organizations:
        core.append(organizations[len(core)])
    member = _person_for(bench_user(MEMBER_EMAIL)).pk
    indicators = list(Indicator.objects.values_list("pk", flat=True)[:300])
    today = timezone.localdate()
    with transaction.atomic():
        bodies = _bodies(n["teams"])
        seats = _seats(rng, bodies, core, organizations, people, member)
        report(f"  governance bodies: {len(bodies):,}; seats: {sum(map(len, seats.values())):,}")
        issues = _issues(rng, n["issues"], bodies)
        meetings, items = _meetings(rng, n["meetings"], bodies, seats, issues, today)
        report(f"  governance key issues: {len(issues):,}; meetings: {len(meetings):,}")
        decisions = _decisions(rng, n["decisions"], bodies, seats, items, issues)
        _actions(rng, n["actions"], bodies, decisions, people, member, today)
        report(f"  governance decisions: {len(decisions):,}; actions: {n['actions']:,}")
        plan_items = _plans(rng, bodies[0], people, organizations, indicators)
        report(f"  governance plans: 5 with {plan_items:,} items")
    return {"bodies": len(bodies), "issues": len(issues), "meetings": len(meetings),
            "decisions": len(decisions), "actions": n["actions"]}  # fmt: skip


def _bodies(teams: int) -> list[Body]:
    rows = [
        Body(name=f"{TITLE_PREFIX}Steering Committee", slug="scale-steering-committee",
             kind="steering", mandate="Guides the initiative (synthetic).",
             records_access="public", one_seat_per_core_partner=True),
        Body(name=f"{TITLE_PREFIX}Landscape Leaders Advisory Group", slug="scale-llag",
             kind="advisory", mandate="Advises the steering committee (synthetic).",
             records_access="network"),
    ]  # fmt: skip
    for i in range(teams):
        rows.append(Body(
            name=f"{TITLE_PREFIX}Team {i:04d}", slug=f"scale-team-{i:04d}",
            kind="design_team" if i % 2 else "working_group",
            mandate="A synthetic design team.",
            records_access=("members", "network", "public")[i % 3],
        ))  # fmt: skip
    bodies = Body.objects.bulk_create(rows)
    bodies[1].advises = bodies[0]
    bodies[1].save(update_fields=["advises"])
    return bodies


def _seats(rng, bodies, core, organizations, people, member) -> dict[int, list[Seat]]:
    seats: dict[int, list[Seat]] = {}
    rows = []
    for index, body in enumerate(bodies):
        if index == 0:  # the steering committee: one voting seat per core partner
            holders = [member] + rng.sample(people, 6)
            body_rows = [Seat(body=body, person_id=holders[i], organization_id=core[i],
                              role="chair" if i == 1 else "voting", term_start=START)
                         for i in range(6)]  # fmt: skip
            body_rows.append(Seat(body=body, person_id=holders[6], role="secretary",
                                  term_start=START))  # fmt: skip
        else:
            holders = rng.sample(people, 8)
            if index % 10 == 2:
                holders[0] = member
            body_rows = [Seat(body=body, person_id=p, role="chair" if i == 0 else "voting",
                              organization_id=rng.choice(organizations or [None]),
                              term_start=START) for i, p in enumerate(holders)]  # fmt: skip
        seats[body.pk] = body_rows
        rows += body_rows
    Seat.objects.bulk_create(rows, batch_size=BATCH)
    sc = seats[bodies[0].pk]
    alternates = [Seat(body=bodies[0], person_id=rng.choice(people), role="alternate",
                       organization_id=s.organization_id, principal=s, term_start=START)
                  for s in sc if s.role in ("chair", "voting")]  # fmt: skip
    Seat.objects.bulk_create(alternates)
    return seats


def _issues(rng, count, bodies) -> list[KeyIssue]:
    statuses = ["raised", "scheduled", "deliberation", "decided", "closed"]
    rows = [KeyIssue(body=rng.choice(bodies), title=f"{TITLE_PREFIX}issue {i:06d} synthetic",
                     background="Synthetic background of a key issue.",
                     options="Option A or option B.", urgency=rng.choice(
                         ["low", "normal", "normal", "high", "urgent"]),
                     status=rng.choice(statuses), confidential=i % 10 == 0)
            for i in range(count)]  # fmt: skip
    return KeyIssue.objects.bulk_create(rows, batch_size=BATCH)


def _meetings(rng, count, bodies, seats, issues, today):
    days = (today - START).days + 180
    rows = []
    for i in range(count):
        starts = timezone.make_aware(dt.datetime.combine(
            START + dt.timedelta(days=rng.randrange(days)), dt.time(12, 0)), dt.UTC)  # fmt: skip
        held = starts.date() < today
        rows.append(Meeting(body=bodies[i % len(bodies)], title=f"{TITLE_PREFIX}meeting {i:05d}",
                            starts_at=starts, ends_at=starts + dt.timedelta(hours=2),
                            time_zone="Europe/Amsterdam", status="held" if held else "agenda",
                            video_url="https://example.org/call"))  # fmt: skip
    meetings = Meeting.objects.bulk_create(rows, batch_size=BATCH)
    by_body: dict[int, list[KeyIssue]] = {}
    for issue in issues:
        by_body.setdefault(issue.body_id, []).append(issue)
    items, attendance = [], []
    for meeting in meetings:
        pool = by_body.get(meeting.body_id, [])
        for position in range(4):
            issue = rng.choice(pool) if pool and position < 2 else None
            items.append(AgendaItem(meeting=meeting, position=position,
                                    title=f"{TITLE_PREFIX}item {position + 1}", key_issue=issue,
                                    kind="decision" if position < 2 else "discussion",
                                    minutes_allotted=20))  # fmt: skip
        if meeting.status == "held":
            for seat in seats[meeting.body_id]:
                if seat.role in ("chair", "voting"):
                    attendance.append(Attendance(meeting=meeting, seat=seat, status=rng.choice(
                        ["present", "present", "present", "apologies"])))  # fmt: skip
    items = AgendaItem.objects.bulk_create(items, batch_size=BATCH)
    Attendance.objects.bulk_create(attendance, batch_size=BATCH)
    return meetings, items


def _decisions(rng, count, bodies, seats, items, issues) -> list[Decision]:
    decision_items = [item for item in items if item.kind == "decision"]
    rows = []
    now = timezone.now()
    for i in range(count):
        item = rng.choice(decision_items) if i % 2 == 0 and decision_items else None
        body = item.meeting.body if item is not None else rng.choice(bodies)
        decided = now - dt.timedelta(days=rng.randrange(2000))
        rows.append(Decision(
            body=body, meeting=item.meeting if item else None, agenda_item=item,
            key_issue=item.key_issue if item else None,
            title=f"{TITLE_PREFIX}decision {i:06d} synthetic", text="The synthetic proposal.",
            rationale="Because the evidence says so.", method="vote", threshold="majority",
            threshold_base="cast", tie_rule="fails", status=rng.choice(
                ["adopted", "adopted", "adopted", "rejected"]),
            decided_at=decided, opens_at=decided - dt.timedelta(days=7), closes_at=decided,
            yes_votes=5, no_votes=1, eligible_seats=6, present_seats=6, quorum_required=4,
            result_note="5 in favour, 1 against, 0 abstaining: 4 in favour were needed.",
            public_summary="A synthetic public summary." if i % 3 == 0 else "",
            confidential=i % 20 == 0,
        ))  # fmt: skip
    decisions = Decision.objects.bulk_create(rows, batch_size=BATCH)
    votes = []
    for decision in decisions:
        voting = [s for s in seats[decision.body_id] if s.role in ("chair", "voting")]
        for k, seat in enumerate(voting[:6]):
            votes.append(Vote(decision=decision, seat=seat, cast_by=seat,
                              choice="no" if k == 5 else "yes"))  # fmt: skip
    Vote.objects.bulk_create(votes, batch_size=BATCH)
    return decisions


def _actions(rng, count, bodies, decisions, people, member, today) -> None:
    rows = []
    for i in range(count):
        decision = rng.choice(decisions)
        due = today + dt.timedelta(days=rng.randrange(-200, 200))
        status = "done" if due < today and i % 3 else rng.choice(["open", "in_progress"])
        rows.append(ActionItem(body_id=decision.body_id, decision=decision,
                               title=f"{TITLE_PREFIX}action {i:06d}",
                               owner_id=member if i % 50 == 0 else rng.choice(people),
                               due_on=due, status=status))  # fmt: skip
    ActionItem.objects.bulk_create(rows, batch_size=BATCH)


def _plans(rng, body, people, organizations, indicators) -> int:
    written = 0
    plans = [("strategic", year) for year in (2024, 2025, 2026)] + [
        ("scaling", year) for year in (2025, 2026)]  # fmt: skip
    previous = {}
    for kind, year in plans:
        name = "strategic plan" if kind == "strategic" else "scaling strategy"
        plan = Plan.objects.create(
            kind=kind, year=year, body=body, previous=previous.get(kind),
            title=f"{TITLE_PREFIX}{name}", status="adopted" if year == 2026 else "superseded",
        )  # fmt: skip
        previous[kind] = plan
        links = []
        for g in range(3):
            goal = PlanItem.objects.create(plan=plan, level="goal", position=g, code=f"{g + 1}",
                                           title=f"{TITLE_PREFIX}goal {g + 1}")  # fmt: skip
            objectives = PlanItem.objects.bulk_create([
                PlanItem(plan=plan, parent=goal, level="objective", position=o,
                         code=f"{g + 1}.{o + 1}", title=f"{TITLE_PREFIX}objective {g + 1}.{o + 1}",
                         owner_organization_id=rng.choice(organizations or [None]))
                for o in range(4)])  # fmt: skip
            for objective in objectives:
                milestones = PlanItem.objects.bulk_create([
                    PlanItem(plan=plan, parent=objective, level="milestone", position=m,
                             code=f"{objective.code}.{m + 1}",
                             title=f"{TITLE_PREFIX}milestone {objective.code}.{m + 1}",
                             owner_id=rng.choice(people),
                             target_on=dt.date(year, 1 + (m * 2) % 12, 28),
                             progress=rng.randrange(0, 101, 5), status="on_track")
                    for m in range(5)])  # fmt: skip
                written += len(milestones) + 1
                if indicators:
                    links += [MilestoneIndicator(item=m, indicator_id=rng.choice(indicators))
                              for m in milestones[::4]]  # fmt: skip
            written += 1
        MilestoneIndicator.objects.bulk_create(links)
    return written
