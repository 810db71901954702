"""The directory API as a script would use it: filters, paging, versions, errors, tokens."""

from __future__ import annotations

import json

import pytest

from landhub.accounts.services import api_token_create
from landhub.core.counts import bump_generation
from landhub.directory import factories as f
from landhub.directory.models import Landscape, Organization

pytestmark = pytest.mark.django_db


def _bearer(world, persona="hana", scope="write"):
    _token, plain = api_token_create(actor=getattr(world, persona), name="script", scope=scope)
    return {"HTTP_AUTHORIZATION": f"Bearer {plain}"}


def _send(client, method, url, data, headers=None):
    return getattr(client, method)(
        url, data=json.dumps(data), content_type="application/json", **(headers or {})
    )


def test_landscape_list_filters_and_pages(client, world):
    for i in range(5):
        f.LandscapeFactory(name=f"Member {i}", initiative_status="member")
    data = client.get("/api/v1/landscapes", {"status": "member", "limit": 2}).json()
    assert data["count"] == 5 and len(data["items"]) == 2
    names = [
        item["name"] for item in client.get("/api/v1/landscapes", {"limit": 100}).json()["items"]
    ]
    assert "Kenya Highlands" in names and "Hidden Valley" not in names
    assert client.get("/api/v1/landscapes", {"limit": 1000}).status_code == 422


@pytest.mark.parametrize(
    "url",
    ["/api/v1/landscapes?limit=100", "/api/v1/organizations?limit=100", "/api/v1/terms?limit=100"],
)
def test_api_list_query_count_does_not_grow(client, world, url, django_assert_max_num_queries):
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    for _ in range(30):
        f.LandscapeFactory()
        f.OrganizationFactory()
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_people_api_query_count(client_for, world, django_assert_max_num_queries):
    client = client_for("nora")
    client.get("/api/v1/people?limit=100")
    bump_generation()  # both measured requests count their rows (no cached count)
    with django_assert_max_num_queries(12) as few:
        client.get("/api/v1/people?limit=100")
    for _ in range(30):
        f.OrganizationMembershipFactory()
    bump_generation()
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/api/v1/people?limit=100")


def test_detail_includes_needs_and_ilm(client, world):
    data = client.get(f"/api/v1/landscapes/{world.landscape.slug}").json()
    assert data["needs"][0]["capability"] == "landscape-finance"
    assert [row["element"] for row in data["ilm"]][0] == "partnership"
    assert client.get(f"/api/v1/landscapes/{world.restricted_landscape.slug}").status_code == 404


def test_create_with_field_errors(client, world):
    headers = _bearer(world)
    response = _send(client, "post", "/api/v1/landscapes", {"name": "X", "countries": []}, headers)
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert "name" in errors and "countries" in errors
    response = _send(client, "post", "/api/v1/landscapes",
                     {"name": "Nowhere Land", "countries": ["ZZ"]}, headers)  # fmt: skip
    assert response.status_code == 422
    assert "Unknown country code: ZZ." in response.json()["errors"]["countries"]


def test_create_with_a_self_intersecting_boundary(client, world):
    bowtie = {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}
    response = _send(client, "post", "/api/v1/landscapes",
                     {"name": "Bow Tie", "countries": ["KE"], "boundary": bowtie},
                     _bearer(world))  # fmt: skip
    assert response.status_code == 422
    assert "Self-intersection" in response.json()["errors"]["boundary"][0]
    assert not Landscape.objects.filter(name="Bow Tie").exists()


def test_stale_version_gets_409_with_the_current_record(client, world):
    headers = _bearer(world, "lena")
    url = f"/api/v1/landscapes/{world.landscape.slug}"
    version = world.landscape.version
    first = _send(client, "patch", url, {"version": version, "summary": "First"}, headers)
    assert first.status_code == 200 and first.json()["version"] == version + 1
    stale = _send(client, "patch", url, {"version": version, "summary": "Second"}, headers)
    assert stale.status_code == 409
    assert stale.json()["current"]["summary"] == "First"
    assert stale.json()["current"]["version"] == version + 1


