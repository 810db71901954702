"""The value journey: a signed-in member opens the value overview, then the value report of
a demo offering, and sees its ratings, the landscapes' words and the outcomes it contributed
to, with the charts drawn under the Content-Security-Policy."""

from __future__ import annotations

from playwright.sync_api import expect

from .conftest import axe_check, sign_in


def test_a_member_reads_the_value_report_of_an_offering(page):
    sign_in(page, "nora")
    page.goto("/mel/value/")
    expect(page.get_by_role("heading", name="Value of tools and services")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Landscape data and collaboration platform").click()
    expect(page.get_by_role("heading", name="Value of Landscape data and collaboration platform")
           ).to_be_visible()  # fmt: skip
    ratings = page.locator("#rating-figures")
    expect(ratings).to_contain_text("Ratings given")
    expect(page.locator("#ratings-table")).to_contain_text("5")
    expect(page.get_by_text("All twelve partners now share one map")).to_be_visible()
    outcomes = page.locator("#value-outcomes")
    expect(outcomes).to_contain_text("Peatland company pauses drainage")
    expect(page.locator("figure[data-chart] svg").first).to_be_visible()  # drawn under the CSP
    axe_check(page)
    # The period: nothing was asked for before the initiative's records begin.
    page.get_by_label("Period", exact=True).select_option("custom")
    page.get_by_label("To", exact=True).fill("2000-01-01")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_text("No value feedback in this period.")).to_be_visible()


def test_a_member_follows_system_change_and_a_contribution_claim(page):
    sign_in(page, "nora")
    page.goto("/mel/system-change/?year=2025")
    expect(page.get_by_role("heading", name="System change in 2025")).to_be_visible()
    expect(page.locator("#moves-table")).to_contain_text("Financial institution")
    expect(page.locator("figure[data-chart] svg").first).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="System change trails").click()
    page.get_by_role("link", name="Landscape Resilience Facility").click()
    expect(page.locator("#timeline")).to_contain_text("Regional bank adopts landscape-finance")
    axe_check(page)
    page.goto("/mel/claims/")
    page.get_by_role("link", name="Read the claim").first.click()
    expect(page.get_by_role("heading", name="Alternative explanations considered")
           ).to_be_visible()  # fmt: skip
    axe_check(page)
