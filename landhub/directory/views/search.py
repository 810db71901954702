"""Global search with type facets, and autocomplete for pickers."""

from __future__ import annotations

from django.http import JsonResponse
from django.urls import path

from landhub.core.htmx import render_page
from landhub.core.lists import paginate
from landhub.core.search import MAX_MATCHES, OVERVIEW_MATCHES, search_sections

from ..selectors.terms import autocomplete, search_all, search_counts


def search(request):
    """Every registered kind of record (directory, offerings, activities …) in one page."""
    q = request.GET.get("q", "").strip()[:200]
    kind = request.GET.get("type", "")
    sections = {section.key: section for section in search_sections()}
    # The overview (every kind) reads up to OVERVIEW_MATCHES of each and says "1,000+"
    # beyond; one kind's pages read the usual MAX_MATCHES.
    limit = MAX_MATCHES if kind in sections else OVERVIEW_MATCHES
    results = search_all(user=request.user, q=q, limit=limit)
    counts = search_counts(user=request.user, q=q, results=results, limit=limit)
    facets = [(key, section.label, counts[key], key in results.capped)
              for key, section in sections.items()]  # fmt: skip
    context = {"q": q, "kind": kind, "facets": facets, "total": sum(f[2] for f in facets),
               "more": any(f[3] for f in facets)}  # fmt: skip
    if kind in sections:
        page = paginate(request, results[kind], per_page=20)
        page.hits = [sections[kind].hit(obj) for obj in page.object_list]
        context["page"] = page
    else:
        context["groups"] = [
            (section.label, [section.hit(obj) for obj in results[key][:5]])
            for key, section in sections.items()
        ]
    return render_page(
        request, "directory/search.html", context, partial="directory/partials/search_results.html"
    )


def autocomplete_view(request):
    items = autocomplete(
        user=request.user,
        kind=request.GET.get("type", ""),
        q=request.GET.get("q", "")[:100],
        vocabulary=request.GET.get("vocabulary", ""),
    )
    return JsonResponse({"results": items})


urlpatterns = [
    path("search/", search, name="search"),
    path("search/autocomplete/", autocomplete_view, name="autocomplete"),
]
