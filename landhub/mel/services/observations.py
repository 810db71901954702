"""Writes of observations and their review (periods: ``periods.py``).

An observation goes draft → submitted → returned (with a comment) → … → approved. Values are
checked by the indicator's measure; with disaggregations the total is derived from the parts,
so they always add up. Approving writes the roll-ups in the same transaction. An approved value
changes only by a reviewer with a written reason, kept in the history with the old and new
value. Nothing is entered into a locked period.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from landhub.core.versioning import save_versioned

from .. import rollups
from ..models import (
    IndicatorAssignment,
    Measure,
    Observation,
    ObservationPart,
    ObservationStatus,
    ReportingPeriod,
)
from ..rules import can

MAX_NUMBER = Decimal("1e17")  # 24 digits with 6 decimals


def _number(field: str, raw, errors: dict, *, whole=False, minimum=None) -> Decimal | None:
    """A number where a number is due: no text, no NaN, no thousands of digits."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    try:
        number = Decimal(str(raw).strip().replace(",", "")) if isinstance(raw, str) else (
            Decimal(str(raw)))  # fmt: skip
    except (InvalidOperation, ValueError):
        errors.setdefault(field, []).append(_("Enter a number."))
        return None
    if not number.is_finite() or abs(number) >= MAX_NUMBER:
        errors.setdefault(field, []).append(_("Enter a number."))
        return None
    if whole and number != number.to_integral_value():
        errors.setdefault(field, []).append(_("Enter a whole number."))
    if minimum is not None and number < minimum:
        errors.setdefault(field, []).append(_("Enter %(min)s or more.") % {"min": minimum})
    return number


def _check_value(indicator, data: dict, errors: dict, prefix: str = "") -> dict:
    """``{"value"| "numerator" + "denominator": Decimal}`` for one value of ``indicator``."""
    measure = indicator.measure
    if indicator.is_fraction:
        numerator = _number(prefix + "numerator", data.get("numerator"), errors, minimum=0)
        denominator = _number(prefix + "denominator", data.get("denominator"), errors, minimum=0)
        if numerator is None or denominator is None:
            missing = prefix + ("numerator" if numerator is None else "denominator")
            message = _("Enter both the numerator and the denominator.")
            errors.setdefault(missing, []).append(message)
        elif measure == Measure.PERCENTAGE and numerator > denominator:
            errors.setdefault(prefix + "numerator", []).append(
                _("The numerator cannot be larger than the denominator.")
            )
        return {"numerator": numerator, "denominator": denominator}
    levels = indicator.level_names
    whole = measure in (Measure.COUNT, Measure.ORDINAL, Measure.YES_NO, Measure.MILESTONE)
    minimum = 0 if measure in (Measure.COUNT, Measure.AREA, Measure.CURRENCY) or levels else None
    value = _number(prefix + "value", data.get("value"), errors, whole=whole, minimum=minimum)
    if value is None and (prefix + "value") not in errors:
        errors.setdefault(prefix + "value", []).append(
            _("Enter a value, or mark it not applicable.")
        )
    top = len(levels) - 1 if levels else (1 if measure == Measure.YES_NO else None)
    if value is not None and top is not None and value > top:
        errors.setdefault(prefix + "value", []).append(
            _("Choose a level from 0 to %(top)d.") % {"top": top}
        )
    return {"value": value}


def _check_parts(indicator, parts: dict, errors: dict) -> tuple[dict, dict]:
    """Every option of every scheme has its value; each scheme adds up to the same total,
    which becomes the observation's total. Returns (total, {option: value})."""
    checked, totals = {}, {}
    for scheme in indicator.disaggregations.prefetch_related("options"):
        sums = {"value": Decimal(0), "numerator": Decimal(0), "denominator": Decimal(0)}
        for option in scheme.options.all():
            key = f"{scheme.slug}:{option.code}"
            value = _check_value(indicator, parts.get(key) or {}, errors, prefix=f"{key}.")
            checked[option] = value
            for field, number in value.items():
                if number is not None:
                    sums[field] += number
        totals[scheme.name] = sums
    distinct = {tuple(sorted(t.items())) for t in totals.values()}
    if len(distinct) > 1 and not errors:
        described = "; ".join(
            f"{name}: {_describe(indicator, sums)}" for name, sums in totals.items()
        )
        errors.setdefault("parts", []).append(
            _("The disaggregations do not add up to the same total (%(totals)s).")
            % {"totals": described}
        )
    total = next(iter(totals.values())) if totals else {}
    if indicator.is_fraction:
        return {
            "numerator": total.get("numerator"),
            "denominator": total.get("denominator"),
        }, checked
    return {"value": total.get("value")}, checked


def _describe(indicator, sums) -> str:
    if indicator.is_fraction:
        return f"{sums['numerator']:g}/{sums['denominator']:g}"
    return f"{sums['value']:g}"


def _may_report(actor, assignment) -> None:
    if not can(actor, "mel.report", assignment):
        raise PermissionDenied(_("You do not report this indicator."))


def _open_period(period: ReportingPeriod) -> None:
    if period.is_locked:
        raise ValidationError({"period": _("%(period)s is locked; no values can change.")
                               % {"period": period.label}})  # fmt: skip


