"""Imports: upload, watch the progress bar, read the report, download templates.

Hub staff import every kind and see every import; others import the kinds their role allows
(partner staff: offerings of their organizations) and see their own imports only.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _

from landhub.core.htmx import render_page
from landhub.core.lists import csv_response, paginate
from landhub.core.models import TaskProgress
from landhub.core.services import progress_start

from ..forms.imports import ImportForm
from ..imports import kinds_for, template_csv, template_xlsx
from ..rules import can


def _allowed_kinds(request) -> dict:
    kinds = kinds_for(request.user)
    if not kinds:
        raise PermissionDenied
    return kinds


def _imports(request):
    qs = TaskProgress.objects.filter(kind__startswith="import.").select_related("owner")
    if not can(request.user, "directory.import"):
        qs = qs.filter(owner=request.user)
    return qs


def _form(request, kinds, *args):
    form = ImportForm(*args, kinds=kinds)
    if request.GET.get("kind") in kinds:
        form.fields["kind"].initial = request.GET["kind"]
    return form


def _list_context(request, form, kinds) -> dict:
    # Kinds whose template depends on a choice (MEL values: a landscape and a period) get a
    # small form with those choices instead of two plain links.
    choosers = {
        key: [(param, label, choices)
              for param, (label, choices) in kind.template_choices(request.user).items()]
        for key, kind in kinds.items() if kind.template_params and kind.template_choices
    }  # fmt: skip
    return {"form": form, "kinds": kinds, "choosers": choosers,
            "page": paginate(request, _imports(request), per_page=20)}  # fmt: skip


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
    kinds = _allowed_kinds(request)
    form = _form(request, kinds)
    return render(request, "directory/import_list.html", _list_context(request, form, kinds))


@login_required
def import_create(request):
    kinds = _allowed_kinds(request)
    form = _form(request, kinds, request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        from ..tasks import import_file_task

        kind = form.cleaned_data["kind"]
        path_ = _save(form.cleaned_data["file"])
        boundaries = form.cleaned_data.get("boundaries")
        boundaries_path = _save(boundaries) if boundaries else ""
        progress = progress_start(
            owner=request.user, kind=f"import.{kind}",
            label=_("Import of %(kind)s from %(file)s") % {
                "kind": _(kinds[kind].label).lower(), "file": form.cleaned_data["file"].name[:100]},
        )  # fmt: skip
        transaction.on_commit(
            lambda: import_file_task.enqueue(progress.pk, kind, path_, boundaries_path)
        )
        return redirect("directory:import_detail", pk=progress.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "directory/import_list.html", _list_context(request, form, kinds), status=status
    )


@login_required
def import_detail(request, pk):
    progress = get_object_or_404(_imports(request), pk=pk)
    return render_page(
        request,
        "directory/import_detail.html",
        {"progress": progress},
        partial="directory/partials/import_progress.html",
    )


@login_required
def import_errors_csv(request, pk):
    progress = get_object_or_404(_imports(request), pk=pk)
    errors = (progress.result or {}).get("errors") or []
    rows = ([e.get("line"), e.get("column"), e.get("message")] for e in errors)
    return csv_response(f"import-{pk}-errors.csv", [_("Line"), _("Column"), _("Problem")], rows)


@login_required
def import_template(request, kind, fmt):
    kinds = _allowed_kinds(request)
    if kind not in kinds or fmt not in ("csv", "xlsx"):
        raise Http404
    params = {name: request.GET.get(name, "")[:100] for name in kinds[kind].template_params}
    try:
        if fmt == "csv":
            response = HttpResponse(
                "\ufeff" + template_csv(kind, actor=request.user, params=params),
                content_type="text/csv; charset=utf-8",
            )
        else:
            response = HttpResponse(
                template_xlsx(kind, actor=request.user, params=params),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
    except ValidationError as exc:  # a choice missing or not allowed: say so on the page
        messages.error(request, " ".join(exc.messages))
        return redirect(reverse("directory:import_list") + f"?kind={kind}")
    chosen = "-".join(v for v in params.values() if v.replace("-", "").isalnum())
    name = f"landhub-{kind}-{chosen}" if chosen else f"landhub-{kind}-template"
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


urlpatterns = [
    path("imports/", import_list, name="import_list"),
    path("imports/new/", import_create, name="import_create"),
    path("imports/<int:pk>/", import_detail, name="import_detail"),
    path("imports/<int:pk>/errors.csv", import_errors_csv, name="import_errors_csv"),
    path("imports/template/<str:kind>.<str:fmt>", import_template, name="import_template"),
]
