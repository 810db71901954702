"""Forms of meetings: the list's filters, scheduling (a local date and times read in the
meeting's own time zone), agenda items, papers, attendance (one form for every seat), a
conflict of interest, the minutes and their approval.

Forms parse and check shapes only; the rules are the services' (``services/meetings.py``),
whose refusals come back on the fields through ``core.forms.save_form``.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from landhub.core.forms import FastChoicesMixin, StyledFormMixin

from ..models import (
    AgendaKind,
    AttendanceStatus,
    Body,
    IssueStatus,
    KeyIssue,
    Meeting,
    MeetingStatus,
    SeatRole,
)
from ..rules import officer_body_ids
from ..selectors.meetings import meeting_years

WHEN_CHOICES = [("", _("Any time")), ("upcoming", _("Upcoming")), ("past", _("Past"))]


def _bound(args, kwargs) -> bool:
    """Whether the form is given data (views pass ``request.POST or None``)."""
    return (bool(args) and args[0] is not None) or kwargs.get("data") is not None


def _zone_choices():
    return [(z, z) for z in sorted(zoneinfo.available_timezones()) if "/" in z or z == "UTC"]


class MeetingFilterForm(FastChoicesMixin, StyledFormMixin, forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    body = forms.ChoiceField(label=_("Body"), required=False)
    when = forms.ChoiceField(label=_("When"), required=False, choices=WHEN_CHOICES)
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("Any status")), *MeetingStatus.choices])  # fmt: skip
    year = forms.ChoiceField(label=_("Year"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        bodies = Body.objects.visible_to(user).filter(archived_at__isnull=True)
        self.fields["body"].choices = [("", _("Every body")),
                                       *bodies.values_list("slug", "name")]  # fmt: skip
        self.fields["year"].choices = [("", _("Any year")),
                                       *[(str(y), str(y)) for y in meeting_years()]]  # fmt: skip
        self.use_fast_selects()


def manageable_bodies(user):
    """The bodies whose meetings ``user`` may schedule: hub staff all, officers theirs."""
    from landhub.core.access import is_hub_staff

    qs = Body.objects.filter(archived_at__isnull=True)
    if is_hub_staff(user):
        return qs
    return qs.filter(pk__in=officer_body_ids(user))


class MeetingForm(StyledFormMixin, forms.Form):
    """Schedule or change a meeting. The date and times are those of the place where it is
    held, in the time zone chosen here; everyone sees them in their own zone afterwards."""

    body = forms.ModelChoiceField(label=_("Body"), queryset=Body.objects.none())
    title = forms.CharField(label=_("Title"), max_length=200)
    day = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(label=_("Starts at"),
                                 widget=forms.TimeInput(attrs={"type": "time"}))  # fmt: skip
    end_time = forms.TimeField(
        label=_("Ends at"), widget=forms.TimeInput(attrs={"type": "time"}),
        help_text=_("An end before the start means the next day."),
    )  # fmt: skip
    time_zone = forms.ChoiceField(
        label=_("Time zone of these times"),
        help_text=_("Where the meeting is held, or the organizer's."),
    )  # fmt: skip
    place = forms.CharField(label=_("Place"), max_length=300, required=False)
    video_url = forms.URLField(label=_("Video link"), required=False, assume_scheme="https")
    confidential = forms.BooleanField(
        label=_("Confidential: for the body's members and hub staff only"), required=False
    )
    notes = forms.CharField(label=_("Notes for the members"), required=False,
                            widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user, meeting: Meeting | None = None, body: Body | None = None,
                 **kwargs):  # fmt: skip
        self.meeting = meeting
        if meeting is not None and not _bound(args, kwargs):
            kwargs.setdefault("initial", self._initial(meeting))
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = _zone_choices()
        if meeting is not None:
            del self.fields["body"]
        else:
            self.fields["body"].queryset = manageable_bodies(user)
            if body is not None:
                self.fields["body"].initial = body.pk
                self.fields["time_zone"].initial = body.time_zone
            else:
                self.fields["time_zone"].initial = "UTC"

    @staticmethod
    def _initial(meeting: Meeting) -> dict:
        zone = zoneinfo.ZoneInfo(meeting.time_zone)
        start = timezone.localtime(meeting.starts_at, zone)
        end = timezone.localtime(meeting.ends_at, zone)
        return {"title": meeting.title, "day": start.date(), "start_time": start.time(),
                "end_time": end.time(), "time_zone": meeting.time_zone, "place": meeting.place,
                "video_url": meeting.video_url, "confidential": meeting.confidential,
                "notes": meeting.notes, "version": meeting.version}  # fmt: skip

    def clean(self):
        data = super().clean()
        day, start, end, zone = (data.get(k) for k in ("day", "start_time", "end_time",
                                                       "time_zone"))  # fmt: skip
        if day and start and end and zone:
            tz = zoneinfo.ZoneInfo(zone)
            starts_at = dt.datetime.combine(day, start, tzinfo=tz)
            end_day = day if end > start else day + dt.timedelta(days=1)
            data["starts_at"] = starts_at.astimezone(dt.UTC)
            data["ends_at"] = dt.datetime.combine(end_day, end, tzinfo=tz).astimezone(dt.UTC)
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        keys = ("title", "starts_at", "ends_at", "time_zone", "place", "video_url",
                "confidential", "notes")  # fmt: skip
        values = {key: data[key] for key in keys}
        if self.meeting is None:
            values["body"] = data["body"]
        return values


class VersionForm(forms.Form):
    """A button that changes a record's status: only its version."""

    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class AgendaItemForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}),
                                  help_text=_("Markdown."))  # fmt: skip
    kind = forms.ChoiceField(label=_("Type"), choices=AgendaKind.choices,
                             initial=AgendaKind.DISCUSSION)  # fmt: skip
    key_issue = forms.ModelChoiceField(label=_("Key issue it takes up"), required=False,
                                       queryset=KeyIssue.objects.none())  # fmt: skip
    presenter = forms.ChoiceField(label=_("Presenter"), required=False)
    minutes_allotted = forms.IntegerField(label=_("Minutes allotted"), required=False,
                                          min_value=1, max_value=600)  # fmt: skip
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, meeting: Meeting, user, item=None, **kwargs):
        from ..services.meetings import meeting_day

        if item is not None and not _bound(args, kwargs):
            kwargs.setdefault("initial", {
                "title": item.title, "description": item.description, "kind": item.kind,
                "key_issue": item.key_issue_id, "presenter": item.presenter_id or "",
                "minutes_allotted": item.minutes_allotted, "version": item.version})  # fmt: skip
        super().__init__(*args, **kwargs)
        issues = KeyIssue.objects.visible_to(user).filter(
            body=meeting.body, archived_at__isnull=True
        )
        open_issues = issues.exclude(status__in=[IssueStatus.DECIDED, IssueStatus.CLOSED])
        if item is not None and item.key_issue_id:
            open_issues = issues.filter(pk=item.key_issue_id) | open_issues
        self.fields["key_issue"].queryset = open_issues.order_by("title")
        from ..models import Seat

        people = {s.person_id: s.person.name for s in Seat.objects.current(meeting_day(meeting))
                  .filter(body=meeting.body).select_related("person")}  # fmt: skip
        if item is not None and item.presenter_id and item.presenter_id not in people:
            people[item.presenter_id] = item.presenter.name
        people_sorted = sorted(people.items(), key=lambda p: p[1])
        self.fields["presenter"].choices = [("", _("Nobody in particular")), *people_sorted]

    def service_kwargs(self) -> dict:
        from landhub.directory.models import Person

        data = self.cleaned_data
        presenter = data.get("presenter")
        return {"title": data["title"], "description": data.get("description", ""),
                "kind": data["kind"], "key_issue": data.get("key_issue"),
                "presenter": Person.objects.filter(pk=presenter).first() if presenter else None,
                "minutes_allotted": data.get("minutes_allotted")}  # fmt: skip


class DocumentForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, required=False,
                            help_text=_("The file's name when left empty."))  # fmt: skip
    file = forms.FileField(label=_("File"),
                           help_text=_("PDF, office document, CSV, text, PNG or JPEG; up to "
                                       "20 MB."))  # fmt: skip
    agenda_item = forms.ChoiceField(label=_("For the item"), required=False)

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.fields["agenda_item"].choices = [
            ("", _("The whole meeting")),
            *[(str(i.pk), f"{n}. {i.title}") for n, i in enumerate(meeting.agenda.all(), 1)],
        ]

    def chosen_item(self):
        pk = self.cleaned_data.get("agenda_item")
        return next((i for i in self.meeting.agenda.all() if str(i.pk) == pk), None)


class AttendanceForm(StyledFormMixin, forms.Form):
    """One row per seat of the body current on the meeting's day: present / apologies /
    absent, and for a voting member the alternate attending in their place."""

    def __init__(self, *args, meeting: Meeting, seats, **kwargs):
        super().__init__(*args, **kwargs)
        recorded = {a.seat_id: a for a in meeting.attendance.all()}
        alternates: dict[int, list] = {}
        for seat in seats:
            if seat.role == SeatRole.ALTERNATE and seat.principal_id:
                alternates.setdefault(seat.principal_id, []).append(seat)
        self.rows = []
        for seat in seats:
            current = recorded.get(seat.pk)
            status_name, alternate_name = f"status_{seat.pk}", f"alternate_{seat.pk}"
            self.fields[status_name] = forms.ChoiceField(
                label=seat.person.name, required=False,
                choices=[("", _("Not recorded")), *AttendanceStatus.choices],
                initial=current.status if current else "",
            )  # fmt: skip
            row = {"seat": seat, "status": self[status_name], "alternate": None}
            if seat.has_vote and alternates.get(seat.pk):
                self.fields[alternate_name] = forms.ChoiceField(
                    label=_("Alternate attending for %(name)s") % {"name": seat.person.name},
                    required=False,
                    choices=[("", _("None")), *[(str(a.pk), a.person.name)
                                                for a in alternates[seat.pk]]],
                    initial=str(current.represented_by_id or "") if current else "",
                )  # fmt: skip
                row["alternate"] = self[alternate_name]
            self.rows.append(row)
        self.style_fields()
        self.seats = seats

    def entries(self) -> list[dict]:
        data = self.cleaned_data
        out = []
        for seat in self.seats:
            status = data.get(f"status_{seat.pk}")
            if not status:
                continue
            alternate = data.get(f"alternate_{seat.pk}") or ""
            represented_by = int(alternate) if alternate.isdigit() else None
            out.append({"seat": seat.pk, "status": status, "represented_by": represented_by})
        return out


