"""The quantitative core of monitoring, evaluation and learning (issue 5).

- A **results framework** is a graph (a theory of change): nodes of five kinds joined by edges
  that carry their assumption and how strong the evidence for it is. The initiative has one;
  a landscape may have its own, whose nodes link to the initiative's.
- An **indicator** says what is measured and how values combine (``aggregation.py``): its
  measure, aggregation rule, cumulative mode and disaggregation schemes.
- An **assignment** gives an indicator to a scope (the initiative, a landscape, a partner) with
  a baseline and targets per period; **observations** are the values reported for a period,
  with their disaggregated parts, going draft → submitted → returned → approved.
- **Roll-ups** hold the approved values combined per period and level (landscape, country,
  region, initiative), so dashboards never add up observations.
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

from ..aggregation import Mode, Rule

DECIMAL = {"max_digits": 24, "decimal_places": 6, "null": True, "blank": True}


# --- Results framework -----------------------------------------------------------------------


class FrameworkStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class Framework(TimeStampedModel, VersionedModel, ArchivableModel):
    """A theory of change. ``landscape`` empty = the initiative's own framework."""

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown."))
    status = models.CharField(
        _("status"), max_length=16, choices=FrameworkStatus.choices,
        default=FrameworkStatus.DRAFT,
    )  # fmt: skip
    landscape = models.ForeignKey(
        "directory.Landscape", on_delete=models.PROTECT, null=True, blank=True,
        related_name="frameworks", verbose_name=_("landscape"),
    )  # fmt: skip
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children",
        verbose_name=_("linked to"), help_text=_("The initiative's framework this one feeds."),
    )  # fmt: skip
    template = models.CharField(_("started from"), max_length=40, blank=True)
    visibility = models.CharField(
        _("visibility"), max_length=16, choices=Visibility.choices, default=Visibility.NETWORK
    )

    objects = VisibleQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("mel:framework_detail", args=[self.slug])


class NodeKind(models.TextChoices):
    IMPACT = "impact", _("Impact")
    OUTCOME = "outcome", _("Outcome")
    OUTPUT = "output", _("Output")
    ACTIVITY = "activity", _("Activity")
    PRECONDITION = "precondition", _("Precondition")


