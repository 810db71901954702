"""MEL pages: results frameworks (with their diagram) and the indicator library.

Thin views: parse input, call a selector or a service, render. URLs are defined at the end.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from landhub.core.exceptions import ConflictError
from landhub.core.forms import Saved, save_form
from landhub.core.history import history_entries
from landhub.core.htmx import render_page
from landhub.core.lists import csv_response, paginate, sort_queryset

from . import diagram, services
from .forms import (
    EdgeForm,
    FrameworkFilterForm,
    FrameworkForm,
    IndicatorFilterForm,
    IndicatorForm,
    NodeForm,
)
from .models import Framework, FrameworkEdge, FrameworkNode, Indicator
from .rules import can
from .selectors import (
    INDICATOR_SORTS,
    framework_detail,
    framework_list,
    indicator_detail,
    indicator_list,
)

app_name = "mel"


# --- Frameworks ------------------------------------------------------------------------------


def _landscapes_for(user):
    from landhub.core.access import is_hub_staff
    from landhub.directory.models import Landscape
    from landhub.directory.rules import managed_landscape_ids

    qs = Landscape.objects.active().order_by("name")
    return qs if is_hub_staff(user) else qs.filter(pk__in=managed_landscape_ids(user))


@login_required
def framework_list_view(request):
    filters = {k: request.GET.get(k, "") for k in ("q", "scope", "status")}
    context = {
        "page": paginate(request, framework_list(user=request.user, filters=filters)),
        "filter_form": FrameworkFilterForm(request.GET or None),
        "can_create": _landscapes_for(request.user).exists() or can(request.user, "mel.manage"),
        "can_review": can(request.user, "mel.review"),
    }
    return render_page(request, "mel/framework_list.html", context,
                       partial="mel/partials/framework_results.html")  # fmt: skip


@login_required
def framework_create(request):
    landscapes = _landscapes_for(request.user)
    if not (can(request.user, "mel.manage") or landscapes.exists()):
        raise PermissionDenied
    form = FrameworkForm(request.POST or None, landscapes=landscapes)
    saved = Saved(False)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = save_form(form, lambda: services.framework_create(
            actor=request.user, title=data["title"], template=data["template"],
            landscape=data["landscape"], parent=data["parent"], description=data["description"],
        ))  # fmt: skip
        if saved.ok:
            messages.success(request, _("Framework created."))
            return redirect(saved.result.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    return render(request, "mel/framework_form.html", {"form": form}, status=status)


@login_required
def framework_detail_view(request, slug):
    framework = framework_detail(user=request.user, slug=slug)
    nodes = list(framework.nodes.all())
    edges = list(framework.edges.all())
    can_change = can(request.user, "mel.change_framework", framework)
    context = {
        "framework": framework, "nodes": nodes, "edges": edges, "can_change": can_change,
        # The SVG is built by diagram.render, which escapes every text it draws.
        "svg": mark_safe(diagram.render(nodes, edges, title=framework.title)),  # noqa: S308
        "entries": history_entries(framework),
    }  # fmt: skip
    if can_change:
        context["node_form"] = NodeForm(framework=framework, prefix="node")
        context["edge_form"] = EdgeForm(framework=framework, prefix="edge")
    return render(request, "mel/framework_detail.html", context)


def _changeable(request, slug) -> Framework:
    framework = framework_detail(user=request.user, slug=slug)
    if not can(request.user, "mel.change_framework", framework):
        raise PermissionDenied
    return framework


@login_required
@require_POST
def framework_node_add(request, slug):
    framework = _changeable(request, slug)
    form = NodeForm(request.POST, framework=framework, prefix="node")
    if form.is_valid():
        data = form.cleaned_data
        saved = save_form(form, lambda: services.node_save(
            actor=request.user, framework=framework, kind=data["kind"], code=data["code"],
            title=data["title"], feeds=data.get("feeds"), reason=data["reason"],
        ))  # fmt: skip
        if saved.ok:
            messages.success(request, _("Node added."))
            return redirect(framework.get_absolute_url())
    return _form_errors(request, framework, form)


@login_required
@require_POST
def framework_edge_add(request, slug):
    framework = _changeable(request, slug)
    form = EdgeForm(request.POST, framework=framework, prefix="edge")
    if form.is_valid():
        data = form.cleaned_data
        saved = save_form(form, lambda: services.edge_save(
            actor=request.user, framework=framework, source=data["source"],
            target=data["target"], assumption=data["assumption"], evidence=data["evidence"],
            reason=data["reason"],
        ))  # fmt: skip
        if saved.ok:
            messages.success(request, _("Link saved."))
            return redirect(framework.get_absolute_url())
    return _form_errors(request, framework, form)


def _form_errors(request, framework, form):
    """Show the framework page again with the form's messages (400)."""
    nodes, edges = list(framework.nodes.all()), list(framework.edges.all())
    context = {
        "framework": framework, "nodes": nodes, "edges": edges, "can_change": True,
        "svg": mark_safe(diagram.render(nodes, edges, title=framework.title)),  # noqa: S308
        "entries": history_entries(framework),
        "node_form": form if isinstance(form, NodeForm) else NodeForm(framework=framework,
                                                                      prefix="node"),
        "edge_form": form if isinstance(form, EdgeForm) else EdgeForm(framework=framework,
                                                                      prefix="edge"),
    }  # fmt: skip
    return render(request, "mel/framework_detail.html", context, status=400)


