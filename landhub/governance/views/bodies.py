"""Pages of bodies and seats: the governance home, the list of bodies, a body's page (mandate,
rules of procedure in words, current seats, the core partners without a voting seat, then the
panels other areas add), its seat history, and the forms hub staff use to set bodies and
seats up.

Thin: forms in ``forms/bodies.py`` parse, ``selectors/bodies.py`` reads with the access
rules, ``services/bodies.py`` decides. A body the reader may not see is a 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from landhub.core.forms import posted_version, press_button, save_form
from landhub.core.htmx import render_page
from landhub.core.lists import csv_response, filters_from, paginate, sort_queryset
from landhub.directory.rules import can

from .. import services
from ..forms.bodies import BodyFilterForm, BodyForm, SeatEndForm, SeatForm
from ..panels import body_panels
from ..selectors import (
    BODY_SORTS,
    body_detail,
    body_list,
    body_seat_history,
    home_bodies,
    seat_for,
)

BODY_FILTERS = ("q", "kind", "archived")


def _manager(request) -> None:
    if not can(request.user, "governance.manage_bodies"):
        raise PermissionDenied


# --- home ------------------------------------------------------------------------------------


def governance_home(request):
    """The bodies the reader may see, and the ways into the registers."""
    bodies, body_total = home_bodies(user=request.user)
    return render(request, "governance/governance_home.html", {
        "bodies": bodies, "body_total": body_total,
        "can_manage": can(request.user, "governance.manage_bodies"),
        "can_raise": request.user.is_authenticated and can(request.user,
                                                           "governance.raise_issue"),
    })  # fmt: skip


# --- bodies ----------------------------------------------------------------------------------


def _sorted_bodies(request):
    return sort_queryset(body_list(user=request.user, filters=filters_from(request, BODY_FILTERS)),
                         request.GET.get("sort"), BODY_SORTS, "name")  # fmt: skip


def body_list_view(request):
    qs, sort = _sorted_bodies(request)
    context = {
        "page": paginate(request, qs, per_page=25), "sort": sort,
        "sorts": [("name", _("Name")), ("kind", _("Type")), ("-members", _("Most members")),
                  ("-updated", _("Recently changed"))],
        "filter_form": BodyFilterForm(request.GET or None),
        "can_manage": can(request.user, "governance.manage_bodies"),
        "show_archived": request.GET.get("archived") == "1",
    }  # fmt: skip
    return render_page(request, "governance/body_list.html", context,
                       partial="governance/partials/body_results.html")  # fmt: skip


def body_export_csv(request):
    qs, _sort = _sorted_bodies(request)
    header = [_("Name"), _("Short name in links"), _("Type"), _("Members"), _("Gives advice to"),
              _("Who may see its records"), _("Quorum"), _("Default voting threshold"),
              _("Thresholds are counted"), _("Ties"), _("Mandate"), _("Link")]  # fmt: skip
    rows = ([b.name, b.slug, b.get_kind_display(), b.member_count,
             b.advises.name if b.advises_id else "", b.get_records_access_display(),
             b.get_quorum_display(), b.get_threshold_display(), b.get_threshold_base_display(),
             b.get_tie_rule_display(), b.mandate,
             request.build_absolute_uri(b.get_absolute_url())]
            for b in qs.iterator(chunk_size=500))  # fmt: skip
    return csv_response("bodies.csv", header, rows)


@login_required
def body_create_view(request):
    _manager(request)
    form = BodyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        saved = save_form(form, lambda: services.body_create(actor=request.user,
                                                             **form.service_kwargs()))  # fmt: skip
        if saved.ok:
            messages.success(request, _("Body created. Now give it its seats."))
            return redirect(saved.result.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    return render(request, "governance/body_form.html", {"form": form, "body": None},
                  status=status)  # fmt: skip


def body_detail_view(request, slug):
    body = body_detail(user=request.user, slug=slug)
    return render(request, "governance/body_detail.html", {
        "body": body,
        "can_manage": can(request.user, "governance.manage_bodies"),
        "show_people": request.user.is_authenticated,
        "panels": body_panels(user=request.user, body=body),
    })  # fmt: skip


@login_required
def body_edit_view(request, slug):
    body = body_detail(user=request.user, slug=slug)
    _manager(request)
    form = BodyForm(request.POST or None, body=body)
    saved = None
    if request.method == "POST" and form.is_valid():
        saved = save_form(form, lambda: services.body_update(
            actor=request.user, body=body, version=form.cleaned_data.get("version"),
            changes=form.service_kwargs()))  # fmt: skip
        if saved.ok:
            messages.success(request, _("Body saved."))
            return redirect(body.get_absolute_url())
    status = 200 if request.method == "GET" else (saved.status if saved and saved.current
                                                  else 400)  # fmt: skip
    return render(request, "governance/body_form.html", {
        "form": form, "body": body, "current": saved.current if saved else None},
        status=status)  # fmt: skip


@login_required
@require_POST
def body_archive_view(request, slug):
    """Archive the body, or restore it (``restore=1``)."""
    body = body_detail(user=request.user, slug=slug)
    _manager(request)
    restore = request.POST.get("restore") == "1"
    version = posted_version(request.POST.get("version"))
    press_button(request, lambda: services.body_archive(
        actor=request.user, body=body, restore=restore, version=version),
        done=_("Body restored.") if restore else _("Body archived."),
        conflict=_("Someone changed this body meanwhile; look at it again."))  # fmt: skip
    return redirect(body.get_absolute_url())


def body_seats_view(request, slug):
    """Past and future seats, and who changed which seat when."""
    body = body_detail(user=request.user, slug=slug)
    return render(request, "governance/body_seats.html", {
        "body": body, "history": body_seat_history(body),
        "show_people": request.user.is_authenticated,
        "can_manage": can(request.user, "governance.manage_bodies"),
    })  # fmt: skip


# --- seats -----------------------------------------------------------------------------------


@login_required
def seat_create_view(request, slug):
    body = body_detail(user=request.user, slug=slug)
    _manager(request)
    initial = {"role": request.GET.get("role", "voting")[:12],
               "principal": request.GET.get("principal", "")[:19]}  # fmt: skip
    form = SeatForm(request.POST or None, user=request.user, body=body, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = save_form(form, lambda: services.seat_create(actor=request.user, body=body,
                                                             **form.service_kwargs()))  # fmt: skip
        if saved.ok:
            messages.success(request, _("Seat added."))
            return redirect(body.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    return render(request, "governance/body_seat_form.html", {
        "form": form, "body": body, "seat": None}, status=status)  # fmt: skip


@login_required
def seat_edit_view(request, pk):
    seat = seat_for(user=request.user, pk=pk)
    _manager(request)
    body = seat.body
    form = SeatForm(request.POST or None, user=request.user, body=body, seat=seat)
    saved = None
    if request.method == "POST" and form.is_valid():
        changes = form.service_kwargs()
        changes.pop("person", None)
        saved = save_form(form, lambda: services.seat_update(
            actor=request.user, seat=seat, version=form.cleaned_data.get("version"),
            changes=changes))  # fmt: skip
        if saved.ok:
            messages.success(request, _("Seat saved."))
            return redirect(body.get_absolute_url())
    status = 200 if request.method == "GET" else (saved.status if saved and saved.current
                                                  else 400)  # fmt: skip
    return render(request, "governance/body_seat_form.html", {
        "form": form, "body": body, "seat": seat,
        "current": saved.current if saved else None}, status=status)  # fmt: skip


@login_required
def seat_end_view(request, pk):
    """End a seat's term (today unless a date is given); its alternates' terms end too."""
    seat = seat_for(user=request.user, pk=pk)
    _manager(request)
    form = SeatEndForm(request.POST or None, initial={"version": seat.version})
    saved = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = save_form(form, lambda: services.seat_end(
            actor=request.user, seat=seat, version=data.get("version"),
            term_end=data.get("term_end")))  # fmt: skip
        if saved.ok:
            messages.success(request, _("The term is ended; the seat stays in the history."))
            return redirect(seat.body.get_absolute_url())
    status = 200 if request.method == "GET" else (saved.status if saved and saved.current
                                                  else 400)  # fmt: skip
    return render(request, "governance/body_seat_end.html", {
        "form": form, "seat": seat, "body": seat.body}, status=status)  # fmt: skip


urlpatterns = [
    path("governance/", governance_home, name="home"),
    path("governance/bodies/", body_list_view, name="body_list"),
    path("governance/bodies/export.csv", body_export_csv, name="body_export_csv"),
    path("governance/bodies/new/", body_create_view, name="body_create"),
    path("governance/bodies/<slug:slug>/", body_detail_view, name="body_detail"),
    path("governance/bodies/<slug:slug>/edit/", body_edit_view, name="body_edit"),
    path("governance/bodies/<slug:slug>/archive/", body_archive_view, name="body_archive"),
    path("governance/bodies/<slug:slug>/seats/", body_seats_view, name="body_seats"),
    path("governance/bodies/<slug:slug>/seats/new/", seat_create_view, name="seat_create"),
    path("governance/seats/<int:pk>/edit/", seat_edit_view, name="seat_edit"),
    path("governance/seats/<int:pk>/end/", seat_end_view, name="seat_end"),
]  # fmt: skip