class FrameworkNode(TimeStampedModel):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="nodes")
    kind = models.CharField(_("kind"), max_length=16, choices=NodeKind.choices)
    code = models.CharField(_("code"), max_length=20, help_text=_("Short label, e.g. O2."))
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    feeds = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="fed_by",
        verbose_name=_("feeds"), help_text=_("The node of the initiative's framework it serves."),
    )  # fmt: skip

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["framework", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="mel_node_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class EvidenceStrength(models.TextChoices):
    STRONG = "strong", _("Strong")
    MODERATE = "moderate", _("Moderate")
    WEAK = "weak", _("Weak")
    UNTESTED = "untested", _("Not yet tested")


class FrameworkEdge(TimeStampedModel):
    """``source`` contributes to ``target`` if ``assumption`` holds."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="edges")
    source = models.ForeignKey(FrameworkNode, on_delete=models.CASCADE, related_name="out_edges")
    target = models.ForeignKey(FrameworkNode, on_delete=models.CASCADE, related_name="in_edges")
    assumption = models.TextField(_("assumption"), blank=True)
    evidence = models.CharField(
        _("strength of evidence"), max_length=16, choices=EvidenceStrength.choices,
        default=EvidenceStrength.UNTESTED,
    )  # fmt: skip
    evidence_note = models.TextField(_("evidence"), blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "target"], name="mel_edge_unique"),
            models.CheckConstraint(
                condition=~Q(source=models.F("target")), name="mel_edge_no_loop"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source.code} → {self.target.code}"


# --- Indicators ------------------------------------------------------------------------------


class Measure(models.TextChoices):
    COUNT = "count", _("Count")
    PERCENTAGE = "percentage", _("Percentage (numerator and denominator)")
    CURRENCY = "currency", _("Amount of money")
    AREA = "area", _("Area (hectares)")
    RATIO = "ratio", _("Ratio (numerator and denominator)")
    ORDINAL = "ordinal", _("Scale with named levels")
    YES_NO = "yes_no", _("Yes or no")
    MILESTONE = "milestone", _("Milestone")


# Measures entered as two numbers; the value is derived (× 100 for a percentage).
FRACTION_MEASURES = {Measure.PERCENTAGE: 100, Measure.RATIO: 1}
MILESTONE_LEVELS = ["not started", "in progress", "achieved"]


class Direction(models.TextChoices):
    INCREASE = "increase", _("More is better")
    DECREASE = "decrease", _("Less is better")


class AggregationRule(models.TextChoices):
    SUM = Rule.SUM, _("Sum")
    AVERAGE = Rule.AVERAGE, _("Average")
    WEIGHTED_AVERAGE = Rule.WEIGHTED_AVERAGE, _("Weighted average (Σ numerators / Σ denominators)")
    LATEST = Rule.LATEST, _("Latest value")
    MIN = Rule.MIN, _("Minimum")
    MAX = Rule.MAX, _("Maximum")
    COUNT_MEETING = Rule.COUNT_MEETING, _("Count of scopes meeting a threshold")


class CumulativeMode(models.TextChoices):
    NON_CUMULATIVE = Mode.NON_CUMULATIVE, _("Non-cumulative: each period stands alone")
    CUMULATIVE = Mode.CUMULATIVE, _("Cumulative: periods add up to date")
    CUMULATIVE_NOT_SUMMED = (
        Mode.CUMULATIVE_NOT_SUMMED,
        _("Cumulative, not summed: each report is already the figure to date"),
    )


class Frequency(models.TextChoices):
    MONTHLY = "month", _("Monthly")
    QUARTERLY = "quarter", _("Quarterly")
    ANNUAL = "year", _("Annual")


class DisaggregationScheme(TimeStampedModel):
    """A way to split a value, e.g. sex (women, men, other) or age group."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class DisaggregationOption(models.Model):
    scheme = models.ForeignKey(
        DisaggregationScheme, on_delete=models.CASCADE, related_name="options"
    )
    label = models.CharField(_("label"), max_length=100)
    code = models.SlugField(_("code"), max_length=50)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["scheme", "position", "label"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "code"], name="mel_option_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.scheme.name}: {self.label}"


class Indicator(index.Indexed, TimeStampedModel, VersionedModel, ArchivableModel):
    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=300)
    definition = models.TextField(_("definition"), help_text=_("Markdown."))
    measure = models.CharField(_("measure"), max_length=16, choices=Measure.choices)
    unit = models.CharField(_("unit"), max_length=60, blank=True)
    currency = models.CharField(_("currency"), max_length=3, blank=True,
                                help_text=_("ISO 4217 code, for amounts of money."))  # fmt: skip
    levels = models.JSONField(
        _("levels"), default=list, blank=True,
        help_text=_("Names of the levels of a scale, lowest first."),
    )  # fmt: skip
    direction = models.CharField(
        _("direction of good change"), max_length=10, choices=Direction.choices,
        default=Direction.INCREASE,
    )  # fmt: skip
    aggregation = models.CharField(
        _("aggregation rule"), max_length=20, choices=AggregationRule.choices,
        default=AggregationRule.SUM,
    )  # fmt: skip
    cumulative_mode = models.CharField(
        _("cumulative mode"), max_length=24, choices=CumulativeMode.choices,
        default=CumulativeMode.NON_CUMULATIVE,
    )  # fmt: skip
    threshold = models.DecimalField(
        _("threshold"), **DECIMAL, help_text=_("For a count of scopes meeting a threshold.")
    )
    disaggregations = models.ManyToManyField(
        DisaggregationScheme, blank=True, related_name="indicators",
        verbose_name=_("disaggregations"),
    )  # fmt: skip
    data_source = models.TextField(_("data source"), blank=True)
    method = models.TextField(_("method of collection and calculation"), blank=True)
    frequency = models.CharField(
        _("frequency"), max_length=10, choices=Frequency.choices, default=Frequency.ANNUAL
    )
    sdg_code = models.CharField(_("SDG indicator"), max_length=20, blank=True)
    landscale_code = models.CharField(_("LandScale"), max_length=40, blank=True)
    four_returns = models.CharField(_("4 Returns"), max_length=20, blank=True)
    iati_code = models.CharField(_("IATI"), max_length=40, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    search_fields = [
        index.SearchField("code", boost=3),
        index.SearchField("name", boost=3),
        index.SearchField("definition"),
        index.AutocompleteField("name"),
    ]

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("mel:indicator_detail", args=[self.code])

    @property
    def scale(self) -> int:
        """× 100 for percentages: their value is derived from two numbers."""
        return FRACTION_MEASURES.get(self.measure, 1)

    @property
    def is_fraction(self) -> bool:
        return self.measure in FRACTION_MEASURES

    @property
    def lower_is_better(self) -> bool:
        return self.direction == Direction.DECREASE

    @property
    def level_names(self) -> list[str]:
        return MILESTONE_LEVELS if self.measure == Measure.MILESTONE else list(self.levels)


# --- Assignments, baselines and targets ------------------------------------------------------


class ScopeKind(models.TextChoices):
    INITIATIVE = "initiative", _("The initiative")
    LANDSCAPE = "landscape", _("A landscape")
    ORGANIZATION = "organization", _("A partner")


class IndicatorAssignment(TimeStampedModel, VersionedModel):
    """An indicator measured for one scope, with its baseline; targets hang below it."""

    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="assignments")
    node = models.ForeignKey(
        FrameworkNode, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="assignments", verbose_name=_("framework node"),
    )  # fmt: skip
    scope_kind = models.CharField(_("scope"), max_length=16, choices=ScopeKind.choices)
    landscape = models.ForeignKey(
        "directory.Landscape", on_delete=models.PROTECT, null=True, blank=True,
        related_name="indicator_assignments",
    )  # fmt: skip
    organization = models.ForeignKey(
        "directory.Organization", on_delete=models.PROTECT, null=True, blank=True,
        related_name="indicator_assignments",
    )  # fmt: skip
    baseline_value = models.DecimalField(_("baseline"), **DECIMAL)
    baseline_numerator = models.DecimalField(_("baseline numerator"), **DECIMAL)
    baseline_denominator = models.DecimalField(_("baseline denominator"), **DECIMAL)
    baseline_date = models.DateField(_("baseline date"), null=True, blank=True)
    baseline_source = models.CharField(_("baseline source"), max_length=300, blank=True)
    baseline_missing_reason = models.CharField(
        _("why there is no baseline"), max_length=300, blank=True
    )
    reporter = models.ForeignKey(
        "directory.Person", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("who reports"),
        help_text=_("Empty: the landscape's leaders and managers (or the partner's admins)."),
    )  # fmt: skip

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        constraints = [
            # Partial unique indexes, not NULLS NOT DISTINCT: SQLite has no such option.
            models.UniqueConstraint(fields=["indicator"], name="mel_assignment_initiative",
                                    condition=Q(scope_kind="initiative")),
            models.UniqueConstraint(fields=["indicator", "landscape"],
                                    name="mel_assignment_landscape",
                                    condition=Q(scope_kind="landscape")),
            models.UniqueConstraint(fields=["indicator", "organization"],
                                    name="mel_assignment_organization",
                                    condition=Q(scope_kind="organization")),
            models.CheckConstraint(
                name="mel_assignment_scope",
                condition=(
                    Q(scope_kind="initiative", landscape__isnull=True, organization__isnull=True)
                    | Q(scope_kind="landscape", landscape__isnull=False, organization__isnull=True)
                    | Q(scope_kind="organization", landscape__isnull=True,
                        organization__isnull=False)
                ),
            ),
        ]  # fmt: skip
        # The dashboards ask "is this indicator assigned to one of these nodes?" per indicator.
        indexes = [models.Index(fields=["indicator", "node"], name="mel_assignment_indicator_node")]

    def __str__(self) -> str:
        return f"{self.indicator.code} · {self.scope_label}"

    @property
    def scope_label(self) -> str:
        if self.landscape_id:
            return str(self.landscape)
        if self.organization_id:
            return str(self.organization)
        return str(_("The initiative"))


