"""notify(): in-app bell, e-mail by preference, daily digest, one-click unsubscribe."""

import pytest
from django.core import mail
from django.urls import reverse

from landhub.core import services
from landhub.core.models import Notification, NotificationPreference

pytestmark = pytest.mark.django_db


def test_notify_shows_under_the_bell_and_emails(
    world, client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(recipients=[world.nora], kind="invitation", title="You are invited",
                        url="/me/")  # fmt: skip
    page = client_for("nora").get(reverse("core:notifications")).content.decode()
    assert "You are invited" in page
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "[LandHub] You are invited"
    assert "/unsubscribe/" in mail.outbox[0].body


def test_bell_counts_unread_and_mark_read(world, client_for):
    services.notify(recipients=[world.nora], kind="x", title="One")
    services.notify(recipients=[world.nora], kind="x", title="Two")
    client = client_for("nora")
    response = client.get(reverse("core:notifications"))
    assert response.context["unread_notifications"] == 2
    client.post(reverse("core:notifications_read"))
    response = client.get(reverse("core:notifications"))
    assert response.context["unread_notifications"] == 0


def test_cannot_mark_someone_elses_notifications(world, client_for):
    note = services.notify(recipients=[world.nora], kind="x", title="Mine")[0]
    client_for("oscar").post(reverse("core:notifications_read"), {"id": note.pk})
    note.refresh_from_db()
    assert note.read_at is None


def test_preference_off_sends_no_email(world, django_capture_on_commit_callbacks):
    NotificationPreference.objects.create(user=world.nora, kind="invitation", delivery="off")
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(recipients=[world.nora], kind="invitation", title="Hello")
    assert mail.outbox == []
    assert Notification.objects.filter(recipient=world.nora, title="Hello").exists()


def test_daily_digest_collects_pending(world, django_capture_on_commit_callbacks):
    NotificationPreference.objects.create(user=world.nora, kind="join_request", delivery="digest")
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(recipients=[world.nora], kind="join_request", title="A wants in")
        services.notify(recipients=[world.nora], kind="join_request", title="B wants in")
    assert mail.outbox == []
    assert services.send_daily_digests() == 1
    assert len(mail.outbox) == 1
    assert "A wants in" in mail.outbox[0].body and "B wants in" in mail.outbox[0].body
    assert services.send_daily_digests() == 0  # nothing sent twice


def test_one_click_unsubscribe(world, client):
    token = services.unsubscribe_token(user_id=world.nora.pk, kind="invitation")
    response = client.get(reverse("core:unsubscribe", args=[token]))
    assert response.status_code == 200
    assert NotificationPreference.objects.get(user=world.nora, kind="invitation").delivery == "off"


def test_forged_unsubscribe_link(client, world):
    response = client.get(reverse("core:unsubscribe", args=["abc:def"]))
    assert response.status_code == 400
    assert "not valid" in response.content.decode()
