"""Landscape pages as people use them: browse, filter, read the profile, edit, set a boundary."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from landhub.directory import factories as f
from landhub.directory.models import Landscape, Vocabulary

pytestmark = pytest.mark.django_db

SQUARE = {
    "type": "Polygon",
    "coordinates": [[[36.0, -1.0], [36.5, -1.0], [36.5, -0.5], [36.0, -0.5], [36.0, -1.0]]],
}
BOWTIE = {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}


def test_directory_lists_visible_landscapes_only(client_for, world):
    body = client_for("nora").get(reverse("directory:landscape_list")).content.decode()
    assert "Kenya Highlands" in body
    assert "Hidden Valley" not in body
    staff = client_for("hana").get(reverse("directory:landscape_list")).content.decode()
    assert "Hidden Valley" in staff


def test_region_filter_offers_each_region_once(client, world):
    """Several landscapes in one region: the filter lists the region once, not per landscape."""
    from django.core.cache import cache

    from landhub.directory.models import Country

    kenya = Country.objects.get(code="KE")
    for name in ("Mara Plains", "Tana Delta"):
        f.LandscapeFactory(name=name).countries.set([kenya])
    cache.clear()  # the filter options are cached for a few minutes
    body = client.get(reverse("directory:landscape_list")).content.decode()
    select = body[
        body.index('name="region"') : body.index("</select>", body.index('name="region"'))
    ]
    assert select.count(">Africa</option>") == 1


def test_profile_lists_only_the_organizations_the_reader_may_see(client, client_for, world):
    from landhub.directory.models import LandscapeOrganization

    secret = f.OrganizationFactory(name="Quiet Funders Circle", visibility="restricted")
    LandscapeOrganization.objects.create(landscape=world.landscape, organization=secret)
    url = world.landscape.get_absolute_url()
    assert "Quiet Funders Circle" not in client.get(url).content.decode()
    assert "Quiet Funders Circle" not in client_for("nora").get(url).content.decode()
    assert "Quiet Funders Circle" in client_for("hana").get(url).content.decode()


def test_filters_narrow_the_list(client, world):
    other = f.LandscapeFactory(name="Andes Watershed", initiative_status="member")
    other.ecosystems.set([f.term(Vocabulary.ECOSYSTEM, "mountain")])
    url = reverse("directory:landscape_list")
    body = client.get(url, {"ecosystem": "mountain"}).content.decode()
    assert "Andes Watershed" in body and "Kenya Highlands" not in body
    body = client.get(url, {"status": "member"}).content.decode()
    assert "Andes Watershed" in body and "Kenya Highlands" not in body
    body = client.get(url, {"capability": "landscape-finance"}).content.decode()
    assert "Kenya Highlands" in body and "Andes Watershed" not in body
    # Nonsense values are ignored, never an error page.
    assert client.get(url, {"status": "???", "sort": "drop table", "page": "x"}).status_code == 200


def test_htmx_request_gets_only_the_results(client, world):
    response = client.get(reverse("directory:landscape_list"), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "Kenya Highlands" in body
    assert "<html" not in body


def test_csv_and_geojson_exports_follow_the_filters(client, world):
    f.LandscapeFactory(name="Andes Watershed", initiative_status="member")
    csv = b"".join(
        client.get(
            reverse("directory:landscape_export_csv"), {"status": "member"}
        ).streaming_content
    ).decode()
    assert "Andes Watershed" in csv and "Kenya Highlands" not in csv
    data = client.get(reverse("directory:landscape_export_geojson")).json()
    names = {feat["properties"]["name"] for feat in data["features"]}
    assert "Kenya Highlands" in names and "Hidden Valley" not in names


def test_list_query_count_does_not_grow_with_rows(client, world, django_assert_max_num_queries):
    url = reverse("directory:landscape_list")
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    for _ in range(30):
        f.LandscapeFactory()
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_profile_shows_needs_ilm_and_contacts(client_for, client, world):
    url = world.landscape.get_absolute_url()
    body = client_for("nora").get(url).content.decode()
    assert "Landscape finance" in body
    assert "Partnership" in body  # ILM element rows
    assert "Lena" in body  # contact visible to members
    assert "Lena" not in client.get(url).content.decode()  # people are never public
    assert client_for("nora").get(world.restricted_landscape.get_absolute_url()).status_code == 404


def test_profile_query_count(client_for, world, django_assert_max_num_queries):
    client = client_for("lena")
    client.get(world.landscape.get_absolute_url())  # session and login bookkeeping
    from landhub.core.counts import bump_generation

    # The profile itself and the sections other apps add (recommended offerings: ~10, when
    # not cached: both measured requests recompute them).
    bump_generation()
    with django_assert_max_num_queries(30) as few:
        client.get(world.landscape.get_absolute_url())
    from landhub.coordination.factories import OfferingFactory

    finance = f.term(Vocabulary.CAPABILITY, "landscape-finance")
    for i in range(20):
        OfferingFactory(title=f"Fitting offer {i}", capabilities=[finance], is_global=True)
        f.LandscapeNeedFactory(landscape=world.landscape, priority="low")
    bump_generation()
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(world.landscape.get_absolute_url())


def _edit_data(landscape, **changes):
    data = {
        "version": landscape.version,
        "name": landscape.name,
        "summary": landscape.summary,
        "description": "",
        "countries": [c.code for c in landscape.countries.all()] or ["KE"],
        "population": "",
        "partnership_status": landscape.partnership_status,
        "year_formed": "",
    }
    data.update(changes)
    return data


def test_leader_edits_her_landscape(client_for, world):
    url = reverse("directory:landscape_edit", args=[world.landscape.slug])
    response = client_for("lena").post(url, _edit_data(world.landscape, population="120000"))
    assert response.status_code == 302
    world.landscape.refresh_from_db()
    assert world.landscape.population == 120000
    assert world.landscape.region == "Africa"  # derived from Kenya
    history = client_for("lena").get(
        reverse("directory:landscape_history", args=[world.landscape.slug])
    )
    assert "Population" in history.content.decode()


def test_stale_edit_shows_the_conflict_and_keeps_input(client_for, world):
    url = reverse("directory:landscape_edit", args=[world.landscape.slug])
    stale = _edit_data(world.landscape, summary="My careful summary")
    staff_edit = _edit_data(
        world.landscape, summary="Staff summary", initiative_status="engaged", visibility="public"
    )
    assert client_for("hana").post(url, staff_edit).status_code == 302
    response = client_for("lena").post(url, stale)
    assert response.status_code == 409
    body = response.content.decode()
    assert "Someone else saved" in body
    assert "Staff summary" in body  # what is saved now
    assert "My careful summary" in body  # her input is kept
    world.landscape.refresh_from_db()
    assert world.landscape.summary == "Staff summary"


def test_members_and_outsiders_cannot_edit(client_for, world):
    url = reverse("directory:landscape_edit", args=[world.landscape.slug])
    assert client_for("nora").get(url).status_code == 403
    assert client_for("oscar").post(url, _edit_data(world.landscape)).status_code == 403
    assert client_for("anonymous").get(url).status_code == 302


def test_boundary_upload_computes_area(client_for, world):
    url = reverse("directory:landscape_boundary", args=[world.landscape.slug])
    upload = SimpleUploadedFile("b.geojson", json.dumps(SQUARE).encode(), "application/geo+json")
    response = client_for("lena").post(url, {"version": world.landscape.version, "file": upload})
    assert response.status_code == 302
    world.landscape.refresh_from_db()
    assert 3000 < world.landscape.area_km2 < 3200  # 0.5° × 0.5° near the equator
    assert world.landscape.centroid_lat == pytest.approx(-0.75)


def test_self_intersecting_boundary_is_explained_and_repair_offered(client_for, world):
    url = reverse("directory:landscape_boundary", args=[world.landscape.slug])
    response = client_for("lena").post(
        url, {"version": world.landscape.version, "geojson": json.dumps(BOWTIE)}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Self-intersection" in body and "latitude 0.5" in body
    assert "Use the repaired boundary" in body


def test_oversized_and_wrong_files_get_a_message(client_for, world, settings):
    settings.LANDHUB_MAX_BOUNDARY_BYTES = 1000
    url = reverse("directory:landscape_boundary", args=[world.landscape.slug])
    big = SimpleUploadedFile("big.geojson", b" " * 5000)
    response = client_for("lena").post(url, {"version": world.landscape.version, "file": big})
    assert response.status_code == 400
    assert "the limit is" in response.content.decode()
    kml = SimpleUploadedFile("x.kml", b"<kml><Placemark><Point><coordinates>1,2</coordinates>"
                             b"</Point></Placemark></kml>")  # fmt: skip
    response = client_for("lena").post(url, {"version": world.landscape.version, "file": kml})
    assert "contains no polygon" in response.content.decode()


def test_point_boundary(client_for, world):
    url = reverse("directory:landscape_boundary", args=[world.landscape.slug])
    response = client_for("lena").post(
        url, {"version": world.landscape.version, "latitude": "-0.3", "longitude": "36.9"}
    )
    assert response.status_code == 302
    world.landscape.refresh_from_db()
    assert world.landscape.boundary["type"] == "Point"
    assert world.landscape.area_km2 is None


def test_needs_and_ilm_are_edited_by_the_leader(client_for, world):
    client = client_for("lena")
    response = client.post(
        reverse("directory:landscape_need_create", args=[world.landscape.slug]),
        {"capability": f.term(Vocabulary.CAPABILITY, "gis-and-mapping").pk, "priority": "high",
         "status": "open", "description": "Map the watershed"},
    )  # fmt: skip
    assert response.status_code == 302
    assert world.landscape.needs.filter(capability__slug="gis-and-mapping").exists()
    data = {"stage_partnership": "established", "evidence_partnership": "MoU signed 2024"}
    for slug in ["shared-understanding", "vision-and-planning", "taking-action",
                 "learning-and-impact"]:  # fmt: skip
        data[f"stage_{slug}"] = "not_started"
    response = client.post(reverse("directory:landscape_ilm", args=[world.landscape.slug]), data)
    assert response.status_code == 302
    body = client.get(world.landscape.get_absolute_url()).content.decode()
    assert "MoU signed 2024" in body and "Established" in body


def test_hub_staff_create_archive_restore(client_for, world):
    client = client_for("hana")
    response = client.post(
        reverse("directory:landscape_create"),
        {"name": "Sahel Restoration", "countries": ["NE", "ML"], "partnership_status": "forming",
         "initiative_status": "candidate", "visibility": "public"},
    )  # fmt: skip
    assert response.status_code == 302
    landscape = Landscape.objects.get(name="Sahel Restoration")
    assert landscape.region == "Africa"
    listed = f'href="{landscape.get_absolute_url()}"'
    client.post(reverse("directory:landscape_archive", args=[landscape.slug]))
    assert listed not in client.get(reverse("directory:landscape_list")).content.decode()
    client.post(reverse("directory:landscape_restore", args=[landscape.slug]))
    assert listed in client.get(reverse("directory:landscape_list")).content.decode()
    assert (
        client_for("lena")
        .post(reverse("directory:landscape_archive", args=[landscape.slug]))
        .status_code
        == 403
    )


def test_partnership_organization_is_picked_by_name(client_for, world):
    url = reverse("directory:landscape_edit", args=[world.landscape.slug])
    page = client_for("lena").get(url).content.decode()
    assert 'list="organization-suggestions"' in page and "<option" not in page.split(
        'id="id_partnership_organization"')[1][:200]  # fmt: skip
    response = client_for("lena").post(
        url, _edit_data(world.landscape, partnership_organization="No Such Org")
    )
    assert "No organization is called “No Such Org”" in response.content.decode()
    response = client_for("lena").post(
        url, _edit_data(world.landscape, partnership_organization="river friends")
    )
    assert response.status_code == 302
    world.landscape.refresh_from_db()
    assert world.landscape.partnership_organization == world.other_org
    page = client_for("lena").get(url).content.decode()
    assert 'value="River Friends"' in page
