"""Permission matrix of the directory: every page and API endpoint, for every persona."""

from __future__ import annotations

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

STAFF = {"hana"}
LEADER = {"hana", "lena"}  # may change the world's public landscape
ORG_ADMIN = {"hana", "pablo"}  # may change the core organization
IMPORTERS = {"hana", "pablo", "nora", "lena"}  # hub staff; offerings; lena: MEL values


def _png():
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), "green").save(buffer, format="PNG")
    return SimpleUploadedFile("logo.png", buffer.getvalue(), content_type="image/png")


def _need(w):
    return w.landscape.needs.first()


def _import(w):
    from landhub.core.services import progress_start

    return progress_start(owner=w.hana, kind="import.organizations", label="Matrix import")


def _invitation(w):
    from landhub.directory.services.memberships import invitation_create

    return invitation_create(actor=w.hana, target=w.landscape, email="new@example.org",
                             role="member")[0]  # fmt: skip


def _join_request(w):
    from landhub.directory.models import JoinRequest

    return JoinRequest.objects.create(user=w.oscar, landscape=w.landscape, message="Hello")


def _nora_membership(w):
    return w.people["nora"].org_memberships.get()


def _nora(w):
    return w.people["nora"]


def url(name, *args):
    return lambda w: reverse(f"directory:{name}", args=[a(w) if callable(a) else a for a in args])


LS = lambda w: w.landscape.slug  # noqa: E731
HIDDEN = lambda w: w.restricted_landscape.slug  # noqa: E731
ORG = lambda w: w.core_org.slug  # noqa: E731
NORA = lambda w: _nora(w).pk  # noqa: E731

