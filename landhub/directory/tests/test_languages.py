"""The hub in Spanish: interface strings and vocabulary names follow the chosen language."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_switching_to_spanish_translates_the_interface_and_the_vocabularies(client, world):
    response = client.post(reverse("set_language"), {"language": "es", "next": "/landscapes/"})
    assert response.status_code == 302
    body = client.get(reverse("directory:landscape_list")).content.decode()
    assert '<html lang="es">' in body
    assert "Paisajes" in body and "Organizaciones" in body  # navigation
    assert "Filtrar" in body and "Cualquiera" in body  # filter form
    profile = client.get(world.landscape.get_absolute_url()).content.decode()
    assert "Finanzas de paisaje" in profile  # the need's capability, named in Spanish
    assert "Necesidades" in profile


def test_api_errors_stay_in_english_for_scripts(client, world):
    client.post(reverse("set_language"), {"language": "es"})
    response = client.get("/api/v1/landscapes/no-such-landscape")
    assert response.status_code == 404
    assert response.json()["detail"] == "Not found."
