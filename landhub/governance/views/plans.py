"""Pages of the strategic plan and the scaling strategy: the list of versions, a plan as a
tree with progress (computed from the MEL roll-ups for milestones tied to indicators), its
timeline, its CSV, and the forms hub staff use to keep it.

Plans are read by whoever their ``visibility`` allows (a public plan by anyone); writes are
for hub staff (``governance.manage_plans``).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from landhub.core.forms import posted_version, press_button, save_form
from landhub.core.htmx import render_page
from landhub.core.lists import csv_response, filters_from, paginate, sort_queryset
from landhub.directory.rules import can

from .. import services
from ..charts import plan_timeline
from ..forms.plans import (
    AdoptForm,
    MoveForm,
    NewVersionForm,
    PlanFilterForm,
    PlanForm,
    PlanItemForm,
    TieForm,
)
from ..models import MilestoneIndicator
from ..selectors.plans import (
    PLAN_SORTS,
    flatten,
    plan_detail,
    plan_history,
    plan_item_detail,
    plan_list,
    plan_tree,
    plan_versions,
    timeline_rows,
    tree_rows,
)

PLAN_FILTERS = ("q", "kind", "status", "year", "archived")


def _require_manager(request) -> None:
    if not can(request.user, "governance.manage_plans"):
        raise PermissionDenied


def _sorted(request):
    return sort_queryset(plan_list(user=request.user, filters=filters_from(request, PLAN_FILTERS)),
                         request.GET.get("sort"), PLAN_SORTS, "-year")  # fmt: skip


def plan_list_view(request):
    """The strategic plan and the scaling strategy, every version the reader may see."""
    qs, sort = _sorted(request)
    context = {
        "page": paginate(request, qs, per_page=25), "sort": sort,
        "sorts": [("-year", _("Newest year")), ("kind", _("Type")), ("title", _("Title")),
                  ("status", _("Status"))],
        "filter_form": PlanFilterForm(request.GET or None),
        "can_manage": can(request.user, "governance.manage_plans"),
    }  # fmt: skip
    return render_page(request, "governance/plan_list.html", context,
                       partial="governance/partials/plan_results.html")  # fmt: skip


def plan_list_csv(request):
    qs, _sort = _sorted(request)
    header = [_("Id"), _("Type"), _("Year"), _("Title"), _("Status"), _("Adopted by"),
              _("Revises"), _("Visibility"), _("Link")]  # fmt: skip
    rows = ([p.pk, p.get_kind_display(), p.year, p.title, p.get_status_display(),
             p.body.name if p.body_id else "", p.previous.year if p.previous_id else "",
             p.get_visibility_display(), request.build_absolute_uri(p.get_absolute_url())]
            for p in qs[:5000])  # fmt: skip
    return csv_response("plans.csv", header, rows)


@login_required
def plan_create_view(request):
    _require_manager(request)
    form = PlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        saved = save_form(form, lambda: services.plan_create(actor=request.user,
                                                             **form.service_kwargs()))  # fmt: skip
        if saved.ok:
            messages.success(request, _("Plan started."))
            return redirect(saved.result.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    return render(request, "governance/plan_form.html", {"form": form, "plan": None},
                  status=status)  # fmt: skip


def _plan_context(request, plan, **given) -> dict:
    roots = plan_tree(user=request.user, plan=plan)
    can_manage = can(request.user, "governance.manage_plans")
    context = {"plan": plan, "nodes": tree_rows(roots), "can_manage": can_manage,
               "versions": plan_versions(user=request.user, plan=plan)}  # fmt: skip
    if can_manage:
        context["entries"] = plan_history(plan)
        context["adopt_form"] = given.get("adopt_form") or AdoptForm(user=request.user, plan=plan)
        context["version_form"] = given.get("version_form") or NewVersionForm(
            initial={"year": plan.year + 1})  # fmt: skip
    return context


def plan_detail_view(request, pk):
    plan = plan_detail(user=request.user, pk=pk)
    return render(request, "governance/plan_detail.html", _plan_context(request, plan))


def plan_timeline_view(request, pk):
    """Objectives and milestones on a time axis by target date, with the same rows as a
    table."""
    plan = plan_detail(user=request.user, pk=pk)
    rows = timeline_rows(plan_tree(user=request.user, plan=plan))
    return render(request, "governance/plan_timeline.html",
                  {"plan": plan, "rows": rows, "spec": plan_timeline(rows)})  # fmt: skip


def plan_export_csv(request, pk):
    """The plan's tree as rows, with each item's progress and where it came from."""
    plan = plan_detail(user=request.user, pk=pk)
    nodes = flatten(plan_tree(user=request.user, plan=plan))
    header = [_("Number"), _("Level"), _("Title"), _("Owner"), _("Owner organization"),
              _("Starts"), _("Target date"), _("Status"), _("Progress (%)"),
              _("Progress from"), _("Figures"), _("Description")]  # fmt: skip
    sources = {"computed": _("MEL indicators"), "typed": _("typed"),
               "children": _("its items"), "": ""}  # fmt: skip
    rows = ([n.code, n.item.get_level_display(), n.item.title,
             n.item.owner.name if n.item.owner_id else "",
             n.item.owner_organization.name if n.item.owner_organization_id else "",
             n.item.start_on or "", n.item.target_on or "", n.status_label,
             "" if n.progress is None else n.progress, sources[n.source],
             "; ".join(f.text for f in n.figures), n.item.description]
            for n in nodes)  # fmt: skip
    return csv_response(f"plan-{plan.kind}-{plan.year}.csv", header, rows)


@login_required
def plan_edit_view(request, pk):
    plan = plan_detail(user=request.user, pk=pk)
    _require_manager(request)
    form = PlanForm(request.POST or None, plan=plan)
    saved = None
    if request.method == "POST" and form.is_valid():
        saved = save_form(form, lambda: services.plan_update(
            actor=request.user, plan=plan, version=form.cleaned_data.get("version"),
            changes=form.service_kwargs()))  # fmt: skip
        if saved.ok:
            messages.success(request, _("Plan saved."))
            return redirect(plan.get_absolute_url())
    status = 200 if request.method == "GET" else (saved.status if saved and saved.current
                                                  else 400)  # fmt: skip
    return render(request, "governance/plan_form.html",
                  {"form": form, "plan": plan, "current": saved.current if saved else None},
                  status=status)  # fmt: skip


@login_required
@require_POST
def plan_new_version_view(request, pk):
    """A draft for another year, copying the tree; the plan page shows the form."""
    plan = plan_detail(user=request.user, pk=pk)
    _require_manager(request)
    form = NewVersionForm(request.POST)
    if form.is_valid():
        saved = save_form(form, lambda: services.plan_new_version(
            actor=request.user, plan=plan, year=form.cleaned_data["year"],
            title=form.cleaned_data.get("title") or ""))  # fmt: skip
        if saved.ok:
            messages.success(request, _("New version started: the tree is copied."))
            return redirect(saved.result.get_absolute_url())
    return render(request, "governance/plan_detail.html",
                  _plan_context(request, plan, version_form=form), status=400)  # fmt: skip


@login_required
@require_POST
def plan_adopt_view(request, pk):
    plan = plan_detail(user=request.user, pk=pk)
    _require_manager(request)
    form = AdoptForm(request.POST, user=request.user)
    saved = None
    if form.is_valid():
        saved = save_form(form, lambda: services.plan_adopt(
            actor=request.user, plan=plan, version=form.cleaned_data.get("version"),
            decision=form.cleaned_data.get("decision")))  # fmt: skip
        if saved.ok:
            messages.success(request, _("Plan adopted; the version adopted before is "
                                        "superseded."))  # fmt: skip
            return redirect(plan.get_absolute_url())
    status = saved.status if saved is not None and saved.current is not None else 400
    fresh = plan_detail(user=request.user, pk=pk)
    return render(request, "governance/plan_detail.html",
                  _plan_context(request, fresh, adopt_form=form), status=status)  # fmt: skip


# --- items -----------------------------------------------------------------------------------


def _parent(plan, pk):
    if pk is None:
        return None
    parent = plan.items.filter(pk=pk).first()
    if parent is None:
        raise ValidationError({"parent": [_("Choose an item of this plan.")]})
    return parent


@login_required
def plan_item_create_view(request, pk):
    """Add a goal, objective or milestone; ``?parent=<id>`` places it under an item."""
    plan = plan_detail(user=request.user, pk=pk)
    _require_manager(request)
    initial = {}
    if (raw := request.GET.get("parent", "")).isdigit() and len(raw) < 18:
        parent = plan.items.filter(pk=int(raw)).first()
        if parent is not None:
            from ..models.plans import CHILD_LEVEL

            initial = {"parent": parent.pk, "level": CHILD_LEVEL.get(parent.level, "")}
    form = PlanItemForm(request.POST or None, user=request.user, plan=plan, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.service_kwargs()

        def create():
            parent_id = data.pop("parent")
            return services.plan_item_create(actor=request.user, plan=plan,
                                             parent=_parent(plan, parent_id), **data)  # fmt: skip

        saved = save_form(form, create)
        if saved.ok:
            messages.success(request, _("Item added."))
            return redirect(saved.result.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    return render(request, "governance/plan_item_form.html",
                  {"form": form, "plan": plan, "item": None}, status=status)  # fmt: skip


def _item_context(request, item, **given) -> dict:
    return {
        "form": given.get("form"), "plan": item.plan, "item": item,
        "move_form": given.get("move_form") or MoveForm(item=item),
        "tie_form": given.get("tie_form") or TieForm(user=request.user),
        "links": list(item.indicator_links.select_related("indicator", "landscape")),
        "current": given.get("current"),
    }  # fmt: skip


@login_required
def plan_item_edit_view(request, pk):
    """Edit an item; the page also moves it, ties it to indicators and archives it."""
    item = plan_item_detail(user=request.user, pk=pk)
    _require_manager(request)
    form = PlanItemForm(request.POST or None, user=request.user, plan=item.plan, item=item)
    saved = None
    if request.method == "POST" and form.is_valid():
        saved = save_form(form, lambda: services.plan_item_update(
            actor=request.user, item=item, version=form.cleaned_data.get("version"),
            changes=form.service_kwargs()))  # fmt: skip
        if saved.ok:
            messages.success(request, _("Item saved."))
            return redirect(item.get_absolute_url())
    status = 200 if request.method == "GET" else (saved.status if saved and saved.current
                                                  else 400)  # fmt: skip
    context = _item_context(request, item, form=form, current=saved.current if saved else None)
    return render(request, "governance/plan_item_form.html", context, status=status)


@login_required
@require_POST
def plan_item_move_view(request, pk):
    item = plan_item_detail(user=request.user, pk=pk)
    _require_manager(request)
    form = MoveForm(request.POST, item=item)
    saved = None
    if form.is_valid():
        data = form.cleaned_data

        def move():
            position = data.get("position")
            return services.plan_item_move(
                actor=request.user, item=item, version=data.get("version"),
                parent=_parent(item.plan, data.get("parent")),
                position=None if position is None else position - 1)  # fmt: skip

        saved = save_form(form, move)
        if saved.ok:
            messages.success(request, _("Item moved."))
            return redirect(item.get_absolute_url())
    status = saved.status if saved is not None and saved.current is not None else 400
    fresh = plan_item_detail(user=request.user, pk=pk)
    form_edit = PlanItemForm(user=request.user, plan=fresh.plan, item=fresh)
    return render(request, "governance/plan_item_form.html",
                  _item_context(request, fresh, form=form_edit, move_form=form),
                  status=status)  # fmt: skip


@login_required
@require_POST
def plan_item_archive_view(request, pk):
    item = plan_item_detail(user=request.user, pk=pk)
    _require_manager(request)
    restore = request.POST.get("restore") == "1"
    version = posted_version(request.POST.get("version"))
    press_button(request, lambda: services.plan_item_archive(
        actor=request.user, item=item, archived=not restore, version=version),
        done=_("Item restored.") if restore else _("Item archived."),
        conflict=_("Someone changed this item meanwhile; look at it again."))  # fmt: skip
    return redirect(item.plan.get_absolute_url())


@login_required
@require_POST
def plan_item_tie_view(request, pk):
    """Tie a milestone to an indicator (at the initiative or a landscape)."""
    item = plan_item_detail(user=request.user, pk=pk)
    _require_manager(request)
    form = TieForm(request.POST, user=request.user)
    if form.is_valid():
        saved = save_form(form, lambda: services.milestone_tie_indicator(
            actor=request.user, item=item, indicator=form.cleaned_data["indicator"],
            landscape=form.cleaned_data.get("landscape")))  # fmt: skip
        if saved.ok:
            messages.success(request, _("Indicator tied: the milestone's progress now comes "
                                        "from its figures."))  # fmt: skip
            return redirect(item.get_absolute_url())
    form_edit = PlanItemForm(user=request.user, plan=item.plan, item=item)
    return render(request, "governance/plan_item_form.html",
                  _item_context(request, item, form=form_edit, tie_form=form),
                  status=400)  # fmt: skip


@login_required
@require_POST
def plan_item_untie_view(request, pk, link_id):
    item = plan_item_detail(user=request.user, pk=pk)
    _require_manager(request)
    link = MilestoneIndicator.objects.filter(pk=link_id, item=item).first()
    if link is None:
        raise Http404
    services.milestone_untie_indicator(actor=request.user, link=link)
    messages.success(request, _("Indicator untied."))
    return redirect(item.get_absolute_url())


urlpatterns = [
    path("governance/plans/", plan_list_view, name="plan_list"),
    path("governance/plans/export.csv", plan_list_csv, name="plan_list_csv"),
    path("governance/plans/new/", plan_create_view, name="plan_create"),
    path("governance/plans/<int:pk>/", plan_detail_view, name="plan_detail"),
    path("governance/plans/<int:pk>/edit/", plan_edit_view, name="plan_edit"),
    path("governance/plans/<int:pk>/timeline/", plan_timeline_view, name="plan_timeline"),
    path("governance/plans/<int:pk>/export.csv", plan_export_csv, name="plan_export_csv"),
    path("governance/plans/<int:pk>/versions/", plan_new_version_view, name="plan_new_version"),
    path("governance/plans/<int:pk>/adopt/", plan_adopt_view, name="plan_adopt"),
    path("governance/plans/<int:pk>/items/new/", plan_item_create_view, name="plan_item_create"),
    path("governance/plan-items/<int:pk>/edit/", plan_item_edit_view, name="plan_item_edit"),
    path("governance/plan-items/<int:pk>/move/", plan_item_move_view, name="plan_item_move"),
    path("governance/plan-items/<int:pk>/archive/", plan_item_archive_view,
         name="plan_item_archive"),
    path("governance/plan-items/<int:pk>/indicators/", plan_item_tie_view, name="plan_item_tie"),
    path("governance/plan-items/<int:pk>/indicators/<int:link_id>/remove/", plan_item_untie_view,
         name="plan_item_untie"),
]  # fmt: skip
