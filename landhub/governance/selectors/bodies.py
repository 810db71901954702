"""Reads of bodies and seats, narrowed by ``Body.objects.visible_to``.

A body the reader may see shows its mandate, rules of procedure and seats: who sits on it is
part of what the body *is*. People are never public in the hub, so for the anonymous public
the pages name the organization a seat represents and its role, not the person (the
templates ask ``show_people``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.db.models import Value as V
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from ..models import VOTING_ROLES, Body, BodyKind, Seat, SeatRole

__all__ = [
    "BODY_SORTS",
    "body_detail",
    "body_list",
    "home_bodies",
    "body_seat_history",
    "bodies_visible_to",
    "current_seats",
    "missing_core_partners",
    "seat_for",
    "voting_seat_choices",
]

BODY_SORTS = {"name": "name", "kind": "kind", "members": "member_count", "updated": "updated_at"}
# The order a body's seats are read in: chair first, then the voting members, the
# secretary, observers.
ROLE_ORDER = [SeatRole.CHAIR, SeatRole.VOTING, SeatRole.SECRETARY, SeatRole.OBSERVER,
              SeatRole.ALTERNATE]  # fmt: skip


def bodies_visible_to(user) -> QuerySet[Body]:
    return Body.objects.visible_to(user)


def _member_count():
    """People holding a current seat, counted once each (a chair who is also an alternate
    elsewhere on the body is one member)."""
    today = timezone.localdate()
    rows = (Seat.objects.filter(body=OuterRef("pk"), term_start__lte=today)
            .filter(Q(term_end__isnull=True) | Q(term_end__gte=today)).order_by()
            .values("body").annotate(n=Count("person", distinct=True)).values("n"))  # fmt: skip
    return Coalesce(Subquery(rows, output_field=IntegerField()), V(0))


def body_list(*, user, filters: dict | None = None) -> QuerySet[Body]:
    """Bodies ``user`` may see, not archived unless ``archived=1``, with ``member_count``.
    Filters: kind, q (words of the name)."""
    filters = {k: v.strip() for k, v in (filters or {}).items() if isinstance(v, str)}
    qs = bodies_visible_to(user)
    qs = (qs.filter(archived_at__isnull=False) if filters.get("archived") == "1"
          else qs.filter(archived_at__isnull=True))  # fmt: skip
    if kind := filters.get("kind"):
        qs = qs.filter(kind=kind)
    if q := filters.get("q", "")[:100]:
        qs = qs.filter(name__icontains=q)
    return qs.select_related("advises").annotate(member_count=_member_count())


HOME_BODIES = 12
# Standing bodies before the teams that come and go.
KIND_RANK = Case(
    *(When(kind=kind, then=V(rank)) for rank, kind in enumerate(BodyKind.values)),
    default=V(len(BodyKind.values)), output_field=IntegerField(),
)  # fmt: skip


def home_bodies(*, user, limit: int = HOME_BODIES) -> tuple[list[Body], int]:
    """The governance home's cards: the bodies the reader sits on first, then the standing
    bodies (steering committee, advisory groups) before teams and groups, by name; at most
    ``limit`` of them, with how many the reader may see in all (the rest are on the list of
    bodies, which pages and filters). A hub of a hundred teams keeps a home of a dozen cards."""
    today = timezone.localdate()
    qs = body_list(user=user)
    if user.is_authenticated:
        sits = (Seat.objects.filter(body=OuterRef("pk"), person__user=user, term_start__lte=today)
                .filter(Q(term_end__isnull=True) | Q(term_end__gte=today)))  # fmt: skip
        qs = qs.annotate(sits=Exists(sits))
        order = ["-sits", KIND_RANK.asc(), "name", "pk"]
    else:
        order = [KIND_RANK.asc(), "name", "pk"]
    bodies = list(qs.order_by(*order)[:limit])
    total = len(bodies) if len(bodies) < limit else qs.count()
    return bodies, total


def current_seats(body: Body, on: dt.date | None = None) -> QuerySet[Seat]:
    return (Seat.objects.filter(body=body).current(on)
            .select_related("person", "organization", "principal__person"))  # fmt: skip


@dataclass
class SeatGroup:
    role: str
    label: str
    seats: list = field(default_factory=list)


def _group(seats: list[Seat]) -> list[SeatGroup]:
    """Current seats by role, each alternate listed under its principal (``seat.alternates_now``)
    and not again on its own unless its principal's term is over."""
    by_principal: dict[int, list[Seat]] = {}
    for seat in seats:
        seat.alternates_now = []
        if seat.role == SeatRole.ALTERNATE and seat.principal_id:
            by_principal.setdefault(seat.principal_id, []).append(seat)
    shown = {s.pk for s in seats}
    groups = []
    for role in ROLE_ORDER:
        group = SeatGroup(role, SeatRole(role).label)
        for seat in seats:
            if seat.role != role:
                continue
            if role == SeatRole.ALTERNATE and seat.principal_id in shown:
                continue  # shown under its principal
            seat.alternates_now = by_principal.get(seat.pk, [])
            group.seats.append(seat)
        if group.seats:
            groups.append(group)
    return groups


