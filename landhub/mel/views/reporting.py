"""Reporting pages: the data entry grid and the review queue."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from landhub.core.exceptions import ConflictError
from landhub.core.lists import paginate

from .. import services
from ..rules import can


def _number_text(number) -> str:
    """A stored Decimal as a person typed it: 12.500000 → 12.5."""
    if number is None:
        return ""
    text = format(number.normalize(), "f")
    return text


def _row_inputs(row, entered=None) -> list[dict]:
    """The inputs of one grid row: what the measure asks for, filled with what was typed
    (after an error) or what is stored. ``name`` is the POST key."""
    indicator = row["assignment"].indicator
    observation = row["observation"]
    levels = indicator.level_names or (
        [_("no"), _("yes")] if indicator.measure == "yes_no" else [])  # fmt: skip

    def current(name, stored):
        if entered is not None:
            return entered.get(name, "")
        return _number_text(stored)

    def inputs_for(prefix, label, stored):
        if indicator.is_fraction:
            return [
                {"name": f"{prefix}numerator", "label": f"{label} {_('numerator')}".strip(),
                 "value": current(f"{prefix}numerator", getattr(stored, "numerator", None))},
                {"name": f"{prefix}denominator", "label": f"{label} {_('denominator')}".strip(),
                 "value": current(f"{prefix}denominator", getattr(stored, "denominator", None))},
            ]  # fmt: skip
        return [{"name": f"{prefix}value", "label": label or _("Value"),
                 "value": current(f"{prefix}value", getattr(stored, "value", None)),
                 "levels": list(enumerate(levels))}]  # fmt: skip

    schemes = list(indicator.disaggregations.all())
    if not schemes:
        return inputs_for("", "", observation)
    inputs = []
    for scheme in schemes:
        for option in scheme.options.all():
            key = f"{scheme.slug}:{option.code}"
            inputs += inputs_for(f"{key}.", option.label, row["parts"].get(key))
    return inputs


def _grid_context(request, landscape, period) -> dict:
    from ..models import ReportingPeriod
    from ..selectors import attach_evidence, reporting_grid

    rows = reporting_grid(user=request.user, landscape=landscape, period=period)
    if not any(row["can_report"] for row in rows) and not can(request.user, "mel.review"):
        raise PermissionDenied
    for row in rows:
        row["inputs"] = _row_inputs(row)
    attach_evidence(rows)
    return {
        "landscape": landscape, "period": period, "rows": rows,
        "periods": ReportingPeriod.objects.order_by("-start")[:12],
        "drafts": sum(1 for r in rows if r["observation"] is not None and r["can_report"]
                      and r["observation"].status in ("draft", "returned")),
        "can_report": any(r["can_report"] for r in rows),
    }  # fmt: skip


def _landscape_and_period(request, slug, label):
    from landhub.directory.models import Landscape

    from ..models import ReportingPeriod

    landscape = get_object_or_404(Landscape.objects.visible_to(request.user), slug=slug)
    period = get_object_or_404(ReportingPeriod, label=label)
    return landscape, period


@login_required
def report_grid(request, slug, label):
    """A landscape's indicators for one period on one page, each saved on its own."""
    landscape, period = _landscape_and_period(request, slug, label)
    return render(request, "mel/report_grid.html", _grid_context(request, landscape, period))


def _entered(request, indicator) -> dict:
    """The values of one row of the grid, as the service takes them."""
    post = request.POST
    data = {
        "value": post.get("value", ""), "numerator": post.get("numerator", ""),
        "denominator": post.get("denominator", ""),
        "not_applicable": post.get("not_applicable") == "on",
        "not_applicable_reason": post.get("not_applicable_reason", ""),
        "comment": post.get("comment", "")[:5000],
        "evidence_url": post.get("evidence_url", "").strip()[:200],
        "reason": post.get("reason", "")[:100],
    }  # fmt: skip
    if indicator.disaggregations.exists():
        parts = {}
        for scheme in indicator.disaggregations.all():
            for option in scheme.options.all():
                key = f"{scheme.slug}:{option.code}"
                parts[key] = {field: post.get(f"{key}.{field}", "")
                              for field in ("value", "numerator", "denominator")}  # fmt: skip
        data["parts"] = parts
    return data


