"""The shared nouns of the hub: vocabularies, countries, organizations, people, landscapes and
the memberships that give people their roles (DESIGN.md §6).

Every function app refers to these; none of them writes these tables except through
``directory.services``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from landhub.core.models import (
    ArchivableModel,
    TimeStampedModel,
    VersionedModel,
    Visibility,
    VisibleQuerySet,
)

# --- Vocabularies ----------------------------------------------------------------------------


class Vocabulary(models.TextChoices):
    CAPABILITY = "capability", _("Capability")
    THEME = "theme", _("Theme")
    ECOSYSTEM = "ecosystem", _("Ecosystem")
    AREA_TYPE = "area_type", _("Area type")
    ORGANIZATION_KIND = "organization_kind", _("Organization kind")
    SDG = "sdg", _("Sustainable Development Goal")
    ILM_ELEMENT = "ilm_element", _("ILM element")
    AUDIENCE = "audience", _("Audience")
    COMMODITY = "commodity", _("Commodity")


class TermQuerySet(models.QuerySet):
    def of(self, vocabulary: str):
        return self.filter(vocabulary=vocabulary, is_active=True)


class Term(index.Indexed, TimeStampedModel):
    """One value of a controlled vocabulary, named in the hub's four languages.

    Needs, offerings and strengths all use the *capability* vocabulary: that shared language is
    what makes matching possible.
    """

    vocabulary = models.CharField(_("vocabulary"), max_length=32, choices=Vocabulary.choices)
    slug = models.SlugField(_("slug"), max_length=80)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_es = models.CharField(_("name (Spanish)"), max_length=200, blank=True)
    name_fr = models.CharField(_("name (French)"), max_length=200, blank=True)
    name_pt = models.CharField(_("name (Portuguese)"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    sort_order = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField(_("active"), default=True)

    objects = TermQuerySet.as_manager()
    history = HistoricalRecords()

    search_fields = [
        index.SearchField("name_en"),
        index.SearchField("name_es"),
        index.SearchField("name_fr"),
        index.SearchField("name_pt"),
        index.AutocompleteField("name_en"),
        index.FilterField("vocabulary"),
        index.FilterField("is_active"),
    ]

    class Meta:
        ordering = ["vocabulary", "sort_order", "name_en"]
        constraints = [
            models.UniqueConstraint(fields=["vocabulary", "slug"], name="uniq_term_slug")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name in the active language, falling back to English."""
        lang = (get_language() or "en")[:2]
        return getattr(self, f"name_{lang}", "") or self.name_en


class Country(models.Model):
    """A country with its UN M49 region, so a landscape's region is derived, never typed."""

    code = models.CharField(_("ISO code"), max_length=2, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    region = models.CharField(_("region"), max_length=50, db_index=True)
    subregion = models.CharField(_("sub-region"), max_length=80, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = _("countries")

    def __str__(self) -> str:
        return self.name


# --- Organizations ---------------------------------------------------------------------------

CORE_PARTNER_KIND = "core-partner"


class OrganizationQuerySet(VisibleQuerySet):
    pass


class Organization(index.Indexed, TimeStampedModel, VersionedModel, ArchivableModel):
    """A partner, funder, landscape partnership organization or any other body in the network."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    kind = models.ForeignKey(
        Term,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"vocabulary": Vocabulary.ORGANIZATION_KIND},
        verbose_name=_("kind"),
    )
    country = models.ForeignKey(
        Country, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("country (headquarters)"),
    )  # fmt: skip
    countries_active = models.ManyToManyField(
        Country, blank=True, related_name="organizations_active", verbose_name=_("active in")
    )
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown"))
    logo = models.ImageField(_("logo"), upload_to="logos/", blank=True)
    themes = models.ManyToManyField(
        Term, blank=True, related_name="organizations_by_theme",
        limit_choices_to={"vocabulary": Vocabulary.THEME}, verbose_name=_("themes"),
    )  # fmt: skip
    visibility = models.CharField(
        _("visibility"), max_length=16, choices=Visibility.choices, default=Visibility.PUBLIC
    )

    objects = OrganizationQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    search_fields = [
        index.SearchField("name", boost=3),
        index.SearchField("short_name", boost=2),
        index.SearchField("description"),
        index.AutocompleteField("name"),
        index.AutocompleteField("short_name"),
        index.FilterField("visibility"),
        index.FilterField("archived_at"),
    ]

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["updated_at", "id"], name="organization_updated_id")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("directory:organization_detail", args=[self.slug])

    @property
    def is_core_partner(self) -> bool:
        return self.kind.slug == CORE_PARTNER_KIND

    @classmethod
    def restricted_q(cls, user) -> Q:
        # A subquery, not a join: a join over memberships multiplies rows and made every
        # signed-in list scan all memberships (measured by make bench).
        return Q(
            pk__in=OrganizationMembership.objects.filter(
                person__user=user, end_date__isnull=True
            ).values("organization_id")
        )


class CapabilityLevel(models.TextChoices):
    BASIC = "basic", _("Basic")
    INTERMEDIATE = "intermediate", _("Intermediate")
    ADVANCED = "advanced", _("Advanced")


class OrganizationCapability(models.Model):
    """What an organization can offer, on the shared capability vocabulary, with a level."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="capabilities"
    )
    capability = models.ForeignKey(
        Term, on_delete=models.PROTECT, related_name="organization_capabilities",
        limit_choices_to={"vocabulary": Vocabulary.CAPABILITY},
    )  # fmt: skip
    level = models.CharField(
        _("level"), max_length=16, choices=CapabilityLevel.choices, default=CapabilityLevel.BASIC
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "capability"], name="uniq_org_cap")
        ]

    def __str__(self) -> str:
        return f"{self.organization} · {self.capability} ({self.level})"


