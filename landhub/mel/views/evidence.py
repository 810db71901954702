"""Evidence files on the data entry grid: attach to a row's value, remove, download.

Attaching and removing answer an htmx request with the grid row (its files and messages),
like saving a row does; without htmx they go back to the grid with a message.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import services
from ..rules import can
from ..selectors import attach_evidence, evidence_detail, reporting_grid
from .reporting import _landscape_and_period, _row_inputs


def _row_response(request, landscape, period, assignment_id, *, evidence_errors=(), status=200,
                  done=""):  # fmt: skip
    if not getattr(request, "htmx", False):
        for message in evidence_errors:
            messages.error(request, message)
        if done:
            messages.success(request, done)
        return redirect("mel:report_grid", slug=landscape.slug, label=period.label)
    rows = reporting_grid(user=request.user, landscape=landscape, period=period)
    row = next((r for r in rows if r["assignment"].pk == assignment_id), None)
    if row is None:
        raise Http404
    row["inputs"] = _row_inputs(row)
    attach_evidence([row])
    context = {"row": row, "errors": {}, "row_errors": [], "landscape": landscape,
               "period": period, "evidence_errors": list(evidence_errors),
               "evidence_done": done}  # fmt: skip
    return render(request, "mel/partials/report_row.html", context, status=status)


@login_required
@require_POST
def evidence_add_view(request, slug, label, assignment_id):
    """Attach a file to the row's value (saved first: a file backs a value)."""
    from ..models import IndicatorAssignment, Observation

    landscape, period = _landscape_and_period(request, slug, label)
    assignment = get_object_or_404(IndicatorAssignment.objects.select_related("reporter"),
                                   pk=assignment_id, landscape=landscape)  # fmt: skip
    if not can(request.user, "mel.report", assignment):
        raise PermissionDenied
    observation = Observation.objects.filter(assignment=assignment, period=period).first()
    if observation is None:
        errors = [_("Save the value first, then attach its evidence.")]
        return _row_response(request, landscape, period, assignment.pk, evidence_errors=errors,
                             status=400)  # fmt: skip
    try:
        services.evidence_add(actor=request.user, observation=observation,
                              upload=request.FILES.get("file"))  # fmt: skip
    except ValidationError as exc:
        return _row_response(request, landscape, period, assignment.pk,
                             evidence_errors=exc.messages, status=400)  # fmt: skip
    return _row_response(request, landscape, period, assignment.pk, done=_("File attached."))


@login_required
@require_POST
def evidence_remove_view(request, pk):
    evidence = evidence_detail(user=request.user, pk=pk)
    observation = evidence.observation
    landscape, period = observation.assignment.landscape, observation.period
    try:
        services.evidence_remove(actor=request.user, evidence=evidence)
    except ValidationError as exc:
        return _row_response(request, landscape, period, observation.assignment_id,
                             evidence_errors=exc.messages, status=400)  # fmt: skip
    return _row_response(request, landscape, period, observation.assignment_id,
                         done=_("File removed."))  # fmt: skip


@login_required
def evidence_download(request, pk, observation_id=None):
    """Who may see the value may download its files; always as a download, with the type
    found when it was checked, so a browser never renders an uploaded file as a page."""
    evidence = evidence_detail(user=request.user, pk=pk, observation_id=observation_id)
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=evidence.original_name,
                            content_type=evidence.content_type)  # fmt: skip
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=0"
    return response


urlpatterns = [
    path("mel/report/<slug:slug>/<str:label>/<int:assignment_id>/evidence/", evidence_add_view,
         name="evidence_add"),
    path("mel/evidence/<int:pk>/", evidence_download, name="evidence_download"),
    path("mel/evidence/<int:pk>/remove/", evidence_remove_view, name="evidence_remove"),
]  # fmt: skip