PAGES = [
    Case("directory:my_hub", url("my_hub"), expect=signed_in()),
    Case("directory:landscape_list", url("landscape_list")),
    Case("directory:landscape_export_csv", url("landscape_export_csv")),
    Case("directory:landscape_export_geojson", url("landscape_export_geojson")),
    Case("directory:landscape_create", url("landscape_create"), expect=only(STAFF)),
    Case("directory:landscape_detail", url("landscape_detail", LS)),
    Case(
        "directory:landscape_detail",
        url("landscape_detail", HIDDEN),
        expect={"hana": OK},
        default=NOT_FOUND,
        label="(restricted)",
    ),
    Case("directory:landscape_history", url("landscape_history", LS), expect=signed_in()),
    Case("directory:landscape_edit", url("landscape_edit", LS), expect=only(LEADER)),
    Case(
        "directory:landscape_edit",
        url("landscape_edit", HIDDEN),
        expect={"hana": OK, "anonymous": REDIRECT},
        default=NOT_FOUND,
        label="(restricted)",
    ),
    Case("directory:landscape_boundary", url("landscape_boundary", LS), expect=only(LEADER)),
    Case("directory:landscape_boundary_geojson", url("landscape_boundary_geojson", LS)),
    Case(
        "directory:landscape_boundary_geojson",
        url("landscape_boundary_geojson", HIDDEN),
        expect={"hana": OK},
        default=NOT_FOUND,
        label="(restricted)",
    ),
    Case("directory:landscape_need_create", url("landscape_need_create", LS), expect=only(LEADER)),
    Case(
        "directory:landscape_need_edit",
        lambda w: reverse("directory:landscape_need_edit", args=[w.landscape.slug, _need(w).pk]),
        expect=only(LEADER),
    ),
    Case("directory:landscape_ilm", url("landscape_ilm", LS), expect=only(LEADER)),
    Case(
        "directory:landscape_archive",
        url("landscape_archive", LS),
        method="post",
        data={},
        expect=only(STAFF, yes=REDIRECT),
    ),
    Case(
        "directory:landscape_restore",
        url("landscape_restore", LS),
        method="post",
        data={},
        expect=only(STAFF, yes=REDIRECT),
    ),
    Case("directory:organization_list", url("organization_list")),
    Case("directory:organization_export_csv", url("organization_export_csv")),
    Case("directory:organization_create", url("organization_create"), expect=only(STAFF)),
    Case("directory:organization_detail", url("organization_detail", ORG)),
    Case("directory:organization_history", url("organization_history", ORG), expect=signed_in()),
    Case("directory:organization_edit", url("organization_edit", ORG), expect=only(ORG_ADMIN)),
    Case(
        "directory:organization_capabilities",
        url("organization_capabilities", ORG),
        expect=only(ORG_ADMIN),
    ),
    Case(
        "directory:organization_archive",
        url("organization_archive", ORG),
        method="post",
        data={},
        expect=only(STAFF, yes=REDIRECT),
    ),
    Case(
        "directory:organization_restore",
        url("organization_restore", ORG),
        method="post",
        data={},
        expect=only(STAFF, yes=REDIRECT),
    ),
    Case("directory:person_list", url("person_list"), expect=signed_in()),
    Case("directory:person_export_csv", url("person_export_csv"), expect=signed_in()),
    Case("directory:person_create", url("person_create"), expect=only(STAFF)),
    Case("directory:person_detail", url("person_detail", NORA), expect=signed_in()),
    Case("directory:person_history", url("person_history", NORA), expect=signed_in()),
    Case("directory:person_edit", url("person_edit", NORA), expect=only({"hana", "nora"})),
    Case("directory:term_list", url("term_list")),
    Case("directory:term_export_csv", url("term_export_csv")),
    Case("directory:term_create", url("term_create"), expect=only(STAFF)),
    Case(
        "directory:term_edit",
        lambda w: reverse("directory:term_edit", args=[_need(w).capability_id]),
        expect=only(STAFF),
    ),
    Case(
        "directory:term_toggle_active",
        lambda w: reverse("directory:term_toggle_active", args=[_need(w).capability_id]),
        method="post",
        data={},
        expect=only(STAFF, yes=REDIRECT),
    ),
    Case("directory:import_list", url("import_list"), expect=only(IMPORTERS)),
    Case("directory:import_create", url("import_create"), expect=only(IMPORTERS)),
    # Imports are their owner's (and hub staff's); others cannot tell one exists.
    Case(
        "directory:import_detail",
        lambda w: reverse("directory:import_detail", args=[_import(w).pk]),
        expect=only(STAFF, no=404),
    ),
    Case(
        "directory:import_errors_csv",
        lambda w: reverse("directory:import_errors_csv", args=[_import(w).pk]),
        expect=only(STAFF, no=404),
    ),
    Case(
        "directory:import_template",
        lambda w: reverse("directory:import_template", args=["landscapes", "xlsx"]),
        expect={**only(STAFF), "pablo": 404, "nora": 404, "lena": 404},
    ),
    Case(
        "directory:import_template",
        lambda w: reverse("directory:import_template", args=["offerings", "csv"]),
        expect={**only(IMPORTERS), "lena": 404},
        label="(offerings)",
    ),
    Case("directory:members", url("members", "landscapes", LS), expect=only(LEADER)),
    Case(
        "directory:members",
        url("members", "organizations", ORG),
        expect=only(ORG_ADMIN),
        label="(organization)",
    ),
    Case(
        "directory:join_request_create",
        url("join_request_create", "organizations", lambda w: w.other_org.slug),
        expect=signed_in(),
    ),
    Case("directory:invitation_accept", url("invitation_accept", "no-such-token"), default=404),
    Case(
        "directory:invitation_revoke",
        lambda w: reverse("directory:invitation_revoke", args=[_invitation(w).pk]),
        method="post",
        data={},
        expect=only(LEADER, yes=REDIRECT),
    ),
    Case(
        "directory:join_request_decide",
        lambda w: reverse("directory:join_request_decide", args=[_join_request(w).pk]),
        method="post",
        data={"decision": "approve"},
        expect=only(LEADER, yes=REDIRECT),
    ),
    Case(
        "directory:membership_end",
        lambda w: reverse(
            "directory:membership_end", args=["organizations", _nora_membership(w).pk]
        ),
        method="post",
        data={},
        expect=only(STAFF, yes=REDIRECT),
    ),
    Case("directory:search", lambda w: reverse("directory:search") + "?q=kenya"),
    Case(
        "directory:autocomplete",
        lambda w: reverse("directory:autocomplete") + "?type=landscape&q=ken",
    ),
]


