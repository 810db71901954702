"""Invitations, join requests and memberships, as managers and newcomers use them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from landhub.directory import factories as f
from landhub.directory.models import Invitation, JoinRequest, LandscapeMembership
from landhub.directory.rules import can
from landhub.directory.services import memberships as services

pytestmark = pytest.mark.django_db


def _invite(world, email="newcomer@example.org", role="manager"):
    return services.invitation_create(
        actor=world.lena, target=world.landscape, email=email, role=role, message="Join us!"
    )


def test_leader_invites_and_the_newcomer_accepts(world, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation, token = _invite(world)
    assert invitation.token_hash != token  # only the hash is stored
    assert token in mail.outbox[0].body and "Join us!" in mail.outbox[0].body
    newcomer = f.UserFactory(email="newcomer@example.org", name="Nia")
    url = reverse("directory:invitation_accept", args=[token])
    assert "Kenya Highlands" in client.get(url).content.decode()
    client.force_login(newcomer)
    response = client.post(url)
    assert response.status_code == 302
    membership = LandscapeMembership.objects.get(person__user=newcomer)
    assert membership.role == "manager"
    assert can(newcomer, "directory.change_landscape", world.landscape)
    assert world.lena.notifications.filter(kind="directory.invitation_accepted").exists()
    assert client.post(url).status_code == 410  # used once


def test_expired_and_revoked_invitations_explain_themselves(world, client):
    invitation, token = _invite(world)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(1))
    response = client.get(reverse("directory:invitation_accept", args=[token]))
    assert response.status_code == 410 and "has expired" in response.content.decode()
    invitation2, token2 = _invite(world, email="b@example.org")
    services.invitation_revoke(actor=world.lena, invitation=invitation2)
    response = client.get(reverse("directory:invitation_accept", args=[token2]))
    assert "withdrawn" in response.content.decode()
    assert client.get(reverse("directory:invitation_accept", args=["forged"])).status_code == 404


def test_a_forwarded_link_does_not_give_the_role_to_someone_else(world, client_for):
    _invitation, token = _invite(world)
    response = client_for("oscar").post(reverse("directory:invitation_accept", args=[token]))
    assert response.status_code == 403
    assert "was sent to newcomer@example.org" in response.content.decode()
    assert not LandscapeMembership.objects.filter(person__user=world.oscar).exists()


def test_only_managers_invite_and_roles_are_checked(world):
    with pytest.raises(PermissionDenied):
        services.invitation_create(
            actor=world.nora, target=world.landscape, email="x@example.org", role="member"
        )
    with pytest.raises(ValidationError):
        services.invitation_create(
            actor=world.lena, target=world.landscape, email="x@example.org", role="admin"
        )
    _invite(world, email="dup@example.org")
    with pytest.raises(ValidationError, match="already has a pending invitation"):
        _invite(world, email="dup@example.org")


def test_join_request_approved_by_the_leader(world, client_for):
    oscar = client_for("oscar")
    url = reverse("directory:join_request_create", args=["landscapes", world.landscape.slug])
    assert oscar.post(url, {"message": "I farm here"}).status_code == 302
    request = JoinRequest.objects.get(user=world.oscar)
    assert world.lena.notifications.filter(kind="directory.join_request").exists()
    oscar.post(url, {"message": "again"})  # a second request is refused with a message
    assert JoinRequest.objects.filter(user=world.oscar).count() == 1
    hub = client_for("lena").get(reverse("directory:my_hub")).content.decode()
    assert "asks to join Kenya Highlands" in hub
    response = client_for("lena").post(
        reverse("directory:join_request_decide", args=[request.pk]), {"decision": "approve"}
    )
    assert response.status_code == 302
    assert LandscapeMembership.objects.filter(person__user=world.oscar, role="member").exists()
    assert world.oscar.notifications.filter(title__contains="now a member").exists()


def test_declined_request_and_decision_by_an_outsider(world, client_for):
    request = services.join_request_create(actor=world.oscar, target=world.landscape)
    assert (
        client_for("nora")
        .post(reverse("directory:join_request_decide", args=[request.pk]), {"decision": "approve"})
        .status_code
        == 403
    )
    services.join_request_decide(
        actor=world.lena, join_request=request, approve=False, note="Sorry"
    )
    request.refresh_from_db()
    assert request.status == "declined"
    assert not LandscapeMembership.objects.filter(person__user=world.oscar).exists()


def test_members_page_invites_and_ends_memberships(world, client_for):
    client = client_for("lena")
    url = reverse("directory:members", args=["landscapes", world.landscape.slug])
    response = client.post(url, {"email": "not-an-email", "role": "member"})
    assert response.status_code == 400 and "valid email" in response.content.decode()
    response = client.post(url, {"email": "ok@example.org", "role": "member"})
    assert response.status_code == 302
    assert "ok@example.org" in client.get(url).content.decode()
    member = f.LandscapeMembershipFactory(landscape=world.landscape)
    client.post(reverse("directory:membership_end", args=["landscapes", member.pk]))
    member.refresh_from_db()
    assert member.end_date is not None
    assert member.person.get_absolute_url() not in client.get(url).content.decode()


def test_my_hub_query_count(client_for, world, django_assert_max_num_queries):
    client = client_for("lena")
    client.get(reverse("directory:my_hub"))
    with django_assert_max_num_queries(20):
        client.get(reverse("directory:my_hub"))


def test_membership_api_invites_and_decides(client_for, world):
    lena = client_for("lena")
    response = lena.post(
        "/api/v1/memberships/invitations",
        {"kind": "landscapes", "slug": world.landscape.slug, "email": "api@example.org",
         "role": "leader"},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 201
    assert "token" not in response.json()  # the link goes by e-mail only
    bad = lena.post(
        "/api/v1/memberships/invitations",
        {"kind": "landscapes", "slug": world.landscape.slug, "email": "x@example.org",
         "role": "emperor"},
        content_type="application/json",
    )  # fmt: skip
    assert bad.status_code == 422 and "role" in bad.json()["errors"]
    asked = client_for("oscar").post(
        "/api/v1/memberships/join-requests",
        {"kind": "landscapes", "slug": world.landscape.slug},
        content_type="application/json",
    )
    assert asked.status_code == 201
    decided = lena.post(
        f"/api/v1/memberships/join-requests/{asked.json()['id']}/decide",
        {"approve": True}, content_type="application/json",
    )  # fmt: skip
    assert decided.json()["status"] == "approved"
    members = lena.get(f"/api/v1/memberships/landscapes/{world.landscape.slug}").json()
    assert {m["person"] for m in members} >= {"Lena", "Oscar"}
