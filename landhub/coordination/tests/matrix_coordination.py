"""Permission matrix of the catalog: every page and API endpoint, for every persona.

pablo administers the provider (core_org) of both offerings; nora belongs to another
organization (so she may draft offerings of her own); sofia, lena and oscar belong to none.
"""

from __future__ import annotations

from django.urls import reverse

from landhub.core.matrix import (
    FORBIDDEN,
    INVALID,
    NOT_FOUND,
    OK,
    REDIRECT,
    UNAUTH,
    Case,
    only,
    signed_in,
)

STAFF = {"hana"}
PROVIDER = {"hana", "pablo"}
MAY_DRAFT = {"hana", "pablo", "nora"}


def url(name, *args):
    return lambda w: reverse(f"coordination:{name}", args=[a(w) for a in args])


def PUB(w):  # noqa: N802 - reads like the other matrices' constants
    return w.offering.slug


def DRAFT(w):  # noqa: N802
    return w.draft_offering.slug


def api(path):
    return lambda w: "/api/v1/offerings" + path.format(pub=PUB(w), draft=DRAFT(w))


def hidden_draft(yes=OK, anonymous=REDIRECT):
    """Only the provider's staff and hub staff know a draft exists."""
    result = dict.fromkeys(("pablo", "hana", "sofia", "lena", "nora", "oscar"), NOT_FOUND)
    result.update(dict.fromkeys(PROVIDER, yes))
    result["anonymous"] = anonymous
    return result


def LS(w):  # noqa: N802
    return w.landscape.slug


def HIDDEN(w):  # noqa: N802
    return w.restricted_landscape.slug


LEADER = {"hana", "lena"}

PAGES = [
    Case("coordination:landscape_recommendations", url("landscape_recommendations", LS)),
    Case(
        "coordination:landscape_recommendations",
        url("landscape_recommendations", HIDDEN),
        expect={"hana": OK},
        default=NOT_FOUND,
        label="(restricted)",
    ),  # fmt: skip
    Case(
        "coordination:landscape_recommendations",
        url("landscape_recommendations", LS),
        method="post",
        data=lambda w: {"offering": w.offering.slug, "reason": "not_now"},
        expect=only(LEADER, yes=REDIRECT, anonymous=FORBIDDEN),
        label="(set aside)",
    ),  # fmt: skip
    Case("coordination:offering_list", url("offering_list")),
    Case("coordination:offering_export_csv", url("offering_export_csv")),
    Case("coordination:offering_create", url("offering_create"), expect=only(MAY_DRAFT)),
    Case("coordination:offering_detail", url("offering_detail", PUB)),
    Case(
        "coordination:offering_detail",
        url("offering_detail", DRAFT),
        expect=hidden_draft(anonymous=NOT_FOUND),
        label="(draft)",
    ),  # fmt: skip
    Case("coordination:offering_history", url("offering_history", PUB), expect=signed_in()),
    Case("coordination:offering_edit", url("offering_edit", PUB), expect=only(PROVIDER)),
    Case(
        "coordination:offering_edit",
        url("offering_edit", DRAFT),
        expect=hidden_draft(),
        label="(draft)",
    ),  # fmt: skip
    Case(
        "coordination:offering_transition",
        url("offering_transition", DRAFT),
        method="post",
        data=lambda w: {"action": "submit", "version": w.draft_offering.version},
        expect=hidden_draft(yes=REDIRECT),
        label="(submit a draft)",
    ),  # fmt: skip
    Case(
        "coordination:offering_transition",
        url("offering_transition", PUB),
        method="post",
        data=lambda w: {"action": "retire", "version": w.offering.version},
        expect=only(STAFF, yes=REDIRECT),
        label="(retire)",
    ),  # fmt: skip
]


def _new(w):
    return {"title": "Matrix Offering", "summary": "Made by the permission matrix.",
            "type": "tool", "providers": [w.core_org.slug]}  # fmt: skip


def _api_hidden_draft(yes=OK):
    return hidden_draft(yes=yes, anonymous=UNAUTH)


