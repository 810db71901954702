"""Who may do what with offerings (django-rules).

Staff of a provider organization (any current member) draft, edit and submit its offerings;
hub staff review them: publish, return with a comment, retire. ``get_object_for`` loads a
record for an action: unreadable → 404, readable but not allowed → 403.
"""

from __future__ import annotations

import rules
from django.db.models import Q
from django.utils import timezone

from landhub.core.access import is_hub_staff as _is_hub_staff
from landhub.directory.models import OrganizationMembership
from landhub.directory.rules import can, get_object_for  # noqa: F401 - one helper for all apps


def member_organization_ids(user) -> set[int]:
    """Organizations the user currently belongs to (any role), cached for the request."""
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_landhub_member_orgs", None)
    if cached is None:
        cached = set(
            OrganizationMembership.objects.filter(person__user=user)
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=timezone.localdate()))
            .values_list("organization_id", flat=True)
        )
        user._landhub_member_orgs = cached
    return cached


@rules.predicate
def is_hub_staff(user) -> bool:
    return _is_hub_staff(user)


@rules.predicate
def belongs_to_an_organization(user) -> bool:
    return bool(member_organization_ids(user))


@rules.predicate
def is_provider_staff(user, offering) -> bool:
    if offering is None:
        return False
    providers = {link.organization_id for link in offering.provider_links.all()}
    return bool(providers & member_organization_ids(user))


rules.add_perm("coordination.add_offering", is_hub_staff | belongs_to_an_organization)
rules.add_perm("coordination.change_offering", is_hub_staff | is_provider_staff)
rules.add_perm("coordination.review_offering", is_hub_staff)
