"""Bodies and their seats.

A **body** is a group that decides or advises: the steering committee (one voting seat per
core partner), the Landscape Leaders Advisory Group, design teams and working groups. Its
*rules* — quorum, the default voting threshold, what a threshold is counted against, how ties
are resolved, whether the chair may decide alone — are fields of the body, so a meeting or a
vote reads them instead of the code assuming one committee's bylaws. A decision copies the
rules it was taken under, so changing the rules later does not rewrite past results.

A **seat** is a person holding a role on a body for a term, representing an organization.
Seats are never deleted: a term ends, and the seat's history stays.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
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
    "Body",
    "BodyKind",
    "BodyRecordQuerySet",
    "Quorum",
    "RecordsAccess",
    "Seat",
    "SeatRole",
    "Threshold",
    "ThresholdBase",
    "TieRule",
    "VOTING_ROLES",
]


class BodyKind(models.TextChoices):
    STEERING_COMMITTEE = "steering", _("Steering committee")
    ADVISORY_GROUP = "advisory", _("Advisory group")
    DESIGN_TEAM = "design_team", _("Design team")
    WORKING_GROUP = "working_group", _("Working group")


class RecordsAccess(models.TextChoices):
    """Who may read a body's meetings, key issues, decisions and actions. A record marked
    confidential is for the body's members and hub staff whatever this says."""

    MEMBERS = "members", _("Members of the body and hub staff only")
    NETWORK = "network", _("Any signed-in member of the network")
    PUBLIC_SUMMARIES = "public", _("The network; the public sees summaries of decisions")


class Quorum(models.TextChoices):
    """How many voting seats must be present (recused members not counted)."""

    MAJORITY = "majority", _("More than half of the voting seats")
    HALF = "half", _("At least half of the voting seats")
    TWO_THIRDS = "two_thirds", _("At least two thirds of the voting seats")
    ALL = "all", _("Every voting seat")


class Threshold(models.TextChoices):
    SIMPLE_MAJORITY = "majority", _("Simple majority (more than half)")
    TWO_THIRDS = "two_thirds", _("Two thirds")
    UNANIMITY = "unanimity", _("Unanimity")


class ThresholdBase(models.TextChoices):
    """What a threshold is a share of. Abstentions are not votes cast."""

    CAST = "cast", _("Of the votes cast (yes and no)")
    SEATS = "seats", _("Of all voting seats (recused members not counted)")


class TieRule(models.TextChoices):
    FAILS = "fails", _("A tie fails: the proposal is not adopted")
    CHAIR_CASTS = "chair", _("The chair has a casting vote")