API = [
    Case("GET /api/v1/offerings", api("")),
    Case(
        "POST /api/v1/offerings",
        api(""),
        method="post",
        json=True,
        data=_new,
        expect={**only(PROVIDER, yes=201, anonymous=UNAUTH), "nora": INVALID},
    ),  # fmt: skip
    Case("GET /api/v1/offerings/{slug}", api("/{pub}")),
    Case(
        "GET /api/v1/offerings/{slug}",
        api("/{draft}"),
        expect={**hidden_draft(), "anonymous": NOT_FOUND},
        label="(draft)",
    ),  # fmt: skip
    Case(
        "PATCH /api/v1/offerings/{slug}",
        api("/{pub}"),
        method="patch",
        json=True,
        data=lambda w: {"version": w.offering.version, "summary": "Changed by the matrix."},
        expect=only(PROVIDER, anonymous=UNAUTH),
    ),  # fmt: skip
    Case(
        "POST /api/v1/offerings/{slug}/submit",
        api("/{draft}/submit"),
        method="post",
        json=True,
        data=lambda w: {"version": w.draft_offering.version},
        expect=_api_hidden_draft(),
    ),  # fmt: skip
    Case(
        "POST /api/v1/offerings/{slug}/publish",
        api("/{draft}/publish"),
        method="post",
        json=True,
        data=lambda w: {"version": w.draft_offering.version},
        expect={**_api_hidden_draft(), "pablo": FORBIDDEN},
    ),  # fmt: skip
    Case(
        "POST /api/v1/offerings/{slug}/return",
        api("/{draft}/return"),
        method="post",
        json=True,
        data=lambda w: {"version": w.draft_offering.version, "comment": "Add a link."},
        expect={**_api_hidden_draft(), "hana": INVALID, "pablo": FORBIDDEN},
        label="(a draft is not in review)",
    ),  # fmt: skip
    Case(
        "POST /api/v1/offerings/{slug}/retire",
        api("/{pub}/retire"),
        method="post",
        json=True,
        data=lambda w: {"version": w.offering.version},
        expect=only(STAFF, anonymous=UNAUTH),
    ),  # fmt: skip
    Case(
        "POST /api/v1/offerings/{slug}/reopen",
        api("/{pub}/reopen"),
        method="post",
        json=True,
        data=lambda w: {"version": w.offering.version},
        expect={**only(STAFF, anonymous=UNAUTH), "hana": INVALID},
        label="(a published offering is not retired)",
    ),  # fmt: skip
]


def _request(w):
    """An open request of lena's landscape for pablo's offering."""
    from landhub.coordination.models import ServiceRequest

    return ServiceRequest.objects.get_or_create(
        landscape=w.landscape, offering=w.offering,
        defaults={"message": "Made by the permission matrix.", "requested_by": w.lena},
    )[0]  # fmt: skip


def REQ(w):  # noqa: N802
    return _request(w).pk


def parties(providers=OK, landscape=OK, anonymous=REDIRECT):
    """Who takes part in the request: its providers (pablo), its landscape (lena), hub staff."""
    result = dict.fromkeys(("sofia", "nora", "oscar"), NOT_FOUND)
    result.update({"pablo": providers, "lena": landscape, "hana": OK, "anonymous": anonymous})
    return result


def _act(action, extra=None):
    return lambda w: {"action": action, "version": _request(w).version, **(extra or {})}


REQUEST_PAGES = [
    Case("coordination:coverage", url("coverage"), expect=signed_in()),
    Case("coordination:coverage_export_csv", url("coverage_export_csv"), expect=signed_in()),
    Case("coordination:request_list", url("request_list"), expect=signed_in()),
    Case("coordination:request_export_csv", url("request_export_csv"), expect=signed_in()),
    Case("coordination:offering_request", url("offering_request", PUB), expect=only(LEADER)),
    Case("coordination:request_detail", url("request_detail", REQ), expect=parties()),
    Case(
        "coordination:request_action",
        url("request_action", REQ),
        method="post",
        data=_act("accept"),
        label="(accept)",
        expect={**parties(providers=REDIRECT, landscape=FORBIDDEN), "hana": REDIRECT},
    ),  # fmt: skip
    Case(
        "coordination:request_feedback",
        url("request_feedback", REQ),
        expect=parties(providers=FORBIDDEN),
    ),  # fmt: skip
]