# --- People ----------------------------------------------------------------------------------


class PersonQuerySet(VisibleQuerySet):
    pass


class Person(index.Indexed, TimeStampedModel, VersionedModel, ArchivableModel):
    """Someone in the network, with or without an account (funder contacts often have none)."""

    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"), blank=True, db_index=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    bio = models.TextField(_("about"), blank=True, help_text=_("Markdown"))
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="person",
    )  # fmt: skip
    contact_consent = models.BooleanField(
        _("agrees to be contacted"), default=False,
        help_text=_("Show e-mail and phone to signed-in members."),
    )  # fmt: skip
    # People are never public: the public site shows organizations and landscapes, not names.
    visibility = models.CharField(
        _("visibility"), max_length=16, choices=Visibility.choices, default=Visibility.NETWORK
    )

    objects = PersonQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    search_fields = [
        index.SearchField("name", boost=3),
        index.SearchField("bio"),
        index.AutocompleteField("name"),
        index.FilterField("visibility"),
        index.FilterField("archived_at"),
    ]

    class Meta:
        ordering = ["name"]
        # The people directory pages through everyone by name or by last change.
        indexes = [
            models.Index(fields=["name", "id"], name="person_name_id"),
            models.Index(fields=["updated_at", "id"], name="person_updated_id"),
        ]
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("directory:person_detail", args=[self.pk])

    @classmethod
    def restricted_q(cls, user) -> Q:
        return Q(user=user)


