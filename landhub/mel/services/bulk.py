"""Many values at once: the import of reported values (a CSV/XLSX file or the API's bulk call).

Every cell is checked with the rules of ``observations.py`` (the same helpers: a number where a
number is due, "not applicable" a flag with a reason and never a number, parts that add up and
give the total, ordinal levels by name, locked periods, submitted values left to the reviewers,
approved values changed only by a reviewer with a reason). Every bad cell is reported; nothing
is written unless every row is good.

Why not ``observation_save`` per row: it costs about ten queries a row, and an import may carry
a million rows. Here checking costs a few queries per file plus three per landscape (its
assignments, its stored values and their parts, loaded the first time a row names it), then
pure Python per row; writing inserts and updates observations, parts and their history rows
in batches, and recomputes the roll-ups once per indicator touched by an approved value.

A row is keyed by landscape (slug), period (label) and indicator (code). A row that carries
nothing (no number, no flag, no comment) changes nothing, and a row equal to what is stored is
skipped: a pre-filled template can be uploaded again with a few cells changed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from operator import itemgetter

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.translation import gettext as _

from landhub.core.access import is_hub_staff

from .. import rollups
from ..aggregation import ratio
from ..models import (
    Indicator,
    IndicatorAssignment,
    Measure,
    Observation,
    ObservationPart,
    ObservationStatus,
    ReportingPeriod,
    ScopeKind,
)
from ..rules import can
from .observations import _check_value, _describe, _number

# Columns of a row (the template's and the API's field names). Option columns are
# "<scheme>:<option>" (``sex:women``); a fraction's part is written "numerator/denominator".
KEY_COLUMNS = ("landscape", "period", "indicator")
INFO_COLUMNS = ("name", "unit", "expects", "current_status")  # for people; ignored on import
VALUE_COLUMNS = ("value", "numerator", "denominator")
OTHER_COLUMNS = ("not_applicable", "not_applicable_reason", "comment", "evidence_url",
                 "status", "reason", "version")  # fmt: skip
CELL_COLUMNS = (*VALUE_COLUMNS, *OTHER_COLUMNS)
OPTION_COLUMN = re.compile(r"^[a-z0-9_-]+:[a-z0-9_-]+$")
IMPORT_STATUSES = ("draft", "submitted", "approved")
# English and the words of the hub's other languages (a leader writes "sí", "oui" or "sim").
YES = {"yes", "y", "true", "1", "x", "n/a", "na", "not applicable", "sí", "si", "s", "oui",
       "sim", "no aplica", "n/d", "sans objet", "não se aplica"}  # fmt: skip
NO = {"", "no", "n", "false", "0", "non", "não", "nao"}
NA_IN_VALUE = {"n/a", "na", "not applicable", "no aplica", "n/d", "sans objet", "não se aplica"}
BATCH = 5000
QUANTUM = Decimal("0.000001")  # the six decimals the database keeps


def _cell(row: dict, key: str) -> str:
    value = row.get(key)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else ""
    return str(value).strip()


def clean_row(row: dict) -> dict:
    """A row from JSON (numbers, booleans, null) as the stripped text cells of a file."""
    return {str(key).strip().lower(): _cell(row, key) for key in row}


def _q(number):
    return None if number is None else number.quantize(QUANTUM)


def level_names(indicator: Indicator) -> list[str]:
    """The names a cell may use instead of a number: an ordinal's levels, a milestone's
    stages, no and yes."""
    if indicator.measure == Measure.YES_NO:
        return ["no", "yes"]
    return indicator.level_names


def expects(indicator: Indicator, split: bool) -> str:
    """What a row of the template expects, in words (the ``expects`` column)."""
    if indicator.is_fraction:
        text = _("numerator and denominator")
    elif names := level_names(indicator):
        text = _("one of: %(levels)s") % {"levels": ", ".join(names)}
    elif indicator.measure == Measure.COUNT:
        text = _("a whole number, 0 or more")
    elif indicator.measure in (Measure.AREA, Measure.CURRENCY):
        text = _("a number, 0 or more")
    else:
        text = _("a number")
    if split:
        return _("the parts (%(what)s each; n/d for a fraction); the total is their sum") % {
            "what": text}  # fmt: skip
    return text


@dataclass(slots=True)
class Stored:
    """An observation as stored, to compare a row with (unchanged rows are skipped)."""

    pk: int
    version: int
    status: str
    submitted_by_id: int | None
    content: tuple


@dataclass(slots=True)
class Checked:
    """One good row, ready to write; small, because a file may hold a million of them."""

    line: int
    assignment_id: int
    period_id: int
    indicator_id: int
    stored_pk: int | None
    stored_version: int | None
    old_status: str | None
    status: str
    numbers: tuple  # value, numerator, denominator
    not_applicable: bool
    not_applicable_reason: str
    comment: str
    evidence_url: str
    parts: dict | None  # option id → (value, numerator, denominator)
    reason: str


@dataclass
class _IndicatorInfo:
    indicator: Indicator
    schemes: list  # [(scheme, [(option, "scheme:option")])]
    option_keys: dict  # "scheme:option" → option
    levels: dict = field(default_factory=dict)  # lower-case name → index


class RowRejected(ValidationError):
    """Something changed between checking and writing; names the row's line."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line


