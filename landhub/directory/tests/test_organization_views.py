"""Organization and people pages: profile, edit by admins, conflicts, capabilities, privacy."""

from __future__ import annotations

import pytest
from django.urls import reverse

from landhub.directory import factories as f
from landhub.directory.models import Organization, Vocabulary

pytestmark = pytest.mark.django_db


def _edit_data(org, **changes):
    data = {"version": org.version, "name": org.name, "short_name": org.short_name,
            "country": "", "website": "", "description": org.description}  # fmt: skip
    data.update(changes)
    return data


def test_profile_shows_badge_capabilities_and_people_by_visibility(client, client_for, world):
    world.core_org.capabilities.create(
        capability=f.term(Vocabulary.CAPABILITY, "facilitation"), level="advanced"
    )
    url = world.core_org.get_absolute_url()
    public = client.get(url).content.decode()
    assert "Core partner" in public and "Multi-stakeholder facilitation · Advanced" in public
    assert "Pablo" not in public  # people are not public
    assert "Pablo" in client_for("nora").get(url).content.decode()


def test_admin_edits_and_is_told_about_others_edits(client_for, world):
    url = reverse("directory:organization_edit", args=[world.core_org.slug])
    response = client_for("pablo").post(url, _edit_data(world.core_org, website="commonland.test"))
    assert response.status_code == 302
    world.core_org.refresh_from_db()
    assert world.core_org.website == "https://commonland.test"
    client_for("hana").post(
        url,
        _edit_data(
            world.core_org,
            description="Edited by the hub",
            kind=world.core_org.kind_id,
            visibility="public",
        ),  # fmt: skip
    )
    assert world.pablo.notifications.filter(kind="directory.organization_changed").exists()


def test_stale_edit_and_duplicate_name(client_for, world):
    url = reverse("directory:organization_edit", args=[world.core_org.slug])
    stale = _edit_data(world.core_org, description="Mine")
    assert (
        client_for("pablo").post(url, _edit_data(world.core_org, description="First")).status_code
        == 302
    )
    response = client_for("pablo").post(url, stale)
    assert response.status_code == 409 and "Someone else saved" in response.content.decode()
    world.core_org.refresh_from_db()
    response = client_for("pablo").post(url, _edit_data(world.core_org, name="river friends"))
    assert "An organization with this name already exists." in response.content.decode()


def test_capabilities_page(client_for, world):
    url = reverse("directory:organization_capabilities", args=[world.core_org.slug])
    response = client_for("pablo").post(
        url, {"gis-and-mapping": "intermediate", "facilitation": ""}
    )
    assert response.status_code == 302
    caps = {c.capability.slug: c.level for c in world.core_org.capabilities.all()}
    assert caps == {"gis-and-mapping": "intermediate"}
    filtered = client_for("nora").get(
        reverse("directory:organization_list"), {"capability": "gis-and-mapping"}
    )
    assert "Commonland Test" in filtered.content.decode()
    assert client_for("nora").post(url, {"facilitation": "basic"}).status_code == 403


def test_core_partner_filter_and_csv(client, world):
    body = client.get(reverse("directory:organization_list"), {"core": "on"}).content.decode()
    assert "Commonland Test" in body and "River Friends" not in body
    csv = b"".join(client.get(reverse("directory:organization_export_csv")).streaming_content)
    assert b"River Friends" in csv


def test_list_counts_landscapes_and_filters_never_repeat_a_row(client, world):
    """An organization based in Kenya and active in Kenya and Uganda, working in two
    landscapes: the Kenya filter lists it once, and the list and the CSV both say 2."""
    from landhub.directory.models import Country, LandscapeOrganization

    org = f.OrganizationFactory(name="Twice Counted Trust", country_id="KE")
    org.countries_active.set(Country.objects.filter(code__in=["KE", "UG"]))
    for landscape in (world.landscape, f.LandscapeFactory(name="Second Plains")):
        LandscapeOrganization.objects.create(landscape=landscape, organization=org)

    body = client.get(reverse("directory:organization_list"), {"country": "KE"}).content.decode()
    assert body.count("Twice Counted Trust</a>") == 1
    row = body[body.index("Twice Counted Trust</a>") :].split("</tr>")[0]
    assert '<td class="text-end">2</td>' in row
    response = client.get(reverse("directory:organization_export_csv"), {"country": "KE"})
    lines = b"".join(response.streaming_content).decode().splitlines()
    (line,) = [line for line in lines if line.startswith("Twice Counted Trust,")]
    assert line.split(",")[5] == "2"


def test_hub_staff_create_and_archive(client_for, world):
    client = client_for("hana")
    response = client.post(reverse("directory:organization_create"), {
        "name": "Savanna Trust", "kind": f.term(Vocabulary.ORGANIZATION_KIND, "ngo").pk,
        "visibility": "public"})  # fmt: skip
    assert response.status_code == 302
    org = Organization.objects.get(name="Savanna Trust")
    client.post(reverse("directory:organization_archive", args=[org.slug]))
    org.refresh_from_db()
    assert org.is_archived
    listed = client.get(reverse("directory:organization_list")).content.decode()
    assert f'href="{org.get_absolute_url()}"' not in listed


def test_person_pages_respect_contact_consent(client_for, world):
    nora = world.people["nora"]
    url = nora.get_absolute_url()
    assert "nora@example.org" not in client_for("oscar").get(url).content.decode()
    assert "nora@example.org" in client_for("hana").get(url).content.decode()
    response = client_for("nora").post(
        reverse("directory:person_edit", args=[nora.pk]),
        {"version": nora.version, "name": "Nora N.", "email": nora.email, "phone": "",
         "bio": "Soil scientist", "contact_consent": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    assert "nora@example.org" in client_for("oscar").get(url).content.decode()
    assert (
        client_for("oscar").get(reverse("directory:person_edit", args=[nora.pk])).status_code == 403
    )


def test_hub_staff_add_a_person_without_an_account(client_for, world):
    from landhub.directory.models import Person

    response = client_for("hana").post(
        reverse("directory:person_create"),
        {"name": "Grace Funder", "email": "grace@fund.example", "phone": "", "bio": ""},
    )
    assert response.status_code == 302
    grace = Person.objects.get(name="Grace Funder")
    assert grace.user is None and grace.visibility == "network"
    assert client_for("lena").get(reverse("directory:person_create")).status_code == 403


def test_a_provider_page_links_members_to_its_value_report_with_one_query(
    client, client_for, world
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    report = reverse("mel:value_partner", args=[world.core_org.slug])
    nora = client_for("nora")
    with CaptureQueriesContext(connection) as queries:
        page = nora.get(world.core_org.get_absolute_url()).content.decode()
    assert 'id="organization-value-report"' in page and f'href="{report}"' in page
    asked = [q["sql"] for q in queries.captured_queries if "offeringprovider" in q["sql"]]
    assert len(asked) == 1  # one EXISTS, whatever the organization provides
    assert nora.get(report).status_code == 200
    # An organization providing nothing has no report to link to; the public sees no link.
    other = nora.get(world.other_org.get_absolute_url()).content.decode()
    assert "organization-value-report" not in other
    assert (
        "organization-value-report"
        not in client.get(world.core_org.get_absolute_url()).content.decode()
    )
