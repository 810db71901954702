"""Synthetic scale data: right proportions, deterministic, valid boundaries, visible to search."""

import pytest
from django.core.management import CommandError, call_command

from landhub.core.search import search_pks
from landhub.directory.models import Landscape, Organization, Person

pytestmark = pytest.mark.django_db


def test_generate_scale_in_the_design_proportions(capsys):
    call_command("generate_scale", "--scale", "0.02")
    assert Landscape.objects.filter(name__startswith="Scale").count() == 20
    assert Organization.objects.filter(name__startswith="Scale").count() == 80
    # The initiative's six core partners, however many organizations there are.
    core = Organization.objects.filter(name__startswith="Scale", kind__slug="core-partner")
    assert core.count() == 6
    people = Person.objects.filter(name__startswith="Scale")
    assert people.count() == 400
    assert people.filter(org_memberships__isnull=False).distinct().count() == 400
    landscape = Landscape.objects.filter(name__startswith="Scale").first()
    assert landscape.boundary["type"] == "Polygon" and landscape.area_km2 > 0
    assert landscape.ilm_progress.count() == 5 and landscape.needs.count() == 3
    assert search_pks(Landscape, "synthetic")  # the index was rebuilt
    assert "Done in" in capsys.readouterr().out
    with pytest.raises(CommandError, match="already has 20 synthetic landscapes"):
        call_command("generate_scale", "--scale", "0.02")


def test_generate_scale_refuses_nonsense():
    with pytest.raises(CommandError, match="between 0 and 100"):
        call_command("generate_scale", "--scale", "-1")