@login_required
@require_POST
def report_save(request, slug, label, assignment_id):
    """Save one row; for htmx the row comes back (with its messages), else the page."""
    from ..models import IndicatorAssignment
    from ..selectors import attach_evidence, reporting_grid

    landscape, period = _landscape_and_period(request, slug, label)
    assignment = get_object_or_404(IndicatorAssignment.objects.select_related("indicator"),
                                   pk=assignment_id, landscape=landscape)  # fmt: skip
    raw = request.POST.get("version", "")
    errors, status, saved = {}, 200, False
    try:
        services.observation_save(actor=request.user, assignment=assignment, period=period,
                                  version=int(raw) if raw.isdigit() else None,
                                  **_entered(request, assignment.indicator))  # fmt: skip
        saved = True
    except ConflictError:
        message = _("Someone saved this value meanwhile; the row now shows theirs. Enter "
                    "yours again if it is still right.")  # fmt: skip
        errors, status = {"row": [message]}, 409
    except ValidationError as exc:
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"row": exc.messages}
        status = 400
    row = next(r for r in reporting_grid(user=request.user, landscape=landscape, period=period)
               if r["assignment"].pk == assignment.pk)  # fmt: skip
    # After an error the row keeps what was typed, next to its messages.
    row["inputs"] = _row_inputs(row, request.POST if status == 400 else None)
    row["entered"] = request.POST if status == 400 else None
    attach_evidence([row])
    shown = {i["name"] for i in row["inputs"]} | {"not_applicable_reason", "evidence_url",
                                                   "parts"}  # fmt: skip
    row_errors = [m for key, ms in errors.items() if key not in shown for m in ms]
    context = {"row": row, "errors": errors, "row_errors": row_errors, "saved": saved,
               "landscape": landscape, "period": period}  # fmt: skip
    if getattr(request, "htmx", False):
        return render(request, "mel/partials/report_row.html", context, status=status)
    if saved:
        messages.success(request, _("Saved."))
    else:
        messages.error(request, " ".join(m for ms in errors.values() for m in ms))
    return redirect("mel:report_grid", slug=landscape.slug, label=period.label)


@login_required
@require_POST
def report_submit(request, slug, label):
    """Submit every draft (and returned value) of the page the person reports."""
    from ..models import Observation, ObservationStatus
    from ..selectors import reporting_grid

    landscape, period = _landscape_and_period(request, slug, label)
    rows = reporting_grid(user=request.user, landscape=landscape, period=period)
    if not any(row["can_report"] for row in rows):
        raise PermissionDenied
    submitted, problems = 0, []
    for observation in Observation.objects.filter(
        assignment__landscape=landscape, period=period,
        status__in=[ObservationStatus.DRAFT, ObservationStatus.RETURNED],
    ).select_related("assignment__indicator", "period"):  # fmt: skip
        if not can(request.user, "mel.report", observation.assignment):
            continue
        try:
            services.observation_submit(actor=request.user, observation=observation,
                                        version=observation.version)  # fmt: skip
            submitted += 1
        except (ValidationError, ConflictError) as exc:
            problems.append(f"{observation.assignment.indicator.code}: {exc}")
    if submitted:
        messages.success(request, ngettext("%(n)d value submitted for review.",
                                           "%(n)d values submitted for review.", submitted)
                         % {"n": submitted})  # fmt: skip
    if problems:
        messages.error(request, " ".join(problems))
    if not submitted and not problems:
        messages.info(request, _("Nothing to submit: save values first."))
    return redirect("mel:report_grid", slug=landscape.slug, label=period.label)


@login_required
def review_list(request):
    from ..selectors import review_queue

    if not can(request.user, "mel.review"):
        raise PermissionDenied
    filters = {key: request.GET.get(key, "") for key in ("period", "landscape", "indicator")}
    page = paginate(request, review_queue(user=request.user, filters=filters), per_page=30)
    return render(request, "mel/review_list.html", {"page": page, "filters": filters})


@login_required
@require_POST
def review_action(request, pk):
    from ..models import Observation

    if not can(request.user, "mel.review"):
        raise PermissionDenied
    observation = get_object_or_404(Observation, pk=pk)
    raw = request.POST.get("version", "")
    version = int(raw) if raw.isdigit() else None
    action = request.POST.get("action")
    try:
        if action == "approve":
            services.observation_approve(actor=request.user, observation=observation,
                                         version=version)  # fmt: skip
            messages.success(request, _("Approved."))
        elif action == "return":
            services.observation_return(actor=request.user, observation=observation,
                                        version=version,
                                        comment=request.POST.get("comment", ""))  # fmt: skip
            messages.success(request, _("Returned to the landscape with your comment."))
        else:
            messages.error(request, _("That action is not available."))
    except ConflictError:
        messages.error(request, _("Someone changed this value meanwhile; look and try again."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(reverse("mel:review_list") + "?" + request.GET.urlencode())


urlpatterns = [
    path("mel/report/<slug:slug>/<str:label>/", report_grid, name="report_grid"),
    path("mel/report/<slug:slug>/<str:label>/submit/", report_submit, name="report_submit"),
    path("mel/report/<slug:slug>/<str:label>/<int:assignment_id>/", report_save,
         name="report_save"),
    path("mel/review/", review_list, name="review_list"),
    path("mel/review/<int:pk>/", review_action, name="review_action"),
]  # fmt: skip
