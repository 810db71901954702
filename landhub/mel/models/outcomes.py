"""Outcome harvesting and system change (issue 6).

- An **outcome statement** records a change in a *social actor* — an organization of the
  directory, or an actor named by type — in its behaviour, policy, practice, investment or
  relationships, where and when it happened, in which domain of the enabling environment, and
  how the initiative contributed. It goes draft → under review → substantiated → published.
- **Substantiation**: an independent person answers, through an e-mailed link and without an
  account, whether they agree with the statement and with the contribution claimed.
- A **change trail** follows one actor in one domain through the stages of system change
  (aware → committed → adopted → institutionalised → scaled); each step is backed by outcome
  statements or other evidence, so the hub can count, say, the financial institutions that
  moved from committed to adopted this year.
- A **contribution claim** argues that an offering or a partner contributed to an outcome, with
  its evidence, the alternative explanations weighed and a confidence level; the value report
  of the offering or partner shows it.
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

# The vocabularies outcome statements, stories and reflections are coded with.
TAG_VOCABULARIES = ("theme", "capability", "sdg", "ilm_element")


class ActorType(models.TextChoices):
    BUSINESS = "business", _("Business")
    FINANCIAL_INSTITUTION = "financial_institution", _("Financial institution")
    GOVERNMENT = "government", _("Government body")
    CIVIL_SOCIETY = "civil_society", _("Civil society organization")
    COMMUNITY = "community", _("Community")
    LANDSCAPE_PARTNERSHIP = "landscape_partnership", _("Landscape partnership")


class Domain(models.TextChoices):
    """Where in the enabling environment the change happened."""

    BUSINESS_PRACTICES = "business_practices", _("Business practices")
    FINANCIAL_SECTOR = "financial_sector", _("Financial sector")
    GOVERNMENT_POLICY = "government_policy", _("Government policy")
    OTHER_INSTITUTIONS = "other_institutions", _("Other institutions")
    WITHIN_LANDSCAPE = "within_landscape", _("Within a landscape")


class ChangeType(models.TextChoices):
    BEHAVIOUR = "behaviour", _("Behaviour")
    POLICY = "policy", _("Policy")
    PRACTICE = "practice", _("Practice")
    INVESTMENT = "investment", _("Investment")
    RELATIONSHIPS = "relationships", _("Relationships")


class Effect(models.TextChoices):
    POSITIVE = "positive", _("Positive")
    NEGATIVE = "negative", _("Negative")


class Significance(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class OutcomeStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    UNDER_REVIEW = "under_review", _("Under review")
    SUBSTANTIATED = "substantiated", _("Substantiated")
    PUBLISHED = "published", _("Published")


class OutcomeQuerySet(VisibleQuerySet):
    pass


class OutcomeStatement(index.Indexed, TimeStampedModel, VersionedModel, ArchivableModel):
    """A change in a social actor that the initiative contributed to (outcome harvesting).

    The actor is ``actor_organization`` when it is in the directory, else ``actor_name``;
    ``actor_type`` is always set so outcomes can be counted by kind of actor. Where: the
    ``landscapes`` and ``countries`` it happened in, or ``is_global``.
    """

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(
        _("what changed"),
        help_text=_("Who changed what in their behaviour, policy, practice, investment or "
                    "relationships. Markdown."),
    )  # fmt: skip
    actor_organization = models.ForeignKey(
        "directory.Organization", on_delete=models.PROTECT, null=True, blank=True,
        related_name="outcomes_as_actor", verbose_name=_("social actor (directory)"),
    )  # fmt: skip
    actor_name = models.CharField(
        _("social actor"), max_length=200, blank=True,
        help_text=_("When the actor is not in the directory."),
    )  # fmt: skip
    actor_type = models.CharField(_("type of actor"), max_length=32, choices=ActorType.choices)
    change_type = models.CharField(_("type of change"), max_length=16, choices=ChangeType.choices)
    domain = models.CharField(_("domain"), max_length=32, choices=Domain.choices, db_index=True)
    occurred_on = models.DateField(_("when it happened"))
    is_global = models.BooleanField(_("global"), default=False)
    landscapes = models.ManyToManyField(
        "directory.Landscape", blank=True, related_name="outcomes", verbose_name=_("landscapes")
    )
    countries = models.ManyToManyField(
        "directory.Country", blank=True, related_name="+", verbose_name=_("countries")
    )
    intended = models.BooleanField(_("intended"), default=True)
    effect = models.CharField(
        _("positive or negative"), max_length=8, choices=Effect.choices, default=Effect.POSITIVE
    )
    significance_level = models.CharField(
        _("significance"), max_length=8, choices=Significance.choices, default=Significance.MEDIUM
    )
    significance = models.TextField(_("why it matters"), blank=True)
    contribution = models.TextField(
        _("contribution of the initiative"),
        help_text=_("How the partners, offerings and activities contributed. Markdown."),
    )  # fmt: skip
    contributing_partners = models.ManyToManyField(
        "directory.Organization", blank=True, related_name="outcome_contributions",
        verbose_name=_("contributing partners"),
    )  # fmt: skip
    offerings = models.ManyToManyField(
        "coordination.Offering", blank=True, related_name="+",
        verbose_name=_("contributing offerings"),
    )  # fmt: skip
    activities = models.ManyToManyField(
        "coordination.Activity", blank=True, related_name="+",
        verbose_name=_("contributing activities"),
    )  # fmt: skip
    tags = models.ManyToManyField(
        "directory.Term", blank=True, related_name="+", verbose_name=_("tags"),
        limit_choices_to={"vocabulary__in": TAG_VOCABULARIES},
    )  # fmt: skip
    status = models.CharField(
        _("status"), max_length=16, choices=OutcomeStatus.choices, default=OutcomeStatus.DRAFT,
    )  # fmt: skip
    visibility = models.CharField(
        _("visibility"), max_length=16, choices=Visibility.choices, default=Visibility.NETWORK,
        help_text=_("Who may read it once published; drafts are read by their author, the "
                    "reviewers and hub staff only."),
    )  # fmt: skip
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    review_comment = models.TextField(_("reviewer's comment"), blank=True)
    substantiated_at = models.DateTimeField(_("substantiated"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    objects = OutcomeQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    search_fields = [
        index.SearchField("title", boost=3),
        index.SearchField("actor_name", boost=2),
        index.SearchField("description"),
        index.SearchField("contribution"),
        index.AutocompleteField("title"),
        index.FilterField("status"),
        index.FilterField("domain"),
    ]

    class Meta:
        ordering = ["-occurred_on", "-id"]
        indexes = [
            models.Index(fields=["occurred_on", "id"], name="mel_outcome_occurred"),
            # The few restricted statements, which a reader's rule checks one by one: without
            # it the rule's list of them cost a scan of every statement, which PostgreSQL
            # charged to each lookup and so hashed every readable statement per offering of
            # the value overview (310 ms at scale 10; 26 ms with it).
            models.Index(
                fields=["id"], condition=Q(visibility="restricted"), name="mel_outcome_restricted"
            ),
            # Only the statements not yet published (the reviewers' queues, a status filter):
            # an index of every status made SQLite, which keeps no statistics, take
            # "published" for a rare value and read every published statement through it
            # before the page's other conditions — the claims list and the register's search
            # grew 1.9–2.6× from scale 1 to 10.
            models.Index(
                fields=["status"], condition=~Q(status="published"), name="mel_outcome_unpublished"
            ),
        ]
        verbose_name = _("outcome statement")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("mel:outcome_detail", args=[self.pk])

    @property
    def actor_label(self) -> str:
        return str(self.actor_organization) if self.actor_organization_id else self.actor_name

    @classmethod
    def restricted_q(cls, user) -> Q:
        """Restricted outcomes: their author and the members of their landscapes."""
        from landhub.directory.models import LandscapeMembership

        return Q(recorded_by=user) | Q(
            landscapes__in=LandscapeMembership.objects.filter(person__user=user).values(
                "landscape_id"
            )
        )


class Agreement(models.TextChoices):
    FULLY = "fully", _("Fully agree")
    PARTLY = "partly", _("Partly agree")
    DISAGREE = "disagree", _("Disagree")


class Substantiation(TimeStampedModel):
    """An independent person's view of an outcome statement, asked by an e-mailed link.

    The link carries a random secret; only its SHA-256 is stored (``token_hash``), so a copy of
    the database does not let anyone answer. It expires (``expires_at``) and takes one answer.
    """

    outcome = models.ForeignKey(
        OutcomeStatement, on_delete=models.CASCADE, related_name="substantiations"
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"))
    affiliation = models.CharField(
        _("organization and role"), max_length=200, blank=True,
        help_text=_("Why this person can judge the change independently."),
    )  # fmt: skip
    language = models.CharField(_("language"), max_length=8, default="en")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    expires_at = models.DateTimeField(_("link expires"))
    statement_agreement = models.CharField(
        _("agrees with the statement"), max_length=8, choices=Agreement.choices, blank=True
    )
    contribution_agreement = models.CharField(
        _("agrees with the contribution"), max_length=8, choices=Agreement.choices, blank=True
    )
    comment = models.TextField(_("comment"), blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at", "token_hash"])

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("substantiation")

    def __str__(self) -> str:
        return f"{self.outcome_id} · {self.name}"


class Stage(models.TextChoices):
    """The stages of system change, in order."""

    AWARE = "aware", _("Aware")
    COMMITTED = "committed", _("Committed")
    ADOPTED = "adopted", _("Adopted")
    INSTITUTIONALISED = "institutionalised", _("Institutionalised")
    SCALED = "scaled", _("Scaled")


STAGE_ORDER = {value: position for position, value in enumerate(Stage.values)}


def trail_sort_key(name: str) -> str:
    """How a trail's actor sorts in the list (``ChangeTrail.actor_sort``)."""
    return (name or "").strip().lower()[:200]


