"""Action items: what a decision or a meeting asks someone to do, by when.

Owners are a person (who is reminded and sees the item on "My hub") and/or an organization.
Reminders go out ``LANDHUB_GOVERNANCE_REMINDER_DAYS`` before the due date; overdue items show
on the owner's "My hub" and on the body's page.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from landhub.core.models import ArchivableModel, TimeStampedModel, VersionedModel

from .bodies import Body, BodyRecordQuerySet

__all__ = ["ActionItem", "ActionStatus", "OPEN_ACTION_STATUSES"]


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_ACTION_STATUSES = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)


class ActionItem(TimeStampedModel, VersionedModel, ArchivableModel):
    """Something to do, from a decision or a meeting of a body."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="actions")
    decision = models.ForeignKey("governance.Decision", on_delete=models.SET_NULL, null=True,
                                 blank=True, related_name="actions")  # fmt: skip
    meeting = models.ForeignKey("governance.Meeting", on_delete=models.SET_NULL, null=True,
                                blank=True, related_name="actions")  # fmt: skip
    title = models.CharField(_("what"), max_length=300)
    description = models.TextField(_("details"), blank=True)
    owner = models.ForeignKey("directory.Person", on_delete=models.PROTECT, null=True,
                              blank=True, related_name="governance_actions",
                              verbose_name=_("owner"))  # fmt: skip
    owner_organization = models.ForeignKey(
        "directory.Organization", on_delete=models.PROTECT, null=True, blank=True,
        related_name="governance_actions", verbose_name=_("owner organization"),
    )  # fmt: skip
    due_on = models.DateField(_("due"), db_index=True)
    status = models.CharField(_("status"), max_length=12, choices=ActionStatus.choices,
                              default=ActionStatus.OPEN)  # fmt: skip
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    reminded_on = models.DateField(_("last reminded"), null=True, blank=True)
    confidential = models.BooleanField(_("confidential"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")  # fmt: skip

    objects = BodyRecordQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["status", "due_on"], name="gov_action_due"),
            # The list's default order (soonest due first): walked, not sorted, for a page.
            models.Index(fields=["due_on", "id"], name="gov_action_due_on"),
        ]
        verbose_name = _("action item")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("governance:action_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_ACTION_STATUSES
