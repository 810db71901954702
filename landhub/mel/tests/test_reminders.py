"""Reminders to those who report: before the due date and once overdue, each once per person,
period, landscape and kind; nothing for values already submitted; preferences respected."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from landhub.core.models import Notification
from landhub.core.services import notification_preference_set
from landhub.mel import services
from landhub.mel.models import ReportingReminder
from landhub.mel.services.reminders import NOTIFICATION_KIND

KIND = NOTIFICATION_KIND


def at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(6, 0), tzinfo=dt.UTC)


@pytest.fixture
def y26(mel, world):
    """2026 (due 2027-02-01) is the period; 2025 is locked, so it asks for nothing."""
    services.period_lock(actor=world.hana, period=mel.periods[0])
    return mel.periods[1]


def notes(user):
    return list(Notification.objects.filter(recipient=user, kind=KIND).order_by("pk"))


def test_a_reminder_goes_out_once_within_the_days_before_the_due_date(world, mel, y26, settings):
    settings.LANDHUB_MEL_REMINDER_DAYS = 14
    assert services.send_reporting_reminders(now=at(dt.date(2027, 1, 17))) == 0  # 15 days before
    assert services.send_reporting_reminders(now=at(dt.date(2027, 1, 18))) == 1
    (note,) = notes(world.lena)
    assert note.title == "Due on 2027-02-01: Kenya Highlands's values for 2026"
    assert note.body == "2 indicators still need their values entered and submitted for review."
    assert note.url == reverse("mel:report_grid", args=[world.landscape.slug, "2026"])
    # The next daily runs repeat nothing.
    assert services.send_reporting_reminders(now=at(dt.date(2027, 1, 19))) == 0
    assert services.send_reporting_reminders(now=at(dt.date(2027, 1, 31))) == 0
    assert len(notes(world.lena)) == 1


def test_overdue_once_after_the_due_date(world, mel, y26):
    services.send_reporting_reminders(now=at(dt.date(2027, 1, 25)))
    assert services.send_reporting_reminders(now=at(dt.date(2027, 2, 2))) == 1
    assert services.send_reporting_reminders(now=at(dt.date(2027, 2, 9))) == 0
    titles = [n.title for n in notes(world.lena)]
    assert titles == [
        "Due on 2027-02-01: Kenya Highlands's values for 2026",
        "Overdue: Kenya Highlands's values for 2026 were due on 2027-02-01",
    ]
    assert set(ReportingReminder.objects.filter(recipient=world.lena)
               .values_list("kind", flat=True)) == {"due_soon", "overdue"}  # fmt: skip


def test_nobody_is_reminded_of_values_already_submitted(world, mel, y26):
    lena = world.lena
    trained = services.observation_save(actor=lena, assignment=mel.a[("T1", world.landscape.pk)],
                                        period=y26, parts={"sex:women": {"value": 3},
                                                           "sex:men": {"value": 2}})  # fmt: skip
    share = services.observation_save(actor=lena, assignment=mel.a[("W1", world.landscape.pk)],
                                      period=y26, numerator=1, denominator=2)  # fmt: skip
    services.observation_submit(actor=lena, observation=trained, version=trained.version)
    # A draft is not reported yet: still reminded, of one indicator.
    assert services.send_reporting_reminders(now=at(dt.date(2027, 1, 20))) == 1
    one = "1 indicator still needs its value entered and submitted for review."
    assert notes(lena)[0].body == one
    services.observation_submit(actor=lena, observation=share, version=share.version)
    assert services.send_reporting_reminders(now=at(dt.date(2027, 2, 5))) == 0
    assert len(notes(lena)) == 1


def test_a_named_reporter_is_reminded_of_the_landscape_they_report(world, mel, y26):
    assignment = mel.a[("T1", mel.landscapes[1].pk)]
    assignment.reporter = world.people["nora"]
    assignment.save()
    services.send_reporting_reminders(now=at(dt.date(2027, 1, 20)))
    (note,) = notes(world.nora)
    assert note.title == "Due on 2027-02-01: Lake Basin's values for 2026"
    assert note.body == "1 indicator still needs its value entered and submitted for review."
    # Lake Basin's other indicator has no named reporter and the landscape no leader: lena
    # (leader elsewhere) hears only of her own landscape.
    assert [n.title for n in notes(world.lena)] == [
        "Due on 2027-02-01: Kenya Highlands's values for 2026"]  # fmt: skip


def test_e_mail_follows_the_persons_preference(world, mel, y26, django_capture_on_commit_callbacks):
    notification_preference_set(actor=world.lena, kind=KIND, delivery="off")
    assignment = mel.a[("T1", mel.landscapes[1].pk)]
    assignment.reporter = world.people["nora"]
    assignment.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_reporting_reminders(now=at(dt.date(2027, 1, 20))) == 2
    # Both see it in the hub; only nora, who kept the default, gets an e-mail.
    assert len(notes(world.lena)) == len(notes(world.nora)) == 1
    assert [m.to for m in mail.outbox] == [[world.nora.email]]
    assert "Lake Basin's values for 2026" in mail.outbox[0].subject
    assert "/mel/report/" in mail.outbox[0].body


def test_a_locked_period_reminds_nobody(world, mel, y26):
    services.period_lock(actor=world.hana, period=y26)
    assert services.send_reporting_reminders(now=at(dt.date(2027, 2, 10))) == 0


def test_the_command_and_the_task_send_the_same_reminders(world, mel, y26, capsys, monkeypatch):
    from django.utils import timezone

    from landhub.mel.tasks import send_reporting_reminders_task

    monkeypatch.setattr(timezone, "now", lambda: at(dt.date(2027, 1, 25)))
    call_command("mel_send_reminders")
    assert "Sent 1 reporting reminder(s)." in capsys.readouterr().out
    result = send_reporting_reminders_task.enqueue()
    assert result.return_value == 0  # already sent today
