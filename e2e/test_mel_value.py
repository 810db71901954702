"""The value journey: a signed-in member opens the value overview, then the value report of
a demo offering, and sees its ratings, the landscapes' words and the outcomes it contributed
to, with the charts drawn under the Content-Security-Policy; hub staff name a claim's offering
by typing and archive and restore a trail."""

from __future__ import annotations

import re

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


def test_hub_staff_name_a_claims_offering_by_typing_and_archive_a_trail(page):
    sign_in(page, "hana")
    # The claim form offers suggestions as the title is typed (no select of every offering).
    page.goto("/mel/claims/new/")
    found = page.request.get("/mel/learning/suggest/?kind=offering&q=Landscape%20data").json()
    assert found["results"], found
    box = page.get_by_label("Offering", exact=True)
    box.press_sequentially("Landscape data", delay=30)
    option = page.locator("datalist#offering-suggestions option").first
    expect(option).to_have_attribute("value", re.compile(r"^Landscape data and collaboration"))
    axe_check(page)
    # A trail is archived from its page, leaves the list, and is restored.
    page.goto("/mel/trails/")
    page.get_by_role("link", name="Fair Trade Cocoa Buyers Group").click()
    page.locator("#trail-archive").click()
    page.get_by_role("button", name="Archive").click()
    expect(page.get_by_text("This trail is archived")).to_be_visible()
    axe_check(page)
    page.goto("/mel/trails/")
    expect(page.locator("#trail-results")).not_to_contain_text("Fair Trade Cocoa Buyers Group")
    page.goto("/mel/trails/?archived=1")
    page.get_by_role("link", name="Fair Trade Cocoa Buyers Group").click()
    page.locator("#trail-restore").click()
    expect(page.get_by_text("Trail restored.")).to_be_visible()
