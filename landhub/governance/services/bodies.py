"""Writes of bodies and seats (hub staff).

The steering committee's rule — **exactly one voting seat per core partner** — is enforced on
every seat write of a body with ``one_seat_per_core_partner``: a voting seat (chair or voting
member) must represent a core partner, and no core partner holds two voting seats whose terms
overlap. Alternates stand in for a voting seat of the same body and organization. A term ends
(``seat_end``); seats are never deleted, and their history stays.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from landhub.core.versioning import save_versioned

from ..models import VOTING_ROLES, Body, Seat, SeatRole
from ..rules import forget_seats
from .common import full_clean, not_archived, require

__all__ = [
    "BODY_FIELDS",
    "SEAT_FIELDS",
    "body_archive",
    "body_create",
    "body_update",
    "seat_create",
    "seat_end",
    "seat_update",
]

BODY_FIELDS = ("name", "kind", "mandate", "decides_on", "advises_on", "advises", "visibility",
               "records_access", "time_zone", "quorum", "threshold", "threshold_base",
               "tie_rule", "chair_may_decide", "one_seat_per_core_partner")  # fmt: skip
SEAT_FIELDS = ("person", "organization", "role", "principal", "term_start", "term_end")


def _check_time_zone(name: str, errors: dict) -> None:
    import zoneinfo

    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        errors.setdefault("time_zone", []).append(
            _("“%(zone)s” is not a time zone; use a name such as Africa/Nairobi.") % {
                "zone": name})  # fmt: skip


@transaction.atomic
def body_create(*, actor, name: str, kind: str, mandate: str, slug: str = "", **fields) -> Body:
    require(actor, "governance.manage_bodies")
    unknown = set(fields) - set(BODY_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    errors: dict = {}
    body = Body(name=(name or "").strip(), kind=kind, mandate=(mandate or "").strip(),
                slug=slug or slugify(name or "")[:80], **fields)  # fmt: skip
    _check_time_zone(body.time_zone, errors)
    full_clean(body, errors)
    body._history_user = actor
    body.save()
    return body


@transaction.atomic
def body_update(*, actor, body: Body, version: int | None, changes: dict) -> Body:
    require(actor, "governance.manage_bodies")
    not_archived(body)
    unknown = set(changes) - set(BODY_FIELDS)
    if unknown:
        raise ValidationError({key: [_("This field cannot be changed here.")]
                               for key in sorted(unknown)})  # fmt: skip
    errors: dict = {}
    for key, value in changes.items():
        setattr(body, key, value.strip() if isinstance(value, str) else value)
    if body.advises_id is not None and body.advises_id == body.pk:
        errors["advises"] = [_("A body does not advise itself.")]
    _check_time_zone(body.time_zone, errors)
    full_clean(body, errors)
    if changes.get("one_seat_per_core_partner"):
        for seat in body.seats.current().voting().select_related("organization__kind"):
            _check_core_partner_seat(body, seat, errors)
        if errors:
            raise ValidationError(errors)
    body._history_user = actor
    save_versioned(body, expected_version=version)
    return body


@transaction.atomic
def body_archive(*, actor, body: Body, version: int | None, restore: bool = False) -> Body:
    require(actor, "governance.manage_bodies")
    body.archived_at = None if restore else timezone.now()
    body._history_user = actor
    save_versioned(body, expected_version=version, update_fields=["archived_at"])
    return body


def _overlapping(seats, start: dt.date, end: dt.date | None):
    """Seats whose term overlaps [start, end] (an open end runs for ever)."""
    seats = seats.filter(Q(term_end__isnull=True) | Q(term_end__gte=start))
    return seats if end is None else seats.filter(term_start__lte=end)


def _check_core_partner_seat(body: Body, seat: Seat, errors: dict) -> None:
    from landhub.directory.models import CORE_PARTNER_KIND

    organization = seat.organization
    if organization is None or getattr(organization.kind, "slug", "") != CORE_PARTNER_KIND:
        errors.setdefault("organization", []).append(
            _("Each voting seat of %(body)s represents a core partner.") % {"body": body.name}
        )
        return
    taken = _overlapping(body.seats.voting().filter(organization=organization)
                         .exclude(pk=seat.pk), seat.term_start, seat.term_end)  # fmt: skip
    other = taken.select_related("person").first()
    if other is not None:
        errors.setdefault("organization", []).append(
            _("%(org)s already holds a voting seat on %(body)s (%(person)s, from %(start)s): "
              "one voting seat per core partner; add an alternate instead, or end that "
              "seat's term first.") % {"org": organization.name, "body": body.name,
                                       "person": other.person.name,
                                       "start": other.term_start.isoformat()})  # fmt: skip


def _check_seat(seat: Seat, errors: dict) -> None:
    body = seat.body
    if seat.role == SeatRole.ALTERNATE:
        principal = seat.principal
        if principal is None:
            errors.setdefault("principal", []).append(
                _("Name the voting member this alternate stands in for.")
            )
        elif principal.body_id != body.pk or principal.role not in VOTING_ROLES:
            errors.setdefault("principal", []).append(
                _("An alternate stands in for a voting member of the same body.")
            )
        elif principal.person_id == seat.person_id:
            errors.setdefault("principal", []).append(_("A member is not their own alternate."))
        elif (body.one_seat_per_core_partner and seat.organization_id
              and seat.organization_id != principal.organization_id):  # fmt: skip
            errors.setdefault("organization", []).append(
                _("An alternate represents the same organization as their principal.")
            )
    else:
        seat.principal = None
    if seat.role in VOTING_ROLES and body.one_seat_per_core_partner:
        _check_core_partner_seat(body, seat, errors)
    if seat.role in VOTING_ROLES:
        twice = _overlapping(body.seats.voting().filter(person_id=seat.person_id)
                             .exclude(pk=seat.pk), seat.term_start, seat.term_end)  # fmt: skip
        if twice.exists():
            errors.setdefault("person", []).append(
                _("This person already holds a voting seat on this body for these dates.")
            )
    if seat.role == SeatRole.CHAIR:
        chairs = _overlapping(body.seats.filter(role=SeatRole.CHAIR).exclude(pk=seat.pk),
                              seat.term_start, seat.term_end)  # fmt: skip
        if chairs.exists():
            errors.setdefault("role", []).append(
                _("The body already has a chair for these dates; end that term first.")
            )


@transaction.atomic
def seat_create(*, actor, body: Body, person, role: str, term_start, organization=None,
                principal: Seat | None = None, term_end=None) -> Seat:  # fmt: skip
    require(actor, "governance.manage_bodies")
    not_archived(body)
    Body.objects.select_for_update().filter(pk=body.pk).first()  # one seat write at a time
    seat = Seat(body=body, person=person, organization=organization, role=role,
                principal=principal, term_start=term_start, term_end=term_end,
                created_by=actor)  # fmt: skip
    errors: dict = {}
    try:
        seat.clean_fields(exclude=["created_by", "body", "person"])
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if not errors:
        _check_seat(seat, errors)
    full_clean(seat, errors, exclude=("created_by",))
    seat._history_user = actor
    seat.save()
    forget_seats(actor)
    return seat


@transaction.atomic
def seat_update(*, actor, seat: Seat, version: int | None, changes: dict) -> Seat:
    require(actor, "governance.manage_bodies")
    unknown = set(changes) - set(SEAT_FIELDS)
    if unknown:
        raise ValidationError({key: [_("This field cannot be changed here.")]
                               for key in sorted(unknown)})  # fmt: skip
    Body.objects.select_for_update().filter(pk=seat.body_id).first()
    for key, value in changes.items():
        setattr(seat, key, value)
    errors: dict = {}
    try:
        seat.clean_fields(exclude=["created_by", "body", "person"])
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if not errors:
        _check_seat(seat, errors)
    full_clean(seat, errors, exclude=("created_by",))
    seat._history_user = actor
    save_versioned(seat, expected_version=version)
    forget_seats(actor)
    return seat


@transaction.atomic
def seat_end(*, actor, seat: Seat, version: int | None, term_end: dt.date | None = None) -> Seat:
    """End a seat's term (today unless said); its alternates' terms end with it."""
    require(actor, "governance.manage_bodies")
    term_end = term_end or timezone.localdate()
    if term_end < seat.term_start:
        raise ValidationError({"term_end": [_("A term cannot end before it starts.")]})
    seat.term_end = term_end
    seat._history_user = actor
    save_versioned(seat, expected_version=version, update_fields=["term_end"])
    for alternate in seat.alternates.filter(Q(term_end__isnull=True) | Q(term_end__gt=term_end)):
        alternate.term_end = max(term_end, alternate.term_start)
        alternate._history_user = actor
        save_versioned(alternate, expected_version=None, update_fields=["term_end"])
    forget_seats(actor)
    return seat
