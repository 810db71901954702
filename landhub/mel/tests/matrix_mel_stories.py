"""Permission matrix of most significant change: stories and selection rounds.

Every signed-in member reads the network story of lena's landscape, the story lists and the
stories for communications; its landscape's members (lena) and hub staff collect stories;
its collector and leader (lena) and hub staff edit it, record consent and archive it. The
open round's panel is lena: she and hub staff read and select; only hub staff set up, edit,
fill and close rounds; everybody else gets a 404 for the open round.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from landhub.core.matrix import NOT_FOUND, REDIRECT, UNAUTH, Case, only, signed_in

STAFF = {"hana"}
EDITORS = {"hana", "lena"}  # collect in Kenya Highlands, change lena's story
PANEL = {"hana", "lena"}


def _story(w):
    """A network story of the world's public landscape, collected by lena, consent named."""
    from landhub.mel import services
    from landhub.mel.models import Story

    return Story.objects.filter(title="Matrix story").first() or services.story_create(
        actor=w.lena, title="Matrix story", landscape=w.landscape, storyteller="Amina",
        domain="land_and_nature", told_on=dt.date(2025, 5, 1), story="The river came back.",
        why_significant="Fish again.", consent="named", consent_recorded_on=dt.date(2025, 5, 1),
    )  # fmt: skip


def _round(w):
    """An open round of 2025 with lena on the panel, the story before it, selected by hub
    staff (so it can be closed)."""
    from landhub.mel import services
    from landhub.mel.models import SelectionRound

    found = SelectionRound.objects.filter(title="Matrix round").first()
    if found is not None:
        return found
    story = _story(w)
    selection_round = services.round_create(
        actor=w.hana, title="Matrix round", panel_name="LLAG", panel=[w.lena],
        period_start=dt.date(2025, 1, 1), period_end=dt.date(2025, 12, 31),
    )  # fmt: skip
    services.round_add_stories(actor=w.hana, selection_round=selection_round, stories=[story])
    services.round_select(actor=w.hana, selection_round=selection_round, story=story,
                          reason="Clear change.")  # fmt: skip
    return selection_round


def SID(w):  # noqa: N802 - reads like the other matrices' constants
    return _story(w).pk


def RID(w):  # noqa: N802
    return _round(w).pk


def url(name, *args):
    return lambda w: reverse(f"mel:{name}", args=[a(w) if callable(a) else a for a in args])


def _story_form(w):
    return {"title": "Matrix new story", "landscape": w.landscape.pk, "storyteller": "Kofi",
            "domain": "collaboration", "told_on": "2025-02-01", "language": "en",
            "story": "We met.", "why_significant": "First time.", "consent": "not_asked",
            "visibility": "network"}  # fmt: skip


def _edit_form(w):
    story = _story(w)
    data = _story_form(w)
    data.update({"title": "Matrix story (edited)", "version": story.version})
    data.pop("consent")
    return data


def _round_form(w):
    return {"title": "Matrix round 2", "panel_name": "LLAG", "panel": "lena@example.org",
            "domain": "", "period_start": "2025-01-01", "period_end": "2025-12-31"}  # fmt: skip


ROUND_READERS = {"hana": 200, "lena": 200, "pablo": NOT_FOUND, "sofia": NOT_FOUND,
                 "nora": NOT_FOUND, "oscar": NOT_FOUND, "anonymous": REDIRECT}  # fmt: skip


def _round_write(allowed: set[str], *, yes=REDIRECT, anonymous=REDIRECT) -> dict:
    """Hub staff may; lena reads the round but may not (403); others cannot see it (404)."""
    expect = dict.fromkeys(ROUND_READERS, NOT_FOUND)
    expect.update({"lena": 403, "anonymous": anonymous})
    expect.update(dict.fromkeys(allowed, yes))
    return expect