class PeriodKind(models.TextChoices):
    YEAR = "year", _("Year")
    QUARTER = "quarter", _("Quarter")
    MONTH = "month", _("Month")


class ReportingPeriod(TimeStampedModel, VersionedModel):
    """A period data is reported for, with its due date; a locked period takes no changes.
    Hub staff create them (``services.periods``); due-date changes and locks are kept in the
    history."""

    kind = models.CharField(_("kind"), max_length=10, choices=PeriodKind.choices)
    label = models.CharField(_("label"), max_length=20, unique=True)  # 2026, 2026-Q1, 2026-03
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    due = models.DateField(_("due"))
    locked_at = models.DateTimeField(_("locked"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["start", "kind"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="mel_period_order")
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None


class Target(TimeStampedModel, VersionedModel):
    """A target of an assignment: for one period, or for the life of the initiative."""

    assignment = models.ForeignKey(
        IndicatorAssignment, on_delete=models.CASCADE, related_name="targets"
    )
    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.PROTECT, null=True, blank=True, related_name="targets",
        help_text=_("Empty: the target for the life of the initiative."),
    )  # fmt: skip
    value = models.DecimalField(_("target"), max_digits=24, decimal_places=6)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assignment", "period"], name="mel_target_unique"),
            models.UniqueConstraint(fields=["assignment"], name="mel_target_life_unique",
                                    condition=Q(period__isnull=True)),
        ]  # fmt: skip