class ValuesImport:
    """Checks rows of values for ``actor`` and writes the good ones in bulk.

    ``check(report, line, row)`` adds every problem of a row to ``report`` (``report.add(line,
    column, message)``) and returns a ``Checked`` or None; ``write(rows)`` writes checked rows
    inside the caller's transaction and returns how many were written.
    """

    def __init__(self, actor):
        from landhub.directory.models import Landscape
        from landhub.directory.rules import managed_landscape_ids

        self.actor = actor
        self.is_staff = is_hub_staff(actor)
        self.is_reviewer = can(actor, "mel.review")
        self.managed = managed_landscape_ids(actor)
        self.landscapes: dict[str, int] = {}
        for pk, slug, name in Landscape.objects.visible_to(actor).values_list("pk", "slug",
                                                                              "name"):  # fmt: skip
            self.landscapes.setdefault(slug, pk)
            self.landscapes.setdefault(name.lower(), pk)
        self.periods = {p.label: p for p in ReportingPeriod.objects.all()}
        self.periods_by_pk = {p.pk: p for p in self.periods.values()}
        self.indicators: dict[str, _IndicatorInfo] = {}
        self.indicators_by_pk: dict[int, _IndicatorInfo] = {}
        for indicator in Indicator.objects.prefetch_related("disaggregations__options"):
            schemes = [(s, [(o, f"{s.slug}:{o.code}") for o in s.options.all()])
                       for s in indicator.disaggregations.all()]  # fmt: skip
            info = _IndicatorInfo(
                indicator, schemes, {key: o for _s, opts in schemes for o, key in opts},
                {name.lower(): i for i, name in enumerate(level_names(indicator))},
            )  # fmt: skip
            if indicator.measure == Measure.YES_NO:
                for word, index in ((_("no"), 0), (_("yes"), 1), ("false", 0), ("true", 1)):
                    info.levels.setdefault(word.lower(), index)
            self.indicators[indicator.code.lower()] = info
            self.indicators_by_pk[indicator.pk] = info
        self._assignments: dict[int, dict] = {}
        self._stored: dict[tuple[int, int], dict] = {}
        self._period_has_values: dict[int, bool] = {}
        self.seen: dict[tuple[int, int], int] = {}
        self.skipped = 0

    # --- Lookups per landscape, loaded the first time a row names it --------------------

    def assignments(self, landscape_id: int) -> dict:
        """indicator id → (assignment id, reporter person id, reporter's user id)."""
        if landscape_id not in self._assignments:
            self._assignments[landscape_id] = {
                indicator_id: (pk, reporter_id, reporter_user_id)
                for indicator_id, pk, reporter_id, reporter_user_id in
                IndicatorAssignment.objects.filter(
                    landscape_id=landscape_id, scope_kind=ScopeKind.LANDSCAPE
                ).values_list("indicator_id", "pk", "reporter_id", "reporter__user_id")
            }  # fmt: skip
        return self._assignments[landscape_id]

    def stored(self, landscape_id: int, period_id: int) -> dict:
        """(assignment id, period id) → ``Stored`` for the landscape's observations of the
        period: only the periods a file names are read (a file of one year for every
        landscape read every landscape's whole history before, 2,000,000 rows at scale)."""
        if period_id not in self._period_has_values:
            # One cheap question per period first: a file of new periods (historical data)
            # then costs no query per landscape and period (21,000 of them in the benchmark).
            self._period_has_values[period_id] = Observation.objects.filter(
                period_id=period_id).exists()  # fmt: skip
        if not self._period_has_values[period_id]:
            return {}
        if (landscape_id, period_id) not in self._stored:
            rows = list(
                Observation.objects.filter(assignment__landscape_id=landscape_id,
                                           assignment__scope_kind=ScopeKind.LANDSCAPE,
                                           period_id=period_id)
                .values_list("pk", "assignment_id", "period_id", "version", "status",
                             "submitted_by_id", "value", "numerator", "denominator",
                             "not_applicable", "not_applicable_reason", "comment",
                             "evidence_url")
            )  # fmt: skip
            parts: dict[int, dict] = {}
            ids = [r[0] for r in rows]
            for start in range(0, len(ids), 2000):  # by ids, as rollups.py does (PostgreSQL)
                for observation_id, option_id, value, numerator, denominator in (
                    ObservationPart.objects.filter(observation_id__in=ids[start:start + 2000])
                    .values_list("observation_id", "option_id", "value", "numerator",
                                 "denominator")
                ):  # fmt: skip
                    parts.setdefault(observation_id, {})[option_id] = (
                        _q(value), _q(numerator), _q(denominator))  # fmt: skip
            self._stored[(landscape_id, period_id)] = {
                (aid, pid): Stored(pk, version, status, submitted_by,
                                   _content((_q(v), _q(n), _q(d)), na, reason, comment, url,
                                            parts.get(pk)))
                for pk, aid, pid, version, status, submitted_by, v, n, d, na, reason, comment,
                url in rows
            }  # fmt: skip
        return self._stored[(landscape_id, period_id)]

    def may_report(self, landscape_id: int, reporter_id, reporter_user_id) -> bool:
        """``mel.report`` (rules.py) without a query per row."""
        if self.is_staff:
            return True
        if reporter_id is not None:
            return reporter_user_id == self.actor.pk
        return landscape_id in self.managed

    # --- Checking ---------------------------------------------------------------------------

    def check(self, report, line: int, row: dict) -> Checked | None:
        errors_before = len(report.errors)
        get = row.get
        slug, label, code = get("landscape") or "", get("period") or "", get("indicator") or ""
        landscape_id = self.landscapes.get(slug) or self.landscapes.get(slug.lower())
        period = self.periods.get(label)
        info = self.indicators.get(code.lower())
        if landscape_id is None:
            report.add(line, "landscape", _("No landscape “%(v)s”.") % {"v": slug} if slug
                       else _("Name the landscape (its slug, as in the template)."))  # fmt: skip
        if period is None:
            report.add(line, "period", _("No reporting period “%(v)s”.") % {"v": label} if label
                       else _("Name the period (such as 2025 or 2025-Q1)."))  # fmt: skip
        if info is None:
            report.add(line, "indicator", _("No indicator “%(v)s”.") % {"v": code} if code
                       else _("Name the indicator by its code."))  # fmt: skip
        if len(report.errors) > errors_before:
            return None
        indicator = info.indicator
        assigned = self.assignments(landscape_id).get(indicator.pk)
        if assigned is None:
            report.add(line, "indicator", _("%(code)s is not measured for this landscape.")
                       % {"code": indicator.code})  # fmt: skip
            return None
        assignment_id, reporter_id, reporter_user_id = assigned
        may_report = self.may_report(landscape_id, reporter_id, reporter_user_id)
        if not (may_report or self.is_reviewer):
            report.add(line, "indicator", _("You do not report this indicator."))
            return None
        if period.kind != indicator.frequency:
            kind = indicator.get_frequency_display().lower()
            report.add(line, "period", _("%(code)s is reported %(kind)s.")
                       % {"code": indicator.code, "kind": kind})  # fmt: skip
            return None
        key = (assignment_id, period.pk)
        if key in self.seen:
            report.add(line, "indicator", _("Duplicate of line %(n)d in this file.")
                       % {"n": self.seen[key]})  # fmt: skip
            return None
        self.seen[key] = line

        errors: dict = {}
        cells = {c: get(c) or "" for c in CELL_COLUMNS}
        part_cells = {}
        for column, cell in row.items():
            if cell and ":" in column:
                if column in info.option_keys:
                    part_cells[column] = cell
                else:
                    report.add(line, column, _("%(code)s is not split by “%(column)s”.")
                               % {"code": indicator.code, "column": column})  # fmt: skip
        flag = cells["not_applicable"].lower()
        if flag not in YES | NO:
            report.add(line, "not_applicable", _("Write yes (or N/A) to mark it not applicable, "
                                                 "or leave it empty."))  # fmt: skip
        not_applicable = flag in YES or cells["value"].lower() in NA_IN_VALUE
        if not_applicable and cells["value"].lower() in NA_IN_VALUE:
            cells["value"] = ""
        entered = [c for c in VALUE_COLUMNS if cells[c]] + list(part_cells)
        if not (entered or not_applicable or cells["comment"] or cells["evidence_url"]
                or cells["status"]):  # fmt: skip
            self.skipped += 1  # an empty row of the template: nothing to change
            return None

        parts = None
        if not_applicable:
            for column in entered:
                report.add(line, column, _("“Not applicable” takes no number: leave the numbers "
                                           "empty, or clear the flag."))  # fmt: skip
            if not cells["not_applicable_reason"]:
                errors["not_applicable_reason"] = [_("Say why it does not apply.")]
            numbers = (None, None, None)
        elif info.schemes:
            numbers, parts = self._check_parts(info, part_cells, cells, errors)
        else:
            checked = self._check_one(info, cells, errors, "")
            numbers = (checked.get("value"), checked.get("numerator"), checked.get("denominator"))
        if indicator.is_fraction and not not_applicable:
            numbers = (ratio(numbers[1], numbers[2], indicator.scale)
                       if None not in numbers[1:] else None, numbers[1], numbers[2])  # fmt: skip
        # Six decimals, as the database keeps them: compared with what is stored, written as is.
        numbers = tuple(None if n is None else n.quantize(QUANTUM) for n in numbers)
        if parts is not None:
            parts = {o: tuple(None if n is None else n.quantize(QUANTUM) for n in v)
                     for o, v in parts.items()}  # fmt: skip
        url = cells["evidence_url"]
        if url:
            try:
                if len(url) > 200:
                    raise ValidationError("too long")
                URLValidator(schemes=["http", "https"])(url)
            except ValidationError:
                errors["evidence_url"] = [
                    _("Enter a web address starting with https:// or http:// (at most 200 "
                      "characters).")]  # fmt: skip
        status = cells["status"].lower()
        if status and status not in IMPORT_STATUSES:
            errors["status"] = [_("Use draft, submitted or approved (or leave it empty).")]
        elif status == ObservationStatus.APPROVED and not self.is_reviewer:
            errors["status"] = [_("Only reviewers import approved values.")]
        reason = cells["reason"]
        if len(reason) > 100:
            errors["reason"] = [_("At most 100 characters (this has %(n)d).") % {"n": len(reason)}]
        for column, messages in errors.items():
            for message in messages:
                report.add(line, self._column(info, column), message)
        if len(report.errors) > errors_before:
            return None

        content = _content(
            numbers,
            not_applicable,
            cells["not_applicable_reason"][:300],
            cells["comment"],
            url,
            {o.pk: v for o, v in parts.items()} if parts is not None else None,
        )
        stored = self.stored(landscape_id, period.pk).get(key)
        target = self._target(report, line, stored, content, status, reason, may_report,
                              cells["version"])  # fmt: skip
        if target is None:
            return None
        if period.is_locked:
            report.add(line, "period", _("%(period)s is locked; no values can change.")
                       % {"period": period.label})  # fmt: skip
            return None
        return Checked(
            line=line, assignment_id=assignment_id, period_id=period.pk,
            indicator_id=indicator.pk, stored_pk=stored.pk if stored else None,
            stored_version=stored.version if stored else None,
            old_status=stored.status if stored else None, status=target,
            numbers=numbers, not_applicable=not_applicable,
            not_applicable_reason=cells["not_applicable_reason"][:300],
            comment=cells["comment"], evidence_url=url,
            parts={o.pk: v for o, v in parts.items()} if parts is not None else None,
            reason=reason,
        )  # fmt: skip

    def _target(self, report, line, stored, content, status, reason, may_report, version):
        """The status the row leads to, or None (skipped, or refused with a message)."""
        if version and stored is not None:
            if not version.isdigit():
                report.add(line, "version", _("Enter a whole number."))
                return None
            if int(version) != stored.version:
                report.add(line, "version", _(
                    "This value changed since the template was made (now version %(v)d); "
                    "download a fresh template.") % {"v": stored.version})  # fmt: skip
                return None
        changed = stored is None or stored.content != content
        current = stored.status if stored else None
        if current == ObservationStatus.APPROVED:
            if status in (ObservationStatus.DRAFT, ObservationStatus.SUBMITTED):
                report.add(line, "status", _("An approved value stays approved."))
                return None
            if not changed:
                self.skipped += 1
                return None
            if not self.is_reviewer:
                report.add(line, "status",
                           _("An approved value is changed by the reviewers only."))  # fmt: skip
                return None
            if not reason:
                report.add(line, "reason", _("Say why an approved value changes."))
                return None
            return ObservationStatus.APPROVED
        if current == ObservationStatus.SUBMITTED:
            if changed:
                report.add(
                    line,
                    "status",
                    _("It is with the reviewers; wait until they return or approve it."),
                )
                return None
            if status == ObservationStatus.APPROVED:
                if stored.submitted_by_id == self.actor.pk:
                    report.add(line, "status", _("Someone else reviews what you submitted."))
                    return None
                return ObservationStatus.APPROVED
            if status == ObservationStatus.DRAFT:
                report.add(line, "status", _("Only a draft or a returned value is submitted."))
                return None
            self.skipped += 1
            return None
        if not may_report and status != ObservationStatus.APPROVED:
            report.add(line, "indicator", _("You do not report this indicator."))
            return None
        target = status or ObservationStatus.DRAFT
        if current is not None and not changed and (status or current) == current:
            self.skipped += 1
            return None
        if current == ObservationStatus.RETURNED and not status:
            target = ObservationStatus.DRAFT  # changed after a return: a draft again
        return target

    def _check_one(self, info, data: dict, errors: dict, prefix: str) -> dict:
        """One value (or numerator and denominator) by the measure; a level by its name."""
        if info.levels and not info.indicator.is_fraction:
            raw = data.get("value", "")
            if raw.lower() in info.levels:
                data = {**data, "value": str(info.levels[raw.lower()])}
            elif raw and _number(prefix + "value", raw, {}) is None:
                names = ", ".join(level_names(info.indicator))
                errors.setdefault(prefix + "value", []).append(
                    _("Choose one of: %(levels)s.") % {"levels": names})  # fmt: skip
                return {"value": None}
        return _check_value(info.indicator, data, errors, prefix=prefix)

    def _check_parts(self, info, part_cells: dict, cells: dict, errors: dict):
        """As ``observations._check_parts``, with the schemes already loaded."""
        indicator = info.indicator
        checked, totals = {}, {}
        for scheme, options in info.schemes:
            sums = {"value": Decimal(0), "numerator": Decimal(0), "denominator": Decimal(0)}
            for option, key in options:
                raw = part_cells.get(key, "")
                if indicator.is_fraction:
                    numerator, _slash, denominator = raw.partition("/")
                    data = {"numerator": numerator.strip(), "denominator": denominator.strip()}
                else:
                    data = {"value": raw}
                value = self._check_one(info, data, errors, f"{key}.")
                checked[option] = value
                for name, number in value.items():
                    if number is not None:
                        sums[name] += number
            totals[scheme.name] = sums
        if len({tuple(sorted(t.items())) for t in totals.values()}) > 1 and not errors:
            described = "; ".join(f"{name}: {_describe(indicator, sums)}"
                                  for name, sums in totals.items())  # fmt: skip
            errors.setdefault("parts", []).append(
                _("The disaggregations do not add up to the same total (%(totals)s).")
                % {"totals": described})  # fmt: skip
        total = next(iter(totals.values()))
        if indicator.is_fraction:
            numbers = (None, total["numerator"], total["denominator"])
            given = [("numerator", total["numerator"]), ("denominator", total["denominator"])]
        else:
            numbers = (total["value"], None, None)
            given = [("value", total["value"])]
        for column, derived in given:  # a total typed beside the parts must match them
            typed = _number(column, cells[column], errors) if cells[column] else None
            if typed is not None and not errors and typed != derived:
                errors.setdefault(column, []).append(_(
                    "The total is the sum of the parts (%(total)s); leave it empty or correct "
                    "the parts.") % {"total": f"{derived:g}"})  # fmt: skip
        parts = {option: (v.get("value"), v.get("numerator"), v.get("denominator"))
                 for option, v in checked.items()}  # fmt: skip
        return numbers, parts

    @staticmethod
    def _column(info, field_name: str) -> str:
        """The column of a service field name: ``sex:women.value`` → ``sex:women``."""
        if field_name == "parts":
            return ", ".join(info.option_keys)
        return field_name.split(".")[0]

    # --- Writing ----------------------------------------------------------------------------

    def write(self, rows, *, progress=None) -> int:
        """Write checked rows (``Checked`` or ``(line, Checked)``) inside the caller's
        transaction. Refuses (``RowRejected``) if a period was locked or a value changed since
        the check. ``progress(done)`` is called after each batch."""
        records = [r[1] if isinstance(r, tuple) else r for r in rows]
        if not records:
            return 0
        self._recheck(records)
        writer = _Writer(self.actor)
        created = [r for r in records if r.stored_pk is None]
        updated = [r for r in records if r.stored_pk is not None]
        done = 0
        for batch in (created[i : i + BATCH] for i in range(0, len(created), BATCH)):
            writer.create(batch)
            done += len(batch)
            if progress:
                progress(done)
        for batch in (updated[i : i + BATCH] for i in range(0, len(updated), BATCH)):
            writer.update(batch)
            done += len(batch)
            if progress:
                progress(done)
        # Roll-ups: once per indicator, from the earliest period an approved value changed.
        since: dict[int, ReportingPeriod] = {}
        for r in records:
            if ObservationStatus.APPROVED in (r.status, r.old_status):
                period = self.periods_by_pk[r.period_id]
                if r.indicator_id not in since or period.start < since[r.indicator_id].start:
                    since[r.indicator_id] = period
        with rollups.deferred():
            for indicator_id, period in since.items():
                rollups.recompute(self.indicators_by_pk[indicator_id].indicator, since=period)
        return len(records)

    def _recheck(self, records) -> None:
        """Inside the writing transaction: periods still open, stored values unchanged."""
        period_ids = {r.period_id for r in records}
        locked = set(ReportingPeriod.objects.select_for_update()
                     .filter(pk__in=period_ids, locked_at__isnull=False)
                     .values_list("pk", flat=True))  # fmt: skip
        for r in records:
            if r.period_id in locked:
                label = self.periods_by_pk[r.period_id].label
                raise RowRejected(r.line, _("%(period)s is locked; no values can change.")
                                  % {"period": label})  # fmt: skip
        expected = {r.stored_pk: r for r in records if r.stored_pk is not None}
        ids = list(expected)
        for start in range(0, len(ids), 2000):
            for pk, version in (Observation.objects.select_for_update()
                                .filter(pk__in=ids[start:start + 2000])
                                .values_list("pk", "version")):  # fmt: skip
                if version != expected[pk].stored_version:
                    raise RowRejected(expected[pk].line, _(
                        "Someone changed this value while the file was being checked; upload "
                        "it again."))  # fmt: skip
        # A value entered meanwhile where the file creates one: refused the same way.
        pairs = {(r.assignment_id, r.period_id): r for r in records if r.stored_pk is None}
        for key in _existing_keys(pairs):
            raise RowRejected(pairs[key].line, _(
                "Someone entered this value while the file was being checked; upload it "
                "again."))  # fmt: skip


