"""Import of reported values (CSV/XLSX), a kind of the directory's import.

Same upload page, background task, progress bar, report of every bad cell (line and column)
and all-or-nothing write as the other kinds (``directory.imports``). This module brings:

- the **template** for a chosen landscape and period: one row per indicator the landscape
  reports for that period, with its code, name, unit and what it expects, a column per
  disaggregation option (``sex:women`` …), and the values already entered, so a leader fills
  the gaps and uploads it back (an empty row changes nothing; an unchanged row is skipped);
- the checks and the bulk write (``services/bulk.py``): the rules of the data entry grid, cell
  by cell, then observations, parts and history written in batches, roll-ups once per
  indicator;
- ``import_values(actor, rows_or_file)``, the same import without the task and the page, for
  a command, the API's bulk call or the benchmark (a million rows).

Who imports: those who report for a landscape (drafts, or submitted for review); reviewers and
hub staff may also import values as approved (e.g. historical data), which updates the
roll-ups. Changing an approved value needs the ``reason`` column.
"""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from landhub.directory.imports import ImportKind, Report, read_table

from .models import ReportingPeriod
from .rules import can
from .services.bulk import (
    INFO_COLUMNS,
    KEY_COLUMNS,
    OPTION_COLUMN,
    OTHER_COLUMNS,
    VALUE_COLUMNS,
    RowRejected,
    ValuesImport,
    clean_row,
    expects,
    level_names,
)

KIND = "mel-values"
MAX_CHOICES = 2000  # landscapes offered on the import page (the grid links to any landscape)


def _number_text(number) -> str:
    return "" if number is None else format(number.normalize(), "f")


def _landscapes_for(actor):
    """Landscapes whose values ``actor`` may import: all with indicators for reviewers and
    hub staff; else those they lead or manage, or report an indicator of."""
    from django.db.models import Q

    from landhub.directory.models import Landscape
    from landhub.directory.rules import managed_landscape_ids

    qs = Landscape.objects.visible_to(actor).filter(indicator_assignments__scope_kind="landscape")
    if not can(actor, "mel.review"):
        qs = qs.filter(Q(pk__in=managed_landscape_ids(actor))
                       | Q(indicator_assignments__reporter__user=actor))  # fmt: skip
    return qs.distinct().order_by("name")


def template_choices(actor) -> dict:
    landscapes = [(slug, name) for slug, name in
                  _landscapes_for(actor).values_list("slug", "name")[:MAX_CHOICES]]  # fmt: skip
    periods = [(p.label, p.label + (f" ({_('locked')})" if p.is_locked else ""))
               for p in ReportingPeriod.objects.order_by("-start", "kind")[:60]]  # fmt: skip
    return {"landscape": (_("Landscape"), landscapes), "period": (_("Period"), periods)}


def template(actor, params: dict):
    """Columns and rows for one landscape and period, pre-filled with what is entered."""
    from landhub.directory.models import Landscape

    from .selectors import reporting_grid

    landscape = Landscape.objects.visible_to(actor).filter(slug=params.get("landscape")).first()
    period = ReportingPeriod.objects.filter(label=params.get("period")).first()
    if landscape is None or period is None:
        raise ValidationError(_("Choose a landscape and a period for the template."))
    rows = reporting_grid(user=actor, landscape=landscape, period=period)
    if not any(r["can_report"] for r in rows) and not can(actor, "mel.review"):
        raise ValidationError(_("You do not report values for %(name)s.")
                              % {"name": landscape.name})  # fmt: skip
    option_columns: list[str] = []
    table = []
    for row in rows:
        indicator = row["assignment"].indicator
        observation = row["observation"]
        schemes = list(indicator.disaggregations.all())
        line = {
            "landscape": landscape.slug, "period": period.label, "indicator": indicator.code,
            "name": indicator.name,
            "unit": indicator.currency if indicator.measure == "currency" else indicator.unit,
            "expects": expects(indicator, bool(schemes)),
        }  # fmt: skip
        keys = [f"{s.slug}:{o.code}" for s in schemes for o in s.options.all()]
        option_columns += [k for k in keys if k not in option_columns]
        if observation is not None:
            line.update(_stored_cells(indicator, observation, row["parts"], keys))
        table.append(line)
    columns = [*KEY_COLUMNS, *INFO_COLUMNS[:3], *VALUE_COLUMNS, *option_columns,
               "not_applicable", "not_applicable_reason", "comment", "evidence_url",
               "current_status", "version", "status", "reason"]  # fmt: skip
    return columns, table


