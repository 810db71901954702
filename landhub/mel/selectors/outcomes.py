"""Reads of outcome harvesting: the register, one statement, the dashboard's counts, search.

Who reads what (one rule, used by the pages, the API and the search alike):

- a **published** statement by its ``visibility`` (public ones for anonymous readers too);
- an **unpublished** one (draft, under review, substantiated) only by its author, the
  reviewers (``mel.review_outcome``) and hub staff;
- anything else is a 404.

Filters on the many-to-many relations (landscapes, countries, partners, offerings, tags) are
``pk__in`` subqueries on the link tables, so no statement repeats and counts stay exact. The
dashboard's figures are group-by counts over the same filtered set: a handful of queries
whatever the number of statements.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import ExtractQuarter, ExtractYear
from django.http import Http404
from django.utils.translation import gettext as _

from landhub.core.access import roles_of
from landhub.core.counts import cached_result
from landhub.core.models import Visibility

from ..models.outcomes import (
    ActorType,
    ChangeType,
    Domain,
    Effect,
    OutcomeStatement,
    OutcomeStatus,
    Significance,
    Substantiation,
)
from ..rules import can

__all__ = [
    "DASHBOARD_STATUSES",
    "OUTCOME_FILTER_KEYS",
    "OUTCOME_SORTS",
    "OutcomeCounts",
    "outcome_counts",
    "outcome_detail",
    "outcome_history",
    "outcome_list",
    "outcome_visible",
    "outcome_visible_q",
    "register_search_sections",
    "tag_counts",
]

OUTCOME_SORTS = {
    "occurred": "occurred_on",
    "title": "title",
    "status": "status",
    "updated": "updated_at",
}

OUTCOME_FILTER_KEYS = (
    "q", "status", "domain", "change_type", "actor_type", "region", "country", "landscape",
    "partner", "offering", "intended", "effect", "significance", "tag", "year", "date_from",
    "date_to", "archived",
)  # fmt: skip

# What the dashboard counts unless a status is chosen: the outcomes the hub stands behind.
DASHBOARD_STATUSES = (OutcomeStatus.SUBSTANTIATED, OutcomeStatus.PUBLISHED)


def _through(name: str):
    return getattr(OutcomeStatement, name).through


def outcome_visible(user) -> QuerySet[OutcomeStatement]:
    """Every statement ``user`` may read (archived ones included). Every area of MEL (stories,
    reflections, claims, value reports) reads outcome statements through this one rule."""
    condition = outcome_visible_q(user)
    qs = OutcomeStatement.objects.all()
    return qs if condition is None else qs.filter(condition)


def outcome_visible_q(user, prefix: str = "") -> Q | None:
    """The rule of ``outcome_visible`` as a ``Q`` whose lookups start with ``prefix``
    (``"outcome__"``): another table's rows filtered by their statement on the joined row,
    instead of ``outcome__in=<every readable statement>``. None: everything is readable."""
    from landhub.core.models import _prefixed

    condition = _outcome_visible_q(user)
    if condition is None or not prefix:
        return condition
    return _prefixed(condition, prefix)


def _outcome_visible_q(user) -> Q | None:
    roles = roles_of(user)
    if roles.hub_staff:
        return None
    # Asked once per request: a page builds several querysets from this one.
    reviewer = getattr(user, "_mel_reads_all_outcomes", None)
    if reviewer is None and roles.authenticated:
        reviewer = user._mel_reads_all_outcomes = can(user, "mel.review_outcome")
    if reviewer:
        return None
    published = Q(status=OutcomeStatus.PUBLISHED)
    if not roles.authenticated:
        return published & Q(visibility=Visibility.PUBLIC)
    # Open levels are a plain column test; only restricted statements go through the model's
    # rule, which joins their landscapes (a statement in two of them would repeat), as a
    # semi-join over the few restricted rows — not over every statement, which each count of
    # the dashboard would otherwise repeat.
    levels = [Visibility.PUBLIC, Visibility.NETWORK] + (
        [Visibility.CORE] if roles.core_partner else [])  # fmt: skip
    restricted = OutcomeStatement.objects.filter(
        OutcomeStatement.restricted_q(user), visibility=Visibility.RESTRICTED
    ).values("pk")
    readable = published & (Q(visibility__in=levels) | Q(pk__in=restricted))
    return readable | Q(recorded_by=user)


def _date(raw: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(raw)
    except (TypeError, ValueError):
        return None


def _clean(filters: dict | None) -> dict:
    return {k: v.strip()[:200] for k, v in (filters or {}).items()
            if k in OUTCOME_FILTER_KEYS and isinstance(v, str) and v.strip()}  # fmt: skip


def _filtered(qs, filters: dict):
    from landhub.core.search import search_pks

    for key, choices in (("status", OutcomeStatus), ("domain", Domain),
                         ("change_type", ChangeType), ("actor_type", ActorType),
                         ("effect", Effect)):  # fmt: skip
        if (value := filters.get(key)) in choices.values:
            qs = qs.filter(**{key: value})
    if (value := filters.get("significance")) in Significance.values:
        qs = qs.filter(significance_level=value)
    if (value := filters.get("intended")) in ("yes", "no"):
        qs = qs.filter(intended=value == "yes")
    if region := filters.get("region"):
        if region == "global":
            qs = qs.filter(is_global=True)
        else:
            qs = qs.filter(
                Q(pk__in=_through("landscapes").objects.filter(landscape__region=region)
                  .values("outcomestatement_id"))
                | Q(pk__in=_through("countries").objects.filter(country__region=region)
                    .values("outcomestatement_id"))
            )  # fmt: skip
    if country := filters.get("country"):
        code = country.upper()[:2]
        qs = qs.filter(
            Q(pk__in=_through("countries").objects.filter(country_id=code)
              .values("outcomestatement_id"))
            | Q(pk__in=_through("landscapes").objects.filter(landscape__countries__code=code)
                .values("outcomestatement_id"))
        )  # fmt: skip
    links = (("landscape", "landscapes", "landscape__slug"),
             ("partner", "contributing_partners", "organization__slug"),
             ("offering", "offerings", "offering__slug"),
             ("tag", "tags", "term__slug"))  # fmt: skip
    for key, relation, lookup in links:
        if value := filters.get(key):
            qs = qs.filter(pk__in=_through(relation).objects.filter(**{lookup: value})
                           .values("outcomestatement_id"))  # fmt: skip
    if (year := filters.get("year", "")).isdigit() and 1900 <= int(year) <= 2200:
        qs = qs.filter(occurred_on__year=int(year))
    if start := _date(filters.get("date_from", "")):
        qs = qs.filter(occurred_on__gte=start)
    if end := _date(filters.get("date_to", "")):
        qs = qs.filter(occurred_on__lte=end)
    if q := filters.get("q"):
        qs = qs.filter(Q(pk__in_list=search_pks(OutcomeStatement, q))
                       | Q(actor_organization__name__icontains=q))  # fmt: skip
    return qs


def outcome_list(*, user, filters: dict | None = None) -> QuerySet[OutcomeStatement]:
    """The register: what ``user`` may read, filtered by ``OUTCOME_FILTER_KEYS`` (slugs for
    landscape, partner, offering and tag; an ISO code for country; a UN M49 region or
    ``global``; ``intended`` yes/no; dates as YYYY-MM-DD). Archived ones with
    ``archived=1`` only."""
    filters = _clean(filters)
    qs = outcome_visible(user)
    qs = qs.filter(archived_at__isnull=filters.get("archived") != "1")
    return _filtered(qs, filters).select_related("actor_organization", "recorded_by")


def outcome_detail(*, user, pk) -> OutcomeStatement:
    """One statement with everything its page shows (404 if ``user`` may not read it)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    if not 0 < pk < 2**63:  # beyond the databases' integers: nothing, not an error
        raise Http404
    outcome = (
        outcome_visible(user).filter(pk=pk)
        .select_related("actor_organization", "recorded_by")
        .prefetch_related("landscapes", "countries", "contributing_partners", "offerings",
                          "activities", "tags")
        .first()
    )  # fmt: skip
    if outcome is None:
        raise Http404
    # Who asked and what they answered: for those who review it, and its author.
    if can(user, "mel.review_outcome") or outcome.recorded_by_id == getattr(user, "pk", None):
        outcome.substantiation_rows = list(
            Substantiation.objects.filter(outcome=outcome).select_related("requested_by")
        )
    else:
        outcome.substantiation_rows = list(
            Substantiation.objects.filter(outcome=outcome, answered_at__isnull=False)
        )
    outcome.answered_count = sum(1 for s in outcome.substantiation_rows if s.answered_at)
    return outcome


