"""The directory's main journeys, clicked as a person would, with axe-core on every page."""

from __future__ import annotations

import json

from playwright.sync_api import expect

from .conftest import axe_check, sign_in

SQUARE = {
    "type": "Polygon",
    "coordinates": [[[37.0, -0.5], [37.5, -0.5], [37.5, 0.0], [37.0, 0.0], [37.0, -0.5]]],
}


def test_public_home_shows_the_map_and_counters(page):
    page.goto("/")
    expect(page.locator("#counter-landscapes")).to_have_text("12")
    expect(page.locator("#landscape-map")).to_have_attribute("data-loaded", "12")
    axe_check(page)


def test_sign_in_lands_on_my_hub(page):
    page.goto("/accounts/login/")
    axe_check(page)
    sign_in(page, "lena")
    expect(page.get_by_role("heading", name="Welcome, Lena Leader")).to_be_visible()
    expect(page.get_by_role("link", name="Mount Kenya Forest and Farms")).to_be_visible()
    axe_check(page)


def test_hub_staff_sign_in_with_two_factor_code(page):
    sign_in(page, "hana")
    page.get_by_role("button", name="Hub tools").click()  # the hub-staff menu
    expect(page.get_by_role("link", name="Vocabularies")).to_be_visible()


def test_browse_the_landscape_map_and_filter_it(page):
    page.goto("/landscapes/")
    expect(page.locator("#result-count")).to_have_text("12 landscapes")
    expect(page.locator("#landscape-map")).to_have_attribute("data-loaded", "12")
    axe_check(page)
    page.get_by_label("Ecosystem").select_option(label="Peatland")
    expect(page.locator("#result-count")).to_have_text("1 landscape")
    expect(page.get_by_role("link", name="Heart of Borneo Peatlands")).to_be_visible()
    expect(page.locator("#landscape-map")).to_have_attribute("data-loaded", "1")
    assert "ecosystem=peatland" in page.url  # the filtered view can be shared
    page.get_by_role("link", name="Heart of Borneo Peatlands").click()
    expect(page.get_by_role("heading", name="Heart of Borneo Peatlands")).to_be_visible()
    expect(page.locator("#landscape-map")).to_have_attribute("data-loaded", "1")
    axe_check(page)


def test_leader_edits_her_landscape_and_uploads_a_boundary(page):
    sign_in(page, "lena")
    page.get_by_role("link", name="Mount Kenya Forest and Farms").click()
    page.get_by_role("link", name="Edit", exact=True).click()
    axe_check(page)
    page.get_by_label("Population").fill("2345678")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Changes saved.")).to_be_visible()
    expect(page.get_by_text("2,345,678")).to_be_visible()
    page.get_by_role("link", name="Boundary", exact=True).click()
    axe_check(page)
    page.get_by_label("Boundary file").set_input_files(
        files=[
            {
                "name": "boundary.geojson",
                "mimeType": "application/geo+json",
                "buffer": json.dumps(SQUARE).encode(),
            }
        ]  # fmt: skip
    )
    page.get_by_role("button", name="Save boundary").click()
    expect(page.get_by_text("Boundary saved.")).to_be_visible()
    expect(page.get_by_text("3,0", exact=False).first).to_be_visible()  # ≈ 3,0xx km²


def test_search_finds_landscapes_and_organizations(page):
    page.goto("/")
    page.get_by_label("Search the hub").fill("cocoa")
    page.get_by_label("Search the hub").press("Enter")
    expect(page.get_by_role("link", name="Ashanti Cocoa Landscape", exact=True)).to_be_visible()
    expect(page.locator("[data-facet=organization] .facet-count")).not_to_have_text("0")
    axe_check(page)


def test_hub_staff_imports_a_csv_and_watches_the_progress_bar(page):
    sign_in(page, "hana")
    page.get_by_role("button", name="Hub tools").click()
    page.get_by_role("link", name="Imports").click()
    axe_check(page)
    page.get_by_label("What to import").select_option("organizations")
    csv = "name,kind,country\nSavanna Seed Bank,ngo,KE\nCoastal Mangrove Trust,ngo,TZ\n"
    page.get_by_label("CSV or XLSX file").set_input_files(
        files=[{"name": "orgs.csv", "mimeType": "text/csv", "buffer": csv.encode()}]
    )
    page.get_by_role("button", name="Start the import").click()
    bar = page.get_by_role("progressbar", name="Import progress")
    expect(bar).to_be_visible()
    expect(bar).to_have_attribute("aria-valuenow", "100", timeout=30_000)
    expect(page.get_by_text("2 records created.")).to_be_visible()
    axe_check(page)
    page.goto("/organizations/?q=mangrove")
    expect(page.get_by_role("link", name="Coastal Mangrove Trust")).to_be_visible()


def test_switch_to_spanish(page):
    page.goto("/landscapes/")
    page.get_by_label("Language").select_option("es")
    expect(page.get_by_role("heading", name="Paisajes", exact=True)).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.locator("#result-count")).to_have_text("12 paisajes")
    page.get_by_label("Ecosistema").select_option(label="Turbera")
    expect(page.locator("#result-count")).to_have_text("1 paisaje")
    axe_check(page)


def test_the_main_bar_keeps_every_menu_on_screen_in_each_language(page):
    """Hub staff have the longest bar (ten menus, search, language, bell, account): at a
    laptop's 1280 px it wraps onto a second line rather than pushing the account menu, and
    sign-out, off the screen — in the longest translations too."""
    sign_in(page, "hana")
    for width, language in ((1280, "fr"), (1280, "es"), (1200, "pt"), (1440, "en")):
        page.set_viewport_size({"width": width, "height": 800})
        page.locator("#language-switcher").select_option(language)
        page.wait_for_load_state("load")
        page.wait_for_function(f"document.documentElement.lang.startsWith('{language}')")
        assert page.evaluate("document.documentElement.scrollWidth") <= width, language
        account = page.locator("nav .dropdown-toggle").last.bounding_box()
        assert account["x"] + account["width"] <= width, language
        search = page.locator("#site-search").bounding_box()
        assert search["width"] >= 100, language  # a box one can type in, not a sliver
    page.locator("#language-switcher").select_option("en")
