"""The catalog's journeys: browse with facets; recommendation → request → delivery → rating."""

from __future__ import annotations

import datetime as dt

from playwright.sync_api import expect

from .conftest import axe_check, sign_in


def test_browse_the_catalog_with_facet_counts(page):
    page.goto("/offerings/")
    expect(page.get_by_role("heading", name="Catalog of offerings")).to_be_visible()
    axe_check(page)
    page.get_by_label("Type").select_option(label="Tool (4)")
    expect(page.locator("#result-count")).to_have_text("4 offerings")
    assert "type=tool" in page.url
    page.get_by_role("link", name="Soil identification app").click()
    expect(page.get_by_role("heading", name="Soil identification app")).to_be_visible()
    axe_check(page)


def test_a_leader_requests_an_offering_the_provider_delivers_and_she_rates_it(page):
    sign_in(page, "lena")
    page.get_by_role("link", name="Mount Kenya Forest and Farms").click()
    panel = page.locator("#recommendations")
    expect(panel.get_by_role("heading", name="Recommended offerings")).to_be_visible()
    expect(panel.get_by_text("available", exact=False).first).to_be_visible()  # reasons shown
    axe_check(page)

    page.goto("/offerings/4-returns-business-case-coaching/")
    page.get_by_role("link", name="Request it").click()
    axe_check(page)
    page.get_by_label("Message to the providers").fill(
        "We want a business case for our coffee and water programme by June."
    )
    page.get_by_role("button", name="Send the request").click()
    expect(page.get_by_text("Request sent; the providers have been told.")).to_be_visible()
    request_url = page.url

    page.context.clear_cookies()
    sign_in(page, "pablo")  # administrator of Commonland, the lead provider
    page.get_by_role("link", name="Requests", exact=True).click()
    page.get_by_role("link", name="Requests to us").click()
    expect(page.get_by_role("cell", name="Mount Kenya Forest and Farms")).to_be_visible()
    axe_check(page)
    page.goto(request_url)
    in_a_month = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    page.get_by_label("Expected delivery (when accepting)").fill(in_a_month)
    page.get_by_role("button", name="Accept").click()
    expect(page.locator("#request-status")).to_have_text("Accepted")
    page.get_by_role("button", name="Mark delivered").click()
    expect(page.locator("#request-status")).to_have_text("Delivered")

    page.context.clear_cookies()
    sign_in(page, "lena")
    page.goto(request_url)
    page.get_by_role("link", name="Say what it was worth").click()
    axe_check(page)
    page.get_by_label("5").check()
    page.get_by_label("What changed thanks to it?").fill("The fund design is done.")
    page.get_by_label("Yes").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("5/5")).to_be_visible()
    axe_check(page)


def test_hub_staff_read_the_coverage_matrix(page):
    sign_in(page, "hana")
    page.get_by_role("link", name="Coverage").click()
    expect(page.get_by_role("heading", name="Coverage")).to_be_visible()
    expect(page.locator("#coverage-summary")).to_contain_text("unserved")
    axe_check(page)
    page.get_by_label("Show the landscapes of").select_option("Africa")
    page.get_by_role("button", name="Apply").click()
    expect(page.get_by_role("heading", name="Coverage in Africa")).to_be_visible()
    expect(page.get_by_role("link", name="Mount Kenya Forest and Farms")).to_be_visible()
    axe_check(page)
