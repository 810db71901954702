"""Recommended offerings for a landscape: ranked, each with its reasons in words.

A landscape partnership records its needs (capabilities, with a priority) and its progress on
the five elements of integrated landscape management. An offering fits when it builds a
needed capability or supports an element the partnership is still working on, is available
where the landscape is, and is offered in a language its people speak.

Scoring (in the database, so 20,000 offerings cost one aggregate query, not 20,000 objects):

- each open need the offering addresses: high priority 6, medium 4, low 2;
- each ILM element in progress or not started that it supports: 1.5;
- offered in a language of the landscape's people: 1; free: 0.5;
- rated by other landscapes sharing an ecosystem: up to ±2 (5/5 adds 2, 1/5 takes 2), at
  full weight once three landscapes rated it.

Only published offerings the user may see, available where the landscape is (everywhere,
its region or one of its countries), and not dismissed for this landscape are considered.
Ties go to the most recently published. The reasons are worked out for the few that are
shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Case, Count, F, FloatField, Q, Value, When
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from landhub.directory.models import ILMStage, NeedPriority, NeedStatus

from .models import OFFERING_LANGUAGES, Cost, Offering, OfferingStatus
from .selectors import visible_offerings

PRIORITY_WEIGHT = {NeedPriority.HIGH: 6.0, NeedPriority.MEDIUM: 4.0, NeedPriority.LOW: 2.0}
ILM_WEIGHT = 1.5
LANGUAGE_WEIGHT = 1.0
FREE_WEIGHT = 0.5
LANGUAGE_NAMES = dict(OFFERING_LANGUAGES)


@dataclass
class Recommendation:
    offering: Offering
    score: float
    reasons: list[str] = field(default_factory=list)


def _open_needs(landscape) -> list:
    return [
        need for need in landscape.needs.all()
        if need.status in (NeedStatus.OPEN, NeedStatus.IN_PROGRESS)
    ]  # fmt: skip


def _working_elements(landscape) -> list:
    stages = {p.element_id: p.stage for p in landscape.ilm_progress.all()}
    from landhub.directory.models import Term, Vocabulary

    return [
        element for element in Term.objects.of(Vocabulary.ILM_ELEMENT)
        if stages.get(element.pk, ILMStage.NOT_STARTED) != ILMStage.ESTABLISHED
    ]  # fmt: skip


def landscape_languages(landscape) -> list[str]:
    """Languages of the landscape's current members (people record theirs)."""
    from landhub.directory.models import Person

    spoken: list[str] = []
    for languages in Person.objects.filter(
        landscape_memberships__landscape=landscape, landscape_memberships__end_date=None
    ).values_list("languages", flat=True)[:200]:
        for code in languages or []:
            if code in LANGUAGE_NAMES and code not in spoken:
                spoken.append(code)
    return spoken


def available_in_landscape_q(landscape) -> Q:
    countries = [c.pk for c in landscape.countries.all()]
    regions = {c.region for c in landscape.countries.all() if c.region}
    condition = Q(is_global=True) | Q(
        pk__in=Offering.countries.through.objects.filter(country_id__in=countries).values(
            "offering_id"
        )
    )
    for region in regions:
        condition |= Q(regions__contains=region)
    return condition


def recommended_offerings(*, user, landscape, limit: int = 10) -> list[Recommendation]:
    """The ``limit`` best-fitting offerings for ``landscape`` that ``user`` may see.

    Kept in the cache until the next write anywhere in the hub (``core.counts``), per
    landscape, kind of reader and language: ranking the whole catalog costs 25 ms at 20,000
    offerings and about 170 ms at 200,000 (``make bench``), and a landscape's page is read far
    more often than the catalog changes.
    """
    from django.core.cache import cache
    from django.utils.translation import get_language

    from landhub.core.counts import COUNT_SECONDS, generation

    from .selectors import _viewer_key

    key = (f"landhub:recommendations:{generation()}:{landscape.pk}:{_viewer_key(user)}:"
           f"{get_language()}:{limit}")  # fmt: skip
    cached = cache.get(key)
    if cached is None:
        cached = _recommended_offerings(user=user, landscape=landscape, limit=limit)
        cache.set(key, cached, COUNT_SECONDS * 5)
    return cached


