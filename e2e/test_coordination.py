"""The coordination journeys: browse the catalog with facets; recommendation → request →
delivery → rating; the coverage matrix; an overlapping activity that both sides coordinate."""

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
    expect(page.get_by_label("What changed thanks to it?")).to_be_visible()
    axe_check(page)
    page.get_by_label("5").check()
    page.get_by_label("What changed thanks to it?").fill("The fund design is done.")
    page.get_by_label("Yes").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("5/5")).to_be_visible()
    axe_check(page)


def test_hub_staff_read_the_coverage_matrix(page):
    sign_in(page, "hana")
    page.get_by_role("button", name="Hub tools").click()
    page.get_by_role("link", name="Coverage").click()
    expect(page.get_by_role("heading", name="Coverage")).to_be_visible()
    expect(page.locator("#coverage-summary")).to_contain_text("unserved")
    # The heat map draws under the strict CSP (no eval) and offers its SVG.
    expect(page.locator("#coverage-heatmap svg").first).to_be_visible()
    expect(page.locator("#coverage-heatmap")).to_contain_text("Landscape finance")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the heat map (SVG)").click()
    assert download.value.suggested_filename == "coverage.svg"
    axe_check(page)
    page.get_by_label("Show the landscapes of").select_option("Africa")
    page.get_by_role("button", name="Apply").click()
    expect(page.get_by_role("heading", name="Coverage in Africa")).to_be_visible()
    expect(page.get_by_role("link", name="Mount Kenya Forest and Farms")).to_be_visible()
    axe_check(page)


def test_a_partner_saves_an_overlapping_activity_and_both_sides_see_the_alert(page):
    # The demo has the Global Soil Health Lab's "Soil health field days, Mindanao" 18 to 21
    # days from now, on regenerative agriculture; Nora is on the Lab's staff.
    title = "Regenerative farm business case clinic"
    theirs = "Soil health field days, Mindanao"
    starts = dt.date.today() + dt.timedelta(days=19)
    sign_in(page, "pablo")  # administrator of Commonland
    page.get_by_role("link", name="Activities", exact=True).click()
    expect(page.get_by_role("heading", name="Partner activities")).to_be_visible()
    expect(page.get_by_role("link", name=theirs)).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="New activity").click()
    axe_check(page)
    page.get_by_label("Title").fill(title)
    page.get_by_label("Type").select_option(label="Workshop")
    page.get_by_label("Status").select_option(label="Confirmed")
    page.get_by_label("Starts").fill(starts.isoformat())
    page.get_by_label("Ends").fill((starts + dt.timedelta(days=1)).isoformat())
    page.get_by_label("Organizations").select_option(label="Commonland")
    page.get_by_label("Landscapes").select_option(label="Mindanao Uplands")
    page.get_by_label("Capabilities").select_option(label="Regenerative agriculture")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Activity saved.")).to_be_visible()
    alert = page.get_by_role("status").filter(has_text="Coordinate with")
    expect(alert).to_contain_text(theirs)
    expect(alert).to_contain_text("Global Soil Health Lab")
    axe_check(page)
    mine_url = page.url

    page.context.clear_cookies()
    sign_in(page, "nora")  # staff of the Global Soil Health Lab, told by a notification
    page.get_by_role("link", name=f"Coordinate: {title} and {theirs} overlap").click()
    page.get_by_role("status").get_by_role("link", name=theirs).click()
    expect(page.get_by_role("heading", name=theirs)).to_be_visible()
    alert = page.get_by_role("status").filter(has_text="Coordinate with")
    expect(alert).to_contain_text(title)
    expect(alert).to_contain_text("Commonland")
    axe_check(page)
    note = "Pablo joins our second field day; one visit to the farmers instead of two."
    alert.get_by_label("Note").fill(note)
    alert.get_by_role("button", name="Mark coordinated").click()
    expect(page.get_by_text("Marked as coordinated.")).to_be_visible()
    done = page.get_by_role("status").filter(has_text="Coordinated with")
    expect(done).to_contain_text(f"Coordinated with “{title}”. {note}")
    axe_check(page)

    page.context.clear_cookies()
    sign_in(page, "pablo")
    page.goto(mine_url)
    done = page.get_by_role("status").filter(has_text="Coordinated with")
    expect(done).to_contain_text(f"Coordinated with “{theirs}”. {note}")
    expect(page.get_by_role("button", name="Mark coordinated")).to_have_count(0)
