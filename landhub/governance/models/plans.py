"""The strategic plan and the scaling strategy.

A plan is a tree: goals → objectives → milestones, each with an owner, a target date, a status
and progress. A milestone tied to MEL indicators takes its progress **from the roll-ups**
against the indicators' targets (``governance.selectors.plans``), never from a typed number.
Plans have a version per year (``year``; ``previous`` is the version it revises), and the
scaling strategy is a plan of its own kind.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from landhub.core.models import (
    ArchivableModel,
    TimeStampedModel,
    VersionedModel,
    Visibility,
    VisibleQuerySet,
)

__all__ = [
    "ItemLevel",
    "ItemStatus",
    "MilestoneIndicator",
    "Plan",
    "PlanItem",
    "PlanKind",
    "PlanStatus",
]


class PlanKind(models.TextChoices):
    STRATEGIC = "strategic", _("Strategic plan")
    SCALING = "scaling", _("Scaling strategy")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ADOPTED = "adopted", pgettext_lazy("plan", "Adopted")
    SUPERSEDED = "superseded", _("Superseded")


class Plan(TimeStampedModel, VersionedModel, ArchivableModel):
    """One year's version of the strategic plan or of the scaling strategy."""

    kind = models.CharField(_("type"), max_length=12, choices=PlanKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True, help_text=_("Markdown."))
    status = models.CharField(_("status"), max_length=12, choices=PlanStatus.choices,
                              default=PlanStatus.DRAFT)  # fmt: skip
    body = models.ForeignKey("governance.Body", on_delete=models.PROTECT, null=True, blank=True,
                             related_name="plans", verbose_name=_("adopted by"))  # fmt: skip
    adopted_by_decision = models.ForeignKey(
        "governance.Decision", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("adopted by the decision"),
    )  # fmt: skip
    previous = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="revisions",
                                 verbose_name=_("revises the version of"))  # fmt: skip
    visibility = models.CharField(_("visibility"), max_length=16, choices=Visibility.choices,
                                  default=Visibility.NETWORK)  # fmt: skip
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")  # fmt: skip

    objects = VisibleQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["kind", "-year"]
        constraints = [models.UniqueConstraint(fields=["kind", "year"],
                                               name="gov_plan_one_version_a_year")]  # fmt: skip
        verbose_name = _("plan")

    def __str__(self) -> str:
        return f"{self.title} ({self.year})"

    def get_absolute_url(self) -> str:
        return reverse("governance:plan_detail", args=[self.pk])

    @classmethod
    def restricted_q(cls, user) -> Q:
        """A restricted plan is read by the members of the body that adopts it."""
        from .bodies import Seat

        return Q(body_id__in=Seat.objects.current().filter(person__user=user).values("body_id"))


class ItemLevel(models.TextChoices):
    GOAL = "goal", _("Goal")
    OBJECTIVE = "objective", _("Objective")
    MILESTONE = "milestone", _("Milestone")


# Which level sits under which: a goal holds objectives, an objective holds milestones.
CHILD_LEVEL = {ItemLevel.GOAL: ItemLevel.OBJECTIVE, ItemLevel.OBJECTIVE: ItemLevel.MILESTONE}


class ItemStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    OFF_TRACK = "off_track", _("Off track")
    DONE = "done", pgettext_lazy("plan item", "Done")


class PlanItem(TimeStampedModel, VersionedModel, ArchivableModel):
    """A goal, objective or milestone of a plan."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="items")
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True,
                               related_name="children")  # fmt: skip
    level = models.CharField(_("level"), max_length=12, choices=ItemLevel.choices)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    code = models.CharField(
        _("number"),
        max_length=20,
        blank=True,
        help_text=_("e.g. 1.2.3; numbered from the tree when empty."),
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    owner = models.ForeignKey("directory.Person", on_delete=models.SET_NULL, null=True,
                              blank=True, related_name="+", verbose_name=_("owner"))  # fmt: skip
    owner_organization = models.ForeignKey(
        "directory.Organization", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("owner organization"),
    )  # fmt: skip
    start_on = models.DateField(_("starts"), null=True, blank=True)
    target_on = models.DateField(_("target date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=ItemStatus.choices,
                              default=ItemStatus.NOT_STARTED)  # fmt: skip
    # Typed progress (0–100) for items not tied to indicators; ignored for a milestone tied to
    # indicators, whose progress is computed from the roll-ups.
    progress = models.PositiveSmallIntegerField(_("progress (%)"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["plan", "position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__isnull=True) | Q(progress__lte=100),
                                   name="gov_item_progress_percent"),
        ]  # fmt: skip
        verbose_name = _("plan item")

    def __str__(self) -> str:
        return f"{self.code} {self.title}".strip()

    def get_absolute_url(self) -> str:
        return reverse("governance:plan_detail", args=[self.plan_id]) + f"#item-{self.pk}"


class MilestoneIndicator(models.Model):
    """A milestone tied to a MEL indicator, at the whole initiative or one landscape: its
    progress is the indicator's progress toward its target there."""

    item = models.ForeignKey(PlanItem, on_delete=models.CASCADE, related_name="indicator_links")
    indicator = models.ForeignKey("mel.Indicator", on_delete=models.PROTECT, related_name="+")
    landscape = models.ForeignKey(
        "directory.Landscape", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        help_text=_("Empty: the whole initiative."),
    )  # fmt: skip

    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "indicator", "landscape"],
                                               name="gov_milestone_indicator_once")]  # fmt: skip
        verbose_name = _("indicator of a milestone")

    def __str__(self) -> str:
        return f"{self.item} ← {self.indicator}"
