"""API of the indicator library (``/api/v1/mel/indicators…``)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status

from landhub.core.lists import sort_queryset
from landhub.directory.api.common import MAX_OFFSET, paged, patch_values, require_user

from .. import services
from ..models import DisaggregationScheme, Indicator
from ..selectors import (
    INDICATOR_SORTS,
    indicator_detail,
    indicator_list,
)

router = Router(tags=["mel"])


class IndicatorOut(Schema):
    code: str
    name: str
    measure: str
    unit: str
    currency: str
    direction: str
    aggregation: str
    cumulative_mode: str
    frequency: str
    disaggregations: list[str]
    version: int
    updated_at: datetime

    @staticmethod
    def resolve_disaggregations(obj):
        return [s.slug for s in obj.disaggregations.all()]


class IndicatorDetailOut(IndicatorOut):
    definition: str
    levels: list[str]
    threshold: Decimal | None
    data_source: str
    method: str
    sdg_code: str
    landscale_code: str
    four_returns: str
    iati_code: str


class IndicatorPage(Schema):
    count: int
    items: list[IndicatorOut]


class IndicatorFilters(Schema):
    q: str = ""
    measure: str = ""
    aggregation: str = ""
    cumulative_mode: str = ""
    frequency: str = ""
    disaggregation: str = ""
    sort: str = "code"
    limit: int = Field(25, ge=1, le=100)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class IndicatorIn(Schema):
    code: str = Field(..., min_length=1, max_length=30)
    name: str = Field(..., min_length=3, max_length=300)
    definition: str = Field(..., min_length=1)
    measure: str
    unit: str = ""
    currency: str = ""
    levels: list[str] = []
    direction: str = "increase"
    aggregation: str = "sum"
    cumulative_mode: str = "non_cumulative"
    threshold: Decimal | None = None
    frequency: str = "year"
    data_source: str = ""
    method: str = ""
    sdg_code: str = ""
    landscale_code: str = ""
    four_returns: str = ""
    iati_code: str = ""
    disaggregations: list[str] = Field([], description="slugs of disaggregation schemes")


class IndicatorPatch(Schema):
    version: int
    reason: str = Field("", max_length=100)
    name: str | None = Field(None, min_length=3, max_length=300)
    definition: str | None = None
    unit: str | None = None
    currency: str | None = None
    levels: list[str] | None = None
    direction: str | None = None
    aggregation: str | None = None
    cumulative_mode: str | None = None
    threshold: Decimal | None = None
    frequency: str | None = None
    data_source: str | None = None
    method: str | None = None
    sdg_code: str | None = None
    landscale_code: str | None = None
    four_returns: str | None = None
    iati_code: str | None = None
    disaggregations: list[str] | None = None


def _schemes(slugs):
    schemes = list(DisaggregationScheme.objects.filter(slug__in=slugs))
    if len(schemes) != len(set(slugs)):
        from django.core.exceptions import ValidationError

        known = {s.slug for s in schemes}
        raise ValidationError({"disaggregations": [
            "Unknown: " + ", ".join(s for s in slugs if s not in known)]})  # fmt: skip
    return schemes


@router.get("/indicators", response=IndicatorPage, summary="The indicator library")
def list_indicators(request, filters: Query[IndicatorFilters]):
    require_user(request)
    data = filters.dict()
    qs, _sort = sort_queryset(indicator_list(user=request.user, filters=data), data["sort"],
                              INDICATOR_SORTS, "code")  # fmt: skip
    count, items = paged(qs, limit=data["limit"], offset=data["offset"])
    return {"count": count, "items": items}


@router.post("/indicators", response={201: IndicatorDetailOut}, summary="Add (hub staff)")
def create_indicator(request, payload: IndicatorIn):
    actor = require_user(request)
    data = payload.dict()
    schemes = _schemes(data.pop("disaggregations"))
    indicator = services.indicator_create(actor=actor, schemes=schemes, **data)
    return Status(201, indicator_detail(user=actor, code=indicator.code))


@router.get("/indicators/{code}", response=IndicatorDetailOut, summary="One indicator")
def get_indicator(request, code: str):
    require_user(request)
    return indicator_detail(user=request.user, code=code)


@router.patch("/indicators/{code}", response=IndicatorDetailOut,
              summary="Change a definition (send the version)")  # fmt: skip
def update_indicator(request, code: str, payload: IndicatorPatch):
    actor = require_user(request)
    indicator = get_object_or_404(Indicator, code=code)
    data = patch_values(Indicator, payload.dict(exclude_unset=True))
    version, reason = data.pop("version"), data.pop("reason", "")
    slugs = data.pop("disaggregations", None)
    schemes = _schemes(slugs) if slugs is not None else None
    services.indicator_update(actor=actor, indicator=indicator, version=version,
                              schemes=schemes, reason=reason, **data)  # fmt: skip
    return indicator_detail(user=actor, code=indicator.code)
