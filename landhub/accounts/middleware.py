"""Hub staff must set up TOTP before using the hub: they can see and change everything."""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect

from landhub.core.access import is_hub_staff

EXEMPT_PREFIXES = ("/accounts/", "/static/", "/media/", "/i18n/", "/healthz/", "/jsi18n/")


class StaffMFARequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._must_set_up_mfa(request):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"detail": "Hub staff must set up two-factor authentication first."},
                    status=403,
                )
            return redirect("mfa_activate_totp")
        return self.get_response(request)

    @staticmethod
    def _must_set_up_mfa(request) -> bool:
        if not getattr(settings, "LANDHUB_STAFF_MFA_REQUIRED", True):
            return False
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return False
        # The profile page stays open (it links to the set-up); token pages do not, or a
        # staff member without MFA could mint a token and skip the requirement.
        if request.path.startswith(EXEMPT_PREFIXES) or request.path in ("/", "/account/"):
            return False
        # Bearer-token API calls: the token was created by a signed-in (MFA) session.
        if getattr(request, "auth_via_token", False):
            return False
        if not is_hub_staff(user):
            return False
        from allauth.mfa.utils import is_mfa_enabled

        return not is_mfa_enabled(user)
