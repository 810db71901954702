"""Writes of action items: what a decision or a meeting asks someone to do, by when.

- A body's officers (chair, secretary) and hub staff record actions (``action_create``) —
  from a decision, from a meeting, or for the body alone — with an owner (a person, who is
  told and reminded, and/or an organization) and a due date; they edit and archive them.
- The action's owner, besides the officers, moves its status (``action_set_status``): done
  stamps ``done_at`` so the record says when it was finished, reopening clears it.
- ``actions_remind`` (run daily by ``landhub governance-reminders``) reminds the owner
  ``LANDHUB_GOVERNANCE_REMINDER_DAYS`` before the due date and once when it is overdue.
  ``reminded_on`` remembers the last reminder, so each state is announced once: a reminder
  dated inside the "due soon" window means that one was sent, one dated after the due date
  means the overdue one was. Moving the due date later opens a new window of its own.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from landhub.core.services import notify
from landhub.core.versioning import save_versioned

from ..models import ActionItem, ActionStatus, Body
from ..models.actions import OPEN_ACTION_STATUSES
from .common import full_clean, not_archived, require

__all__ = [
    "ACTION_FIELDS",
    "action_archive",
    "action_create",
    "action_set_status",
    "action_update",
    "actions_remind",
    "reminder_days",
]

ACTION_FIELDS = ("title", "description", "owner", "owner_organization", "due_on", "confidential",
                 "decision", "meeting")  # fmt: skip


def reminder_days() -> int:
    return int(getattr(settings, "LANDHUB_GOVERNANCE_REMINDER_DAYS", 3))


def _check(action: ActionItem, errors: dict) -> None:
    """Rules a form cannot check on its own: the decision and the meeting belong to the
    action's body, and somebody owns it."""
    if action.decision_id and action.decision.body_id != action.body_id:
        errors.setdefault("decision", []).append(
            _("This decision was taken by another body."))  # fmt: skip
    if action.meeting_id and action.meeting.body_id != action.body_id:
        errors.setdefault("meeting", []).append(_("This meeting is another body's."))
    if action.owner_id is None and action.owner_organization_id is None:
        errors.setdefault("owner", []).append(
            _("Name the person or the organization who owns this action."))  # fmt: skip


def _tell_owner(action: ActionItem, *, kind: str, title: str, body: str = "") -> None:
    user = action.owner.user if action.owner_id else None
    if user is not None:
        notify(recipients=[user], kind=kind, title=title, body=body,
               url=action.get_absolute_url())  # fmt: skip


def _assigned(action: ActionItem) -> None:
    _tell_owner(action, kind="governance.action_assigned",
                title=_("Action for you: %(title)s") % {"title": action.title},
                body=_("%(body)s asks you to do this by %(due)s.") % {
                    "body": action.body.name, "due": action.due_on.isoformat()})  # fmt: skip


@transaction.atomic
def action_create(*, actor, title: str, due_on: dt.date | None, body: Body | None = None,
                  decision=None, meeting=None, owner=None, owner_organization=None,
                  description: str = "", confidential: bool = False) -> ActionItem:  # fmt: skip
    """Record an action of ``body`` — or of the body of ``decision`` / ``meeting`` — and tell
    its owner. An action of a confidential decision is confidential too."""
    body = body or (decision.body if decision else None) or (meeting.body if meeting else None)
    if body is None:
        raise ValidationError({"body": [_("Choose the body this action is for.")]})
    require(actor, "governance.manage_actions", body)
    not_archived(body)
    action = ActionItem(
        body=body, decision=decision, meeting=meeting, title=(title or "").strip(),
        description=(description or "").strip(), owner=owner,
        owner_organization=owner_organization, due_on=due_on,
        confidential=bool(confidential or getattr(decision, "confidential", False)),
        created_by=actor,
    )  # fmt: skip
    errors: dict = {}
    _check(action, errors)
    full_clean(action, errors)
    action._history_user = actor
    action.save()
    _assigned(action)
    return action


