"""Initiative coordination: the pooled catalog of what partners offer landscape partnerships.

An ``Offering`` is one tool, service, training, guide, dataset, finance instrument, network or
kind of expert support that one or more partner organizations provide. Providers draft and
submit it; hub staff review and publish it (or return it with a comment); retired offerings
stay readable for the landscapes that used them. Matching, the coverage matrix, activities
and service requests build on these records.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
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
from landhub.directory.models import Country, Organization, Term, Vocabulary


class OfferingType(models.TextChoices):
    TOOL = "tool", _("Tool")
    SERVICE = "service", _("Service")
    TRAINING = "training", _("Training")
    GUIDE = "guide", _("Guide or publication")
    DATASET = "dataset", _("Dataset")
    FINANCE = "finance", _("Finance instrument")
    NETWORK = "network", _("Network or community of practice")
    EXPERT = "expert", _("Expert support")


class OfferingStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    PUBLISHED = "published", _("Published")
    RETIRED = "retired", _("Retired")


class DeliveryFormat(models.TextChoices):
    ONLINE = "online", _("Online")
    IN_PERSON = "in_person", _("In person")
    HYBRID = "hybrid", _("Hybrid")


class Cost(models.TextChoices):
    FREE = "free", _("Free")
    SUBSIDISED = "subsidised", _("Subsidised")
    PAID = "paid", _("Paid")


class AccessMode(models.TextChoices):
    LINK = "link", _("Open the link")
    CONTACT = "contact", _("Contact the provider")
    HUB = "hub", _("Request it through the hub")


# The languages offerings are delivered in: the hub's four plus a few common in landscapes.
OFFERING_LANGUAGES = [
    ("en", _("English")), ("es", _("Spanish")), ("fr", _("French")), ("pt", _("Portuguese")),
    ("ar", _("Arabic")), ("sw", _("Swahili")), ("id", _("Indonesian")), ("hi", _("Hindi")),
    ("zh", _("Chinese")), ("ru", _("Russian")),
]  # fmt: skip
LANGUAGE_CODES = {code for code, _label in OFFERING_LANGUAGES}


class OfferingQuerySet(VisibleQuerySet):
    def published(self):
        return self.filter(status=OfferingStatus.PUBLISHED)


class Offering(index.Indexed, TimeStampedModel, VersionedModel, ArchivableModel):
    """Something partners offer landscape partnerships, described once for the whole hub.

    Where it is available is ``is_global`` or a set of UN M49 regions and countries;
    ``languages`` holds ISO 639-1 codes as ``",en,es,"`` so one portable ``LIKE`` filters by
    language on SQLite and PostgreSQL alike.
    """

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    summary = models.CharField(_("summary"), max_length=300)
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown."))
    type = models.CharField(_("type"), max_length=16, choices=OfferingType.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=OfferingStatus.choices, default=OfferingStatus.DRAFT
    )
    providers = models.ManyToManyField(
        Organization, through="OfferingProvider", related_name="offerings",
        verbose_name=_("providers"),
    )  # fmt: skip
    capabilities = models.ManyToManyField(
        Term, related_name="offerings_by_capability", blank=True,
        limit_choices_to={"vocabulary": Vocabulary.CAPABILITY}, verbose_name=_("capabilities"),
    )  # fmt: skip
    themes = models.ManyToManyField(
        Term, related_name="offerings_by_theme", blank=True,
        limit_choices_to={"vocabulary": Vocabulary.THEME}, verbose_name=_("themes"),
    )  # fmt: skip
    ilm_elements = models.ManyToManyField(
        Term, related_name="offerings_by_ilm_element", blank=True,
        limit_choices_to={"vocabulary": Vocabulary.ILM_ELEMENT}, verbose_name=_("ILM elements"),
    )  # fmt: skip
    is_global = models.BooleanField(_("available everywhere"), default=False)
    regions = models.CharField(
        _("regions"), max_length=200, blank=True, help_text=_("UN M49 regions, comma-separated.")
    )
    countries = models.ManyToManyField(
        Country, related_name="offerings", blank=True, verbose_name=_("countries")
    )
    languages = models.CharField(_("languages"), max_length=100, blank=True)
    delivery_format = models.CharField(
        _("format"), max_length=16, choices=DeliveryFormat.choices, default=DeliveryFormat.ONLINE
    )
    cost = models.CharField(_("cost"), max_length=16, choices=Cost.choices, default=Cost.FREE)
    eligibility = models.TextField(_("eligibility"), blank=True)
    access_mode = models.CharField(
        _("how to get it"), max_length=16, choices=AccessMode.choices, default=AccessMode.HUB
    )
    access_url = models.URLField(_("link"), blank=True)
    access_contact = models.EmailField(_("contact e-mail"), blank=True)
    visibility = models.CharField(
        _("visibility"), max_length=16, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    review_comment = models.TextField(_("review comment"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    retired_at = models.DateTimeField(_("retired"), null=True, blank=True)

    objects = OfferingQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    search_fields = [
        index.SearchField("title", boost=3),
        index.SearchField("summary", boost=2),
        index.SearchField("description"),
        index.AutocompleteField("title"),
        index.FilterField("status"),
        index.FilterField("visibility"),
    ]

    class Meta:
        ordering = ["title"]
        indexes = [
            models.Index(fields=["title", "id"], name="offering_title_id"),
            models.Index(fields=["updated_at", "id"], name="offering_updated_id"),
            # No index on status: most offerings are published, so it never narrows the
            # catalog, and SQLite would pick it over the title index and sort every row.
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("coordination:offering_detail", args=[self.slug])

    @property
    def is_published(self) -> bool:
        return self.status == OfferingStatus.PUBLISHED

    @property
    def language_codes(self) -> list[str]:
        return [code for code in self.languages.strip(",").split(",") if code]

    @property
    def region_names(self) -> list[str]:
        return [name.strip() for name in self.regions.split(",") if name.strip()]

    @classmethod
    def restricted_q(cls, user) -> Q:
        """Restricted offerings: staff of their providers (and hub staff) read them."""
        from landhub.directory.models import OrganizationMembership

        return Q(
            pk__in=OfferingProvider.objects.filter(
                organization__in=OrganizationMembership.objects.filter(
                    person__user=user, end_date__isnull=True
                ).values("organization_id")
            ).values("offering_id")
        )


class OfferingProvider(models.Model):
    """An organization providing an offering; exactly one of them leads it."""

    offering = models.ForeignKey(Offering, on_delete=models.CASCADE, related_name="provider_links")
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="offering_links"
    )
    is_lead = models.BooleanField(_("lead provider"), default=False)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["offering", "organization"], name="uniq_offering_org"),
            models.UniqueConstraint(
                fields=["offering"], condition=Q(is_lead=True), name="one_lead_provider"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} → {self.offering}"


class OfferingLink(models.Model):
    """A link (document, video, website) attached to an offering."""

    offering = models.ForeignKey(Offering, on_delete=models.CASCADE, related_name="links")
    title = models.CharField(_("title"), max_length=200)
    url = models.URLField(_("link"))
    position = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


def attachment_storage():
    """Attachments are served only through a view that checks who may see the offering, so
    they live in their own storage (``STORAGES["attachments"]``), never under a public URL."""
    from django.core.files.storage import storages

    return storages["attachments"]


class OfferingAttachment(TimeStampedModel):
    """A file attached to an offering (a brochure, a manual, a template), checked on upload
    (``core.uploads.clean_document``) and stored under a random name."""

    offering = models.ForeignKey(Offering, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), storage=attachment_storage, max_length=200)
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

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("coordination:attachment_download", args=[self.offering.slug, self.pk])


class DismissalReason(models.TextChoices):
    NOT_RELEVANT = "not_relevant", _("Not relevant for us")
    ALREADY_HAVE = "already_have", _("We already have this")
    NOT_NOW = "not_now", _("Not now")
    OTHER = "other", _("Other")


class Dismissal(TimeStampedModel):
    """A landscape's leaders set a recommended offering aside, saying why.

    The reasons tell providers and the hub what does not fit; a dismissal can be undone.
    """

    landscape = models.ForeignKey(
        "directory.Landscape", on_delete=models.CASCADE, related_name="dismissed_offerings"
    )
    offering = models.ForeignKey(Offering, on_delete=models.CASCADE, related_name="dismissals")
    reason = models.CharField(_("reason"), max_length=16, choices=DismissalReason.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    dismissed_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["landscape", "offering"], name="uniq_dismissal")
        ]

    def __str__(self) -> str:
        return f"{self.landscape} ✕ {self.offering}"


class RequestStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    ACCEPTED = "accepted", _("Accepted")
    IN_PROGRESS = "in_progress", _("In progress")
    DELIVERED = "delivered", _("Delivered")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


OPEN_REQUEST_STATUSES = (RequestStatus.REQUESTED, RequestStatus.ACCEPTED, RequestStatus.IN_PROGRESS)
# A request nobody has answered for this long is flagged as overdue.
ANSWER_WITHIN_DAYS = 14


class ServiceRequest(TimeStampedModel, VersionedModel):
    """A landscape asks the providers of an offering for it, and follows it to delivery.

    The providers answer (accept with an expected date, or decline with a reason), work on it
    and deliver; the landscape may withdraw while it is open. Every change is kept in the
    history and told to the other side. After delivery the landscape gives value feedback,
    which MEL reads through ``coordination.selectors``.
    """

    offering = models.ForeignKey(Offering, on_delete=models.PROTECT, related_name="requests")
    landscape = models.ForeignKey(
        "directory.Landscape", on_delete=models.PROTECT, related_name="service_requests"
    )
    need = models.ForeignKey(
        "directory.LandscapeNeed", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="service_requests", verbose_name=_("for the need"),
    )  # fmt: skip
    message = models.TextField(_("message"))
    status = models.CharField(
        _("status"), max_length=16, choices=RequestStatus.choices,
        default=RequestStatus.REQUESTED, db_index=True,
    )  # fmt: skip
    requested_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    expected_by = models.DateField(_("expected delivery"), null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["created_at", "id"], name="request_created_id")]

    def __str__(self) -> str:
        return f"{self.landscape} → {self.offering}"

    def get_absolute_url(self) -> str:
        return reverse("coordination:request_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_REQUEST_STATUSES

    @property
    def is_overdue(self) -> bool:
        """Unanswered for two weeks, or not delivered by the date the providers gave."""
        from datetime import timedelta

        from django.utils import timezone

        if self.status == RequestStatus.REQUESTED:
            return self.created_at < timezone.now() - timedelta(days=ANSWER_WITHIN_DAYS)
        if self.status in (RequestStatus.ACCEPTED, RequestStatus.IN_PROGRESS):
            return bool(self.expected_by and self.expected_by < timezone.localdate())
        return False


class ValueFeedback(TimeStampedModel):
    """What a delivered offering was worth to the landscape that received it."""

    request = models.OneToOneField(
        ServiceRequest, on_delete=models.CASCADE, related_name="feedback"
    )
    usefulness = models.PositiveSmallIntegerField(
        _("usefulness (1–5)"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    what_changed = models.TextField(_("what changed thanks to it"))
    days_saved = models.DecimalField(
        _("days of work saved"), max_digits=8, decimal_places=1, null=True, blank=True,
        validators=[MinValueValidator(0)],
    )  # fmt: skip
    money_saved_usd = models.DecimalField(
        _("money saved (USD)"), max_digits=12, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0)],
    )  # fmt: skip
    would_recommend = models.BooleanField(_("would recommend it"))
    given_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )

    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"{self.request}: {self.usefulness}/5"


class ActivityType(models.TextChoices):
    WORKSHOP = "workshop", _("Workshop")
    TRAINING = "training", _("Training")
    MISSION = "mission", _("Field mission")
    PROJECT = "project", _("Project")
    CAMPAIGN = "campaign", _("Campaign")
    CONVENING = "convening", _("Convening")


class ActivityStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    CONFIRMED = "confirmed", _("Confirmed")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class Activity(index.Indexed, TimeStampedModel, VersionedModel, ArchivableModel):
    """What a partner does in or for landscapes, on the shared calendar.

    Saving an activity that overlaps another organization's activity in the same landscape,
    period and capability or theme records an ``ActivityOverlap`` and tells both sides.
    """

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    type = models.CharField(_("type"), max_length=16, choices=ActivityType.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=ActivityStatus.choices,
        default=ActivityStatus.PLANNED,
    )  # fmt: skip
    organizations = models.ManyToManyField(
        Organization, related_name="activities", verbose_name=_("organizations")
    )
    landscapes = models.ManyToManyField(
        "directory.Landscape", related_name="activities", blank=True,
        verbose_name=_("landscapes"),
    )  # fmt: skip
    capabilities = models.ManyToManyField(
        Term, related_name="activities_by_capability", blank=True,
        limit_choices_to={"vocabulary": Vocabulary.CAPABILITY}, verbose_name=_("capabilities"),
    )  # fmt: skip
    themes = models.ManyToManyField(
        Term, related_name="activities_by_theme", blank=True,
        limit_choices_to={"vocabulary": Vocabulary.THEME}, verbose_name=_("themes"),
    )  # fmt: skip
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))
    visibility = models.CharField(
        _("visibility"), max_length=16, choices=Visibility.choices, default=Visibility.NETWORK
    )

    objects = VisibleQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    search_fields = [
        index.SearchField("title", boost=3),
        index.SearchField("description"),
        index.AutocompleteField("title"),
        index.FilterField("visibility"),
    ]

    class Meta:
        ordering = ["starts_on", "title"]
        indexes = [models.Index(fields=["starts_on", "ends_on"], name="activity_period")]
        verbose_name_plural = _("activities")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("coordination:activity_detail", args=[self.pk])

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The end comes before the start.")})

    @classmethod
    def restricted_q(cls, user) -> Q:
        from landhub.directory.models import OrganizationMembership

        return Q(
            pk__in=cls.organizations.through.objects.filter(
                organization_id__in=OrganizationMembership.objects.filter(
                    person__user=user, end_date__isnull=True
                ).values("organization_id")
            ).values("activity_id")
        )


class ActivityOverlap(TimeStampedModel):
    """Two organizations' activities in the same landscape and period, on the same
    capability or theme: both sides see "coordinate with …" until one marks it coordinated."""

    first = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="+")
    coordinated_at = models.DateTimeField(_("coordinated"), null=True, blank=True)
    coordinated_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.CharField(_("note"), max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="uniq_overlap"),
            models.CheckConstraint(
                condition=Q(first__lt=models.F("second")), name="overlap_ordered"
            ),  # fmt: skip
        ]

    def __str__(self) -> str:
        return f"{self.first} ↔ {self.second}"
