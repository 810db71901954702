"""Reads of the catalog, filtered by what the user may see; shared by the pages and the API.

Other apps (MEL, funding) read offerings only through this module (DESIGN.md §2).

Who sees an offering: its ``visibility`` decides as everywhere, and besides, only published
offerings are in the catalog for everyone; drafts, offerings in review and retired ones are
seen by their providers' staff and by hub staff.
"""

from __future__ import annotations

import hashlib

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from landhub.core.access import is_hub_staff
from landhub.core.counts import generation
from landhub.core.search import search_pks
from landhub.directory.models import Country, Organization, Term, Vocabulary

from .models import (
    OFFERING_LANGUAGES,
    Cost,
    DeliveryFormat,
    Offering,
    OfferingLink,
    OfferingProvider,
    OfferingStatus,
    OfferingType,
)
from .rules import member_organization_ids

OFFERING_SORTS = {"title": "title", "updated": "updated_at", "published": "published_at"}
OFFERING_FILTERS = (
    "q", "type", "capability", "theme", "ilm_element", "provider", "language", "region",
    "country", "cost", "format", "status",
)  # fmt: skip
TERM_FACETS = {"capability": "capabilities", "theme": "themes", "ilm_element": "ilm_elements"}


def visible_offerings(user) -> QuerySet[Offering]:
    condition = offering_visibility_q(user)
    qs = Offering.objects.all()
    return qs if condition is None else qs.filter(condition)


def offering_visibility_q(user, prefix: str = "") -> Q | None:
    """The condition of ``visible_offerings`` (not archived, visible, published or ours) as a
    ``Q`` whose lookups start with ``prefix`` (``"offering__"``), so another table's rows can
    be filtered by their offering on the joined row — where ``offering__in=visible_offerings``
    would make the database list every visible offering first. None: nothing to check."""
    from landhub.core.models import _prefixed

    condition = _offering_visibility_q(user)
    if condition is None or not prefix:
        return condition
    return _prefixed(condition, prefix)


def _offering_visibility_q(user) -> Q | None:
    from landhub.directory.rules import managed_landscape_ids

    from .models import ServiceRequest

    visible = Offering.objects.visibility_q(user)
    active = Q(archived_at__isnull=True)
    if is_hub_staff(user):
        return active
    base = active if visible is None else active & visible
    condition = Q(status=OfferingStatus.PUBLISHED)
    mine = member_organization_ids(user)
    if mine:
        condition |= Q(
            pk__in=OfferingProvider.objects.filter(organization_id__in=mine).values("offering_id")
        )
    if managed := managed_landscape_ids(user):
        # Retired offerings stay readable for the landscapes that requested them.
        condition |= Q(status=OfferingStatus.RETIRED) & Q(
            pk__in=ServiceRequest.objects.filter(landscape_id__in=managed).values("offering_id")
        )
    return base & condition


def _region_q(region: str) -> Q:
    """Offerings available in a UN M49 region: everywhere, the region, or one of its
    countries."""
    in_countries = Offering.countries.through.objects.filter(country__region=region)
    return (
        Q(is_global=True)
        | Q(regions__contains=region)
        | Q(pk__in=in_countries.values("offering_id"))
    )


def _country_q(code: str) -> Q:
    country = Country.objects.filter(code=code.upper()[:2]).first()
    in_country = Offering.countries.through.objects.filter(country_id=code.upper()[:2])
    condition = Q(is_global=True) | Q(pk__in=in_country.values("offering_id"))
    if country and country.region:
        condition |= Q(regions__contains=country.region)
    return condition