@transaction.atomic
def action_update(*, actor, action: ActionItem, version: int | None, changes: dict) -> ActionItem:
    """Change what the action says, its owner or due date; a new owner is told."""
    require(actor, "governance.manage_actions", action)
    not_archived(action)
    unknown = set(changes) - set(ACTION_FIELDS)
    if unknown:
        raise ValidationError({key: [_("This field cannot be changed here.")]
                               for key in sorted(unknown)})  # fmt: skip
    owner_before = action.owner_id
    for key, value in changes.items():
        setattr(action, key, value.strip() if isinstance(value, str) else value)
    errors: dict = {}
    _check(action, errors)
    full_clean(action, errors)
    action._history_user = actor
    save_versioned(action, expected_version=version)
    if action.owner_id and action.owner_id != owner_before:
        _assigned(action)
    return action


@transaction.atomic
def action_set_status(*, actor, action: ActionItem, status: str,
                      version: int | None = None) -> ActionItem:  # fmt: skip
    """Move the action to ``status`` (its owner or the body's officers); done stamps when."""
    require(actor, "governance.update_action", action)
    not_archived(action)
    if status not in ActionStatus.values:
        raise ValidationError({"status": [_("Choose one of the statuses offered.")]})
    action.status = status
    if status == ActionStatus.DONE:
        action.done_at = action.done_at or timezone.now()
    else:
        action.done_at = None
    action._history_user = actor
    save_versioned(action, expected_version=version, update_fields=["status", "done_at"])
    return action


@transaction.atomic
def action_archive(*, actor, action: ActionItem, version: int | None = None,
                   archived: bool = True) -> ActionItem:  # fmt: skip
    """Archive an action recorded by mistake (or restore it). It stays in the history."""
    require(actor, "governance.manage_actions", action)
    action.archived_at = timezone.now() if archived else None
    action._history_user = actor
    save_versioned(action, expected_version=version, update_fields=["archived_at"])
    return action


def actions_remind(*, today: dt.date | None = None) -> tuple[int, int]:
    """Remind owners of open actions due within ``reminder_days()`` and, once, of overdue
    ones. Returns (due soon, overdue) reminders sent. Actions without an owner with an
    account have nobody to remind and are left alone.

    ``reminded_on`` is written with ``update`` (no new version, no history row): a reminder
    is not an edit, and must not make an owner's open form stale.
    """
    today = today or timezone.localdate()
    days = reminder_days()
    candidates = (
        ActionItem.objects.active()
        .filter(status__in=OPEN_ACTION_STATUSES, owner__user__isnull=False,
                due_on__lte=today + dt.timedelta(days=days))
        .select_related("owner__user", "body")
    )  # fmt: skip
    soon = overdue = 0
    for action in candidates.iterator(chunk_size=500):
        if action.due_on >= today:
            window_opens = action.due_on - dt.timedelta(days=days)
            if action.reminded_on is not None and window_opens <= action.reminded_on:
                continue  # reminded in this window already
            left = (action.due_on - today).days
            _tell_owner(action, kind="governance.action_due",
                        title=_("Action due soon: %(title)s") % {"title": action.title},
                        body=_("Due %(due)s (in %(days)d days).") % {
                            "due": action.due_on.isoformat(), "days": left})  # fmt: skip
            soon += 1
        else:
            if action.reminded_on is not None and action.reminded_on > action.due_on:
                continue  # told it is overdue already
            _tell_owner(action, kind="governance.action_due",
                        title=_("Action overdue: %(title)s") % {"title": action.title},
                        body=_("It was due %(due)s. Update its status, or ask the body's "
                               "secretary to move the date.") % {
                            "due": action.due_on.isoformat()})  # fmt: skip
            overdue += 1
        ActionItem.objects.filter(pk=action.pk).update(reminded_on=today)
    return soon, overdue
