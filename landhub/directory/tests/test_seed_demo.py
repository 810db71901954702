"""The demo hub a newcomer sees after `make run`."""

import pytest
from django.core.management import call_command

from landhub.directory.models import Landscape, Organization

pytestmark = pytest.mark.django_db


def test_seed_demo_builds_the_demo_hub_once(capsys):
    call_command("seed_demo", "--if-empty")
    core = set(
        Organization.objects.filter(kind__slug="core-partner").values_list("name", flat=True)
    )
    six = {"EcoAgriculture Partners", "Rainforest Alliance", "Conservation International",
           "United Nations Development Programme", "Tech Matters", "Commonland"}  # fmt: skip
    assert six <= core
    demo = Landscape.objects.filter(is_demo=True)
    assert demo.count() == 12
    regions = set(demo.values_list("region", flat=True))
    assert {"Africa", "Americas", "Asia", "Europe"} <= regions  # four continents
    assert all(ls.area_km2 and ls.area_km2 > 1000 for ls in demo)
    assert all(ls.needs.exists() and ls.ilm_progress.count() == 5 for ls in demo)
    call_command("seed_demo", "--if-empty")
    assert "already loaded" in capsys.readouterr().out
    assert Landscape.objects.filter(is_demo=True).count() == 12


def test_demo_logins_lists_every_persona(capsys):
    call_command("demo_logins")
    out = capsys.readouterr().out
    for persona in ["hana", "pablo", "sofia", "lena", "nora", "oscar"]:
        assert f"{persona}@demo.landhub.org" in out
    assert "landhub-demo" in out
