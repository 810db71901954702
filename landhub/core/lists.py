"""Building blocks every list page and list endpoint uses: sorting, paging, CSV export."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence

from django.core.paginator import Paginator
from django.http import HttpResponse, StreamingHttpResponse
from django.utils.functional import cached_property

from .counts import cached_count


def sort_queryset(qs, requested: str | None, allowed: dict[str, str], default: str):
    """Order by a whitelisted key (``name`` or ``-name``); unknown keys fall back to default."""
    key = (requested or default).strip()
    bare = key.lstrip("-")
    if bare not in allowed:
        key, bare = default, default.lstrip("-")
    field = allowed[bare]
    prefix = "-" if key.startswith("-") else ""
    # The tie-breaker runs in the same direction, so one index on (field, id) serves both
    # directions and the database can stop after the first page instead of sorting all rows.
    return qs.order_by(f"{prefix}{field}", f"{prefix}pk"), key


class CachedCountPaginator(Paginator):
    """A paginator whose total comes from ``core.counts`` (cached until the next write)."""

    @cached_property
    def count(self) -> int:
        return cached_count(self.object_list)


def paginate(request, qs, per_page: int = 25):
    paginator = CachedCountPaginator(qs, per_page)
    return paginator.get_page(request.GET.get("page"))


def chunked(iterable: Iterable, size: int):
    """Lists of up to ``size`` items (exports attach per-chunk data in one query per chunk)."""
    chunk = []
    for item in iterable:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class _Echo:
    def write(self, value):
        return value


def _safe_cell(value) -> str:
    """Neutralise spreadsheet formulas (CSV injection) in exported cells."""
    text = "" if value is None else str(value)
    if text[:1] in {"=", "+", "-", "@", "\t", "\r"}:
        return "'" + text
    return text


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    writer = csv.writer(_Echo())

    def stream():
        yield "\ufeff"  # BOM so spreadsheet programs read UTF-8 correctly
        yield writer.writerow(header)
        for row in rows:
            yield writer.writerow([_safe_cell(cell) for cell in row])

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
