"""The signed-in user's own pages: profile, API tokens, notification preferences."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from landhub.core import services as core_services
from landhub.core.models import NotificationPreference

from . import services
from .forms import NOTIFICATION_KINDS, ApiTokenForm, NotificationPreferencesForm, ProfileForm


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile was saved."))
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})


@login_required
def token_list(request):
    form = ApiTokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, new_token = services.api_token_create(
                actor=request.user,
                name=form.cleaned_data["name"],
                scope=form.cleaned_data["scope"],
                expires_at=timezone.now() + timedelta(days=form.cleaned_data["expires_in_days"]),
            )
            form = ApiTokenForm()
        except ValidationError as exc:
            form.add_error(None, exc)
    tokens = request.user.personal_tokens.all()
    return render(
        request, "accounts/tokens.html", {"form": form, "tokens": tokens, "new_token": new_token}
    )


@login_required
@require_POST
def token_revoke(request, pk: int):
    try:
        services.api_token_revoke(actor=request.user, token_id=pk)
    except PermissionDenied:
        from django.http import Http404

        raise Http404
    messages.success(request, _("The token was revoked."))
    return redirect("accounts:tokens")


@login_required
def notification_preferences(request):
    current = dict(
        NotificationPreference.objects.filter(user=request.user).values_list("kind", "delivery")
    )
    form = NotificationPreferencesForm(request.POST or None, current=current)
    if request.method == "POST" and form.is_valid():
        for kind, _label in NOTIFICATION_KINDS:
            core_services.notification_preference_set(
                actor=request.user, kind=kind, delivery=form.cleaned_data[kind]
            )
        messages.success(request, _("Your notification settings were saved."))
        return redirect("accounts:notification_preferences")
    return render(request, "accounts/notification_preferences.html", {"form": form})