@login_required
@require_POST
def framework_remove(request, slug, kind, pk):
    """Remove a node or a link (with the reason a published framework needs)."""
    framework = _changeable(request, slug)
    reason = request.POST.get("reason", "")
    model = {"node": FrameworkNode, "edge": FrameworkEdge}.get(kind)
    if model is None:
        raise Http404
    record = get_object_or_404(model, pk=pk, framework=framework)
    remove = services.node_remove if kind == "node" else services.edge_remove
    try:
        remove(actor=request.user, reason=reason, **{kind: record})
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Removed."))
    return redirect(framework.get_absolute_url())


@login_required
@require_POST
def framework_publish(request, slug):
    framework = _changeable(request, slug)
    raw = request.POST.get("version", "")
    try:
        services.framework_publish(actor=request.user, framework=framework,
                                   version=int(raw) if raw.isdigit() else None)  # fmt: skip
    except ConflictError:
        messages.error(request, _("Someone changed this framework meanwhile; look and try again."))
    else:
        messages.success(request, _("Published: changes now need a reason."))
    return redirect(framework.get_absolute_url())


# --- Indicators ------------------------------------------------------------------------------


def _indicator_filters(request) -> dict:
    keys = ("q", "measure", "aggregation", "cumulative_mode", "frequency", "disaggregation")
    return {key: request.GET.get(key, "") for key in keys}


@login_required
def indicator_list_view(request):
    qs, sort = sort_queryset(indicator_list(user=request.user, filters=_indicator_filters(request)),
                             request.GET.get("sort"), INDICATOR_SORTS, "code")  # fmt: skip
    context = {
        "page": paginate(request, qs, per_page=25), "sort": sort,
        "sorts": [("code", _("Code")), ("name", _("Name")), ("-updated", _("Recently updated"))],
        "filter_form": IndicatorFilterForm(request.GET or None),
        "can_manage": can(request.user, "mel.manage"),
    }  # fmt: skip
    return render_page(request, "mel/indicator_list.html", context,
                       partial="mel/partials/indicator_results.html")  # fmt: skip


@login_required
def indicator_export_csv(request):
    qs, _sort = sort_queryset(indicator_list(user=request.user,
                                             filters=_indicator_filters(request)),
                              request.GET.get("sort"), INDICATOR_SORTS, "code")  # fmt: skip
    header = [_("Code"), _("Name"), _("Definition"), _("Measure"), _("Unit"), _("Direction"),
              _("Aggregation"), _("Over time"), _("Frequency"), _("Disaggregations"),
              _("SDG"), _("LandScale"), _("4 Returns"), _("IATI"), _("Version")]  # fmt: skip
    rows = ([i.code, i.name, i.definition, i.get_measure_display(), i.unit or i.currency,
             i.get_direction_display(), i.get_aggregation_display(),
             i.get_cumulative_mode_display(), i.get_frequency_display(),
             "; ".join(s.name for s in i.disaggregations.all()), i.sdg_code, i.landscale_code,
             i.four_returns, i.iati_code, i.version] for i in qs)  # fmt: skip
    return csv_response("indicators.csv", header, rows)


@login_required
def indicator_detail_view(request, code):
    """The indicator reference sheet: everything needed to report it, printable."""
    indicator = indicator_detail(user=request.user, code=code)
    context = {"indicator": indicator, "can_manage": can(request.user, "mel.manage"),
               "entries": history_entries(indicator)}  # fmt: skip
    return render(request, "mel/indicator_detail.html", context)


