"""The data entry grid and the review queue, as a leader and a reviewer use them."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.urls import reverse

from landhub.mel.models import Observation, Rollup

pytestmark = pytest.mark.django_db


def _grid(landscape, period):
    return reverse("mel:report_grid", args=[landscape.slug, period.label])


def _save(landscape, period, assignment):
    return reverse("mel:report_save", args=[landscape.slug, period.label, assignment.pk])


def test_a_leader_fills_her_grid_row_by_row_and_submits(client_for, world, mel):
    lena, y25 = client_for("lena"), mel.periods[0]
    page = lena.get(_grid(world.landscape, y25)).content.decode()
    assert "T1" in page and "W1" in page and "Women numerator" not in page  # T1 splits by sex
    assert "Not entered" in page
    trained = mel.a[("T1", world.landscape.pk)]
    response = lena.post(_save(world.landscape, y25, trained),
                         {"sex:women.value": "12", "sex:men.value": "8", "version": ""},
                         HTTP_HX_REQUEST="true")  # fmt: skip
    assert response.status_code == 200
    row = response.content.decode()
    assert f'id="row-{trained.pk}"' in row and "<html" not in row  # only the row comes back
    assert "Saved." in row and "<strong>20</strong>" in row  # the total is derived
    share = mel.a[("W1", world.landscape.pk)]
    bad = lena.post(_save(world.landscape, y25, share),
                    {"numerator": "lots", "denominator": "10"}, HTTP_HX_REQUEST="true")  # fmt: skip
    assert bad.status_code == 400
    text = bad.content.decode()
    assert "Enter a number." in text and 'value="lots"' in text  # kept next to its message
    lena.post(_save(world.landscape, y25, share), {"numerator": "4", "denominator": "10"})
    submitted = lena.post(reverse("mel:report_submit", args=[world.landscape.slug, y25.label]))
    assert submitted.status_code == 302
    assert set(Observation.objects.values_list("status", flat=True)) == {"submitted"}
    page = lena.get(_grid(world.landscape, y25)).content.decode()
    assert "With the reviewers." in page


def test_not_applicable_needs_a_reason_in_the_grid(client_for, world, mel):
    y25 = mel.periods[0]
    share = mel.a[("W1", world.landscape.pk)]
    url = _save(world.landscape, y25, share)
    response = client_for("lena").post(url, {"not_applicable": "on"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    assert "Say why it does not apply." in response.content.decode()


def test_others_may_not_use_a_landscapes_grid(client_for, world, mel):
    y25 = mel.periods[0]
    assert client_for("nora").get(_grid(world.landscape, y25)).status_code == 403
    share = mel.a[("W1", world.landscape.pk)]
    response = client_for("nora").post(_save(world.landscape, y25, share),
                                       {"numerator": "1", "denominator": "2"})  # fmt: skip
    assert response.status_code == 403
    assert not Observation.objects.exists()
    missing = reverse("mel:report_grid", args=[world.landscape.slug, "1999"])
    assert client_for("lena").get(missing).status_code == 404


def test_reviewers_approve_or_return_from_the_queue(client_for, world, mel):
    y25 = mel.periods[0]
    lena = client_for("lena")
    share = mel.a[("W1", world.landscape.pk)]
    trained = mel.a[("T1", world.landscape.pk)]
    lena.post(_save(world.landscape, y25, share), {"numerator": "3", "denominator": "10"})
    lena.post(_save(world.landscape, y25, trained),
              {"sex:women.value": "1", "sex:men.value": "1"})  # fmt: skip
    lena.post(reverse("mel:report_submit", args=[world.landscape.slug, y25.label]))
    assert client_for("lena").get(reverse("mel:review_list")).status_code == 403
    sofia = client_for("sofia")  # a designated reviewer
    queue = sofia.get(reverse("mel:review_list")).content.decode()
    assert "2 values wait for review" in queue
    first = Observation.objects.get(assignment=share)
    sofia.post(reverse("mel:review_action", args=[first.pk]),
               {"action": "approve", "version": first.version})  # fmt: skip
    assert Observation.objects.get(pk=first.pk).status == "approved"
    total = Rollup.objects.get(indicator=mel.share, period=y25, level="initiative", option=None)
    assert total.value == D("30.000000")
    second = Observation.objects.get(assignment=trained)
    refused = sofia.post(reverse("mel:review_action", args=[second.pk]),
                         {"action": "return", "version": second.version}, follow=True)  # fmt: skip
    assert "Say what needs to change." in refused.content.decode()
    sofia.post(reverse("mel:review_action", args=[second.pk]),
               {"action": "return", "version": second.version,
                "comment": "Attach the attendance sheet."})  # fmt: skip
    page = lena.get(_grid(world.landscape, y25)).content.decode()
    assert "Returned: Attach the attendance sheet." in page


def test_the_landscape_page_links_its_reporters_to_the_grid(client_for, world, mel):
    url = world.landscape.get_absolute_url()
    page = client_for("lena").get(url).content.decode()
    assert "Monitoring values" in page and _grid(world.landscape, mel.periods[1]) in page
    assert "Monitoring values" not in client_for("nora").get(url).content.decode()


def test_the_landscape_page_leads_members_to_its_outcomes_stories_and_reflections(
    client, client_for, world
):
    url = world.landscape.get_absolute_url()
    page = client_for("nora").get(url).content.decode()
    slug = world.landscape.slug
    assert "Change in this landscape" in page
    for name in ("mel:outcome_list", "mel:story_list", "mel:session_list"):
        assert f"{reverse(name)}?landscape={slug}" in page
    assert "Change in this landscape" not in client.get(url).content.decode()  # anonymous
