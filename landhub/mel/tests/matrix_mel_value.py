"""Permission matrix of system change trails, contribution claims and value reports.

Every signed-in member reads trails (archived ones too, on their page), the system change
summary, claims (of outcomes they may read), value reports of offerings they may see and the
value overview; hub staff (and MEL reviewers, not among the personas) record, archive and
restore trails, record steps and claims. The draft offering's report
is read only by its provider's staff (pablo) and hub staff: a 404 for everyone else.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from landhub.core.matrix import NOT_FOUND, OK, REDIRECT, UNAUTH, Case, only, signed_in

STAFF = {"hana"}
API = "/api/v1/mel"


def _outcome(w):
    from landhub.mel.models import OutcomeStatement

    outcome, _created = OutcomeStatement.objects.get_or_create(
        title="Matrix bank adopts criteria",
        defaults={"description": "It did.", "actor_name": "Matrix Bank",
                  "actor_type": "financial_institution", "change_type": "policy",
                  "domain": "financial_sector", "occurred_on": dt.date(2025, 5, 1),
                  "contribution": "Coaching.", "status": "published", "visibility": "network",
                  "recorded_by": w.hana},
    )  # fmt: skip
    outcome.offerings.add(w.offering)
    return outcome


def _trail(w):
    from landhub.mel import services
    from landhub.mel.models import ChangeTrail

    trail = ChangeTrail.objects.filter(actor_name="Matrix Bank").first()
    if trail is None:
        trail = services.trail_create(actor=w.hana, actor_name="Matrix Bank",
                                      actor_type="financial_institution",
                                      domain="financial_sector")  # fmt: skip
        services.step_add(actor=w.hana, trail=trail, stage="committed",
                          reached_on=dt.date(2025, 5, 1), outcomes=[_outcome(w)])  # fmt: skip
    return trail


def _archived_trail(w):
    """A trail archived by hub staff (the restore cases need one)."""
    from landhub.mel import services
    from landhub.mel.models import ChangeTrail

    trail = ChangeTrail.objects.filter(actor_name="Matrix Archived Bank").first()
    if trail is None:
        trail = services.trail_create(actor=w.hana, actor_name="Matrix Archived Bank",
                                      actor_type="financial_institution",
                                      domain="financial_sector")  # fmt: skip
        services.trail_archive(actor=w.hana, trail=trail, version=trail.version)
    return trail


def ARCHIVED_TRAIL(w):  # noqa: N802
    return _archived_trail(w).pk


def _step(w):
    return _trail(w).steps.first()


def _claim(w):
    from landhub.mel import services
    from landhub.mel.models import ContributionClaim

    claim = ContributionClaim.objects.filter(claim="Matrix claim").first()
    return claim or services.claim_create(
        actor=w.hana, outcome=_outcome(w), offering=w.offering, text="Matrix claim",
        evidence="Interviews.", confidence="medium", confidence_reason="Two sources.",
        alternatives=[{"explanation": "Regulation", "plausibility": "low"}],
    )  # fmt: skip


def url(name, *args):
    return lambda w: reverse(f"mel:{name}", args=[a(w) if callable(a) else a for a in args])


def TRAIL(w):  # noqa: N802 - reads like the other matrices' constants
    return _trail(w).pk


def CLAIM(w):  # noqa: N802
    return _claim(w).pk


def _claim_form(w):
    return {"outcome": _outcome(w).pk, "offering": w.offering.slug, "claim": "It helped.",
            "evidence": "Minutes.", "confidence": "low", "confidence_reason": "One source.",
            "alt-TOTAL_FORMS": "1", "alt-INITIAL_FORMS": "0", "alt-MIN_NUM_FORMS": "0",
            "alt-MAX_NUM_FORMS": "20", "alt-0-explanation": "Luck",
            "alt-0-plausibility": "low", "alt-0-reasoning": ""}  # fmt: skip


HIDDEN = {**dict.fromkeys(("sofia", "lena", "nora", "oscar"), NOT_FOUND),
          "hana": OK, "pablo": OK, "anonymous": REDIRECT}  # fmt: skip

PAGES = [
    Case("mel:trail_list", url("trail_list"), expect=signed_in()),
    Case("mel:trail_export_csv", url("trail_export_csv"), expect=signed_in()),
    Case("mel:trail_create", url("trail_create"), expect=only(STAFF)),
    Case("mel:trail_create", url("trail_create"), method="post", label="save",
         data={"actor_name": "Matrix Ministry", "actor_type": "government",
               "domain": "government_policy", "visibility": "network"},
         expect=only(STAFF, yes=REDIRECT)),
    Case("mel:trail_detail", url("trail_detail", TRAIL), expect=signed_in()),
    Case("mel:trail_edit", url("trail_edit", TRAIL), expect=only(STAFF)),
    Case("mel:trail_archive", url("trail_archive", TRAIL), expect=only(STAFF)),
    Case("mel:trail_archive", url("trail_archive", TRAIL), method="post", label="archive",
         data=lambda w: {"version": _trail(w).version}, expect=only(STAFF, yes=REDIRECT)),
    Case("mel:trail_restore", url("trail_restore", ARCHIVED_TRAIL), method="post",
         data=lambda w: {"version": _archived_trail(w).version},
         expect=only(STAFF, yes=REDIRECT)),
    Case("mel:trail_detail", url("trail_detail", ARCHIVED_TRAIL), label="archived",
         expect=signed_in()),
    Case("mel:step_add", url("step_add", TRAIL), method="post",
         data={"stage": "adopted", "reached_on": "2025-09-01", "evidence": "Policy."},
         expect=only(STAFF, yes=REDIRECT)),
    Case("mel:step_remove", lambda w: reverse("mel:step_remove", args=[TRAIL(w), _step(w).pk]),
         method="post", expect=only(STAFF, yes=REDIRECT)),
    Case("mel:system_change", url("system_change"), expect=signed_in()),
    Case("mel:system_change_csv", url("system_change_csv"), expect=signed_in()),
    Case("mel:claim_list", url("claim_list"), expect=signed_in()),
    Case("mel:claim_export_csv", url("claim_export_csv"), expect=signed_in()),
    Case("mel:claim_create", url("claim_create"), expect=only(STAFF)),
    Case("mel:claim_create", url("claim_create"), method="post", data=_claim_form,
         label="save", expect=only(STAFF, yes=REDIRECT)),
    Case("mel:claim_detail", url("claim_detail", CLAIM), expect=signed_in()),
    Case("mel:claim_edit", url("claim_edit", CLAIM), expect=only(STAFF)),
    Case("mel:claim_archive", url("claim_archive", CLAIM), expect=only(STAFF)),
    Case("mel:claim_archive", url("claim_archive", CLAIM), method="post", label="archive",
         expect=only(STAFF, yes=REDIRECT)),
    Case("mel:value_overview", url("value_overview"), expect=signed_in()),
    Case("mel:value_overview_csv", url("value_overview_csv"), expect=signed_in()),
    Case("mel:value_offering", lambda w: reverse("mel:value_offering", args=[w.offering.slug]),
         expect=signed_in()),
    Case("mel:value_offering",
         lambda w: reverse("mel:value_offering", args=[w.draft_offering.slug]),
         label="draft offering", expect=HIDDEN),
    Case("mel:value_partner", lambda w: reverse("mel:value_partner", args=[w.core_org.slug]),
         expect=signed_in()),
    Case("mel:value_quotes",
         lambda w: reverse("mel:value_quotes", args=["offering", w.offering.slug]),
         expect=signed_in()),
]  # fmt: skip

MEMBERS = {**signed_in(), "anonymous": UNAUTH}

API_CASES = [
    Case(f"GET {API}/trails", lambda w: f"{API}/trails", expect=MEMBERS),
    Case(f"POST {API}/trails", lambda w: f"{API}/trails", method="post", json=True,
         data={"actor_name": "API Ministry", "actor_type": "government",
               "domain": "government_policy"},
         expect=only(STAFF, yes=201, anonymous=UNAUTH)),
    Case(f"GET {API}/trails/{{trail_id}}", lambda w: f"{API}/trails/{TRAIL(w)}", expect=MEMBERS),
    Case(f"PATCH {API}/trails/{{trail_id}}", lambda w: f"{API}/trails/{TRAIL(w)}",
         method="patch", json=True,
         data=lambda w: {"version": _trail(w).version, "summary": "Matrix."},
         expect=only(STAFF, anonymous=UNAUTH)),
    Case(f"POST {API}/trails/{{trail_id}}/archive", lambda w: f"{API}/trails/{TRAIL(w)}/archive",
         method="post", json=True, data=lambda w: {"version": _trail(w).version},
         expect=only(STAFF, anonymous=UNAUTH)),
    Case(f"POST {API}/trails/{{trail_id}}/restore",
         lambda w: f"{API}/trails/{ARCHIVED_TRAIL(w)}/restore", method="post", json=True,
         data=lambda w: {"version": _archived_trail(w).version},
         expect=only(STAFF, anonymous=UNAUTH)),
    Case(f"POST {API}/trails/{{trail_id}}/steps", lambda w: f"{API}/trails/{TRAIL(w)}/steps",
         method="post", json=True,
         data={"stage": "adopted", "reached_on": "2025-09-01", "evidence": "Policy."},
         expect=only(STAFF, yes=201, anonymous=UNAUTH)),
    Case(f"DELETE {API}/trails/{{trail_id}}/steps/{{step_id}}",
         lambda w: f"{API}/trails/{TRAIL(w)}/steps/{_step(w).pk}", method="delete",
         expect=only(STAFF, yes=204, anonymous=UNAUTH)),
    Case(f"GET {API}/system-change", lambda w: f"{API}/system-change?year=2025",
         expect=MEMBERS),
    Case(f"GET {API}/claims", lambda w: f"{API}/claims", expect=MEMBERS),
    Case(f"POST {API}/claims", lambda w: f"{API}/claims", method="post", json=True,
         data=lambda w: {"outcome": _outcome(w).pk, "partner": w.core_org.slug,
                         "claim": "It helped.", "evidence": "Minutes.", "confidence": "low",
                         "confidence_reason": "One source.",
                         "alternatives": [{"explanation": "Luck", "plausibility": "low"}]},
         expect=only(STAFF, yes=201, anonymous=UNAUTH)),
    Case(f"GET {API}/claims/{{claim_id}}", lambda w: f"{API}/claims/{CLAIM(w)}", expect=MEMBERS),
    Case(f"PATCH {API}/claims/{{claim_id}}", lambda w: f"{API}/claims/{CLAIM(w)}",
         method="patch", json=True,
         data=lambda w: {"version": _claim(w).version, "confidence": "high"},
         expect=only(STAFF, anonymous=UNAUTH)),
    Case(f"DELETE {API}/claims/{{claim_id}}", lambda w: f"{API}/claims/{CLAIM(w)}",
         method="delete", expect=only(STAFF, yes=204, anonymous=UNAUTH)),
    Case(f"GET {API}/value/offerings/{{slug}}",
         lambda w: f"{API}/value/offerings/{w.offering.slug}", expect=MEMBERS),
    Case(f"GET {API}/value/offerings/{{slug}}",
         lambda w: f"{API}/value/offerings/{w.draft_offering.slug}", label="draft offering",
         expect={**HIDDEN, "anonymous": UNAUTH}),
    Case(f"GET {API}/value/partners/{{slug}}",
         lambda w: f"{API}/value/partners/{w.core_org.slug}", expect=MEMBERS),
    Case(f"GET {API}/value", lambda w: f"{API}/value?tab=partners", expect=MEMBERS),
]  # fmt: skip

CASES = [*PAGES, *API_CASES]
