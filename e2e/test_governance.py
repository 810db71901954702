"""The governance journey of issue 7, in the demo's Steering Committee: a member (sofia) raises
a key issue with evidence from the hub; the secretary (hana, hub staff) puts it on the agenda
of the committee's next meeting and records attendance; sofia declares a conflict of interest
on the item and is recused; hana proposes a decision and opens the vote; the other members vote
in their own sessions (sofia is told why she may not); hana closes the vote and the record shows
the tally, the result sentence and the recusal; hana records an action on the decision, owned
by Carlos, who finds it on "My hub" and moves it on.

Every person signs in in a browser context of their own, as they would on their own machine.
"""

from __future__ import annotations

import datetime as dt
import re

from playwright.sync_api import expect

from .conftest import axe_check, sign_in

BODY = "Steering Committee"
# The demo names its next committee meeting after the month two weeks ahead (UTC), like
# ``landhub.governance.demo.next_meeting_title`` (not imported: this process has no Django).
MEETING = (
    f"Steering Committee — {(dt.datetime.now(dt.UTC).date() + dt.timedelta(days=14)):%B} meeting"
)
ISSUE = "Fund landscape partnerships' own monitoring staff"
BACKGROUND = (
    "Landscape partnerships report their MEL figures late because nobody is paid to collect "
    "them. The committee should decide whether the initiative funds a monitoring officer."
)
EVIDENCE = ("/mel/dashboards/", "MEL dashboards: reporting gaps")
INTEREST = "Commonland funds two of the partnerships that would receive the money."
DECISION_TEXT = (
    "The initiative funds a half-time monitoring officer in each member landscape partnership "
    "for two years, from the 2027 budget."
)
ACTION = "Draft the terms of reference of the monitoring officers"
VOTERS = {  # the members who vote (sofia is recused), and how
    "amina": ("Amina Otieno", "Yes"),
    "carlos": ("Carlos Restrepo", "Yes"),
    "meseret": ("Meseret Kebede", "Yes"),
    "kwame": ("Kwame Mensah", "No"),
}


def _session(browser, server, persona: str):
    """A browser of one's own, signed in through the real form."""
    page = browser.new_context(base_url=server, locale="en-GB").new_page()
    page.set_default_timeout(15_000)
    sign_in(page, persona)
    return page


def _alert(page, text: str):
    return page.get_by_role("alert").filter(has_text=text)


