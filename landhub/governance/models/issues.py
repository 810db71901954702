"""Key issues: a matter raised to a body for a decision, with its background, the options and
links to the evidence (MEL indicators and dashboards, outcome statements, any page of the hub).

raised → scheduled (on a meeting's agenda) → under deliberation → decided → closed.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from wagtail.search import index

from landhub.core.models import ArchivableModel, TimeStampedModel, VersionedModel

from .bodies import Body, BodyRecordQuerySet

__all__ = ["EvidenceLink", "IssueStatus", "KeyIssue", "Urgency"]


class Urgency(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")


class IssueStatus(models.TextChoices):
    RAISED = "raised", _("Raised")
    SCHEDULED = "scheduled", _("Scheduled")
    DELIBERATION = "deliberation", _("Under deliberation")
    DECIDED = "decided", _("Decided")
    CLOSED = "closed", _("Closed")


class KeyIssue(index.Indexed, TimeStampedModel, VersionedModel, ArchivableModel):
    """A matter a seat holder or hub staff raises for a body to decide."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="issues",
                             verbose_name=_("for the body"))  # fmt: skip
    title = models.CharField(_("title"), max_length=200)
    background = models.TextField(_("background"), help_text=_("Markdown."))
    options = models.TextField(_("options"), blank=True,
                               help_text=_("The options before the body. Markdown."))  # fmt: skip
    urgency = models.CharField(_("urgency"), max_length=8, choices=Urgency.choices,
                               default=Urgency.NORMAL)  # fmt: skip
    status = models.CharField(_("status"), max_length=12, choices=IssueStatus.choices,
                              default=IssueStatus.RAISED, db_index=True)  # fmt: skip
    confidential = models.BooleanField(
        _("confidential"), default=False,
        help_text=_("Only the body's members and hub staff may read it."),
    )  # fmt: skip
    plan_items = models.ManyToManyField("governance.PlanItem", blank=True, related_name="issues",
                                        verbose_name=_("plan items it concerns"))  # fmt: skip
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                  null=True, blank=True, related_name="+")  # fmt: skip
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    objects = BodyRecordQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    search_fields = [
        index.SearchField("title", boost=3),
        index.SearchField("background"),
        index.SearchField("options"),
        index.AutocompleteField("title"),
        index.FilterField("status"),
    ]

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["body", "status"], name="gov_issue_body_status"),
            # The register's default order (newest first): walked, not sorted, for a page.
            models.Index(fields=["created_at", "id"], name="gov_issue_created"),
        ]
        verbose_name = _("key issue")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("governance:issue_detail", args=[self.pk])


class EvidenceLink(models.Model):
    """A link from a key issue to evidence in the hub: an indicator's dashboard, an outcome
    statement, a value report … stored as the page's path (checked to be a page of the hub)
    with a label."""

    issue = models.ForeignKey(KeyIssue, on_delete=models.CASCADE, related_name="evidence")
    path = models.CharField(_("page of the hub"), max_length=500)
    label = models.CharField(_("label"), max_length=200)
    position = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["issue", "position", "id"]
        verbose_name = _("evidence link")

    def __str__(self) -> str:
        return self.label
