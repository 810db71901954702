"""Vocabularies API: anyone reads the terms; hub staff add and change them."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status

from landhub.core.lists import sort_queryset

from ..models import Term
from ..selectors.terms import TERM_SORTS, search_all, search_counts, term_list
from ..services import terms as services
from .common import MAX_OFFSET, paged, patch_values, require_user

router = Router(tags=["terms"])
search_router = Router(tags=["search"])


class TermFilters(Schema):
    q: str = ""
    vocabulary: str = ""
    active: str = ""
    sort: str = "vocabulary"
    limit: int = Field(50, ge=1, le=100)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class TermOut(Schema):
    id: int
    vocabulary: str
    slug: str
    name: str
    name_en: str
    name_es: str
    name_fr: str
    name_pt: str
    is_active: bool


class TermPage(Schema):
    count: int
    items: list[TermOut]


class TermIn(Schema):
    vocabulary: str
    name_en: str = Field(..., min_length=1, max_length=200)
    slug: str = ""
    name_es: str = ""
    name_fr: str = ""
    name_pt: str = ""
    sort_order: int = Field(0, ge=0)


class TermPatch(Schema):
    name_en: str | None = Field(None, min_length=1, max_length=200)
    name_es: str | None = None
    name_fr: str | None = None
    name_pt: str | None = None
    sort_order: int | None = Field(None, ge=0)
    is_active: bool | None = None


@router.get("", response=TermPage, summary="List vocabulary terms")
def list_terms(request, filters: Query[TermFilters]):
    data = filters.dict()
    qs = term_list(user=request.user, filters={k: str(v) for k, v in data.items()})
    qs, _sort = sort_queryset(qs, data["sort"], TERM_SORTS, "vocabulary")
    count, items = paged(qs, limit=data["limit"], offset=data["offset"])
    return {"count": count, "items": items}


@router.get("/{int:term_id}", response=TermOut, summary="One term")
def get_term(request, term_id: int):
    return get_object_or_404(term_list(user=request.user, filters={"active": "all"}), pk=term_id)


@router.post("", response={201: TermOut}, summary="Add a term (hub staff)")
def create_term(request, payload: TermIn):
    actor = require_user(request)
    return Status(201, services.term_create(actor=actor, **payload.dict()))


@router.patch("/{int:term_id}", response=TermOut, summary="Change a term (hub staff)")
def update_term(request, term_id: int, payload: TermPatch):
    actor = require_user(request)
    term = get_object_or_404(Term, pk=term_id)
    data = patch_values(Term, payload.dict(exclude_unset=True))
    active = data.pop("is_active", None)
    if data:
        term = services.term_update(actor=actor, term=term, **data)
    if active is not None:
        term = services.term_set_active(actor=actor, term=term, active=active)
    return term


class SearchHit(Schema):
    type: str
    id: int
    label: str
    url: str


class SearchOut(Schema):
    q: str
    facets: dict[str, int]
    capped: list[str] = Field(
        default_factory=list,
        description="Kinds with more matches than were read: their facet says 'at least'.",
    )
    items: list[SearchHit]


@search_router.get(
    "",
    response=SearchOut,
    summary="Search the hub: directory, offerings, activities (respects visibility)",
)
def search(request, q: str = "", type: str = "", limit: int = 20):
    limit = max(1, min(limit, 100))
    from landhub.core.search import search_sections

    results = search_all(user=request.user, q=q[:200])
    sections = {section.key: section for section in search_sections()}
    facets = search_counts(user=request.user, q=q[:200], results=results)
    kinds = [type] if type in sections else list(sections)
    items = []
    for kind in kinds:
        # Only the sections that fill ``limit`` are read (each knows its count already).
        if not facets.get(kind) or len(items) >= limit:
            continue
        for obj in results[kind][: limit - len(items)]:
            hit = sections[kind].hit(obj)
            items.append({"type": kind, "id": obj.pk, "label": hit["label"], "url": hit["url"]})
    return {"q": q, "facets": facets, "capped": sorted(results.capped), "items": items}