def api_writes(allowed, yes=OK):
    return only(allowed, yes=yes, anonymous=UNAUTH)


def api(path):
    return lambda w: "/api/v1" + path.format(
        slug=w.landscape.slug, org=w.core_org.slug, need=_need(w).pk if _need(w) else 0,
        person=_nora(w).pk, term=_need(w).capability_id,
    )  # fmt: skip


def _patch_landscape(w):
    return {"version": w.landscape.version, "summary": "Updated through the API"}


SQUARE = {
    "type": "Polygon",
    "coordinates": [[[36.0, -1.0], [36.5, -1.0], [36.5, -0.5], [36.0, -0.5], [36.0, -1.0]]],
}

API = [
    Case("GET /api/v1/landscapes", api("/landscapes")),
    Case(
        "POST /api/v1/landscapes",
        api("/landscapes"),
        method="post",
        json=True,
        data={"name": "Matrix Landscape", "countries": ["KE"]},
        expect=api_writes(STAFF, 201),
    ),
    Case("GET /api/v1/landscapes/geojson", api("/landscapes/geojson")),
    Case("GET /api/v1/landscapes/{slug}", api("/landscapes/{slug}")),
    Case(
        "GET /api/v1/landscapes/{slug}",
        lambda w: f"/api/v1/landscapes/{w.restricted_landscape.slug}",
        expect={"hana": OK},
        default=NOT_FOUND,
        label="(restricted)",
    ),
    Case(
        "PATCH /api/v1/landscapes/{slug}",
        api("/landscapes/{slug}"),
        method="patch",
        json=True,
        data=_patch_landscape,
        expect=api_writes(LEADER),
    ),
    Case(
        "GET /api/v1/landscapes/{slug}/boundary.geojson", api("/landscapes/{slug}/boundary.geojson")
    ),
    Case(
        "PUT /api/v1/landscapes/{slug}/boundary",
        api("/landscapes/{slug}/boundary"),
        method="put",
        json=True,
        data=lambda w: {"version": w.landscape.version, "geometry": SQUARE},
        expect=api_writes(LEADER),
    ),
    Case(
        "POST /api/v1/landscapes/{slug}/archive",
        api("/landscapes/{slug}/archive"),
        method="post",
        json=True,
        expect=api_writes(STAFF),
    ),
    Case(
        "POST /api/v1/landscapes/{slug}/restore",
        api("/landscapes/{slug}/restore"),
        method="post",
        json=True,
        expect=api_writes(STAFF),
    ),
    Case(
        "POST /api/v1/landscapes/{slug}/needs",
        api("/landscapes/{slug}/needs"),
        method="post",
        json=True,
        data={"capability": "facilitation", "priority": "high"},
        expect=api_writes(LEADER, 201),
    ),
    Case(
        "PATCH /api/v1/landscapes/{slug}/needs/{need_id}",
        api("/landscapes/{slug}/needs/{need}"),
        method="patch",
        json=True,
        data=lambda w: {"version": _need(w).version, "status": "in_progress"},
        expect=api_writes(LEADER),
    ),
    Case(
        "PUT /api/v1/landscapes/{slug}/ilm/{element}",
        api("/landscapes/{slug}/ilm/partnership"),
        method="put",
        json=True,
        data={"stage": "in_progress", "evidence": "Meeting minutes"},
        expect=api_writes(LEADER),
    ),
    Case("GET /api/v1/organizations", api("/organizations")),
    Case(
        "POST /api/v1/organizations",
        api("/organizations"),
        method="post",
        json=True,
        data={"name": "Matrix Org", "kind": "ngo"},
        expect=api_writes(STAFF, 201),
    ),
    Case("GET /api/v1/organizations/{slug}", api("/organizations/{org}")),
    Case(
        "PATCH /api/v1/organizations/{slug}",
        api("/organizations/{org}"),
        method="patch",
        json=True,
        data=lambda w: {"version": w.core_org.version, "website": "https://example.org"},
        expect=api_writes(ORG_ADMIN),
    ),
    Case(
        "PUT /api/v1/organizations/{slug}/capabilities",
        api("/organizations/{org}/capabilities"),
        method="put",
        json=True,
        data={"capabilities": {"facilitation": "advanced"}},
        expect=api_writes(ORG_ADMIN),
    ),
    Case(
        "POST /api/v1/organizations/{slug}/logo",
        api("/organizations/{org}/logo"),
        method="post",
        data=lambda w: {"version": w.core_org.version, "file": _png()},
        expect=api_writes(ORG_ADMIN),
    ),
    Case(
        "DELETE /api/v1/organizations/{slug}/logo",
        lambda w: api("/organizations/{org}/logo")(w) + f"?version={w.core_org.version}",
        method="delete",
        expect=api_writes(ORG_ADMIN),
    ),
    Case(
        "POST /api/v1/organizations/{slug}/archive",
        api("/organizations/{org}/archive"),
        method="post",
        json=True,
        expect=api_writes(STAFF),
    ),
    Case(
        "POST /api/v1/organizations/{slug}/restore",
        api("/organizations/{org}/restore"),
        method="post",
        json=True,
        expect=api_writes(STAFF),
    ),
    Case("GET /api/v1/people", api("/people"), expect=signed_in(anonymous=UNAUTH)),
    Case(
        "GET /api/v1/people/{person_id}",
        api("/people/{person}"),
        expect=signed_in(anonymous=UNAUTH),
    ),
    Case(
        "PATCH /api/v1/people/{person_id}",
        api("/people/{person}"),
        method="patch",
        json=True,
        data=lambda w: {"version": _nora(w).version, "phone": "+254 700 000 000"},
        expect=api_writes({"hana", "nora"}),
    ),
    Case("GET /api/v1/terms", api("/terms")),
    Case(
        "POST /api/v1/terms",
        api("/terms"),
        method="post",
        json=True,
        data={"vocabulary": "theme", "name_en": "Matrix theme"},
        expect=api_writes(STAFF, 201),
    ),
    Case("GET /api/v1/terms/{term_id}", api("/terms/{term}")),
    Case(
        "PATCH /api/v1/terms/{term_id}",
        api("/terms/{term}"),
        method="patch",
        json=True,
        data={"name_pt": "Financiamento"},
        expect=api_writes(STAFF),
    ),
    Case(
        "GET /api/v1/memberships/{kind}/{slug}",
        api("/memberships/landscapes/{slug}"),
        expect=signed_in(anonymous=UNAUTH),
    ),
    Case(
        "POST /api/v1/memberships/invitations",
        api("/memberships/invitations"),
        method="post",
        json=True,
        data=lambda w: {
            "kind": "landscapes",
            "slug": w.landscape.slug,
            "email": "api-invite@example.org",
            "role": "member",
        },  # fmt: skip
        expect=api_writes(LEADER, 201),
    ),
    Case(
        "POST /api/v1/memberships/join-requests",
        api("/memberships/join-requests"),
        method="post",
        json=True,
        data=lambda w: {"kind": "organizations", "slug": w.core_org.slug, "message": "Hi"},
        # pablo is already a member of his own organization: a clear 422, not a duplicate.
        expect={**signed_in(201, anonymous=UNAUTH), "pablo": 422},
    ),
    Case(
        "POST /api/v1/memberships/join-requests/{request_id}/decide",
        lambda w: f"/api/v1/memberships/join-requests/{_join_request(w).pk}/decide",
        method="post",
        json=True,
        data={"approve": True},
        expect=api_writes(LEADER),
    ),
    Case(
        "POST /api/v1/memberships/{kind}/{slug}/{membership_id}/end",
        lambda w: (
            f"/api/v1/memberships/organizations/{w.other_org.slug}/{_nora_membership(w).pk}/end"
        ),
        method="post",
        json=True,
        expect=api_writes(STAFF),
    ),
    Case("GET /api/v1/search", lambda w: "/api/v1/search?q=kenya"),
]

CASES = PAGES + API