def test_a_leader_may_send_back_unchanged_staff_fields_but_not_change_them(client, world):
    headers = _bearer(world, "lena")
    url = f"/api/v1/landscapes/{world.landscape.slug}"
    record = client.get(url, **headers).json()
    unchanged = {"version": record["version"], "summary": "Round trip",
                 "visibility": record["visibility"],
                 "initiative_status": record["initiative_status"]}  # fmt: skip
    response = _send(client, "patch", url, unchanged, headers)
    assert response.status_code == 200 and response.json()["summary"] == "Round trip"
    changed = {**unchanged, "version": record["version"] + 1, "visibility": "restricted"}
    response = _send(client, "patch", url, changed, headers)
    assert response.status_code == 403
    assert "Only hub staff" in response.json()["detail"]


def test_read_only_token_and_expired_token(client, world):
    headers = _bearer(world, "hana", scope="read")
    response = _send(client, "post", "/api/v1/organizations", {"name": "Y Org", "kind": "ngo"},
                     headers)  # fmt: skip
    assert response.status_code == 403 and "read-only" in response.json()["detail"]
    assert client.get("/api/v1/organizations", **headers).status_code == 200


def test_malformed_json_is_a_422_not_a_500(client, world):
    response = client.post(
        "/api/v1/organizations", data="{not json", content_type="application/json",
        **_bearer(world),
    )  # fmt: skip
    assert response.status_code in (400, 422)
    assert "detail" in response.json()


def test_duplicate_organization_name(client, world):
    response = _send(client, "post", "/api/v1/organizations",
                     {"name": "river friends", "kind": "ngo"}, _bearer(world))  # fmt: skip
    assert response.status_code == 422
    assert "already exists" in response.json()["errors"]["name"][0]


def test_script_tags_in_markdown_are_stripped_when_shown(client, world):
    _send(client, "patch", f"/api/v1/organizations/{world.core_org.slug}",
          {"version": world.core_org.version,
           "description": "Hello <script>alert(1)</script> **bold**"},
          _bearer(world))  # fmt: skip
    assert "<script>" in Organization.objects.get(pk=world.core_org.pk).description  # kept as typed
    page = client.get(world.core_org.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in page and "<strong>bold</strong>" in page


def test_people_need_sign_in_and_hide_contacts_without_consent(client, client_for, world):
    assert client.get("/api/v1/people").status_code == 401
    oscar = world.people["oscar"]
    data = client_for("nora").get(f"/api/v1/people/{oscar.pk}").json()
    assert data["email"] is None  # oscar did not agree to share
    own = client_for("oscar").get(f"/api/v1/people/{oscar.pk}").json()
    assert own["email"] == "oscar@example.org"


def test_search_api_respects_visibility(client, client_for, world):
    data = client.get("/api/v1/search", {"q": "valley"}).json()
    assert all(item["label"] != "Hidden Valley" for item in data["items"])
    staff = client_for("hana").get("/api/v1/search", {"q": "valley"}).json()
    assert any(item["label"] == "Hidden Valley" for item in staff["items"])
    assert client.get("/api/v1/search", {"q": "lena"}).json()["facets"]["person"] == 0


def test_organization_country_is_its_iso_code(client, world):
    from landhub.directory.models import Country

    Organization.objects.filter(pk=world.other_org.pk).update(
        country=Country.objects.get(code="KE")
    )
    items = client.get("/api/v1/organizations", {"q": "river"}).json()["items"]
    assert items[0]["country"] == "KE"
    assert client.get(f"/api/v1/organizations/{world.other_org.slug}").json()["country"] == "KE"


def test_explicit_nulls_clear_text_and_refuse_the_rest(client, world):
    """Found by the API fuzzer: a null on a text field used to reach the database (500)."""
    term = world.landscape.needs.first().capability
    response = _send(client, "patch", f"/api/v1/terms/{term.pk}", {"name_fr": None},
                     _bearer(world))  # fmt: skip
    assert response.status_code == 200 and response.json()["name_fr"] == ""
    response = _send(client, "patch", f"/api/v1/landscapes/{world.landscape.slug}",
                     {"version": world.landscape.version, "agreement_signed": None},
                     _bearer(world))  # fmt: skip
    assert response.status_code == 422
    assert response.json()["errors"]["agreement_signed"] == ["This field cannot be null."]
