"""Writes of indicator assignments, their baselines and their targets.

An assignment gives an indicator to one scope: the initiative, a landscape or a partner. Hub
staff create and remove them (many landscapes at once: a region's, or a chosen list); a
landscape's leaders and managers set the baseline and the targets of their own landscape's
assignments (``mel.plan``). Every number is checked by the indicator's measure with the same
checks as reported values (``observations._number`` / ``_check_value``). Once values of an
assignment are approved, its baseline and targets change only with a written reason, kept in
the history (``_change_reason``) like every other change of approved MEL data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from landhub.core.versioning import check_version, save_versioned

from .. import rollups
from ..aggregation import ratio
from ..models import (
    FrameworkNode,
    IndicatorAssignment,
    Measure,
    ObservationStatus,
    ReportingPeriod,
    ScopeKind,
    Target,
)
from ..rules import can
from .observations import _check_value, _number


class _Unset:
    """Marks an argument that was not given (a PATCH that leaves the field as it is)."""

    def __repr__(self) -> str:
        return "UNSET"


UNSET = _Unset()

BASELINE_KEYS = ("value", "numerator", "denominator", "date", "source", "not_available", "reason")


@dataclass
class AssignResult:
    """What ``assignment_create`` did: the new assignments and the scopes it skipped."""

    created: list = field(default_factory=list)
    skipped: list = field(default_factory=list)  # scopes that already had the indicator

    @property
    def message(self) -> str:
        made = ngettext("%(n)d assignment created.", "%(n)d assignments created.",
                        len(self.created)) % {"n": len(self.created)}  # fmt: skip
        if not self.skipped:
            return made
        skipped = ngettext("%(n)d skipped: already assigned.", "%(n)d skipped: already assigned.",
                           len(self.skipped)) % {"n": len(self.skipped)}  # fmt: skip
        return f"{made} {skipped}"


# --- checks ----------------------------------------------------------------------------------


def _may_manage(actor) -> None:
    if not can(actor, "mel.manage"):
        raise PermissionDenied(_("Hub staff assign and remove indicators."))


def _may_plan(actor, assignment) -> None:
    if not can(actor, "mel.plan", assignment):
        raise PermissionDenied(
            _("Hub staff, and a landscape's leaders and managers for their own landscape, set "
              "baselines and targets.")
        )  # fmt: skip


def _check_node(node, *, landscapes=(), error_key="node") -> None:
    """The node belongs to the initiative's framework, or to the assigned landscape's own."""
    if node is None:
        return
    landscape_id = node.framework.landscape_id
    if landscape_id is None:
        return
    if landscapes and all(ls.pk == landscape_id for ls in landscapes):
        return
    message = _("Choose a node of the initiative's framework or of this landscape's own framework.")
    raise ValidationError({error_key: [message]})


def _check_reporter(reporter, *, scope_kind, landscape=None, organization=None) -> None:
    """The person named as reporter may report for the scope: a current member of the
    landscape or the partner (hub staff for the initiative), with an account to sign in."""
    if reporter is None:
        return
    from landhub.core.access import is_hub_staff
    from landhub.directory.models import LandscapeMembership, OrganizationMembership

    def _current(qs):
        today = timezone.localdate()
        return qs.filter(Q(end_date__isnull=True) | Q(end_date__gte=today))

    if reporter.user_id is None:
        raise ValidationError(
            {
                "reporter": _("%(name)s has no account on the hub, so cannot report.")
                % {"name": reporter.name}
            }
        )
    if scope_kind == ScopeKind.LANDSCAPE:
        ok = _current(LandscapeMembership.objects.filter(person=reporter,
                                                         landscape=landscape)).exists()  # fmt: skip
        message = _("%(name)s is not a member of %(scope)s.")
    elif scope_kind == ScopeKind.ORGANIZATION:
        ok = _current(OrganizationMembership.objects.filter(
            person=reporter, organization=organization)).exists()  # fmt: skip
        message = _("%(name)s is not a member of %(scope)s.")
    else:
        ok = is_hub_staff(reporter.user)
        message = _("%(name)s is not hub staff; the initiative's values are reported by the "
                    "hub.")  # fmt: skip
    if not ok:
        scope = landscape or organization or ""
        raise ValidationError({"reporter": message % {"name": reporter.name, "scope": scope}})


def _has_approved_values(assignment) -> bool:
    return assignment.observations.filter(status=ObservationStatus.APPROVED).exists()


def _reason_if_approved(assignment, reason: str, *, baseline: bool) -> str | None:
    """Approved values were measured against this baseline and these targets: say why."""
    reason = (reason or "").strip()[:100]
    if not reason and _has_approved_values(assignment):
        message = (
            _("Values of this assignment are approved; say why its baseline changes.")
            if baseline
            else _("Values of this assignment are approved; say why its targets change.")
        )
        raise ValidationError({"reason": [message]})
    return reason or None


def _date(raw, errors: dict, key: str):
    if raw in (None, ""):
        return None
    if isinstance(raw, dt.date):
        return raw
    try:
        return dt.date.fromisoformat(str(raw).strip())
    except ValueError:
        errors.setdefault(key, []).append(_("Enter a date as YYYY-MM-DD."))
        return None


def check_baseline(indicator, baseline: dict) -> dict:
    """The model fields of a baseline: a value checked by the measure (numerator and
    denominator for a fraction, the value derived) with its date and source, or "not
    available" with a reason and no number. Empty: no baseline yet. Field errors are keyed
    ``baseline_<name>``."""
    errors: dict = {}
    data = {key: baseline.get(key) for key in BASELINE_KEYS}
    text = {k: ("" if data[k] is None else str(data[k]).strip())
            for k in ("value", "numerator", "denominator")}  # fmt: skip
    number_keys = ("numerator", "denominator") if indicator.is_fraction else ("value",)
    has_number = any(text[k] for k in number_keys)
    source = (data["source"] or "").strip()
    date = _date(data["date"], errors, "baseline_date")
    fields = {"baseline_value": None, "baseline_numerator": None, "baseline_denominator": None,
              "baseline_date": date, "baseline_source": source[:300],
              "baseline_missing_reason": ""}  # fmt: skip
    if data["not_available"]:
        reason = (data["reason"] or "").strip()
        if not reason:
            errors["baseline_reason"] = [_("Say why there is no baseline.")]
        if has_number:
            errors.setdefault("baseline_" + number_keys[0], []).append(
                _("A baseline is either a number or not available, not both.")
            )
        fields["baseline_missing_reason"] = reason[:300]
    elif has_number:
        checked: dict = {}
        numbers = _check_value(indicator, {k: data[k] for k in number_keys}, checked)
        for key, messages in checked.items():
            errors.setdefault(f"baseline_{key}", []).extend(messages)
        if date is None and "baseline_date" not in errors:
            errors["baseline_date"] = [_("Give the date the baseline was measured.")]
        if not errors:
            if indicator.is_fraction:
                fields["baseline_numerator"] = numbers["numerator"]
                fields["baseline_denominator"] = numbers["denominator"]
                fields["baseline_value"] = ratio(numbers["numerator"], numbers["denominator"],
                                                 indicator.scale)  # fmt: skip
            else:
                fields["baseline_value"] = numbers["value"]
    elif date or source:
        errors["baseline_" + number_keys[0]] = [
            _("Enter the baseline, or mark it not available with a reason.")
        ]
    if errors:
        raise ValidationError(errors)
    return fields


def check_target(indicator, raw) -> object:
    """A target value by the measure: a percentage from 0 to 100 (the derived value), a level
    of an ordinal scale or a milestone, 0 or 1 for yes/no, no negative count or area."""
    errors: dict = {}
    if raw is None or not str(raw).strip():
        raise ValidationError({"value": [_("Enter the target.")]})
    if indicator.is_fraction:
        value = _number("value", raw, errors, minimum=0)
        if (value is not None and indicator.measure == Measure.PERCENTAGE and value > 100
                and not errors):  # fmt: skip
            errors["value"] = [_("Enter a percentage from 0 to 100.")]
    else:
        value = _check_value(indicator, {"value": raw}, errors)["value"]
    if errors:
        raise ValidationError(errors)
    return value


# --- services --------------------------------------------------------------------------------


@transaction.atomic
def assignment_create(
    *, actor, indicator, scope_kind: str, landscapes=(), region: str = "",
    organization=None, node: FrameworkNode | None = None, reporter=None,
) -> AssignResult:  # fmt: skip
    """Assign ``indicator`` to the initiative, a partner, or landscapes: a chosen list and/or
    every active landscape of ``region``. Scopes that already have it are skipped (and
    counted); everything else is created in one transaction. A reporter is named only for a
    single scope."""
    from landhub.directory.models import Landscape

    _may_manage(actor)
    if indicator.archived_at is not None:
        raise ValidationError({"indicator": _("This indicator is archived.")})
    result = AssignResult()
    scopes: list[dict] = []
    if scope_kind == ScopeKind.INITIATIVE:
        scopes = [{}]
    elif scope_kind == ScopeKind.ORGANIZATION:
        if organization is None:
            raise ValidationError({"organization": _("Choose the partner.")})
        scopes = [{"organization": organization}]
    elif scope_kind == ScopeKind.LANDSCAPE:
        chosen = {ls.pk: ls for ls in landscapes}
        if region:
            for ls in Landscape.objects.active().filter(region=region):
                chosen.setdefault(ls.pk, ls)
            if not chosen:
                raise ValidationError({"region": _("No active landscape is in %(region)s.")
                                       % {"region": region}})  # fmt: skip
        if not chosen:
            raise ValidationError({"landscapes": _("Choose landscapes, or a region.")})
        archived = [ls.name for ls in chosen.values() if ls.archived_at is not None]
        if archived:
            raise ValidationError({"landscapes": _("Archived: %(names)s.")
                                   % {"names": ", ".join(sorted(archived))}})  # fmt: skip
        scopes = [{"landscape": ls} for ls in sorted(chosen.values(), key=lambda ls: ls.name)]
    else:
        raise ValidationError({"scope_kind": _("Choose the initiative, landscapes or a partner.")})
    if reporter is not None and len(scopes) > 1:
        raise ValidationError({"reporter": _(
            "Name a reporter when assigning one scope; with many landscapes each landscape's "
            "leaders and managers report.")})  # fmt: skip
    _check_node(node, landscapes=[s["landscape"] for s in scopes if "landscape" in s])
    if scopes and reporter is not None:
        _check_reporter(reporter, scope_kind=scope_kind, **scopes[0])
    existing = IndicatorAssignment.objects.filter(indicator=indicator, scope_kind=scope_kind)
    if scope_kind == ScopeKind.LANDSCAPE:
        taken = set(existing.filter(landscape__in=[s["landscape"] for s in scopes])
                    .values_list("landscape_id", flat=True))  # fmt: skip
    elif scope_kind == ScopeKind.ORGANIZATION:
        taken = set(existing.filter(organization=organization)
                    .values_list("organization_id", flat=True))  # fmt: skip
    else:
        taken = {None} if existing.exists() else set()
    for scope in scopes:
        target = scope.get("landscape") or scope.get("organization")
        if (target.pk if target is not None else None) in taken:
            result.skipped.append(target or _("The initiative"))
            continue
        assignment = IndicatorAssignment(indicator=indicator, scope_kind=scope_kind, node=node,
                                         reporter=reporter, **scope)  # fmt: skip
        assignment._history_user = actor
        assignment.save()
        result.created.append(assignment)
    return result


@transaction.atomic
def assignment_update(
    *, actor, assignment: IndicatorAssignment, version: int | None,
    node=UNSET, reporter=UNSET, baseline=UNSET, reason: str = "",
) -> IndicatorAssignment:  # fmt: skip
    """Change the node, the reporter (hub staff) or the baseline (``mel.plan``).

    ``baseline`` is a dict of ``BASELINE_KEYS`` (see ``check_baseline``); an empty dict clears
    it. Arguments left out stay as they are. A stale ``version`` raises ``ConflictError``.
    """
    assignment = IndicatorAssignment.objects.select_related(
        "indicator", "landscape", "organization").get(pk=assignment.pk)  # fmt: skip
    _may_plan(actor, assignment)
    check_version(assignment, version)
    structural = (node is not UNSET and getattr(node, "pk", None) != assignment.node_id) or (
        reporter is not UNSET and getattr(reporter, "pk", None) != assignment.reporter_id
    )
    if structural:
        if not can(actor, "mel.manage"):
            raise PermissionDenied(_("Hub staff change the framework node and the reporter."))
        if node is not UNSET:
            _check_node(node, landscapes=[assignment.landscape] if assignment.landscape else [])
            assignment.node = node
        if reporter is not UNSET:
            _check_reporter(reporter, scope_kind=assignment.scope_kind,
                            landscape=assignment.landscape,
                            organization=assignment.organization)  # fmt: skip
            assignment.reporter = reporter
    change_reason = (reason or "").strip()[:100] or None
    baseline_changed = False
    if baseline is not UNSET:
        fields = check_baseline(assignment.indicator, baseline or {})
        baseline_changed = any(getattr(assignment, k) != v for k, v in fields.items())
        if baseline_changed:
            change_reason = _reason_if_approved(assignment, reason, baseline=True)
            for key, value in fields.items():
                setattr(assignment, key, value)
    if not (structural or baseline_changed):
        return assignment  # nothing changed: no new version, no empty history entry
    assignment._history_user = actor
    assignment._change_reason = change_reason
    save_versioned(assignment, expected_version=version)
    if baseline_changed:
        rollups.recompute_plan(assignment.indicator)  # the dashboards' baselines follow
    return assignment


@transaction.atomic
def assignment_remove(*, actor, assignment: IndicatorAssignment) -> None:
    """Remove an assignment and its targets; refused once values were reported for it (they
    would lose what they measure)."""
    _may_manage(actor)
    assignment = IndicatorAssignment.objects.select_for_update().get(pk=assignment.pk)
    reported = assignment.observations.count()
    if reported:
        raise ValidationError({"assignment": ngettext(
            "%(n)d value has been reported for it, so it stays; the values would lose what "
            "they measure.",
            "%(n)d values have been reported for it, so it stays; the values would lose what "
            "they measure.", reported) % {"n": reported}})  # fmt: skip
    planned = assignment.baseline_value is not None or assignment.targets.exists()
    for target in assignment.targets.all():
        target._history_user = actor
        target.delete()
    assignment._history_user = actor
    assignment.delete()
    if planned:
        rollups.recompute_plan(assignment.indicator)


def _period_for(indicator, period) -> ReportingPeriod | None:
    """None = the life of the initiative; else a period of the indicator's frequency."""
    if period is None:
        return None
    if period.kind != indicator.frequency:
        kind = indicator.get_frequency_display().lower()
        raise ValidationError({"period": _("%(code)s is reported %(kind)s; set targets for "
                                           "those periods.") % {"code": indicator.code,
                                                                 "kind": kind}})  # fmt: skip
    return period


