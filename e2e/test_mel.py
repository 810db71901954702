"""The MEL journey: a leader fills her grid and submits; hub staff return one value, she fixes
it; it is approved."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from .conftest import axe_check, sign_in


def _row(page, code):
    return page.locator("section", has=page.get_by_role("heading", name=re.compile(f"^{code} ")))


def test_a_leader_reports_values_that_are_returned_fixed_and_approved(page):
    sign_in(page, "lena")
    page.get_by_role("link", name="Mount Kenya Forest and Farms").click()
    page.get_by_role("link", name="Report 2026").click()
    expect(page.get_by_role("heading", name="Mount Kenya Forest and Farms: values for 2026")
           ).to_be_visible()  # fmt: skip
    axe_check(page)

    tools = _row(page, "PRD-2")
    tools.get_by_label("Value").fill("many")
    tools.get_by_role("button", name="Save").click()
    expect(_row(page, "PRD-2").get_by_text("Enter a number.")).to_be_visible()  # no reload
    _row(page, "PRD-2").get_by_label("Value").fill("5")
    _row(page, "PRD-2").get_by_role("button", name="Save").click()
    expect(_row(page, "PRD-2").get_by_text("Saved.")).to_be_visible()

    share = _row(page, "OUT-2")
    share.get_by_label("numerator").fill("3")
    share.get_by_label("denominator").fill("10")
    share.get_by_role("button", name="Save").click()
    expect(_row(page, "OUT-2").get_by_text("Total: 30")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Submit the saved values for review").click()
    expect(page.get_by_text("2 values submitted for review.")).to_be_visible()

    page.context.clear_cookies()
    sign_in(page, "hana")
    page.goto("/mel/review/?period=2026")
    expect(page.locator("#result-count")).to_have_text("2 values wait for review")
    axe_check(page)
    review = page.locator("section", has=page.get_by_role("heading", name=re.compile("OUT-2")))
    review.get_by_label("What needs to change").fill("Count the youth committee's seats too.")
    review.get_by_role("button", name="Return").click()
    expect(page.get_by_text("Returned to the landscape with your comment.")).to_be_visible()

    page.context.clear_cookies()
    sign_in(page, "lena")
    page.goto("/mel/report/mount-kenya-forest-and-farms/2026/")
    share = _row(page, "OUT-2")
    expect(share.get_by_text("Returned: Count the youth committee's seats too.")).to_be_visible()
    share.get_by_label("numerator").fill("4")
    share.get_by_label("denominator").fill("12")
    share.get_by_role("button", name="Save").click()
    expect(_row(page, "OUT-2").get_by_text("Saved.")).to_be_visible()
    page.get_by_role("button", name="Submit the saved values for review").click()
    expect(page.get_by_text("1 value submitted for review.")).to_be_visible()

    page.context.clear_cookies()
    sign_in(page, "hana")
    page.goto("/mel/review/?period=2026")
    for _ in range(2):
        page.locator("section[aria-labelledby^=rv-]").first.get_by_role(
            "button", name="Approve"
        ).click()
        expect(page.get_by_text("Approved.")).to_be_visible()
    expect(page.get_by_text("Nothing waits for review.")).to_be_visible()

    # The approved 2026 share reaches the dashboards at once (roll-ups written on approval).
    page.get_by_role("link", name="MEL", exact=True).click()
    expect(page.get_by_role("heading", name="Initiative progress")).to_be_visible()
    expect(page.locator("#headline-table")).to_be_visible()
    expect(page.locator("figure[data-chart] svg").first).to_be_visible()  # drawn under the CSP
    axe_check(page)
    page.get_by_role("link", name="Performance tracking table").click()
    row = page.locator("#tracking-table tr", has=page.get_by_role("link", name="OUT-2"))
    expect(row).to_contain_text("33.33")  # 4 of 12, the only approved 2026 value
    with page.expect_download() as download:
        page.get_by_role("link", name="Excel").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    axe_check(page)
    row.get_by_role("link", name="OUT-2").click()
    expect(page.locator("#series-table")).to_contain_text("2026")
    expect(page.locator("figure[data-chart] svg").first).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the chart (SVG)").first.click()
    assert download.value.suggested_filename == "OUT-2.svg"
    axe_check(page)
