"""Demo governance data (``landhub seed-demo``, after the MEL demo): the steering committee
with one voting seat per core partner and alternates, the Landscape Leaders Advisory Group,
two design teams, two past committee meetings with attendance, agenda, minutes and
decisions, a past LLAG meeting, an upcoming committee meeting with its agenda published, key
issues in every state, action items (one overdue for sofia, one due soon for pablo), the
initiative's strategic plan for the year with milestones tied to demo MEL indicators, and the
scaling strategy.

Everything is written **through the services**, so history, validation, versions and
notifications are those of real use. The services live in the present: a vote closes in the
future, minutes are circulated "now", an action is done "now". Where the demo tells a story
that happened weeks ago, the record is written first and its dates are then moved back with a
queryset ``update()`` (each place says so); at the end the history rows of those records get
the story's dates too (``backdate_history``), and the notices of past steps, which members
would have read long ago, are dropped (``past_notices``).

The people, organizations' roles and decisions are invented; the core partners are the
directory demo's. The cast is fixed (the browser tests rely on it): see ``CAST``.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from types import SimpleNamespace

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from .models import (
    ActionItem,
    Decision,
    KeyIssue,
    Meeting,
    Minutes,
    Plan,
    Seat,
    Vote,
)
from .rules import forget_seats
from .services import actions as action_services
from .services import bodies as body_services
from .services import decisions as decision_services
from .services import issues as issue_services
from .services import meetings as meeting_services
from .services import plans as plan_services

SC_SLUG = "steering-committee"
AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")
NAIROBI = zoneinfo.ZoneInfo("Africa/Nairobi")
VIDEO = "https://meet.example.org/landhub-steering-committee"

# (key, name, e-mail, core partner's short name, role on the steering committee)
CAST = [
    ("amina", "Amina Otieno", "amina@demo.landhub.org", "EP", "chair"),
    ("carlos", "Carlos Restrepo", "carlos@demo.landhub.org", "RA", "voting"),
    ("meseret", "Meseret Kebede", "meseret@demo.landhub.org", "UNDP", "voting"),
    ("kwame", "Kwame Mensah", "kwame@demo.landhub.org", "CI", "voting"),
    ("siti", "Siti Rahayu", "siti@demo.landhub.org", "TM", "voting"),
]
TITLES = {"amina": "Executive director", "carlos": "Director, landscape programmes",
          "meseret": "Senior adviser, nature and climate", "kwame": "Vice-president, Africa",
          "siti": "Product lead, open data tools"}  # fmt: skip
# The landscapes whose leaders sit on the LLAG with lena (the first one chairs it).
LLAG_LANDSCAPES = ["Ashanti Cocoa Landscape", "Andes Páramo Water Landscape",
                   "AlVelAl Altiplano", "Baviaanskloof Hartland"]  # fmt: skip


def demo_logins() -> list[tuple[str, str, str]]:
    """The committee's members this demo adds, for ``landhub demo-logins`` (the sofia, pablo
    and hana personas are listed by the directory)."""
    names = {"EP": "EcoAgriculture Partners", "RA": "Rainforest Alliance", "UNDP": "UNDP",
             "CI": "Conservation International", "TM": "Tech Matters"}  # fmt: skip
    return [
        (email, name, f"steering committee {'chair' if role == 'chair' else 'member'} "
                      f"({names[short]})")
        for _key, name, email, short, role in CAST
    ]  # fmt: skip


def demo_exists() -> bool:
    """The demo's steering committee is there: the governance demo ran already."""
    from .models import Body

    return Body.objects.filter(slug=SC_SLUG).exists()


def seed_demo(*, stdout=None) -> dict:
    """Create the governance demo once (an existing steering committee means it is there)."""
    say = stdout.write if stdout else (lambda _msg: None)
    if demo_exists():
        say(f"Governance: {Decision.objects.count()} decisions (none new)\n")
        return {"decisions": 0}
    with transaction.atomic():
        demo = _Demo()
        demo.run()
    say(f"Governance: 4 bodies, {Seat.objects.count()} seats, {KeyIssue.objects.count()} key "
        f"issues, {Meeting.objects.count()} meetings, {Decision.objects.count()} decisions, "
        f"{ActionItem.objects.count()} actions, {Plan.objects.count()} plans\n")  # fmt: skip
    return {"decisions": Decision.objects.count()}


def next_meeting_title(today: dt.date) -> str:
    """The title of the committee's next meeting, two weeks after ``today`` (the demo's load
    day, UTC): "Steering Committee — <Month> meeting"."""
    return f"Steering Committee — {(today + dt.timedelta(days=14)).strftime('%B')} meeting"