def _apply_filters(qs, filters: dict, *, skip: str = ""):
    """Narrow ``qs`` by every filter except ``skip`` (the facet being counted)."""
    through = Offering.capabilities.through
    for key in TERM_FACETS:
        if key != skip and (slug := filters.get(key)):
            field = TERM_FACETS[key]
            through = getattr(Offering, field).through
            qs = qs.filter(pk__in=through.objects.filter(term__slug=slug).values("offering_id"))
    if skip != "provider" and (provider := filters.get("provider")):
        qs = qs.filter(
            pk__in=OfferingProvider.objects.filter(organization__slug=provider).values(
                "offering_id"
            )
        )
    if skip != "type" and (kind := filters.get("type")) in OfferingType.values:
        qs = qs.filter(type=kind)
    if skip != "cost" and (cost := filters.get("cost")) in Cost.values:
        qs = qs.filter(cost=cost)
    if skip != "format" and (fmt := filters.get("format")) in DeliveryFormat.values:
        qs = qs.filter(delivery_format=fmt)
    if skip != "language" and (language := filters.get("language")):
        qs = qs.filter(languages__contains=f",{language.lower()[:5]},")
    if skip != "region" and (region := filters.get("region")):
        qs = qs.filter(_region_q(region))
    if skip != "country" and (country := filters.get("country")):
        qs = qs.filter(_country_q(country))
    if skip != "status" and (status := filters.get("status")) in OfferingStatus.values:
        qs = qs.filter(status=status)
    if q := filters.get("q"):
        qs = qs.filter(pk__in_list=search_pks(Offering, q))
    return qs


def _clean(filters: dict | None) -> dict:
    return {k: (v or "").strip() for k, v in (filters or {}).items() if isinstance(v, str)}


def offering_list(*, user, filters: dict | None = None) -> QuerySet[Offering]:
    """Offerings ``user`` may see, narrowed by ``filters``; the catalog shows published ones
    unless a ``status`` is asked for."""
    filters = _clean(filters)
    qs = visible_offerings(user)
    if not filters.get("status"):
        qs = qs.filter(status=OfferingStatus.PUBLISHED)
    return _apply_filters(qs, filters).prefetch_related(
        Prefetch(
            "provider_links",
            queryset=OfferingProvider.objects.select_related("organization").order_by(
                "-is_lead", "organization__name"
            ),
        ),
        "capabilities",
    )


def offering_facets(*, user, filters: dict | None = None) -> dict[str, list[tuple]]:
    """For each facet, its values with the number of offerings each would show.

    Each facet is counted with every *other* filter applied (the usual faceted-search rule:
    choosing a type does not hide the other types' counts). Cached until the next write,
    per user class and filters, like the list counts.
    """
    from django.core.cache import cache

    filters = _clean(filters)
    digest = hashlib.sha256(repr(sorted(filters.items())).encode()).hexdigest()
    key = f"landhub:facets:{generation()}:{_viewer_key(user)}:{digest}"
    cached = cache.get(key)
    if cached is None:
        cached = _offering_facets(user, filters)
        cache.set(key, cached, 60)
    return cached


def _viewer_key(user) -> str:
    """Users who see the same catalog share cached facets: anonymous, members, core, staff;
    members of provider organizations see drafts, so they are keyed by themselves."""
    from landhub.core.access import roles_of

    roles = roles_of(user)
    if roles.hub_staff:
        return "staff"
    if member_organization_ids(user):
        return f"user-{user.pk}"
    return "core" if roles.core_partner else ("member" if roles.authenticated else "anon")


def _offering_facets(user, filters: dict) -> dict[str, list[tuple]]:
    base = visible_offerings(user)
    if not filters.get("status"):
        base = base.filter(status=OfferingStatus.PUBLISHED)
    facets: dict[str, list[tuple]] = {}

    def choices(field: str, skip: str, labels) -> list[tuple]:
        counts = dict(
            _apply_filters(base, filters, skip=skip)
            .order_by()
            .values_list(field)
            .annotate(n=Count("pk"))
            .values_list(field, "n")
        )
        return [(value, label, counts.get(value, 0)) for value, label in labels]

    facets["type"] = choices("type", "type", OfferingType.choices)
    facets["cost"] = choices("cost", "cost", Cost.choices)
    facets["format"] = choices("delivery_format", "format", DeliveryFormat.choices)
    for key, field in TERM_FACETS.items():
        ids = _apply_filters(base, filters, skip=key).values("pk")
        through = getattr(Offering, field).through
        counts = dict(
            through.objects.filter(offering_id__in=ids)
            .values_list("term_id")
            .annotate(n=Count("offering_id"))
            .values_list("term_id", "n")
        )
        vocabulary = {"capability": Vocabulary.CAPABILITY, "theme": Vocabulary.THEME,
                      "ilm_element": Vocabulary.ILM_ELEMENT}[key]  # fmt: skip
        facets[key] = [
            (t.slug, t.name, counts.get(t.pk, 0))
            for t in Term.objects.of(vocabulary).order_by("sort_order", "name_en")
        ]
    ids = _apply_filters(base, filters, skip="provider").values("pk")
    provider_counts = (
        OfferingProvider.objects.filter(offering_id__in=ids)
        .values_list("organization__slug", "organization__name")
        .annotate(n=Count("offering_id"))
        .order_by("-n", "organization__name")
    )
    facets["provider"] = [(slug, name, n) for slug, name, n in provider_counts[:50]]
    languages = _apply_filters(base, filters, skip="language").aggregate(
        **{code: Count("pk", filter=Q(languages__contains=f",{code},"))
           for code, _label in OFFERING_LANGUAGES}
    )  # fmt: skip
    facets["language"] = [(code, label, languages[code]) for code, label in OFFERING_LANGUAGES]
    regions = sorted(
        set(Country.objects.exclude(region="").values_list("region", flat=True).distinct())
        - {"Antarctica"}
    )
    region_counts = _apply_filters(base, filters, skip="region").aggregate(
        **{f"r{i}": Count("pk", filter=_region_q(r)) for i, r in enumerate(regions)}
    )
    facets["region"] = [(r, r, region_counts[f"r{i}"]) for i, r in enumerate(regions)]
    return facets


