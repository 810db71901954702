"""Who a user is to the hub: hub staff, core-partner staff, signed-in member or the public.

Roles come from the hub-staff group and from memberships. Memberships live in ``directory``,
which depends on ``core``; so ``directory`` registers the function that answers "is this user
staff of a core partner?" at start-up (``set_core_partner_resolver``), and ``core`` never
imports it. The answer is cached on the user object for the rest of the request.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

HUB_STAFF_GROUP = "hub-staff"

_core_partner_resolver: Callable[[object], bool] = lambda user: False  # noqa: E731


def set_core_partner_resolver(resolver: Callable[[object], bool]) -> None:
    global _core_partner_resolver
    _core_partner_resolver = resolver


@dataclass(frozen=True)
class Roles:
    authenticated: bool
    hub_staff: bool
    core_partner: bool


ANONYMOUS = Roles(authenticated=False, hub_staff=False, core_partner=False)


def roles_of(user) -> Roles:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return ANONYMOUS
    cached = getattr(user, "_landhub_roles", None)
    if cached is not None:
        return cached
    hub_staff = user.is_superuser or user.groups.filter(name=HUB_STAFF_GROUP).exists()
    roles = Roles(
        authenticated=True,
        hub_staff=hub_staff,
        core_partner=hub_staff or bool(_core_partner_resolver(user)),
    )
    user._landhub_roles = roles
    return roles


def forget_roles(user) -> None:
    """Drop the cached roles (after a membership or group change in the same request)."""
    if hasattr(user, "_landhub_roles"):
        del user._landhub_roles


def is_hub_staff(user) -> bool:
    return roles_of(user).hub_staff


def is_core_partner(user) -> bool:
    return roles_of(user).core_partner
