"""Permission matrix of outcome harvesting.

Anyone reads the register, the dashboard and a published public statement; hub staff (the
world's only reviewer), core partners' staff (pablo) and landscape leaders (lena) record
outcomes; an unpublished statement is read by its author (lena here) and the reviewers only —
a 404 for everyone else; the author submits, edits and archives her draft; reviewers return,
ask for substantiation, mark substantiated and publish (403 for the author, who reads it).
The public substantiation page needs no account.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from landhub.core.matrix import (
    NOT_FOUND,
    OK,
    REDIRECT,
    UNAUTH,
    Case,
    only,
    signed_in,
)

RECORDERS = {"hana", "pablo", "lena"}
TOKEN = "matrix-substantiation-token-0123456789abcdefghijklmnopq"


def _outcome(w, status: str, *, answered: bool = False):
    """A statement by lena in the world's public landscape, in ``status``."""
    from django.utils import timezone

    from landhub.mel.models import OutcomeStatement, Substantiation
    from landhub.mel.services import token_hash

    outcome, created = OutcomeStatement.objects.get_or_create(
        title=f"Matrix outcome ({status})",
        defaults={
            "description": "A ministry adopted an ILM policy.", "actor_name": "Ministry of Lands",
            "actor_type": "government", "change_type": "policy", "domain": "government_policy",
            "occurred_on": dt.date(2025, 5, 1), "status": status, "visibility": "public",
            "contribution": "Partners drafted it together.", "recorded_by": w.lena,
        },
    )  # fmt: skip
    if created:
        outcome.landscapes.add(w.landscape)
        if answered:
            Substantiation.objects.create(
                outcome=outcome, name="Ana", email="ana@example.net", token_hash=token_hash(
                    f"answered-{status}"), expires_at=timezone.now() + dt.timedelta(days=3),
                statement_agreement="fully", contribution_agreement="fully",
                answered_at=timezone.now(),
            )  # fmt: skip
    return outcome


def _open_link(w) -> str:
    from django.utils import timezone

    from landhub.mel.models import Substantiation
    from landhub.mel.services import token_hash

    outcome = _outcome(w, "under_review")
    Substantiation.objects.get_or_create(
        token_hash=token_hash(TOKEN),
        defaults={"outcome": outcome, "name": "Ana", "email": "ana@example.net",
                  "expires_at": timezone.now() + dt.timedelta(days=3)},
    )  # fmt: skip
    return reverse("mel:substantiation_answer", args=[TOKEN])


def DRAFT(w):  # noqa: N802 - reads like the other matrices' constants
    return _outcome(w, "draft").pk


def REVIEW(w):  # noqa: N802
    return _outcome(w, "under_review").pk


def ANSWERED(w):  # noqa: N802
    return _outcome(w, "under_review", answered=True).pk


def SUBSTANTIATED(w):  # noqa: N802
    return _outcome(w, "substantiated", answered=True).pk


def PUBLISHED(w):  # noqa: N802
    return _outcome(w, "published", answered=True).pk


def url(name, *args):
    return lambda w: reverse(f"mel:{name}", args=[a(w) if callable(a) else a for a in args])


def authors_draft(*, yes=OK, anonymous=REDIRECT) -> dict:
    """Lena's draft: she and hub staff act; the others do not see it."""
    result = only({"hana", "lena"}, yes=yes, no=NOT_FOUND, anonymous=anonymous)
    return result


def reviewers_only(*, yes=REDIRECT, anonymous=REDIRECT) -> dict:
    """Under review: hub staff act; lena (the author) reads it but may not; others: 404."""
    result = only({"hana"}, yes=yes, no=NOT_FOUND, anonymous=anonymous)
    result["lena"] = 403
    return result


FORM = {
    "title": "A buyer changed its sourcing", "description": "It buys from the landscape.",
    "actor_name": "Cocoa Buyer Ltd", "actor_type": "business", "change_type": "practice",
    "domain": "business_practices", "occurred_on": "2025-02-01",
    "landscapes": ["Kenya Highlands"], "intended": "yes", "effect": "positive",
    "significance_level": "high", "contribution": "A sourcing workshop.", "visibility": "public",
}  # fmt: skip