def rapi(path):
    # Only paths with a request id make the matrix request (a POST must not find one).
    return lambda w: "/api/v1/requests" + (path.format(req=REQ(w)) if "{req}" in path else path)


def _api_act(extra=None):
    return lambda w: {"version": _request(w).version, **(extra or {})}


def api_parties(providers=OK, landscape=OK, staff=OK):
    return {**parties(providers, landscape, anonymous=UNAUTH), "hana": staff}


REQUEST_API = [
    Case("GET /api/v1/requests", rapi(""), expect=signed_in(anonymous=UNAUTH)),
    Case(
        "POST /api/v1/requests",
        rapi(""),
        method="post",
        json=True,
        data=lambda w: {
            "offering": w.offering.slug,
            "landscape": w.landscape.slug,
            "message": "Please help us with landscape finance.",
        },
        expect=only(LEADER, yes=201, anonymous=UNAUTH),
    ),  # fmt: skip
    Case("GET /api/v1/requests/{request_id}", rapi("/{req}"), expect=api_parties()),
    Case(
        "POST /api/v1/requests/{request_id}/accept",
        rapi("/{req}/accept"),
        method="post",
        json=True,
        data=_api_act(),
        expect=api_parties(landscape=FORBIDDEN),
    ),  # fmt: skip
    Case(
        "POST /api/v1/requests/{request_id}/start",
        rapi("/{req}/start"),
        method="post",
        json=True,
        data=_api_act(),
        expect=api_parties(providers=INVALID, landscape=FORBIDDEN, staff=INVALID),
        label="(not accepted yet)",
    ),  # fmt: skip
    Case(
        "POST /api/v1/requests/{request_id}/deliver",
        rapi("/{req}/deliver"),
        method="post",
        json=True,
        data=_api_act(),
        expect=api_parties(providers=INVALID, landscape=FORBIDDEN, staff=INVALID),
        label="(not accepted yet)",
    ),  # fmt: skip
    Case(
        "POST /api/v1/requests/{request_id}/decline",
        rapi("/{req}/decline"),
        method="post",
        json=True,
        data=_api_act({"answer": "We are fully booked."}),
        expect=api_parties(landscape=FORBIDDEN),
    ),  # fmt: skip
    Case(
        "POST /api/v1/requests/{request_id}/withdraw",
        rapi("/{req}/withdraw"),
        method="post",
        json=True,
        data=_api_act(),
        expect=api_parties(providers=FORBIDDEN),
    ),  # fmt: skip
    Case(
        "PUT /api/v1/requests/{request_id}/feedback",
        rapi("/{req}/feedback"),
        method="put",
        json=True,
        data={"usefulness": 4, "what_changed": "A plan.", "would_recommend": True},
        expect=api_parties(providers=FORBIDDEN, landscape=INVALID, staff=INVALID),
        label="(not delivered yet)",
    ),  # fmt: skip
]

RECOMMENDATION_API = [
    Case(
        "GET /api/v1/offerings/recommended/{landscape}",
        lambda w: f"/api/v1/offerings/recommended/{w.landscape.slug}",
    ),  # fmt: skip
    Case(
        "GET /api/v1/offerings/recommended/{landscape}",
        lambda w: f"/api/v1/offerings/recommended/{w.restricted_landscape.slug}",
        expect={"hana": OK},
        default=NOT_FOUND,
        label="(restricted)",
    ),  # fmt: skip
    Case(
        "POST /api/v1/offerings/recommended/{landscape}/dismiss",
        lambda w: f"/api/v1/offerings/recommended/{w.landscape.slug}/dismiss",
        method="post",
        json=True,
        data=lambda w: {"offering": w.offering.slug, "reason": "not_now"},
        expect=only(LEADER, yes=204, anonymous=UNAUTH),
    ),  # fmt: skip
    Case(
        "POST /api/v1/offerings/recommended/{landscape}/restore",
        lambda w: f"/api/v1/offerings/recommended/{w.landscape.slug}/restore",
        method="post",
        json=True,
        data=lambda w: {"offering": w.offering.slug},
        expect=only(LEADER, yes=204, anonymous=UNAUTH),
    ),  # fmt: skip
]