def _recommended_offerings(*, user, landscape, limit: int) -> list[Recommendation]:
    from .models import Dismissal

    needs = _open_needs(landscape)
    elements = _working_elements(landscape)
    languages = landscape_languages(landscape)
    if not needs and not elements:
        return []
    capability_weight = {}
    for need in needs:
        weight = PRIORITY_WEIGHT.get(need.priority, 2.0)
        capability_weight[need.capability_id] = max(weight, capability_weight.get(
            need.capability_id, 0))  # fmt: skip
    element_ids = [e.pk for e in elements]

    score = Value(0.0, output_field=FloatField())
    for weight in sorted(set(capability_weight.values())):
        ids = [c for c, w in capability_weight.items() if w == weight]
        score = score + Count(
            "capabilities", filter=Q(capabilities__in=ids), distinct=True
        ) * Value(weight)
    if element_ids:
        score = score + Count(
            "ilm_elements", filter=Q(ilm_elements__in=element_ids), distinct=True
        ) * Value(ILM_WEIGHT)
    language_q = Q()
    for code in languages:
        language_q |= Q(languages__contains=f",{code},")
    if languages:
        score = score + Case(When(language_q, then=Value(LANGUAGE_WEIGHT)), default=Value(0.0))
    score = score + Case(When(cost=Cost.FREE, then=Value(FREE_WEIGHT)), default=Value(0.0))

    fits = Q(pk__in=Offering.capabilities.through.objects.filter(
        term_id__in=list(capability_weight)).values("offering_id"))  # fmt: skip
    if element_ids:
        fits |= Q(pk__in=Offering.ilm_elements.through.objects.filter(
            term_id__in=element_ids).values("offering_id"))  # fmt: skip
    candidates = (
        visible_offerings(user)
        .filter(status=OfferingStatus.PUBLISHED)
        .filter(available_in_landscape_q(landscape))
        .filter(fits)
        .exclude(pk__in=Dismissal.objects.filter(landscape=landscape).values("offering_id"))
    )
    # The best few by fit, then adjusted by how similar landscapes rated them (a small second
    # query over at most ``3 × limit`` offerings, not the catalog).
    ranked = list(
        Offering.objects.filter(pk__in=candidates.values("pk"))
        .annotate(score=score)
        .order_by("-score", F("published_at").desc(nulls_last=True), "pk")
        .values_list("pk", "score")[: limit * 3]
    )
    if not ranked:
        return []
    ratings = similar_landscape_ratings(landscape, [pk for pk, _s in ranked])
    order = {pk: index for index, (pk, _s) in enumerate(ranked)}
    ranked = sorted(
        ((pk, value + _rating_bonus(ratings.get(pk))) for pk, value in ranked),
        key=lambda item: (-item[1], order[item[0]]),
    )[:limit]
    offerings = {
        o.pk: o
        for o in Offering.objects.filter(pk__in=[pk for pk, _s in ranked]).prefetch_related(
            "capabilities", "ilm_elements", "provider_links__organization", "countries"
        )
    }
    needs_by_capability = {need.capability_id: need for need in needs}
    return [
        Recommendation(
            offering=offerings[pk],
            score=round(value, 2),
            reasons=_reasons(
                offerings[pk],
                needs_by_capability,
                set(element_ids),
                languages,
                landscape,
                ratings.get(pk),
            ),
        )  # fmt: skip
        for pk, value in ranked
    ]


def similar_landscape_ratings(landscape, offering_ids) -> dict[int, tuple[float, int]]:
    """``{offering_id: (mean usefulness, number of landscapes)}`` from the value feedback of
    other landscapes that share an ecosystem with ``landscape``."""
    from django.db.models import Avg

    from .models import ValueFeedback

    ecosystems = [e.pk for e in landscape.ecosystems.all()]
    if not ecosystems or not offering_ids:
        return {}
    similar = landscape.__class__.ecosystems.through.objects.filter(term_id__in=ecosystems).values(
        "landscape_id"
    )
    rows = (
        ValueFeedback.objects.filter(
            request__offering_id__in=offering_ids, request__landscape_id__in=similar
        )
        .exclude(request__landscape=landscape)
        .values("request__offering_id")
        .annotate(mean=Avg("usefulness"), landscapes=Count("request__landscape", distinct=True))
    )
    return {r["request__offering_id"]: (float(r["mean"]), r["landscapes"]) for r in rows}


def _rating_bonus(rating) -> float:
    """Up to ±2 points: 5/5 adds 2, 1/5 takes 2 away, weighed by how many landscapes rated it
    (full weight from three)."""
    if not rating:
        return 0.0
    mean, count = rating
    return round((mean - 3) * min(count, 3) / 3, 2)


def _reasons(offering, needs_by_capability, element_ids, languages, landscape,
             rating=None) -> list[str]:  # fmt: skip
    reasons = []
    for term in offering.capabilities.all():
        need = needs_by_capability.get(term.pk)
        if need is not None:
            reasons.append(
                _("addresses your %(priority)s-priority need “%(capability)s”")
                % {"priority": need.get_priority_display().lower(), "capability": term.name}
            )
    for term in offering.ilm_elements.all():
        if term.pk in element_ids:
            reasons.append(
                _("supports “%(element)s”, which your partnership is working on")
                % {"element": term.name}
            )
    offered = [code for code in languages if code in offering.language_codes]
    if offered:
        reasons.append(
            _("available in %(languages)s")
            % {"languages": ", ".join(str(LANGUAGE_NAMES[c]) for c in offered)}
        )
    if offering.is_global:
        reasons.append(_("available everywhere"))
    else:
        regions = {c.region for c in landscape.countries.all()} & set(offering.region_names)
        if regions:
            reasons.append(_("available in %(region)s") % {"region": ", ".join(sorted(regions))})
        else:
            reasons.append(_("available in your country"))
    if offering.cost == Cost.FREE:
        reasons.append(_("free"))
    if rating:
        mean, count = rating
        reasons.append(
            ngettext(
                "rated %(mean).1f/5 by %(count)d landscape with similar ecosystems",
                "rated %(mean).1f/5 by %(count)d landscapes with similar ecosystems",
                count,
            )
            % {"mean": mean, "count": count}
        )
    return reasons
