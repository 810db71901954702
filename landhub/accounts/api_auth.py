"""API authentication: a personal bearer token, else the browser session, else anonymous.

Anonymous callers may read (they see only public records: selectors filter by visibility);
any write needs a signed-in session (with CSRF) or a read-write token.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from ninja.errors import AuthenticationError, HttpError
from ninja.security import HttpBearer
from ninja.utils import check_csrf

from .models import ApiTokenScope
from .services import api_token_authenticate

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
FAILURE_WINDOW_SECONDS = 600


class TooManyTokenFailures(Exception):
    """Answered with 429 and Retry-After (see landhub/api.py)."""

    retry_after = FAILURE_WINDOW_SECONDS


def _failure_key(request) -> str:
    from allauth.account.adapter import get_adapter

    # The same client address as the sign-in rate limits use (proxy settings included).
    return f"landhub:token-failures:{get_adapter().get_client_ip(request)}"


class BearerTokenAuth(HttpBearer):
    """A personal token; after too many wrong tokens from one address, that address waits.

    Tokens carry 256 random bits, so guessing cannot succeed; the limit keeps a script that
    tries anyway from costing database lookups, and makes it show up as 429s in the logs.
    """

    def authenticate(self, request, token):
        key = _failure_key(request)
        if (cache.get(key) or 0) >= settings.LANDHUB_TOKEN_FAILURES_ALLOWED:
            raise TooManyTokenFailures
        found = api_token_authenticate(token)
        if found is None:
            cache.add(key, 0, FAILURE_WINDOW_SECONDS)  # the window starts at the first failure
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.add(key, 1, FAILURE_WINDOW_SECONDS)
            raise AuthenticationError(message="The token is invalid, expired or revoked.")
        if found.scope == ApiTokenScope.READ and request.method not in SAFE_METHODS:
            raise HttpError(403, "This token is read-only; create a read-write token to write.")
        request.user = found.user
        request.auth_via_token = True
        return found.user


class _Anonymous:
    """Truthy marker so ninja lets an anonymous reader through."""

    def __bool__(self) -> bool:
        return True


class SessionOrAnonymous:
    def __call__(self, request):
        if request.headers.get("Authorization"):
            # A malformed Authorization header is an error, not an anonymous request.
            raise AuthenticationError(message="Use 'Authorization: Bearer <token>'.")
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            if request.method not in SAFE_METHODS and check_csrf(request) is not None:
                raise HttpError(403, "CSRF check failed: send the X-CSRFToken header.")
            return user
        if request.method in SAFE_METHODS:
            request.user = AnonymousUser()
            return _Anonymous()
        raise AuthenticationError(message="Sign in or use a read-write API token to make changes.")