def _activities(w):
    """Two overlapping activities (core_org's and other_org's) in the public landscape."""
    import datetime as dt

    from landhub.coordination import services
    from landhub.coordination.models import Activity, ActivityOverlap

    existing = Activity.objects.filter(title="Matrix workshop").first()
    if existing is None:
        start = dt.date.today() + dt.timedelta(days=30)
        for actor, organization, title in ((w.pablo, w.core_org, "Matrix workshop"),
                                           (w.nora, w.other_org, "Matrix training")):  # fmt: skip
            services.activity_create(
                actor=actor, title=title, type="workshop", organizations=[organization],
                landscapes=[w.landscape.slug], capabilities=["landscape-finance"],
                starts_on=start, ends_on=start + dt.timedelta(days=2),
            )  # fmt: skip
        existing = Activity.objects.get(title="Matrix workshop")
    return existing, ActivityOverlap.objects.get()


ACTIVITY_PAGES = [
    Case("coordination:activity_list", url("activity_list")),
    Case("coordination:activity_ical", url("activity_ical")),
    Case("coordination:activity_create", url("activity_create"), expect=only(MAY_DRAFT)),
    Case(
        "coordination:activity_detail",
        lambda w: _activities(w)[0].get_absolute_url(),
        expect={**signed_in(), "anonymous": NOT_FOUND},
    ),  # fmt: skip
    Case(
        "coordination:activity_edit",
        lambda w: reverse("coordination:activity_edit", args=[_activities(w)[0].pk]),
        expect=only(PROVIDER),
    ),  # fmt: skip
    Case(
        "coordination:overlap_coordinated",
        lambda w: reverse("coordination:overlap_coordinated", args=[_activities(w)[1].pk]),
        method="post",
        data={"note": "Merged."},
        expect=only(MAY_DRAFT, yes=REDIRECT),
    ),  # fmt: skip
]


def _new_activity(w):
    return {"title": "Matrix convening", "type": "convening",
            "starts_on": "2031-01-10", "ends_on": "2031-01-11",
            "organizations": [w.core_org.slug]}  # fmt: skip


ACTIVITY_API = [
    Case("GET /api/v1/activities", lambda w: "/api/v1/activities"),
    Case(
        "POST /api/v1/activities",
        lambda w: "/api/v1/activities",
        method="post",
        json=True,
        data=_new_activity,
        expect={**only(PROVIDER, yes=201, anonymous=UNAUTH), "nora": FORBIDDEN},
    ),  # fmt: skip
    Case(
        "GET /api/v1/activities/{activity_id}",
        lambda w: f"/api/v1/activities/{_activities(w)[0].pk}",
        expect={**signed_in(), "anonymous": NOT_FOUND},
    ),  # fmt: skip
    Case(
        "PATCH /api/v1/activities/{activity_id}",
        lambda w: f"/api/v1/activities/{_activities(w)[0].pk}",
        method="patch",
        json=True,
        data=lambda w: {"version": _activities(w)[0].version, "status": "confirmed"},
        expect=only(PROVIDER, anonymous=UNAUTH),
    ),  # fmt: skip
    Case(
        "POST /api/v1/activities/overlaps/{overlap_id}/coordinated",
        lambda w: f"/api/v1/activities/overlaps/{_activities(w)[1].pk}/coordinated",
        method="post",
        json=True,
        data={"note": "Merged."},
        expect=only(MAY_DRAFT, anonymous=UNAUTH),
    ),  # fmt: skip
]

PDF = b"%PDF-1.4\n%%EOF\n"