def _existing_keys(pairs) -> list[tuple[int, int]]:
    """Which (assignment, period) pairs have an observation, with few queries."""
    found = []
    periods = sorted({p for _a, p in pairs})
    assignment_ids = sorted({a for a, _p in pairs})
    for start in range(0, len(assignment_ids), 2000):
        for key in Observation.objects.filter(
            assignment_id__in=assignment_ids[start : start + 2000], period_id__in=periods
        ).values_list("assignment_id", "period_id"):
            if key in pairs:
                found.append(key)
    return found


def _ids_of(pairs) -> dict[tuple[int, int], int]:
    """(assignment, period) → observation id, for rows just inserted."""
    ids = {}
    periods = sorted({p for _a, p in pairs})
    assignment_ids = sorted({a for a, _p in pairs})
    for start in range(0, len(assignment_ids), 2000):
        for assignment_id, period_id, pk in Observation.objects.filter(
            assignment_id__in=assignment_ids[start : start + 2000], period_id__in=periods
        ).values_list("assignment_id", "period_id", "pk"):
            ids[(assignment_id, period_id)] = pk
    return ids


def _reserve_ids(model, count: int) -> list[int] | None:
    """``count`` new ids from the table's sequence on PostgreSQL, so rows are written with
    their ids and never read back (the read-back cost 8 s a million rows there); None on
    SQLite, whose rows are read back (it has no sequence to take ids from safely)."""
    from django.db import connection

    if connection.vendor != "postgresql" or not count:
        return None
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table, model._meta.pk.column, count],
        )
        return [row[0] for row in cursor.fetchall()]


