"""Base model mixins and the notification store shared by every LandHub app.

No domain logic lives here: only the building blocks (visibility, versions for conflict
detection, archiving) and notifications, which every app sends through ``core.services.notify``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from . import access


class Visibility(models.TextChoices):
    """Who may read a record (DESIGN.md §5)."""

    PUBLIC = "public", _("Public: anyone")
    NETWORK = "network", _("Network: any signed-in member")
    CORE = "core", _("Core: core partners and hub staff")
    RESTRICTED = "restricted", _("Restricted: named members and hub staff")


class TimeStampedModel(models.Model):
    """Creation and last-change times, stored in UTC."""

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class VersionedModel(models.Model):
    """An edit counter: a service given a stale ``version`` refuses to overwrite (HTTP 409)."""

    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        abstract = True


class ArchivableModel(models.Model):
    """Domain records are archived, never deleted, so history and links stay whole."""

    # No index: nearly every row is not archived, so an index on it never narrows a list, and
    # SQLite's planner would pick it over the sort-key index and sort every row for one page.
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


def _prefixed(condition: Q, prefix: str) -> Q:
    """A copy of ``condition`` with every lookup prefixed by ``prefix``."""
    copy = Q()
    copy.connector, copy.negated = condition.connector, condition.negated
    copy.children = [
        _prefixed(child, prefix) if isinstance(child, Q) else (prefix + child[0], child[1])
        for child in condition.children
    ]
    return copy


class VisibleQuerySet(models.QuerySet):
    """``visible_to(user)``: the one place that turns the access model into a filter.

    A model using it may define ``restricted_q(user)`` (a classmethod returning a ``Q``) that
    names who, besides hub staff, may read its ``restricted`` records.
    """

    def visible_to(self, user):
        condition = self.visibility_q(user)
        return self if condition is None else self.filter(condition)

    def visibility_q(self, user, prefix: str = "") -> Q | None:
        """The condition of ``visible_to`` as a ``Q``, its lookups prefixed (``"person__"``)
        so a related table can be filtered by its rows' visibility in the same query; None
        when everything is visible.

        ``memberships.filter(Person.objects.visibility_q(user, "person__"))`` checks each
        joined person, where ``person__in=Person.objects.visible_to(user)`` would make the
        database list every visible person first (measured: 40 ms at 200,000 people).
        """
        roles = access.roles_of(user)
        if roles.hub_staff:
            return None
        levels = [Visibility.PUBLIC]
        if roles.authenticated:
            levels.append(Visibility.NETWORK)
        if roles.core_partner:
            levels.append(Visibility.CORE)
        condition = Q(visibility__in=levels)
        restricted_q = getattr(self.model, "restricted_q", None)
        if roles.authenticated and restricted_q is not None:
            condition |= Q(visibility=Visibility.RESTRICTED) & restricted_q(user)
        return _prefixed(condition, prefix) if prefix else condition

    def visible_through(self, user, prefix: str, *, active: bool = True) -> Q:
        """Rows of another table whose ``prefix`` relation is visible (and not archived)."""
        condition = self.visibility_q(user, prefix) or Q()
        if active:
            condition &= Q(**{f"{prefix}archived_at__isnull": True})
        return condition

    def active(self):
        return self.filter(archived_at__isnull=True)


class NotificationDelivery(models.TextChoices):
    IMMEDIATE = "immediate", _("Immediately")
    DIGEST = "digest", _("Daily digest")
    OFF = "off", _("Off")


class Notification(models.Model):
    """One message to one user, shown under the bell and, by preference, e-mailed."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=64, db_index=True)
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("body"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.title


class NotificationPreference(models.Model):
    """How a user wants one kind of notification delivered by e-mail (in-app always shows)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(_("kind"), max_length=64)
    delivery = models.CharField(
        _("delivery"),
        max_length=16,
        choices=NotificationDelivery.choices,
        default=NotificationDelivery.IMMEDIATE,
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="uniq_notification_pref")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.kind}={self.delivery}"


class TaskProgress(models.Model):
    """Progress of one long job (import, rebuild) so its page can show a live progress bar.

    The background task updates ``done``/``total`` as it goes; the page polls the partial.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="task_progress"
    )
    kind = models.CharField(_("kind"), max_length=64)
    label = models.CharField(_("label"), max_length=300)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True)
    result = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.label

    @property
    def percent(self) -> int:
        if self.status == self.Status.SUCCEEDED:
            return 100
        if not self.total:
            return 0
        return min(100, int(100 * self.done / self.total))

    @property
    def finished(self) -> bool:
        return self.status in {self.Status.SUCCEEDED, self.Status.FAILED}