class Body(TimeStampedModel, VersionedModel, ArchivableModel):
    """A body that decides or advises, with its mandate and its rules of procedure."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("short name in links"), max_length=80, unique=True)
    kind = models.CharField(_("type"), max_length=16, choices=BodyKind.choices)
    mandate = models.TextField(_("mandate"), help_text=_("What the body is for. Markdown."))
    decides_on = models.TextField(
        _("decides on"), blank=True,
        help_text=_("The matters on which the body takes decisions. Markdown."),
    )  # fmt: skip
    advises_on = models.TextField(
        _("advises on"), blank=True,
        help_text=_("The matters on which the body only gives advice. Markdown."),
    )  # fmt: skip
    advises = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="advisers",
        verbose_name=_("gives advice to"),
    )  # fmt: skip
    visibility = models.CharField(
        _("who may see the body"), max_length=16, choices=Visibility.choices,
        default=Visibility.PUBLIC,
    )  # fmt: skip
    records_access = models.CharField(
        _("who may see its records"), max_length=8, choices=RecordsAccess.choices,
        default=RecordsAccess.MEMBERS,
    )  # fmt: skip
    time_zone = models.CharField(
        _("time zone of its meetings"), max_length=64, default="UTC",
        help_text=_("Proposed for new meetings; each member sees times in their own zone."),
    )  # fmt: skip
    # Rules of procedure.
    quorum = models.CharField(_("quorum"), max_length=12, choices=Quorum.choices,
                              default=Quorum.MAJORITY)  # fmt: skip
    threshold = models.CharField(_("default voting threshold"), max_length=12,
                                 choices=Threshold.choices,
                                 default=Threshold.SIMPLE_MAJORITY)  # fmt: skip
    threshold_base = models.CharField(_("thresholds are counted"), max_length=8,
                                      choices=ThresholdBase.choices,
                                      default=ThresholdBase.CAST)  # fmt: skip
    tie_rule = models.CharField(_("ties"), max_length=8, choices=TieRule.choices,
                                default=TieRule.FAILS)  # fmt: skip
    chair_may_decide = models.BooleanField(
        _("the chair may decide alone where the mandate allows"), default=False
    )
    one_seat_per_core_partner = models.BooleanField(
        _("exactly one voting seat per core partner"), default=False,
        help_text=_("The steering committee's rule: each core partner holds one voting seat."),
    )  # fmt: skip

    objects = VisibleQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["name"]
        verbose_name = pgettext_lazy("governing body", "body")
        verbose_name_plural = _("bodies")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("governance:body_detail", args=[self.slug])

    @classmethod
    def restricted_q(cls, user) -> Q:
        """A restricted body is seen by its members."""
        return Q(pk__in=Seat.objects.current().filter(person__user=user).values("body_id"))


class SeatRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    VOTING = "voting", _("Voting member")
    ALTERNATE = "alternate", _("Alternate")
    OBSERVER = "observer", _("Observer")
    SECRETARY = "secretary", _("Secretary")


# The chair holds a vote too: the steering committee's chair is one of the partners' seats.
VOTING_ROLES = (SeatRole.CHAIR, SeatRole.VOTING)


class SeatQuerySet(models.QuerySet):
    def current(self, on: dt.date | None = None):
        """Seats whose term includes ``on`` (today)."""
        on = on or timezone.localdate()
        return self.filter(Q(term_end__isnull=True) | Q(term_end__gte=on), term_start__lte=on)

    def voting(self):
        return self.filter(role__in=VOTING_ROLES)


class Seat(TimeStampedModel, VersionedModel):
    """A person's place on a body for a term: their role and the organization they represent.

    An alternate names the voting seat (``principal``) they stand in for: they attend and vote
    only when the principal is absent.
    """

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="seats")
    person = models.ForeignKey("directory.Person", on_delete=models.PROTECT, related_name="seats",
                               verbose_name=_("person"))  # fmt: skip
    organization = models.ForeignKey(
        "directory.Organization", on_delete=models.PROTECT, null=True, blank=True,
        related_name="governance_seats", verbose_name=_("represents"),
    )  # fmt: skip
    role = models.CharField(_("role"), max_length=12, choices=SeatRole.choices)
    principal = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="alternates",
        verbose_name=_("alternate for"),
    )  # fmt: skip
    term_start = models.DateField(_("term starts"))
    term_end = models.DateField(_("term ends"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")  # fmt: skip

    objects = SeatQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["body", "role", "person__name", "id"]
        indexes = [models.Index(fields=["body", "term_start"], name="gov_seat_body_term")]
        constraints = [
            models.CheckConstraint(
                condition=Q(term_end__isnull=True) | Q(term_end__gte=models.F("term_start")),
                name="gov_seat_term_order",
            ),
            models.CheckConstraint(
                condition=Q(role="alternate") | Q(principal__isnull=True),
                name="gov_seat_only_alternates_have_principal",
            ),
        ]  # fmt: skip
        verbose_name = _("seat")

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()}, {self.body})"

    @property
    def has_vote(self) -> bool:
        return self.role in VOTING_ROLES

    def is_current(self, on: dt.date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.term_start <= on and (self.term_end is None or self.term_end >= on)


class BodyRecordQuerySet(models.QuerySet):
    """The records of a body (key issues, meetings, decisions, action items): ``visible_to``
    applies the body's ``records_access`` and each record's ``confidential`` flag.

    Hub staff read everything; the body's current members (any role) read all its records;
    other signed-in members read the records of a body open to the network that are not
    confidential; the public reads none of them here (public summaries of decisions are a
    separate, narrower read: ``Decision.objects.public_summaries()``).
    """

    body_path = "body"

    def visible_to(self, user):
        from landhub.core.access import roles_of

        roles = roles_of(user)
        if roles.hub_staff:
            return self
        if not roles.authenticated:
            return self.none()
        return self.filter(self.visibility_q(user))

    def visibility_q(self, user) -> Q:
        # Correlated EXISTS, not ``body_id IN (…)``: with IN, SQLite (which keeps no statistics
        # unless ANALYZE is run) reads every record of the visible bodies through the body
        # index and sorts them all for a page of 25 (35 ms for 20,000 decisions). With EXISTS
        # it walks the list's order index and checks the few bodies per row until the page is
        # full; PostgreSQL plans both as semi-joins from its statistics.
        body_ref = OuterRef(f"{self.body_path}_id")
        member_of = Exists(Seat.objects.current().filter(body_id=body_ref, person__user=user))
        open_body = Exists(
            Body.objects.visible_to(user)
            .filter(pk=body_ref)
            .filter(records_access__in=[RecordsAccess.NETWORK, RecordsAccess.PUBLIC_SUMMARIES])
        )
        return Q(member_of) | (Q(open_body) & Q(confidential=False))

    def active(self):
        return self.filter(archived_at__isnull=True)
