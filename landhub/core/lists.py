"""Building blocks every list page and list endpoint uses: sorting, paging, CSV export."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.utils.functional import cached_property

from .counts import cached_count


def filters_from(request, keys, *, checkboxes=()) -> dict[str, str]:
    """A list's filters from the query string: each key's value (at most 200 characters, "" when
    absent); a checkbox in ``checkboxes`` sent as "on" or "true" reads as "1", as the
    selectors and the CSV links expect."""
    filters = {key: request.GET.get(key, "")[:200] for key in keys}
    for key in checkboxes:
        if filters.get(key) in ("on", "true"):
            filters[key] = "1"
    return filters


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


class FiguresAfterPaging(Sequence):
    """A list whose order and count come from ``keys`` — a cheap queryset of primary keys, or a
    list of them — and whose costly per-row figures are computed for the rows asked for only:
    ``figures(ids)`` returns those rows, annotated.

    For lists whose rows carry correlated subqueries (a partner's requests, ratings, outcomes):
    a database that sorts such a queryset computes every row's figures before it can keep a
    page of them — SQLite does whenever it cannot read the order from an index (1.4 s for a
    page of 25 of 36,000 partners). Paging the keys first bounds the figures to the page.
    Pages and the API slice it; exports iterate it in chunks.
    """

    def __init__(self, keys, figures, *, chunk_size: int = 500):
        self.keys = keys
        self.figures = figures
        self.chunk_size = chunk_size

    def __len__(self) -> int:
        return cached_count(self.keys)

    def count(self) -> int:
        return len(self)

    def _rows(self, ids: list) -> list:
        found = {row.pk: row for row in self.figures(ids)} if ids else {}
        return [found[pk] for pk in ids if pk in found]

    def __getitem__(self, index):
        if isinstance(index, slice):
            return self._rows(list(self.keys[index]))
        rows = self._rows(list(self.keys[index : index + 1]))
        if not rows:
            raise IndexError(index)
        return rows[0]

    def __iter__(self):
        keys = self.keys.iterator(chunk_size=2000) if hasattr(self.keys, "iterator") else self.keys
        for ids in chunked(keys, self.chunk_size):
            yield from self._rows(ids)

    def iterator(self, chunk_size: int | None = None):
        return iter(self)


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


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx_cell(value):
    """Numbers stay numbers (a sum in the spreadsheet works); everything else is text, with
    what a spreadsheet would read as a formula quoted, as in the CSV."""
    if isinstance(value, bool):
        return _safe_cell(value)
    if isinstance(value, int | float):
        return value
    if isinstance(value, Decimal):
        return float(value)
    return _safe_cell(value)


def xlsx_response(
    filename: str,
    sheet_title: str,
    header: Sequence[str],
    rows: Iterable[Sequence],
    *,
    notes: Iterable[Sequence] = (),
    notes_title: str = "",
) -> HttpResponse:
    """An Excel workbook of one sheet (header, rows), and a second of ``notes`` if given.
    Written in openpyxl's write-only mode: rows go out as they come, not held as cells."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(str(sheet_title)[:31])  # Excel's limit for a sheet's name
    sheet.append([str(h) for h in header])
    for row in rows:
        sheet.append([_xlsx_cell(cell) for cell in row])
    notes = list(notes)
    if notes:
        extra = book.create_sheet(str(notes_title)[:31])
        for row in notes:
            extra.append([_xlsx_cell(cell) for cell in row])
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(out.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def export_response(fmt: str, name: str, sheet_title: str, header: Sequence, rows: Iterable):
    """A register's export as ``<name>.csv`` or ``<name>.xlsx`` (``fmt`` from the URL); any
    other format is a 404."""
    header = [str(h) for h in header]
    if fmt == "csv":
        return csv_response(f"{name}.csv", header, rows)
    if fmt == "xlsx":
        return xlsx_response(name, sheet_title, header, rows)
    raise Http404
