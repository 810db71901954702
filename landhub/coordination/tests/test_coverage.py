"""The coverage matrix: known needs and offerings give known cells."""

from __future__ import annotations

import pytest
from django.urls import reverse

from landhub.coordination.coverage import coverage_matrix
from landhub.coordination.factories import OfferingFactory
from landhub.directory import factories as f
from landhub.directory.models import Vocabulary

pytestmark = pytest.mark.django_db


def _cell(matrix, slug, column):
    keys = [key for key, _label in matrix["columns"]]
    for capability, cells in matrix["rows"]:
        if capability.slug == slug:
            return cells[keys.index(column)]
    raise AssertionError(slug)


@pytest.fixture
def africa(world):
    f.LandscapeNeedFactory(landscape=world.landscape, priority="low",
                           capability=f.term(Vocabulary.CAPABILITY, "gis-and-mapping"))  # fmt: skip
    facilitation = f.term(Vocabulary.CAPABILITY, "facilitation")
    for i in range(3):
        OfferingFactory(title=f"Facilitation {i}", capabilities=[facilitation],
                        regions="Africa")  # fmt: skip
    OfferingFactory(title="Facilitation Americas", capabilities=[facilitation],
                    regions="Americas")  # fmt: skip
    research = f.term(Vocabulary.CAPABILITY, "research")
    hidden_need = f.LandscapeNeedFactory(landscape=world.restricted_landscape, capability=research)
    world.restricted_landscape.countries.set(["KE"])
    return hidden_need


def test_cells_count_needs_offerings_and_providers_by_region(world, africa):
    matrix = coverage_matrix(user=world.nora)
    finance = _cell(matrix, "landscape-finance", "Africa")
    assert (finance.needs, finance.offerings, finance.providers, finance.state) == (
        1, 1, 1, "served")  # fmt: skip
    mapping = _cell(matrix, "gis-and-mapping", "Africa")
    assert (mapping.needs, mapping.offerings, mapping.state) == (1, 0, "unserved")
    crowded = _cell(matrix, "facilitation", "Africa")
    assert (crowded.offerings, crowded.providers, crowded.state) == (3, 3, "crowded")
    assert _cell(matrix, "facilitation", "Americas").offerings == 1
    assert _cell(matrix, "research", "Africa").needs == 0  # restricted landscape, not nora's
    assert _cell(coverage_matrix(user=world.hana), "research", "Africa").needs == 1


def test_one_region_shows_its_landscapes(client_for, world, africa):
    page = client_for("hana").get(reverse("coordination:coverage"), {"region": "Africa"})
    body = page.content.decode()
    assert "Coverage in Africa" in body and "Kenya Highlands" in body
    matrix = coverage_matrix(user=world.nora, region="Africa")
    assert [label for _key, label in matrix["columns"]] == ["Kenya Highlands"]
    assert _cell(matrix, "gis-and-mapping", world.landscape.slug).state == "unserved"


def test_the_page_and_its_csv(client_for, world, africa):
    client = client_for("nora")
    body = client.get(reverse("coordination:coverage")).content.decode()
    assert "1 / 0 / 0" in body and "coverage-unserved" in body and "coverage-crowded" in body
    csv = b"".join(client.get(reverse("coordination:coverage_export_csv")).streaming_content)
    assert b"GIS and mapping,Africa,1,0,0,0,0,unserved" in csv
    assert client_for("anonymous").get(reverse("coordination:coverage")).status_code == 302


def test_partners_activities_count_towards_crowding_each_partner_once(world, africa):
    """Two providers of finance offerings plus activities: crowded only once three distinct
    partners work on finance in Africa; a provider that is also active counts once; cancelled
    and long-past activities do not count."""
    import datetime as dt

    from landhub.coordination import services

    finance = "landscape-finance"
    today = dt.date.today()

    def activity(actor, organization, start, **extra):
        return services.activity_create(
            actor=actor, title=f"Finance work {start}", type="workshop",
            organizations=[organization], landscapes=[world.landscape.slug],
            capabilities=[finance], starts_on=start, ends_on=start + dt.timedelta(days=1),
            **extra,
        )  # fmt: skip

    lead = world.offering.provider_links.get(is_lead=True).organization
    assert lead == world.core_org
    activity(world.pablo, world.core_org, today)  # the provider itself: no new partner
    activity(world.nora, world.other_org, today - dt.timedelta(days=800))  # long past
    activity(world.nora, world.other_org, today + dt.timedelta(days=5), status="cancelled")
    cell = _cell(coverage_matrix(user=world.hana), finance, "Africa")
    assert (cell.providers, cell.activities, cell.partners, cell.state) == (1, 1, 1, "served")

    activity(world.nora, world.other_org, today + dt.timedelta(days=40))
    third = f.OrganizationFactory(name="Savanna Finance Lab")
    activity(world.hana, third, today + dt.timedelta(days=60))  # hub staff enter it for them
    cell = _cell(coverage_matrix(user=world.hana), finance, "Africa")
    assert (cell.providers, cell.activities, cell.partners, cell.state) == (1, 3, 3, "crowded")
    by_landscape = coverage_matrix(user=world.hana, region="Africa")
    assert _cell(by_landscape, finance, world.landscape.slug).state == "crowded"
