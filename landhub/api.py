"""The REST API (/api/v1/): one NinjaAPI, each app adds its router from its own api.py.

Authentication: the browser session (with CSRF on writes) or a personal bearer token
(``Authorization: Bearer lh_…``). Read-only tokens may only use safe methods.
Errors are JSON: ``{"detail": ..., "errors": {field: [messages]}}``.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from landhub.accounts.api_auth import BearerTokenAuth, SessionOrAnonymous, TooManyTokenFailures
from landhub.core.exceptions import ConflictError

api = NinjaAPI(
    title="LandHub API",
    version="1",
    description="The hub's shared directory and functions. See docs/api.md.",
    auth=[BearerTokenAuth(), SessionOrAnonymous()],
    urls_namespace="api",
    docs_url="/docs",
)


def _field_errors(exc: ValidationError) -> dict:
    if hasattr(exc, "message_dict"):
        return {k: [str(m) for m in v] for k, v in exc.message_dict.items()}
    return {"__all__": [str(m) for m in exc.messages]}


@api.exception_handler(ValidationError)
def django_validation_error(request, exc):
    return api.create_response(
        request, {"detail": "Invalid input.", "errors": _field_errors(exc)}, status=422
    )


@api.exception_handler(NinjaValidationError)
def ninja_validation_error(request, exc):
    errors: dict[str, list[str]] = {}
    for err in exc.errors:
        loc = [str(p) for p in err.get("loc", []) if p not in ("body", "query", "path", "payload")]
        errors.setdefault(".".join(loc) or "__all__", []).append(err.get("msg", "invalid"))
    return api.create_response(request, {"detail": "Invalid input.", "errors": errors}, status=422)


@api.exception_handler(ConflictError)
def conflict(request, exc):
    from landhub.directory.api import serialize_current

    return api.create_response(
        request,
        {"detail": str(exc), "current": serialize_current(exc.current)},
        status=409,
    )


@api.exception_handler(PermissionDenied)
def forbidden(request, exc):
    return api.create_response(request, {"detail": str(exc) or "You may not do this."}, status=403)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": "Not found."}, status=404)


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    message = str(exc)
    if message in ("", "Unauthorized"):
        message = "Authentication required: sign in or send 'Authorization: Bearer <token>'."
    return api.create_response(request, {"detail": message}, status=401)


@api.exception_handler(TooManyTokenFailures)
def too_many_token_failures(request, exc):
    response = api.create_response(
        request,
        {"detail": "Too many wrong tokens from your address; try again in 10 minutes."},
        status=429,
    )
    response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(HttpError)
def http_error(request, exc):
    return api.create_response(request, {"detail": exc.message}, status=exc.status_code)


def _register_routers() -> None:
    from landhub.accounts.api import router as accounts_router
    from landhub.coordination.api import activities_router, requests_router
    from landhub.coordination.api import router as coordination_router
    from landhub.directory.api import router as directory_router
    from landhub.governance.api import router as governance_router
    from landhub.mel.api import router as mel_router

    api.add_router("/", directory_router)
    api.add_router("/offerings", coordination_router)
    api.add_router("/requests", requests_router)
    api.add_router("/activities", activities_router)
    api.add_router("/mel", mel_router)
    api.add_router("/governance", governance_router)
    api.add_router("/me", accounts_router)


_register_routers()
