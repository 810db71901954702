"""API of reported values (``/api/v1/mel/observations…``).

The list reads ``selectors.observations``; one value is saved, submitted, approved or returned
through the same services as the data entry grid and the review queue (a stale ``version``
answers 409 with the current record); ``POST …/bulk`` takes the rows of the import's template
as JSON and runs the same checks as a file import: all or nothing, every bad cell named by
the row's index and its field (400).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status

from landhub.directory.api.common import MAX_OFFSET, paged, require_user

from .. import services
from ..imports import import_values
from ..models import IndicatorAssignment, ReportingPeriod
from ..selectors.observations import observation_list

router = Router(tags=["mel"])

MAX_BULK_ROWS = 50_000  # larger sets: the file import (a background task with a progress bar)


class PartOut(Schema):
    value: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None


class ObservationOut(Schema):
    id: int
    landscape: str
    period: str
    indicator: str
    status: str
    value: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None
    not_applicable: bool
    not_applicable_reason: str
    comment: str
    evidence_url: str
    review_comment: str
    parts: dict[str, PartOut] = Field(description='"<scheme>:<option>" → its value')
    version: int
    updated_at: datetime

    @staticmethod
    def resolve_landscape(obj):
        return obj.assignment.landscape.slug

    @staticmethod
    def resolve_period(obj):
        return obj.period.label

    @staticmethod
    def resolve_indicator(obj):
        return obj.assignment.indicator.code

    @staticmethod
    def resolve_parts(obj):
        return {f"{p.option.scheme.slug}:{p.option.code}": p for p in obj.parts.all()}


class ObservationPage(Schema):
    count: int
    items: list[ObservationOut]


class ObservationFilters(Schema):
    landscape: str = Field("", description="slug")
    period: str = Field("", description="label, e.g. 2025 or 2025-Q1")
    indicator: str = Field("", description="code")
    status: str = Field("", description="draft, submitted, returned or approved")
    limit: int = Field(25, ge=1, le=100)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class PartIn(Schema):
    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None


class ObservationIn(Schema):
    version: int | None = Field(None, description="the version you edited; omit for a new value")
    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    parts: dict[str, PartIn] = Field({}, description='"<scheme>:<option>" → its value')
    not_applicable: bool = False
    not_applicable_reason: str = Field("", max_length=300)
    comment: str = Field("", max_length=5000)
    evidence_url: str = Field("", max_length=200)
    reason: str = Field("", max_length=100, description="why an approved value changes")


class VersionIn(Schema):
    version: int


class ReturnIn(Schema):
    version: int
    comment: str = Field(..., max_length=5000)


class BulkIn(Schema):
    rows: list[dict[str, Any]] = Field(
        ..., max_length=MAX_BULK_ROWS,
        description="rows with the template's columns (landscape, period, indicator, value, "
        "numerator, denominator, not_applicable, not_applicable_reason, comment, evidence_url, "
        "status, reason, version, and one per option such as sex:women); parts may also be "
        'given as "parts": {"sex:women": 12}',
    )  # fmt: skip


class BulkError(Schema):
    index: int
    field: str
    message: str


class BulkOut(Schema):
    written: int
    skipped: int


class BulkErrorsOut(Schema):
    detail: str
    errors: list[BulkError]


def _assignment_and_period(user, landscape: str, period: str, indicator: str):
    from landhub.directory.models import Landscape

    place = get_object_or_404(Landscape.objects.visible_to(user), slug=landscape)
    assignment = get_object_or_404(
        IndicatorAssignment.objects.select_related("indicator", "reporter"),
        landscape=place, scope_kind="landscape", indicator__code=indicator,
    )  # fmt: skip
    return assignment, get_object_or_404(ReportingPeriod, label=period)


def _visible(user, landscape: str, period: str, indicator: str):
    """One value as the list shows it (404 if it does not exist or is not for ``user``)."""
    found = observation_list(user=user, filters={"landscape": landscape, "period": period,
                                                 "indicator": indicator}).first()  # fmt: skip
    if found is None:
        raise Http404
    return found


@router.get("/observations", response=ObservationPage, summary="Reported values")
def list_observations(request, filters: Query[ObservationFilters]):
    require_user(request)
    data = filters.dict()
    qs = observation_list(user=request.user, filters=data)
    count, items = paged(qs, limit=data["limit"], offset=data["offset"])
    return {"count": count, "items": items}


@router.put("/observations/{landscape}/{period}/{indicator}", response=ObservationOut,
            summary="Enter or change one value (send the version you edited)")  # fmt: skip
def save_observation(request, landscape: str, period: str, indicator: str,
                     payload: ObservationIn):  # fmt: skip
    actor = require_user(request)
    assignment, reporting_period = _assignment_and_period(actor, landscape, period, indicator)
    services.observation_save(actor=actor, assignment=assignment, period=reporting_period,
                              **payload.dict())  # fmt: skip
    return _visible(actor, landscape, period, indicator)


@router.post("/observations/{landscape}/{period}/{indicator}/submit",
             response=ObservationOut, summary="Submit a value for review")  # fmt: skip
def submit_observation(request, landscape: str, period: str, indicator: str,
                       payload: VersionIn):  # fmt: skip
    actor = require_user(request)
    observation = _visible(actor, landscape, period, indicator)
    services.observation_submit(actor=actor, observation=observation, version=payload.version)
    return _visible(actor, landscape, period, indicator)


@router.post("/observations/{landscape}/{period}/{indicator}/approve",
             response=ObservationOut, summary="Approve a submitted value (reviewers)")  # fmt: skip
def approve_observation(request, landscape: str, period: str, indicator: str,
                        payload: VersionIn):  # fmt: skip
    actor = require_user(request)
    observation = _visible(actor, landscape, period, indicator)
    services.observation_approve(actor=actor, observation=observation, version=payload.version)
    return _visible(actor, landscape, period, indicator)


@router.post("/observations/{landscape}/{period}/{indicator}/return",
             response=ObservationOut,
             summary="Return a submitted value with a comment (reviewers)")  # fmt: skip
def return_observation(request, landscape: str, period: str, indicator: str,
                       payload: ReturnIn):  # fmt: skip
    actor = require_user(request)
    observation = _visible(actor, landscape, period, indicator)
    services.observation_return(actor=actor, observation=observation, version=payload.version,
                                comment=payload.comment)  # fmt: skip
    return _visible(actor, landscape, period, indicator)


def _flatten_parts(row: dict) -> dict:
    """``"parts": {"sex:women": 12 | {"numerator": 3, "denominator": 4}}`` as the template's
    option columns (a fraction written ``3/4``)."""
    parts = row.pop("parts", None)
    if isinstance(parts, dict):
        for key, part in parts.items():
            if isinstance(part, dict):
                if "numerator" in part or "denominator" in part:
                    part = f"{part.get('numerator') or ''}/{part.get('denominator') or ''}"
                else:
                    part = part.get("value")
            row[str(key)] = "" if part is None else part
    return row


@router.post("/observations/bulk", response={200: BulkOut, 400: BulkErrorsOut},
             summary="Many values at once, checked like an import: all or nothing")  # fmt: skip
def bulk_observations(request, payload: BulkIn):
    actor = require_user(request)
    rows = [_flatten_parts(dict(row)) for row in payload.rows]
    result = import_values(actor, rows)
    if result["errors"]:
        errors = [{"index": e["line"], "field": e["column"], "message": e["message"]}
                  for e in result["errors"]]  # fmt: skip
        detail = f"{len(errors)} problems found; nothing was saved."
        return Status(400, {"detail": detail, "errors": errors})
    return {"written": result["written"], "skipped": result["skipped"]}