class OrganizationRole(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    MEMBER = "member", _("Member")


class OrganizationMembership(TimeStampedModel):
    """A person's affiliation with an organization: role in the hub, job title and dates."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="org_memberships")
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(
        _("role"), max_length=16, choices=OrganizationRole.choices, default=OrganizationRole.MEMBER
    )
    title = models.CharField(_("job title"), max_length=200, blank=True)
    start_date = models.DateField(_("from"), null=True, blank=True)
    end_date = models.DateField(_("until"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "organization"],
                condition=Q(end_date__isnull=True),
                name="uniq_current_org_membership",
            )
        ]
        indexes = [models.Index(fields=["organization", "role"])]

    def __str__(self) -> str:
        return f"{self.person} @ {self.organization} ({self.role})"

    @property
    def is_current(self) -> bool:
        return self.end_date is None or self.end_date >= timezone.localdate()


# --- Landscapes ------------------------------------------------------------------------------


class PartnershipStatus(models.TextChoices):
    FORMING = "forming", _("Forming")
    ACTIVE = "active", _("Active")
    DORMANT = "dormant", _("Dormant")


class InitiativeStatus(models.TextChoices):
    """Where the landscape stands in the 1,000 landscapes initiative."""

    CANDIDATE = "candidate", _("Candidate")
    ENGAGED = "engaged", _("Engaged")
    MEMBER = "member", _("Member")


class LandscapeQuerySet(VisibleQuerySet):
    pass


class Landscape(index.Indexed, TimeStampedModel, VersionedModel, ArchivableModel):
    """A landscape and its partnership: the unit the initiative counts to 1,000.

    ``boundary`` holds a GeoJSON geometry (Polygon, MultiPolygon or Point); ``area_km2``,
    the centroid and the bounding box are computed from it by ``directory.geo`` whenever it is
    set, never typed in.
    """

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown"))
    countries = models.ManyToManyField(
        Country, related_name="landscapes", verbose_name=_("countries")
    )
    region = models.CharField(
        _("region"), max_length=50, blank=True, db_index=True,
        help_text=_("UN M49 region, derived from the countries."),
    )  # fmt: skip
    boundary = models.JSONField(_("boundary"), null=True, blank=True)
    boundary_vertices = models.PositiveIntegerField(default=0, editable=False)
    area_km2 = models.FloatField(_("area (km²)"), null=True, blank=True, editable=False)
    centroid_lat = models.FloatField(null=True, blank=True, editable=False)
    centroid_lon = models.FloatField(null=True, blank=True, editable=False)
    bbox = models.JSONField(null=True, blank=True, editable=False)
    population = models.PositiveBigIntegerField(_("population"), null=True, blank=True)
    area_types = models.ManyToManyField(
        Term, blank=True, related_name="landscapes_by_area_type",
        limit_choices_to={"vocabulary": Vocabulary.AREA_TYPE}, verbose_name=_("area types"),
    )  # fmt: skip
    ecosystems = models.ManyToManyField(
        Term, blank=True, related_name="landscapes_by_ecosystem",
        limit_choices_to={"vocabulary": Vocabulary.ECOSYSTEM}, verbose_name=_("ecosystems"),
    )  # fmt: skip
    themes = models.ManyToManyField(
        Term, blank=True, related_name="landscapes_by_theme",
        limit_choices_to={"vocabulary": Vocabulary.THEME}, verbose_name=_("themes"),
    )  # fmt: skip
    partnership_organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="partnership_landscapes", verbose_name=_("landscape partnership"),
    )  # fmt: skip
    partnership_status = models.CharField(
        _("partnership status"), max_length=16, choices=PartnershipStatus.choices,
        default=PartnershipStatus.FORMING,
    )  # fmt: skip
    year_formed = models.PositiveSmallIntegerField(_("year formed"), null=True, blank=True)
    agreement_signed = models.BooleanField(_("partnership agreement signed"), default=False)
    initiative_status = models.CharField(
        _("1000L status"), max_length=16, choices=InitiativeStatus.choices,
        default=InitiativeStatus.CANDIDATE, db_index=True,
    )  # fmt: skip
    is_demo = models.BooleanField(_("demo data"), default=False)
    visibility = models.CharField(
        _("visibility"), max_length=16, choices=Visibility.choices, default=Visibility.PUBLIC
    )

    objects = LandscapeQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    search_fields = [
        index.SearchField("name", boost=3),
        index.SearchField("summary", boost=2),
        index.SearchField("description"),
        index.AutocompleteField("name"),
        index.FilterField("visibility"),
        index.FilterField("archived_at"),
        index.FilterField("region"),
    ]

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["updated_at", "id"], name="landscape_updated_id")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("directory:landscape_detail", args=[self.slug])

    @classmethod
    def restricted_q(cls, user) -> Q:
        # A subquery, not a join (see Organization.restricted_q).
        return Q(
            pk__in=LandscapeMembership.objects.filter(
                person__user=user, end_date__isnull=True
            ).values("landscape_id")
        )


class LandscapeRole(models.TextChoices):
    LEADER = "leader", _("Leader")
    MANAGER = "manager", _("Manager")
    MEMBER = "member", _("Member")


class LandscapeMembership(TimeStampedModel):
    """A person's role in a landscape; leaders and managers edit it, contacts are listed."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="landscape_memberships"
    )
    landscape = models.ForeignKey(Landscape, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(
        _("role"), max_length=16, choices=LandscapeRole.choices, default=LandscapeRole.MEMBER
    )
    is_contact = models.BooleanField(_("listed as contact"), default=False)
    start_date = models.DateField(_("from"), null=True, blank=True)
    end_date = models.DateField(_("until"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "landscape"],
                condition=Q(end_date__isnull=True),
                name="uniq_current_landscape_membership",
            )
        ]
        indexes = [models.Index(fields=["landscape", "role"])]

    def __str__(self) -> str:
        return f"{self.person} @ {self.landscape} ({self.role})"


class LandscapeOrganizationRole(models.TextChoices):
    LEAD = "lead", _("Partnership lead")
    PARTNER = "partner", _("Partnership member")
    TECHNICAL = "technical", _("Technical partner")
    FUNDER = "funder", _("Funder")
    OTHER = "other", _("Other")


class LandscapeOrganization(models.Model):
    """An organization active in a landscape, and in what role."""

    landscape = models.ForeignKey(
        Landscape, on_delete=models.CASCADE, related_name="organization_links"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="landscape_links"
    )
    role = models.CharField(
        _("role"), max_length=16, choices=LandscapeOrganizationRole.choices,
        default=LandscapeOrganizationRole.PARTNER,
    )  # fmt: skip

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["landscape", "organization"], name="uniq_landscape_org")
        ]

    def __str__(self) -> str:
        return f"{self.organization} in {self.landscape}"