class ChangeTrail(TimeStampedModel, VersionedModel, ArchivableModel):
    """One actor's path through the stages of system change in one domain."""

    actor_organization = models.ForeignKey(
        "directory.Organization", on_delete=models.PROTECT, null=True, blank=True,
        related_name="change_trails", verbose_name=_("social actor (directory)"),
    )  # fmt: skip
    actor_name = models.CharField(_("social actor"), max_length=200, blank=True)
    actor_type = models.CharField(_("type of actor"), max_length=32, choices=ActorType.choices)
    domain = models.CharField(_("domain"), max_length=32, choices=Domain.choices)
    summary = models.TextField(_("summary"), blank=True)
    # The stage of the latest step, kept by the services so lists and counts need no subquery.
    current_stage = models.CharField(
        _("current stage"), max_length=20, choices=Stage.choices, blank=True
    )
    visibility = models.CharField(
        _("visibility"), max_length=16, choices=Visibility.choices, default=Visibility.NETWORK
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    # The actor's name as the trail list sorts it — the directory's name or the typed one, in
    # lower case —, kept by ``save`` and by a rename in the directory (``mel.signals``).
    # Sorting by the joined organization's name read and sorted every trail (PostgreSQL
    # hashed all 40,000 organizations for a page of 25 at scale 10); this column's index
    # gives the page directly.
    actor_sort = models.CharField(max_length=200, blank=True, default="", editable=False)

    objects = VisibleQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at", "actor_sort"])

    class Meta:
        ordering = ["actor_name", "id"]
        indexes = [models.Index(fields=["actor_sort", "id"], name="mel_trail_actor_sort")]
        constraints = [
            models.UniqueConstraint(
                fields=["actor_organization", "domain"],
                condition=Q(actor_organization__isnull=False),
                name="mel_trail_one_per_org_domain",
            ),
            models.UniqueConstraint(
                fields=["actor_name", "domain"],
                condition=Q(actor_organization__isnull=True),
                name="mel_trail_one_per_name_domain",
            ),
        ]
        verbose_name = _("system change trail")

    def __str__(self) -> str:
        return f"{self.actor_label} · {self.get_domain_display()}"

    def get_absolute_url(self) -> str:
        return reverse("mel:trail_detail", args=[self.pk])

    @property
    def actor_label(self) -> str:
        return str(self.actor_organization) if self.actor_organization_id else self.actor_name

    def save(self, *args, **kwargs):
        self.actor_sort = trail_sort_key(self.actor_label)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"actor_organization", "actor_name"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "actor_sort"}
        super().save(*args, **kwargs)

    @classmethod
    def restricted_q(cls, user) -> Q:
        return Q(recorded_by=user)


