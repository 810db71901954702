"""Pages of action items: the list (filters, sorting, CSV), an action with its history, the
forms to record one from a decision, a meeting or a body, to edit it and to move its status.

Thin: ``forms/actions.py`` parses, ``selectors/actions.py`` reads with the access rules,
``services/actions.py`` decides.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from landhub.core.forms import posted_version, press_button, save_form
from landhub.core.htmx import render_page
from landhub.core.lists import chunked, csv_response, filters_from, paginate, sort_queryset
from landhub.directory.rules import can

from .. import services
from ..forms.actions import ActionFilterForm, ActionForm, StatusForm
from ..models import Body, Decision, Meeting
from ..selectors.actions import (
    ACTION_SORTS,
    action_detail,
    action_history,
    action_list,
)

ACTION_FILTERS = ("q", "body", "mine", "owner_organization", "status", "overdue", "due_before",
                  "decision", "meeting", "archived")  # fmt: skip


def _sorted(request):
    filters = filters_from(request, ACTION_FILTERS, checkboxes=("mine", "overdue"))
    return sort_queryset(action_list(user=request.user, filters=filters),
                         request.GET.get("sort"), ACTION_SORTS, "due")  # fmt: skip


def _mark(actions) -> None:
    today = timezone.localdate()
    for action in actions:
        action.overdue = action.is_open and action.due_on < today


@login_required
def action_list_view(request):
    qs, sort = _sorted(request)
    page = paginate(request, qs, per_page=25)
    _mark(page.object_list)
    context = {
        "page": page, "sort": sort,
        "sorts": [("due", _("Due first")), ("-due", _("Due last")), ("title", _("What")),
                  ("body", _("Body")), ("status", _("Status")),
                  ("-updated", _("Recently changed"))],
        "filter_form": ActionFilterForm(request.GET or None, user=request.user),
    }  # fmt: skip
    return render_page(request, "governance/action_list.html", context,
                       partial="governance/partials/action_results.html")  # fmt: skip


@login_required
def action_export_csv(request):
    qs, _sort = _sorted(request)
    header = [_("Id"), _("What"), _("Body"), _("Decision"), _("Meeting"), _("Owner"),
              _("Owner organization"), _("Due"), _("Status"), _("Done"), _("Confidential"),
              _("Details"), _("Link")]  # fmt: skip

    def rows():
        for chunk in chunked(qs.iterator(chunk_size=500), 500):
            for a in chunk:
                yield [a.pk, a.title, a.body.name, a.decision.title if a.decision_id else "",
                       a.meeting.title if a.meeting_id else "", a.owner.name if a.owner_id else "",
                       a.owner_organization.name if a.owner_organization_id else "", a.due_on,
                       a.get_status_display(), a.done_at.date() if a.done_at else "",
                       _("yes") if a.confidential else "", a.description,
                       request.build_absolute_uri(a.get_absolute_url())]  # fmt: skip

    return csv_response("actions.csv", header, rows())


def _origin(request) -> dict:
    """The body, decision or meeting named by ``?decision=``, ``?meeting=``, ``?body=`` (in
    the query string or the posted form), among what the reader may see."""
    source = request.POST if request.method == "POST" else request.GET
    found: dict = {}
    for key, model in (("decision", Decision), ("meeting", Meeting)):
        raw = source.get(key, "") or request.GET.get(key, "")
        if raw:
            if not raw.isdigit() or len(raw) > 18:
                raise Http404
            record = (model.objects.visible_to(request.user).select_related("body")
                      .filter(pk=int(raw)).first())  # fmt: skip
            if record is None:
                raise Http404
            found[key] = record
    raw = source.get("body", "") or request.GET.get("body", "")
    if raw:
        body = Body.objects.visible_to(request.user).filter(slug=raw[:80]).first()
        if body is None:
            raise Http404
        found["body"] = body
    else:
        origin = found.get("decision") or found.get("meeting")
        if origin is not None:
            found["body"] = origin.body
    return found


@login_required
def action_create_view(request):
    """Record an action: ``?decision=<id>``, ``?meeting=<id>`` or ``?body=<slug>`` says where
    it comes from."""
    origin = _origin(request)
    body = origin.get("body")
    if body is None:
        raise Http404
    if not can(request.user, "governance.manage_actions", body):
        raise PermissionDenied
    form = ActionForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        saved = save_form(form, lambda: services.action_create(
            actor=request.user, body=body, decision=origin.get("decision"),
            meeting=origin.get("meeting"), **form.service_kwargs()))  # fmt: skip
        if saved.ok:
            messages.success(request, _("Action recorded."))
            return redirect(saved.result.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    return render(request, "governance/action_form.html",
                  {"form": form, "action": None, "origin": origin, "body": body},
                  status=status)  # fmt: skip


def _detail_context(request, action, **given) -> dict:
    _mark([action])
    can_update = can(request.user, "governance.update_action", action)
    return {
        "action": action, "entries": action_history(action),
        "can_manage": can(request.user, "governance.manage_actions", action),
        "can_update": can_update,
        "status_form": given.get("status_form") or (StatusForm(action=action)
                                                    if can_update else None),
    }  # fmt: skip


@login_required
def action_detail_view(request, pk):
    action = action_detail(user=request.user, pk=pk)
    return render(request, "governance/action_detail.html", _detail_context(request, action))


@login_required
def action_edit_view(request, pk):
    action = action_detail(user=request.user, pk=pk)
    if not can(request.user, "governance.manage_actions", action):
        raise PermissionDenied
    form = ActionForm(request.POST or None, user=request.user, action=action)
    saved = None
    if request.method == "POST" and form.is_valid():
        saved = save_form(form, lambda: services.action_update(
            actor=request.user, action=action, version=form.cleaned_data.get("version"),
            changes=form.service_kwargs()))  # fmt: skip
        if saved.ok:
            messages.success(request, _("Action saved."))
            return redirect(action.get_absolute_url())
    status = 200 if request.method == "GET" else (saved.status if saved and saved.current
                                                  else 400)  # fmt: skip
    return render(request, "governance/action_form.html",
                  {"form": form, "action": action, "body": action.body,
                   "current": saved.current if saved else None}, status=status)  # fmt: skip


@login_required
@require_POST
def action_status_view(request, pk):
    """The owner or an officer moves the status; htmx gets the status card back."""
    action = action_detail(user=request.user, pk=pk)
    if not can(request.user, "governance.update_action", action):
        raise PermissionDenied
    form = StatusForm(request.POST)
    saved = None
    if form.is_valid():
        saved = save_form(form, lambda: services.action_set_status(
            actor=request.user, action=action, status=form.cleaned_data["status"],
            version=form.cleaned_data.get("version")))  # fmt: skip
    ok = saved is not None and saved.ok
    fresh = action_detail(user=request.user, pk=pk)
    if getattr(request, "htmx", False):
        context = _detail_context(request, fresh,
                                  status_form=None if ok else form)  # fmt: skip
        context["saved"] = ok
        return render(
            request,
            "governance/partials/action_status.html",
            context,
            status=200 if ok else (saved.status if saved and saved.current else 400),
        )
    if ok:
        messages.success(request, _("Status saved."))
        return redirect(fresh.get_absolute_url())
    status = saved.status if saved is not None and saved.current is not None else 400
    return render(request, "governance/action_detail.html",
                  _detail_context(request, fresh, status_form=form), status=status)  # fmt: skip


@login_required
@require_POST
def action_archive_view(request, pk):
    """Archive the action, or restore it (``restore=1``)."""
    action = action_detail(user=request.user, pk=pk)
    if not can(request.user, "governance.manage_actions", action):
        raise PermissionDenied
    restore = request.POST.get("restore") == "1"
    version = posted_version(request.POST.get("version"))
    press_button(request, lambda: services.action_archive(
        actor=request.user, action=action, archived=not restore, version=version),
        done=_("Action restored.") if restore else _("Action archived."),
        conflict=_("Someone changed this action meanwhile; look at it again."))  # fmt: skip
    return redirect(action.get_absolute_url())


urlpatterns = [
    path("governance/actions/", action_list_view, name="action_list"),
    path("governance/actions/export.csv", action_export_csv, name="action_export_csv"),
    path("governance/actions/new/", action_create_view, name="action_create"),
    path("governance/actions/<int:pk>/", action_detail_view, name="action_detail"),
    path("governance/actions/<int:pk>/edit/", action_edit_view, name="action_edit"),
    path("governance/actions/<int:pk>/status/", action_status_view, name="action_status"),
    path("governance/actions/<int:pk>/archive/", action_archive_view, name="action_archive"),
]  # fmt: skip