def get_offering_for(user, action: str, slug: str) -> Offering:
    """The offering ``user`` may see, checked for ``action`` (a permission): not visible →
    404 (drafts of other organizations included), visible but not allowed → 403."""
    from .rules import can

    offering = visible_offerings(user).filter(slug=slug).first()
    if offering is None:
        raise Http404
    if action != "view" and not can(user, action, offering):
        raise PermissionDenied
    return offering


def offering_detail(*, user, slug: str) -> Offering:
    offering = (
        visible_offerings(user)
        .filter(slug=slug)
        .prefetch_related(
            Prefetch(
                "provider_links",
                queryset=OfferingProvider.objects.filter(
                    Organization.objects.visible_through(user, "organization__", active=False)
                )
                .select_related("organization__kind")
                .order_by("-is_lead", "organization__name"),
            ),
            "capabilities",
            "themes",
            "ilm_elements",
            "countries",
            Prefetch("links", queryset=OfferingLink.objects.all()),
            "attachments",
        )  # fmt: skip
        .first()
    )
    if offering is None:
        raise Http404
    return offering


def offerings_of_organization(*, user, organization) -> QuerySet[Offering]:
    """What one organization provides, as ``user`` may see it (for its profile)."""
    return visible_offerings(user).filter(
        pk__in=OfferingProvider.objects.filter(organization=organization).values("offering_id")
    )


# --- Service requests ------------------------------------------------------------------------

REQUEST_SORTS = {"created": "created_at", "updated": "updated_at"}
REQUEST_SCOPES = ("mine", "to_us", "all")


def _request_qs():
    from .models import ServiceRequest

    return ServiceRequest.objects.select_related(
        "offering", "landscape", "need__capability", "requested_by", "feedback"
    )


def request_list(*, user, scope: str = "mine", filters: dict | None = None):
    """Requests the user takes part in.

    ``mine``: requests of the landscapes the user leads or manages; ``to_us``: requests for
    offerings of the user's organizations; ``all``: every request (hub staff only).
    """
    from landhub.directory.rules import managed_landscape_ids

    from .models import ANSWER_WITHIN_DAYS, RequestStatus, ServiceRequest

    filters = _clean(filters)
    if not user.is_authenticated:
        return ServiceRequest.objects.none()
    qs = _request_qs()
    if scope == "all" and is_hub_staff(user):
        pass
    elif scope == "to_us":
        mine = member_organization_ids(user)
        qs = qs.filter(offering__in=OfferingProvider.objects.filter(
            organization_id__in=mine).values("offering_id"))  # fmt: skip
    else:
        qs = qs.filter(landscape_id__in=managed_landscape_ids(user))
    if (status := filters.get("status")) in RequestStatus.values:
        qs = qs.filter(status=status)
    if offering := filters.get("offering"):
        qs = qs.filter(offering__slug=offering)
    if landscape := filters.get("landscape"):
        qs = qs.filter(landscape__slug=landscape)
    if filters.get("overdue") == "1":
        from datetime import timedelta

        from django.utils import timezone

        qs = qs.filter(
            Q(status=RequestStatus.REQUESTED,
              created_at__lt=timezone.now() - timedelta(days=ANSWER_WITHIN_DAYS))
            | Q(status__in=[RequestStatus.ACCEPTED, RequestStatus.IN_PROGRESS],
                expected_by__lt=timezone.localdate())
        )  # fmt: skip
    return qs


