"""Reads of the controlled vocabularies and the global search across the directory."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from landhub.core.search import search_pks

from ..models import Landscape, Organization, Person, Term, Vocabulary

TERM_SORTS = {"name": "name_en", "vocabulary": "vocabulary", "order": "sort_order"}


def term_list(*, user, filters: dict | None = None) -> QuerySet[Term]:
    """Terms are public reference data; inactive ones are listed for hub staff only."""
    from landhub.core.access import is_hub_staff

    filters = {k: (v or "").strip() for k, v in (filters or {}).items() if isinstance(v, str)}
    qs = Term.objects.all()
    if not is_hub_staff(user) or filters.get("active") != "all":
        qs = qs.filter(is_active=True)
    if (vocabulary := filters.get("vocabulary")) in Vocabulary.values:
        qs = qs.filter(vocabulary=vocabulary)
    if q := filters.get("q"):
        # Vocabularies are small: a plain match over the four names finds partial words too.
        qs = qs.filter(
            Q(name_en__icontains=q) | Q(name_es__icontains=q) | Q(name_fr__icontains=q)
            | Q(name_pt__icontains=q) | Q(slug__icontains=q)
        )  # fmt: skip
    return qs.select_related("parent")


# The directory's kinds in the global search; other apps add theirs (core.search sections).
SEARCH_TYPES = ("landscape", "organization", "person", "term")


def _landscape_results(user, q):
    return (
        Landscape.objects.visible_to(user).active()
        .filter(pk__in_list=search_pks(Landscape, q)).prefetch_related("countries")
    )  # fmt: skip


def _organization_results(user, q):
    return (
        Organization.objects.visible_to(user).active()
        .filter(pk__in_list=search_pks(Organization, q)).select_related("kind")
    )  # fmt: skip


def _person_results(user, q):
    if not user.is_authenticated:
        return Person.objects.none()
    return Person.objects.visible_to(user).active().filter(pk__in_list=search_pks(Person, q))


def register_search_sections() -> None:
    """Called from ``DirectoryConfig.ready``."""
    from django.utils.translation import gettext_lazy as _

    from landhub.core.search import SearchSection, register_search_section

    sections = [
        SearchSection("landscape", _("Landscapes"), _landscape_results, lambda o: {
            "label": o.name, "url": o.get_absolute_url(),
            "note": ", ".join(c.name for c in o.countries.all())}, models=(Landscape,)),
        SearchSection("organization", _("Organizations"), _organization_results, lambda o: {
            "label": o.name, "url": o.get_absolute_url(), "note": o.kind.name},
            models=(Organization,)),
        SearchSection("person", _("People"), _person_results, lambda o: {
            "label": o.name, "url": o.get_absolute_url(), "note": ""}, models=(Person,)),
        SearchSection("term", _("Terms"), lambda user, q: term_list(user=user, filters={"q": q}),
                      lambda o: {"label": o.name, "url": "", "note": o.get_vocabulary_display()}),
    ]  # fmt: skip
    for section in sections:
        register_search_section(section)


def search_all(*, user, q: str, limit: int | None = None) -> SearchResults:
    """Each registered kind's matches for ``q``, already narrowed to what ``user`` may see:
    up to ``MAX_MATCHES`` of each kind, or ``limit`` (the overview reads ``OVERVIEW_MATCHES``).

    No DISTINCT: every condition is a subquery or a foreign key, so no row repeats, and
    DISTINCT over whole rows made PostgreSQL compare every column of every match.
    """
    from landhub.core.search import MAX_MATCHES, search_sections, searching_many

    q = (q or "").strip()
    sections = search_sections()
    if not q:
        return SearchResults({section.key: Term.objects.none() for section in sections})
    # One index scan answers every section's words (PostgreSQL; see searching_many).
    models = [m for section in sections for m in section.models]
    limit = limit or MAX_MATCHES
    with searching_many(models, q, limit=limit, cap=True):
        results = SearchResults({section.key: section.results(user, q) for section in sections})
        # Kinds whose matches reached the limit: there may be more than they count.
        results.capped = frozenset(
            section.key for section in sections
            if any(len(search_pks(model, q)) >= limit for model in section.models)
        )  # fmt: skip
    return results


class SearchResults(dict):
    """``search_all``'s answer: {kind: queryset}, and ``capped``, the kinds that had more
    matches than were read (shown as "1,000+")."""

    capped: frozenset = frozenset()


def search_counts(*, user, q: str, results: dict, limit: int | None = None) -> dict[str, int]:
    """How many matches each section of ``search_all(user=user, q=q)`` (``results``) has,
    kept until the next write for this reader (``cached_for_reader``): naming each section's
    cached count by its SQL meant compiling thirteen querysets, 10 ms of every search."""
    from landhub.core.counts import cached_for_reader

    q = (q or "").strip()
    if not q:
        return dict.fromkeys(results, 0)

    def count_all() -> dict[str, int]:
        return {key: qs.count() for key, qs in results.items()}

    return cached_for_reader("search-counts", user, count_all,
                             extra=(q, limit, sorted(results)))  # fmt: skip


def autocomplete(*, user, kind: str, q: str, vocabulary: str = "", limit: int = 10) -> list[dict]:
    """Up to ``limit`` visible matches for a picker: ``{id, label, url}``."""
    q = (q or "").strip()
    if not q or kind not in SEARCH_TYPES:
        return []
    if kind == "term":
        qs = term_list(user=user, filters={"q": q, "vocabulary": vocabulary})
        return [{"id": t.pk, "label": t.name, "url": ""} for t in qs[:limit]]
    model = {"landscape": Landscape, "organization": Organization, "person": Person}[kind]
    if kind == "person" and not user.is_authenticated:
        return []
    pks = search_pks(model, q, autocomplete=True, limit=200)
    qs = model.objects.visible_to(user).active().filter(pk__in=pks)
    return [{"id": o.pk, "label": o.name, "url": o.get_absolute_url()} for o in qs[:limit]]