@transaction.atomic
def target_set(
    *, actor, assignment: IndicatorAssignment, period: ReportingPeriod | None, value,
    version: int | None = None, reason: str = "",
) -> Target:  # fmt: skip
    """Set the target of ``period`` (None: the life of the initiative), checked by the
    indicator's measure. ``version`` is that of the target being changed (None for a new
    one, or to overwrite knowingly)."""
    assignment = IndicatorAssignment.objects.select_related("indicator").get(pk=assignment.pk)
    _may_plan(actor, assignment)
    period = _period_for(assignment.indicator, period)
    number = check_target(assignment.indicator, value)
    target = (Target.objects.select_for_update().filter(assignment=assignment, period=period)
              .first())  # fmt: skip
    if target is not None:
        check_version(target, version)
        if target.value == number:
            return target
    elif version:
        # The person edited a target that someone removed meanwhile.
        raise ValidationError({"value": _("This target was removed meanwhile; enter it again.")})
    change_reason = _reason_if_approved(assignment, reason, baseline=False)
    if target is None:
        target = Target(assignment=assignment, period=period, value=number)
        target._history_user = actor
        target._change_reason = change_reason
        target.full_clean(exclude=["assignment", "period"])
        target.save()
    else:
        target.value = number
        target._history_user = actor
        target._change_reason = change_reason
        save_versioned(target, expected_version=version)
    rollups.recompute_plan(assignment.indicator)  # the dashboards' targets follow
    return target


@transaction.atomic
def target_remove(*, actor, assignment: IndicatorAssignment, period: ReportingPeriod | None,
                  version: int | None = None, reason: str = "") -> None:  # fmt: skip
    assignment = IndicatorAssignment.objects.select_related("indicator").get(pk=assignment.pk)
    _may_plan(actor, assignment)
    target = (Target.objects.select_for_update().filter(assignment=assignment, period=period)
              .first())  # fmt: skip
    if target is None:
        raise ValidationError({"value": _("There is no target for this period.")})
    check_version(target, version)
    target._history_user = actor
    target._change_reason = _reason_if_approved(assignment, reason, baseline=False)
    target.delete()
    rollups.recompute_plan(assignment.indicator)
