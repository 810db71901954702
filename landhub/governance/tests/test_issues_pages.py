"""Key issues through the pages: raising with evidence (a foreign link refused beside the
field), the register's filters, sorting and exports, the issue page with its status history
and what other areas record on it, transitions and their refusals, the conflict page, the
404 for readers who may not see a confidential issue, query counts, the global search."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse

from landhub.governance import services
from landhub.governance.models import KeyIssue

pytestmark = pytest.mark.django_db


def _raise(actor, body, **extra):
    data = {"title": "Budget for the scaling plan", "background": "The plan needs **money**."}
    data.update(extra)
    return services.issue_raise(actor=actor, body=body, **data)


def _form(gov, **extra):
    data = {"body": gov.sc.pk, "title": "Shared pipeline", "background": "Overlaps.",
            "options": "1. Merge\n2. Wait", "urgency": "high"}  # fmt: skip
    data.update(extra)
    return data


def test_member_raises_an_issue_with_evidence(gov, client_for):
    client = client_for("sofia")
    page = client.get(reverse("governance:issue_create"), {"body": "steering-committee"})
    assert page.status_code == 200
    assert f'<option value="{gov.sc.pk}" selected>' in page.content.decode()
    foreign = client.post(reverse("governance:issue_create"), _form(
        gov, evidence_path=["https://example.com/x"], evidence_label=["Elsewhere"]))  # fmt: skip
    assert foreign.status_code == 400
    text = foreign.content.decode()
    assert "is not a page of the hub" in text
    assert 'value="https://example.com/x"' in text  # the input is kept
    assert not KeyIssue.objects.exists()
    ok = client.post(reverse("governance:issue_create"), _form(
        gov, evidence_path=["/mel/dashboards/", ""],
        evidence_label=["MEL dashboards", ""]))  # fmt: skip
    assert ok.status_code == 302
    issue = KeyIssue.objects.get()
    assert issue.raised_by.email == "sofia@example.org"
    page = client.get(ok["Location"]).content.decode()
    assert '<a href="/mel/dashboards/">MEL dashboards</a>' in page
    assert "<li>Merge</li>" in page  # options in Markdown
    assert "Raised" in page[page.index('id="issue-steps"') :]


def test_network_member_may_not_raise(gov, client_for):
    assert client_for("nora").get(reverse("governance:issue_create")).status_code == 403
    assert client_for("nora").post(reverse("governance:issue_create"),
                                   _form(gov)).status_code == 403  # fmt: skip


def test_lena_cannot_choose_the_members_only_team(gov, client_for):
    client = client_for("lena")
    page = client.get(reverse("governance:issue_create")).content.decode()
    assert "Finance Design Team" not in page
    bad = client.post(reverse("governance:issue_create"), _form(gov, body=gov.team.pk))
    assert bad.status_code == 400
    assert "Select a valid choice" in bad.content.decode()
    huge = client.post(reverse("governance:issue_create"), _form(gov, body="9" * 30))
    assert huge.status_code == 400


def test_confidential_issue_hidden_from_non_members(gov, client_for, world):
    issue = _raise(world.sofia, gov.sc, title="Secret matter", confidential=True)
    url = reverse("governance:issue_detail", args=[issue.pk])
    for persona in ("lena", "nora", "oscar"):
        assert client_for(persona).get(url).status_code == 404
        listed = client_for(persona).get(reverse("governance:issue_list")).content.decode()
        assert "Secret matter" not in listed
    for persona in ("sofia", "pablo", "hana"):
        assert client_for(persona).get(url).status_code == 200


def test_members_only_body_issues_hidden_from_the_network(gov, client_for, world):
    issue = _raise(world.sofia, gov.team, title="Team only")
    url = reverse("governance:issue_detail", args=[issue.pk])
    assert client_for("nora").get(url).status_code == 404
    assert client_for("pablo").get(url).status_code == 404  # on the committee, not the team
    assert client_for("sofia").get(url).status_code == 200


def test_register_filters_sorting_csv_and_excel(gov, client_for, world):
    _raise(world.sofia, gov.sc, title="Alpha issue", urgency="low")
    _raise(world.lena, gov.llag, title="Beta issue", urgency="urgent")
    client = client_for("hana")
    url = reverse("governance:issue_list")
    page = client.get(url, {"body": "llag"}).content.decode()
    assert "Beta issue" in page and "Alpha issue" not in page
    page = client.get(url, {"sort": "-urgency"}).content.decode()
    listed = page[page.index('id="issue-list"') :]
    assert listed.index("Beta issue") < listed.index("Alpha issue")
    page = client.get(url, {"sort": "title"}).content.decode()
    listed = page[page.index('id="issue-list"') :]
    assert listed.index("Alpha issue") < listed.index("Beta issue")
    partial = client.get(url, {"q": "Alpha"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial and "Alpha issue" in partial and "Beta issue" not in partial
    mine = client_for("lena").get(url, {"mine": "on"}).content.decode()
    assert "Beta issue" in mine and "Alpha issue" not in mine
    csv = client.get(reverse("governance:issue_export", args=["csv"]), {"urgency": "urgent"})
    content = b"".join(csv.streaming_content) if csv.streaming else csv.content
    assert b"Beta issue" in content and b"Alpha issue" not in content
    xlsx = client.get(reverse("governance:issue_export", args=["xlsx"]))
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    titles = {row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert titles == {"Alpha issue", "Beta issue"}
    assert client.get(reverse("governance:issue_export", args=["pdf"])).status_code == 404


def test_transition_buttons_and_refusal_messages(gov, client_for, world):
    issue = _raise(world.sofia, gov.sc)
    url = reverse("governance:issue_detail", args=[issue.pk])
    assert "Change the status" not in client_for("nora").get(url).content.decode()
    client = client_for("hana")
    page = client.get(url).content.decode()
    assert "Change the status" in page
    assert '<option value="scheduled">Scheduled</option>' in page
    move = reverse("governance:issue_transition", args=[issue.pk])
    bad = client.post(move, {"status": "decided", "version": issue.version})
    assert bad.status_code == 400
    assert "Select a valid choice" in bad.content.decode()
    ok = client.post(move, {"status": "scheduled", "note": "Meeting of 3 March",
                            "version": issue.version})  # fmt: skip
    assert ok.status_code == 302
    issue.refresh_from_db()
    assert issue.status == "scheduled"
    stale = client.post(move, {"status": "deliberation", "version": issue.version - 1})
    assert stale.status_code == 409
    page = client.get(url).content.decode()
    steps = page[page.index('id="issue-steps"') :]
    assert "Meeting of 3 March" in steps
    assert client_for("sofia").post(move, {"status": "raised"}).status_code == 403


def test_edit_conflict_keeps_the_input(gov, client_for, world):
    issue = _raise(world.sofia, gov.sc)
    old = issue.version
    services.issue_update(actor=world.hana, issue=issue, version=old,
                          changes={"title": "Changed by hana"})  # fmt: skip
    page = client_for("sofia").post(reverse("governance:issue_edit", args=[issue.pk]), {
        "title": "Sofia's title", "background": "B", "urgency": "normal",
        "version": old})  # fmt: skip
    assert page.status_code == 409
    text = page.content.decode()
    assert "Someone else saved this issue" in text
    assert "Sofia&#x27;s title" in text


def test_issue_page_shows_agenda_decisions_and_advice(gov, client_for, world):
    import datetime as dt

    from django.utils import timezone

    from landhub.governance.models import AdviceRequest, AgendaItem, Decision, Meeting

    issue = _raise(world.sofia, gov.sc)
    meeting = Meeting.objects.create(body=gov.sc, title="March meeting",
                                     starts_at=timezone.now() + dt.timedelta(days=3),
                                     ends_at=timezone.now()
                                     + dt.timedelta(days=3, hours=2))  # fmt: skip
    AgendaItem.objects.create(meeting=meeting, title="The budget", key_issue=issue)
    Decision.objects.create(body=gov.sc, key_issue=issue, title="Budget adopted",
                            text="Adopted.", method="consensus")  # fmt: skip
    AdviceRequest.objects.create(adviser=gov.llag, key_issue=issue, question="Your view?")
    page = client_for("nora").get(reverse("governance:issue_detail", args=[issue.pk]))
    text = page.content.decode()
    assert "March meeting" in text and "The budget" in text
    assert "Budget adopted" in text
    assert "Your view?" in text and "Landscape Leaders Advisory Group" in text


def test_issue_pages_bounded_queries(gov, client_for, world, django_assert_max_num_queries):
    for n in range(30):
        _raise(world.sofia, gov.sc, title=f"Issue {n}",
               evidence=[{"path": "/governance/", "label": "Home"}])  # fmt: skip
    issue = KeyIssue.objects.first()
    client = client_for("sofia")
    client.get(reverse("governance:home"))
    with django_assert_max_num_queries(25):
        assert client.get(reverse("governance:issue_list")).status_code == 200
    with django_assert_max_num_queries(30):
        assert client.get(reverse("governance:issue_detail",
                                  args=[issue.pk])).status_code == 200  # fmt: skip
    with django_assert_max_num_queries(25):
        assert client.get(reverse("governance:issue_export", args=["csv"])).status_code == 200


def test_global_search_finds_issues_the_reader_may_see(gov, client_for, world):
    _raise(world.sofia, gov.sc, title="Watershed governance question")
    _raise(world.sofia, gov.sc, title="Watershed secret", confidential=True)
    from landhub.core.search import search_sections

    section = next(s for s in search_sections() if s.key == "key_issue")
    assert {i.title for i in section.results(world.nora, "Watershed")} == {
        "Watershed governance question"
    }
    assert {i.title for i in section.results(world.pablo, "Watershed")} == {
        "Watershed governance question", "Watershed secret"}  # fmt: skip


def test_the_raiser_withdraws_a_raised_issue_with_the_reason(gov, client_for, world):
    """Who raised an issue may close it while it is still raised (and nothing else); closing
    a raised issue needs the reason, which the issue's steps then show."""
    issue = _raise(world.sofia, gov.sc)
    url = reverse("governance:issue_detail", args=[issue.pk])
    move = reverse("governance:issue_transition", args=[issue.pk])
    sofia = client_for("sofia")
    page = sofia.get(url).content.decode()
    assert '<option value="closed">Closed</option>' in page
    assert '<option value="scheduled">' not in page  # scheduling is the officers' step
    assert sofia.post(move, {"status": "scheduled", "version": issue.version}).status_code == 403
    assert client_for("nora").post(move, {"status": "closed", "note": "x"}).status_code == 403
    bare = sofia.post(move, {"status": "closed", "version": issue.version})
    assert bare.status_code == 400 and "closed without a decision" in bare.content.decode()
    done = sofia.post(move, {"status": "closed", "note": "Settled between the partners.",
                             "version": issue.version})  # fmt: skip
    assert done.status_code == 302
    issue.refresh_from_db()
    assert issue.status == "closed" and issue.closed_at is not None
    page = sofia.get(url).content.decode()
    assert "Settled between the partners." in page[page.index('id="issue-steps"') :]
    # Once closed, nothing more for her to do here.
    assert "Change the status" not in page