def missing_core_partners(body: Body, seats: list[Seat]) -> list:
    """For a body with one voting seat per core partner: the core partners (not archived)
    holding no current voting seat."""
    if not body.one_seat_per_core_partner:
        return []
    from landhub.directory.models import CORE_PARTNER_KIND, Organization

    seated = {s.organization_id for s in seats if s.role in VOTING_ROLES}
    return list(Organization.objects.active().filter(kind__slug=CORE_PARTNER_KIND)
                .exclude(pk__in=[pk for pk in seated if pk]).order_by("name"))  # fmt: skip


def body_detail(*, user, slug: str) -> Body:
    """One body ``user`` may see (404 otherwise) with ``seat_groups`` (current seats by
    role, alternates under their principal), ``voting_count``, ``missing_partners``,
    ``advisers_shown`` (the bodies advising it that the reader sees) and ``advises_shown``."""
    body = (bodies_visible_to(user).filter(slug=str(slug)[:80])
            .select_related("advises").first())  # fmt: skip
    if body is None:
        raise Http404
    seats = list(current_seats(body))
    body.current_seat_list = seats
    body.seat_groups = _group(seats)
    body.voting_count = sum(1 for s in seats if s.role in VOTING_ROLES)
    body.member_count = len({s.person_id for s in seats})
    body.missing_partners = missing_core_partners(body, seats)
    visible = bodies_visible_to(user)
    body.advisers_shown = list(visible.filter(advises=body, archived_at__isnull=True)
                               .order_by("name"))  # fmt: skip
    advises = body.advises
    body.advises_shown = (advises if advises is not None
                          and visible.filter(pk=advises.pk).exists() else None)  # fmt: skip
    return body


def body_seat_history(body: Body, *, limit: int = 200) -> dict:
    """The seats whose term is over (``ended``) or yet to start (``upcoming``), and the
    history of every seat of the body (who changed which seat, when), newest first."""
    today = timezone.localdate()
    seats = Seat.objects.filter(body=body).select_related("person", "organization",
                                                          "principal__person")  # fmt: skip
    ended = list(seats.filter(term_end__lt=today).order_by("-term_end", "person__name"))
    upcoming = list(seats.filter(term_start__gt=today).order_by("term_start", "person__name"))
    records = list(Seat.history.filter(body_id=body.pk).select_related("history_user")
                   .order_by("-history_date", "-history_id")[:limit])  # fmt: skip
    from landhub.directory.models import Organization, Person

    people = dict(Person.objects.filter(pk__in={r.person_id for r in records})
                  .values_list("pk", "name"))  # fmt: skip
    orgs = dict(Organization.objects.filter(pk__in={r.organization_id for r in records
                                                    if r.organization_id})
                .values_list("pk", "name"))  # fmt: skip
    actions = {"+": "created", "~": "changed", "-": "deleted"}
    for record in records:
        user = record.history_user
        record.who = (getattr(user, "name", "") or getattr(user, "email", "")) if user else ""
        record.person_name = people.get(record.person_id, "")
        record.organization_name = orgs.get(record.organization_id, "")
        record.role_label = SeatRole(record.role).label if record.role in SeatRole.values else ""
        record.action = actions.get(record.history_type, "")
    return {"ended": ended, "upcoming": upcoming, "records": records}


def seat_for(*, user, pk: int) -> Seat:
    """One seat of a body ``user`` may see (404 otherwise)."""
    if not 0 < int(pk) < 2**63:
        raise Http404
    seat = (Seat.objects.filter(pk=pk, body__in=bodies_visible_to(user))
            .select_related("body", "person", "organization", "principal__person")
            .first())  # fmt: skip
    if seat is None:
        raise Http404
    return seat


def voting_seat_choices(body: Body, *, exclude: int | None = None) -> QuerySet[Seat]:
    """The seats an alternate may stand in for: the body's voting seats whose term is not
    over."""
    today = timezone.localdate()
    qs = (Seat.objects.filter(body=body, role__in=VOTING_ROLES)
          .filter(Q(term_end__isnull=True) | Q(term_end__gte=today))
          .select_related("person", "organization").order_by("person__name", "id"))  # fmt: skip
    return qs.exclude(pk=exclude) if exclude else qs