def request_detail(*, user, pk) -> object:
    """A request, for the landscape's managers, the offering's providers and hub staff."""
    from .services import may_act_for_landscape, may_answer_request

    request = _request_qs().filter(pk=pk).first()
    if request is None or not (
        may_answer_request(user, request) or may_act_for_landscape(user, request.landscape)
    ):
        raise Http404
    return request


def offering_value(*, offering_ids=None, since=None, until=None) -> dict:
    """The value feedback of delivered requests, per offering — the interface MEL reads.

    Returns ``{offering_id: {"requests", "delivered", "ratings", "mean_usefulness",
    "would_recommend", "days_saved", "money_saved_usd"}}`` for the period (by request date).
    """
    from django.db.models import Avg, Sum

    from .models import RequestStatus, ServiceRequest

    qs = ServiceRequest.objects.all()
    if offering_ids is not None:
        qs = qs.filter(offering_id__in=offering_ids)
    if since is not None:
        qs = qs.filter(created_at__gte=since)
    if until is not None:
        qs = qs.filter(created_at__lt=until)
    rows = qs.values("offering_id").annotate(
        requests=Count("pk"),
        delivered=Count("pk", filter=Q(status=RequestStatus.DELIVERED)),
        ratings=Count("feedback"),
        mean_usefulness=Avg("feedback__usefulness"),
        would_recommend=Count("feedback", filter=Q(feedback__would_recommend=True)),
        days_saved=Sum("feedback__days_saved"),
        money_saved_usd=Sum("feedback__money_saved_usd"),
    )
    return {row.pop("offering_id"): row for row in rows}


# --- Activities --------------------------------------------------------------------------------

ACTIVITY_FILTERS = ("q", "type", "status", "landscape", "organization", "capability", "theme",
                    "month")  # fmt: skip


def _month(value: str):
    """``"2026-12"`` → (first day, first day of the next month), or None."""
    import datetime as dt

    try:
        year, month = (int(part) for part in value.split("-", 1))
        first = dt.date(year, month, 1)
    except (ValueError, TypeError):
        return None
    following = dt.date(year + (month == 12), month % 12 + 1, 1)
    return first, following


def activity_list(*, user, filters: dict | None = None):
    from .models import Activity, ActivityStatus, ActivityType

    filters = _clean(filters)
    qs = Activity.objects.visible_to(user).active()
    if (kind := filters.get("type")) in ActivityType.values:
        qs = qs.filter(type=kind)
    if (status := filters.get("status")) in ActivityStatus.values:
        qs = qs.filter(status=status)
    through = Activity.landscapes.through
    if landscape := filters.get("landscape"):
        qs = qs.filter(pk__in=through.objects.filter(landscape__slug=landscape)
                       .values("activity_id"))  # fmt: skip
    if organization := filters.get("organization"):
        qs = qs.filter(pk__in=Activity.organizations.through.objects.filter(
            organization__slug=organization).values("activity_id"))  # fmt: skip
    for key, field in (("capability", "capabilities"), ("theme", "themes")):
        if slug := filters.get(key):
            qs = qs.filter(pk__in=getattr(Activity, field).through.objects.filter(
                term__slug=slug).values("activity_id"))  # fmt: skip
    if q := filters.get("q"):
        qs = qs.filter(pk__in_list=search_pks(Activity, q[:200]))
    if period := _month(filters.get("month", "")):
        qs = qs.filter(starts_on__lt=period[1], ends_on__gte=period[0])
    return qs.prefetch_related("organizations", "landscapes").order_by("starts_on", "title", "pk")