class ChangeStep(TimeStampedModel):
    """A stage reached on a trail, on a date, backed by outcome statements or evidence."""

    trail = models.ForeignKey(ChangeTrail, on_delete=models.CASCADE, related_name="steps")
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    reached_on = models.DateField(_("reached on"))
    outcomes = models.ManyToManyField(
        OutcomeStatement, blank=True, related_name="change_steps",
        verbose_name=_("backed by outcome statements"),
    )  # fmt: skip
    evidence = models.TextField(_("other evidence"), blank=True)
    evidence_url = models.URLField(_("evidence link"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["reached_on", "id"]
        indexes = [models.Index(fields=["stage", "reached_on"], name="mel_step_stage_date")]
        verbose_name = _("system change step")

    def __str__(self) -> str:
        return f"{self.trail_id} · {self.stage} · {self.reached_on}"


class Confidence(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class ContributionClaim(TimeStampedModel, VersionedModel, ArchivableModel):
    """That an offering or a partner contributed to an outcome, and how sure the hub is.

    Exactly one of ``offering`` and ``partner`` is set (a partner's claim covers its work
    beyond any one offering).
    """

    outcome = models.ForeignKey(
        OutcomeStatement, on_delete=models.PROTECT, related_name="contribution_claims"
    )
    offering = models.ForeignKey(
        "coordination.Offering", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("offering"),
    )  # fmt: skip
    partner = models.ForeignKey(
        "directory.Organization", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("partner"),
    )  # fmt: skip
    claim = models.TextField(_("the claim"), help_text=_("How it contributed. Markdown."))
    evidence = models.TextField(_("evidence"))
    evidence_url = models.URLField(_("evidence link"), blank=True)
    confidence = models.CharField(_("confidence"), max_length=8, choices=Confidence.choices)
    confidence_reason = models.TextField(_("why this confidence"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-created_at", "-id"]
        # The list's default order: walked newest first, it stops at a page.
        indexes = [models.Index(fields=["created_at", "id"], name="mel_claim_created")]
        constraints = [
            models.CheckConstraint(
                condition=Q(offering__isnull=False, partner__isnull=True)
                | Q(offering__isnull=True, partner__isnull=False),
                name="mel_claim_offering_or_partner",
            ),
        ]
        verbose_name = _("contribution claim")

    def __str__(self) -> str:
        return f"{self.offering or self.partner} → {self.outcome}"

    def get_absolute_url(self) -> str:
        return reverse("mel:claim_detail", args=[self.pk])


class Plausibility(models.TextChoices):
    RULED_OUT = "ruled_out", _("Ruled out")
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class AlternativeExplanation(models.Model):
    """Another reason the outcome may have happened, and how plausible it is."""

    claim = models.ForeignKey(
        ContributionClaim, on_delete=models.CASCADE, related_name="alternatives"
    )
    explanation = models.TextField(_("alternative explanation"))
    plausibility = models.CharField(_("plausibility"), max_length=10,
                                    choices=Plausibility.choices)  # fmt: skip
    reasoning = models.TextField(_("reasoning"), blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("alternative explanation")

    def __str__(self) -> str:
        return self.explanation[:80]
