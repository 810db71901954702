"""CSV and XLSX imports of organizations and landscapes: read, check every row, write all or none.

The import runs as a background task (``directory.tasks.import_file_task``) that reports its
progress in a ``core.TaskProgress`` row, so the page shows a live progress bar. Every bad row is
reported with its line number and column; nothing is written unless the whole file is good.
Rows are written through the same services as the pages, so the same rules apply.

Other apps add kinds of their own with ``register_kind`` (the coordination app imports
offerings, the MEL app reported values): a kind brings its columns, the permission to use it,
and functions to load its lookups, check a row and write a row; reading, reporting, progress
and the pages are shared. A kind with many rows writes them all at once (``write_rows``, bulk
inserts instead of one service call per row); a kind whose template depends on a choice (a
landscape and a period) names its ``template_params`` and builds the template itself.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from landhub.core.services import progress_update

from . import geo
from .models import Country, InitiativeStatus, Landscape, Organization, Term, Vocabulary

PROGRESS_EVERY = 25
# At most about this many progress writes per check, however long the file (a million rows
# would otherwise cost 40,000 UPDATEs).
PROGRESS_STEPS = 200


@dataclass(frozen=True)
class ImportKind:
    key: str
    label: str
    required: tuple[str, ...]
    optional: tuple[str, ...]
    example: dict
    # Who may import this kind (a django-rules permission, checked without an object).
    permission: str = "directory.import"
    # A registered kind's own functions; the directory's two kinds are handled below.
    prepare: Callable | None = None  # (actor) -> lookups shared by every row
    check_row: Callable | None = None  # (report, line, row, lookups, seen) -> data or None
    write_row: Callable | None = None  # (actor, data) -> None, inside the import's transaction
    # Instead of ``write_row``: (actor, [(line, data), …]) -> rows written, inside the import's
    # transaction; raises ``RowRejected`` to name a line. For kinds that write in bulk.
    write_rows: Callable | None = None
    after_write: Callable | None = None  # (actor, count) -> None, once, after the commit
    # Columns beyond ``columns`` that the kind accepts, e.g. one per disaggregation option.
    accepts_column: Callable | None = None  # (column) -> bool
    accepts_boundaries: bool = False  # the upload form offers a companion GeoJSON file
    # A template that depends on a choice: the GET parameters it needs, the choices the import
    # page offers for them, and the function that builds it (``ValidationError`` if a choice
    # is missing or not allowed).
    template_params: tuple[str, ...] = ()
    template_choices: Callable | None = None  # (actor) -> {param: (label, [(value, label)])}
    template: Callable | None = None  # (actor, params) -> (columns, rows as dicts)

    @property
    def columns(self) -> tuple[str, ...]:
        return self.required + self.optional


KINDS = {
    "organizations": ImportKind(
        "organizations",
        "Organizations",
        required=("name", "kind"),
        optional=(
            "short_name",
            "country",
            "countries_active",
            "website",
            "description",
            "capabilities",
            "themes",
            "visibility",
        ),  # fmt: skip
        example={
            "name": "Highlands Water Trust",
            "kind": "ngo",
            "short_name": "HWT",
            "country": "KE",
            "countries_active": "KE;UG",
            "website": "https://example.org",
            "description": "Protects the springs of the highlands.",
            "capabilities": "facilitation:advanced;gis-and-mapping:basic",
            "themes": "water;restoration",
            "visibility": "public",
        },  # fmt: skip
    ),
    "landscapes": ImportKind(
        "landscapes",
        "Landscapes",
        required=("name", "countries"),
        optional=(
            "summary",
            "description",
            "population",
            "ecosystems",
            "themes",
            "area_types",
            "initiative_status",
            "partnership_organization",
            "year_formed",
            "visibility",
            "boundary",
        ),  # fmt: skip
        example={
            "name": "Upper Tana Watershed",
            "countries": "KE",
            "summary": "Farms and forests.",
            "description": "",
            "population": "450000",
            "ecosystems": "mountain;agricultural",
            "themes": "water",
            "area_types": "watershed",
            "initiative_status": "candidate",
            "partnership_organization": "",
            "year_formed": "2019",
            "visibility": "public",
            "boundary": geo.example_geojson(),
        },  # fmt: skip
        accepts_boundaries=True,
    ),
}


def register_kind(kind: ImportKind) -> None:
    """Add an import kind of another app (called from its ``AppConfig.ready``)."""
    KINDS[kind.key] = kind


def kinds_for(user) -> dict[str, ImportKind]:
    """The kinds ``user`` may import."""
    from .rules import can

    return {key: kind for key, kind in KINDS.items() if can(user, kind.permission)}


class ImportFileError(ValueError):
    """The file as a whole cannot be read (encoding, format, size)."""


@dataclass
class Report:
    errors: list[dict] = field(default_factory=list)
    rows: list[tuple[int, dict]] = field(default_factory=list)

    def add(self, line: int, column: str, message: str) -> None:
        self.errors.append({"line": line, "column": column, "message": str(message)})


# --- Reading ---------------------------------------------------------------------------------


def read_table(
    name: str, raw: bytes, *, max_bytes: int | None = None
) -> tuple[list[str], list[tuple[int, dict]]]:
    """Header and rows (with their line numbers as a spreadsheet shows them). ``max_bytes``
    overrides the upload limit (a command or benchmark reading a file of its own)."""
    limit = settings.LANDHUB_MAX_IMPORT_BYTES if max_bytes is None else max_bytes
    if len(raw) > limit:
        raise ImportFileError(
            _("The file is %(size).1f MB; the limit is %(limit).1f MB.")
            % {"size": len(raw) / 1048576, "limit": limit / 1048576}
        )
    suffix = Path(name).suffix.lower()
    if suffix == ".xlsx":
        return _read_xlsx(raw)
    if suffix not in (".csv", ".txt"):
        raise ImportFileError(_("Upload a .csv or .xlsx file."))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            _("The file is not UTF-8 (byte 0x%(byte)02x at position %(pos)d); save it as "
              "“CSV UTF-8” and upload it again.") % {"byte": raw[exc.start], "pos": exc.start}
        ) from exc  # fmt: skip
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration as exc:
        raise ImportFileError(_("The file is empty.")) from exc
    rows = []
    for values in reader:
        if not any(v.strip() for v in values):
            continue
        rows.append((reader.line_num, dict(zip(header, (v.strip() for v in values), strict=False))))
    return header, rows


def _read_xlsx(raw: bytes):
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for damaged files
        raise ImportFileError(_("This is not a readable .xlsx workbook.")) from exc
    sheet = book.worksheets[0]
    rows_iter = sheet.iter_rows(values_only=True)
    try:
        header = [str(h or "").strip().lower() for h in next(rows_iter)]
    except StopIteration as exc:
        raise ImportFileError(_("The file is empty.")) from exc
    rows = []
    for line, values in enumerate(rows_iter, start=2):
        cells = ["" if v is None else str(v).strip() for v in values]
        if any(cells):
            rows.append((line, dict(zip(header, cells, strict=False))))
    book.close()
    return header, rows


def read_boundaries(raw: bytes | None) -> dict[str, dict]:
    """A companion GeoJSON FeatureCollection: features matched to rows by a ``name`` property."""
    if not raw:
        return {}
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ImportFileError(_("The boundaries file is not valid GeoJSON: %(e)s") % {"e": exc})
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list):
        raise ImportFileError(_("The boundaries file must be a GeoJSON FeatureCollection."))
    found = {}
    for feature in features:
        name = ((feature or {}).get("properties") or {}).get("name")
        if name and feature.get("geometry"):
            found[str(name).strip().lower()] = feature["geometry"]
    return found


# --- Checking --------------------------------------------------------------------------------


def _split(value: str) -> list[str]:
    return [v.strip() for v in (value or "").replace(",", ";").split(";") if v.strip()]


class _Lookups:
    """Everything a row refers to, loaded once so checking 10,000 rows costs a few queries."""

    def __init__(self):
        self.countries = set(Country.objects.values_list("code", flat=True))
        self.terms = {(t.vocabulary, t.slug): t for t in Term.objects.filter(is_active=True)}
        self.organizations = {
            n.lower(): pk for n, pk in Organization.objects.values_list("name", "id")
        }
        self.landscapes = {n.lower() for n in Landscape.objects.values_list("name", flat=True)}

    def term(self, vocabulary, slug):
        return self.terms.get((vocabulary, slug))


def _check_terms(report, line, row, column, vocabulary, lookups) -> list:
    found = []
    for slug in _split(row.get(column, "")):
        term = lookups.term(vocabulary, slug)
        if term is None:
            report.add(line, column, _("Unknown %(v)s: “%(s)s”.") % {"v": vocabulary, "s": slug})
        else:
            found.append(term)
    return found


def _check_countries(report, line, row, column, lookups, *, required=False) -> list[str]:
    codes = [c.upper() for c in _split(row.get(column, ""))]
    unknown = [c for c in codes if c not in lookups.countries]
    if unknown:
        report.add(line, column, _("Unknown country code: %(c)s.") % {"c": ", ".join(unknown)})
    if required and not codes:
        report.add(line, column, _("Name at least one country (ISO code such as KE)."))
    return [c for c in codes if c in lookups.countries]


def _check_visibility(report, line, row) -> str:
    value = row.get("visibility") or "public"
    if value not in ("public", "network", "core", "restricted"):
        report.add(line, "visibility", _("Use public, network, core or restricted."))
    return value


def _check_name(report, line, row, seen: dict, existing, taken_message: str) -> str:
    """A name is required, unique within the file and not already in the database."""
    name = row.get("name", "")
    if not name:
        report.add(line, "name", _("A name is required."))
    elif name.lower() in seen:
        message = _("Duplicate of line %(n)d in this file.") % {"n": seen[name.lower()]}
        report.add(line, "name", message)
    elif name.lower() in existing:
        report.add(line, "name", taken_message)
    seen.setdefault(name.lower(), line)
    return name


def check_organization(report, line, row, lookups, seen) -> dict | None:
    errors_before = len(report.errors)
    name = _check_name(report, line, row, seen, lookups.organizations,
                       _("An organization with this name already exists."))  # fmt: skip
    kind = lookups.term(Vocabulary.ORGANIZATION_KIND, row.get("kind", ""))
    if kind is None:
        report.add(
            line, "kind", _("Unknown organization kind: “%(k)s”.") % {"k": row.get("kind", "")}
        )
    country = _check_countries(report, line, row, "country", lookups)
    active = _check_countries(report, line, row, "countries_active", lookups)
    themes = _check_terms(report, line, row, "themes", Vocabulary.THEME, lookups)
    capabilities = {}
    for item in _split(row.get("capabilities", "")):
        slug, _sep, level = item.partition(":")
        level = level or "basic"
        if lookups.term(Vocabulary.CAPABILITY, slug) is None:
            report.add(line, "capabilities", _("Unknown capability: “%(s)s”.") % {"s": slug})
        elif level not in ("basic", "intermediate", "advanced"):
            report.add(line, "capabilities", _("Level must be basic, intermediate or advanced."))
        else:
            capabilities[slug] = level
    visibility = _check_visibility(report, line, row)
    if len(report.errors) > errors_before:
        return None
    return {
        "name": name, "kind": kind, "short_name": row.get("short_name", ""),
        "country": country[0] if country else None, "countries_active": active,
        "website": row.get("website", ""), "description": row.get("description", ""),
        "themes": themes, "visibility": visibility, "_capabilities": capabilities,
    }  # fmt: skip


def check_landscape(report, line, row, lookups, seen, boundaries) -> dict | None:
    errors_before = len(report.errors)
    name = _check_name(report, line, row, seen, lookups.landscapes,
                       _("A landscape with this name already exists."))  # fmt: skip
    countries = _check_countries(report, line, row, "countries", lookups, required=True)
    data = {
        "name": name, "countries": countries, "summary": row.get("summary", "")[:300],
        "description": row.get("description", ""),
        "ecosystems": _check_terms(report, line, row, "ecosystems", Vocabulary.ECOSYSTEM, lookups),
        "themes": _check_terms(report, line, row, "themes", Vocabulary.THEME, lookups),
        "area_types": _check_terms(report, line, row, "area_types", Vocabulary.AREA_TYPE, lookups),
        "visibility": _check_visibility(report, line, row),
    }  # fmt: skip
    for column, low, high in (("population", 0, 10**10), ("year_formed", 1900, 2100)):
        value = row.get(column, "")
        if value:
            try:
                number = int(float(value))
                if not low <= number <= high:
                    raise ValueError
                data[column] = number
            except ValueError:
                report.add(line, column, _("Not a whole number in the expected range."))
    status = row.get("initiative_status") or "candidate"
    if status not in InitiativeStatus.values:
        report.add(line, "initiative_status", _("Use candidate, engaged or member."))
    data["initiative_status"] = status
    partner = row.get("partnership_organization", "")
    if partner:
        if partner.lower() not in lookups.organizations:
            report.add(line, "partnership_organization", _("No organization with this name."))
        else:
            data["partnership_organization"] = lookups.organizations[partner.lower()]
    geometry = row.get("boundary") or boundaries.get(name.lower())
    if geometry:
        try:
            data["boundary"] = geo.parse_boundary_geojson(geometry)
        except geo.BoundaryError as exc:
            report.add(line, "boundary", exc.message)
    if len(report.errors) > errors_before:
        return None
    return data


def check_file(
    kind: str, header: list[str], rows, *, boundaries=None, progress_id=None, actor=None
) -> Report:
    spec = KINDS[kind]
    report = Report()
    missing = [c for c in spec.required if c not in header]
    if missing:
        report.add(1, ", ".join(missing), _("Missing columns: %(c)s.") % {"c": ", ".join(missing)})
        return report
    unknown = [c for c in header if c and c not in spec.columns
               and not (spec.accepts_column and spec.accepts_column(c))]  # fmt: skip
    if unknown:
        report.add(1, ", ".join(unknown), _("Unknown columns: %(c)s. Use the template.") % {
            "c": ", ".join(unknown)})  # fmt: skip
        return report
    lookups = spec.prepare(actor) if spec.prepare else _Lookups()
    seen: dict = {}
    step = max(PROGRESS_EVERY, len(rows) // PROGRESS_STEPS)
    for index, (line, row) in enumerate(rows, start=1):
        if spec.check_row:
            data = spec.check_row(report, line, row, lookups, seen)
        elif kind == "organizations":
            data = check_organization(report, line, row, lookups, seen)
        else:
            data = check_landscape(report, line, row, lookups, seen, boundaries or {})
        if data is not None:
            report.rows.append((line, data))
        if progress_id and index % step == 0:
            progress_update(progress_id, done=index)
    return report


# --- Writing ---------------------------------------------------------------------------------


class RowRejected(ValidationError):
    """A service refused a row the checks let through; carries the row's line."""

    def __init__(self, line: int, error: ValidationError):
        super().__init__(error.messages)
        self.line = line