def activity_detail(*, user, pk):
    from .models import Activity, ActivityOverlap

    activity = (
        Activity.objects.visible_to(user).filter(pk=pk)
        .prefetch_related("organizations", "landscapes", "capabilities", "themes").first()
    )  # fmt: skip
    if activity is None:
        raise Http404
    overlaps = []
    visible = Activity.objects.visible_to(user)
    for overlap in ActivityOverlap.objects.filter(Q(first=activity) | Q(second=activity)
                                                  ).select_related("first", "second"):  # fmt: skip
        other = overlap.second if overlap.first_id == activity.pk else overlap.first
        if visible.filter(pk=other.pk).exists():
            overlaps.append((overlap, other))
    activity.overlaps = overlaps
    return activity


def overlap_for(*, user, pk):
    """An overlap alert ``user`` can see one side of (404 otherwise)."""
    from .models import Activity, ActivityOverlap

    visible = Activity.objects.visible_to(user).values("pk")
    overlap = (
        ActivityOverlap.objects.filter(Q(first__in=visible) | Q(second__in=visible), pk=pk)
        .select_related("first", "second").first()
    )  # fmt: skip
    if overlap is None:
        raise Http404
    return overlap


# --- Value of tools and services (read by MEL's value reports) ---------------------------------
# MEL's value reports and overview read requests and feedback only through these functions
# (DESIGN §2). A period is half-open, ``[since, until)``, on aware datetimes; None is open.
# Each kind of figure is dated by its own event: requests by the day they were made,
# deliveries (and delivery times) by the day they were delivered, ratings and quotes by the
# day the feedback was given — so "delivered in 2026" counts what reached landscapes in 2026
# even when it was asked for in 2025.


def _between(qs, field: str, since, until):
    if since is not None:
        qs = qs.filter(**{f"{field}__gte": since})
    if until is not None:
        qs = qs.filter(**{f"{field}__lt": until})
    return qs


def offering_value_details(offering_ids, since=None, until=None, *, user=None,
                           quotes: int = 5) -> dict:  # fmt: skip
    """Everything a value report says about a set of offerings (one, or a partner's all).

    Returns a dict: ``requests`` (made in the period), ``by_status`` {status: n},
    ``landscapes_requested``, ``landscapes_received`` (distinct landscapes), ``delivered``,
    ``delivery_days`` (sorted list of whole days from request to delivery), ``expected``
    {"kept", "missed"} (delivered by the date the providers gave, or after it), ``ratings``
    (feedback count), ``distribution`` {1..5: n}, ``mean_usefulness``, ``recommend`` (count
    who would recommend), ``days_saved``, ``money_saved_usd``, ``quotes`` (the newest
    ``quotes`` feedback texts with landscape name/slug, rating and date; landscapes the
    ``user`` may not see are left out) and ``quote_count``. A fixed number of queries,
    whatever the number of requests; only the delivered requests' two dates are read row by
    row (the median needs them).
    """
    from django.db.models import Avg, Sum

    from landhub.directory.models import Landscape

    from .models import RequestStatus, ServiceRequest, ValueFeedback

    ids = list(offering_ids)
    requests = _between(ServiceRequest.objects.filter(offering_id__in=ids), "created_at",
                        since, until)  # fmt: skip
    by_status = dict(requests.order_by().values_list("status").annotate(n=Count("pk"))
                     .values_list("status", "n"))  # fmt: skip
    landscapes_requested = requests.order_by().values("landscape_id").distinct().count()
    delivered = _between(
        ServiceRequest.objects.filter(offering_id__in=ids, status=RequestStatus.DELIVERED,
                                      delivered_at__isnull=False),
        "delivered_at", since, until,
    )  # fmt: skip
    rows = list(delivered.order_by().values_list("landscape_id", "created_at", "delivered_at",
                                                  "expected_by"))  # fmt: skip
    days = sorted(max(0, (done - asked).days) for _ls, asked, done, _exp in rows)
    kept = sum(1 for _ls, _asked, done, exp in rows if exp and done.date() <= exp)
    missed = sum(1 for _ls, _asked, done, exp in rows if exp and done.date() > exp)
    feedback = _between(ValueFeedback.objects.filter(request__offering_id__in=ids),
                        "created_at", since, until)  # fmt: skip
    totals = feedback.aggregate(
        ratings=Count("pk"), mean=Avg("usefulness"),
        recommend=Count("pk", filter=Q(would_recommend=True)),
        days=Sum("days_saved"), money=Sum("money_saved_usd"),
    )  # fmt: skip
    counts = dict(feedback.order_by().values_list("usefulness").annotate(n=Count("pk"))
                  .values_list("usefulness", "n"))  # fmt: skip
    shown = feedback
    if user is not None:
        condition = Landscape.objects.visibility_q(user, "request__landscape__")
        if condition is not None:
            shown = shown.filter(condition)
    quote_rows = list(
        shown.select_related("request__landscape", "request__offering")
        .defer("request__landscape__boundary")
        .order_by("-created_at", "-pk")[:quotes]
    )  # fmt: skip
    return {
        "requests": sum(by_status.values()),
        "by_status": by_status,
        "landscapes_requested": landscapes_requested,
        "landscapes_received": len({row[0] for row in rows}),
        "delivered": len(rows),
        "delivery_days": days,
        "expected": {"kept": kept, "missed": missed},
        "ratings": totals["ratings"],
        "distribution": {n: counts.get(n, 0) for n in range(1, 6)},
        "mean_usefulness": totals["mean"],
        "recommend": totals["recommend"],
        "days_saved": totals["days"],
        "money_saved_usd": totals["money"],
        "quotes": [
            {
                "text": f.what_changed,
                "landscape": f.request.landscape.name,
                "landscape_slug": f.request.landscape.slug,
                "usefulness": f.usefulness,
                "offering": f.request.offering.title,
                "given_at": f.created_at,
            }
            for f in quote_rows
        ],  # fmt: skip
        "quote_count": shown.count() if len(quote_rows) >= quotes else len(quote_rows),
    }


