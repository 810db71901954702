"""API authentication: a personal bearer token, else the browser session, else anonymous.

Anonymous callers may read (they see only public records: selectors filter by visibility);
any write needs a signed-in session (with CSRF) or a read-write token.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from ninja.errors import AuthenticationError, HttpError
from ninja.security import HttpBearer
from ninja.utils import check_csrf

from .models import ApiTokenScope
from .services import api_token_authenticate

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class BearerTokenAuth(HttpBearer):
    def authenticate(self, request, token):
        found = api_token_authenticate(token)
        if found is None:
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