@login_required
def indicator_form_view(request, code=None):
    if not can(request.user, "mel.manage"):
        raise PermissionDenied
    indicator = get_object_or_404(Indicator, code=code) if code else None
    form = IndicatorForm(request.POST or None, instance=indicator)
    saved = Saved(False)
    if request.method == "POST" and form.is_valid():
        data, schemes = form.service_fields(), list(form.cleaned_data["schemes"])
        if indicator is None:
            saved = save_form(form, lambda: services.indicator_create(
                actor=request.user, schemes=schemes, **data))  # fmt: skip
        else:
            saved = save_form(form, lambda: services.indicator_update(
                actor=request.user, indicator=Indicator.objects.get(pk=indicator.pk),
                version=form.cleaned_data.get("version"), schemes=schemes,
                reason=form.cleaned_data.get("reason", ""), **data,
            ))  # fmt: skip
        if saved.ok:
            messages.success(request, _("Indicator saved."))
            return redirect(reverse("mel:indicator_detail", args=[saved.result.code]))
    status = saved.status if saved.current is not None else (
        400 if request.method == "POST" else 200)  # fmt: skip
    return render(request, "mel/indicator_form.html",
                  {"form": form, "indicator": indicator, "current": saved.current},
                  status=status)  # fmt: skip


# --- Reporting: the data entry grid and the review queue ----------------------------------------


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
    from .models import ReportingPeriod
    from .selectors import reporting_grid

    rows = reporting_grid(user=request.user, landscape=landscape, period=period)
    if not any(row["can_report"] for row in rows) and not can(request.user, "mel.review"):
        raise PermissionDenied
    for row in rows:
        row["inputs"] = _row_inputs(row)
    return {
        "landscape": landscape, "period": period, "rows": rows,
        "periods": ReportingPeriod.objects.order_by("-start")[:12],
        "drafts": sum(1 for r in rows if r["observation"] is not None and r["can_report"]
                      and r["observation"].status in ("draft", "returned")),
        "can_report": any(r["can_report"] for r in rows),
    }  # fmt: skip


def _landscape_and_period(request, slug, label):
    from landhub.directory.models import Landscape

    from .models import ReportingPeriod

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
    from .models import IndicatorAssignment
    from .selectors import reporting_grid

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
    from .models import Observation, ObservationStatus
    from .selectors import reporting_grid

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
    from .selectors import review_queue

    if not can(request.user, "mel.review"):
        raise PermissionDenied
    filters = {key: request.GET.get(key, "") for key in ("period", "landscape", "indicator")}
    page = paginate(request, review_queue(user=request.user, filters=filters), per_page=30)
    return render(request, "mel/review_list.html", {"page": page, "filters": filters})


@login_required
@require_POST
def review_action(request, pk):
    from .models import Observation

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
    path("mel/frameworks/", framework_list_view, name="framework_list"),
    path("mel/frameworks/new/", framework_create, name="framework_create"),
    path("mel/frameworks/<slug:slug>/", framework_detail_view, name="framework_detail"),
    path("mel/frameworks/<slug:slug>/nodes/", framework_node_add, name="framework_node_add"),
    path("mel/frameworks/<slug:slug>/links/", framework_edge_add, name="framework_edge_add"),
    path("mel/frameworks/<slug:slug>/<str:kind>/<int:pk>/remove/", framework_remove,
         name="framework_remove"),
    path("mel/frameworks/<slug:slug>/publish/", framework_publish, name="framework_publish"),
    path("mel/indicators/", indicator_list_view, name="indicator_list"),
    path("mel/indicators/export.csv", indicator_export_csv, name="indicator_export_csv"),
    path("mel/indicators/new/", indicator_form_view, name="indicator_create"),
    path("mel/indicators/<str:code>/", indicator_detail_view, name="indicator_detail"),
    path("mel/indicators/<str:code>/edit/", indicator_form_view, name="indicator_edit"),
    path("mel/report/<slug:slug>/<str:label>/", report_grid, name="report_grid"),
    path("mel/report/<slug:slug>/<str:label>/submit/", report_submit, name="report_submit"),
    path("mel/report/<slug:slug>/<str:label>/<int:assignment_id>/", report_save,
         name="report_save"),
    path("mel/review/", review_list, name="review_list"),
    path("mel/review/<int:pk>/", review_action, name="review_action"),
]  # fmt: skip