PAGES = [
    Case("mel:story_list", url("story_list"), expect=signed_in()),
    Case("mel:story_export_csv", url("story_export_csv"), expect=signed_in()),
    Case("mel:story_create", url("story_create"), expect=only(EDITORS)),
    Case("mel:story_create", url("story_create"), method="post", data=_story_form,
         expect=only(EDITORS, yes=REDIRECT)),
    Case("mel:stories_for_communications", url("stories_for_communications"),
         expect=signed_in()),
    Case("mel:story_detail", url("story_detail", SID), expect=signed_in()),
    Case("mel:story_edit", url("story_edit", SID), expect=only(EDITORS)),
    Case("mel:story_edit", url("story_edit", SID), method="post", data=_edit_form,
         expect=only(EDITORS, yes=REDIRECT)),
    Case("mel:story_consent", url("story_consent", SID), method="post",
         data=lambda w: {"consent": "refused", "consent_recorded_on": "2025-06-01",
                         "version": _story(w).version},
         expect=only(EDITORS, yes=REDIRECT)),
    Case("mel:story_archive", url("story_archive", SID), method="post",
         data=lambda w: {"version": _story(w).version}, expect=only(EDITORS, yes=REDIRECT)),
    Case("mel:round_list", url("round_list"), expect=signed_in()),
    Case("mel:round_create", url("round_create"), expect=only(STAFF)),
    Case("mel:round_create", url("round_create"), method="post", data=_round_form,
         expect=only(STAFF, yes=REDIRECT)),
    Case("mel:round_detail", url("round_detail", RID), expect=ROUND_READERS),
    Case("mel:round_edit", url("round_edit", RID), expect=_round_write(STAFF, yes=200)),
    Case("mel:round_edit", url("round_edit", RID), method="post",
         data=lambda w: {**_round_form(w), "version": _round(w).version},
         expect=_round_write(STAFF)),
    Case("mel:round_add_stories", url("round_add_stories", RID), method="post",
         expect=_round_write(STAFF)),
    Case("mel:round_select", url("round_select", RID), method="post",
         data=lambda w: {"story": SID(w), "selected": "1", "reason": "It matters."},
         expect={**_round_write(PANEL)}),
    Case("mel:round_close", url("round_close", RID), method="post",
         data=lambda w: {"notes": "Done.", "version": _round(w).version},
         expect=_round_write(STAFF)),
]  # fmt: skip

API = "/api/v1/mel"
API_USERS = {**signed_in(), "anonymous": UNAUTH}


def _api_round(allowed: set[str], *, yes=200) -> dict:
    return _round_write(allowed, yes=yes, anonymous=UNAUTH)


API_CASES = [
    Case(f"GET {API}/stories", lambda w: f"{API}/stories", expect=API_USERS),
    Case(f"POST {API}/stories", lambda w: f"{API}/stories", method="post", json=True,
         data=lambda w: {**_story_form(w), "landscape": w.landscape.slug},
         expect=only(EDITORS, yes=201, anonymous=UNAUTH)),
    Case(f"GET {API}/stories/for-communications", lambda w: f"{API}/stories/for-communications",
         expect=API_USERS),
    Case(f"GET {API}/stories/{{story_id}}", lambda w: f"{API}/stories/{SID(w)}",
         expect=API_USERS),
    Case(f"PATCH {API}/stories/{{story_id}}", lambda w: f"{API}/stories/{SID(w)}",
         method="patch", json=True,
         data=lambda w: {"version": _story(w).version, "title": "Matrix story (API)"},
         expect=only(EDITORS, anonymous=UNAUTH)),
    Case(f"POST {API}/stories/{{story_id}}/consent", lambda w: f"{API}/stories/{SID(w)}/consent",
         method="post", json=True,
         data=lambda w: {"version": _story(w).version, "consent": "internal",
                         "recorded_on": "2025-06-01"},
         expect=only(EDITORS, anonymous=UNAUTH)),
    Case(f"POST {API}/stories/{{story_id}}/archive", lambda w: f"{API}/stories/{SID(w)}/archive",
         method="post", json=True, data=lambda w: {"version": _story(w).version},
         expect=only(EDITORS, anonymous=UNAUTH)),
    Case(f"GET {API}/rounds", lambda w: f"{API}/rounds", expect=API_USERS),
    Case(f"POST {API}/rounds", lambda w: f"{API}/rounds", method="post", json=True,
         data={"title": "API round", "panel_name": "LLAG", "panel": ["lena@example.org"],
               "period_start": "2025-01-01", "period_end": "2025-12-31"},
         expect=only(STAFF, yes=201, anonymous=UNAUTH)),
    Case(f"GET {API}/rounds/{{round_id}}", lambda w: f"{API}/rounds/{RID(w)}",
         expect={**ROUND_READERS, "anonymous": UNAUTH}),
    Case(f"POST {API}/rounds/{{round_id}}/stories", lambda w: f"{API}/rounds/{RID(w)}/stories",
         method="post", json=True, data={}, expect=_api_round(STAFF)),
    Case(f"POST {API}/rounds/{{round_id}}/select", lambda w: f"{API}/rounds/{RID(w)}/select",
         method="post", json=True,
         data=lambda w: {"story": SID(w), "selected": True, "reason": "It matters."},
         expect=_api_round(PANEL)),
    Case(f"POST {API}/rounds/{{round_id}}/close", lambda w: f"{API}/rounds/{RID(w)}/close",
         method="post", json=True, data=lambda w: {"version": _round(w).version},
         expect=_api_round(STAFF)),
]  # fmt: skip

CASES = [*PAGES, *API_CASES]
