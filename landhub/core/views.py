"""Core pages: notifications, unsubscribe, task progress, health check."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import services
from .htmx import render_page
from .lists import paginate
from .models import TaskProgress


def healthz(request):
    return JsonResponse({"status": "ok"})


@login_required
def notification_list(request):
    qs = request.user.notifications.all()
    if request.GET.get("unread") == "1":
        qs = qs.filter(read_at__isnull=True)
    page = paginate(request, qs, per_page=30)
    return render(request, "core/notification_list.html", {"page": page})


@login_required
@require_POST
def notification_mark_read(request):
    ids = request.POST.getlist("id")
    try:
        id_list = [int(i) for i in ids] if ids else None
    except ValueError:
        id_list = []
    services.notification_mark_read(actor=request.user, notification_ids=id_list)
    if request.htmx:
        return render(request, "core/partials/bell.html", {"unread_notifications": 0})
    return redirect("core:notifications")


def unsubscribe(request, token: str):
    try:
        pref = services.unsubscribe(token=token)
    except PermissionDenied:
        return render(
            request,
            "core/unsubscribe.html",
            {"error": _("This unsubscribe link is not valid.")},
            status=400,
        )
    return render(request, "core/unsubscribe.html", {"kind": pref.kind})


@login_required
def task_progress(request, pk: int):
    progress = TaskProgress.objects.filter(pk=pk, owner=request.user).first()
    if progress is None:
        raise Http404
    return render_page(
        request,
        "core/task_progress.html",
        {"progress": progress},
        partial="core/partials/task_progress.html",
    )


def not_found(request, exception=None):
    """404 page; API clients get the API's JSON error shape even for unknown paths."""
    from django.http import JsonResponse
    from django.views.defaults import page_not_found

    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    return page_not_found(request, exception)
