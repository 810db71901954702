"""Sign-in by e-mail, MFA for hub staff, profile and notification preferences."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from landhub.core.models import NotificationPreference
from landhub.core.testing import totp_code

pytestmark = pytest.mark.django_db


def test_sign_in_by_email(client, world):
    response = client.post(
        reverse("account_login"),
        {"login": "nora@example.org", "password": "correct-horse-battery"},
    )
    assert response.status_code == 302
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_wrong_password_gets_a_message(client, world):
    response = client.post(
        reverse("account_login"), {"login": "nora@example.org", "password": "wrong"}
    )
    assert response.status_code == 200
    assert "not correct" in response.content.decode()


def test_hub_staff_sign_in_asks_for_the_totp_code(client, world):
    response = client.post(
        reverse("account_login"),
        {"login": "hana@example.org", "password": "correct-horse-battery"},
    )
    assert response.status_code == 302
    assert "2fa/authenticate" in response["Location"]
    response = client.post(response["Location"], {"code": totp_code(world.hana)})
    assert response.status_code == 302
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_hub_staff_without_totp_must_set_it_up(client):
    from django.contrib.auth.models import Group

    user = get_user_model().objects.create_user("newstaff@example.org", "pw-long-enough-1")
    Group.objects.get(name="hub-staff").user_set.add(user)
    client.force_login(user)
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 200  # account pages stay reachable
    response = client.get(reverse("core:notifications"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    api = client.get("/api/v1/me")
    assert api.status_code == 403
    assert "two-factor" in api.json()["detail"]


def test_profile_rejects_unknown_time_zone(client_for):
    response = client_for("nora").post(
        reverse("accounts:profile"), {"name": "Nora", "timezone": "Mars/Olympus"}
    )
    assert response.status_code == 200
    assert "timezone" in response.context["form"].errors


def test_profile_time_zone_changes_displayed_times(client_for, world):
    client = client_for("nora")
    client.post(reverse("accounts:profile"), {"name": "Nora", "timezone": "Asia/Jakarta"})
    world.nora.refresh_from_db()
    assert world.nora.timezone == "Asia/Jakarta"


def test_notification_preferences_saved_and_obeyed(client_for, world):
    from landhub.accounts.forms import NOTIFICATION_KINDS
    from landhub.core.services import delivery_for

    choices = {kind: "immediate" for kind, _label in NOTIFICATION_KINDS}
    choices |= {"directory.join_request": "digest", "coordination.request": "off"}
    response = client_for("nora").post(reverse("accounts:notification_preferences"), choices)
    assert response.status_code == 302
    prefs = dict(
        NotificationPreference.objects.filter(user=world.nora).values_list("kind", "delivery")
    )
    assert prefs["directory.join_request"] == "digest"
    # The choices reach the kinds the apps really send (a choice once saved under a name no
    # notice used was silently ignored).
    assert delivery_for(world.nora, "directory.join_request_decided") == "digest"
    assert delivery_for(world.nora, "coordination.request_created") == "off"
    assert delivery_for(world.nora, "directory.landscape_changed") == "immediate"
    # An e-mail's unsubscribe link for one kind beats its group's choice.
    NotificationPreference.objects.create(user=world.nora, kind="directory.join_request_decided",
                                          delivery="off")  # fmt: skip
    assert delivery_for(world.nora, "directory.join_request_decided") == "off"
    assert delivery_for(world.nora, "directory.join_request") == "digest"
