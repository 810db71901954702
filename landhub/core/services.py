"""Core services: notifications (in-app, e-mail, digest) and task progress."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Notification, NotificationDelivery, NotificationPreference, TaskProgress

UNSUBSCRIBE_SALT = "landhub.unsubscribe"


def unsubscribe_token(*, user_id: int, kind: str) -> str:
    return signing.dumps({"u": user_id, "k": kind}, salt=UNSUBSCRIBE_SALT)


def unsubscribe_url(*, user_id: int, kind: str) -> str:
    token = unsubscribe_token(user_id=user_id, kind=kind)
    return settings.SITE_URL + reverse("core:unsubscribe", args=[token])


def delivery_for(user, kind: str) -> str:
    """How ``user`` wants notices of ``kind``: a choice for that very kind (an e-mail's
    unsubscribe link), else the choice for the longest group it belongs to — preferences are
    kept per group of kinds named by their prefix (``coordination.request`` covers
    ``coordination.request_created`` …; see ``accounts.forms.NOTIFICATION_KINDS``)."""
    prefs = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "delivery"))
    if kind in prefs:
        return prefs[kind]
    groups = [group for group in prefs if kind.startswith(group)]
    return prefs[max(groups, key=len)] if groups else NotificationDelivery.IMMEDIATE


def _email(user, subject: str, body: str, kind: str) -> None:
    footer = _("Stop these e-mails: %(url)s") % {"url": unsubscribe_url(user_id=user.pk, kind=kind)}
    send_mail(
        subject=f"[LandHub] {subject}",
        message=f"{body}\n\n--\n{footer}",
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[user.email],
        fail_silently=True,
    )


def notify(
    *, recipients: Iterable, kind: str, title: str, body: str = "", url: str = ""
) -> list[Notification]:
    """Tell users something happened: always in-app; by e-mail now, in the digest, or not.

    E-mails go out after the surrounding transaction commits, so a rolled-back change never
    e-mails anyone.
    """
    created = []
    seen = set()
    for user in recipients:
        if user is None or user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        note = Notification.objects.create(
            recipient=user, kind=kind, title=title[:300], body=body, url=url
        )
        created.append(note)
        if delivery_for(user, kind) == NotificationDelivery.IMMEDIATE and user.email:
            link = f"\n{settings.SITE_URL}{url}" if url else ""

            def send(user=user, note=note, link=link):
                _email(user, title, f"{body}{link}", kind)
                Notification.objects.filter(pk=note.pk).update(emailed_at=timezone.now())

            transaction.on_commit(send)
    return created


def notification_mark_read(*, actor, notification_ids: list[int] | None = None) -> int:
    """Mark the actor's own notifications read (all of them when no ids are given)."""
    qs = Notification.objects.filter(recipient=actor, read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(pk__in=notification_ids)
    return qs.update(read_at=timezone.now())


def notification_preference_set(*, actor, kind: str, delivery: str) -> NotificationPreference:
    if delivery not in NotificationDelivery.values:
        raise ValueError(f"Unknown delivery {delivery!r}")
    pref, _created = NotificationPreference.objects.update_or_create(
        user=actor, kind=kind, defaults={"delivery": delivery}
    )
    return pref


def unsubscribe(*, token: str) -> NotificationPreference:
    """One-click unsubscribe from an e-mail link: no sign-in needed, the token is signed."""
    from django.contrib.auth import get_user_model

    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        user = get_user_model().objects.get(pk=data["u"])
    except (signing.BadSignature, KeyError, TypeError, ValueError) as exc:
        raise PermissionDenied(_("This unsubscribe link is not valid.")) from exc
    except get_user_model().DoesNotExist as exc:
        raise PermissionDenied(_("This unsubscribe link is not valid.")) from exc
    return notification_preference_set(actor=user, kind=data["k"], delivery="off")


def send_daily_digests(*, now=None) -> int:
    """E-mail each user who chose the digest one message with what they have not been sent."""
    now = now or timezone.now()
    digest_kinds = NotificationPreference.objects.filter(delivery=NotificationDelivery.DIGEST)
    by_user: dict[int, set[str]] = {}
    for pref in digest_kinds:
        by_user.setdefault(pref.user_id, set()).add(pref.kind)
    sent = 0
    for user_id, kinds in by_user.items():
        pending = list(
            Notification.objects.filter(
                recipient_id=user_id, kind__in=kinds, emailed_at__isnull=True
            ).select_related("recipient")
        )
        if not pending:
            continue
        user = pending[0].recipient
        lines = [
            f"- {n.title}" + (f" ({settings.SITE_URL}{n.url})" if n.url else "") for n in pending
        ]
        send_mail(
            subject=_("[LandHub] Your daily digest: %(count)d updates") % {"count": len(pending)},
            message="\n".join(lines),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[user.email],
            fail_silently=True,
        )
        Notification.objects.filter(pk__in=[n.pk for n in pending]).update(emailed_at=now)
        sent += 1
    return sent


# --- Task progress ---------------------------------------------------------------------------


def progress_start(*, owner, kind: str, label: str, total: int = 0) -> TaskProgress:
    return TaskProgress.objects.create(owner=owner, kind=kind, label=label, total=total)


def progress_update(progress_id: int, **fields) -> None:
    """Write progress outside any surrounding transaction's rows (a plain UPDATE by pk)."""
    TaskProgress.objects.filter(pk=progress_id).update(updated_at=timezone.now(), **fields)