def value_quotes(offering_ids, since=None, until=None, *, user):
    """All value feedback of the offerings in the period, newest first, as a queryset (for a
    paged list of testimony), narrowed to the landscapes ``user`` may see."""
    from landhub.directory.models import Landscape

    from .models import ValueFeedback

    qs = _between(ValueFeedback.objects.filter(request__offering_id__in=list(offering_ids)),
                  "created_at", since, until)  # fmt: skip
    condition = Landscape.objects.visibility_q(user, "request__landscape__")
    if condition is not None:
        qs = qs.filter(condition)
    return (
        qs.select_related("request__landscape", "request__offering")
        .defer("request__landscape__boundary")
        .order_by("-created_at", "-pk")
    )


def _value_annotations(offering_ref: str, since, until) -> dict:
    """Correlated subqueries counting requests, deliveries and ratings of the offerings that
    ``offering_ref`` (an ``OuterRef`` filter on ``ServiceRequest.offering``) selects."""
    from django.db.models import Avg, FloatField, IntegerField, OuterRef, Subquery, Value
    from django.db.models.functions import Coalesce

    from .models import RequestStatus, ServiceRequest, ValueFeedback

    def count(qs, ref_field):
        # Grouped by the outer row's key, so each subquery yields one number per row.
        rows = qs.order_by().values(ref_field).annotate(n=Count("pk")).values("n")
        return Coalesce(Subquery(rows[:1], output_field=IntegerField()), Value(0))

    ref = {offering_ref: OuterRef("pk")}
    requests = _between(ServiceRequest.objects.filter(**ref), "created_at", since, until)
    delivered = _between(ServiceRequest.objects.filter(status=RequestStatus.DELIVERED, **ref),
                         "delivered_at", since, until)  # fmt: skip
    fb_field = f"request__{offering_ref}"
    feedback = _between(ValueFeedback.objects.filter(**{fb_field: OuterRef("pk")}),
                        "created_at", since, until)  # fmt: skip
    mean = (feedback.order_by().values(fb_field).annotate(m=Avg("usefulness"))
            .values("m")[:1])  # fmt: skip
    return {
        "value_requests": count(requests, offering_ref),
        "value_delivered": count(delivered, offering_ref),
        "value_ratings": count(feedback, fb_field),
        "value_mean_rating": Subquery(mean, output_field=FloatField()),
    }


