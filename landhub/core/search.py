"""Full-text search through the configured Wagtail search backend (DESIGN.md §3).

``search_pks`` returns the primary keys of matching records, best match first, so a selector
can combine the text match with its own visibility filter and facets in one queryset:
``qs.filter(pk__in=search_pks(Model, q))``. The backend is SQLite FTS5 or PostgreSQL full
text locally, OpenSearch/Elasticsearch when configured.
"""

from __future__ import annotations

from wagtail.search.backends import get_search_backend

MAX_MATCHES = 2000


def search_pks(model, q: str, *, autocomplete: bool = False, limit: int = MAX_MATCHES) -> list:
    q = (q or "").strip()
    if not q:
        return []
    backend = get_search_backend()
    queryset = model.objects.all()
    if autocomplete:
        results = backend.autocomplete(q, queryset)
    else:
        results = backend.search(q, queryset, operator="and")
    return [obj.pk for obj in results[:limit]]