def _pdf(name="m.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, PDF)


def _attachment(w, offering=None):
    """A file on the published offering (or ``offering``), attached by hub staff."""
    from landhub.coordination import services
    from landhub.coordination.models import OfferingAttachment

    offering = offering or w.offering
    existing = OfferingAttachment.objects.filter(offering=offering).first()
    return existing or services.attachment_add(actor=w.hana, offering=offering, title="Matrix",
                                               upload=_pdf())  # fmt: skip


def _link(w):
    from landhub.coordination import services

    return w.offering.links.first() or services.link_add(
        actor=w.hana, offering=w.offering, title="Matrix link", url="https://example.org/m"
    )


MATERIALS = [
    Case(
        "coordination:offering_materials", url("offering_materials", PUB), expect=only(PROVIDER)
    ),  # fmt: skip
    Case(
        "coordination:offering_link_add",
        url("offering_link_add", PUB),
        method="post",
        data={"link-title": "Guide", "link-url": "https://example.org/g"},
        expect=only(PROVIDER, yes=REDIRECT),
    ),  # fmt: skip
    Case(
        "coordination:offering_attachment_add",
        url("offering_attachment_add", PUB),
        method="post",
        data=lambda w: {"file-title": "Guide", "file-file": _pdf()},
        expect=only(PROVIDER, yes=REDIRECT),
    ),  # fmt: skip
    Case(
        "coordination:offering_material_remove",
        lambda w: reverse(
            "coordination:offering_material_remove",
            args=[w.offering.slug, "file", _attachment(w).pk],
        ),
        method="post",
        expect=only(PROVIDER, yes=REDIRECT),
    ),  # fmt: skip
    Case(
        "coordination:offering_material_remove",
        lambda w: reverse(
            "coordination:offering_material_remove", args=[w.offering.slug, "link", _link(w).pk]
        ),
        method="post",
        expect=only(PROVIDER, yes=REDIRECT),
        label="(link)",
    ),  # fmt: skip
    Case("coordination:attachment_download", lambda w: _attachment(w).get_absolute_url()),
    Case(
        "coordination:attachment_download",
        lambda w: _attachment(w, w.draft_offering).get_absolute_url(),
        expect=hidden_draft(anonymous=NOT_FOUND),
        label="(draft)",
    ),  # fmt: skip
    Case(
        "POST /api/v1/offerings/{slug}/links",
        api("/{pub}/links"),
        method="post",
        json=True,
        data={"title": "Guide", "url": "https://example.org/g"},
        expect=only(PROVIDER, yes=201, anonymous=UNAUTH),
    ),  # fmt: skip
    Case(
        "DELETE /api/v1/offerings/{slug}/links/{link_id}",
        lambda w: f"/api/v1/offerings/{w.offering.slug}/links/{_link(w).pk}",
        method="delete",
        expect=only(PROVIDER, yes=204, anonymous=UNAUTH),
    ),  # fmt: skip
    Case(
        "POST /api/v1/offerings/{slug}/attachments",
        api("/{pub}/attachments"),
        method="post",
        data=lambda w: {"title": "Guide", "file": _pdf()},
        expect=only(PROVIDER, yes=201, anonymous=UNAUTH),
    ),  # fmt: skip
    Case(
        "GET /api/v1/offerings/{slug}/attachments/{attachment_id}",
        lambda w: f"/api/v1/offerings/{w.offering.slug}/attachments/{_attachment(w).pk}",
    ),  # fmt: skip
    Case(
        "DELETE /api/v1/offerings/{slug}/attachments/{attachment_id}",
        lambda w: f"/api/v1/offerings/{w.offering.slug}/attachments/{_attachment(w).pk}",
        method="delete",
        expect=only(PROVIDER, yes=204, anonymous=UNAUTH),
    ),  # fmt: skip
]

CASES = [*PAGES, *API, *REQUEST_PAGES, *REQUEST_API, *RECOMMENDATION_API, *ACTIVITY_PAGES,
         *ACTIVITY_API, *MATERIALS]  # fmt: skip
