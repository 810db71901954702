"""Permission matrix of the reach figure: every signed-in member reads the page, the CSV and
the API (totals; landscapes' names only as far as each may see them); hub staff ask for a
recomputation and watch its progress."""

from __future__ import annotations

from django.urls import reverse

from landhub.core.matrix import REDIRECT, UNAUTH, Case, only, signed_in

STAFF = {"hana"}


def _progress(w) -> int:
    """A "recompute now" of hana's, already finished."""
    from landhub.core.models import TaskProgress

    progress, _created = TaskProgress.objects.get_or_create(
        owner=w.hana, kind="mel.reach", label="Counting the people reached",
        defaults={"status": TaskProgress.Status.SUCCEEDED},
    )  # fmt: skip
    return progress.pk


PAGES = [
    Case("mel:reach", lambda w: reverse("mel:reach"), expect=signed_in()),
    Case("mel:reach_export_csv", lambda w: reverse("mel:reach_export_csv"), expect=signed_in()),
    Case(
        "mel:reach_recompute",
        lambda w: reverse("mel:reach_recompute"),
        method="post",
        expect=only(STAFF, yes=REDIRECT),
    ),
    Case(
        "mel:reach_progress",
        lambda w: reverse("mel:reach_progress", args=[_progress(w)]),
        expect=only(STAFF),
    ),
]

API = [
    Case(
        "GET /api/v1/mel/reach", lambda w: "/api/v1/mel/reach", expect=signed_in(anonymous=UNAUTH)
    ),  # fmt: skip
    Case(
        "POST /api/v1/mel/reach/recompute",
        lambda w: "/api/v1/mel/reach/recompute",
        method="post",
        json=True,
        data={},
        expect=only(STAFF, yes=202, anonymous=UNAUTH),
    ),
]

CASES = PAGES + API
