"""The reach journey: hub staff open the people reached, see the figure with its overlapping
landscapes counted once, the charts drawn under the Content-Security-Policy, and recompute
it: the progress bar fills as the task worker counts."""

from __future__ import annotations

from playwright.sync_api import expect

from .conftest import axe_check, sign_in


def test_hub_staff_read_the_people_reached_and_recompute_them(page):
    sign_in(page, "hana")
    page.goto("/mel/dashboards/")
    page.get_by_role("link", name="People reached: regions, over time, the method").click()
    expect(page.get_by_role("heading", name="People reached toward 1 billion")).to_be_visible()
    expect(page.locator("#reach-total")).not_to_be_empty()
    pairs = page.locator("#reach-pairs")
    expect(pairs).to_contain_text("Mount Kenya Forest and Farms")  # the demo's overlap
    expect(pairs).to_contain_text("Laikipia Rangelands")
    expect(page.locator("#reach-series tbody tr")).to_have_count(9)  # 8 quarter-ends, today
    expect(page.locator("figure[data-chart] svg").first).to_be_visible()  # drawn under the CSP
    expect(page.get_by_role("heading", name="How the people reached are counted")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Recompute now").click()
    progress = page.locator("#reach-progress [data-status]")
    expect(progress).to_have_attribute("data-status", "succeeded", timeout=60_000)
    page.get_by_role("link", name="Show the new figures").click()
    expect(page.locator("#reach-when")).to_contain_text("computed")
    assert not [e for e in page.csp_errors if "Content Security Policy" in e]
