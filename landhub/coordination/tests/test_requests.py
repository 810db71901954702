"""Service requests from a landscape to the providers, to delivery and value feedback."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from landhub.accounts.services import api_token_create
from landhub.coordination.models import RequestStatus, ServiceRequest
from landhub.coordination.selectors import offering_value
from landhub.core.models import Notification

pytestmark = pytest.mark.django_db


def _act(client, service_request, action, **extra):
    service_request.refresh_from_db()
    return client.post(reverse("coordination:request_action", args=[service_request.pk]),
                       {"action": action, "version": service_request.version, **extra})  # fmt: skip


def test_a_leader_requests_the_provider_delivers_and_the_leader_rates_it(client_for, world):
    lena, pablo = client_for("lena"), client_for("pablo")
    need = world.landscape.needs.first()
    url = reverse("coordination:offering_request", args=[world.offering.slug])
    message = "We need help structuring a landscape fund."
    response = lena.post(url, {"landscape": world.landscape.pk, "need": need.pk,
                               "message": message})  # fmt: skip
    assert response.status_code == 302
    service_request = ServiceRequest.objects.get(landscape=world.landscape)
    assert Notification.objects.filter(recipient=world.pablo,
                                       kind="coordination.request_created").exists()  # fmt: skip
    assert "Kenya Highlands" in pablo.get(reverse("coordination:request_list") + "?scope=to_us"
                                          ).content.decode()  # fmt: skip

    in_two_weeks = (timezone.localdate() + timedelta(days=14)).isoformat()
    assert _act(pablo, service_request, "accept", expected_by=in_two_weeks).status_code == 302
    _act(pablo, service_request, "start")
    _act(pablo, service_request, "deliver", answer="Workshop held on 3 March.")
    service_request.refresh_from_db()
    assert service_request.status == RequestStatus.DELIVERED and service_request.delivered_at
    assert Notification.objects.filter(recipient=world.lena,
                                       kind="coordination.request_deliver").exists()  # fmt: skip

    feedback_url = reverse("coordination:request_feedback", args=[service_request.pk])
    answers = {"usefulness": "5", "what_changed": "Fund designed.", "would_recommend": "yes",
               "days_saved": "12.5"}  # fmt: skip
    response = lena.post(feedback_url, answers)
    assert response.status_code == 302
    page = lena.get(service_request.get_absolute_url()).content.decode()
    assert "5/5" in page and "12.5 days saved" in page
    page = client_for("anonymous").get(world.offering.get_absolute_url()).content.decode()
    assert "Delivered once · rated 5.0/5 (1 rating)" in page and "Kenya Highlands" in page
    assert "offering-value-report" not in page  # MEL's value report is for members
    page = lena.get(world.offering.get_absolute_url()).content.decode()
    report = reverse("mel:value_offering", args=[world.offering.slug])
    assert f'href="{report}" id="offering-value-report"' in page
    assert "Fund designed." in lena.get(report).content.decode()  # the testimony is there
    value = offering_value(offering_ids=[world.offering.pk])[world.offering.pk]
    assert value["delivered"] == 1 and value["mean_usefulness"] == 5
    assert float(value["days_saved"]) == 12.5


def test_wrong_steps_and_wrong_people_are_refused(client_for, world):
    lena = client_for("lena")
    url = reverse("coordination:offering_request", args=[world.offering.slug])
    short = lena.post(url, {"landscape": world.landscape.pk, "message": "Help"})
    assert "Say in a sentence or two" in short.content.decode()
    lena.post(url, {"landscape": world.landscape.pk, "message": "Please help us with finance."})
    again = lena.post(url, {"landscape": world.landscape.pk, "message": "Please help again."})
    assert "already has an open request" in again.content.decode()
    service_request = ServiceRequest.objects.get(landscape=world.landscape)

    assert _act(lena, service_request, "accept").status_code == 403  # not a provider
    assert _act(client_for("nora"), service_request, "withdraw").status_code == 404
    response = _act(client_for("pablo"), service_request, "decline")  # no reason
    service_request.refresh_from_db()
    assert service_request.status == RequestStatus.REQUESTED
    assert client_for("pablo").get(response.url).status_code == 200
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    _act(client_for("pablo"), service_request, "accept", expected_by=yesterday)
    service_request.refresh_from_db()
    assert service_request.status == RequestStatus.REQUESTED  # the date was in the past
    feedback = reverse("coordination:request_feedback", args=[service_request.pk])
    early = lena.post(feedback, {"usefulness": "4", "what_changed": "x", "would_recommend": "no"})
    assert "Feedback comes after delivery." in early.content.decode()


def test_overdue_requests_are_flagged(client_for, world):
    service_request = ServiceRequest.objects.create(
        offering=world.offering, landscape=world.landscape, message="Old request, no answer.",
        requested_by=world.lena,
    )  # fmt: skip
    ServiceRequest.objects.filter(pk=service_request.pk).update(
        created_at=timezone.now() - timedelta(days=20)
    )
    body = client_for("hana").get(reverse("coordination:request_list"),
                                  {"scope": "all", "overdue": "1"}).content.decode()  # fmt: skip
    assert "Kenya Highlands" in body and "overdue" in body
    csv = b"".join(client_for("hana").get(reverse("coordination:request_export_csv"),
                                          {"scope": "all"}).streaming_content)  # fmt: skip
    assert b"Landscape Finance Clinic" in csv and b",yes," in csv


def test_the_api_follows_a_request_to_its_feedback(client, world):
    def bearer(user):
        _token, plain = api_token_create(actor=user, name="t", scope="write")
        return {"HTTP_AUTHORIZATION": f"Bearer {plain}"}

    lena, pablo = bearer(world.lena), bearer(world.pablo)

    def post(url, data, auth, method="post"):
        return getattr(client, method)(url, json.dumps(data), content_type="application/json",
                                       **auth)  # fmt: skip

    ask = {"offering": world.offering.slug, "landscape": world.landscape.slug,
           "message": "Please run a finance clinic for us."}  # fmt: skip
    created = post("/api/v1/requests", ask, lena)
    assert created.status_code == 201 and created.json()["status"] == "requested"
    rid, version = created.json()["id"], created.json()["version"]
    assert client.get("/api/v1/requests?scope=to_us", **pablo).json()["count"] == 1
    early = post(f"/api/v1/requests/{rid}/deliver", {"version": version}, pablo)
    assert early.status_code == 422  # accept first
    accepted = post(f"/api/v1/requests/{rid}/accept", {"version": version}, pablo)
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    version = accepted.json()["version"]
    delivered = post(f"/api/v1/requests/{rid}/deliver", {"version": version}, pablo)
    assert delivered.status_code == 200 and delivered.json()["status"] == "delivered"
    stale = post(f"/api/v1/requests/{rid}/withdraw", {"version": version}, lena)
    assert stale.status_code in (409, 422)
    rated = post(f"/api/v1/requests/{rid}/feedback", {"usefulness": 4, "what_changed": "A plan.",
                 "would_recommend": True, "money_saved_usd": 1500}, lena, method="put")  # fmt: skip
    assert rated.status_code == 200 and rated.json()["feedback"]["usefulness"] == 4
    bad = post(f"/api/v1/requests/{rid}/feedback", {"usefulness": 9, "what_changed": "x",
               "would_recommend": True}, lena, method="put")  # fmt: skip
    assert bad.status_code == 422


def test_a_retired_offering_stays_readable_for_the_landscapes_that_used_it(client_for, world):
    from landhub.coordination import services

    ServiceRequest.objects.create(offering=world.offering, landscape=world.landscape,
                                  message="Used it last year.", status="delivered")  # fmt: skip
    services.offering_transition(actor=world.hana, offering=world.offering, action="retire",
                                 version=world.offering.version)  # fmt: skip
    url = world.offering.get_absolute_url()
    assert client_for("lena").get(url).status_code == 200  # her landscape requested it
    assert client_for("nora").get(url).status_code == 404
    assert client_for("anonymous").get(url).status_code == 404
