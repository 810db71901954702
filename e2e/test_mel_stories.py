"""The most significant change journey: a panel member (lena, on the demo's open round) reads
the stories and selects one with the panel's reason; hub staff close the round; the story
shows it was selected and appears among the stories communications may use."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from .conftest import axe_check, sign_in

ROUND = "Most significant change, second half of 2025"
STORY = "A youth group's tree nursery pays its own way"
REASON = "Young people earn a living by restoring the land: other landscapes can copy it."


def _card(page):
    return page.locator("article", has=page.get_by_role("heading", name=STORY))


def test_a_panel_selects_a_story_that_then_reaches_communications(page):
    sign_in(page, "lena")
    page.goto("/mel/rounds/")
    expect(page.get_by_role("heading", name="Selection rounds")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name=ROUND).click()
    expect(page.get_by_role("heading", name=ROUND)).to_be_visible()
    expect(page.get_by_text("You sit on this panel")).to_be_visible()

    card = _card(page)
    card.get_by_text("Read the whole story").click()
    expect(card.get_by_text("40,000 seedlings")).to_be_visible()
    card.get_by_role("button", name="Select").click()  # no reason: refused beside the field
    expect(_card(page).get_by_text("Say why the panel selects this story.")).to_be_visible()
    _card(page).get_by_label("Why the panel selects it").fill(REASON)
    _card(page).get_by_role("button", name="Select").click()
    expect(_card(page).get_by_text("Selected by Lena Leader")).to_be_visible()  # no reload
    expect(_card(page).get_by_role("button", name="Unselect")).to_be_visible()
    axe_check(page)

    page.context.clear_cookies()
    sign_in(page, "hana")
    page.goto("/mel/rounds/?status=open")
    page.get_by_role("link", name=ROUND).click()
    expect(page.locator("#selection-log")).to_contain_text(REASON)
    page.get_by_label("Notes of the discussion").fill("The panel read every story aloud.")
    page.get_by_role("button", name="Close the round").click()
    expect(page.get_by_text("Round closed. The selected stories are marked.")).to_be_visible()
    expect(page.get_by_text("The panel read every story aloud.")).to_be_visible()
    axe_check(page)

    page.get_by_role("link", name=STORY).first.click()
    expect(page.get_by_role("heading", name=STORY)).to_be_visible()
    expect(page.locator("#selected-badge")).to_contain_text("Selected as most significant")
    expect(page.locator("#selected-badge")).to_contain_text(REASON)
    expect(page.locator("#consent-now")).to_contain_text("with the storyteller's name")
    axe_check(page)

    page.get_by_role("link", name="Stories of change").first.click()
    page.get_by_role("link", name="For communications").click()
    stories = page.locator("#communication-stories")
    expect(stories.get_by_role("link", name=STORY)).to_be_visible()
    item = stories.locator("li", has=page.get_by_role("link", name=STORY))
    expect(item.get_by_text("Name may be shown")).to_be_visible()
    expect(item.get_by_text(re.compile("Told by Brian Muriuki"))).to_be_visible()
    axe_check(page)
