"""Reads of system change and of the value of tools and services (issue 6, area "value").

Who reads what:

- **Change trails** and the **system change summary**: by each trail's ``visibility``
  (``ChangeTrail.objects.visible_to``); the backing outcome statements shown are those the
  reader may read (``readable_outcomes``).
- **Contribution claims** have no visibility of their own: a claim is read by whoever may read
  its outcome statement and its offering or partner.
- **Value reports** (an offering's, a partner's) and the **value overview**: any signed-in
  member, for the offerings they may see in the catalog (``coordination.selectors``); a hidden
  offering's report is a 404. Requests, deliveries, ratings and testimony are read only through
  ``coordination.selectors`` (DESIGN §2); testimony quotes name the landscape, so quotes of
  landscapes the reader may not see are left out.

Every page costs a fixed number of queries: counts are grouped or correlated subqueries, the
system change summary reads the steps of the chosen trails once (one row per step: trails are
hand-recorded analysis, hundreds, not millions).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from statistics import median

from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from landhub.core.counts import cached_result

from ..models import (
    STAGE_ORDER,
    ActorType,
    ChangeStep,
    ChangeTrail,
    Confidence,
    ContributionClaim,
    Domain,
    OutcomeStatement,
    OutcomeStatus,
    Stage,
)
from ..rules import can

__all__ = [
    "CLAIM_SORTS",
    "TRAIL_SORTS",
    "VALUE_OFFERING_SORTS",
    "VALUE_PARTNER_SORTS",
    "ValuePeriod",
    "claim_detail",
    "claim_history",
    "claim_list",
    "readable_outcomes",
    "claims_on",
    "system_change_summary",
    "system_change_years",
    "trail_detail",
    "trail_history",
    "trail_list",
    "value_overview",
    "value_period",
    "value_quote_list",
    "value_report",
    "value_subject",
]

SHOWN_OUTCOME_STATUSES = (OutcomeStatus.SUBSTANTIATED, OutcomeStatus.PUBLISHED)


def _clean(filters: dict | None) -> dict:
    return {k: v.strip()[:100] for k, v in (filters or {}).items() if isinstance(v, str) and v}


def readable_outcomes(user) -> QuerySet[OutcomeStatement]:
    """Outcome statements ``user`` may read here, not archived: the register's one rule
    (``outcome_visible``: reviewers and hub staff all of them; others the published ones their
    visibility lets them see, and their own)."""
    from .outcomes import outcome_visible

    return outcome_visible(user).filter(archived_at__isnull=True)


# --- change trails ---------------------------------------------------------------------------

TRAIL_SORTS = {"actor": "actor_sort", "domain": "domain", "stage": "stage_rank",
               "updated": "updated_at"}  # fmt: skip


def _stage_rank() -> Case:
    return Case(*[When(current_stage=s, then=Value(n)) for s, n in STAGE_ORDER.items()],
                default=Value(-1), output_field=IntegerField())  # fmt: skip


def trail_list(*, user, filters: dict | None = None) -> QuerySet[ChangeTrail]:
    """Trails ``user`` may see. Filters: domain, actor_type, stage (current stage; ``none``
    for trails without a step), organization (slug), q (actor or summary), archived (``1``:
    the archived trails instead — for those who record trails, who may restore them; for
    anyone else archived trails are simply not listed)."""
    filters = _clean(filters)
    qs = ChangeTrail.objects.visible_to(user)
    archived = filters.get("archived") == "1" and can(user, "mel.record_trail")
    qs = qs.exclude(archived_at=None) if archived else qs.filter(archived_at=None)
    if (domain := filters.get("domain")) in Domain.values:
        qs = qs.filter(domain=domain)
    if (actor_type := filters.get("actor_type")) in ActorType.values:
        qs = qs.filter(actor_type=actor_type)
    stage = filters.get("stage")
    if stage in Stage.values:
        qs = qs.filter(current_stage=stage)
    elif stage == "none":
        qs = qs.filter(current_stage="")
    if organization := filters.get("organization"):
        qs = qs.filter(actor_organization__slug=organization)
    if q := filters.get("q"):
        qs = qs.filter(Q(actor_name__icontains=q) | Q(actor_organization__name__icontains=q)
                       | Q(summary__icontains=q))  # fmt: skip
    steps = (ChangeStep.objects.filter(trail=OuterRef("pk")).order_by().values("trail")
             .annotate(n=Count("pk")).values("n"))  # fmt: skip
    # ``actor`` sorts by the stored ``actor_sort`` (the directory's or the typed name, lower
    # case), which its index answers a page at a time.
    return qs.select_related("actor_organization").annotate(
        stage_rank=_stage_rank(),
        step_count=Coalesce(Subquery(steps, output_field=IntegerField()), Value(0)),
    )


def trail_detail(*, user, pk: int) -> ChangeTrail:
    """One trail (404 when hidden) with ``steps`` in date order, each with the outcome
    statements behind it that ``user`` may read (``shown_outcomes``)."""
    trail = (ChangeTrail.objects.visible_to(user).filter(pk=pk)
             .select_related("actor_organization", "recorded_by").first())  # fmt: skip
    if trail is None:
        raise Http404
    outcomes = readable_outcomes(user).select_related("actor_organization")
    trail.timeline = list(
        trail.steps.select_related("recorded_by")
        .prefetch_related(Prefetch("outcomes", queryset=outcomes, to_attr="shown_outcomes"))
        .order_by("reached_on", "id")
    )  # fmt: skip
    return trail


def trail_history(trail) -> list:
    from landhub.core.history import history_entries

    return history_entries(trail)


# --- system change summary -------------------------------------------------------------------


@dataclass
class SystemChange:
    """What ``system_change_summary`` returns; labels are translated."""

    year: int
    transitions: list = field(default_factory=list)  # dicts: actor_type, domain, from, to, n
    totals: list = field(default_factory=list)  # dicts: from, to, n (all actors)
    at_year_end: list = field(default_factory=list)  # dicts: actor_type, domain, stages{}, n
    stage_totals: dict = field(default_factory=dict)  # stage → n at the year's end
    stages: list = field(default_factory=list)  # (value, label) in order
    trails: int = 0


def system_change_years(*, user) -> list[int]:
    """Years with at least one step on a trail ``user`` may see, newest first, and this year."""
    steps = ChangeStep.objects.filter(
        trail__in=ChangeTrail.objects.visible_to(user).filter(archived_at=None).values("pk")
    )
    # Every step is read for its year (14 ms at scale 1): kept until the next write.
    years = set(
        cached_result(
            "mel.system_change_years",
            steps,
            lambda: [d.year for d in steps.dates("reached_on", "year")],
        )
    )
    years.add(timezone.localdate().year)
    return sorted(years, reverse=True)


def system_change_summary(*, user, year: int, domain: str = "",
                          actor_type: str = "") -> SystemChange:  # fmt: skip
    """For ``year``: how many actors moved from one stage to another during it (a step dated
    in the year, from the stage of the trail's previous step; ``—`` when it is the trail's
    first), and how many stand at each stage at the year's end (their latest step on or
    before 31 December), by actor type and domain.

    One query reads the steps up to the year's end of the trails ``user`` may see.
    """
    trails = ChangeTrail.objects.visible_to(user).filter(archived_at=None)
    if domain in Domain.values:
        trails = trails.filter(domain=domain)
    if actor_type in ActorType.values:
        trails = trails.filter(actor_type=actor_type)
    end = dt.date(year, 12, 31)
    rows = (ChangeStep.objects.filter(trail__in=trails.values("pk"), reached_on__lte=end)
            .order_by("trail_id", "reached_on", "id")
            .values_list("trail_id", "stage", "reached_on", "trail__actor_type",
                         "trail__domain"))  # fmt: skip
    # Every step up to the year's end is read (150 ms at scale 10): kept until the next write.
    return cached_result("mel.system_change", rows, lambda: _summary(rows, year), extra=year)


def _summary(rows, year: int) -> SystemChange:
    moves: Counter = Counter()
    standing: dict[int, tuple] = {}
    previous: dict[int, str] = {}
    for trail_id, stage, reached_on, kind, trail_domain in rows.iterator(chunk_size=2000):
        if reached_on.year == year:
            moves[(kind, trail_domain, previous.get(trail_id, ""), stage)] += 1
        previous[trail_id] = stage
        standing[trail_id] = (kind, trail_domain, stage)
    kinds, domains = dict(ActorType.choices), dict(Domain.choices)
    stage_labels = {**dict(Stage.choices), "": "—"}

    def rank(stage: str) -> int:
        return STAGE_ORDER.get(stage, -1)

    result = SystemChange(year=year, stages=list(Stage.choices), trails=len(standing))
    for (kind, trail_domain, before, after), n in sorted(
        moves.items(), key=lambda item: (str(kinds.get(item[0][0], "")),
                                         str(domains.get(item[0][1], "")),
                                         rank(item[0][2]), rank(item[0][3]))):  # fmt: skip
        result.transitions.append({
            "actor_type": kind, "actor_type_label": kinds.get(kind, kind),
            "domain": trail_domain, "domain_label": domains.get(trail_domain, trail_domain),
            "from": before, "from_label": stage_labels.get(before, before),
            "to": after, "to_label": stage_labels.get(after, after), "n": n,
        })  # fmt: skip
    totals: Counter = Counter()
    for (_kind, _domain, before, after), n in moves.items():
        totals[(before, after)] += n
    result.totals = [
        {"from": b, "from_label": stage_labels.get(b, b), "to": a,
         "to_label": stage_labels.get(a, a), "n": n}
        for (b, a), n in sorted(totals.items(), key=lambda item: (rank(item[0][0]),
                                                                  rank(item[0][1])))
    ]  # fmt: skip
    grid: dict[tuple, Counter] = defaultdict(Counter)
    for kind, trail_domain, stage in standing.values():
        grid[(kind, trail_domain)][stage] += 1
        result.stage_totals[stage] = result.stage_totals.get(stage, 0) + 1
    for (kind, trail_domain), counts in sorted(
        grid.items(), key=lambda item: (str(kinds.get(item[0][0], "")),
                                        str(domains.get(item[0][1], "")))):  # fmt: skip
        result.at_year_end.append({
            "actor_type": kind, "actor_type_label": kinds.get(kind, kind),
            "domain": trail_domain, "domain_label": domains.get(trail_domain, trail_domain),
            "stages": [counts.get(value, 0) for value, _label in Stage.choices],
            "n": sum(counts.values()),
        })  # fmt: skip
    return result


# --- contribution claims ---------------------------------------------------------------------

CLAIM_SORTS = {"created": "created_at", "outcome": "outcome__title",
               "confidence": "confidence_rank"}  # fmt: skip
CONFIDENCE_RANK = {Confidence.LOW: 0, Confidence.MEDIUM: 1, Confidence.HIGH: 2}


def _claims(user) -> QuerySet[ContributionClaim]:
    """Claims whose outcome, and offering or partner, ``user`` may read."""
    from landhub.coordination.selectors import offering_visibility_q
    from landhub.directory.models import Organization

    from .outcomes import outcome_visible_q

    # Conditions on the joined outcome and offering, not ``IN (<every readable one>)``: the
    # list then walks the claims in its order and stops at a page (138 ms at scale 10 before).
    qs = ContributionClaim.objects.all()
    if (outcome_q := outcome_visible_q(user, "outcome__")) is not None:
        qs = qs.filter(outcome_q)
    if (offering_q := offering_visibility_q(user, "offering__")) is not None:
        qs = qs.filter(Q(offering__isnull=True) | offering_q)
    partner_q = Organization.objects.visibility_q(user, "partner__")
    if partner_q is not None:
        qs = qs.filter(Q(partner__isnull=True) | partner_q)
    return qs


def claims_on(*, user, outcome, limit: int = 10) -> list[ContributionClaim]:
    """The newest claims on one outcome statement the reader already reads (its page), each
    with an offering or partner the reader may see. The outcome's own claims are few, so they
    are read directly and their offerings and partners checked in two small queries, instead
    of ``_claims``'s subqueries over every readable outcome and offering (the page took 106 ms
    on PostgreSQL at scale 1 with them)."""
    from landhub.coordination.selectors import visible_offerings
    from landhub.directory.models import Organization

    if not user.is_authenticated:
        return []
    claims = list(
        ContributionClaim.objects.filter(outcome=outcome, archived_at=None)
        .select_related("offering", "partner").order_by("-created_at", "-pk")
    )  # fmt: skip
    offering_ids = {c.offering_id for c in claims if c.offering_id}
    partner_ids = {c.partner_id for c in claims if c.partner_id}
    offerings = set(visible_offerings(user).filter(pk__in=offering_ids)
                    .values_list("pk", flat=True)) if offering_ids else set()  # fmt: skip
    partners = set(Organization.objects.visible_to(user).filter(pk__in=partner_ids)
                   .values_list("pk", flat=True)) if partner_ids else set()  # fmt: skip
    shown = [c for c in claims if c.offering_id in offerings or c.partner_id in partners]
    return shown[:limit]


def claim_list(*, user, filters: dict | None = None) -> QuerySet[ContributionClaim]:
    """Filters: offering (slug), partner (slug), confidence, domain (of the outcome),
    outcome (id), q (claim or outcome title), archived (``1``)."""
    filters = _clean(filters)
    if not user.is_authenticated:
        return ContributionClaim.objects.none()
    qs = _claims(user)
    qs = qs.exclude(archived_at=None) if filters.get("archived") == "1" else qs.filter(
        archived_at=None)  # fmt: skip
    if offering := filters.get("offering"):
        qs = qs.filter(offering__slug=offering)
    if partner := filters.get("partner"):
        qs = qs.filter(partner__slug=partner)
    if (confidence := filters.get("confidence")) in Confidence.values:
        qs = qs.filter(confidence=confidence)
    if (domain := filters.get("domain")) in Domain.values:
        qs = qs.filter(outcome__domain=domain)
    if (outcome := filters.get("outcome", "")).isdigit() and len(outcome) <= 12:
        qs = qs.filter(outcome_id=int(outcome))
    if q := filters.get("q"):
        qs = qs.filter(Q(claim__icontains=q) | Q(outcome__title__icontains=q))
    alternatives = (ContributionClaim.alternatives.rel.related_model.objects
                    .filter(claim=OuterRef("pk")).order_by().values("claim")
                    .annotate(n=Count("pk")).values("n"))  # fmt: skip
    return qs.select_related("outcome", "offering", "partner").annotate(
        confidence_rank=Case(*[When(confidence=c, then=Value(n))
                               for c, n in CONFIDENCE_RANK.items()],
                             default=Value(-1), output_field=IntegerField()),
        alternative_count=Coalesce(Subquery(alternatives, output_field=IntegerField()),
                                   Value(0)),
    )  # fmt: skip


def claim_detail(*, user, pk: int) -> ContributionClaim:
    """One claim with its alternatives (404 when its outcome or subject is hidden)."""
    if not user.is_authenticated:
        raise Http404
    claim = (
        _claims(user).filter(pk=pk)
        .select_related("outcome", "offering", "partner", "recorded_by")
        .prefetch_related("alternatives").first()
    )  # fmt: skip
    if claim is None:
        raise Http404
    return claim


def claim_history(claim) -> list:
    from landhub.core.history import history_entries

    return history_entries(claim)


# --- value: period ---------------------------------------------------------------------------

PRESETS = ("all", "this_year", "last_year", "custom")


@dataclass
class ValuePeriod:
    """The period a value report covers: dates (inclusive) and the aware datetimes of the
    half-open range the coordination selectors take."""

    preset: str
    start: dt.date | None
    end: dt.date | None
    errors: list = field(default_factory=list)

    @property
    def since(self):
        return _aware(self.start) if self.start else None

    @property
    def until(self):
        return _aware(self.end + dt.timedelta(days=1)) if self.end else None

    @property
    def label(self) -> str:
        if self.start is None and self.end is None:
            return _("All time")
        start = self.start.isoformat() if self.start else "…"
        end = self.end.isoformat() if self.end else "…"
        return f"{start} – {end}"

    def query(self) -> dict:
        return {"period": self.preset, "from": self.start.isoformat() if self.start else "",
                "to": self.end.isoformat() if self.end else ""}  # fmt: skip


def _aware(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _parse_day(raw, errors: list, label: str) -> dt.date | None:
    raw = (raw or "").strip() if isinstance(raw, str) else raw
    if not raw:
        return None
    if isinstance(raw, dt.date):
        return raw
    try:
        day = dt.date.fromisoformat(raw[:10])
    except ValueError:
        errors.append(_("%(field)s: enter a date as YYYY-MM-DD.") % {"field": label})
        return None
    if not 1900 <= day.year <= 2200:
        errors.append(_("%(field)s: enter a date between 1900 and 2200.") % {"field": label})
        return None
    return day


def value_period(preset: str | None = "", start=None, end=None) -> ValuePeriod:
    """The period asked for: a preset (``all``, ``this_year``, ``last_year``) or ``from`` /
    ``to`` dates (either may be empty). Bad dates are reported in ``errors`` and ignored."""
    today = timezone.localdate()
    preset = preset if preset in PRESETS else ""
    if preset == "this_year":
        return ValuePeriod(preset, dt.date(today.year, 1, 1), dt.date(today.year, 12, 31))
    if preset == "last_year":
        return ValuePeriod(preset, dt.date(today.year - 1, 1, 1), dt.date(today.year - 1, 12, 31))
    errors: list = []
    first = _parse_day(start, errors, _("From"))
    last = _parse_day(end, errors, _("To"))
    if first and last and first > last:
        errors.append(_("The period ends before it starts; both dates are ignored."))
        first = last = None
    if first is None and last is None:
        return ValuePeriod("all", None, None, errors)
    return ValuePeriod("custom", first, last, errors)


# --- value: reports --------------------------------------------------------------------------


def value_subject(*, user, kind: str, slug: str):
    """The offering or provider partner a report is about, and the ids of the offerings it
    covers; 404 when ``user`` may not see it (or the partner provides nothing visible)."""
    from landhub.coordination.selectors import offering_detail, provider_offering_ids
    from landhub.directory.models import Organization

    if not user.is_authenticated:
        raise Http404
    if kind == "offering":
        offering = offering_detail(user=user, slug=slug)
        return offering, [offering.pk]
    if kind == "partner":
        partner = Organization.objects.visible_to(user).filter(slug=slug).first()
        ids = provider_offering_ids(user=user, organization=partner) if partner else []
        if partner is None or not ids:
            raise Http404
        return partner, ids
    raise Http404


@dataclass
class ValueReport:
    kind: str  # "offering" or "partner"
    subject: object
    period: ValuePeriod
    figures: dict
    delivery: dict
    offerings: list
    outcomes: list
    outcome_count: int
    stories: list
    story_count: int
    claims: list


OUTCOMES_SHOWN, STORIES_SHOWN, CLAIMS_SHOWN, QUOTES_SHOWN = 20, 10, 20, 5


def _delivery(days: list[int]) -> dict:
    if not days:
        return {"median": None, "quickest": None, "slowest": None}
    return {"median": median(days), "quickest": days[0], "slowest": days[-1]}


def value_report(*, user, kind: str, slug: str, period: ValuePeriod) -> ValueReport:
    """The value of an offering, or of a partner's offerings together, in ``period``:
    requests and deliveries, delivery times, ratings and savings, testimony (from
    coordination), and beside them the outcome statements (substantiated or published) and
    stories that speak of it, and the contribution claims with their alternatives.
    Outcomes, stories and claims are dated by when the change happened / was told."""
    from landhub.coordination.models import Offering
    from landhub.coordination.selectors import offering_value_details

    from ..models import Story

    subject, ids = value_subject(user=user, kind=kind, slug=slug)
    figures = offering_value_details(ids, period.since, period.until, user=user,
                                     quotes=QUOTES_SHOWN)  # fmt: skip
    offering_q = Q(offerings__in=ids)
    claim_q = Q(offering_id__in=ids)
    if kind == "partner":
        offering_q |= Q(contributing_partners=subject)
        claim_q |= Q(partner=subject)
    outcomes = readable_outcomes(user).filter(status__in=SHOWN_OUTCOME_STATUSES)
    outcomes = outcomes.filter(pk__in=OutcomeStatement.objects.filter(offering_q).values("pk"))
    stories = Story.objects.visible_to(user).filter(
        archived_at=None, pk__in=Story.objects.filter(offerings__in=ids).values("pk")
    )
    if period.start:
        outcomes = outcomes.filter(occurred_on__gte=period.start)
        stories = stories.filter(told_on__gte=period.start)
    if period.end:
        outcomes = outcomes.filter(occurred_on__lte=period.end)
        stories = stories.filter(told_on__lte=period.end)
    claims = (
        claim_list(user=user).filter(claim_q).filter(outcome__status__in=SHOWN_OUTCOME_STATUSES)
    )
    if period.start:
        claims = claims.filter(outcome__occurred_on__gte=period.start)
    if period.end:
        claims = claims.filter(outcome__occurred_on__lte=period.end)
    outcome_rows = list(outcomes.select_related("actor_organization")
                        .order_by("-occurred_on", "-pk")[:OUTCOMES_SHOWN])  # fmt: skip
    story_rows = list(stories.select_related("landscape").defer("landscape__boundary")
                      .order_by("-told_on", "-pk")[:STORIES_SHOWN])  # fmt: skip
    offerings = [subject]
    if kind == "partner":
        offerings = list(Offering.objects.filter(pk__in=ids).order_by("title")
                         .only("pk", "title", "slug"))  # fmt: skip
    return ValueReport(
        kind=kind, subject=subject, period=period, figures=figures,
        delivery=_delivery(figures["delivery_days"]), offerings=offerings,
        outcomes=outcome_rows,
        outcome_count=(outcomes.count() if len(outcome_rows) >= OUTCOMES_SHOWN
                       else len(outcome_rows)),
        stories=story_rows,
        story_count=stories.count() if len(story_rows) >= STORIES_SHOWN else len(story_rows),
        claims=list(claims.prefetch_related("alternatives")
                    .order_by("-created_at", "-pk")[:CLAIMS_SHOWN]),
    )  # fmt: skip


def value_quote_list(*, user, kind: str, slug: str, period: ValuePeriod):
    """Every testimony of the offering or partner in ``period`` (a paged list)."""
    from landhub.coordination.selectors import value_quotes

    subject, ids = value_subject(user=user, kind=kind, slug=slug)
    return subject, value_quotes(ids, period.since, period.until, user=user)


# --- value: overview -------------------------------------------------------------------------

VALUE_OFFERING_SORTS = {"title": "title", "requests": "value_requests",
                        "delivered": "value_delivered", "rating": "value_mean_rating",
                        "outcomes": "value_outcomes"}  # fmt: skip
VALUE_PARTNER_SORTS = {"name": "name", "offerings": "value_offerings",
                       "requests": "value_requests", "delivered": "value_delivered",
                       "rating": "value_mean_rating", "outcomes": "value_outcomes"}  # fmt: skip


def _outcome_count(condition: Q, link: str) -> Subquery:
    """How many statements meeting ``condition`` name the row through ``link`` (the
    statements' many-to-many field, e.g. ``offerings``).

    Read from the statements, so every part of the condition — the reader's rule included —
    is on the statement row: PostgreSQL then looks up each of the row's few linked statements
    by key. Read from the link table, the rule's ``pk IN (…)`` landed on the link's column and
    the rest on the statement, so the two could not be checked apart and each offering of the
    page hashed every readable statement (290 ms at scale 10). Never ``IN (<every readable
    statement>)`` either, which PostgreSQL re-read per offering (555 ms).
    """
    rows = OutcomeStatement.objects.filter(condition, **{link: OuterRef("pk")}).order_by()
    return _SubqueryCount(rows.values("pk"))


class _SubqueryCount(Subquery):
    """How many rows a correlated subquery yields (distinct rows of an OR over two joins,
    which a grouped ``Count`` would count twice)."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) AS _rows)"
    output_field = IntegerField()


def _order(qs, sort: str, allowed: dict, default: str):
    """Sort by a whitelisted key; numbers with no value (no rating yet) go last."""
    key = (sort or default).strip()
    bare = key.lstrip("-")
    if bare not in allowed:
        key, bare = default, default.lstrip("-")
    expr = F(allowed[bare])
    ordered = expr.desc(nulls_last=True) if key.startswith("-") else expr.asc(nulls_last=True)
    tie = "-pk" if key.startswith("-") else "pk"
    return qs.order_by(ordered, tie), key


def value_overview(*, user, tab: str = "offerings", filters: dict | None = None,
                   period: ValuePeriod, sort: str = "") -> tuple[QuerySet, str]:  # fmt: skip
    """Offerings (``tab="offerings"``) or provider partners (``"partners"``) ``user`` may see,
    each with requests, deliveries, ratings (count, mean) in ``period`` and the outcome
    statements it contributed to; sorted by a key of ``VALUE_*_SORTS``. Filters: q, type,
    provider (offerings)."""
    from landhub.coordination.selectors import offerings_with_value

    filters = _clean(filters)
    outcomes = readable_outcomes(user).filter(status__in=SHOWN_OUTCOME_STATUSES)
    if period.start:
        outcomes = outcomes.filter(occurred_on__gte=period.start)
    if period.end:
        outcomes = outcomes.filter(occurred_on__lte=period.end)
    if tab == "partners":
        return _partner_overview(user, filters.get("q", ""), period, outcomes, sort)
    offering_filters = {k: filters[k] for k in ("q", "type", "provider") if k in filters}
    qs = offerings_with_value(user=user, filters=offering_filters, since=period.since,
                              until=period.until)  # fmt: skip
    from .outcomes import outcome_visible_q

    shown = Q(status__in=SHOWN_OUTCOME_STATUSES)
    if (readable := outcome_visible_q(user)) is not None:
        shown &= readable
    if period.start:
        shown &= Q(occurred_on__gte=period.start)
    if period.end:
        shown &= Q(occurred_on__lte=period.end)
    qs = qs.annotate(value_outcomes=_outcome_count(shown, "offerings"))
    return _order(qs, sort, VALUE_OFFERING_SORTS, "title")


def _partner_overview(user, q: str, period: ValuePeriod, outcomes, sort: str):
    """The partners tab: the page's partners first, their figures second.

    Every provider's figures are correlated subqueries; sorted in SQL, SQLite computed them for
    all 36,000 providers of scale 10 before keeping 25 (1.4 s). By name, the page's keys are
    read from the name index; by a figure, from a ranking of every provider by that figure —
    one grouped query, kept until the next write (``cached_result``, per reader: what counts
    follows what the reader may see). Ties and missing ratings are ordered as ``_order`` does.
    """
    from landhub.coordination.selectors import providers_with_value, value_providers
    from landhub.core.lists import FiguresAfterPaging

    key = (sort or "name").strip()
    figure = key.lstrip("-")
    if figure not in VALUE_PARTNER_SORTS:
        key, figure = "name", "name"
    descending = key.startswith("-")
    providers = value_providers(user=user, q=q)
    if figure == "name":
        keys = providers.order_by("-name" if descending else "name").values_list("pk", flat=True)
    else:
        keys = cached_result(
            "value-partner-ranking", providers,
            lambda: _partner_ranking(user, providers, figure, descending, period, outcomes),
            extra=(key, period.since, period.until, user.pk),
        )  # fmt: skip

    def figures(ids: list[int]):
        rows = providers_with_value(user=user, ids=ids, since=period.since, until=period.until)
        return _with_partner_outcomes(rows, outcomes)

    return FiguresAfterPaging(keys, figures), key


def _with_partner_outcomes(qs, outcomes):
    """``qs`` (partners) with ``value_outcomes``: like the partner's report, the outcomes naming
    the partner or one of its offerings.

    Counted as |by name| + |by offering| − |both|, each from its own links: the OR of the two
    joins made PostgreSQL merge every statement's links per partner of the page (8 ms each,
    200 ms a page at scale 10); each part is a few index lookups."""
    partner = OuterRef("pk")
    by_name = outcomes.filter(contributing_partners=partner)
    by_offering = outcomes.filter(offerings__provider_links__organization=partner)
    both = by_name.filter(offerings__provider_links__organization=partner)
    return qs.annotate(value_outcomes=(
        _SubqueryCount(by_name.order_by().values("pk"))
        + _SubqueryCount(by_offering.order_by().values("pk").distinct())
        - _SubqueryCount(both.order_by().values("pk").distinct())
    ))  # fmt: skip


def _partner_ranking(user, providers, figure: str, descending: bool, period: ValuePeriod,
                     outcomes) -> list[int]:  # fmt: skip
    """Every provider's id in the order of ``figure``: largest (or smallest) first, partners
    without a rating last either way, ties by id in the same direction."""
    from landhub.coordination.selectors import provider_value_totals

    if figure == "outcomes":
        # The same union as _with_partner_outcomes counts: (statement, partner) pairs by
        # name or through an offering, each pair once.
        named = outcomes.order_by().values_list("pk", "contributing_partners")
        through = outcomes.order_by().values_list("pk", "offerings__provider_links__organization")
        totals = Counter(org for _pk, org in named.union(through) if org is not None)
    else:
        totals = provider_value_totals(user=user, figure=figure,
                                       since=period.since, until=period.until)  # fmt: skip
    missing = None if figure == "rating" else 0
    sign = -1 if descending else 1

    def order(pk: int):
        value = totals.get(pk, missing)
        return (value is None, sign * (value or 0), sign * pk)

    return sorted(providers.values_list("pk", flat=True), key=order)


def register_search_sections() -> None:
    """Nothing of this area is in the global search: change trails are found by actor on
    their own list (filters and search there), and contribution claims are read on the
    outcome they are about and on value reports, never on their own."""
