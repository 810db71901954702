"""One view factory for "archive" and "restore" buttons: records are archived, never deleted."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..rules import get_object_for


def archive_view(model, perm: str, service, *, restore: bool):
    """A POST-only view that loads ``model`` by slug for ``perm`` and calls ``service``."""
    field = model._meta.model_name  # the keyword the service takes: landscape=, organization=

    @login_required
    @require_POST
    def view(request, slug):
        record = get_object_for(request.user, perm, model.objects.all(), slug=slug)
        service(actor=request.user, **{field: record})
        message = _("%(name)s is restored.") if restore else _("%(name)s is archived.")
        messages.success(request, message % {"name": record.name})
        return redirect(record.get_absolute_url())

    return view
