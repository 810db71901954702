"""Decisions, the pages: voting on the decision page (own seat, an alternate for an absent
principal, a recused member, a second vote, after closing), closing with the chair's casting
vote on a tie, the record with its tally and recusals, advice beside the decision, the
public summaries, proposing and editing, the register with its filters and exports, the
panels of a body's and a meeting's page, and what each page costs in queries."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

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


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def text(response) -> str:
    return html.unescape(response.content.decode())


def meeting_with(gov, *, present=(), apologies=(), represented=None):
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


def everyone(gov):
    return [gov.seats.chair, gov.seats.sofia, *gov.seats.members]


def open_vote(gov, item=None, hours=2, **extra):
    values = {"title": "Adopt the 2027 budget", "text": "The budget is **adopted**.",
              "method": "vote"}  # fmt: skip
    values.update(extra)
    decision = services.decision_propose(actor=gov.sam, body=gov.sc, agenda_item=item, **values)
    return services.vote_open(actor=gov.sam, decision=decision, version=decision.version,
                              closes_at=timezone.now() + dt.timedelta(hours=hours))  # fmt: skip


def vote_url(decision):
    return reverse("governance:decision_vote", args=[decision.pk])


def test_a_member_votes_on_the_page_and_sees_on_which_seat(gov, world, client_for):
    _meeting, item = meeting_with(gov, present=everyone(gov))
    decision = open_vote(gov, item)
    sofia = client_for("sofia")
    page = text(sofia.get(decision.get_absolute_url()))
    assert "You vote on Sofia's seat." in page and 'name="choice"' in page
    assert "<strong>adopted</strong>" in page  # the text is Markdown
    done = sofia.post(vote_url(decision), {"choice": "yes", "comment": "Good budget."})
    assert done.status_code == 302
    page = text(sofia.get(decision.get_absolute_url()))
    assert "You voted yes on Sofia's seat." in page and "Good budget." in page
    assert 'name="choice"' not in page
    assert "Your seat has voted; each seat votes once." in page
    assert "1 seat has voted so far." in page
    # The votes per seat are for the body's members and hub staff, not the network.
    assert 'id="votes"' in page
    nora_page = text(client_for("nora").get(decision.get_absolute_url()))
    assert 'id="votes"' not in nora_page and "Good budget." not in nora_page
    assert "You hold no voting seat on this body." in nora_page


def test_the_vote_through_htmx_answers_with_the_panel(gov, world, client_for):
    _meeting, item = meeting_with(gov, present=everyone(gov))
    decision = open_vote(gov, item)
    response = client_for("sofia").post(vote_url(decision), {"choice": "no"},
                                        HTTP_HX_REQUEST="true")  # fmt: skip
    body = text(response)
    assert response.status_code == 200 and "<html" not in body
    assert "You voted no on Sofia's seat." in body


def test_an_alternate_attending_votes_for_the_absent_principal(gov, world, client_for):
    seats = gov.seats
    _meeting, item = meeting_with(gov, present=[seats.chair, *seats.members],
                                  apologies=[seats.sofia],
                                  represented={seats.sofia.pk: seats.pablo})  # fmt: skip
    decision = open_vote(gov, item)
    pablo = client_for("pablo")
    page = text(pablo.get(decision.get_absolute_url()))
    assert "You vote on Sofia's seat, as their alternate: they are absent." in page
    assert pablo.post(vote_url(decision), {"choice": "yes"}).status_code == 302
    assert "You voted yes on Sofia's seat, as alternate." in text(
        pablo.get(decision.get_absolute_url()))  # fmt: skip
    # Sofia, absent, reads who voted for her seat and cannot vote herself.
    sofia_page = text(client_for("sofia").get(decision.get_absolute_url()))
    assert "Your alternate Pablo voted yes on your seat." in sofia_page
    assert 'name="choice"' not in sofia_page
    vote = decision.votes.get()
    assert (vote.seat, vote.cast_by) == (seats.sofia, seats.pablo)


def test_a_principal_present_leaves_the_alternate_without_a_vote(gov, world, client_for):
    _meeting, item = meeting_with(gov, present=everyone(gov))
    decision = open_vote(gov, item)
    page = text(client_for("pablo").get(decision.get_absolute_url()))
    assert "An alternate votes only in place of an absent member" in page
    refused = client_for("pablo").post(vote_url(decision), {"choice": "yes"})
    assert refused.status_code == 403 and "alternate only" in text(refused)
    assert not decision.votes.exists()


def test_a_member_not_recorded_present_is_told_why(gov, world, client_for):
    _meeting, item = meeting_with(gov, present=[gov.seats.chair, *gov.seats.members])
    decision = open_vote(gov, item)
    page = text(client_for("sofia").get(decision.get_absolute_url()))
    assert "You are not recorded as present at the meeting" in page


def test_a_recused_member_sees_why_they_cannot_vote(gov, world, client_for):
    seats = gov.seats
    _meeting, item = meeting_with(gov, present=everyone(gov))
    ConflictDeclaration.objects.create(seat=seats.sofia, agenda_item=item,
                                       nature="Commonland would receive the grant.")  # fmt: skip
    decision = open_vote(gov, item)
    sofia = client_for("sofia")
    page = text(sofia.get(decision.get_absolute_url()))
    assert "A conflict of interest was declared for this seat on this item: it does not vote." \
        in page  # fmt: skip
    assert 'name="choice"' not in page
    assert "Commonland would receive the grant." in page  # the recusal on the record
    refused = sofia.post(vote_url(decision), {"choice": "yes"})
    assert refused.status_code == 400 and "conflict of interest" in text(refused)


def test_a_second_vote_and_a_vote_after_closing_get_a_message(gov, world, client_for):
    _meeting, item = meeting_with(gov, present=everyone(gov))
    decision = open_vote(gov, item)
    sofia = client_for("sofia")
    assert sofia.post(vote_url(decision), {"choice": "yes"}).status_code == 302
    again = sofia.post(vote_url(decision), {"choice": "no"})
    assert again.status_code == 400
    assert "This seat has already voted; each seat votes once." in text(again)
    nonsense = client_for("sofia").post(vote_url(decision), {"choice": "maybe"})
    assert nonsense.status_code == 400
    now = timezone.now()
    Decision.objects.filter(pk=decision.pk).update(
        opens_at=now - dt.timedelta(hours=2), closes_at=now - dt.timedelta(minutes=1)
    )
    chidi = signed_in(gov.chidi)
    page = text(chidi.get(decision.get_absolute_url()))
    assert "The vote is closed." in page and 'name="choice"' not in page
    late = chidi.post(vote_url(decision), {"choice": "yes"})
    assert late.status_code == 400 and "This vote closed at" in text(late)
    assert decision.votes.count() == 1


def _tie(gov, world, item):
    decision = open_vote(gov, item)
    voters = [gov.chidi, world.sofia, *gov.members]
    for user, choice in zip(voters, ["yes", "yes", "yes", "no", "no", "no"], strict=True):
        services.vote_cast(actor=user, decision=decision, choice=choice)
    return decision


def test_the_casting_vote_is_asked_only_on_a_tie_under_the_chair_rule(gov, world, client_for):
    hana = client_for("hana")
    _meeting, item = meeting_with(gov, present=everyone(gov))
    fails = _tie(gov, world, item)  # the body's rule: a tie fails
    page = text(hana.get(fails.get_absolute_url()))
    assert "The votes are tied." in page and "The chair's casting vote" not in page
    gov.sc.tie_rule = "chair"
    gov.sc.save()
    not_a_tie = open_vote(gov, item)
    services.vote_cast(actor=world.sofia, decision=not_a_tie, choice="yes")
    assert "The chair's casting vote" not in text(hana.get(not_a_tie.get_absolute_url()))
    tie = _tie(gov, world, item)
    page = text(hana.get(tie.get_absolute_url()))
    assert "The chair's casting vote" in page
    close = reverse("governance:decision_close", args=[tie.pk])
    missing = hana.post(close, {"version": tie.version})
    assert missing.status_code == 400 and "This field is required." in text(missing)
    assert hana.post(close, {"version": tie.version, "casting_vote": "yes"}).status_code == 302
    tie.refresh_from_db()
    assert tie.status == "adopted" and tie.casting_vote_used
    page = text(hana.get(tie.get_absolute_url()))
    assert "The chair's casting vote decided a tie." in page
    assert "a tie, decided by the chair's casting vote in favour" in page
    # Closed early by the officer: the page says when it closed, not when it would have.
    assert ", closed " in page and ", closes " not in page
    assert ", closes " in text(hana.get(not_a_tie.get_absolute_url()))


def test_the_record_shows_the_tally_recusals_and_rules(gov, world, client_for):
    seats = gov.seats
    _meeting, item = meeting_with(gov, present=[seats.chair, seats.sofia, *seats.members[:2]])
    ConflictDeclaration.objects.create(seat=seats.sofia, agenda_item=item,
                                       nature="Commonland would receive the grant.")  # fmt: skip
    decision = open_vote(gov, item)
    for user in (gov.chidi, *gov.members[:2]):
        services.vote_cast(actor=user, decision=decision, choice="yes")
    hana = client_for("hana")
    closed = hana.post(reverse("governance:decision_close", args=[decision.pk]),
                       {"version": decision.version})  # fmt: skip
    assert closed.status_code == 302
    page = text(client_for("nora").get(decision.get_absolute_url()))
    for words in ("In favour", "Eligible voting seats", "Quorum needed",
                  "3 in favour, 0 against, 0 abstaining: 2 in favour were needed.",
                  "Threshold: Simple majority (more than half).",
                  "Ties: a tie fails, the proposal is not adopted.",
                  "Sofia", "Commonland would receive the grant.",
                  "recused from the vote and the quorum"):  # fmt: skip
        assert words in page, words
    decision.refresh_from_db()
    assert (decision.eligible_seats, decision.present_seats, decision.quorum_required) == (5, 3, 3)


def test_advice_is_asked_given_and_shown_beside_the_decision(gov, world, client_for):
    hana = client_for("hana")
    decision = services.decision_propose(actor=gov.sam, body=gov.sc, title="Landscape fee",
                                         text="Landscapes pay a fee.", method="vote")  # fmt: skip
    form = text(hana.get(reverse("governance:advice_create"), {"decision": decision.pk}))
    # The bodies that advise the steering committee come first, and are chosen.
    assert form.index("Landscape Leaders Advisory Group") < form.index("Finance Design Team")
    assert f'<option value="{gov.llag.pk}" selected>' in form
    asked = hana.post(f"{reverse('governance:advice_create')}?decision={decision.pk}",
                      {"adviser": gov.llag.pk, "question": "Should landscapes pay?"})  # fmt: skip
    assert asked.status_code == 302
    request = decision.advice.get()
    # The LLAG's list of requests; lena (a member) reads it, its chair answers.
    listing = text(client_for("lena").get(reverse("governance:body_advice", args=["llag"])))
    assert "Landscape fee" in listing and "Requested" in listing
    assert "Record the body's advice" not in text(
        client_for("lena").get(reverse("governance:advice_detail", args=[request.pk])))  # fmt: skip
    chair = signed_in(gov.seats.llag_chair.person.user)
    give = reverse("governance:advice_give", args=[request.pk])
    bad = chair.post(give, {"recommendation": "", "advice": "", "version": request.version})
    assert bad.status_code == 400
    done = chair.post(give, {"recommendation": "support_changes", "advice": "Only after year one.",
                             "version": request.version})  # fmt: skip
    assert done.status_code == 302 and done.url == decision.get_absolute_url()
    page = text(client_for("sofia").get(decision.get_absolute_url()))
    assert "Landscape Leaders Advisory Group" in page and "Support with changes" in page
    assert "Only after year one." in page
    again = chair.post(reverse("governance:advice_decline", args=[request.pk]),
                       {"version": request.version + 1})  # fmt: skip
    assert again.status_code == 400 and "already answered" in text(again)
    # On a confidential decision the request is for the deciding body's members and the
    # advisory body's (who must read the question), not for the network.
    Decision.objects.filter(pk=decision.pk).update(confidential=True)
    detail = reverse("governance:advice_detail", args=[request.pk])
    assert client_for("oscar").get(detail).status_code == 404
    assert client_for("lena").get(detail).status_code == 200


def _adopted(gov, body, title, *, summary, confidential=False):
    decision = services.decision_propose(actor=gov.sam if body == gov.sc else gov.chidi,
                                         body=body, title=title, text=f"Full text of {title}.",
                                         rationale="Internal reasons.", method="consensus",
                                         public_summary=summary,
                                         confidential=confidential)  # fmt: skip
    return services.decision_record(actor=gov.chidi, decision=decision,
                                    version=decision.version, adopted=True)  # fmt: skip


def test_public_summaries_show_only_the_summary(gov, world, client_for):
    _adopted(gov, gov.sc, "Open the 1000L call", summary="The call for landscapes opens.")
    _adopted(gov, gov.sc, "Staff matter", summary="Secret summary.", confidential=True)
    _adopted(gov, gov.team, "Finance design", summary="Team summary.")
    _adopted(gov, gov.sc, "No summary given", summary="")
    page = text(client_for("anonymous").get(reverse("governance:decision_public")))
    assert "Open the 1000L call" in page and "The call for landscapes opens." in page
    assert "Full text of" not in page and "Internal reasons." not in page
    for hidden in ("Staff matter", "Secret summary.", "Finance design", "No summary given"):
        assert hidden not in page
    assert "1 decision" in page
    partial = client_for("anonymous").get(
        reverse("governance:decision_public"), {"q": "nothing like it"}, HTTP_HX_REQUEST="true"
    )
    assert "<html" not in text(partial) and "No public summary yet." in text(partial)


def test_propose_edit_and_open_a_vote_through_the_pages(gov, world, client_for):
    hana = client_for("hana")
    _meeting, item = meeting_with(gov, present=everyone(gov))
    create = f"{reverse('governance:decision_create')}?agenda_item={item.pk}"
    form = text(hana.get(create))
    assert "Budget 2027" in form and "Chair's decision" not in form  # the rules forbid it
    assert '<option value="majority" selected>' in form  # the body's threshold
    refused = hana.post(create, {"title": "", "text": "", "method": "chair"})
    assert refused.status_code == 400 and "This field is required." in text(refused)
    done = hana.post(create, {"title": "Budget 2027", "text": "Adopted.", "method": "vote",
                              "threshold": "two_thirds"})  # fmt: skip
    decision = Decision.objects.get(title="Budget 2027")
    assert done.status_code == 302 and decision.agenda_item == item
    assert decision.threshold == "two_thirds" and decision.meeting == item.meeting
    edit = reverse("governance:decision_edit", args=[decision.pk])
    data = {"title": "Budget 2027 (revised)", "text": "Adopted as revised.", "method": "vote",
            "threshold": "majority", "version": decision.version}  # fmt: skip
    assert hana.post(edit, data).status_code == 302
    stale = hana.post(edit, {**data, "title": "Someone else's"})
    assert stale.status_code == 409 and "Someone else saved this decision" in text(stale)
    # Sofia is a member, not an officer: she may not propose or edit.
    assert client_for("sofia").get(create).status_code == 403
    assert client_for("sofia").get(edit).status_code == 403
    # The closing time is typed in the officer's own zone and stored in UTC.
    world.hana.timezone = "Asia/Tokyo"
    world.hana.save()
    decision.refresh_from_db()
    tomorrow = timezone.localdate() + dt.timedelta(days=2)
    opened = hana.post(reverse("governance:decision_open", args=[decision.pk]),
                       {"closes_at": f"{tomorrow.isoformat()}T18:00",
                        "version": decision.version})  # fmt: skip
    assert opened.status_code == 302
    decision.refresh_from_db()
    assert decision.status == "voting"
    assert decision.closes_at == dt.datetime.combine(tomorrow, dt.time(9, 0), tzinfo=dt.UTC)
    page = text(hana.get(decision.get_absolute_url()))
    assert "Asia/Tokyo" in page
    past = hana.post(reverse("governance:decision_open", args=[decision.pk]),
                     {"closes_at": "2020-01-01T10:00", "version": decision.version})  # fmt: skip
    assert past.status_code == 400


def test_consensus_is_recorded_and_a_decision_withdrawn(gov, world, client_for):
    hana = client_for("hana")
    _meeting, item = meeting_with(gov, present=everyone(gov))
    decision = services.decision_propose(actor=gov.sam, body=gov.sc, agenda_item=item,
                                         title="Adopt the charter", text="Adopted.",
                                         method="consensus")  # fmt: skip
    page = text(hana.get(decision.get_absolute_url()))
    assert "Record the consensus" in page and "Open the vote" not in page
    done = hana.post(reverse("governance:decision_record", args=[decision.pk]),
                     {"adopted": "1", "version": decision.version})  # fmt: skip
    assert done.status_code == 302
    page = text(hana.get(decision.get_absolute_url()))
    assert "Adopted by consensus." in page and "6 of 6 voting seats present; quorum 4." in page
    other = services.decision_propose(actor=gov.sam, body=gov.sc, title="Withdraw me",
                                      text="x", method="vote")  # fmt: skip
    withdraw = reverse("governance:decision_withdraw", args=[other.pk])
    assert client_for("sofia").post(withdraw, {"version": other.version}).status_code == 403
    assert hana.post(withdraw, {"version": other.version}).status_code == 302
    other.refresh_from_db()
    assert other.status == "withdrawn"


def test_a_member_declares_a_conflict_on_a_written_procedure(gov, world, client_for):
    decision = open_vote(gov, None, hours=48)
    sofia = client_for("sofia")
    url = reverse("governance:decision_conflict", args=[decision.pk])
    empty = sofia.post(url, {"nature": ""})
    assert empty.status_code == 400
    assert sofia.post(url, {"nature": "I chair the grantee's board."}).status_code == 302
    page = text(sofia.get(decision.get_absolute_url()))
    assert "I chair the grantee's board." in page
    assert "A conflict of interest was declared for this seat" in page
    twice = sofia.post(url, {"nature": "Again."})
    assert twice.status_code == 400 and "already declared" in text(twice)
    # Pablo, her alternate, may not vote for the recused seat either.
    assert client_for("pablo").post(vote_url(decision), {"choice": "yes"}).status_code == 400
    # Someone with no seat has nothing to recuse.
    assert client_for("nora").post(url, {"nature": "x"}).status_code == 403


def _csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


def test_the_register_filters_sorts_and_exports(gov, world, client_for):
    issue = KeyIssue.objects.create(body=gov.sc, title="Admit a seventh partner?",
                                    background="…")  # fmt: skip
    _adopted(gov, gov.sc, "Open the 1000L call", summary="")
    _adopted(gov, gov.team, "Finance design", summary="")
    services.decision_propose(actor=gov.sam, body=gov.sc, title="Seventh partner",
                              text="Admit them.", method="vote", key_issue=issue)  # fmt: skip
    sofia = client_for("sofia")
    url = reverse("governance:decision_list")
    page = text(sofia.get(url))
    assert "3 decisions" in page and "Finance design" in page
    nora = text(client_for("nora").get(url))
    assert "2 decisions" in nora and "Finance design" not in nora  # members only
    only = text(sofia.get(url, {"status": "proposed"}))
    assert "1 decision" in only and "Seventh partner" in only
    assert "Seventh partner" in text(sofia.get(url, {"issue": issue.pk}))
    assert "0 decisions" in text(sofia.get(url, {"issue": "99999999999999999999999"}))
    partial = sofia.get(url, {"body": "finance-team"}, HTTP_HX_REQUEST="true")
    assert "<html" not in text(partial) and "Finance design" in text(partial)
    assert "Open the 1000L call" in text(sofia.get(url, {"q": "1000L"}))
    assert "Seventh partner" not in text(sofia.get(url, {"q": "1000L"}))
    odd = sofia.get(url, {"year": "x", "sort": "nope", "page": "999", "method": "dance",
                          "plan_item": "-1"})  # fmt: skip
    assert odd.status_code == 200
    rows = _csv(sofia.get(reverse("governance:decision_export", args=["csv"]), {"sort": "title"}))
    assert rows[0][:4] == ["Id", "Title", "Body", "Status"]
    assert [r[1] for r in rows[1:]] == ["Finance design", "Open the 1000L call",
                                        "Seventh partner"]  # fmt: skip
    assert rows[2][16] == "Adopted by consensus."
    excel = sofia.get(reverse("governance:decision_export", args=["xlsx"]), {"body": "llag"})
    assert excel.status_code == 200 and excel.content[:2] == b"PK"
    assert sofia.get(reverse("governance:decision_export", args=["pdf"])).status_code == 404


def test_the_panels_of_a_body_and_a_meeting(gov, world, client_for):
    from django.template.loader import render_to_string

    from landhub.governance.panels import body_panels, meeting_panels

    meeting, item = meeting_with(gov, present=everyone(gov))
    voting = open_vote(gov, item, title="Open vote on the budget")
    _adopted(gov, gov.sc, "Open the 1000L call", summary="")
    panels = dict(body_panels(user=world.sofia, body=gov.sc))
    panel = panels["governance/partials/body_decisions.html"]
    drawn = render_to_string("governance/partials/body_decisions.html", {"panel": panel})
    assert "Open vote on the budget" in drawn and "Open the 1000L call" in drawn
    body_page = text(client_for("sofia").get(gov.sc.get_absolute_url()))
    assert 'id="body-decisions"' in body_page and "Open vote on the budget" in body_page
    services.vote_cast(actor=world.sofia, decision=voting, choice="yes")
    services.vote_close(actor=gov.sam, decision=voting, version=voting.version + 0)
    context = dict(meeting_panels(user=world.sofia, meeting=meeting))[
        "governance/partials/meeting_decisions.html"]  # fmt: skip
    drawn = render_to_string("governance/partials/meeting_decisions.html", {"panel": context})
    assert "Budget 2027" in drawn and "1 for, 0 against, 0 abstaining" in drawn
    assert f"?agenda_item={item.pk}" not in drawn  # sofia is no officer
    officer = dict(meeting_panels(user=gov.sam, meeting=meeting))[
        "governance/partials/meeting_decisions.html"]  # fmt: skip
    drawn = render_to_string("governance/partials/meeting_decisions.html", {"panel": officer})
    assert f"?agenda_item={item.pk}" in drawn


def test_the_pages_cost_a_bounded_number_of_queries(gov, world, client_for,
                                                    django_assert_max_num_queries):  # fmt: skip
    _meeting, item = meeting_with(gov, present=everyone(gov))
    for n in range(12):
        _adopted(gov, gov.sc, f"Decision {n}", summary=f"Summary {n}.")
    decision = open_vote(gov, item)
    ConflictDeclaration.objects.create(seat=gov.seats.members[0], agenda_item=item, nature="x")
    for user in (gov.chidi, world.sofia):
        services.vote_cast(actor=user, decision=decision, choice="yes")
    hana, sofia = client_for("hana"), client_for("sofia")
    with django_assert_max_num_queries(20):
        assert sofia.get(reverse("governance:decision_list")).status_code == 200
    with django_assert_max_num_queries(35):
        assert hana.get(decision.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(30):
        assert sofia.get(decision.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(8):
        assert client_for("anonymous").get(reverse("governance:decision_public")).status_code \
            == 200  # fmt: skip


def test_an_advisory_body_finds_filters_and_exports_its_requests(
        gov, world, client_for, django_assert_max_num_queries):  # fmt: skip
    """The LLAG's list of requests: search, the recommendation filter, the CSV of what is shown,
    each at a bounded number of queries however many requests there are."""
    asked = []
    for n, title in enumerate(["Landscape fee", "Seed grants", "Data charter", "Youth seats"]):
        decision = services.decision_propose(actor=gov.sam, body=gov.sc, title=title,
                                             text=f"{title}.", method="vote")  # fmt: skip
        asked.append(services.advice_request_create(
            actor=world.hana, adviser=gov.llag, decision=decision,
            question=f"What do landscapes think of {title.lower()}? ({n})"))  # fmt: skip
    chair = gov.seats.llag_chair.person.user
    services.advice_give(actor=chair, request=asked[1], version=asked[1].version,
                         advice="Yes, with a cap per landscape.",
                         recommendation="support_changes")  # fmt: skip
    lena = client_for("lena")
    url = reverse("governance:body_advice", args=["llag"])
    with django_assert_max_num_queries(12):
        everything = text(lena.get(url))
    assert all(t in everything for t in ("Landscape fee", "Seed grants", "Youth seats"))
    found = text(lena.get(url, {"q": "cap per landscape"}))  # words of the advice given
    assert "Seed grants" in found and "Landscape fee" not in found
    supported = text(lena.get(url, {"recommendation": "support_changes"}))
    assert "Seed grants" in supported and "Data charter" not in supported
    assert "1 request" in supported
    # Nonsense filters narrow nothing and break nothing.
    assert lena.get(url, {"recommendation": "maybe", "status": "<x>"}).status_code == 200

    with django_assert_max_num_queries(10):
        export = lena.get(reverse("governance:body_advice_csv", args=["llag"]),
                          {"recommendation": "support_changes"})  # fmt: skip
        content = b"".join(export.streaming_content).decode("utf-8-sig")  # Excel's BOM
    rows = list(csv.reader(io.StringIO(content)))
    assert rows[0][:3] == ["Requested", "Asked about", "Question"]
    assert [r[1] for r in rows[1:]] == ["Seed grants"]
    assert rows[1][5:7] == ["Support with changes", "Yes, with a cap per landscape."]
    assert 'href="/governance/bodies/llag/advice/export.csv?' in everything

    with django_assert_max_num_queries(15):
        page = text(lena.get(reverse("governance:advice_detail", args=[asked[1].pk])))
    assert "Yes, with a cap per landscape." in page
    # Outside the network's bodies nothing is listed or exported.
    assert client_for("anonymous").get(url).status_code == 302


def test_an_adopted_decision_shows_the_actions_that_carry_it_out(gov, world, client_for):
    decision = _adopted(gov, gov.sc, "Open the 1000L call", summary="The call opens.")
    due = timezone.localdate() - dt.timedelta(days=2)
    services.action_create(actor=gov.chidi, title="Publish the call", due_on=due,
                           decision=decision, owner=world.people["sofia"])  # fmt: skip
    page = text(client_for("nora").get(decision.get_absolute_url()))
    assert "Actions from this decision" in page and "Publish the call" in page
    assert "Overdue" in page and "Record an action" not in page  # nora is no officer
    officer = text(signed_in(gov.chidi).get(decision.get_absolute_url()))
    assert f"/governance/actions/new/?decision={decision.pk}" in officer