def test_an_issue_goes_to_the_meeting_is_decided_by_vote_and_becomes_an_action(
    page, browser, server
):
    # 1. Sofia, who holds Commonland's seat, raises a key issue with evidence from the hub.
    sign_in(page, "sofia")
    page.goto("/governance/")
    expect(page.get_by_role("heading", name="Governance", exact=True)).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Raise a key issue").first.click()
    expect(page.get_by_role("heading", name="Raise a key issue")).to_be_visible()
    page.get_by_label("For the body").select_option(label=BODY)
    page.get_by_label("Title").fill(ISSUE)
    page.get_by_label("Background").fill(BACKGROUND)
    page.get_by_label("Urgency").select_option("high")
    # A page outside the hub is refused beside the evidence, and the form keeps the rest.
    page.get_by_label("Address of a page of the hub 1").fill("https://example.com/report")
    page.get_by_label("Label 1").fill(EVIDENCE[1])
    page.get_by_role("button", name="Raise the issue").click()
    expect(_alert(page, "“https://example.com/report” is not a page of the hub")).to_be_visible()
    expect(page.get_by_label("Title")).to_have_value(ISSUE)
    axe_check(page)
    page.get_by_label("Address of a page of the hub 1").fill(EVIDENCE[0])
    page.get_by_role("button", name="Raise the issue").click()
    expect(page.get_by_role("heading", name=ISSUE)).to_be_visible()
    expect(page.get_by_text("Key issue raised.")).to_be_visible()
    expect(page.locator("#issue-status")).to_have_text("Raised")
    expect(page.locator("#issue-urgency")).to_have_text("High")
    expect(page.locator("#issue-evidence").get_by_role("link", name=EVIDENCE[1])).to_be_visible()
    expect(page.get_by_text("Not on a meeting's agenda yet.")).to_be_visible()
    axe_check(page)
    issue_url = page.url

    # 2. Hana, the secretary, puts it on the next meeting's agenda and records attendance.
    hana = _session(browser, server, "hana")
    hana.goto("/governance/")
    hana.get_by_role("link", name=BODY, exact=True).first.click()
    expect(hana.get_by_role("heading", name=BODY, exact=True)).to_be_visible()
    hana.get_by_role("link", name=MEETING).first.click()
    expect(hana.get_by_role("heading", name=MEETING)).to_be_visible()
    expect(hana.locator("#agenda-items > li")).to_have_count(2)
    axe_check(hana)
    hana.get_by_role("link", name="Add an item").click()
    expect(hana.get_by_role("heading", name="Add an agenda item")).to_be_visible()
    hana.get_by_label("Key issue it takes up").select_option(label=ISSUE)
    hana.get_by_label("Title").fill(ISSUE)
    hana.get_by_label("Type").select_option("decision")
    hana.get_by_label("Minutes allotted").fill("30")
    axe_check(hana)
    hana.get_by_role("button", name="Save").click()
    expect(hana.get_by_text("Item added to the agenda.")).to_be_visible()
    item = hana.locator("#agenda-items > li").filter(has_text=ISSUE)
    expect(item).to_contain_text(f"3. {ISSUE}")
    expect(item).to_contain_text("For decision")
    expect(item.get_by_role("link", name=ISSUE)).to_be_visible()  # the key issue it takes up

    hana.get_by_role("link", name="Record attendance").click()
    expect(hana.get_by_role("heading", name=f"Attendance: {MEETING}")).to_be_visible()
    for name in ["Amina Otieno", "Carlos Restrepo", "Meseret Kebede", "Kwame Mensah",
                 "Siti Rahayu", "Sofia Seat", "Hana Hub"]:  # fmt: skip
        hana.get_by_label(name, exact=True).select_option("present")
    axe_check(hana)
    hana.get_by_role("button", name="Record attendance").click()
    expect(hana.get_by_text("Attendance recorded.")).to_be_visible()
    expect(hana.locator("#meeting-quorum")).to_contain_text("6 of the 6 voting members present")
    meeting_url = hana.url.split("#")[0]

    # The issue now says it is scheduled, and on which meeting's agenda.
    page.goto(issue_url)
    expect(page.locator("#issue-status")).to_have_text("Scheduled")
    expect(page.locator("#issue-agenda").get_by_role("link", name=MEETING)).to_be_visible()

    # 3. Sofia declares her conflict of interest on the item; the record shows her recused.
    page.locator("#issue-agenda").get_by_role("link", name=MEETING).click()
    expect(page.get_by_role("heading", name=MEETING)).to_be_visible()
    page.locator("#agenda-items > li").filter(has_text=ISSUE).get_by_role(
        "link", name="Declare a conflict").click()  # fmt: skip
    expect(page.get_by_role("heading", name="Declare a conflict of interest")).to_be_visible()
    expect(page.get_by_label("On the item")).to_have_value(re.compile(r"\d+"))
    expect(page.get_by_label("On the item").locator("option:checked")).to_have_text(f"3. {ISSUE}")
    expect(page.get_by_label("Member").locator("option:checked")).to_contain_text("Sofia Seat")
    page.get_by_label("The interest").fill(INTEREST)
    axe_check(page)
    page.get_by_role("button", name="Declare").click()
    expect(page.get_by_text("Conflict of interest declared; the member is recused")).to_be_visible()
    expect(page.locator("#conflict-list")).to_contain_text("Sofia Seat")
    expect(page.locator("#conflict-list")).to_contain_text(INTEREST)
    item = page.locator("#agenda-items > li").filter(has_text=ISSUE)
    expect(item).to_contain_text("Recused: Sofia Seat")
    expect(item).to_contain_text("one recused")
    axe_check(page)

    # 4. Hana proposes the decision on the item and opens the vote.
    hana.goto(meeting_url)
    hana.locator("#meeting-decisions").get_by_role("link", name=ISSUE).click()
    expect(hana.get_by_role("heading", name="Propose a decision")).to_be_visible()
    expect(hana.get_by_text(f"On the agenda item “{ISSUE}” of {MEETING}.")).to_be_visible()
    expect(hana.get_by_label("Title")).to_have_value(ISSUE)
    hana.get_by_label(re.compile(r"^The decision\b")).fill(DECISION_TEXT)
    hana.get_by_label("Rationale").fill("Timely figures are what the donors ask for first.")
    axe_check(hana)
    hana.get_by_role("button", name="Propose").click()
    expect(hana.get_by_text("Decision proposed.")).to_be_visible()
    expect(hana.get_by_role("heading", name=ISSUE)).to_be_visible()
    expect(hana.locator("#recusals")).to_contain_text("Sofia Seat")
    closes = (dt.datetime.now() + dt.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    hana.get_by_label("The vote closes").fill(closes)
    hana.get_by_role("button", name="Open the vote").click()
    expect(hana.get_by_text("The vote is open; the voting members are told.")).to_be_visible()
    expect(hana.locator("#tally")).to_contain_text("0 seats have voted so far.")
    axe_check(hana)
    decision_url = hana.url

    # Sofia is recused: her page says why, and offers no vote.
    page.goto(decision_url)
    expect(page.locator("#why-not")).to_have_text(
        "A conflict of interest was declared for this seat on this item: it does not vote."
    )
    expect(page.get_by_role("button", name="Vote", exact=True)).to_have_count(0)
    axe_check(page)

    # The others vote, each in their own browser, from the notification on "My hub".
    sessions = {}
    for persona, (name, choice) in VOTERS.items():
        voter = sessions[persona] = _session(browser, server, persona)
        voter.locator("main").get_by_role("link", name=f"Vote open: {ISSUE}").first.click()
        expect(voter.get_by_role("heading", name=ISSUE)).to_be_visible()
        expect(voter.locator("#vote-seat")).to_contain_text(f"You vote on {name}'s seat.")
        voter.get_by_label(choice, exact=True).check()
        voter.get_by_role("button", name="Vote", exact=True).click()
        expect(voter.locator("#your-vote")).to_have_text(
            f"You voted {choice.lower()} on {name}'s seat."
        )  # htmx: no reload
        expect(voter.get_by_role("button", name="Vote", exact=True)).to_have_count(0)
        if persona == "amina":
            axe_check(voter)
        if persona != "carlos":
            voter.context.close()

    # Hana closes the vote; the record shows the tally, the result and the recusal.
    hana.reload()
    expect(hana.locator("#preview")).to_have_text("So far: 3 in favour, 1 against, 0 abstaining.")
    hana.get_by_role("button", name="Close the vote and count").click()
    result = "3 in favour, 1 against, 0 abstaining: 3 in favour were needed."
    expect(hana.get_by_text(f"The vote is closed: {result}")).to_be_visible()
    expect(hana.locator("#result-note")).to_have_text(result)
    tally = hana.locator("#tally")
    for row, count in [("In favour", "3"), ("Against", "1"), ("Abstaining", "0"),
                       ("Eligible voting seats", "5"), ("Present", "5"),
                       ("Quorum needed", "3")]:  # fmt: skip
        expect(tally.get_by_role("row", name=row)).to_contain_text(count)
    expect(hana.locator("h1 + .badge")).to_have_text("Adopted")
    recusal = hana.locator("#recusals li").filter(has_text="Sofia Seat")
    expect(recusal).to_contain_text(INTEREST)
    expect(recusal).to_contain_text("recused from the vote and the quorum")
    expect(hana.locator("#votes tr").filter(has_text="Kwame Mensah")).to_contain_text("No")
    expect(hana.locator("#votes")).not_to_contain_text("Sofia Seat")
    axe_check(hana)

    # 5. Hana records an action on the decision, owned by Carlos, due in a month.
    hana.get_by_role("link", name="Record an action").click()
    expect(hana.get_by_role("heading", name="Record an action")).to_be_visible()
    expect(hana.get_by_text(f"From the decision “{ISSUE}”.")).to_be_visible()
    due = dt.date.today() + dt.timedelta(days=30)
    hana.get_by_label("What").fill(ACTION)
    hana.get_by_label(re.compile(r"^Owner\b(?! organization)")).fill("carlos@demo.landhub.org")
    hana.get_by_label("Due").fill(due.isoformat())
    axe_check(hana)
    hana.get_by_role("button", name="Save").click()
    expect(hana.get_by_text("Action recorded.")).to_be_visible()
    expect(hana.get_by_role("heading", name=ACTION)).to_be_visible()
    expect(hana.get_by_role("link", name="Carlos Restrepo")).to_be_visible()
    expect(hana.locator("main dl").get_by_role("link", name=ISSUE)).to_be_visible()
    hana.context.close()

    # Carlos finds it on "My hub" and says he has started.
    carlos = sessions["carlos"]
    carlos.goto("/my/")
    mine = carlos.locator("#my-actions")
    expect(mine.get_by_role("link", name=ACTION)).to_be_visible()
    expect(mine).to_contain_text(BODY)
    expect(mine).to_contain_text("Open")
    axe_check(carlos)
    mine.get_by_role("link", name=ACTION).click()
    expect(carlos.get_by_role("heading", name=ACTION)).to_be_visible()
    expect(carlos.locator("#status-now")).to_contain_text("Open")
    carlos.get_by_label("Change the status").select_option("in_progress")
    carlos.locator("#action-status").get_by_role("button", name="Save").click()
    expect(carlos.locator("#status-now")).to_contain_text("In progress")
    expect(carlos.locator("#status-now")).to_contain_text("Saved.")
    axe_check(carlos)
    carlos.goto("/my/")
    expect(carlos.locator("#my-actions")).to_contain_text("In progress")
    carlos.context.close()

    # The issue Sofia raised is now decided, with the decision on it.
    page.goto(issue_url)
    expect(page.locator("#issue-status")).to_have_text("Decided")
    expect(page.locator("#issue-decisions")).to_contain_text("Adopted")
    expect(page.locator("#issue-decisions").get_by_role("link", name=ISSUE)).to_be_visible()
