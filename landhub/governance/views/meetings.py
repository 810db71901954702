"""Pages of meetings: the list (filters, sorting, CSV), a meeting's page (time in the reader's
zone, agenda with a running clock, papers, attendance and quorum, conflicts, minutes, the
panels of the other areas), the forms to schedule and change a meeting, its agenda items,
attendance, conflicts and minutes, the papers' download, and the calendars (one meeting's
``.ics``, a body's feed).

Thin: ``forms/meetings.py`` parses, ``selectors/meetings.py`` reads with the access rules,
``services/meetings.py`` decides. Meetings are records of bodies: never public, so every page
wants a signed-in reader.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from landhub.core.exceptions import ConflictError
from landhub.core.forms import posted_version, press_button, save_form
from landhub.core.htmx import render_page
from landhub.core.lists import export_response, filters_from, paginate, sort_queryset
from landhub.directory.rules import can

from .. import services
from ..forms.meetings import (
    AgendaItemForm,
    ApproveForm,
    AttendanceForm,
    ConflictForm,
    DocumentForm,
    MeetingFilterForm,
    MeetingForm,
    MinutesForm,
    manageable_bodies,
)
from ..ical import body_feed_ical, feed_window, meeting_ical, user_for_feed_key
from ..models import Body, MeetingStatus
from ..panels import meeting_panels
from ..selectors.meetings import (
    MEETING_SORTS,
    meeting_detail,
    meeting_document_detail,
    meeting_history,
    meeting_list,
    meeting_quorum,
    meeting_when,
    meetings_visible_to,
    minutes_history,
    seats_on_day,
)

MEETING_CHANGED = gettext_lazy("Someone changed this meeting meanwhile; look at it again.")
MEETING_FILTERS = ("q", "body", "when", "status", "year", "archived")


def _sorted(request):
    filters = filters_from(request, MEETING_FILTERS)
    return sort_queryset(meeting_list(user=request.user, filters=filters),
                         request.GET.get("sort"), MEETING_SORTS, "-starts")  # fmt: skip


# --- the list -----------------------------------------------------------------------------


@login_required
def meeting_list_view(request):
    qs, sort = _sorted(request)
    context = {
        "page": paginate(request, qs, per_page=25), "sort": sort,
        "sorts": [("-starts", _("Latest first")), ("starts", _("Earliest first")),
                  ("title", _("Title")), ("body", _("Body"))],
        "filter_form": MeetingFilterForm(request.GET or None, user=request.user),
        "can_schedule": manageable_bodies(request.user).exists(),
        "show_archived": request.GET.get("archived") == "1",
    }  # fmt: skip
    return render_page(request, "governance/meeting_list.html", context,
                       partial="governance/partials/meeting_results.html")  # fmt: skip


@login_required
def meeting_export(request, fmt):
    """The list as filtered and sorted, every row: ``export.csv`` or ``export.xlsx``."""
    qs, _sort = _sorted(request)
    header = [_("Id"), _("Body"), _("Title"), _("Starts (UTC)"), _("Ends (UTC)"),
              _("Time zone"), _("Place"), _("Video link"), _("Status"), _("Agenda items"),
              _("Link")]  # fmt: skip

    def rows():
        for m in qs.iterator(chunk_size=500):
            yield [m.pk, m.body.name, m.title, m.starts_at.isoformat(), m.ends_at.isoformat(),
                   m.time_zone, m.place, m.video_url, m.get_status_display(), m.item_count,
                   request.build_absolute_uri(m.get_absolute_url())]  # fmt: skip

    return export_response(fmt, "meetings", _("Meetings"), header, rows())


# --- scheduling -----------------------------------------------------------------------------


@login_required
def meeting_create_view(request):
    """Schedule a meeting (a body's officers, hub staff); ``?body=<slug>`` chooses the body."""
    bodies = manageable_bodies(request.user)
    if not bodies.exists():
        raise PermissionDenied
    body = bodies.filter(slug=request.GET.get("body", "")).first()
    form = MeetingForm(request.POST or None, user=request.user, body=body)
    if request.method == "POST" and form.is_valid():
        saved = save_form(form, lambda: services.meeting_create(
            actor=request.user, **form.service_kwargs()))  # fmt: skip
        if saved.ok:
            messages.success(request, _("Meeting scheduled; the members are invited."))
            return redirect(saved.result.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    return render(request, "governance/meeting_form.html", {"form": form, "meeting": None},
                  status=status)  # fmt: skip


def _manageable(request, pk, perm="governance.manage_meetings"):
    meeting = meeting_detail(user=request.user, pk=pk)
    if not can(request.user, perm, meeting.body):
        raise PermissionDenied
    return meeting


@login_required
def meeting_edit_view(request, pk):
    meeting = _manageable(request, pk)
    form = MeetingForm(request.POST or None, user=request.user, meeting=meeting)
    saved = None
    if request.method == "POST" and form.is_valid():
        saved = save_form(form, lambda: services.meeting_update(
            actor=request.user, meeting=meeting, version=form.cleaned_data.get("version"),
            changes=form.service_kwargs()))  # fmt: skip
        if saved.ok:
            messages.success(request, _("Meeting saved."))
            return redirect(meeting.get_absolute_url())
    status = 200 if request.method == "GET" else (saved.status if saved and saved.current
                                                  else 400)  # fmt: skip
    return render(request, "governance/meeting_form.html",
                  {"form": form, "meeting": meeting, "current": saved.current if saved else None},
                  status=status)  # fmt: skip


def _status_change(request, pk, change, done: str):
    meeting = _manageable(request, pk)
    version = posted_version(request.POST.get("version"))
    press_button(request, lambda: change(actor=request.user, meeting=meeting, version=version),
                 done=done, conflict=MEETING_CHANGED)  # fmt: skip
    return redirect(meeting.get_absolute_url())


@login_required
@require_POST
def meeting_publish_view(request, pk):
    return _status_change(request, pk, services.agenda_publish,
                          _("Agenda published; the members are told."))  # fmt: skip


@login_required
@require_POST
def meeting_held_view(request, pk):
    return _status_change(request, pk, services.meeting_mark_held,
                          _("The meeting is marked as held."))  # fmt: skip


@login_required
@require_POST
def meeting_cancel_view(request, pk):
    return _status_change(request, pk, services.meeting_cancel,
                          _("Meeting cancelled; the members are told."))  # fmt: skip


# --- the meeting's page ---------------------------------------------------------------------


def _agenda_rows(meeting, quorum):
    """Each item with its number, its start on the running clock and its quorum."""
    rows, clock = [], meeting.starts_at
    for number, item in enumerate(meeting.agenda.all(), 1):
        count, sentence = quorum.items.get(item.pk, (None, ""))
        rows.append({"number": number, "item": item, "starts": clock, "quorum": count,
                     "quorum_text": sentence})  # fmt: skip
        if item.minutes_allotted:
            clock = clock + dt.timedelta(minutes=item.minutes_allotted)
    return rows


@login_required
@require_POST
def meeting_archive_view(request, pk):
    """Archive a cancelled meeting, or restore it (``restore=1``)."""
    meeting = _manageable(request, pk)
    restore = request.POST.get("restore") == "1"
    version = posted_version(request.POST.get("version"))
    press_button(request, lambda: services.meeting_archive(
        actor=request.user, meeting=meeting, restore=restore, version=version),
        done=_("Meeting restored.") if restore else _("Meeting archived."),
        conflict=MEETING_CHANGED)  # fmt: skip
    return redirect(meeting.get_absolute_url())


def _meeting_context(request, meeting, **given) -> dict:
    user = request.user
    manage = can(user, "governance.manage_meetings", meeting.body)
    write = can(user, "governance.write_minutes", meeting.body)
    items = list(meeting.agenda.all())
    quorum = meeting_quorum(meeting, items)
    minutes = meeting.minutes_record
    own_seats = [s for s in seats_on_day(meeting) if s.person.user_id == user.pk]
    live = meeting.status != MeetingStatus.CANCELLED
    context = {
        "meeting": meeting, "when": meeting_when(meeting), "agenda_rows": _agenda_rows(
            meeting, quorum), "quorum": quorum, "minutes": minutes,
        "can_manage": manage, "can_write_minutes": write,
        "agenda_open": manage and meeting.status in (MeetingStatus.SCHEDULED,
                                                     MeetingStatus.AGENDA_PUBLISHED),
        "can_declare": live and items and (manage or bool(own_seats)),
        "own_seat_ids": {s.pk for s in own_seats},
        "attendance": sorted(meeting.attendance.all(),
                             key=lambda a: (a.seat.role != "chair", a.seat.person.name)),
        "conflicts": [c for item in items for c in item.conflicts.all()],
        "panels": meeting_panels(user=user, meeting=meeting),
        "started": meeting.starts_at <= dt.datetime.now(dt.UTC),
    }  # fmt: skip
    if manage and live:
        context["document_form"] = given.get("document_form") or DocumentForm(meeting=meeting)
    if write and minutes is not None and minutes.status == "circulated":
        context["approve_form"] = given.get("approve_form") or ApproveForm(
            meeting=meeting, initial={"version": minutes.version}
        )
    return context


@login_required
def meeting_detail_view(request, pk):
    meeting = meeting_detail(user=request.user, pk=pk)
    return render(request, "governance/meeting_detail.html", _meeting_context(request, meeting))


@login_required
def meeting_history_view(request, pk):
    meeting = meeting_detail(user=request.user, pk=pk)
    return render(request, "governance/meeting_history.html",
                  {"meeting": meeting, "entries": meeting_history(meeting),
                   "what": _("The meeting")})  # fmt: skip


# --- agenda ----------------------------------------------------------------------------------


def _item_of(meeting, item_pk):
    item = next((i for i in meeting.agenda.all() if i.pk == item_pk), None)
    if item is None:
        raise Http404
    return item


@login_required
def agenda_item_create_view(request, pk):
    meeting = _manageable(request, pk)
    form = AgendaItemForm(request.POST or None, meeting=meeting, user=request.user,
                          initial={"key_issue": request.GET.get("key_issue") or None})  # fmt: skip
    if request.method == "POST" and form.is_valid():
        saved = save_form(form, lambda: services.agenda_item_add(
            actor=request.user, meeting=meeting, **form.service_kwargs()))  # fmt: skip
        if saved.ok:
            messages.success(request, _("Item added to the agenda."))
            return redirect(f"{meeting.get_absolute_url()}#agenda")
    status = 400 if request.method == "POST" else 200
    return render(request, "governance/meeting_item_form.html",
                  {"form": form, "meeting": meeting, "item": None}, status=status)  # fmt: skip


@login_required
def agenda_item_edit_view(request, pk, item_pk):
    meeting = _manageable(request, pk)
    item = _item_of(meeting, item_pk)
    form = AgendaItemForm(request.POST or None, meeting=meeting, user=request.user, item=item)
    saved = None
    if request.method == "POST" and form.is_valid():
        saved = save_form(form, lambda: services.agenda_item_update(
            actor=request.user, item=item, version=form.cleaned_data.get("version"),
            changes=form.service_kwargs()))  # fmt: skip
        if saved.ok:
            messages.success(request, _("Agenda item saved."))
            return redirect(f"{meeting.get_absolute_url()}#agenda")
    status = 200 if request.method == "GET" else (saved.status if saved and saved.current
                                                  else 400)  # fmt: skip
    return render(request, "governance/meeting_item_form.html",
                  {"form": form, "meeting": meeting, "item": item,
                   "current": saved.current if saved else None}, status=status)  # fmt: skip


@login_required
@require_POST
def agenda_item_move_view(request, pk, item_pk):
    meeting = _manageable(request, pk)
    item = _item_of(meeting, item_pk)
    try:
        services.agenda_item_move(actor=request.user, item=item,
                                  direction=request.POST.get("direction", ""))  # fmt: skip
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    if getattr(request, "htmx", False):
        fresh = meeting_detail(user=request.user, pk=pk)
        return render(request, "governance/partials/agenda_list.html",
                      _meeting_context(request, fresh))  # fmt: skip
    return redirect(f"{meeting.get_absolute_url()}#agenda")


@login_required
@require_POST
def agenda_item_remove_view(request, pk, item_pk):
    meeting = _manageable(request, pk)
    item = _item_of(meeting, item_pk)
    try:
        services.agenda_item_remove(actor=request.user, item=item)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Item taken off the agenda."))
    return redirect(f"{meeting.get_absolute_url()}#agenda")


# --- papers ----------------------------------------------------------------------------------


@login_required
@require_POST
def document_add_view(request, pk):
    meeting = _manageable(request, pk)
    form = DocumentForm(request.POST, request.FILES, meeting=meeting)
    if form.is_valid():
        saved = save_form(form, lambda: services.meeting_document_add(
            actor=request.user, meeting=meeting, upload=form.cleaned_data["file"],
            title=form.cleaned_data.get("title", ""), agenda_item=form.chosen_item()))  # fmt: skip
        if saved.ok:
            messages.success(request, _("Paper attached."))
            return redirect(f"{meeting.get_absolute_url()}#documents")
    fresh = meeting_detail(user=request.user, pk=pk)
    return render(request, "governance/meeting_detail.html",
                  _meeting_context(request, fresh, document_form=form), status=400)  # fmt: skip


@login_required
def document_download_view(request, pk):
    """Who may read the meeting may download its papers: always as a download, with the type
    found when the file was checked, so a browser never renders an uploaded file as a page."""
    document = meeting_document_detail(user=request.user, pk=pk)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=document.original_name,
                            content_type=document.content_type)  # fmt: skip
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=0"
    return response


@login_required
@require_POST
def document_remove_view(request, pk):
    document = meeting_document_detail(user=request.user, pk=pk)
    meeting = document.meeting
    if not can(request.user, "governance.manage_meetings", meeting.body):
        raise PermissionDenied
    try:
        services.meeting_document_remove(actor=request.user, document=document)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Paper removed."))
    return redirect(f"{meeting.get_absolute_url()}#documents")


# --- attendance and conflicts ----------------------------------------------------------------


@login_required
def attendance_view(request, pk):
    """One form for every seat of the body current on the meeting's day."""
    meeting = _manageable(request, pk)
    seats = seats_on_day(meeting)
    form = AttendanceForm(request.POST or None, meeting=meeting, seats=seats)
    if request.method == "POST" and form.is_valid():
        saved = save_form(form, lambda: services.attendance_record(
            actor=request.user, meeting=meeting, entries=form.entries()))  # fmt: skip
        if saved.ok:
            messages.success(request, _("Attendance recorded."))
            return redirect(f"{meeting.get_absolute_url()}#attendance")
    status = 400 if request.method == "POST" else 200
    return render(request, "governance/meeting_attendance.html",
                  {"form": form, "meeting": meeting}, status=status)  # fmt: skip


@login_required
def conflict_declare_view(request, pk):
    """Declare a conflict of interest: a member for their own seat, an officer for anyone."""
    meeting = meeting_detail(user=request.user, pk=pk)
    body = meeting.body
    if not can(request.user, "governance.declare_conflict", body):
        raise PermissionDenied
    seats = seats_on_day(meeting)
    if not can(request.user, "governance.manage_meetings", body):
        seats = [s for s in seats if s.person.user_id == request.user.pk]
        if not seats:
            raise PermissionDenied
    initial = {"agenda_item": request.GET.get("item", "")}
    form = ConflictForm(request.POST or None, meeting=meeting, seats=seats, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = save_form(form, lambda: services.conflict_declare(
            actor=request.user, agenda_item=form.chosen_item(), seat=form.chosen_seat(),
            nature=form.cleaned_data["nature"]))  # fmt: skip
        if saved.ok:
            messages.success(request, _("Conflict of interest declared; the member is recused "
                                        "from the item."))  # fmt: skip
            return redirect(f"{meeting.get_absolute_url()}#conflicts")
    status = 400 if request.method == "POST" else 200
    return render(request, "governance/meeting_conflict_form.html",
                  {"form": form, "meeting": meeting}, status=status)  # fmt: skip


@login_required
@require_POST
def conflict_withdraw_view(request, pk, conflict_pk):
    meeting = meeting_detail(user=request.user, pk=pk)
    conflict = next((c for i in meeting.agenda.all() for c in i.conflicts.all()
                     if c.pk == conflict_pk), None)  # fmt: skip
    if conflict is None:
        raise Http404
    try:
        services.conflict_withdraw(actor=request.user, conflict=conflict)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Declaration withdrawn."))
    return redirect(f"{meeting.get_absolute_url()}#conflicts")


# --- minutes ---------------------------------------------------------------------------------


@login_required
def minutes_edit_view(request, pk):
    meeting = _manageable(request, pk, "governance.write_minutes")
    minutes = meeting.minutes_record
    if minutes is not None and minutes.locked:
        messages.info(request, _("Approved minutes are locked."))
        return redirect(f"{meeting.get_absolute_url()}#minutes")
    initial = {"text": minutes.text, "version": minutes.version} if minutes else {}
    form = MinutesForm(request.POST or None, initial=initial)
    saved = None
    if request.method == "POST" and form.is_valid():
        saved = save_form(form, lambda: services.minutes_save(
            actor=request.user, meeting=meeting, text=form.cleaned_data["text"],
            version=form.cleaned_data.get("version")))  # fmt: skip
        if saved.ok:
            messages.success(request, _("Minutes saved."))
            return redirect(f"{meeting.get_absolute_url()}#minutes")
    status = 200 if request.method == "GET" else (saved.status if saved and saved.current
                                                  else 400)  # fmt: skip
    return render(request, "governance/minutes_form.html",
                  {"form": form, "meeting": meeting, "minutes": minutes,
                   "current": saved.current if saved else None}, status=status)  # fmt: skip


def _minutes_of(request, pk):
    meeting = _manageable(request, pk, "governance.write_minutes")
    if meeting.minutes_record is None:
        raise Http404
    return meeting, meeting.minutes_record


@login_required
@require_POST
def minutes_circulate_view(request, pk):
    meeting, minutes = _minutes_of(request, pk)
    try:
        services.minutes_circulate(actor=request.user, minutes=minutes,
                                   version=posted_version(request.POST.get("version")))  # fmt: skip
    except ConflictError:
        messages.error(request, _("Someone changed the minutes meanwhile; look at them again."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Minutes circulated to the members for approval."))
    return redirect(f"{meeting.get_absolute_url()}#minutes")


@login_required
@require_POST
def minutes_approve_view(request, pk):
    meeting, minutes = _minutes_of(request, pk)
    form = ApproveForm(request.POST, meeting=meeting)
    saved = None
    if form.is_valid():
        data = form.cleaned_data
        saved = save_form(form, lambda: services.minutes_approve(
            actor=request.user, minutes=minutes, version=data.get("version"),
            at_meeting=data["approved_at_meeting"]))  # fmt: skip
        if saved.ok:
            messages.success(request, _("Minutes approved; they are now locked."))
            return redirect(f"{meeting.get_absolute_url()}#minutes")
    fresh = meeting_detail(user=request.user, pk=pk)
    status = saved.status if saved is not None and saved.current is not None else 400
    return render(request, "governance/meeting_detail.html",
                  _meeting_context(request, fresh, approve_form=form), status=status)  # fmt: skip


@login_required
def minutes_history_view(request, pk):
    meeting = meeting_detail(user=request.user, pk=pk)
    return render(request, "governance/meeting_history.html",
                  {"meeting": meeting, "entries": minutes_history(meeting.minutes_record),
                   "what": _("The minutes")})  # fmt: skip


# --- calendars -------------------------------------------------------------------------------


def _ics_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, max-age=0"
    return response


@login_required
def meeting_ics_view(request, pk):
    meeting = meeting_detail(user=request.user, pk=pk)
    link = request.build_absolute_uri(meeting.get_absolute_url())
    return _ics_response(meeting_ical(meeting, link=link), f"meeting-{meeting.pk}.ics")


def body_feed_view(request, slug):
    """A body's meetings from a year ago on, as the reader may see them (a members-only body's
    feed holds something only for its members). Calendar apps subscribe with the reader's
    personal ``key`` (``ical.feed_key``), since they cannot sign in; in a browser the session
    does; without either, the sign-in page. A wrong or revoked key is a 404."""
    key = request.GET.get("key", "")
    if key:
        reader = user_for_feed_key(key)
        if reader is None:
            raise Http404
    elif request.user.is_authenticated:
        reader = request.user
    else:
        return redirect_to_login(request.get_full_path())
    body = Body.objects.visible_to(reader).filter(slug=slug).first()
    if body is None:
        raise Http404
    qs = feed_window(meetings_visible_to(reader).filter(body=body, archived_at__isnull=True))
    qs = qs.select_related("body")
    base = request.build_absolute_uri(reverse("governance:meeting_detail", args=[0]))
    return _ics_response(
        body_feed_ical(body, qs, link_for=lambda m: base.replace("/0/", f"/{m.pk}/")),
        f"{body.slug}-meetings.ics",
    )  # fmt: skip


urlpatterns = [
    path("governance/meetings/", meeting_list_view, name="meeting_list"),
    path("governance/meetings/export.<str:fmt>", meeting_export, name="meeting_export"),
    path("governance/meetings/new/", meeting_create_view, name="meeting_create"),
    path("governance/meetings/<int:pk>/", meeting_detail_view, name="meeting_detail"),
    path("governance/meetings/<int:pk>.ics", meeting_ics_view, name="meeting_ics"),
    path("governance/meetings/<int:pk>/edit/", meeting_edit_view, name="meeting_edit"),
    path("governance/meetings/<int:pk>/publish/", meeting_publish_view, name="meeting_publish"),
    path("governance/meetings/<int:pk>/held/", meeting_held_view, name="meeting_held"),
    path("governance/meetings/<int:pk>/cancel/", meeting_cancel_view, name="meeting_cancel"),
    path("governance/meetings/<int:pk>/archive/", meeting_archive_view, name="meeting_archive"),
    path("governance/meetings/<int:pk>/history/", meeting_history_view, name="meeting_history"),
    path("governance/meetings/<int:pk>/agenda/new/", agenda_item_create_view,
         name="agenda_item_create"),
    path("governance/meetings/<int:pk>/agenda/<int:item_pk>/edit/", agenda_item_edit_view,
         name="agenda_item_edit"),
    path("governance/meetings/<int:pk>/agenda/<int:item_pk>/move/", agenda_item_move_view,
         name="agenda_item_move"),
    path("governance/meetings/<int:pk>/agenda/<int:item_pk>/remove/", agenda_item_remove_view,
         name="agenda_item_remove"),
    path("governance/meetings/<int:pk>/documents/", document_add_view,
         name="meeting_document_add"),
    path("governance/meetings/documents/<int:pk>/", document_download_view,
         name="meeting_document"),
    path("governance/meetings/documents/<int:pk>/remove/", document_remove_view,
         name="meeting_document_remove"),
    path("governance/meetings/<int:pk>/attendance/", attendance_view, name="meeting_attendance"),
    path("governance/meetings/<int:pk>/conflicts/", conflict_declare_view,
         name="conflict_declare"),
    path("governance/meetings/<int:pk>/conflicts/<int:conflict_pk>/withdraw/",
         conflict_withdraw_view, name="conflict_withdraw"),
    path("governance/meetings/<int:pk>/minutes/", minutes_edit_view, name="minutes_edit"),
    path("governance/meetings/<int:pk>/minutes/circulate/", minutes_circulate_view,
         name="minutes_circulate"),
    path("governance/meetings/<int:pk>/minutes/approve/", minutes_approve_view,
         name="minutes_approve"),
    path("governance/meetings/<int:pk>/minutes/history/", minutes_history_view,
         name="minutes_history"),
    path("governance/bodies/<slug:slug>/meetings.ics", body_feed_view, name="body_feed"),
]  # fmt: skip