def outcome_history(outcome) -> list:
    """Who changed or moved the statement when, newest first, each with its reason."""
    from landhub.core.history import history_entries

    entries = history_entries(outcome)
    reasons = list(outcome.history.order_by("-history_date")
                   .values_list("history_change_reason", flat=True)[: len(entries)])  # fmt: skip
    for entry, reason in zip(entries, reasons, strict=False):
        setattr(entry, "reason", reason or "")  # noqa: B010 - an attribute HistoryEntry lacks
    return entries


# --- the dashboard ---------------------------------------------------------------------------


@dataclass
class OutcomeCounts:
    """The dashboard's figures: each list holds (key, label, count) rows."""

    total: int
    statuses: list[str]
    by_domain: list[tuple] = field(default_factory=list)
    by_change_type: list[tuple] = field(default_factory=list)
    by_region: list[tuple] = field(default_factory=list)
    by_time: list[tuple] = field(default_factory=list)
    per: str = "year"
    by_tag: list[tuple] = field(default_factory=list)


def _grouped(qs, key: str, choices) -> list[tuple]:
    counts = dict(qs.order_by().values_list(key).annotate(n=Count("pk")))
    return [(value, str(label), counts.get(value, 0)) for value, label in choices.choices]


def _regions(qs) -> list[tuple]:
    """Statements per UN M49 region of their landscapes or countries (a statement in two
    regions counts in each, once), then the global ones: one query for the list of regions,
    one for every count."""
    from landhub.directory.models import Country

    regions = list(Country.objects.exclude(region__in=["", "Antarctica"]).order_by("region")
                   .values_list("region", flat=True).distinct())  # fmt: skip
    landscapes, countries = _through("landscapes"), _through("countries")
    aggregates = {
        f"r{index}": Count("pk", filter=Q(pk__in=landscapes.objects.filter(
            landscape__region=region).values("outcomestatement_id")) | Q(
            pk__in=countries.objects.filter(country__region=region)
            .values("outcomestatement_id")))
        for index, region in enumerate(regions)
    }  # fmt: skip
    aggregates["global"] = Count("pk", filter=Q(is_global=True))
    figures = qs.order_by().aggregate(**aggregates)
    rows = [(region, region, figures[f"r{i}"]) for i, region in enumerate(regions)
            if figures[f"r{i}"]]  # fmt: skip
    rows.append(("global", _("Global"), figures["global"]))
    return rows


