"""Reads for the two front doors: the public home page and the signed-in "My hub"."""

from __future__ import annotations

from django.db.models import Count, Q, Sum
from django.utils import timezone

from landhub.core.models import Visibility

from ..models import (
    CORE_PARTNER_KIND,
    Invitation,
    JoinRequest,
    Landscape,
    LandscapeMembership,
    LandscapeRole,
    Organization,
    OrganizationMembership,
    OrganizationRole,
)


def public_counters() -> dict:
    """Live figures for the public home page, counted over public, active records only.

    Kept in the cache until the next write (``core.counts``): counting every landscape and
    organization on each visit made the home page the one page whose cost grew with the data.
    """
    from landhub.core.counts import kept_until_next_write

    return kept_until_next_write("home-counters", "", _public_counters)


def _public_counters() -> dict:
    landscapes = Landscape.objects.active().filter(visibility=Visibility.PUBLIC)
    figures = landscapes.aggregate(count=Count("pk"), people=Sum("population"))
    members = landscapes.filter(initiative_status="member").count()
    partners = (
        Organization.objects.active()
        .filter(visibility=Visibility.PUBLIC)
        .exclude(kind__slug="landscape-partnership")
        .count()
    )
    core = Organization.objects.active().filter(kind__slug=CORE_PARTNER_KIND).count()
    return {
        "landscapes": figures["count"] or 0,
        "members": members,
        "people": figures["people"] or 0,
        "partners": partners,
        "core_partners": core,
    }


def _current(qs):
    today = timezone.localdate()
    return qs.filter(Q(end_date__isnull=True) | Q(end_date__gte=today))


def my_hub(*, user) -> dict:
    """What a signed-in person sees first: their places, what waits for them, what happened."""
    from landhub.core.panels import my_hub_panels

    from ..rules import admin_organization_ids, managed_landscape_ids

    landscape_memberships = _current(
        LandscapeMembership.objects.filter(person__user=user, landscape__archived_at__isnull=True)
    ).select_related("landscape")
    org_memberships = _current(
        OrganizationMembership.objects.filter(
            person__user=user, organization__archived_at__isnull=True
        )
    ).select_related("organization__kind")
    invitations = Invitation.objects.filter(
        email__iexact=user.email, status=Invitation.Status.PENDING, expires_at__gt=timezone.now()
    ).select_related("organization", "landscape")
    to_decide = (
        JoinRequest.objects.filter(status=JoinRequest.Status.PENDING)
        .filter(
            Q(organization_id__in=admin_organization_ids(user))
            | Q(landscape_id__in=managed_landscape_ids(user))
        )
        .select_related("user", "organization", "landscape")
    )
    my_requests = JoinRequest.objects.filter(
        user=user, status=JoinRequest.Status.PENDING
    ).select_related("organization", "landscape")
    return {
        "landscape_memberships": list(landscape_memberships),
        "org_memberships": list(org_memberships),
        "invitations": list(invitations[:20]),
        "join_requests_to_decide": list(to_decide[:20]),
        "my_join_requests": list(my_requests[:20]),
        "notifications": list(user.notifications.all()[:8]),
        "panels": my_hub_panels(user=user),
        "managed_roles": (LandscapeRole.LEADER, LandscapeRole.MANAGER, OrganizationRole.ADMIN),
    }