class _Demo:
    """The demo's story, in the order it happened (the dates are set as it goes)."""

    def __init__(self):
        self.today = timezone.localdate()
        self.now = timezone.now()

    # --- helpers ------------------------------------------------------------------------------

    def at(self, days: int, hour: int, zone=AMSTERDAM, minute: int = 0) -> dt.datetime:
        """``days`` from today at ``hour`` in ``zone`` (stored in UTC)."""
        day = self.today + dt.timedelta(days=days)
        return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone)

    def run(self) -> None:
        self.people()
        self.bodies()
        self.plans()
        self.issues()
        self.first_meeting()
        self.llag_meeting()
        self.written_procedure()
        self.second_meeting()
        self.open_vote()
        self.next_meeting()
        self.actions()
        self.past_notices()
        self.backdate_history()

    def past_notices(self) -> None:
        """The services told the members of every step as it was written; for the story's
        past steps those notices would have been read weeks ago, and some would mislead (a
        vote "closing" in an hour that closed in October). Keep what is news today — the
        next meeting, the open vote, the raised issue, open actions — and drop the rest
        of the notices this demo wrote."""
        from landhub.core.models import Notification

        current = [self.m3, self.d_summit, self.i_languages,
                   *ActionItem.objects.exclude(status="done")]  # fmt: skip
        keep = {record.get_absolute_url() for record in current}
        written = Notification.objects.filter(kind__startswith="governance.",
                                              created_at__gte=self.now)  # fmt: skip
        written.exclude(url__in=keep).delete()

    def _spread(self, record, start: dt.datetime, end: dt.datetime | None = None) -> None:
        """Give the history rows this demo wrote for ``record`` the story's moments: from
        ``start`` (its creation) to ``end`` (its last step), evenly, in the order written."""
        history = type(record).history.model
        rows = list(history.objects.filter(id=record.pk, history_date__gte=self.now)
                    .order_by("history_date", "history_id")
                    .values_list("history_id", flat=True))  # fmt: skip
        end = end or start
        for index, history_id in enumerate(rows):
            moment = start if len(rows) == 1 else start + (end - start) * index / (len(rows) - 1)
            history.objects.filter(history_id=history_id).update(history_date=moment)

    def backdate_history(self) -> None:
        """The services wrote every history row "now"; a record's page would say the August
        meeting was scheduled today. Each past record's rows get the story's dates (the
        records' own dates were set as the story went)."""
        from .models import (
            AdviceRequest,
            Body,
            ConflictDeclaration,
            EvidenceLink,
            MilestoneIndicator,
            PlanItem,
        )

        day, hour = dt.timedelta(days=1), dt.timedelta(hours=1)
        decided = dict(Decision.objects.values_list("pk", "decided_at"))  # as moved back
        start = self.seats.amina.term_start
        founded = dt.datetime(start.year, start.month, start.day, 9, tzinfo=AMSTERDAM)
        for record in [*Body.objects.all(), *Seat.objects.all()]:
            self._spread(record, founded)
        plan_start = min(dt.datetime(self.today.year, 1, 12, 10, tzinfo=AMSTERDAM),
                         self.now - 3 * day)  # fmt: skip
        scaling_start = self.m1.starts_at - 20 * day
        for plan, begun, adopted in ((self.plan, plan_start, plan_start + 5 * day),
                                     (self.scaling, scaling_start,
                                      decided[self.d_scaling.pk])):  # fmt: skip
            self._spread(plan, begun, adopted)
            for item in PlanItem.objects.filter(plan=plan):
                self._spread(item, begun)
            for link in MilestoneIndicator.objects.filter(item__plan=plan):
                self._spread(link, begun)
        for meeting in (self.m1, self.llag_m, self.m2):
            starts = meeting.starts_at
            self._spread(meeting, starts - 14 * day, starts + 3 * hour)
            for item in meeting.agenda.all():
                self._spread(item, starts - 14 * day, starts - 10 * day)
            for attendance in meeting.attendance.all():
                self._spread(attendance, starts + 3 * hour)
            for conflict in ConflictDeclaration.objects.filter(agenda_item__meeting=meeting):
                self._spread(conflict, starts - 2 * day)
            minutes = Minutes.objects.get(meeting=meeting)
            self._spread(minutes, starts + day, minutes.approved_at or minutes.circulated_at)
        for decision in Decision.objects.exclude(decided_at=None):
            self._spread(decision, decision.created_at, decision.decided_at)
            for vote in decision.votes.all():
                self._spread(vote, vote.created_at)
        for advice in AdviceRequest.objects.all():
            self._spread(advice, advice.created_at, advice.given_at)
        last_step = {self.i_scaling.pk: decided[self.d_scaling.pk] + day,
                     self.i_finance.pk: decided[self.d_finance.pk],
                     self.i_data.pk: decided[self.d_data.pk],
                     self.i_grant.pk: decided[self.d_grant.pk],
                     self.i_summit.pk: self.now}  # fmt: skip
        for issue in KeyIssue.objects.all():
            self._spread(issue, issue.created_at, last_step.get(issue.pk))
            for link in EvidenceLink.objects.filter(issue=issue):
                self._spread(link, issue.created_at)
        for action in ActionItem.objects.select_related("decision", "meeting"):
            if action.decision_id and action.decision.decided_at:
                begun = action.decision.decided_at + day
            elif action.meeting_id:
                begun = action.meeting.ends_at + day
            else:
                begun = self.now - 10 * day
            ActionItem.objects.filter(pk=action.pk).update(created_at=begun)
            self._spread(action, begun, action.done_at)

    # --- the cast -----------------------------------------------------------------------------

    def people(self) -> None:
        from django.contrib.auth import get_user_model

        from landhub.directory.demo import CORE_PARTNERS, _user
        from landhub.directory.models import Organization, OrganizationMembership, Person

        users = get_user_model().objects
        self.hana = users.get(email="hana@demo.landhub.org")
        self.users = {key: users.get(email=f"{key}@demo.landhub.org")
                      for key in ("pablo", "sofia", "lena")}  # fmt: skip
        self.core = {short: Organization.objects.get(name=name)
                     for name, short, _country in CORE_PARTNERS}  # fmt: skip
        self.person = {key: Person.objects.get(user=user) for key, user in self.users.items()}
        self.person["hana"] = Person.objects.get(user=self.hana)
        for key, name, email, short, _role in CAST:
            user = _user(email, name)
            person, _created = Person.objects.get_or_create(
                user=user, defaults={"name": name, "email": email, "contact_consent": True}
            )
            OrganizationMembership.objects.get_or_create(
                person=person, organization=self.core[short], end_date=None,
                defaults={"role": "member", "title": TITLES[key]})  # fmt: skip
            self.users[key], self.person[key] = user, person
        # Alternates of EcoAgriculture Partners and Rainforest Alliance: people of the
        # directory demo who work there (they have no account: an alternate need not sign in).
        cast_names = {name for _k, name, *_rest in CAST}
        for short in ("EP", "RA"):
            member = (Person.objects.filter(org_memberships__organization=self.core[short],
                                            user__isnull=True)
                      .exclude(name__in=cast_names).order_by("pk").first())  # fmt: skip
            if member is None:
                member = Person.objects.create(
                    name=f"{short} Alternate", email=f"alternate-{short.lower()}@demo.example"
                )
                OrganizationMembership.objects.create(person=member,
                                                      organization=self.core[short],
                                                      role="member")  # fmt: skip
            self.person[f"alt_{short}"] = member

    # --- bodies and seats ---------------------------------------------------------------------

    def bodies(self) -> None:
        from landhub.directory.models import LandscapeMembership

        hana = self.hana
        self.sc = body_services.body_create(
            actor=hana, name="Steering Committee", slug=SC_SLUG, kind="steering",
            mandate="Steers the 1,000 Landscapes initiative on behalf of its six core partners: "
                    "sets the strategy, approves the annual plan and budget, and holds the "
                    "hub accountable for delivering it.",
            decides_on="- the strategic plan and the scaling strategy\n- the annual budget "
                       "and grants from pooled funds\n- joining and leaving core partners\n"
                       "- the bodies of the initiative and their mandates",
            advises_on="Partnerships' requests that belong to the partners themselves.",
            visibility="public", records_access="public", time_zone="Europe/Amsterdam",
            quorum="majority", threshold="majority", threshold_base="cast", tie_rule="fails",
            one_seat_per_core_partner=True,
        )  # fmt: skip
        self.llag = body_services.body_create(
            actor=hana, name="Landscape Leaders Advisory Group", slug="llag", kind="advisory",
            mandate="Brings the voice of the landscape partnerships to the steering committee: "
                    "advises on anything that touches landscapes, from services to finance.",
            advises_on="Strategy, services, finance and data as they reach the landscapes.",
            advises=self.sc, visibility="public", records_access="network",
            time_zone="Africa/Nairobi",
        )  # fmt: skip
        self.fdt = body_services.body_create(
            actor=hana, name="Finance Design Team", slug="finance-design-team",
            kind="design_team",
            mandate="Designs a shared finance facility that pools the partners' landscape "
                    "finance and brings it to partnerships' investment plans.",
            visibility="network", records_access="members", time_zone="Europe/Amsterdam",
        )  # fmt: skip
        self.sdt = body_services.body_create(
            actor=hana, name="Scaling Design Team", slug="scaling-design-team",
            kind="design_team",
            mandate="Turns the scaling strategy into the pathway partnerships follow, from "
                    "candidate to member, toward 1,000 landscape partnerships.",
            visibility="public", records_access="network", time_zone="Europe/Amsterdam",
        )  # fmt: skip
        start = dt.date(self.today.year - 1, 1, 1)

        def seat(body, key, role, org=None, principal=None):
            return body_services.seat_create(
                actor=hana, body=body, person=self.person[key], role=role, term_start=start,
                organization=self.core.get(org) if org else None, principal=principal)  # fmt: skip

        self.seats = SimpleNamespace()
        s = self.seats
        s.amina = seat(self.sc, "amina", "chair", "EP")
        s.carlos = seat(self.sc, "carlos", "voting", "RA")
        s.meseret = seat(self.sc, "meseret", "voting", "UNDP")
        s.kwame = seat(self.sc, "kwame", "voting", "CI")
        s.siti = seat(self.sc, "siti", "voting", "TM")
        s.sofia = seat(self.sc, "sofia", "voting", "CL")
        s.hana = seat(self.sc, "hana", "secretary")
        s.pablo = seat(self.sc, "pablo", "alternate", "CL", principal=s.sofia)
        s.alt_ep = seat(self.sc, "alt_EP", "alternate", "EP", principal=s.amina)
        s.alt_ra = seat(self.sc, "alt_RA", "alternate", "RA", principal=s.carlos)
        # The LLAG: a leader of each of four landscapes (the first chairs) and lena.
        leaders = []
        for name in LLAG_LANDSCAPES:
            found = LandscapeMembership.objects.filter(
                landscape__name=name, person__user__isnull=True
            ).select_related("person")
            membership = (found.filter(role__in=["leader", "manager"]).order_by("pk").first()
                          or found.order_by("pk").first())  # fmt: skip
            if membership is not None:
                leaders.append(membership.person)
        s.llag = []
        for index, person in enumerate(leaders):
            self.person[f"leader{index}"] = person
            s.llag.append(seat(self.llag, f"leader{index}", "chair" if index == 0 else "voting"))
        s.lena = seat(self.llag, "lena", "voting")
        # Design teams.
        seat(self.fdt, "meseret", "chair")
        seat(self.fdt, "sofia", "voting")
        seat(self.fdt, "carlos", "voting")
        seat(self.fdt, "amina", "voting")
        seat(self.sdt, "kwame", "chair")
        seat(self.sdt, "siti", "voting")
        seat(self.sdt, "pablo", "voting")
        seat(self.sdt, "lena", "voting")
        for user in [self.hana, *self.users.values()]:
            forget_seats(user)

    # --- plans --------------------------------------------------------------------------------

    def plans(self) -> None:
        from landhub.directory.models import Landscape
        from landhub.mel.models import Indicator

        hana, year = self.hana, self.today.year
        indicators = {
            i.code: i
            for i in Indicator.objects.filter(
                code__in=["IMP-1", "IMP-2", "IMP-3", "IMP-4", "OUT-5", "OUT-6", "PRD-6", "PRD-8"]
            )
        }
        kenya = Landscape.objects.filter(name="Mount Kenya Forest and Farms").first()
        self.plan = plan_services.plan_create(
            actor=hana, kind="strategic", year=year, body=self.sc, visibility="network",
            title=f"The initiative's strategic plan {year}",
            summary="Three goals for the year: landscape partnerships deliver on the ground, "
                    "finance reaches them, and the network learns and grows toward 1,000 "
                    "partnerships. Milestones tied to indicators take their progress from the "
                    "MEL figures.",
        )  # fmt: skip
        items = {}

        def item(key, level, title, parent=None, indicator_codes=(), landscape=None, **fields):
            node = plan_services.plan_item_create(
                actor=hana, plan=fields.pop("plan", self.plan), level=level, title=title,
                parent=items.get(parent), **fields)  # fmt: skip
            for code in indicator_codes:
                if code in indicators:
                    plan_services.milestone_tie_indicator(actor=hana, item=node,
                                                          indicator=indicators[code],
                                                          landscape=landscape)  # fmt: skip
            items[key] = node
            return node

        end = dt.date(year, 12, 31)
        org = self.core
        item("g1", "goal", "Landscape partnerships deliver on the ground")
        item(
            "o11",
            "objective",
            "Restore and protect land at scale",
            "g1",
            owner_organization=org["CI"],
        )
        item(
            "m111",
            "milestone",
            "Hectares under restoration reach the year's target",
            "o11",
            ["IMP-2"],
            owner=self.person["kwame"],
            target_on=end,
        )
        item(
            "m112",
            "milestone",
            "Natural ecosystems protected in every member landscape",
            "o11",
            ["IMP-3"],
            owner=self.person["kwame"],
            target_on=end,
        )
        item(
            "o12",
            "objective",
            "Better livelihoods from landscape activities",
            "g1",
            owner_organization=org["EP"],
        )
        item(
            "m121",
            "milestone",
            "Households with improved income on track",
            "o12",
            ["IMP-4"],
            owner=self.person["amina"],
            target_on=end,
        )
        item("g2", "goal", "Finance reaches the landscapes")
        item(
            "o21",
            "objective",
            "Mobilise finance for partnerships' investment plans",
            "g2",
            owner_organization=org["UNDP"],
        )
        item(
            "m211",
            "milestone",
            "Finance mobilised and private investment committed",
            "o21",
            ["OUT-5", "OUT-6"],
            owner=self.person["meseret"],
            target_on=end,
        )
        item(
            "m212",
            "milestone",
            "Shared finance facility designed",
            "o21",
            owner=self.person["meseret"],
            start_on=dt.date(year, 9, 1),
            target_on=dt.date(year + 1, 3, 31),
            status="on_track",
            progress=35,
        )
        item("o22", "objective", "Bankable investment cases", "g2", owner_organization=org["RA"])
        item(
            "m221",
            "milestone",
            "Investment cases prepared in the member landscapes",
            "o22",
            ["PRD-8"],
            owner=self.person["carlos"],
            target_on=end,
        )
        item("g3", "goal", "A network that learns and grows toward 1,000 partnerships")
        item("o31", "objective", "Scale the network", "g3", owner_organization=org["CI"])
        item(
            "m311",
            "milestone",
            "Scaling strategy adopted",
            "o31",
            owner=self.person["kwame"],
            target_on=dt.date(year, 9, 30),
            status="done",
            progress=100,
        )
        item(
            "m312",
            "milestone",
            "Peer exchanges hosted by Mount Kenya",
            "o31",
            ["PRD-6"],
            landscape=kenya,
            owner=self.person["lena"],
            target_on=end,
        )
        item("o32", "objective", "Shared data and tools", "g3", owner_organization=org["TM"])
        item(
            "m321",
            "milestone",
            "Data-sharing agreement signed by the six core partners",
            "o32",
            owner=self.person["siti"],
            target_on=dt.date(year, 12, 15),
            status="on_track",
            progress=60,
        )
        item(
            "m322",
            "milestone",
            "The hub available in four languages",
            "o32",
            owner=self.person["siti"],
            target_on=dt.date(year + 1, 6, 30),
            status="not_started",
            progress=0,
        )
        self.plan = plan_services.plan_adopt(actor=hana, plan=self.plan,
                                             version=self.plan.version)  # fmt: skip
        # The scaling strategy, a plan of its own (adopted at the first meeting below).
        self.scaling = plan_services.plan_create(
            actor=hana, kind="scaling", year=year, body=self.sc, visibility="public",
            title="Scaling pathway to 1,000 landscape partnerships",
            summary="How the network grows from its engaged landscapes to 1,000 landscape "
                    "partnerships: a pathway from candidate to member, regional hubs that "
                    "carry it, and the services that make each step possible.",
        )  # fmt: skip
        item("sg1", "goal", "Partnerships move along the pathway", plan=self.scaling)
        item(
            "so11",
            "objective",
            "Candidate landscapes become engaged partnerships",
            "sg1",
            plan=self.scaling,
            owner_organization=org["CI"],
        )
        item(
            "sm111",
            "milestone",
            "People living in engaged landscapes",
            "so11",
            ["IMP-1"],
            plan=self.scaling,
            owner=self.person["kwame"],
            target_on=end,
        )
        item(
            "sm112",
            "milestone",
            "Pathway stages published with their criteria",
            "so11",
            plan=self.scaling,
            owner=self.person["kwame"],
            target_on=dt.date(year, 10, 31),
            status="done",
            progress=100,
        )
        item("sg2", "goal", "Regional hubs carry the growth", plan=self.scaling)
        item(
            "so21",
            "objective",
            "Three regional hubs in place",
            "sg2",
            plan=self.scaling,
            owner_organization=org["EP"],
        )
        item(
            "sm211",
            "milestone",
            "East Africa hub hosted by a landscape partnership",
            "so21",
            plan=self.scaling,
            owner=self.person["amina"],
            target_on=dt.date(year + 1, 3, 31),
            status="on_track",
            progress=40,
        )
        item(
            "sm212",
            "milestone",
            "Latin America and Asia hubs scoped",
            "so21",
            plan=self.scaling,
            owner=self.person["pablo"],
            target_on=dt.date(year + 1, 6, 30),
            status="not_started",
            progress=0,
        )
        self.items = items

    # --- key issues ---------------------------------------------------------------------------

    def issues(self) -> None:
        from landhub.directory.models import Landscape
        from landhub.mel.models import Indicator, OutcomeStatement

        codes = set(Indicator.objects.values_list("code", flat=True))

        def dashboard(code, label):
            if code not in codes:
                return []
            return [{"path": reverse("mel:indicator_dashboard", args=[code]), "label": label}]

        ashanti = Landscape.objects.filter(name="Ashanti Cocoa Landscape").first()
        ashanti_links = (
            [
                {
                    "path": reverse("mel:landscape_dashboard", args=[ashanti.slug]),
                    "label": "Ashanti Cocoa Landscape: MEL dashboard",
                }
            ]
            if ashanti
            else []
        )
        outcome = (
            OutcomeStatement.objects.filter(landscapes=ashanti).order_by("pk").first()
            if ashanti
            else None
        ) or OutcomeStatement.objects.order_by("pk").first()
        outcome_links = (
            [{"path": outcome.get_absolute_url(), "label": f"Outcome: {outcome.title}"[:200]}]
            if outcome
            else []
        )
        items = self.items
        u = self.users

        def raise_(key, actor, body, days_ago, **fields):
            issue = issue_services.issue_raise(actor=actor, body=body, **fields)
            # The issue was raised weeks ago in the story: move its date back.
            KeyIssue.objects.filter(pk=issue.pk).update(
                created_at=self.now - dt.timedelta(days=days_ago)
            )
            setattr(self, key, issue)

        raise_(
            "i_scaling",
            u["kwame"],
            self.sc,
            120,
            title="Scaling pathway to 1,000 landscape partnerships",
            background="The network counts a few hundred engaged landscapes. To reach "
            "1,000 partnerships by 2030 it needs a pathway partnerships can "
            "follow — from candidate to engaged to member — and regional hubs "
            "that carry it, instead of the hub onboarding each one.\n\nThe "
            "Scaling Design Team proposes the pathway in the draft scaling "
            "strategy.",
            options="1. Adopt the pathway and the regional hubs as proposed.\n2. Adopt "
            "the pathway; pilot one regional hub first.\n3. Ask for a costed "
            "version before deciding.",
            urgency="high",
            plan_items=[items["m311"], items["sg1"]],
            evidence=dashboard("IMP-1", "People living in engaged landscapes"),
        )
        raise_(
            "i_finance",
            u["meseret"],
            self.sc,
            110,
            title="A shared finance facility for landscape partnerships",
            background="Each core partner raises landscape finance on its own, and "
            "partnerships meet five application processes. A shared facility "
            "would pool part of it and fund partnerships' investment plans "
            "through one window.",
            options="- Design a facility with the partners' pooled grants and one "
            "blended-finance partner.\n- Coordinate calls only, without pooling.",
            urgency="normal",
            plan_items=[items["m212"]],
            evidence=dashboard("OUT-5", "Finance mobilised for the landscapes")
            + dashboard("OUT-6", "Private investment committed"),
        )
        raise_(
            "i_data",
            u["siti"],
            self.sc,
            100,
            title="Data-sharing agreement between the core partners",
            background="The partners' MEL figures, maps and contacts flow through the hub "
            "without a written agreement on who may use what. Partners' legal "
            "teams ask for one before more landscape data is shared.",
            options="Adopt the agreement drafted by Tech Matters, with a data steward "
            "named by each partner.",
            plan_items=[items["m321"]],
            evidence=[
                {
                    "path": reverse("mel:tracking_table"),
                    "label": "Indicator tracking table (what the partners share)",
                }
            ],
        )
        raise_(
            "i_grant",
            u["amina"],
            self.sc,
            75,
            title="Grant to the Ashanti cocoa consortium led by Rainforest Alliance",
            background="The finance round's panel recommends a grant of USD 250,000 to the "
            "Ashanti cocoa agroforestry consortium. Rainforest Alliance leads the "
            "consortium: its member of the committee has a conflict of interest "
            "and will be recused from the item.",
            urgency="high",
            plan_items=[items["m221"]],
            evidence=ashanti_links + outcome_links,
        )
        raise_(
            "i_languages",
            u["lena"],
            self.sc,
            30,
            title="Multilingual support for landscape leaders (the LLAG's request)",
            background="The LLAG asks that the hub, its guides and the committee's public "
            "summaries be available in French, Spanish and Portuguese, and that "
            "interpretation be offered at LLAG meetings. Many leaders read "
            "English with difficulty and join on slow connections.",
            options="1. Translate the hub and guides in 2027, interpretation from now.\n2. "
            "Interpretation only, translation when funded.",
            urgency="normal",
            plan_items=[items["m322"]],
            evidence=dashboard("PRD-6", "Landscape leaders taking part in peer exchanges"),
        )
        raise_(
            "i_summit",
            u["kwame"],
            self.sc,
            20,
            title="Host landscape for the 2027 Landscape Leaders Summit",
            background="Baviaanskloof Hartland offers to host the summit in May 2027; the "
            "partnership would show its catchment restoration and the costs are "
            "within the convening budget.",
            urgency="low",
            evidence=dashboard("PRD-7", "Peer-exchange visits hosted"),
        )

    # --- the first meeting (about three months ago) -------------------------------------------

    def _attendance(self, meeting, absent=None, alternate=None) -> None:
        s = self.seats
        entries = [{"seat": seat.pk, "status": "present"}
                   for seat in (s.amina, s.carlos, s.meseret, s.kwame, s.siti, s.sofia, s.hana)
                   if seat != absent]  # fmt: skip
        if absent is not None:
            entries.append(
                {
                    "seat": absent.pk,
                    "status": "apologies",
                    "represented_by": alternate.pk if alternate else None,
                }
            )
        meeting_services.attendance_record(actor=self.hana, meeting=meeting, entries=entries)

    def _decided_at(self, decision, moment, opened=None) -> None:
        """The services stamp a decision with the moment the demo runs, and a vote must
        close in the future: the story's moment replaces them."""
        fields = {"decided_at": moment, "created_at": (opened or moment) - dt.timedelta(days=1)}
        if opened is not None:
            fields.update(opens_at=opened, closes_at=moment)
            Vote.objects.filter(decision=decision).update(
                created_at=opened + dt.timedelta(minutes=5)
            )
        Decision.objects.filter(pk=decision.pk).update(**fields)

    def first_meeting(self) -> None:
        hana = self.hana
        starts = self.at(-91, 14)
        month = starts.strftime("%B")
        self.m1 = meeting = meeting_services.meeting_create(
            actor=hana, body=self.sc, title=f"Steering Committee — {month} meeting",
            starts_at=starts, ends_at=starts + dt.timedelta(hours=2, minutes=30),
            time_zone="Europe/Amsterdam", video_url=VIDEO,
            notes="Papers are on the items. Please send apologies to the secretary.",
        )  # fmt: skip
        add = meeting_services.agenda_item_add
        scaling = add(actor=hana, meeting=meeting, kind="decision", key_issue=self.i_scaling,
                      title="Scaling pathway to 1,000 landscape partnerships",
                      description="The Scaling Design Team presents the draft strategy.",
                      presenter=self.person["kwame"], minutes_allotted=45)  # fmt: skip
        add(
            actor=hana,
            meeting=meeting,
            kind="discussion",
            key_issue=self.i_data,
            title="Data-sharing agreement between the core partners",
            presenter=self.person["siti"],
            minutes_allotted=30,
        )
        add(
            actor=hana,
            meeting=meeting,
            kind="discussion",
            key_issue=self.i_finance,
            title="A shared finance facility: first exchange",
            presenter=self.person["meseret"],
            minutes_allotted=30,
        )
        meeting = meeting_services.agenda_publish(actor=hana, meeting=meeting,
                                                  version=meeting.version)  # fmt: skip
        self._attendance(meeting)
        self.m1 = meeting = meeting_services.meeting_mark_held(actor=hana, meeting=meeting,
                                                               version=meeting.version)  # fmt: skip
        decision = decision_services.decision_propose(
            actor=hana, body=self.sc, agenda_item=scaling, method="consensus",
            title="Adopt the scaling pathway to 1,000 landscape partnerships",
            text="The committee adopts the scaling strategy *Scaling pathway to 1,000 landscape "
                 "partnerships*: the pathway from candidate to member, and three regional hubs "
                 "to carry it, starting with East Africa.",
            rationale="Onboarding each partnership from the hub does not scale. The pathway "
                      "lets partnerships move on their own evidence; the hubs bring support "
                      "closer to them.",
            public_summary="The steering committee adopted the initiative's scaling pathway to "
                           "1,000 landscape partnerships, with regional hubs starting in East "
                           "Africa.",
            plan_items=[self.items["m311"], self.items["sg1"]],
        )  # fmt: skip
        decision = decision_services.decision_record(
            actor=hana, decision=decision, version=decision.version, adopted=True,
            note="Adopted by consensus; Conservation International will convene the East "
                 "Africa hub.")  # fmt: skip
        self._decided_at(decision, starts + dt.timedelta(minutes=50))
        self.d_scaling = decision
        self.scaling = plan_services.plan_adopt(actor=hana, plan=self.scaling,
                                                version=self.scaling.version,
                                                decision=decision)  # fmt: skip
        issue = KeyIssue.objects.get(pk=self.i_scaling.pk)
        issue_services.issue_transition(actor=hana, issue=issue, version=issue.version,
                                        status="closed",
                                        note="Strategy adopted; the Scaling Design Team "
                                             "follows up.")  # fmt: skip
        minutes = meeting_services.minutes_save(actor=hana, meeting=meeting,
                                                text=self._minutes_one(month),
                                                version=None)  # fmt: skip
        minutes = meeting_services.minutes_circulate(actor=hana, minutes=minutes,
                                                     version=minutes.version)  # fmt: skip
        Minutes.objects.filter(pk=minutes.pk).update(circulated_at=starts + dt.timedelta(days=6))
        self.m1_minutes = minutes

    def _minutes_one(self, month: str) -> str:
        return f"""## Steering Committee — {month} meeting

**Present:** Amina Otieno (chair, EcoAgriculture Partners), Carlos Restrepo (Rainforest
Alliance), Meseret Kebede (UNDP), Kwame Mensah (Conservation International), Siti Rahayu
(Tech Matters), Sofia Seat (Commonland). **Secretary:** Hana Hub. Quorum: all six voting
members present.

### 1. Scaling pathway to 1,000 landscape partnerships

Kwame presented the Scaling Design Team's draft. The pathway has three stages — candidate,
engaged, member — each with criteria a partnership can show from its own records, and the
hub's services offered at each stage. Members asked how the regional hubs would be funded;
Kwame answered that the first hub, in East Africa, is covered by Conservation
International's current grant, and the others will be costed in the next plan.

Sofia asked that the landscape leaders be consulted on the criteria before they are
published. The committee agreed, and **adopted the strategy by consensus** (see the
decision).

### 2. Data-sharing agreement between the core partners

Siti explained why partners' legal teams want a written agreement. Tech Matters will draft
it with one data steward per partner; the committee will decide by written procedure so
that the partners need not wait for the next meeting.

### 3. A shared finance facility: first exchange

Meseret opened the discussion. Members support exploring a facility, with questions on
governance and fees. The LLAG's advice will be asked before a decision.

*Next meeting: in about six weeks.*
"""

    # --- the LLAG meets (about two months ago) ------------------------------------------------

    def llag_meeting(self) -> None:
        hana, s = self.hana, self.seats
        starts = self.at(-60, 15, NAIROBI)
        meeting = meeting_services.meeting_create(
            actor=hana, body=self.llag,
            title=f"LLAG — {starts.strftime('%B')} meeting", starts_at=starts,
            ends_at=starts + dt.timedelta(hours=2), time_zone="Africa/Nairobi",
            video_url="https://meet.example.org/landhub-llag",
            notes="Interpretation into French and Spanish on the call.",
        )  # fmt: skip
        meeting_services.agenda_item_add(
            actor=hana, meeting=meeting, kind="discussion",
            title="Advice to the steering committee: a shared finance facility",
            presenter=self.person.get("leader0"), minutes_allotted=50)  # fmt: skip
        meeting_services.agenda_item_add(
            actor=hana, meeting=meeting, kind="discussion",
            title="Our request for multilingual support", presenter=self.person["lena"],
            minutes_allotted=40)  # fmt: skip
        meeting = meeting_services.agenda_publish(actor=hana, meeting=meeting,
                                                  version=meeting.version)  # fmt: skip
        entries = [{"seat": seat.pk, "status": "present"} for seat in s.llag[:-1]]
        entries += [{"seat": s.lena.pk, "status": "present"}]
        if s.llag:
            entries.append({"seat": s.llag[-1].pk, "status": "apologies"})
        meeting_services.attendance_record(actor=hana, meeting=meeting, entries=entries)
        meeting = meeting_services.meeting_mark_held(actor=hana, meeting=meeting,
                                                     version=meeting.version)  # fmt: skip
        minutes = meeting_services.minutes_save(
            actor=hana,
            meeting=meeting,
            version=None,
            text=(
                "## LLAG meeting\n\n"
                "### 1. A shared finance facility\n\n"
                "The leaders welcome one window for finance. They ask that partnerships, not only "
                "partners, sit on the facility's investment committee, and that small grants "
                "(under USD 20,000) have a light application in the partnerships' languages. "
                "The chair will send the group's advice to the steering committee.\n\n"
                "### 2. Multilingual support\n\n"
                "Lena presented the request: the hub, its guides and the committee's public "
                "summaries in French, Spanish and Portuguese, and interpretation at LLAG meetings. "
                "The group agreed to raise it to the steering committee as a key issue.\n"
            ),
        )
        meeting_services.minutes_circulate(actor=hana, minutes=minutes, version=minutes.version)
        Minutes.objects.filter(pk=minutes.pk).update(circulated_at=starts + dt.timedelta(days=4))
        self.llag_m = meeting

    # --- a decision by written procedure between the meetings (about ten weeks ago) -----------

    def written_procedure(self) -> None:
        hana, u = self.hana, self.users
        decision = decision_services.decision_propose(
            actor=hana, body=self.sc, key_issue=self.i_data, method="vote",
            title="Adopt the data-sharing agreement between the core partners",
            text="The committee adopts the data-sharing agreement drafted by Tech Matters. Each "
                 "core partner names a data steward within a month; landscape data is shared "
                 "under the agreement's licence from its signature.",
            rationale="Partners' legal teams asked for a written basis before more landscape "
                      "data is shared through the hub.",
            public_summary="The core partners adopted a data-sharing agreement for the "
                           "landscape data they share through the hub.",
            plan_items=[self.items["m321"]],
        )  # fmt: skip
        decision = decision_services.vote_open(
            actor=hana, decision=decision, version=decision.version,
            closes_at=self.now + dt.timedelta(hours=1))  # fmt: skip
        for key, choice, comment in [
            ("amina", "yes", ""), ("carlos", "yes", ""), ("meseret", "yes", ""),
            ("siti", "yes", "Tech Matters will host the stewards' first call."),
            ("sofia", "yes", ""),
            ("kwame", "abstain", "CI's legal review is not finished; no objection in principle."),
        ]:  # fmt: skip
            decision_services.vote_cast(actor=u[key], decision=decision, choice=choice,
                                        comment=comment)  # fmt: skip
        decision = decision_services.vote_close(actor=hana, decision=decision,
                                                version=decision.version)  # fmt: skip
        closes = self.at(-70, 17)
        self._decided_at(decision, closes, opened=closes - dt.timedelta(days=7))
        self.d_data = decision

    # --- the second meeting (about six weeks ago) ---------------------------------------------

    def second_meeting(self) -> None:
        hana, s, u = self.hana, self.seats, self.users
        starts = self.at(-45, 14)
        month = starts.strftime("%B")
        meeting = meeting_services.meeting_create(
            actor=hana, body=self.sc, title=f"Steering Committee — {month} meeting",
            starts_at=starts, ends_at=starts + dt.timedelta(hours=2, minutes=30),
            time_zone="Europe/Amsterdam", video_url=VIDEO,
        )  # fmt: skip
        add = meeting_services.agenda_item_add
        add(
            actor=hana,
            meeting=meeting,
            kind="information",
            title=f"Approval of the minutes of the {self.m1.starts_at.strftime('%B')} meeting",
            minutes_allotted=5,
        )
        finance = add(actor=hana, meeting=meeting, kind="decision", key_issue=self.i_finance,
                      title="A shared finance facility: the design phase",
                      presenter=self.person["meseret"], minutes_allotted=40)  # fmt: skip
        grant = add(actor=hana, meeting=meeting, kind="decision", key_issue=self.i_grant,
                    title="Grant to the Ashanti cocoa consortium (Rainforest Alliance lead)",
                    presenter=self.person["amina"], minutes_allotted=30)  # fmt: skip
        add(
            actor=hana,
            meeting=meeting,
            kind="information",
            title="The strategic plan: progress from the MEL figures",
            minutes_allotted=20,
        )
        meeting = meeting_services.agenda_publish(actor=hana, meeting=meeting,
                                                  version=meeting.version)  # fmt: skip
        # Before the meeting: the finance facility's decision is proposed and the LLAG asked.
        d_finance = decision_services.decision_propose(
            actor=hana, body=self.sc, agenda_item=finance, method="consensus",
            title="Design a shared finance facility with the LLAG's conditions",
            text="The committee asks the Finance Design Team to design a shared finance "
                 "facility by the end of March: pooled grants of the core partners, one "
                 "window for partnerships' investment plans, landscape partnerships on its "
                 "investment committee, and a light process for small grants.",
            rationale="One window for partnerships; the LLAG's advice is taken up in full.",
            public_summary="The steering committee asked its Finance Design Team to design a "
                           "shared finance facility for landscape partnerships by March.",
            plan_items=[self.items["m212"], self.items["m211"]],
        )  # fmt: skip
        advice = decision_services.advice_request_create(
            actor=hana, adviser=self.llag, decision=d_finance,
            question="What should a shared finance facility look like from the landscapes' "
                     "side? Which conditions would make it work for partnerships?",
            due_on=(starts - dt.timedelta(days=5)).date(),
        )  # fmt: skip
        chair = s.llag[0].person.user if s.llag and s.llag[0].person.user_id else hana
        advice = decision_services.advice_give(
            actor=chair, request=advice, version=advice.version, recommendation="support_changes",
            advice="The LLAG supports a shared facility, **with two changes**:\n\n"
                   "1. landscape partnerships hold two seats on its investment committee;\n"
                   "2. grants under USD 20,000 have a light application, accepted in French, "
                   "Spanish and Portuguese.\n\nWith these, leaders expect the facility to "
                   "reach partnerships that today never apply.",
        )  # fmt: skip
        type(advice).objects.filter(pk=advice.pk).update(
            given_at=self.llag_m.starts_at + dt.timedelta(hours=3),
            created_at=self.llag_m.starts_at - dt.timedelta(days=7))  # fmt: skip
        # Carlos declares his interest on the grant before the meeting.
        meeting_services.conflict_declare(
            actor=u["carlos"], agenda_item=grant, seat=s.carlos,
            nature="Rainforest Alliance leads the consortium and would receive the grant; I "
                   "direct its landscape programmes.")  # fmt: skip
        self._attendance(meeting, absent=s.sofia, alternate=s.pablo)
        meeting = meeting_services.meeting_mark_held(actor=hana, meeting=meeting,
                                                     version=meeting.version)  # fmt: skip
        # The first meeting's minutes are approved (and locked).
        minutes = Minutes.objects.get(pk=self.m1_minutes.pk)
        minutes = meeting_services.minutes_approve(
            actor=hana, minutes=minutes, version=minutes.version, at_meeting=meeting
        )
        Minutes.objects.filter(pk=minutes.pk).update(approved_at=starts + dt.timedelta(minutes=5))
        # The finance facility, by consensus, beside the LLAG's advice.
        d_finance = decision_services.decision_record(
            actor=hana, decision=d_finance, version=d_finance.version, adopted=True,
            note="Adopted by consensus, with the LLAG's two conditions.")  # fmt: skip
        self._decided_at(d_finance, starts + dt.timedelta(minutes=50))
        # The grant, by vote: Carlos recused; pablo votes in sofia's place.
        d_grant = decision_services.decision_propose(
            actor=hana, body=self.sc, agenda_item=grant, method="vote",
            title="Grant USD 250,000 to the Ashanti cocoa agroforestry consortium",
            text="The committee awards USD 250,000 from the pooled landscape fund to the Ashanti "
                 "cocoa agroforestry consortium, led by Rainforest Alliance, for two years, as "
                 "the finance round's panel recommends.",
            rationale="The panel ranked the proposal first on impact and readiness; the "
                      "consortium includes the landscape partnership and two farmer unions.",
            public_summary="The steering committee awarded a two-year grant of USD 250,000 to "
                           "the Ashanti cocoa agroforestry consortium. Rainforest Alliance's "
                           "member declared a conflict of interest and did not vote.",
            plan_items=[self.items["m221"]],
        )  # fmt: skip
        opened = starts + dt.timedelta(minutes=80)
        d_grant = decision_services.vote_open(
            actor=hana, decision=d_grant, version=d_grant.version,
            closes_at=self.now + dt.timedelta(hours=1))  # fmt: skip
        for key, choice, comment in [
            ("amina", "yes", ""), ("meseret", "yes", ""),
            ("pablo", "yes", "For Commonland, in Sofia's place."),
            ("siti", "no", "A good proposal, but the next round should be an open call."),
            ("kwame", "abstain", "CI is a partner in a competing proposal."),
        ]:  # fmt: skip
            decision_services.vote_cast(actor=u[key], decision=d_grant, choice=choice,
                                        comment=comment)  # fmt: skip
        d_grant = decision_services.vote_close(actor=hana, decision=d_grant,
                                               version=d_grant.version)  # fmt: skip
        self._decided_at(d_grant, opened + dt.timedelta(minutes=15), opened=opened)
        minutes = meeting_services.minutes_save(actor=hana, meeting=meeting,
                                                text=self._minutes_two(month),
                                                version=None)  # fmt: skip
        minutes = meeting_services.minutes_circulate(actor=hana, minutes=minutes,
                                                     version=minutes.version)  # fmt: skip
        Minutes.objects.filter(pk=minutes.pk).update(circulated_at=starts + dt.timedelta(days=5))
        self.m2, self.d_finance, self.d_grant = meeting, d_finance, d_grant

    def _minutes_two(self, month: str) -> str:
        first = self.m1.starts_at.strftime("%B")
        return f"""## Steering Committee — {month} meeting

**Present:** Amina Otieno (chair), Carlos Restrepo, Meseret Kebede, Kwame Mensah, Siti
Rahayu; Pablo Partner for Commonland (alternate). **Apologies:** Sofia Seat. **Secretary:**
Hana Hub. Quorum: all six voting seats present.

### 1. Minutes of the {first} meeting

Approved without changes.

### 2. A shared finance facility: the design phase

Meseret summarised the options. The chair read the LLAG's advice, which supports a facility
with two conditions: landscape partnerships on its investment committee, and a light process
for small grants in the partnerships' languages. The committee took both up and **decided by
consensus** to ask the Finance Design Team for a design by the end of March.

### 3. Grant to the Ashanti cocoa consortium

Carlos declared a conflict of interest (Rainforest Alliance leads the consortium) and left
the call for the item; he was not counted for its quorum. Five voting seats took part, three
needed. The committee **voted: 3 yes, 1 no, 1 abstention** — the grant is awarded. Siti asked
that the next round be an open call; the secretary will propose one.

### 4. The strategic plan

The chair walked through the plan's milestones; restoration and finance figures come from
the MEL roll-ups. Members asked for the shared-finance milestone to be watched closely.

*Actions are recorded on the meeting's page.*
"""

    # --- an open vote by written procedure (today) --------------------------------------------

    def open_vote(self) -> None:
        hana, u = self.hana, self.users
        decision = decision_services.decision_propose(
            actor=hana, body=self.sc, key_issue=self.i_summit, method="vote",
            title="Baviaanskloof Hartland hosts the 2027 Landscape Leaders Summit",
            text="The 2027 Landscape Leaders Summit is held in Baviaanskloof Hartland in May "
                 "2027, within the convening budget.",
            public_summary="The 2027 Landscape Leaders Summit will be hosted by the "
                           "Baviaanskloof Hartland partnership.",
        )  # fmt: skip
        decision = decision_services.vote_open(
            actor=hana, decision=decision, version=decision.version,
            closes_at=self.now + dt.timedelta(days=7))  # fmt: skip
        for key in ("amina", "meseret"):
            decision_services.vote_cast(actor=u[key], decision=decision, choice="yes")
        self.d_summit = decision

    # --- the next meeting (in two weeks) ------------------------------------------------------

    def next_meeting(self) -> None:
        hana = self.hana
        starts = self.at(14, 14)
        # Named after its month (in UTC, like the browser test that looks for it), whenever the
        # demo is loaded.
        meeting = meeting_services.meeting_create(
            actor=hana, body=self.sc, title=next_meeting_title(self.today),
            starts_at=starts, ends_at=starts + dt.timedelta(hours=2, minutes=30),
            time_zone="Europe/Amsterdam", video_url=VIDEO,
            notes="Next year's strategic plan, first reading.",
        )  # fmt: skip
        meeting_services.agenda_item_add(
            actor=hana,
            meeting=meeting,
            kind="decision",
            minutes_allotted=5,
            title=f"Approval of the minutes of the {self.m2.starts_at.strftime('%B')} meeting",
        )
        meeting_services.agenda_item_add(
            actor=hana, meeting=meeting, kind="discussion", minutes_allotted=60,
            title=f"The strategic plan {self.today.year + 1}: first reading",
            presenter=self.person["amina"])  # fmt: skip
        self.m3 = meeting_services.agenda_publish(actor=hana, meeting=meeting,
                                                  version=meeting.version)  # fmt: skip

    # --- action items -------------------------------------------------------------------------

    def actions(self) -> None:
        hana, p, today = self.hana, self.person, self.today

        def action(title, due_days, *, done_days=None, status="", **links):
            item = action_services.action_create(actor=hana, title=title,
                                                 due_on=today + dt.timedelta(days=due_days),
                                                 **links)  # fmt: skip
            if status:
                item = action_services.action_set_status(
                    actor=hana, action=item, status=status, version=item.version
                )
            if done_days is not None:
                # Done weeks ago in the story (the service stamps the moment the demo runs).
                ActionItem.objects.filter(pk=item.pk).update(
                    done_at=self.now + dt.timedelta(days=done_days)
                )
            return item

        action(
            "Circulate the scaling strategy to every landscape partnership",
            -75,
            done_days=-80,
            status="done",
            decision=self.d_scaling,
            owner=p["kwame"],
            owner_organization=self.core["CI"],
        )
        action(
            "Draft the data-sharing agreement with a data steward per partner",
            -80,
            done_days=-82,
            status="done",
            meeting=self.m1,
            owner=p["siti"],
            owner_organization=self.core["TM"],
        )
        action(
            "Ask the landscape leaders for comments on the pathway's criteria",
            -60,
            done_days=-63,
            status="done",
            meeting=self.m1,
            owner=p["sofia"],
        )
        action(
            "Prepare the grant agreement with the Ashanti consortium",
            -30,
            done_days=-33,
            status="done",
            decision=self.d_grant,
            owner=p["hana"],
        )
        action("Share Commonland's landscape finance case studies with the Finance Design "
               "Team", -9, meeting=self.m2, owner=p["sofia"],
               owner_organization=self.core["CL"],
               description="Three cases from the 4 Returns landscapes, for the facility's "
                           "design options.")  # fmt: skip
        action(
            "Confirm Commonland's data steward for the data-sharing agreement",
            3,
            decision=self.d_data,
            owner=p["pablo"],
            owner_organization=self.core["CL"],
        )
        action(
            "Present the shared finance facility's design options",
            45,
            status="in_progress",
            decision=self.d_finance,
            owner=p["meseret"],
            owner_organization=self.core["UNDP"],
        )
        action(
            "Propose an open call for the next finance round", 20, meeting=self.m2, owner=p["hana"]
        )
        action(
            "Cost interpretation for LLAG meetings in French, Spanish and Portuguese",
            25,
            body=self.sc,
            owner_organization=self.core["TM"],
            owner=p["siti"],
        )