def _sql_many(sql: str, rows: list) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for start in range(0, len(rows), 10000):
            cursor.executemany(sql, rows[start : start + 10000])


def _insert(model, attnames, rows: list) -> None:
    """Append rows (tuples in the order of ``attnames``): ``COPY`` on PostgreSQL (its
    ``executemany`` took 149 s for a million-value import, against 54 s on SQLite),
    ``executemany`` elsewhere (``rollups.insert_rows``)."""
    columns = {f.attname: f.column for f in model._meta.concrete_fields}
    rollups.insert_rows(model, [columns[a] for a in attnames], rows)


def _update_sql(model, attnames) -> str:
    from django.db import connection

    qn = connection.ops.quote_name
    columns = {f.attname: f.column for f in model._meta.concrete_fields}
    return "UPDATE {} SET {} WHERE {} = %s".format(  # noqa: S608 - as above
        qn(model._meta.db_table), ", ".join(f"{qn(columns[a])} = %s" for a in attnames),
        qn(model._meta.pk.column),
    )  # fmt: skip


class _Writer:
    """Rows of observations, parts and their history written with ``executemany``.

    Why not ``bulk_create``: Django prepares every value of every row through its field
    machinery, which measured about 4,000 rows a second here, far from a million rows (plus
    as many history rows) in a minute. The statements are built from the models' metadata
    and every value is a bound parameter; history rows carry who, when, the reason and the
    kind of change exactly as django-simple-history writes them.
    """

    OBSERVATION = [f.attname for f in Observation._meta.concrete_fields if not f.primary_key]
    CHANGED = ["value", "numerator", "denominator", "not_applicable", "not_applicable_reason",
               "comment", "evidence_url", "status", "submitted_by_id", "submitted_at",
               "reviewed_by_id", "reviewed_at", "review_comment", "version",
               "updated_at"]  # fmt: skip
    PART = ["observation_id", "option_id", "value", "numerator", "denominator"]

    def __init__(self, actor):
        from django.db import connection

        self.actor = actor
        self.now = timezone.now()
        self.adapt = connection.ops.adapt_datetimefield_value
        self.now_db = self.adapt(self.now)
        self.history = Observation.history.model
        self.part_history = ObservationPart.history.model
        self.history_fields = [f.attname for f in self.history._meta.concrete_fields
                               if f.attname != "history_id"]  # fmt: skip
        self.part_history_fields = [f.attname for f in self.part_history._meta.concrete_fields
                                    if f.attname != "history_id"]  # fmt: skip
        self.imported = str(_("Imported"))

    def _apply(self, row: dict, r: Checked) -> None:
        """A row's values and status change on an observation's column dict."""
        row["value"], row["numerator"], row["denominator"] = r.numbers
        row["not_applicable"] = r.not_applicable
        row["not_applicable_reason"] = r.not_applicable_reason
        row["comment"] = r.comment
        row["evidence_url"] = r.evidence_url
        if r.status != r.old_status:
            row["status"] = r.status
            if r.status == ObservationStatus.SUBMITTED:
                row["submitted_by_id"], row["submitted_at"] = self.actor.pk, self.now_db
            elif r.status == ObservationStatus.APPROVED:
                row["reviewed_by_id"], row["reviewed_at"] = self.actor.pk, self.now_db
                row["review_comment"] = ""
        row["updated_at"] = self.now_db

    def _history_row(self, row: dict, r: Checked, kind: str) -> tuple:
        extra = {"history_date": self.now_db, "history_change_reason": r.reason or self.imported,
                 "history_type": kind, "history_user_id": self.actor.pk}  # fmt: skip
        return tuple(extra[a] if a in extra else row[a] for a in self.history_fields)

    def create(self, batch: list[Checked]) -> None:
        """New observations: one dict of columns per row, read out for both tables by
        ``itemgetter`` (the hot loop of a million-row import)."""
        now, actor_pk, imported = self.now_db, self.actor.pk, self.imported
        base = {"created_at": now, "updated_at": now, "version": 1, "submitted_by_id": None,
                "submitted_at": None, "reviewed_by_id": None, "reviewed_at": None,
                "review_comment": "", "history_date": now, "history_type": "+",
                "history_user_id": actor_pk}  # fmt: skip
        rows = []
        for r in batch:
            value, numerator, denominator = r.numbers
            row = {**base, "assignment_id": r.assignment_id, "period_id": r.period_id,
                   "status": r.status, "value": value, "numerator": numerator,
                   "denominator": denominator, "not_applicable": r.not_applicable,
                   "not_applicable_reason": r.not_applicable_reason, "comment": r.comment,
                   "evidence_url": r.evidence_url,
                   "history_change_reason": r.reason or imported}  # fmt: skip
            if r.status == ObservationStatus.SUBMITTED:
                row["submitted_by_id"], row["submitted_at"] = actor_pk, now
            elif r.status == ObservationStatus.APPROVED:
                row["reviewed_by_id"], row["reviewed_at"] = actor_pk, now
            rows.append(row)
        reserved = _reserve_ids(Observation, len(rows))
        if reserved is not None:
            for row, pk in zip(rows, reserved, strict=True):
                row["id"] = pk
            columns = itemgetter("id", *self.OBSERVATION)
            _insert(Observation, ["id", *self.OBSERVATION], [columns(row) for row in rows])
        else:
            columns = itemgetter(*self.OBSERVATION)
            _insert(Observation, self.OBSERVATION, [columns(row) for row in rows])
            ids = _ids_of({(r.assignment_id, r.period_id) for r in batch})
            for row in rows:
                row["id"] = ids[(row["assignment_id"], row["period_id"])]
        columns = itemgetter(*self.history_fields)
        _insert(self.history, self.history_fields, [columns(row) for row in rows])
        new_parts = [(row["id"], option_id, v, n, d, r)
                     for row, r in zip(rows, batch, strict=True) if r.parts
                     for option_id, (v, n, d) in r.parts.items()]  # fmt: skip
        self._insert_parts(new_parts)

    def _insert_parts(self, parts: list[tuple]) -> None:
        """Insert parts ``(observation id, option id, value, numerator, denominator, row)``
        and their history."""
        if not parts:
            return
        reserved = _reserve_ids(ObservationPart, len(parts))
        if reserved is not None:
            _insert(ObservationPart, ["id", *self.PART],
                    [(pk, *p[:5]) for pk, p in zip(reserved, parts, strict=True)])  # fmt: skip
            _insert(self.part_history, self.part_history_fields,
                    [self._part_history(pk, p, "+")
                     for pk, p in zip(reserved, parts, strict=True)])  # fmt: skip
            return
        _insert(ObservationPart, self.PART, [p[:5] for p in parts])
        by_key = {(p[0], p[1]): p for p in parts}
        observation_ids = sorted({p[0] for p in parts})
        history = []
        for start in range(0, len(observation_ids), 2000):
            for pk, observation_id, option_id in ObservationPart.objects.filter(
                observation_id__in=observation_ids[start : start + 2000]
            ).values_list("pk", "observation_id", "option_id"):
                part = by_key.get((observation_id, option_id))
                if part is not None:
                    history.append(self._part_history(pk, part, "+"))
        _insert(self.part_history, self.part_history_fields, history)

    def _part_history(self, pk, part: tuple, kind: str) -> tuple:
        observation_id, option_id, value, numerator, denominator, r = part
        row = {"id": pk, "value": value, "numerator": numerator, "denominator": denominator,
               "observation_id": observation_id, "option_id": option_id,
               "history_date": self.now_db, "history_change_reason": r.reason or self.imported,
               "history_type": kind, "history_user_id": self.actor.pk}  # fmt: skip
        return tuple(row[a] for a in self.part_history_fields)

    def update(self, batch: list[Checked]) -> None:
        fields = ["id", *self.OBSERVATION]
        stored = {
            row["id"]: row
            for row in Observation.objects.filter(pk__in=[r.stored_pk for r in batch]).values(
                *fields
            )
        }
        for row in stored.values():  # read back as Python values: written back as the DB's
            for name in ("created_at", "submitted_at", "reviewed_at"):
                row[name] = self.adapt(row[name]) if row[name] is not None else None
        updates, history = [], []
        for r in batch:
            row = stored[r.stored_pk]
            self._apply(row, r)
            row["version"] += 1
            updates.append((*(row[a] for a in self.CHANGED), row["id"]))
            history.append(self._history_row(row, r, "~"))
        _sql_many(_update_sql(Observation, self.CHANGED), updates)
        _insert(self.history, self.history_fields, history)
        stored_parts = {(p["observation_id"], p["option_id"]): p for p in
                        ObservationPart.objects.filter(observation_id__in=list(stored))
                        .values("id", *self.PART)}  # fmt: skip
        new, edited, gone = [], [], []
        for r in batch:
            wanted = r.parts or {}
            for option_id, (v, n, d) in wanted.items():
                part = (r.stored_pk, option_id, v, n, d, r)
                old = stored_parts.get((r.stored_pk, option_id))
                if old is None:
                    new.append(part)
                elif (_q(old["value"]), _q(old["numerator"]), _q(old["denominator"])) != part[2:5]:
                    edited.append((old["id"], part))
            gone += [p["id"] for (observation_id, option_id), p in stored_parts.items()
                     if observation_id == r.stored_pk and option_id not in wanted]  # fmt: skip
        self._insert_parts(new)
        if edited:
            _sql_many(_update_sql(ObservationPart, ["value", "numerator", "denominator"]),
                      [(*part[2:5], pk) for pk, part in edited])  # fmt: skip
            _insert(self.part_history, self.part_history_fields,
                      [self._part_history(pk, part, "~") for pk, part in edited])  # fmt: skip
        for part in ObservationPart.objects.filter(pk__in=gone):  # rare: one by one, with history
            part._history_user = self.actor
            part.delete()


def _content(numbers, not_applicable, reason, comment, url, parts) -> tuple:
    """What a row says, comparable with what is stored (unchanged rows are skipped)."""
    return (numbers if not numbers or numbers[1] is None else (None, *numbers[1:]),
            bool(not_applicable), reason or "", comment or "", url or "",
            tuple(sorted((parts or {}).items())))  # fmt: skip
