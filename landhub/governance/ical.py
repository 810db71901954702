"""iCalendar (RFC 5545) for meetings: one meeting's invitation and a body's feed.

Written with ``icalendar`` (already the coordination calendar's library), which escapes text
(commas, semicolons, backslashes, newlines) and folds long lines at 75 octets. What matters
for calendar programs:

- **UID** is ``<meeting.ical_uid>@<the hub's host>``: the same for every version of the
  invitation, so a calendar replaces the event instead of adding a second one;
- **SEQUENCE** is ``meeting.ical_sequence``, raised by the services on each change of time or
  place and on cancellation;
- **DTSTART/DTEND** are in UTC (``…Z``): every calendar shows them in its owner's zone;
- a cancelled meeting is ``STATUS:CANCELLED`` (and ``METHOD:CANCEL`` for a single
  invitation), so subscribers see it struck out rather than silently gone.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from .models import Meeting, MeetingStatus

STATUS = {
    MeetingStatus.SCHEDULED: "CONFIRMED",
    MeetingStatus.AGENDA_PUBLISHED: "CONFIRMED",
    MeetingStatus.HELD: "CONFIRMED",
    MeetingStatus.CANCELLED: "CANCELLED",
}
FEED_PAST_DAYS = 365
FEED_EVENTS = 500


def ical_host() -> str:
    """The host in UIDs: the hub's own (``SITE_URL``), not the one a request came in by, so
    a UID never changes with the address used."""
    return urlsplit(settings.SITE_URL).hostname or "landhub"


def meeting_uid(meeting: Meeting) -> str:
    return f"{meeting.ical_uid}@{ical_host()}"


def _event(meeting: Meeting, *, link: str):
    from icalendar import Event

    event = Event()
    event.add("uid", meeting_uid(meeting))
    event.add("sequence", meeting.ical_sequence)
    event.add("dtstamp", timezone.now().astimezone(dt.UTC).replace(microsecond=0))
    event.add("last-modified", meeting.updated_at.astimezone(dt.UTC).replace(microsecond=0))
    event.add("dtstart", meeting.starts_at.astimezone(dt.UTC))
    event.add("dtend", meeting.ends_at.astimezone(dt.UTC))
    event.add("summary", f"{meeting.title} ({meeting.body.name})")
    event.add("status", STATUS.get(meeting.status, "CONFIRMED"))
    location = meeting.place or meeting.video_url
    if location:
        event.add("location", location)
    description = [meeting.notes] if meeting.notes else []
    if meeting.video_url:
        description.append(meeting.video_url)
    description.append(link)
    event.add("description", "\n\n".join(description)[:4000])
    event.add("url", link)
    return event


def _calendar(name: str, *, method: str = "PUBLISH"):
    from icalendar import Calendar

    feed = Calendar()
    feed.add("prodid", "-//LandHub//Governance meetings//EN")
    feed.add("version", "2.0")
    feed.add("calscale", "GREGORIAN")
    feed.add("method", method)
    feed.add("x-wr-calname", name)
    return feed


def meeting_ical(meeting: Meeting, *, link: str) -> bytes:
    """One meeting as an invitation (``link``: the meeting page's absolute address)."""
    cancelled = meeting.status == MeetingStatus.CANCELLED
    feed = _calendar(meeting.title, method="CANCEL" if cancelled else "PUBLISH")
    feed.add_component(_event(meeting, link=link))
    return feed.to_ical()


def body_feed_ical(body, meetings, *, link_for) -> bytes:
    """A body's meetings as a feed; ``link_for(meeting)`` gives each page's address."""
    feed = _calendar(body.name)
    for meeting in meetings:
        feed.add_component(_event(meeting, link=link_for(meeting)))
    return feed.to_ical()


def feed_window(qs):
    """The meetings a feed carries: from a year ago on, at most ``FEED_EVENTS``."""
    since = timezone.now() - dt.timedelta(days=FEED_PAST_DAYS)
    return qs.filter(ends_at__gte=since).order_by("starts_at", "id")[:FEED_EVENTS]


# --- personal feed keys ----------------------------------------------------------------------
# Calendar apps (Outlook, Google Calendar, Thunderbird) fetch a subscribed feed on their own and
# cannot sign in, so a feed link that needs a session holds nothing for them. Each reader gets a
# personal key in their feed link instead: it stands for them on the calendar feeds only (never
# for a page or the API), what the feed holds is checked against their visibility at every
# fetch (leaving a body empties it), and the key stops working when their password changes or
# the account is deactivated — the same construction as Django's password-reset tokens.

FEED_KEY_SALT = "landhub.governance.calendar-feed"


def feed_key(user) -> str:
    """The reader's personal key for calendar feeds: ``<user id>.<HMAC>``."""
    digest = salted_hmac(FEED_KEY_SALT, f"{user.pk}:{user.password}:{user.is_active}",
                         algorithm="sha256").hexdigest()[:40]  # fmt: skip
    return f"{user.pk}.{digest}"


def user_for_feed_key(key: str):
    """The active account a feed key stands for, or ``None`` for a wrong or revoked key."""
    from django.contrib.auth import get_user_model

    pk, _dot, _digest = (key or "").partition(".")
    if not pk.isdigit() or len(key) > 80:
        return None
    user = get_user_model().objects.filter(pk=int(pk), is_active=True).first()
    if user is None or not constant_time_compare(feed_key(user), key):
        return None
    return user
