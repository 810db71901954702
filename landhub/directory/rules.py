"""Who may do what with directory records (object permissions, django-rules).

Roles come from current memberships: organization admin, landscape leader/manager, plus the
hub-staff group. ``get_object_for`` is the single entry point views and the API use to load a
record for an action: unreadable → 404, readable but not writable → 403.
"""

from __future__ import annotations

import rules
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from landhub.core.access import is_hub_staff as _is_hub_staff

from .models import (
    CORE_PARTNER_KIND,
    LandscapeMembership,
    LandscapeRole,
    OrganizationMembership,
    OrganizationRole,
)


def _current(qs):
    from django.utils import timezone

    return qs.filter(Q(end_date__isnull=True) | Q(end_date__gte=timezone.localdate()))


def is_core_partner_staff(user) -> bool:
    return _current(
        OrganizationMembership.objects.filter(
            person__user=user, organization__kind__slug=CORE_PARTNER_KIND,
            organization__archived_at__isnull=True,
        )
    ).exists()  # fmt: skip


def admin_organization_ids(user) -> set[int]:
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_landhub_admin_orgs", None)
    if cached is None:
        cached = set(
            _current(
                OrganizationMembership.objects.filter(
                    person__user=user, role=OrganizationRole.ADMIN
                )
            ).values_list("organization_id", flat=True)
        )
        user._landhub_admin_orgs = cached
    return cached


def managed_landscape_ids(user) -> set[int]:
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_landhub_managed_landscapes", None)
    if cached is None:
        cached = set(
            _current(
                LandscapeMembership.objects.filter(
                    person__user=user, role__in=[LandscapeRole.LEADER, LandscapeRole.MANAGER]
                )
            ).values_list("landscape_id", flat=True)
        )
        user._landhub_managed_landscapes = cached
    return cached


def forget_memberships(user) -> None:
    for attr in ("_landhub_admin_orgs", "_landhub_managed_landscapes", "_landhub_roles"):
        if hasattr(user, attr):
            delattr(user, attr)


@rules.predicate
def is_hub_staff(user) -> bool:
    return _is_hub_staff(user)


@rules.predicate
def is_organization_admin(user, organization) -> bool:
    return organization is not None and organization.pk in admin_organization_ids(user)


@rules.predicate
def is_landscape_manager(user, landscape) -> bool:
    return landscape is not None and landscape.pk in managed_landscape_ids(user)


rules.add_perm("directory.change_organization", is_hub_staff | is_organization_admin)
rules.add_perm("directory.invite_to_organization", is_hub_staff | is_organization_admin)
rules.add_perm("directory.change_landscape", is_hub_staff | is_landscape_manager)
rules.add_perm("directory.invite_to_landscape", is_hub_staff | is_landscape_manager)
rules.add_perm("directory.add_landscape", is_hub_staff)
rules.add_perm("directory.add_organization", is_hub_staff)
rules.add_perm("directory.archive_landscape", is_hub_staff)
rules.add_perm("directory.archive_organization", is_hub_staff)
rules.add_perm("directory.change_term", is_hub_staff)
rules.add_perm("directory.import", is_hub_staff)


def can(user, perm: str, obj=None) -> bool:
    return user.is_authenticated and user.has_perm(perm, obj)


def get_object_for(user, action: str, queryset, **lookup):
    """Load one record the user may read; check ``action`` (a permission name) on it.

    Not visible → Http404 (we do not reveal that it exists); visible but the action is not
    allowed → PermissionDenied (403).
    """
    obj = queryset.visible_to(user).filter(**lookup).first()
    if obj is None:
        raise Http404
    if action != "view" and not can(user, action, obj):
        raise PermissionDenied
    return obj