class ConflictForm(StyledFormMixin, forms.Form):
    agenda_item = forms.ChoiceField(label=_("On the item"))
    seat = forms.ChoiceField(label=_("Member"))
    nature = forms.CharField(
        label=_("The interest"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What the interest is, in a sentence or two."),
    )  # fmt: skip

    def __init__(self, *args, meeting: Meeting, seats, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.seat_map = {str(s.pk): s for s in seats}
        self.fields["agenda_item"].choices = [
            (str(i.pk), f"{n}. {i.title}") for n, i in enumerate(meeting.agenda.all(), 1)
        ]
        self.fields["seat"].choices = [(k, f"{s.person.name} ({s.get_role_display()})")
                                       for k, s in self.seat_map.items()]  # fmt: skip
        if len(self.seat_map) == 1:
            self.fields["seat"].initial = next(iter(self.seat_map))

    def chosen_item(self):
        pk = self.cleaned_data.get("agenda_item")
        return next((i for i in self.meeting.agenda.all() if str(i.pk) == pk), None)

    def chosen_seat(self):
        return self.seat_map.get(self.cleaned_data.get("seat"))


class MinutesForm(StyledFormMixin, forms.Form):
    text = forms.CharField(
        label=_("Minutes"), max_length=200_000, widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_("Markdown: headings with #, lists with -, **bold**."),
    )  # fmt: skip
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ApproveForm(StyledFormMixin, forms.Form):
    approved_at_meeting = forms.ModelChoiceField(label=_("Approved at the meeting"),
                                                 queryset=Meeting.objects.none())  # fmt: skip
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["approved_at_meeting"].queryset = (
            Meeting.objects.filter(body_id=meeting.body_id, starts_at__gt=meeting.starts_at)
            .exclude(status=MeetingStatus.CANCELLED).order_by("starts_at")
        )  # fmt: skip
        self.fields["approved_at_meeting"].label_from_instance = lambda m: (
            f"{m.title} · {timezone.localtime(m.starts_at):%Y-%m-%d}"
        )