def offerings_with_value(*, user, filters: dict | None = None, since=None, until=None):
    """Offerings ``user`` may see (published, or any status asked for), each annotated with
    ``value_requests``, ``value_delivered``, ``value_ratings`` and ``value_mean_rating`` for
    the period — in SQL, so the overview sorts and pages without reading every request.
    Filters as the catalog's (``q``, ``type``, ``provider`` …)."""
    filters = _clean(filters)
    qs = visible_offerings(user)
    if not filters.get("status"):
        qs = qs.filter(status=OfferingStatus.PUBLISHED)
    return _apply_filters(qs, filters).annotate(**_value_annotations("offering", since, until))


def _visible_provider_links(user):
    """Provider links of the offerings ``user`` may see, the offering checked on the joined
    row: ``offering_id IN (<every visible offering>)`` made SQLite walk the whole list for
    each partner (200,000 index probes per partner at scale 10)."""
    links = OfferingProvider.objects.all()
    if (condition := offering_visibility_q(user, prefix="offering__")) is not None:
        links = links.filter(condition)
    return links


def value_providers(*, user, q: str = "", ids=None):
    """Active organizations ``user`` may see that provide at least one offering ``user`` may
    see (name or short name containing ``q``; among ``ids`` if given): the rows of the value
    overview's partners tab, without their figures."""
    from django.db.models import Exists, OuterRef

    provides = _visible_provider_links(user).filter(organization_id=OuterRef("pk"))
    qs = Organization.objects.visible_to(user).active()
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    qs = qs.filter(Exists(provides))
    if q := (q or "").strip()[:100]:
        qs = qs.filter(Q(name__icontains=q) | Q(short_name__icontains=q))
    return qs


def providers_with_value(*, user, q: str = "", ids=None, since=None, until=None):
    """``value_providers`` annotated like ``offerings_with_value`` over all their offerings,
    and with ``value_offerings`` (how many offerings ``user`` may see they provide). Each row
    costs a few index lookups per figure: page the rows first (``core.lists.FiguresAfterPaging``)
    and annotate the page's ``ids``."""
    from django.db.models import IntegerField, OuterRef, Subquery, Value
    from django.db.models.functions import Coalesce

    n_offerings = (_visible_provider_links(user).filter(organization_id=OuterRef("pk"))
                   .order_by().values("organization_id").annotate(n=Count("pk"))
                   .values("n"))  # fmt: skip
    return value_providers(user=user, q=q, ids=ids).annotate(
        value_offerings=Coalesce(Subquery(n_offerings, output_field=IntegerField()), Value(0)),
        **_value_annotations("offering__provider_links__organization", since, until),
    )


def provider_value_totals(*, user, figure: str, since=None, until=None) -> dict:
    """One figure of ``providers_with_value`` for every provider at once, as
    ``{organization id: value}`` (providers without requests, ratings … are absent): one
    grouped query, for ranking all partners by that figure. ``figure`` is ``offerings``,
    ``requests``, ``delivered`` or ``rating`` (the mean usefulness)."""
    from django.db.models import Avg

    from .models import RequestStatus, ServiceRequest, ValueFeedback

    org = "offering__provider_links__organization"
    if figure == "offerings":
        # Read from the offerings, each joined to its links by the covering (offering,
        # organization) index: from the links, SQLite fetched each of 400,000 link rows and
        # its offering in organization order (1.6 s at scale 10, against 0.2 s).
        rows = (visible_offerings(user).values_list("provider_links__organization")
                .annotate(n=Count("pk")))  # fmt: skip
    elif figure == "requests":
        rows = (_between(ServiceRequest.objects.all(), "created_at", since, until)
                .values_list(org).annotate(n=Count("pk")))  # fmt: skip
    elif figure == "delivered":
        delivered = ServiceRequest.objects.filter(status=RequestStatus.DELIVERED)
        rows = (_between(delivered, "delivered_at", since, until)
                .values_list(org).annotate(n=Count("pk")))  # fmt: skip
    elif figure == "rating":
        rows = (_between(ValueFeedback.objects.all(), "created_at", since, until)
                .values_list(f"request__{org}").annotate(m=Avg("usefulness")))  # fmt: skip
    else:
        raise ValueError(f"no such figure: {figure}")
    return {pk: value for pk, value in rows.order_by() if pk is not None}


def provider_offering_ids(*, user, organization) -> list[int]:
    """Ids of the offerings ``organization`` provides that ``user`` may see."""
    return list(offerings_of_organization(user=user, organization=organization)
                .values_list("pk", flat=True))  # fmt: skip
