"""Account services: personal API tokens."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import ApiToken, ApiTokenScope, hash_token_secret


@transaction.atomic
def api_token_create(
    *, actor, name: str, scope: str = ApiTokenScope.READ, expires_at: datetime | None = None
) -> tuple[ApiToken, str]:
    """Create a token for the actor; returns the row and the plain token, shown only once."""
    if not actor.is_authenticated:
        raise PermissionDenied
    name = (name or "").strip()
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": _("The expiry must be in the future.")})
    prefix, secret, plain = ApiToken.generate()
    token = ApiToken(
        user=actor, name=name, prefix=prefix, token_hash=hash_token_secret(secret),
        scope=scope, expires_at=expires_at,
    )  # fmt: skip
    token.full_clean()
    token.save()
    return token, plain


@transaction.atomic
def api_token_revoke(*, actor, token_id: int) -> ApiToken:
    token = ApiToken.objects.select_for_update().filter(pk=token_id, user=actor).first()
    if token is None:
        raise PermissionDenied(_("You can only revoke your own tokens."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def api_token_authenticate(plain: str) -> ApiToken | None:
    """The active token matching ``plain``, with its last-used time refreshed; else None."""
    import hmac

    parts = (plain or "").split("_", 2)
    if len(parts) != 3 or parts[0] != "lh":
        return None
    token = ApiToken.objects.select_related("user").filter(prefix=parts[1]).first()
    if token is None or not hmac.compare_digest(token.token_hash, hash_token_secret(parts[2])):
        return None
    if not token.is_active or not token.user.is_active:
        return None
    now = timezone.now()
    # Refresh at most once a minute: a busy client should not write on every request.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
