"""Reads of action items: the list, one action, and the panels on a body's page, a meeting's
page and the owner's "My hub".

**Who reads an action.** ``BodyRecordQuerySet.visible_to``: hub staff all; the body's members
all of its actions; other signed-in members those of a body whose records are open to the
network, confidential ones excepted. Besides, **an action's owner always reads it** — the
person asked to do something must be able to see what.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from landhub.core.access import roles_of
from landhub.core.counts import cached_result
from landhub.core.history import history_entries
from landhub.directory.rules import can

from ..models import ActionItem
from ..models.actions import OPEN_ACTION_STATUSES
from ..panels import body_panel, meeting_panel

__all__ = [
    "ACTION_SORTS",
    "action_owner_organizations",
    "action_detail",
    "action_history",
    "action_list",
    "actions_visible_to",
    "body_actions_panel",
    "meeting_actions_panel",
    "my_actions_panel",
    "register_my_actions_panel",
]

ACTION_SORTS = {"due": "due_on", "title": "title", "status": "status", "body": "body__name",
                "updated": "updated_at"}  # fmt: skip
PANEL_SIZE = 10


def actions_visible_to(user) -> QuerySet[ActionItem]:
    """Every action ``user`` may read (archived ones too)."""
    roles = roles_of(user)
    if roles.hub_staff:
        return ActionItem.objects.all()
    if not roles.authenticated:
        return ActionItem.objects.none()
    from landhub.directory.models import Person

    # The owner by a subquery on the person's account, not a join: the join made PostgreSQL
    # hash every person (200,000 at scale 10: 55 ms for a body page's count of actions).
    owned = Q(owner_id__in=Person.objects.filter(user=user).values("pk"))
    return ActionItem.objects.filter(ActionItem.objects.all().visibility_q(user) | owned)


def action_owner_organizations(*, user, limit: int = 200) -> list[tuple[str, str]]:
    """(slug, name) of the organizations owning an action ``user`` may read: the list's
    filter. Reading them checks every visible action (110 ms for 40,000 on SQLite), so the
    answer is kept until the next write, per reader, like the list's count."""
    from landhub.directory.models import Organization

    visible = actions_visible_to(user)

    def compute():
        return list(Organization.objects.filter(pk__in=visible.values("owner_organization_id"))
                    .order_by("name").values_list("slug", "name")[:limit])  # fmt: skip

    return cached_result("governance.action_owner_organizations", visible, compute, extra=limit)


def _related(qs):
    return qs.select_related("body", "owner", "owner_organization", "decision", "meeting")


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def action_list(*, user, filters: dict | None = None) -> QuerySet[ActionItem]:
    """Actions ``user`` may read, not archived unless ``archived=1``. Filters: body (slug),
    mine (1: owned by ``user``), owner_organization (slug), status (a status, or ``open``
    for open and in progress), overdue (1: open and past due), due_before (a date), decision
    and meeting (ids), q (words of the title)."""
    filters = {k: v.strip() for k, v in (filters or {}).items() if isinstance(v, str) and v.strip()}
    qs = actions_visible_to(user)
    qs = qs.filter(archived_at__isnull=filters.get("archived") != "1")
    if body := filters.get("body"):
        qs = qs.filter(body__slug=body)
    if filters.get("mine") == "1":
        qs = qs.filter(owner__user=user) if user.is_authenticated else qs.none()
    if organization := filters.get("owner_organization"):
        qs = qs.filter(owner_organization__slug=organization)
    status = filters.get("status")
    if status == "open":
        qs = qs.filter(status__in=OPEN_ACTION_STATUSES)
    elif status:
        qs = qs.filter(status=status)
    if filters.get("overdue") == "1":
        qs = qs.filter(status__in=OPEN_ACTION_STATUSES, due_on__lt=timezone.localdate())
    if (due_before := _date(filters.get("due_before", ""))) is not None:
        qs = qs.filter(due_on__lt=due_before)
    for key in ("decision", "meeting"):
        if (value := filters.get(key, "")).isdigit() and int(value) < 2**63:
            qs = qs.filter(**{f"{key}_id": int(value)})
    if q := filters.get("q"):
        for word in q.split()[:8]:
            qs = qs.filter(Q(title__icontains=word) | Q(description__icontains=word))
    return _related(qs)


def action_detail(*, user, pk: int) -> ActionItem:
    if not 0 < int(pk) < 2**63:
        raise Http404
    action = _related(actions_visible_to(user)).filter(pk=pk).first()
    if action is None:
        raise Http404
    return action


def action_history(action: ActionItem):
    return history_entries(action)


def _mark_overdue(actions: list[ActionItem]) -> list[ActionItem]:
    today = timezone.localdate()
    for action in actions:
        action.overdue = action.is_open and action.due_on < today
    return actions


def _open_first_overdue(qs, limit: int = PANEL_SIZE) -> dict:
    """Open actions by due date (the overdue come first that way), marked, with the count."""
    qs = qs.filter(status__in=OPEN_ACTION_STATUSES, archived_at__isnull=True)
    shown = _mark_overdue(list(_related(qs).order_by("due_on", "pk")[:limit]))
    total = len(shown) if len(shown) < limit else qs.count()
    return {"actions": shown, "total": total, "overdue": sum(a.overdue for a in shown)}


@body_panel("governance/partials/body_actions.html", order=30)
def body_actions_panel(*, user, body) -> dict | None:
    """The body's open actions, overdue first and marked, and for its officers a link to
    record one; None when there is nothing to show."""
    context = _open_first_overdue(actions_visible_to(user).filter(body=body))
    context.update(body=body, can_record=can(user, "governance.manage_actions", body))
    if not context["actions"] and not context["can_record"]:
        return None
    return context


@meeting_panel("governance/partials/meeting_actions.html", order=20)
def meeting_actions_panel(*, user, meeting) -> dict | None:
    """Every action the meeting produced (done ones too: the minutes' follow-up)."""
    actions = _mark_overdue(list(
        _related(actions_visible_to(user).filter(meeting=meeting, archived_at__isnull=True))
        .order_by("due_on", "pk")[:50]))  # fmt: skip
    can_record = can(user, "governance.manage_actions", meeting)
    if not actions and not can_record:
        return None
    return {"actions": actions, "meeting": meeting, "can_record": can_record}


def decision_actions(*, user, decision) -> list[ActionItem]:
    """Every action the decision gave rise to that ``user`` may read (done ones too: how the
    decision is being carried out), by due date, overdue marked."""
    return _mark_overdue(list(
        _related(actions_visible_to(user).filter(decision=decision, archived_at__isnull=True))
        .order_by("due_on", "pk")[:50]))  # fmt: skip


def my_actions_panel(*, user) -> dict | None:
    """The signed-in person's open actions for "My hub", overdue first and marked; None when
    they own none. Registered in ``GovernanceConfig.ready``."""
    if not getattr(user, "is_authenticated", False):
        return None
    context = _open_first_overdue(ActionItem.objects.filter(owner__user=user))
    return context if context["actions"] else None


def register_my_actions_panel() -> None:
    """Put ``my_actions_panel`` on "My hub" (called from ``GovernanceConfig.ready``: the
    directory's page knows no function app)."""
    from landhub.core.panels import register_my_hub_panel

    register_my_hub_panel("governance/partials/my_actions.html", my_actions_panel, order=20)
