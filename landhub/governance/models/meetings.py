"""Meetings of a body: agenda, attendance with quorum, conflict-of-interest declarations and
minutes.

Times are stored in UTC with the meeting's own time zone kept beside them (the organizer's
zone, for the invitation's wording); every member sees them in their own zone. Minutes are
written in Markdown, circulated, and approved at a later meeting; once approved they are
locked, and their history keeps every draft.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from landhub.core.models import ArchivableModel, TimeStampedModel, VersionedModel

from .bodies import Body, BodyRecordQuerySet, Seat

__all__ = [
    "AgendaItem",
    "AgendaKind",
    "Attendance",
    "AttendanceStatus",
    "ConflictDeclaration",
    "Meeting",
    "MeetingDocument",
    "MeetingStatus",
    "Minutes",
    "MinutesStatus",
]


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    AGENDA_PUBLISHED = "agenda", _("Agenda published")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class Meeting(TimeStampedModel, VersionedModel, ArchivableModel):
    """A meeting of a body, in person or by video."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="meetings")
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts"), db_index=True)
    ends_at = models.DateTimeField(_("ends"))
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC")
    place = models.CharField(_("place"), max_length=300, blank=True)
    video_url = models.URLField(_("video link"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=MeetingStatus.choices,
                              default=MeetingStatus.SCHEDULED)  # fmt: skip
    confidential = models.BooleanField(_("confidential"), default=False)
    notes = models.TextField(_("notes for the members"), blank=True)
    # iCalendar: the same UID for every version of the invitation; SEQUENCE goes up with each
    # change of time or place so calendars replace the event instead of adding a second one.
    ical_uid = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    ical_sequence = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")  # fmt: skip

    objects = BodyRecordQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-starts_at", "-id"]
        # The register's default order: the database walks it and stops after the page.
        indexes = [models.Index(fields=["starts_at", "id"], name="gov_meeting_starts")]
        constraints = [models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")),
                                              name="gov_meeting_ends_after_start")]  # fmt: skip
        verbose_name = _("meeting")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("governance:meeting_detail", args=[self.pk])


class AgendaKind(models.TextChoices):
    INFORMATION = "information", _("For information")
    DISCUSSION = "discussion", _("For discussion")
    DECISION = "decision", _("For decision")


class AgendaItem(TimeStampedModel, VersionedModel):
    """One item of a meeting's agenda: linked to a key issue or free."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("type"), max_length=12, choices=AgendaKind.choices,
                            default=AgendaKind.DISCUSSION)  # fmt: skip
    key_issue = models.ForeignKey(
        "governance.KeyIssue", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="agenda_items", verbose_name=_("key issue"),
    )  # fmt: skip
    presenter = models.ForeignKey("directory.Person", on_delete=models.SET_NULL, null=True,
                                  blank=True, related_name="+",
                                  verbose_name=_("presenter"))  # fmt: skip
    minutes_allotted = models.PositiveSmallIntegerField(
        _("minutes allotted"), null=True, blank=True
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["meeting", "position", "id"]
        verbose_name = _("agenda item")

    def __str__(self) -> str:
        return self.title


def document_storage():
    """Meeting papers are served only through a view that checks who may read the meeting:
    the private ``attachments`` storage, never a public URL."""
    from django.core.files.storage import storages

    return storages["attachments"]


class MeetingDocument(TimeStampedModel):
    """A paper for a meeting (or for one item of its agenda), kept in private storage and
    downloaded only by those who may read the meeting."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="documents")
    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.SET_NULL, null=True,
                                    blank=True, related_name="documents")  # fmt: skip
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), storage=document_storage, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=120)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+")  # fmt: skip

    class Meta:
        ordering = ["meeting", "title", "id"]
        verbose_name = _("meeting document")

    def __str__(self) -> str:
        return self.title


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    APOLOGIES = "apologies", _("Apologies")
    ABSENT = "absent", _("Absent")


class Attendance(TimeStampedModel):
    """Whether a seat's holder attended; an absent principal may be represented by one of
    their alternates, who then counts for quorum and votes in their place."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    seat = models.ForeignKey(Seat, on_delete=models.PROTECT, related_name="attendance")
    status = models.CharField(_("attendance"), max_length=12, choices=AttendanceStatus.choices)
    represented_by = models.ForeignKey(
        Seat, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("alternate attending"),
    )  # fmt: skip

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "seat"],
                                               name="gov_attendance_once")]  # fmt: skip
        verbose_name = _("attendance")


class ConflictDeclaration(TimeStampedModel):
    """A member declares a conflict of interest on an agenda item (or on a decision taken by
    written procedure): they are recused from its vote and from its quorum."""

    seat = models.ForeignKey(Seat, on_delete=models.PROTECT, related_name="conflicts")
    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, null=True,
                                    blank=True, related_name="conflicts")  # fmt: skip
    decision = models.ForeignKey("governance.Decision", on_delete=models.CASCADE, null=True,
                                 blank=True, related_name="conflicts")  # fmt: skip
    nature = models.TextField(
        _("the interest"), help_text=_("What the interest is, in a sentence or two.")
    )
    declared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+")  # fmt: skip

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(agenda_item__isnull=False) | Q(decision__isnull=False),
                name="gov_conflict_on_something",
            ),
        ]  # fmt: skip
        verbose_name = _("conflict-of-interest declaration")


class MinutesStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    CIRCULATED = "circulated", _("Circulated for approval")
    APPROVED = "approved", _("Approved")


class Minutes(TimeStampedModel, VersionedModel):
    """The minutes of a meeting. Approved at a later meeting, then locked."""

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="minutes")
    text = models.TextField(_("minutes"), help_text=_("Markdown."))
    status = models.CharField(_("status"), max_length=12, choices=MinutesStatus.choices,
                              default=MinutesStatus.DRAFT)  # fmt: skip
    circulated_at = models.DateTimeField(_("circulated"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    approved_at_meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, null=True, blank=True, related_name="approved_minutes",
        verbose_name=_("approved at the meeting"),
    )  # fmt: skip
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")  # fmt: skip

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")

    @property
    def locked(self) -> bool:
        return self.status == MinutesStatus.APPROVED
