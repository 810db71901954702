"""Writes of the indicator library."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from landhub.core.versioning import save_versioned

from ..models import (
    Indicator,
    Measure,
)
from ..rules import can

INDICATOR_FIELDS = {
    "code", "name", "definition", "measure", "unit", "currency", "levels", "direction",
    "aggregation", "cumulative_mode", "threshold", "data_source", "method", "frequency",
    "sdg_code", "landscale_code", "four_returns", "iati_code",
}  # fmt: skip


def _check_indicator(indicator) -> None:
    """Rules that tie the fields together, each with its sentence."""
    from ..models import AggregationRule

    errors: dict = {}
    if indicator.is_fraction and indicator.aggregation not in (
        AggregationRule.WEIGHTED_AVERAGE, AggregationRule.COUNT_MEETING,
    ):  # fmt: skip
        errors["aggregation"] = [_("Percentages and ratios combine as Σ numerators / Σ "
                                   "denominators: choose the weighted average.")]  # fmt: skip
    if indicator.aggregation == AggregationRule.COUNT_MEETING and indicator.threshold is None:
        errors["threshold"] = [_("Give the threshold the scopes must meet.")]
    if indicator.measure == Measure.CURRENCY:
        code = (indicator.currency or "").upper()
        if len(code) != 3 or not code.isalpha():
            errors["currency"] = [_("Give the ISO 4217 code of the currency, e.g. USD.")]
        indicator.currency = code
    elif indicator.currency:
        indicator.currency = ""
    if indicator.measure == Measure.ORDINAL:
        levels = [str(level).strip() for level in indicator.levels or [] if str(level).strip()]
        if len(levels) < 2:
            errors["levels"] = [_("Name at least two levels, lowest first.")]
        indicator.levels = levels
    elif indicator.measure != Measure.ORDINAL:
        indicator.levels = []
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def indicator_create(*, actor, schemes=(), **fields):
    from ..models import Indicator

    if not can(actor, "mel.manage"):
        raise PermissionDenied(_("Hub staff keep the indicator library."))
    unknown = set(fields) - INDICATOR_FIELDS
    if unknown:
        raise ValidationError({sorted(unknown)[0]: _("This field cannot be set here.")})
    indicator = Indicator(**fields)
    indicator.code = (indicator.code or "").strip().upper()
    _check_indicator(indicator)
    indicator.full_clean()
    indicator._history_user = actor
    indicator.save()
    indicator.disaggregations.set(schemes)
    return indicator


@transaction.atomic
def indicator_update(*, actor, indicator, version: int | None, schemes=None, reason: str = "",
                     adaptation=None, **fields):  # fmt: skip
    """Change a definition. Once values were reported against it, the measure and the way
    values combine stay as they are (they would change the meaning of approved data).

    ``adaptation``: the ``AdaptationDecision`` (learning loop) this change is made because
    of; an ``AdaptationRevision`` ties them, and the decision is the reason if none is typed.
    """
    from .learning import adaptation_reason, check_adaptation, revision_record

    if not can(actor, "mel.manage"):
        raise PermissionDenied(_("Hub staff keep the indicator library."))
    check_adaptation(adaptation)
    if adaptation is not None and not (reason or "").strip():
        reason = adaptation_reason(adaptation)
    before = {name: getattr(indicator, name) for name in INDICATOR_FIELDS}
    schemes_before = (set(indicator.disaggregations.values_list("pk", flat=True))
                      if adaptation is not None and schemes is not None else None)  # fmt: skip
    unknown = set(fields) - INDICATOR_FIELDS
    if unknown:
        raise ValidationError({sorted(unknown)[0]: _("This field cannot be set here.")})
    if indicator.assignments.filter(observations__isnull=False).exists():
        fixed: list[str] = [f for f in ("measure", "aggregation", "cumulative_mode", "frequency")
                 if f in fields and fields[f] != getattr(indicator, f)]  # fmt: skip
        if fixed or (schemes is not None and
                     {s.pk for s in schemes} != set(indicator.disaggregations.values_list(
                         "pk", flat=True))):  # fmt: skip
            raise ValidationError({(fixed or ["disaggregations"])[0]: _(
                "Values have been reported against this indicator; make a new indicator "
                "(a new code) instead of changing how it is measured.")})  # fmt: skip
    for key, value in fields.items():
        setattr(indicator, key, value)
    indicator.code = (indicator.code or "").strip().upper()
    _check_indicator(indicator)
    indicator.full_clean()
    indicator._history_user = actor
    indicator._change_reason = (reason or "").strip()[:100] or None
    save_versioned(indicator, expected_version=version)
    if schemes is not None:
        indicator.disaggregations.set(schemes)
    if adaptation is not None:
        changed = [str(Indicator._meta.get_field(name).verbose_name)
                   for name in sorted(INDICATOR_FIELDS)
                   if getattr(indicator, name) != before[name]]  # fmt: skip
        if schemes_before is not None and schemes_before != {s.pk for s in schemes}:
            changed.append(str(_("disaggregations")))
        summary = (_("Indicator %(code)s changed: %(fields)s") % {
            "code": indicator.code, "fields": ", ".join(changed)} if changed else
            _("Indicator %(code)s saved without a change") % {"code": indicator.code})  # fmt: skip
        revision_record(actor=actor, decision=adaptation, indicator=indicator, summary=summary)
    return indicator
