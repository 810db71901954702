"""Who may do what in governance (django-rules).

- Hub staff run the bodies: create them, fill their seats, and may do whatever a body's
  officers may.
- A body's **officers** — its current chair and secretary — schedule its meetings, publish
  agendas, record attendance, write and circulate minutes, propose decisions, open and close
  votes, ask for advice and record action items.
- Any **seat holder** (a current seat on any body, any role) may raise a key issue to a body
  they can see; its author may edit it while it is only raised.
- A **voting seat's holder** votes on that seat; an alternate votes for their principal only
  when the principal is absent (checked in ``services`` with ``procedure``). Any member of a
  body declares their own conflicts of interest.
- An advisory body's officers record its advice.
- An action's owner updates its status.
- Plans are kept by hub staff.

Reads follow ``BodyRecordQuerySet.visible_to`` (records) and ``Body.objects.visible_to``.
"""

from __future__ import annotations

import rules

from landhub.core.access import is_hub_staff as _is_hub_staff

OFFICER_ROLES = ("chair", "secretary")


def _seats(user):
    from .models import Seat

    return Seat.objects.current().filter(person__user=user)


def officer_body_ids(user) -> set[int]:
    """The bodies where ``user`` holds a current chair or secretary seat (cached per user
    object, i.e. per request)."""
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_governance_officer_of", None)
    if cached is None:
        cached = set(_seats(user).filter(role__in=OFFICER_ROLES).values_list("body_id", flat=True))
        user._governance_officer_of = cached
    return cached


def member_body_ids(user) -> set[int]:
    """The bodies where ``user`` holds any current seat (cached per user object)."""
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_governance_member_of", None)
    if cached is None:
        cached = set(_seats(user).values_list("body_id", flat=True))
        user._governance_member_of = cached
    return cached


def forget_seats(user) -> None:
    """Drop the cached seats (after a seat changes within the same request)."""
    for name in ("_governance_officer_of", "_governance_member_of"):
        if hasattr(user, name):
            delattr(user, name)


def _body_of(obj):
    """The body a record belongs to (the record may be the body itself)."""
    from .models import AdviceRequest, AgendaItem, Body, Minutes

    if obj is None or isinstance(obj, Body):
        return obj
    if isinstance(obj, AgendaItem | Minutes):
        return obj.meeting.body
    if isinstance(obj, AdviceRequest):
        return obj.adviser
    return getattr(obj, "body", None)


@rules.predicate
def is_hub_staff(user) -> bool:
    return _is_hub_staff(user)


@rules.predicate
def is_officer(user, obj) -> bool:
    body = _body_of(obj)
    return body is not None and body.pk in officer_body_ids(user)


@rules.predicate
def is_member(user, obj) -> bool:
    body = _body_of(obj)
    return body is not None and body.pk in member_body_ids(user)


@rules.predicate
def holds_a_seat(user) -> bool:
    return bool(member_body_ids(user))


@rules.predicate
def raised_it_and_still_raised(user, issue) -> bool:
    return (issue is not None and issue.raised_by_id == user.pk
            and issue.status == "raised")  # fmt: skip


@rules.predicate
def owns_action(user, action) -> bool:
    return action is not None and action.owner_id is not None and action.owner.user_id == user.pk


staff_or_officer = is_hub_staff | is_officer

rules.add_perm("governance.manage_bodies", is_hub_staff)
rules.add_perm("governance.raise_issue", is_hub_staff | holds_a_seat)
rules.add_perm("governance.change_issue", staff_or_officer | raised_it_and_still_raised)
rules.add_perm("governance.manage_meetings", staff_or_officer)
rules.add_perm("governance.write_minutes", staff_or_officer)
rules.add_perm("governance.declare_conflict", is_hub_staff | is_member)
rules.add_perm("governance.propose_decision", staff_or_officer)
rules.add_perm("governance.vote", is_member)  # which seat votes: services + procedure
rules.add_perm("governance.request_advice", staff_or_officer)
rules.add_perm("governance.give_advice", staff_or_officer)  # obj: the advice request
rules.add_perm("governance.manage_actions", staff_or_officer)
rules.add_perm("governance.update_action", staff_or_officer | owns_action)
rules.add_perm("governance.manage_plans", is_hub_staff)
