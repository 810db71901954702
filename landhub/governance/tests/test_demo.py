"""The governance demo (``landhub seed-demo``): what a newcomer notices on the pages, once,
however often the command runs.

The whole demo is loaded (directory, coordination, MEL, governance): the plan's milestones
read the MEL demo's figures, and the seats the directory demo's core partners.
"""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from landhub.governance.demo import next_meeting_title
from landhub.governance.models import (
    ActionItem,
    AdviceRequest,
    Body,
    Decision,
    EvidenceLink,
    KeyIssue,
    Meeting,
    Minutes,
    Plan,
    PlanItem,
    Seat,
    Vote,
)

pytestmark = pytest.mark.django_db


def _client(email: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(email=email))
    return client


def _counts() -> dict[str, int]:
    models = (Body, Seat, KeyIssue, EvidenceLink, Meeting, Minutes, Decision, Vote,
              AdviceRequest, ActionItem, Plan, PlanItem)  # fmt: skip
    return {model.__name__: model.objects.count() for model in models}


def _text(response) -> str:
    """The page's text without tags and with spaces squeezed, to read like a user."""
    text = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(text))


def test_the_governance_demo_tells_a_year_of_the_steering_committee(capsys):
    call_command("seed_demo", "--if-empty")
    assert "Governance: 4 bodies" in capsys.readouterr().out
    today = timezone.localdate()
    sc = Body.objects.get(slug="steering-committee")

    # Six voting seats, one per core partner, the chair among them; alternates under three.
    voting = sc.seats.current().voting().select_related("organization", "person")
    assert sorted(s.organization.short_name for s in voting) == sorted(
        ["EP", "RA", "UNDP", "CI", "TM", "CL"])  # fmt: skip
    assert voting.get(role="chair").person.name == "Amina Otieno"
    alternates = {s.principal.person.name: s.person.name
                  for s in sc.seats.current().filter(role="alternate")
                  .select_related("principal__person", "person")}  # fmt: skip
    assert alternates["Sofia Seat"] == "Pablo Partner"
    assert {"Amina Otieno", "Carlos Restrepo"} <= set(alternates)
    assert sc.seats.get(role="secretary").person.user.email == "hana@demo.landhub.org"
    page = _text(_client("sofia@demo.landhub.org").get(sc.get_absolute_url()))
    for name in ("Amina Otieno", "Carlos Restrepo", "Meseret Kebede", "Kwame Mensah",
                 "Siti Rahayu", "Sofia Seat", "Pablo Partner"):  # fmt: skip
        assert name in page
    assert {b.slug for b in Body.objects.all()} >= {"llag", "finance-design-team",
                                                     "scaling-design-team"}  # fmt: skip
    assert Body.objects.get(slug="llag").advises == sc

    # The new members sign in with the demo password.
    carlos = get_user_model().objects.get(email="carlos@demo.landhub.org")
    assert carlos.check_password("landhub-demo")

    # Two past meetings with minutes — the first approved at the second and locked — and the
    # next meeting two weeks ahead with its agenda published.
    past = list(sc.meetings.filter(status="held").order_by("starts_at"))
    assert len(past) == 2 and all(m.starts_at.date() < today for m in past)
    first, second = past
    assert first.minutes.locked and first.minutes.approved_at_meeting == second
    assert second.minutes.status == "circulated"
    assert second.attendance.get(seat__person__name="Sofia Seat").represented_by.person.name == (
        "Pablo Partner")  # fmt: skip
    december = sc.meetings.get(title=next_meeting_title(today))
    assert december.status == "agenda" and december.agenda.count() == 2
    assert december.starts_at.date() == today + dt.timedelta(days=14)
    assert Meeting.objects.filter(body__slug="llag", status="held").exists()
    # Their history tells the story's dates, not the moment the demo was loaded.
    assert all(row.history_date.date() < today for row in first.history.all())

    # Key issues in different states, with evidence that opens.
    statuses = set(KeyIssue.objects.filter(body=sc).values_list("status", flat=True))
    assert {"raised", "deliberation", "decided", "closed"} <= statuses
    hana = _client("hana@demo.landhub.org")
    for link in EvidenceLink.objects.all():
        assert hana.get(link.path).status_code == 200, link.path

    # The grant: a vote with its tally, Carlos recused; pablo voted in sofia's place.
    grant = Decision.objects.get(title__startswith="Grant USD 250,000")
    assert (grant.status, grant.yes_votes, grant.no_votes, grant.abstentions) == (
        "adopted", 3, 1, 1)  # fmt: skip
    page = _text(_client("sofia@demo.landhub.org").get(grant.get_absolute_url()))
    assert "In favour 3" in page and "Against 1" in page and "Abstaining 1" in page
    assert "Carlos Restrepo" in page and "recused from the vote and the quorum" in page
    assert grant.votes.get(cast_by__person__name="Pablo Partner").seat.person.name == "Sofia Seat"
    # Consensus with the LLAG's advice beside it; a written procedure; an open vote.
    methods = {(d.method, d.meeting_id is None, d.status) for d in Decision.objects.all()}
    assert {("consensus", False, "adopted"), ("vote", True, "adopted"),
            ("vote", True, "voting")} <= methods  # fmt: skip
    advised = Decision.objects.get(advice__status="given")
    assert "support" in _text(hana.get(advised.get_absolute_url())).lower()
    public = _text(Client().get("/governance/decisions/public/"))
    assert "Ashanti cocoa agroforestry consortium" in public

    # sofia's overdue action is on her My hub; pablo's is due in three days.
    overdue = ActionItem.objects.get(owner__user__email="sofia@demo.landhub.org",
                                     status="open", due_on__lt=today)  # fmt: skip
    page = _text(_client("sofia@demo.landhub.org").get("/my/"))
    assert overdue.title in page and "1 overdue" in page
    assert ActionItem.objects.get(owner__user__email="pablo@demo.landhub.org").due_on == (
        today + dt.timedelta(days=3))  # fmt: skip
    assert ActionItem.objects.filter(status="done").count() >= 3

    # The plan of the year, adopted, with a milestone whose progress the MEL figures give.
    plan = Plan.objects.get(kind="strategic", year=today.year)
    assert plan.status == "adopted"
    assert plan.items.filter(level="milestone", indicator_links__isnull=False).distinct(
    ).count() >= 3  # fmt: skip
    page = hana.get(plan.get_absolute_url()).content.decode()
    assert 'data-progress-source="computed"' in page
    assert "Hectares under restoration:" in page  # the figure: "… of … at 2025"
    assert Plan.objects.get(kind="scaling").adopted_by_decision.status == "adopted"
    assert Decision.objects.filter(plan_items__plan=plan).exists()
    assert KeyIssue.objects.filter(plan_items__plan=plan).exists()

    # Notices: what is news today (the open vote, the next meeting, open actions), not
    # the past votes' "vote open" of weeks ago.
    from landhub.core.models import Notification

    sofia_notices = Notification.objects.filter(recipient__email="sofia@demo.landhub.org",
                                                kind__startswith="governance.")  # fmt: skip
    assert sofia_notices.filter(kind="governance.vote_open").count() == 1
    assert sofia_notices.filter(url=december.get_absolute_url()).exists()
    assert not Notification.objects.filter(url=grant.get_absolute_url()).exists()

    # Again: nothing new.
    before = _counts()
    call_command("seed_demo")
    assert _counts() == before
    assert "none new" in capsys.readouterr().out