class ILMStage(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    ESTABLISHED = "established", _("Established")


class LandscapeILMProgress(models.Model):
    """Progress on one of the five elements of integrated landscape management, with evidence."""

    landscape = models.ForeignKey(Landscape, on_delete=models.CASCADE, related_name="ilm_progress")
    element = models.ForeignKey(
        Term, on_delete=models.PROTECT, related_name="+",
        limit_choices_to={"vocabulary": Vocabulary.ILM_ELEMENT},
    )  # fmt: skip
    stage = models.CharField(
        _("stage"), max_length=16, choices=ILMStage.choices, default=ILMStage.NOT_STARTED
    )
    evidence = models.TextField(_("evidence"), blank=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["landscape", "element"], name="uniq_landscape_ilm")
        ]
        ordering = ["element__sort_order"]

    def __str__(self) -> str:
        return f"{self.landscape} · {self.element}: {self.stage}"


class NeedPriority(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


class NeedStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("Being addressed")
    MET = "met", _("Met")
    CLOSED = "closed", _("Closed")


class LandscapeNeed(TimeStampedModel, VersionedModel):
    """Something a landscape partnership needs, on the shared capability vocabulary."""

    landscape = models.ForeignKey(Landscape, on_delete=models.CASCADE, related_name="needs")
    capability = models.ForeignKey(
        Term, on_delete=models.PROTECT, related_name="needs",
        limit_choices_to={"vocabulary": Vocabulary.CAPABILITY}, verbose_name=_("capability"),
    )  # fmt: skip
    priority = models.CharField(
        _("priority"), max_length=8, choices=NeedPriority.choices, default=NeedPriority.MEDIUM
    )
    status = models.CharField(
        _("status"), max_length=16, choices=NeedStatus.choices, default=NeedStatus.OPEN,
        db_index=True,
    )  # fmt: skip
    description = models.TextField(_("description"), blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["status", "priority", "capability__name_en"]

    def __str__(self) -> str:
        return f"{self.landscape}: {self.capability} ({self.priority})"


# --- Invitations and join requests ----------------------------------------------------------


class Invitation(TimeStampedModel):
    """An invitation by e-mail to a role in an organization or a landscape.

    The link carries a random token; only its hash is stored. It expires after
    ``settings.INVITATION_DAYS_VALID`` days.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        REVOKED = "revoked", _("Revoked")

    email = models.EmailField(_("e-mail"))
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.CASCADE, related_name="invitations"
    )
    landscape = models.ForeignKey(
        Landscape, null=True, blank=True, on_delete=models.CASCADE, related_name="invitations"
    )
    role = models.CharField(_("role"), max_length=16)
    message = models.TextField(_("message"), blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invitations_sent"
    )
    expires_at = models.DateTimeField(_("expires"))
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="invitations_accepted",
    )  # fmt: skip
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(organization__isnull=False, landscape__isnull=True)
                    | Q(organization__isnull=True, landscape__isnull=False)
                ),
                name="invitation_one_target",
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.target} ({self.role})"

    @property
    def target(self):
        return self.organization or self.landscape

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()


class JoinRequest(TimeStampedModel):
    """A signed-in person asks to join an organization or a landscape; its admins decide."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="join_requests"
    )
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.CASCADE, related_name="join_requests"
    )
    landscape = models.ForeignKey(
        Landscape, null=True, blank=True, on_delete=models.CASCADE, related_name="join_requests"
    )
    message = models.TextField(_("message"), blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="join_requests_decided",
    )  # fmt: skip
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(organization__isnull=False, landscape__isnull=True)
                    | Q(organization__isnull=True, landscape__isnull=False)
                ),
                name="join_request_one_target",
            ),
            models.UniqueConstraint(
                fields=["user", "organization", "landscape"],
                condition=Q(status="pending"),
                name="uniq_pending_join_request",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.target}"

    @property
    def target(self):
        return self.organization or self.landscape


# --- Public site -----------------------------------------------------------------------------


class HomePage(Page):
    """The public front page: map of member landscapes, live counters, links into the directory.

    Editors change the words in Wagtail (``/cms/``); the map and counters are live data.
    """

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, "intro"]
    max_count = 1
    template = "directory/home_page.html"

    def get_context(self, request, *args, **kwargs):
        from .selectors import home as selectors

        context = super().get_context(request, *args, **kwargs)
        context["counters"] = selectors.public_counters()
        return context