@transaction.atomic
def observation_save(
    *, actor, assignment: IndicatorAssignment, period: ReportingPeriod,
    version: int | None = None, value=None, numerator=None, denominator=None,
    parts: dict | None = None, not_applicable: bool = False, not_applicable_reason: str = "",
    comment: str = "", evidence_url: str = "", reason: str = "",
) -> Observation:  # fmt: skip
    """Enter or change the value of ``assignment`` for ``period``.

    ``parts`` maps ``"<scheme>:<option>"`` to ``{"value": …}`` (or numerator/denominator);
    with disaggregations the total is their sum. An approved value changes only by a reviewer
    and with a ``reason``; it stays approved and the roll-ups follow.
    """
    period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    _open_period(period)
    indicator = assignment.indicator
    observation = (
        Observation.objects.select_for_update().filter(assignment=assignment, period=period)
        .first() or Observation(assignment=assignment, period=period)
    )  # fmt: skip
    was_approved = observation.status == ObservationStatus.APPROVED
    if was_approved:
        if not can(actor, "mel.review"):
            raise PermissionDenied(_("An approved value is changed by the reviewers only."))
        if not (reason or "").strip():
            raise ValidationError({"reason": _("Say why an approved value changes.")})
    else:
        _may_report(actor, assignment)
        if observation.status == ObservationStatus.SUBMITTED:
            raise ValidationError(
                {"status": _("It is with the reviewers; wait until they return or approve it.")}
            )
    if period.kind != indicator.frequency:
        kind = indicator.get_frequency_display().lower()
        message = _("%(code)s is reported %(kind)s.") % {"code": indicator.code, "kind": kind}
        raise ValidationError({"period": message})
    errors: dict = {}
    checked_parts: dict = {}
    if not_applicable:
        if not (not_applicable_reason or "").strip():
            errors["not_applicable_reason"] = [_("Say why it does not apply.")]
        numbers = {"value": None, "numerator": None, "denominator": None}
    elif indicator.disaggregations.exists():
        numbers, checked_parts = _check_parts(indicator, parts or {}, errors)
    else:
        numbers = _check_value(indicator, {"value": value, "numerator": numerator,
                                           "denominator": denominator}, errors)  # fmt: skip
    if evidence_url:
        from django.core.validators import URLValidator

        try:
            URLValidator(schemes=["http", "https"])(evidence_url)
        except ValidationError:
            errors["evidence_url"] = [_("Enter a web address starting with https:// or http://.")]
    if errors:
        raise ValidationError(errors)
    observation.value = numbers.get("value")
    observation.numerator = numbers.get("numerator")
    observation.denominator = numbers.get("denominator")
    if indicator.is_fraction and not not_applicable:
        from ..aggregation import ratio

        observation.value = ratio(observation.numerator, observation.denominator,
                                  indicator.scale)  # fmt: skip
    observation.not_applicable = not_applicable
    observation.not_applicable_reason = (not_applicable_reason or "").strip()[:300]
    observation.comment = (comment or "").strip()
    observation.evidence_url = evidence_url
    if observation.status == ObservationStatus.RETURNED:
        observation.status = ObservationStatus.DRAFT
    observation._history_user = actor
    observation._change_reason = (reason or "").strip()[:100] or None
    if observation.pk:
        save_versioned(observation, expected_version=version)
    else:
        observation.save()
    observation.parts.exclude(option__in=list(checked_parts)).delete()
    for option, number in checked_parts.items():
        ObservationPart.objects.update_or_create(
            observation=observation, option=option,
            defaults={"value": number.get("value"), "numerator": number.get("numerator"),
                      "denominator": number.get("denominator")},
        )  # fmt: skip
    if was_approved:
        rollups.recompute(indicator, since=period)
    return observation


@transaction.atomic
def observation_submit(*, actor, observation: Observation, version: int | None) -> Observation:
    observation = Observation.objects.select_for_update().get(pk=observation.pk)
    _may_report(actor, observation.assignment)
    _open_period(observation.period)
    if observation.status not in (ObservationStatus.DRAFT, ObservationStatus.RETURNED):
        raise ValidationError({"status": _("Only a draft or a returned value is submitted.")})
    if not observation.not_applicable and observation.value is None:
        raise ValidationError({"value": _("Enter a value, or mark it not applicable.")})
    observation.status = ObservationStatus.SUBMITTED
    observation.submitted_by = actor
    observation.submitted_at = timezone.now()
    observation._history_user = actor
    save_versioned(observation, expected_version=version)
    return observation


def _review(actor, observation: Observation) -> Observation:
    observation = Observation.objects.select_for_update().get(pk=observation.pk)
    if not can(actor, "mel.review"):
        raise PermissionDenied(_("Only reviewers approve or return values."))
    _open_period(observation.period)
    if observation.status != ObservationStatus.SUBMITTED:
        raise ValidationError({"status": _("Only a submitted value is reviewed.")})
    if observation.submitted_by_id == actor.pk:
        raise PermissionDenied(_("Someone else reviews what you submitted."))
    return observation


@transaction.atomic
def observation_return(*, actor, observation: Observation, version: int | None,
                       comment: str) -> Observation:  # fmt: skip
    observation = _review(actor, observation)
    if not (comment or "").strip():
        raise ValidationError({"review_comment": _("Say what needs to change.")})
    observation.status = ObservationStatus.RETURNED
    observation.review_comment = comment.strip()
    observation.reviewed_by = actor
    observation.reviewed_at = timezone.now()
    observation._history_user = actor
    save_versioned(observation, expected_version=version)
    return observation


@transaction.atomic
def observation_approve(*, actor, observation: Observation, version: int | None) -> Observation:
    """Approve a submitted value and bring the roll-ups up to date in the same transaction."""
    observation = _review(actor, observation)
    observation.status = ObservationStatus.APPROVED
    observation.review_comment = ""
    observation.reviewed_by = actor
    observation.reviewed_at = timezone.now()
    observation._history_user = actor
    save_versioned(observation, expected_version=version)
    rollups.recompute(observation.assignment.indicator, since=observation.period)
    return observation
