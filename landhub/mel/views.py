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
]  # fmt: skip
