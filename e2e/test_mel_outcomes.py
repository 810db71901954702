"""The outcome harvesting journey: a landscape leader records an outcome and submits it; a
reviewer asks an independent person to substantiate it; the substantiator opens the e-mailed
link without an account and answers "fully agree"; the reviewer marks it substantiated and the
outcomes dashboard counts it."""

from __future__ import annotations

import re
import time

from playwright.sync_api import expect

from .conftest import axe_check, sign_in

TITLE = "National standards body adopts a landscape label"
LINK = re.compile(r"/mel/substantiate/[A-Za-z0-9_\-]+/")
DASHBOARD = (
    "/mel/outcomes/dashboard/?domain=other_institutions&landscape=mount-kenya-forest-and-farms"
)


def _emailed_link(mailbox, *, name: str) -> str:
    """The substantiation link of the e-mail sent to ``name`` (the server writes it at once;
    a few tries allow for the file system)."""
    for _ in range(50):
        for message in sorted(mailbox.glob("*.log")) if mailbox.exists() else []:
            text = message.read_text(encoding="utf-8", errors="replace")
            for part in text.split("Dear ")[1:]:
                if part.startswith(name) and (found := LINK.search(part)):
                    return found.group(0)
        time.sleep(0.2)
    raise AssertionError(f"No substantiation e-mail to {name} in {mailbox}")


def test_record_substantiate_by_email_link_and_count_on_the_dashboard(
    page, browser, server, mailbox
):
    # The dashboard before: nothing of this kind in Mount Kenya yet.
    sign_in(page, "lena")
    page.goto(DASHBOARD)
    expect(page.locator("#outcome-total")).to_have_text("0")

    # A landscape leader records the outcome and submits it.
    page.goto("/mel/outcomes/")
    page.get_by_role("link", name="Record an outcome").click()
    expect(page.get_by_role("heading", name="Record an outcome")).to_be_visible()
    axe_check(page)
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("What changed").fill(
        "The national standards body now certifies produce from landscapes with an agreed plan."
    )
    page.get_by_label("Social actor (not in the directory)").fill("Kenya Bureau of Standards")
    page.get_by_label("Type of actor").select_option("government")
    page.get_by_label("Type of change").select_option("policy")
    page.get_by_label("Domain of the enabling environment").select_option("other_institutions")
    page.get_by_label("When it happened").fill("2026-06-01")
    page.get_by_label("Landscapes", exact=True).fill("Mount Kenya Forest and Farms")
    page.get_by_label("Contribution of the initiative").fill(
        "The partnership's label working group drafted the standard with the bureau."
    )
    page.get_by_label("Who may read it once published").select_option("public")
    page.get_by_role("button", name="Save as draft").click()
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    expect(page.locator("#outcome-status")).to_have_text("Draft")
    axe_check(page)
    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator("#outcome-status")).to_have_text("Under review")
    outcome_url = page.url

    # A reviewer asks an independent person to substantiate it.
    reviewer = browser.new_context(base_url=server, locale="en-GB").new_page()
    sign_in(reviewer, "sofia")
    reviewer.goto(outcome_url)
    reviewer.get_by_label("Name", exact=True).fill("Wanjiku Kamau")
    reviewer.get_by_label("E-mail", exact=True).fill("wanjiku@standards.example")
    reviewer.get_by_label("Organization and role").fill("Former standards officer")
    reviewer.get_by_role("button", name="Send the request").click()
    expect(reviewer.get_by_role("alert").filter(has_text="Asked Wanjiku Kamau")).to_be_visible()
    expect(reviewer.locator("#substantiations")).to_contain_text("No answer yet")
    axe_check(reviewer)

    # The substantiator opens the e-mailed link: no account, no sign-in.
    link = _emailed_link(mailbox, name="Wanjiku Kamau")
    outsider = browser.new_context(base_url=server, locale="en-GB").new_page()
    outsider.goto(link)
    expect(outsider.get_by_role("heading", name="Can you confirm this change?")).to_be_visible()
    expect(outsider.get_by_text("label working group drafted the standard")).to_be_visible()
    axe_check(outsider)
    statement = outsider.get_by_role(
        "group", name="Do you agree with the statement of what changed?"
    )
    statement.get_by_label("Fully agree").check()
    contribution = outsider.get_by_role(
        "group", name="Do you agree that the initiative contributed as described?"
    )
    contribution.get_by_label("Fully agree").check()
    outsider.get_by_label("Comment").fill("I sat on the committee that adopted it.")
    outsider.get_by_role("button", name="Send my answer").click()
    expect(
        outsider.get_by_role("heading", name="Thank you: your answer is recorded")
    ).to_be_visible()
    outsider.goto(link)  # the link is used up
    expect(outsider.get_by_role("heading", name="This link has already been used")).to_be_visible()

    # The reviewer sees the answer and marks the outcome substantiated.
    reviewer.goto(outcome_url)
    expect(reviewer.locator("#substantiations")).to_contain_text("Fully agree")
    reviewer.get_by_role("button", name="Mark substantiated").click()
    expect(reviewer.locator("#outcome-status")).to_have_text("Substantiated")

    # The outcomes dashboard counts it, the chart drawn beside its table.
    reviewer.goto(DASHBOARD)
    expect(reviewer.locator("#outcome-total")).to_have_text("1")
    expect(reviewer.locator("#by-domain-table")).to_contain_text("Other institutions")
    expect(reviewer.locator("#by-region-table")).to_contain_text("Africa")
    expect(
        reviewer.locator("[data-chart-canvas] svg, [data-chart-canvas] canvas").first
    ).to_be_visible()
    axe_check(reviewer)
    reviewer.context.close()
    outsider.context.close()