# --- Observations ----------------------------------------------------------------------------


class ObservationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    APPROVED = "approved", _("Approved")


class Observation(TimeStampedModel, VersionedModel):
    """The value of an assignment for a period. A number where a number is due; "not
    applicable" is a flag with a reason, never a number. With disaggregations the total is
    derived from the parts."""

    assignment = models.ForeignKey(
        IndicatorAssignment, on_delete=models.PROTECT, related_name="observations"
    )
    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.PROTECT, related_name="observations"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ObservationStatus.choices,
        default=ObservationStatus.DRAFT,
    )  # fmt: skip
    value = models.DecimalField(_("value"), **DECIMAL)
    numerator = models.DecimalField(_("numerator"), **DECIMAL)
    denominator = models.DecimalField(_("denominator"), **DECIMAL)
    not_applicable = models.BooleanField(_("not applicable"), default=False)
    not_applicable_reason = models.CharField(_("why not applicable"), max_length=300, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    evidence_url = models.URLField(_("evidence link"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    review_comment = models.TextField(_("review comment"), blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assignment", "period"], name="mel_observation_unique"),
            models.CheckConstraint(
                name="mel_na_has_no_number",
                condition=Q(not_applicable=False) | Q(value__isnull=True, numerator__isnull=True,
                                                      denominator__isnull=True),
            ),
        ]  # fmt: skip
        indexes = [models.Index(fields=["period", "status"], name="mel_obs_period_status")]

    def __str__(self) -> str:
        return f"{self.assignment} · {self.period}"


class ObservationPart(models.Model):
    """One disaggregated value (women, 15–24 years …) of an observation."""

    observation = models.ForeignKey(Observation, on_delete=models.CASCADE, related_name="parts")
    option = models.ForeignKey(DisaggregationOption, on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField(**DECIMAL)
    numerator = models.DecimalField(**DECIMAL)
    denominator = models.DecimalField(**DECIMAL)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["observation", "option"], name="mel_part_unique")
        ]

    def __str__(self) -> str:
        return f"{self.observation} · {self.option.label}"


# --- Roll-ups --------------------------------------------------------------------------------


class RollupLevel(models.TextChoices):
    LANDSCAPE = "landscape", _("Landscape")
    COUNTRY = "country", _("Country")
    REGION = "region", _("Region")
    INITIATIVE = "initiative", _("Initiative")


class Rollup(models.Model):
    """Approved values combined for one indicator, period and place (and disaggregation
    option; empty = the total). ``value`` is the period's own figure, ``to_date`` the figure
    to date by the cumulative mode. Written only by ``rollups.py``."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="rollups")
    period = models.ForeignKey(ReportingPeriod, on_delete=models.CASCADE, related_name="+")
    level = models.CharField(max_length=12, choices=RollupLevel.choices)
    key = models.CharField(max_length=100)  # landscape id, country code, region name, "all"
    option = models.ForeignKey(
        DisaggregationOption, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    value = models.DecimalField(**DECIMAL)
    numerator = models.DecimalField(**DECIMAL)
    denominator = models.DecimalField(**DECIMAL)
    scopes = models.PositiveIntegerField(default=0)
    to_date = models.DecimalField(**DECIMAL)
    to_date_numerator = models.DecimalField(**DECIMAL)
    to_date_denominator = models.DecimalField(**DECIMAL)
    to_date_scopes = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["indicator", "period", "level", "key", "option"],
                                    name="mel_rollup_unique"),
            models.UniqueConstraint(fields=["indicator", "period", "level", "key"],
                                    name="mel_rollup_total_unique",
                                    condition=Q(option__isnull=True)),
        ]  # fmt: skip
        indexes = [
            models.Index(fields=["indicator", "level", "key", "period"], name="mel_rollup_series"),
            # The tracking table and the landscape dashboard read every indicator of one place.
            models.Index(fields=["level", "key", "indicator"], name="mel_rollup_place"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} · {self.period_id} · {self.level} {self.key}"


class PlanRollup(models.Model):
    """Baselines and targets combined per indicator, place and period (empty period = the life
    of the initiative), so the dashboards and the tracking table read plans as cheaply as
    actuals. Written only by ``rollups.recompute_plan``.

    At a place above a landscape the figure is the landscapes' baselines or targets combined
    by the indicator's aggregation rule (fractions: the plain average, targets have no
    denominator); at the initiative level the initiative's own assignment wins when it has a
    baseline or targets of its own."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+")
    level = models.CharField(max_length=12, choices=RollupLevel.choices)
    key = models.CharField(max_length=100)
    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    target = models.DecimalField(**DECIMAL)
    target_scopes = models.PositiveIntegerField(default=0)
    baseline = models.DecimalField(**DECIMAL)
    baseline_scopes = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["indicator", "level", "key", "period"],
                                    name="mel_planrollup_unique"),
            models.UniqueConstraint(fields=["indicator", "level", "key"],
                                    name="mel_planrollup_life_unique",
                                    condition=Q(period__isnull=True)),
        ]  # fmt: skip
        indexes = [models.Index(fields=["level", "key", "indicator"], name="mel_planrollup_place")]

    def __str__(self) -> str:
        return f"{self.indicator_id} · {self.period_id or 'life'} · {self.level} {self.key}"