def write_rows(kind: str, rows, *, actor) -> int:
    """Write every checked row in one transaction (services re-check each one)."""
    from .services import landscapes as landscape_services
    from .services import organizations as organization_services

    spec = KINDS[kind]
    if spec.write_rows:
        with transaction.atomic():
            return spec.write_rows(actor, rows)
    with transaction.atomic():
        for line, data in rows:
            data = dict(data)
            if spec.write_row:
                try:
                    spec.write_row(actor, data)
                except ValidationError as exc:  # name the line: the service knew better
                    raise RowRejected(line, exc) from exc
                except PermissionDenied as exc:  # e.g. a membership ended meanwhile
                    raise RowRejected(line, ValidationError(str(exc))) from exc
            elif kind == "organizations":
                capabilities = data.pop("_capabilities")
                org = organization_services.organization_create(
                    actor=actor, name=data.pop("name"), kind=data.pop("kind"), **data
                )
                if capabilities:
                    organization_services.organization_capabilities_set(
                        actor=actor, organization=org, capabilities=capabilities
                    )
            else:
                landscape_services.landscape_create(
                    actor=actor, name=data.pop("name"), countries=data.pop("countries"), **data
                )
    return len(rows)


def run_import(*, progress_id: int, kind: str, path: str, boundaries_path: str = "") -> dict:
    """Read, check and (if every row is good) write a file; record the outcome in progress."""
    from landhub.core.models import TaskProgress

    progress = TaskProgress.objects.select_related("owner").get(pk=progress_id)
    progress_update(progress_id, status=TaskProgress.Status.RUNNING, message=_("Reading the file…"))
    try:
        raw = Path(path).read_bytes()
        boundaries = read_boundaries(
            Path(boundaries_path).read_bytes() if boundaries_path else None
        )
        header, rows = read_table(path, raw)
    except ImportFileError as exc:
        result = {"errors": [{"line": 1, "column": "", "message": str(exc)}]}
        progress_update(
            progress_id, status=TaskProgress.Status.FAILED, message=str(exc), result=result
        )
        return result
    progress_update(progress_id, total=len(rows), message=_("Checking every row…"))
    report = check_file(kind, header, rows, boundaries=boundaries, progress_id=progress_id,
                        actor=progress.owner)  # fmt: skip
    if report.errors:
        result = {"errors": report.errors, "created": 0, "updated": 0}
        message = _("%(n)d problems found; nothing was imported.") % {"n": len(report.errors)}
        progress_update(progress_id, status=TaskProgress.Status.FAILED, done=len(rows),
                        message=message, result=result)  # fmt: skip
        return result
    progress_update(progress_id, done=len(rows), message=_("Writing…"))
    try:
        created = write_rows(kind, report.rows, actor=progress.owner)
    except ValidationError as exc:  # a rule only the service knows (should be rare)
        line = getattr(exc, "line", 0)
        result = {"errors": [{"line": line, "column": "", "message": "; ".join(exc.messages)}]}
        progress_update(progress_id, status=TaskProgress.Status.FAILED, result=result,
                        message=_("Nothing was imported."))  # fmt: skip
        return result
    if KINDS[kind].after_write:
        KINDS[kind].after_write(progress.owner, created)
    result = {"errors": [], "created": created, "updated": 0}
    progress_update(
        progress_id, status=TaskProgress.Status.SUCCEEDED, done=len(rows), result=result,
        message=_("Import finished."),
    )  # fmt: skip
    return result


def template_table(kind: str, *, actor=None, params: dict | None = None):
    """Columns and rows of a kind's template: its example row, or what the kind builds for the
    chosen ``params`` (``ValidationError`` if they are missing or not allowed)."""
    spec = KINDS[kind]
    if spec.template:
        return spec.template(actor, params or {})
    return spec.columns, [spec.example]


def template_csv(kind: str, *, actor=None, params: dict | None = None) -> str:
    columns, rows = template_table(kind, actor=actor, params=params)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(c, "") for c in columns])
    return out.getvalue()


def template_xlsx(kind: str, *, actor=None, params: dict | None = None) -> bytes:
    from openpyxl import Workbook

    columns, rows = template_table(kind, actor=actor, params=params)
    book = Workbook()
    sheet = book.active
    sheet.title = str(KINDS[kind].label)[:31]
    sheet.append(list(columns))
    for row in rows:
        sheet.append([row.get(c, "") for c in columns])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
