"""Most significant change (issue 6).

Stories of change are collected from landscapes, each told by a storyteller with why they find
the change significant. A **selection round** gives a panel (for instance the Landscape Leaders
Advisory Group) the stories of a period and a domain of change; the panel selects the most
significant and records why. Selected stories whose storyteller consented to publication are
what communications may use.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from wagtail.search import index

from landhub.core.models import (
    ArchivableModel,
    TimeStampedModel,
    VersionedModel,
    Visibility,
    VisibleQuerySet,
)

from .outcomes import TAG_VOCABULARIES


class ChangeDomain(models.TextChoices):
    """The domains of change stories are asked about (MSC's "domains of change")."""

    PEOPLES_LIVES = "peoples_lives", _("Changes in people's lives and livelihoods")
    LAND_AND_NATURE = "land_and_nature", _("Changes in land, water and nature")
    COLLABORATION = "collaboration", _("Changes in how people work together")
    INSTITUTIONS = "institutions", _("Changes in policies and institutions")
    MARKETS_AND_FINANCE = "markets_and_finance", _("Changes in markets and finance")
    OTHER = "other", _("Any other change")


class Consent(models.TextChoices):
    NOT_ASKED = "not_asked", _("Not asked yet")
    INTERNAL = "internal", _("Within the hub only")
    ANONYMOUS = "anonymous", _("May be published without the storyteller's name")
    NAMED = "named", _("May be published with the storyteller's name")
    REFUSED = "refused", _("Refused")


PUBLISHABLE_CONSENT = (Consent.ANONYMOUS, Consent.NAMED)


class Story(index.Indexed, TimeStampedModel, VersionedModel, ArchivableModel):
    """A story of change told in a landscape (most significant change)."""

    title = models.CharField(_("title"), max_length=200)
    landscape = models.ForeignKey(
        "directory.Landscape", on_delete=models.PROTECT, related_name="change_stories",
        verbose_name=_("landscape"),
    )  # fmt: skip
    storyteller = models.CharField(_("storyteller"), max_length=200)
    storyteller_role = models.CharField(
        _("storyteller's role"), max_length=200, blank=True,
        help_text=_("e.g. farmer, district officer, partnership coordinator."),
    )  # fmt: skip
    storyteller_person = models.ForeignKey(
        "directory.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("storyteller in the directory"),
    )  # fmt: skip
    domain = models.CharField(_("domain of change"), max_length=24,
                              choices=ChangeDomain.choices, db_index=True)  # fmt: skip
    told_on = models.DateField(_("told on"))
    language = models.CharField(_("language"), max_length=8, default="en")
    story = models.TextField(_("the story"), help_text=_("In the storyteller's words. Markdown."))
    why_significant = models.TextField(_("why the storyteller finds it significant"))
    consent = models.CharField(_("storyteller's consent"), max_length=12,
                               choices=Consent.choices, default=Consent.NOT_ASKED)  # fmt: skip
    consent_recorded_on = models.DateField(_("consent recorded on"), null=True, blank=True)
    consent_note = models.TextField(
        _("how consent was given"), blank=True,
        help_text=_("e.g. signed form kept by the landscape partnership, recorded verbally."),
    )  # fmt: skip
    outcomes = models.ManyToManyField(
        "mel.OutcomeStatement", blank=True, related_name="stories",
        verbose_name=_("related outcome statements"),
    )  # fmt: skip
    offerings = models.ManyToManyField(
        "coordination.Offering", blank=True, related_name="+",
        verbose_name=_("offerings it speaks of"),
    )  # fmt: skip
    tags = models.ManyToManyField(
        "directory.Term", blank=True, related_name="+", verbose_name=_("tags"),
        limit_choices_to={"vocabulary__in": TAG_VOCABULARIES},
    )  # fmt: skip
    # Set when a selection round selects the story; kept here so lists and communications
    # find selected stories without reading the rounds.
    selected_at = models.DateTimeField(_("selected"), null=True, blank=True, db_index=True)
    visibility = models.CharField(
        _("visibility"), max_length=16, choices=Visibility.choices, default=Visibility.NETWORK
    )
    collected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip

    objects = VisibleQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    search_fields = [
        index.SearchField("title", boost=3),
        index.SearchField("storyteller"),
        index.SearchField("story"),
        index.SearchField("why_significant"),
        index.AutocompleteField("title"),
        index.FilterField("domain"),
    ]

    class Meta:
        ordering = ["-told_on", "-id"]
        indexes = [models.Index(fields=["told_on", "id"], name="mel_story_told")]
        verbose_name = _("story of change")
        verbose_name_plural = _("stories of change")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("mel:story_detail", args=[self.pk])

    @property
    def publishable(self) -> bool:
        return self.consent in PUBLISHABLE_CONSENT

    @classmethod
    def restricted_q(cls, user) -> Q:
        """Restricted stories: who collected them and the members of their landscape."""
        from landhub.directory.models import LandscapeMembership

        return Q(collected_by=user) | Q(
            landscape__in=LandscapeMembership.objects.filter(person__user=user).values(
                "landscape_id"
            )
        )


class RoundStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class SelectionRound(TimeStampedModel, VersionedModel):
    """A panel reviews the stories of a period and domain and selects the most significant.

    ``panel`` holds the accounts that select; ``panel_name`` says which body they are (the
    governance app will link its bodies here).
    """

    title = models.CharField(_("title"), max_length=200)
    panel_name = models.CharField(
        _("panel"), max_length=200, help_text=_("e.g. Landscape Leaders Advisory Group.")
    )
    panel = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("panel members")
    )
    domain = models.CharField(_("domain of change"), max_length=24, choices=ChangeDomain.choices,
                              blank=True, help_text=_("Empty: every domain."))  # fmt: skip
    period_start = models.DateField(_("stories told from"))
    period_end = models.DateField(_("stories told until"))
    held_on = models.DateField(_("panel meets on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=RoundStatus.choices,
                              default=RoundStatus.OPEN)  # fmt: skip
    notes = models.TextField(_("notes of the discussion"), blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-period_end", "-id"]
        verbose_name = _("selection round")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("mel:round_detail", args=[self.pk])


class RoundStory(models.Model):
    """A story before a panel, and the panel's choice with its reason."""

    round = models.ForeignKey(SelectionRound, on_delete=models.CASCADE, related_name="entries")
    story = models.ForeignKey(Story, on_delete=models.PROTECT, related_name="round_entries")
    selected = models.BooleanField(_("selected"), default=False)
    reason = models.TextField(_("why the panel selected it"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "story"], name="mel_round_story_once"),
        ]

    def __str__(self) -> str:
        return f"{self.round_id} · {self.story_id}"