TAG_ROWS = 20


def _tags(qs) -> list[tuple]:
    return _tag_counts(qs, TAG_ROWS)


def tag_counts(qs, *, limit: int = TAG_ROWS) -> list[tuple]:
    """The most used tags (themes, capabilities, SDGs, ILM elements) of the records of ``qs``
    (outcome statements, stories, reflection sessions: anything with ``tags``), most first, as
    (slug, "Vocabulary: name", count): one query over the tag links and one for the terms,
    kept until the next write (a count over every link: 10 ms at scale 1, ten times that at
    scale 10)."""
    return cached_result("mel.tag_counts", qs, lambda: _tag_counts(qs, limit), extra=limit)


def _tag_counts(qs, limit: int) -> list[tuple]:
    from landhub.directory.models import Term, Vocabulary

    through = qs.model.tags.through
    source = next(f.attname for f in through._meta.concrete_fields
                  if f.is_relation and f.related_model is qs.model)  # fmt: skip
    counts = list(
        through.objects.filter(**{f"{source}__in": qs.order_by().values("pk")})
        .values_list("term_id").annotate(n=Count(source)).order_by("-n", "term_id")[:limit]
    )  # fmt: skip
    terms = Term.objects.in_bulk([term_id for term_id, _n in counts])
    vocabularies = dict(Vocabulary.choices)
    return [(terms[t].slug, f"{vocabularies.get(terms[t].vocabulary, '')}: {terms[t].name}", n)
            for t, n in counts if t in terms]  # fmt: skip


