"""Pages of results frameworks (with their diagram)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from landhub.core.exceptions import ConflictError
from landhub.core.forms import Saved, save_form
from landhub.core.history import history_entries
from landhub.core.htmx import render_page
from landhub.core.lists import paginate

from .. import diagram, services
from ..forms import (
    EdgeForm,
    FrameworkFilterForm,
    FrameworkForm,
    NodeForm,
)
from ..models import Framework, FrameworkEdge, FrameworkNode
from ..rules import can
from ..selectors import (
    framework_detail,
    framework_list,
    question_counts_by_node,
    question_list,
    revision_list,
)


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


def _page_context(request, framework) -> dict:
    """What the framework page shows: nodes (each with its number of learning questions),
    links, the diagram, its history and the changes adaptation decisions caused."""
    nodes = list(framework.nodes.all())
    counts = question_counts_by_node(framework=framework)
    for node in nodes:
        node.question_count = counts.get(node.pk, 0)
    edges = list(framework.edges.all())
    return {
        "framework": framework, "nodes": nodes, "edges": edges,
        "can_change": can(request.user, "mel.change_framework", framework),
        # The SVG is built by diagram.render, which escapes every text it draws.
        "svg": mark_safe(diagram.render(nodes, edges, title=framework.title)),  # noqa: S308
        "entries": history_entries(framework),
        "questions": list(question_list(user=request.user, filters={"framework": framework.slug})
                          .exclude(status="dropped").order_by("node__position", "node__code",
                                                              "pk")[:50]),
        "question_total": sum(counts.values()),
        "revisions": revision_list(user=request.user, framework=framework, limit=50),
    }  # fmt: skip


@login_required
def framework_detail_view(request, slug):
    framework = framework_detail(user=request.user, slug=slug)
    context = _page_context(request, framework)
    if context["can_change"]:
        context["node_form"] = NodeForm(framework=framework, prefix="node", user=request.user)
        context["edge_form"] = EdgeForm(framework=framework, prefix="edge", user=request.user)
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
    form = NodeForm(request.POST, framework=framework, prefix="node", user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        saved = save_form(form, lambda: services.node_save(
            actor=request.user, framework=framework, kind=data["kind"], code=data["code"],
            title=data["title"], description=data.get("description", ""),
            feeds=data.get("feeds"), reason=data["reason"], adaptation=data.get("adaptation"),
        ))  # fmt: skip
        if saved.ok:
            messages.success(request, _("Node added."))
            return redirect(framework.get_absolute_url())
    return _form_errors(request, framework, form)


@login_required
def framework_node_edit(request, slug, pk):
    """Change a node (kind, code, title, description, what it feeds), with the reason a
    published framework needs, or the adaptation decision it is made because of."""
    framework = _changeable(request, slug)
    node = get_object_or_404(FrameworkNode, pk=pk, framework=framework)
    form = NodeForm(request.POST or None, framework=framework, node=node, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = save_form(form, lambda: services.node_save(
            actor=request.user, framework=framework, node=node, kind=data["kind"],
            code=data["code"], title=data["title"], description=data.get("description", ""),
            feeds=data.get("feeds"), reason=data["reason"], adaptation=data.get("adaptation"),
        ))  # fmt: skip
        if saved.ok:
            messages.success(request, _("Node saved."))
            return redirect(framework.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    return render(request, "mel/learning_node_form.html",
                  {"form": form, "framework": framework, "node": node}, status=status)  # fmt: skip


@login_required
@require_POST
def framework_edge_add(request, slug):
    framework = _changeable(request, slug)
    form = EdgeForm(request.POST, framework=framework, prefix="edge", user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        saved = save_form(form, lambda: services.edge_save(
            actor=request.user, framework=framework, source=data["source"],
            target=data["target"], assumption=data["assumption"], evidence=data["evidence"],
            reason=data["reason"], adaptation=data.get("adaptation"),
        ))  # fmt: skip
        if saved.ok:
            messages.success(request, _("Link saved."))
            return redirect(framework.get_absolute_url())
    return _form_errors(request, framework, form)


def _form_errors(request, framework, form):
    """Show the framework page again with the form's messages (400)."""
    context = _page_context(request, framework)
    context["node_form"] = form if isinstance(form, NodeForm) else NodeForm(
        framework=framework, prefix="node", user=request.user)  # fmt: skip
    context["edge_form"] = form if isinstance(form, EdgeForm) else EdgeForm(
        framework=framework, prefix="edge", user=request.user)  # fmt: skip
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


urlpatterns = [
    path("mel/frameworks/", framework_list_view, name="framework_list"),
    path("mel/frameworks/new/", framework_create, name="framework_create"),
    path("mel/frameworks/<slug:slug>/", framework_detail_view, name="framework_detail"),
    path("mel/frameworks/<slug:slug>/nodes/", framework_node_add, name="framework_node_add"),
    path("mel/frameworks/<slug:slug>/nodes/<int:pk>/edit/", framework_node_edit,
         name="framework_node_edit"),
    path("mel/frameworks/<slug:slug>/links/", framework_edge_add, name="framework_edge_add"),
    path("mel/frameworks/<slug:slug>/<str:kind>/<int:pk>/remove/", framework_remove,
         name="framework_remove"),
    path("mel/frameworks/<slug:slug>/publish/", framework_publish, name="framework_publish"),
]  # fmt: skip
