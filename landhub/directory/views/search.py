"""Global search with type facets, and autocomplete for pickers."""

from __future__ import annotations

from django.http import JsonResponse
from django.urls import path

from landhub.core.counts import cached_count
from landhub.core.htmx import render_page
from landhub.core.lists import paginate

from ..selectors.terms import SEARCH_TYPES, autocomplete, search_all


def search(request):
    q = request.GET.get("q", "").strip()[:200]
    kind = request.GET.get("type", "")
    results = search_all(user=request.user, q=q)
    facets = [(key, cached_count(results[key])) for key in SEARCH_TYPES]
    context = {"q": q, "kind": kind, "facets": facets, "total": sum(c for _k, c in facets)}
    if kind in SEARCH_TYPES:
        context["page"] = paginate(request, results[kind], per_page=20)
    else:
        context["groups"] = [(key, list(results[key][:5])) for key in SEARCH_TYPES]
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
