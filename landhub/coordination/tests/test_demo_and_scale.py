"""Demo offerings for newcomers and synthetic offerings for the benchmark."""

import pytest
from django.core.management import call_command

from landhub.coordination.models import Offering, OfferingStatus
from landhub.coordination.selectors import offering_facets, offering_list
from landhub.core.search import search_pks

pytestmark = pytest.mark.django_db


def test_the_demo_catalog_has_offerings_of_all_six_core_partners(capsys):
    call_command("seed_demo", "--if-empty")
    demo = Offering.objects.exclude(title__in=["Landscape Finance Clinic", "Soil Carbon Toolkit"])
    providers = set(demo.values_list("provider_links__organization__short_name", flat=True))
    assert {"EP", "RA", "UNDP", "CI", "TM", "CL"} <= providers
    assert demo.filter(status=OfferingStatus.PUBLISHED).count() >= 10
    assert demo.filter(status=OfferingStatus.IN_REVIEW).exists()  # something for hana to review
    assert "Offerings:" in capsys.readouterr().out


def test_generate_scale_adds_offerings_in_proportion(world):
    from django.contrib.auth.models import AnonymousUser

    call_command("generate_scale", "--scale", "0.01")
    synthetic = Offering.objects.filter(slug__startswith="scale-offering-")
    assert synthetic.count() == 200
    assert all(o.provider_links.filter(is_lead=True).count() == 1 for o in synthetic[:20])
    assert search_pks(Offering, "synthetic")
    anonymous = AnonymousUser()
    published = offering_list(user=anonymous).count()
    assert 0 < published < 200
    facets = offering_facets(user=anonymous)
    assert sum(n for _v, _l, n in facets["type"]) == published
