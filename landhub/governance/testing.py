"""A small governance world for the tests and the permission matrix (built on the session's
personas, see the root ``conftest.py``):

- the **steering committee**: six core partners (Commonland Test and five more), one voting
  seat each — Chidi chairs for EcoAgriculture Test, **sofia** holds Commonland Test's seat with
  **pablo** as her alternate, four more members — and a secretary (Sam); records open to the
  network, public summaries of decisions; ties fail; simple majority of votes cast;
- the **LLAG** (advisory, advises the steering committee): **lena** holds a seat; network;
- a **design team** whose records are for its members only (Chidi, sofia).
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from landhub.directory import factories as f
from landhub.directory.models import Vocabulary

START = dt.date(2025, 1, 1)
CORE = ["EcoAgriculture Test", "Rainforest Test", "UNDP Test", "Conservation Test",
        "Tech Matters Test"]  # fmt: skip


def _person(name: str, *, user: bool = True):
    if not user:
        return f.PersonFactory(name=name)
    account = f.UserFactory(email=f"{name.split()[0].lower()}@gov.example", name=name)
    return f.PersonFactory(name=name, email=account.email, user=account)


def make_governance(world) -> SimpleNamespace:
    from .models import Body, Seat

    core_kind = f.term(Vocabulary.ORGANIZATION_KIND, "core-partner")
    orgs = [world.core_org] + [f.OrganizationFactory(name=n, kind=core_kind) for n in CORE]
    sc = Body.objects.create(
        name="Steering Committee", slug="steering-committee", kind="steering",
        mandate="Guides the initiative.", decides_on="Strategy, budget, membership.",
        records_access="public", one_seat_per_core_partner=True, time_zone="Europe/Amsterdam",
    )  # fmt: skip
    llag = Body.objects.create(
        name="Landscape Leaders Advisory Group", slug="llag", kind="advisory",
        mandate="Brings the landscapes' view.", advises_on="Anything touching landscapes.",
        advises=sc, records_access="network", time_zone="Africa/Nairobi",
    )  # fmt: skip
    team = Body.objects.create(name="Finance Design Team", slug="finance-team",
                               kind="design_team", mandate="Designs the finance offer.",
                               records_access="members")  # fmt: skip
    chidi = _person("Chidi Chair")
    sam = _person("Sam Secretary")
    members = [_person(f"Member{i} Test") for i in range(2, 6)]
    sofia, pablo, lena = (world.people[n] for n in ("sofia", "pablo", "lena"))

    def seat(body, person, role, org=None, **extra):
        return Seat.objects.create(body=body, person=person, organization=org, role=role,
                                   term_start=START, **extra)  # fmt: skip

    seats = SimpleNamespace(
        chair=seat(sc, chidi, "chair", orgs[1]),
        sofia=seat(sc, sofia, "voting", orgs[0]),
        secretary=seat(sc, sam, "secretary"),
        members=[seat(sc, person, "voting", org) for person, org in zip(members, orgs[2:],
                                                                          strict=True)],
    )  # fmt: skip
    seats.pablo = seat(sc, pablo, "alternate", orgs[0], principal=seats.sofia)
    seats.lena = seat(llag, lena, "voting")
    seats.llag_chair = seat(llag, _person("Lwazi Leader"), "chair")
    seats.team_chidi = seat(team, chidi, "chair")
    seats.team_sofia = seat(team, sofia, "voting")
    return SimpleNamespace(
        sc=sc,
        llag=llag,
        team=team,
        orgs=orgs,
        seats=seats,
        chidi=chidi.user,
        sam=sam.user,
        members=[p.user for p in members],
    )


def governance_world(world) -> SimpleNamespace:
    """``make_governance`` once per test: the permission matrix's cases call it for each URL
    they build, and get the same bodies and seats back."""
    from .models import Body, Seat

    sc = Body.objects.filter(slug="steering-committee").first()
    if sc is None:
        return make_governance(world)
    seats = list(Seat.objects.select_related("person__user", "body"))
    llag, team = Body.objects.get(slug="llag"), Body.objects.get(slug="finance-team")

    def on(body, name):
        return next(s for s in seats if s.body == body and s.person.name == name)

    sofia, pablo, lena = (world.people[n] for n in ("sofia", "pablo", "lena"))
    members = sorted((s for s in Seat.objects.filter(body=sc, person__name__startswith="Member")
                      .select_related("person__user")), key=lambda s: s.person.name)  # fmt: skip
    ns = SimpleNamespace(
        chair=on(sc, "Chidi Chair"), sofia=on(sc, sofia.name), secretary=on(sc, "Sam Secretary"),
        members=members, pablo=on(sc, pablo.name), lena=on(llag, lena.name),
        llag_chair=on(llag, "Lwazi Leader"), team_chidi=on(team, "Chidi Chair"),
        team_sofia=on(team, sofia.name),
    )  # fmt: skip
    from landhub.directory.models import Organization

    orgs = [world.core_org] + [Organization.objects.get(name=n) for n in CORE]
    return SimpleNamespace(sc=sc, llag=llag, team=team, orgs=orgs, seats=ns,
                           chidi=ns.chair.person.user, sam=ns.secretary.person.user,
                           members=[s.person.user for s in members])  # fmt: skip
