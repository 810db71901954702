"""Reminders of action items: once within ``LANDHUB_GOVERNANCE_REMINDER_DAYS`` of the due date,
once when overdue, never twice for the same state; a later due date opens a new window; the
``landhub governance-reminders`` command runs them with the votes' closing round."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.test import override_settings

from landhub.core.models import Notification
from landhub.governance import services

pytestmark = pytest.mark.django_db

DUE = dt.date(2026, 3, 10)


def _reminders(user):
    return list(Notification.objects.filter(recipient=user, kind="governance.action_due")
                .order_by("pk").values_list("title", flat=True))  # fmt: skip


@override_settings(LANDHUB_GOVERNANCE_REMINDER_DAYS=3)
def test_an_owner_is_reminded_once_before_and_once_after_the_due_date(gov, world):
    action = services.action_create(actor=gov.sam, body=gov.sc, title="Send the budget",
                                    due_on=DUE, owner=world.people["sofia"])  # fmt: skip
    assert services.actions_remind(today=DUE - dt.timedelta(days=4)) == (0, 0)
    assert services.actions_remind(today=DUE - dt.timedelta(days=3)) == (1, 0)
    assert services.actions_remind(today=DUE - dt.timedelta(days=1)) == (0, 0)
    assert services.actions_remind(today=DUE) == (0, 0)
    assert _reminders(world.sofia) == ["Action due soon: Send the budget"]
    assert services.actions_remind(today=DUE + dt.timedelta(days=1)) == (0, 1)
    assert services.actions_remind(today=DUE + dt.timedelta(days=5)) == (0, 0)
    assert _reminders(world.sofia)[-1] == "Action overdue: Send the budget"
    action.refresh_from_db()
    assert action.reminded_on == DUE + dt.timedelta(days=1) and action.version == 1  # no edit
    # A later due date: a new window, reminded again before it.
    services.action_update(actor=gov.sam, action=action, version=action.version,
                           changes={"due_on": DUE + dt.timedelta(days=20)})  # fmt: skip
    assert services.actions_remind(today=DUE + dt.timedelta(days=18)) == (1, 0)


def test_done_cancelled_archived_and_ownerless_actions_are_not_reminded(gov, world):
    owned = {"body": gov.sc, "due_on": DUE, "owner": world.people["sofia"]}
    done = services.action_create(actor=gov.sam, title="Done", **owned)
    services.action_set_status(actor=world.sofia, action=done, status="done")
    cancelled = services.action_create(actor=gov.sam, title="Cancelled", **owned)
    services.action_set_status(actor=gov.sam, action=cancelled, status="cancelled")
    archived = services.action_create(actor=gov.sam, title="Archived", **owned)
    services.action_archive(actor=gov.sam, action=archived)
    services.action_create(actor=gov.sam, body=gov.sc, title="Organization's", due_on=DUE,
                           owner_organization=world.core_org)  # fmt: skip
    assert services.actions_remind(today=DUE + dt.timedelta(days=2)) == (0, 0)


def test_the_command_reminds_and_closes_votes(gov, world):
    services.action_create(actor=gov.sam, body=gov.sc, title="Late", due_on=DUE,
                           owner=world.people["sofia"])  # fmt: skip
    out = io.StringIO()
    call_command("governance_reminders", "--today", "2026-03-20", stdout=out)
    text = out.getvalue()
    assert "0 reminder(s) of actions due soon, 1 of overdue actions" in text
    assert "Votes: 0 closed" in text
    assert _reminders(world.sofia) == ["Action overdue: Late"]
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("governance_reminders", "--today", "soon", stdout=io.StringIO())