def _stored_cells(indicator, observation, parts: dict, keys: list[str]) -> dict:
    names = level_names(indicator)

    def shown(value) -> str:
        if value is not None and names and 0 <= int(value) < len(names):
            return names[int(value)]
        return _number_text(value)

    cells = {
        "comment": observation.comment, "evidence_url": observation.evidence_url,
        "current_status": observation.status, "version": observation.version,
    }  # fmt: skip
    if observation.not_applicable:
        cells.update(not_applicable="yes", not_applicable_reason=observation.not_applicable_reason)
    elif keys:
        for key in keys:
            part = parts.get(key)
            if part is None:
                continue
            cells[key] = (f"{_number_text(part.numerator)}/{_number_text(part.denominator)}"
                          if indicator.is_fraction else shown(part.value))  # fmt: skip
    elif indicator.is_fraction:
        cells.update(numerator=_number_text(observation.numerator),
                     denominator=_number_text(observation.denominator))  # fmt: skip
    else:
        cells["value"] = shown(observation.value)
    return cells


def _check_row(report, line, row, lookups: ValuesImport, seen) -> object | None:
    return lookups.check(report, line, row)


def _write_rows(actor, rows) -> int:
    """The framework's write step: checked rows in bulk (its transaction is already open)."""
    return ValuesImport(actor).write(rows)


MEL_VALUES = ImportKind(
    KIND,
    gettext_lazy("Reported values (MEL)"),
    required=KEY_COLUMNS,
    optional=(*INFO_COLUMNS, *VALUE_COLUMNS, *OTHER_COLUMNS),
    example={},
    permission="mel.import_values",
    prepare=ValuesImport,
    check_row=_check_row,
    write_rows=_write_rows,
    accepts_column=lambda column: bool(OPTION_COLUMN.match(column)),
    template_params=("landscape", "period"),
    template_choices=template_choices,
    template=template,
)


def import_values(actor, rows_or_file, *, max_bytes: int | None = None) -> dict:
    """Check every row and, if all are good, write them in one transaction.

    ``rows_or_file``: a path to a .csv/.xlsx file, or a list of row dicts (the template's
    columns; the API's bulk call). Returns ``{"errors": [{"line", "column", "message"}],
    "written": n, "skipped": n}``; with errors nothing is written. For rows given as dicts
    ``line`` is the row's index (from 0).
    """
    if not can(actor, "mel.import_values"):
        raise PermissionDenied(_("You do not report values."))
    report = Report()
    if isinstance(rows_or_file, str | Path):
        path = Path(rows_or_file)
        header, rows = read_table(path.name, path.read_bytes(), max_bytes=max_bytes)
        missing = [c for c in KEY_COLUMNS if c not in header]
        unknown = [c for c in header if c and c not in MEL_VALUES.columns
                   and not OPTION_COLUMN.match(c)]  # fmt: skip
        if missing or unknown:
            message = (_("Missing columns: %(c)s.") % {"c": ", ".join(missing)} if missing
                       else _("Unknown columns: %(c)s. Use the template.")
                       % {"c": ", ".join(unknown)})  # fmt: skip
            return {"errors": [{"line": 1, "column": ", ".join(missing or unknown),
                                "message": message}], "written": 0, "skipped": 0}  # fmt: skip
    else:
        rows = [(index, clean_row(row)) for index, row in enumerate(rows_or_file)]
    values = ValuesImport(actor)
    checked = []
    for line, row in rows:
        data = values.check(report, line, row)
        if data is not None:
            checked.append(data)
    if report.errors:
        return {"errors": report.errors, "written": 0, "skipped": values.skipped}
    try:
        with transaction.atomic():
            written = values.write(checked)
    except RowRejected as exc:  # changed between the check and the write
        return {"errors": [{"line": exc.line, "column": "", "message": "; ".join(exc.messages)}],
                "written": 0, "skipped": values.skipped}  # fmt: skip
    return {"errors": [], "written": written, "skipped": values.skipped}
