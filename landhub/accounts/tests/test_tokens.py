"""Personal API tokens: shown once, stored hashed, scoped, expiring and revocable."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from landhub.accounts.models import ApiToken
from landhub.accounts.services import api_token_create, api_token_revoke

pytestmark = pytest.mark.django_db


def test_token_is_shown_once_and_stored_only_as_hash(world):
    token, plain = api_token_create(actor=world.nora, name="script", scope="read")
    assert plain.startswith(f"lh_{token.prefix}_")
    stored = ApiToken.objects.get(pk=token.pk)
    assert plain.split("_", 2)[2] not in stored.token_hash
    assert len(stored.token_hash) == 64


def test_token_page_shows_new_token_once(client_for):
    client = client_for("nora")
    response = client.post(
        reverse("accounts:tokens"), {"name": "sync", "scope": "read", "expires_in_days": 30}
    )
    assert response.status_code == 200
    plain = response.context["new_token"]
    assert plain in response.content.decode()
    again = client.get(reverse("accounts:tokens")).content.decode()
    assert plain not in again
    assert "sync" in again


def test_token_form_rejects_bad_input(client_for):
    response = client_for("nora").post(
        reverse("accounts:tokens"), {"name": "", "scope": "admin", "expires_in_days": 0}
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"name", "scope", "expires_in_days"}


def test_expiry_in_the_past_is_refused(world):
    with pytest.raises(ValidationError):
        api_token_create(
            actor=world.nora, name="old", expires_at=timezone.now() - timedelta(days=1)
        )


def _me(client, plain):
    return client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {plain}")


def test_bearer_token_authenticates_and_records_last_use(client, world):
    token, plain = api_token_create(actor=world.nora, name="t")
    response = _me(client, plain)
    assert response.status_code == 200
    assert response.json()["email"] == "nora@example.org"
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_revoked_token_is_refused(client, world):
    token, plain = api_token_create(actor=world.nora, name="t")
    api_token_revoke(actor=world.nora, token_id=token.pk)
    response = _me(client, plain)
    assert response.status_code == 401
    assert "revoked" in response.json()["detail"]


def test_expired_token_is_refused(client, world):
    token, plain = api_token_create(actor=world.nora, name="t")
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert _me(client, plain).status_code == 401


def test_forged_token_is_refused(client, world):
    token, plain = api_token_create(actor=world.nora, name="t")
    assert _me(client, plain[:-2] + "xx").status_code == 401
    assert _me(client, "not-a-token").status_code == 401


def test_an_address_that_keeps_sending_wrong_tokens_has_to_wait(client, world, settings):
    settings.LANDHUB_TOKEN_FAILURES_ALLOWED = 3
    _token, plain = api_token_create(actor=world.nora, name="t")
    for _ in range(3):
        assert _me(client, plain[:-2] + "xx").status_code == 401
    refused = _me(client, plain)  # even the right token, from this address, for a while
    assert refused.status_code == 429 and refused["Retry-After"] == "600"
    assert "try again in 10 minutes" in refused.json()["detail"]
    other = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {plain}",
                       REMOTE_ADDR="203.0.113.9")  # fmt: skip
    assert other.status_code == 200  # another address is not affected


def test_someone_elses_token_cannot_be_revoked(world):
    token, _plain = api_token_create(actor=world.nora, name="t")
    with pytest.raises(PermissionDenied):
        api_token_revoke(actor=world.oscar, token_id=token.pk)
    token.refresh_from_db()
    assert token.revoked_at is None


def test_read_token_cannot_write(client, world):
    _token, plain = api_token_create(actor=world.hana, name="t", scope="read")
    response = client.post(
        "/api/v1/organizations",
        data="{}",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {plain}",
    )
    assert response.status_code == 403
    assert "read-only" in response.json()["detail"]


def test_revoke_through_the_page(client_for, world):
    token, _plain = api_token_create(actor=world.nora, name="t")
    response = client_for("nora").post(reverse("accounts:token_revoke", args=[token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert (
        client_for("oscar").post(reverse("accounts:token_revoke", args=[token.pk])).status_code
        == 404
    )