# --- Evidence files and reporting reminders --------------------------------------------------


def evidence_storage():
    """Evidence files are served only through a view that checks who may see the value, so
    they share the private ``attachments`` storage, never a public URL."""
    from django.core.files.storage import storages

    return storages["attachments"]


class ObservationEvidence(TimeStampedModel):
    """A file backing a reported value (a training register, a survey report, a map), checked
    on upload (``core.uploads.clean_document``) and stored under a random name."""

    observation = models.ForeignKey(
        Observation, on_delete=models.PROTECT, related_name="evidence_files"
    )
    file = models.FileField(_("file"), storage=evidence_storage, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=120)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("evidence file")

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("mel:evidence_download", args=[self.pk])


class ReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", _("Due soon")
    OVERDUE = "overdue", _("Overdue")


class ReportingReminder(models.Model):
    """A reminder sent to one person for one landscape and period: the record that keeps the
    daily run (``services.send_reporting_reminders``) from sending it twice, and what the
    completeness view shows as "reminder last sent"."""

    period = models.ForeignKey(ReportingPeriod, on_delete=models.CASCADE, related_name="+")
    landscape = models.ForeignKey("directory.Landscape", on_delete=models.CASCADE,
                                  related_name="+")  # fmt: skip
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                  related_name="+")  # fmt: skip
    kind = models.CharField(_("kind"), max_length=10, choices=ReminderKind.choices)
    sent_at = models.DateTimeField(_("sent"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["period", "landscape", "recipient", "kind"],
                                    name="mel_reminder_once"),
        ]  # fmt: skip
        indexes = [models.Index(fields=["period", "landscape"], name="mel_reminder_period")]

    def __str__(self) -> str:
        return f"{self.period_id} · {self.landscape_id} · {self.recipient_id} · {self.kind}"