PAGES = [
    Case("mel:outcome_list", url("outcome_list")),
    Case("mel:outcome_export", url("outcome_export", "csv")),
    Case("mel:outcome_export", url("outcome_export", "xlsx"), label="xlsx"),
    Case("mel:outcome_dashboard", url("outcome_dashboard")),
    Case("mel:outcome_dashboard_csv", url("outcome_dashboard_csv")),
    Case(
        "mel:learning_suggest",
        lambda w: reverse("mel:learning_suggest") + "?kind=activity&q=fin",
        expect=signed_in(anonymous=OK),  # an empty list when signed out
        label="activity",
    ),  # fmt: skip
    Case("mel:outcome_create", url("outcome_create"), expect=only(RECORDERS)),
    Case(
        "mel:outcome_create",
        url("outcome_create"),
        method="post",
        data=FORM,
        expect=only(RECORDERS, yes=REDIRECT),
    ),  # fmt: skip
    Case("mel:outcome_detail", url("outcome_detail", PUBLISHED)),
    Case(
        "mel:outcome_detail",
        url("outcome_detail", DRAFT),
        label="draft",
        expect=authors_draft(anonymous=NOT_FOUND),
    ),  # fmt: skip
    Case("mel:outcome_edit", url("outcome_edit", DRAFT), expect=authors_draft()),
    Case(
        "mel:outcome_edit",
        url("outcome_edit", DRAFT),
        method="post",
        data=lambda w: {**FORM, "version": 1},
        expect=authors_draft(yes=REDIRECT),
    ),  # fmt: skip
    Case(
        "mel:outcome_transition",
        url("outcome_transition", DRAFT, "submit"),
        method="post",
        data={"version": "1"},
        expect=authors_draft(yes=REDIRECT),
        label="submit",
    ),  # fmt: skip
    Case(
        "mel:outcome_transition",
        url("outcome_transition", DRAFT, "archive"),
        method="post",
        data={},
        expect=authors_draft(yes=REDIRECT),
        label="archive",
    ),  # fmt: skip
    Case(
        "mel:outcome_transition",
        url("outcome_transition", REVIEW, "return"),
        method="post",
        data={"comment": "Name the policy."},
        expect=reviewers_only(),
        label="return",
    ),  # fmt: skip
    Case(
        "mel:outcome_transition",
        url("outcome_transition", ANSWERED, "substantiate"),
        method="post",
        data={},
        expect=reviewers_only(),
        label="substantiate",
    ),  # fmt: skip
    Case(
        "mel:outcome_transition",
        url("outcome_transition", SUBSTANTIATED, "publish"),
        method="post",
        data={},
        expect=reviewers_only(),
        label="publish",
    ),  # fmt: skip
    Case(
        "mel:substantiation_request",
        url("substantiation_request", REVIEW),
        method="post",
        data={"name": "Ana", "email": "ana@example.net", "language": "es"},
        expect=reviewers_only(),
    ),  # fmt: skip
    Case("mel:substantiation_answer", _open_link),
    Case(
        "mel:substantiation_answer",
        _open_link,
        method="post",
        label="answer",
        data={"statement_agreement": "fully", "contribution_agreement": "partly"},
    ),  # fmt: skip
]

API_URL = "/api/v1/mel/outcomes"
API_FORM = {**FORM, "landscapes": ["kenya-highlands"], "intended": True}


def _api_draft(w) -> str:
    return f"{API_URL}/{DRAFT(w)}"


API = [
    Case(f"GET {API_URL}", lambda w: API_URL),
    Case(f"GET {API_URL}/dashboard", lambda w: f"{API_URL}/dashboard"),
    Case(
        f"POST {API_URL}",
        lambda w: API_URL,
        method="post",
        json=True,
        data=lambda w: {**API_FORM, "landscapes": [w.landscape.slug]},
        expect=only(RECORDERS, yes=201, anonymous=UNAUTH),
    ),  # fmt: skip
    Case(f"GET {API_URL}/{{outcome_id}}", lambda w: f"{API_URL}/{PUBLISHED(w)}"),
    Case(
        f"PATCH {API_URL}/{{outcome_id}}",
        _api_draft,
        method="patch",
        json=True,
        data={"version": 1, "title": "Renamed"},
        expect=authors_draft(anonymous=UNAUTH),
    ),  # fmt: skip
    Case(
        f"POST {API_URL}/{{outcome_id}}/submit",
        lambda w: _api_draft(w) + "/submit",
        method="post",
        json=True,
        data={"version": 1},
        expect=authors_draft(anonymous=UNAUTH),
    ),  # fmt: skip
    Case(
        f"POST {API_URL}/{{outcome_id}}/archive",
        lambda w: _api_draft(w) + "/archive",
        method="post",
        json=True,
        data={},
        expect=authors_draft(anonymous=UNAUTH),
    ),  # fmt: skip
    Case(
        f"POST {API_URL}/{{outcome_id}}/return",
        lambda w: f"{API_URL}/{REVIEW(w)}/return",
        method="post",
        json=True,
        data={"comment": "Name the policy."},
        expect=reviewers_only(yes=OK, anonymous=UNAUTH),
    ),  # fmt: skip
    Case(
        f"POST {API_URL}/{{outcome_id}}/substantiations",
        lambda w: f"{API_URL}/{REVIEW(w)}/substantiations",
        method="post",
        json=True,
        data={"name": "Ana", "email": "ana@example.net"},
        expect=reviewers_only(yes=201, anonymous=UNAUTH),
    ),  # fmt: skip
    Case(
        f"POST {API_URL}/{{outcome_id}}/substantiate",
        lambda w: f"{API_URL}/{ANSWERED(w)}/substantiate",
        method="post",
        json=True,
        data={},
        expect=reviewers_only(yes=OK, anonymous=UNAUTH),
    ),  # fmt: skip
    Case(
        f"POST {API_URL}/{{outcome_id}}/publish",
        lambda w: f"{API_URL}/{SUBSTANTIATED(w)}/publish",
        method="post",
        json=True,
        data={},
        expect=reviewers_only(yes=OK, anonymous=UNAUTH),
    ),  # fmt: skip
]

CASES = [*PAGES, *API]
