"""Imports (hub staff): upload, watch the progress bar, read the report, download templates."""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from landhub.core.htmx import render_page
from landhub.core.lists import csv_response, paginate
from landhub.core.models import TaskProgress
from landhub.core.services import progress_start

from ..forms.imports import ImportForm
from ..imports import KINDS, template_csv, template_xlsx
from ..rules import can


def _staff(request):
    if not can(request.user, "directory.import"):
        raise PermissionDenied


def _imports():
    return TaskProgress.objects.filter(kind__startswith="import.").select_related("owner")


def _save(upload) -> str:
    folder = Path(settings.MEDIA_ROOT) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{uuid.uuid4().hex}{Path(upload.name).suffix.lower()}"
    with open(target, "wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    return str(target)


@login_required
def import_list(request):
    _staff(request)
    form = ImportForm()
    page = paginate(request, _imports(), per_page=20)
    return render(request, "directory/import_list.html", {"form": form, "page": page})


@login_required
def import_create(request):
    _staff(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        from ..tasks import import_file_task

        kind = form.cleaned_data["kind"]
        path_ = _save(form.cleaned_data["file"])
        boundaries = form.cleaned_data.get("boundaries")
        boundaries_path = _save(boundaries) if boundaries else ""
        progress = progress_start(
            owner=request.user, kind=f"import.{kind}",
            label=_("Import of %(kind)s from %(file)s") % {
                "kind": kind, "file": form.cleaned_data["file"].name[:100]},
        )  # fmt: skip
        transaction.on_commit(
            lambda: import_file_task.enqueue(progress.pk, kind, path_, boundaries_path)
        )
        return redirect("directory:import_detail", pk=progress.pk)
    page = paginate(request, _imports(), per_page=20)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "directory/import_list.html", {"form": form, "page": page}, status=status
    )


@login_required
def import_detail(request, pk):
    _staff(request)
    progress = get_object_or_404(_imports(), pk=pk)
    return render_page(
        request,
        "directory/import_detail.html",
        {"progress": progress},
        partial="directory/partials/import_progress.html",
    )


@login_required
def import_errors_csv(request, pk):
    _staff(request)
    progress = get_object_or_404(_imports(), pk=pk)
    errors = (progress.result or {}).get("errors") or []
    rows = ([e.get("line"), e.get("column"), e.get("message")] for e in errors)
    return csv_response(f"import-{pk}-errors.csv", [_("Line"), _("Column"), _("Problem")], rows)


@login_required
def import_template(request, kind, fmt):
    _staff(request)
    if kind not in KINDS or fmt not in ("csv", "xlsx"):
        raise Http404
    if fmt == "csv":
        response = HttpResponse(
            "\ufeff" + template_csv(kind), content_type="text/csv; charset=utf-8"
        )
    else:
        response = HttpResponse(
            template_xlsx(kind),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="landhub-{kind}-template.{fmt}"'
    return response


urlpatterns = [
    path("imports/", import_list, name="import_list"),
    path("imports/new/", import_create, name="import_create"),
    path("imports/<int:pk>/", import_detail, name="import_detail"),
    path("imports/<int:pk>/errors.csv", import_errors_csv, name="import_errors_csv"),
    path("imports/template/<str:kind>.<str:fmt>", import_template, name="import_template"),
]
