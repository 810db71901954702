"""Pages of key issues: the register (filters, search, sorting, CSV and Excel), an issue's
page (background, options, evidence, status history, the agenda items, decisions and advice
on it), the forms to raise and edit one, and the buttons that move it on or archive it.

Thin: forms in ``forms/issues.py`` parse, ``selectors/issues.py`` reads with the access
rules, ``services/issues.py`` decides. An issue the reader may not read is a 404.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from landhub.core.forms import posted_version, press_button, save_form
from landhub.core.htmx import render_page
from landhub.core.lists import chunked, export_response, filters_from, paginate, sort_queryset
from landhub.directory.rules import can

from .. import services
from ..forms.issues import IssueFilterForm, IssueForm, TransitionForm
from ..selectors import (
    ISSUE_SORTS,
    issue_detail,
    issue_history,
    issue_list,
    issue_status_history,
)

ISSUE_FILTERS = ("q", "body", "status", "urgency", "mine", "plan_item", "year", "archived")
EXPORT_HEADER = [gettext_lazy("Id"), gettext_lazy("Title"), gettext_lazy("Body"),
                 gettext_lazy("Status"), gettext_lazy("Urgency"), gettext_lazy("Confidential"),
                 gettext_lazy("Raised by"), gettext_lazy("Raised on"), gettext_lazy("Closed on"),
                 gettext_lazy("Background"), gettext_lazy("Options"),
                 gettext_lazy("Evidence"), gettext_lazy("Link")]  # fmt: skip


def _sorted(request):
    filters = filters_from(request, ISSUE_FILTERS, checkboxes=("mine",))
    return sort_queryset(issue_list(user=request.user, filters=filters),
                         request.GET.get("sort"), ISSUE_SORTS, "-created")  # fmt: skip


@login_required
def issue_list_view(request):
    qs, sort = _sorted(request)
    context = {
        "page": paginate(request, qs, per_page=25), "sort": sort,
        "sorts": [("-created", _("Newest")), ("-urgency", _("Most urgent")),
                  ("title", _("Title")), ("status", _("Status"))],
        "filter_form": IssueFilterForm(request.GET or None, user=request.user),
        "can_raise": can(request.user, "governance.raise_issue"),
        "show_archived": request.GET.get("archived") == "1",
    }  # fmt: skip
    return render_page(request, "governance/issue_list.html", context,
                       partial="governance/partials/issue_results.html")  # fmt: skip


def _export_rows(request, qs):
    yes, no = _("Yes"), _("No")
    for chunk in chunked(qs.prefetch_related("evidence").iterator(chunk_size=500), 500):
        for i in chunk:
            who = i.raised_by
            yield [
                i.pk, i.title, i.body.name, i.get_status_display(), i.get_urgency_display(),
                yes if i.confidential else no,
                (getattr(who, "name", "") or getattr(who, "email", "")) if who else "",
                i.created_at.date().isoformat(),
                i.closed_at.date().isoformat() if i.closed_at else "",
                i.background, i.options,
                "; ".join(f"{e.label}: {settings.SITE_URL}{e.path}" for e in i.evidence.all()),
                settings.SITE_URL + i.get_absolute_url(),
            ]  # fmt: skip


@login_required
def issue_export(request, fmt):
    """The register as filtered and sorted, every row: ``export.csv`` or ``export.xlsx``."""
    qs, _sort = _sorted(request)
    return export_response(fmt, "key-issues", _("Key issues"), EXPORT_HEADER,
                           _export_rows(request, qs))  # fmt: skip


@login_required
def issue_create_view(request):
    """Raise a key issue (seat holders, hub staff); ``?body=<slug>`` chooses the body."""
    if not can(request.user, "governance.raise_issue"):
        raise PermissionDenied
    from ..selectors import raisable_bodies

    slug = request.GET.get("body", "")[:80]
    body = raisable_bodies(request.user).filter(slug=slug).first() if slug else None
    form = IssueForm(request.POST or None, user=request.user,
                     initial={"body": body.pk if body else None})  # fmt: skip
    if request.method == "POST" and form.is_valid():
        saved = save_form(form, lambda: services.issue_raise(actor=request.user,
                                                             **form.service_kwargs()))  # fmt: skip
        if saved.ok:
            messages.success(request, _("Key issue raised. The body's chair and secretary "
                                        "are told."))  # fmt: skip
            return redirect(saved.result.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    return render(request, "governance/issue_form.html", {"form": form, "issue": None},
                  status=status)  # fmt: skip


def _issue_context(request, issue, **given) -> dict:
    may_move = services.may_transition(request.user, issue)
    return {
        "issue": issue,
        "can_change": can(request.user, "governance.change_issue", issue),
        "may_move": may_move and not issue.archived_at,
        "transition_form": given.get("transition_form")
        or TransitionForm(issue=issue, user=request.user),
        "steps": issue_status_history(issue),
        "entries": issue_history(issue),
    }


@login_required
def issue_detail_view(request, pk):
    issue = issue_detail(user=request.user, pk=pk)
    return render(request, "governance/issue_detail.html", _issue_context(request, issue))


@login_required
def issue_edit_view(request, pk):
    issue = issue_detail(user=request.user, pk=pk)
    if not can(request.user, "governance.change_issue", issue):
        raise PermissionDenied
    form = IssueForm(request.POST or None, user=request.user, issue=issue)
    saved = None
    if request.method == "POST" and form.is_valid():
        saved = save_form(form, lambda: services.issue_update(
            actor=request.user, issue=issue, version=form.cleaned_data.get("version"),
            changes=form.service_kwargs()))  # fmt: skip
        if saved.ok:
            messages.success(request, _("Key issue saved."))
            return redirect(issue.get_absolute_url())
    status = 200 if request.method == "GET" else (saved.status if saved and saved.current
                                                  else 400)  # fmt: skip
    return render(request, "governance/issue_form.html", {
        "form": form, "issue": issue, "current": saved.current if saved else None},
        status=status)  # fmt: skip


@login_required
@require_POST
def issue_transition_view(request, pk):
    """Move the issue on; the page comes back with the message beside the choice."""
    issue = issue_detail(user=request.user, pk=pk)
    if not services.may_transition(request.user, issue, request.POST.get("status") or None):
        raise PermissionDenied
    form = TransitionForm(request.POST, issue=issue, user=request.user)
    saved = None
    if form.is_valid():
        data = form.cleaned_data
        saved = save_form(form, lambda: services.issue_transition(
            actor=request.user, issue=issue, version=data.get("version"),
            status=data["status"], note=data.get("note", "")))  # fmt: skip
        if saved.ok:
            messages.success(request, _("The issue is now %(status)s.") % {
                "status": issue.get_status_display().lower()})  # fmt: skip
            return redirect(issue.get_absolute_url())
    status = saved.status if saved is not None and saved.current is not None else 400
    fresh = issue_detail(user=request.user, pk=pk)
    return render(request, "governance/issue_detail.html",
                  _issue_context(request, fresh, transition_form=form), status=status)  # fmt: skip


@login_required
@require_POST
def issue_archive_view(request, pk):
    """Archive the issue, or restore it (``restore=1``)."""
    issue = issue_detail(user=request.user, pk=pk)
    if not can(request.user, "governance.change_issue", issue):
        raise PermissionDenied
    restore = request.POST.get("restore") == "1"
    version = posted_version(request.POST.get("version"))
    press_button(request, lambda: services.issue_archive(
        actor=request.user, issue=issue, restore=restore, version=version),
        done=_("Key issue restored.") if restore else _("Key issue archived."),
        conflict=_("Someone changed this issue meanwhile; look at it again."))  # fmt: skip
    return redirect(issue.get_absolute_url())


urlpatterns = [
    path("governance/issues/", issue_list_view, name="issue_list"),
    path("governance/issues/export.<str:fmt>", issue_export, name="issue_export"),
    path("governance/issues/new/", issue_create_view, name="issue_create"),
    path("governance/issues/<int:pk>/", issue_detail_view, name="issue_detail"),
    path("governance/issues/<int:pk>/edit/", issue_edit_view, name="issue_edit"),
    path("governance/issues/<int:pk>/transition/", issue_transition_view,
         name="issue_transition"),
    path("governance/issues/<int:pk>/archive/", issue_archive_view, name="issue_archive"),
]  # fmt: skip