def _time(qs, per: str) -> list[tuple]:
    rows = qs.order_by().annotate(y=ExtractYear("occurred_on"))
    if per == "quarter":
        rows = rows.annotate(q=ExtractQuarter("occurred_on")).values_list("y", "q")
        counts = rows.annotate(n=Count("pk")).order_by("y", "q")
        return [(f"{y}-Q{q}", f"{y}-Q{q}", n) for y, q, n in counts]
    counts = rows.values_list("y").annotate(n=Count("pk")).order_by("y")
    return [(str(y), str(y), n) for y, n in counts]


def outcome_counts(*, user, filters: dict | None = None, per: str = "year") -> OutcomeCounts:
    """Counts of the statements ``user`` may read by domain, change type, region and time
    (``per`` year or quarter), with the register's filters. Without a ``status`` filter only
    substantiated and published ones count."""
    filters = _clean(filters)
    filters.pop("archived", None)
    qs = outcome_list(user=user, filters=filters)
    if filters.get("status") in OutcomeStatus.values:
        statuses = [filters["status"]]
    else:
        statuses = list(DASHBOARD_STATUSES)
        qs = qs.filter(status__in=statuses)
    per = per if per in ("year", "quarter") else "year"

    def count() -> OutcomeCounts:
        by_domain = _grouped(qs, "domain", Domain)
        return OutcomeCounts(
            total=sum(row[2] for row in by_domain), statuses=statuses, by_domain=by_domain,
            by_change_type=_grouped(qs, "change_type", ChangeType), by_region=_regions(qs),
            by_time=_time(qs, per), per=per, by_tag=_tags(qs),
        )  # fmt: skip

    # Five aggregates over every readable statement (280 ms at scale 10): kept until the next
    # write, keyed by the reader's visibility and the filters (``core.counts``).
    return cached_result("mel.outcome_counts", qs, count, extra=per)


# --- search ----------------------------------------------------------------------------------


def _search_results(user, q):
    from landhub.core.search import search_pks

    return (
        outcome_visible(user).filter(archived_at__isnull=True)
        .filter(pk__in_list=search_pks(OutcomeStatement, q)).order_by("-occurred_on", "-pk")
    )  # fmt: skip


def register_search_sections() -> None:
    """Called from ``MelConfig.ready``: outcome statements in the global search, by the same
    visibility rule as the register."""
    from django.utils.translation import gettext_lazy

    from landhub.core.search import SearchSection, register_search_section

    register_search_section(SearchSection(
        "outcome", gettext_lazy("Outcome statements"), _search_results, _search_hit,
        models=(OutcomeStatement,),
    ))  # fmt: skip


def _search_hit(outcome) -> dict:
    return {"label": outcome.title, "url": outcome.get_absolute_url(),
            "note": f"{outcome.get_domain_display()} · {outcome.occurred_on.year}"}  # fmt: skip
