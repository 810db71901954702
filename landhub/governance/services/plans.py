"""Writes of the strategic plan and the scaling strategy (hub staff: ``governance.manage_plans``).

A plan is one year's version of its kind. ``plan_new_version`` copies a plan's tree (goals,
objectives, milestones and the milestones' indicator ties) into a draft for another year that
names the plan it revises; ``plan_adopt`` adopts a version and supersedes the version of the
same kind adopted before it, so there is one adopted strategic plan and one adopted scaling
strategy at a time.

The tree has three levels and each sits in one place only: **goals** at the top, **objectives**
under a goal, **milestones** under an objective (``CHILD_LEVEL``). Only milestones are tied to
MEL indicators; their progress is then computed from the roll-ups (``selectors.plans``), and a
typed progress on them is kept but not shown.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from landhub.core.versioning import save_versioned

from ..models import ItemLevel, MilestoneIndicator, Plan, PlanItem, PlanKind, PlanStatus
from ..models.plans import CHILD_LEVEL
from .common import full_clean, not_archived, require

__all__ = [
    "PLAN_FIELDS",
    "PLAN_ITEM_FIELDS",
    "milestone_tie_indicator",
    "milestone_untie_indicator",
    "plan_adopt",
    "plan_create",
    "plan_item_archive",
    "plan_item_create",
    "plan_item_move",
    "plan_item_update",
    "plan_new_version",
    "plan_update",
]

PLAN_FIELDS = ("title", "summary", "year", "body", "visibility")
PLAN_ITEM_FIELDS = ("code", "title", "description", "owner", "owner_organization", "start_on",
                    "target_on", "status", "progress")  # fmt: skip


def _year_taken(plan: Plan, errors: dict) -> None:
    taken = Plan.objects.filter(kind=plan.kind, year=plan.year).exclude(pk=plan.pk).exists()
    if plan.year and taken:
        errors.setdefault("year", []).append(
            _("There is already a version of the %(kind)s for %(year)s.") % {
                "kind": plan.get_kind_display().lower(), "year": plan.year})  # fmt: skip


def _check_plan(plan: Plan, errors: dict) -> None:
    if plan.year is not None and not 2000 <= plan.year <= 2100:
        errors.setdefault("year", []).append(_("Give a year between 2000 and 2100."))
    _year_taken(plan, errors)


def _save_new(instance) -> None:
    """Save a new row; a unique constraint another writer won meanwhile is a field message,
    not a 500."""
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as exc:
        raise ValidationError(_("This was saved by someone else meanwhile; look again.")) from exc


@transaction.atomic
def plan_create(*, actor, kind: str, year: int | None, title: str, summary: str = "",
                body=None, visibility: str = "network") -> Plan:  # fmt: skip
    """Start a plan (a draft) of ``kind`` for ``year``."""
    require(actor, "governance.manage_plans")
    plan = Plan(kind=kind, year=year, title=(title or "").strip(), summary=(summary or "").strip(),
                body=body, visibility=visibility, created_by=actor)  # fmt: skip
    errors: dict = {}
    _check_plan(plan, errors)
    full_clean(plan, errors, validate_constraints=False)
    plan._history_user = actor
    _save_new(plan)
    return plan


@transaction.atomic
def plan_update(*, actor, plan: Plan, version: int | None, changes: dict) -> Plan:
    require(actor, "governance.manage_plans")
    not_archived(plan)
    unknown = set(changes) - set(PLAN_FIELDS)
    if unknown:
        raise ValidationError({key: [_("This field cannot be changed here.")]
                               for key in sorted(unknown)})  # fmt: skip
    for key, value in changes.items():
        setattr(plan, key, value.strip() if isinstance(value, str) else value)
    errors: dict = {}
    _check_plan(plan, errors)
    full_clean(plan, errors, validate_constraints=False)
    plan._history_user = actor
    save_versioned(plan, expected_version=version)
    return plan


@transaction.atomic
def plan_new_version(*, actor, plan: Plan, year: int | None, title: str = "") -> Plan:
    """A draft for ``year`` revising ``plan``: its tree copied item by item (archived items
    left behind), with the milestones' indicator ties. Key issues and decisions stay with the
    items they were about, in the version they were about."""
    require(actor, "governance.manage_plans")
    new = plan_create(actor=actor, kind=plan.kind, year=year, title=title or plan.title,
                      summary=plan.summary, body=plan.body,
                      visibility=plan.visibility)  # fmt: skip
    new.previous = plan
    new.save(update_fields=["previous"])
    items = list(plan.items.filter(archived_at__isnull=True).order_by("level", "position", "id"))
    by_level = {level: [i for i in items if i.level == level] for level in ItemLevel.values}
    copies: dict[int, PlanItem] = {}
    for level in (ItemLevel.GOAL, ItemLevel.OBJECTIVE, ItemLevel.MILESTONE):
        for item in by_level[level]:
            if item.parent_id is not None and item.parent_id not in copies:
                continue  # under an archived item: left behind with it
            copy = PlanItem(
                plan=new, parent=copies.get(item.parent_id), level=item.level,
                position=item.position, code=item.code, title=item.title,
                description=item.description, owner_id=item.owner_id,
                owner_organization_id=item.owner_organization_id, start_on=item.start_on,
                target_on=item.target_on, status=item.status, progress=item.progress,
            )  # fmt: skip
            copy._history_user = actor
            copy.save()
            copies[item.pk] = copy
    links = MilestoneIndicator.objects.filter(item_id__in=list(copies))
    for link in links:
        tie = MilestoneIndicator(item=copies[link.item_id], indicator_id=link.indicator_id,
                                 landscape_id=link.landscape_id)  # fmt: skip
        tie._history_user = actor
        tie.save()
    return new


@transaction.atomic
def plan_adopt(*, actor, plan: Plan, version: int | None, decision=None) -> Plan:
    """Adopt ``plan`` (optionally naming the decision that adopted it); the version of the
    same kind adopted until now becomes superseded."""
    require(actor, "governance.manage_plans")
    not_archived(plan)
    if plan.status == PlanStatus.ADOPTED:
        raise ValidationError({"status": [_("This version is adopted already.")]})
    if decision is not None and decision.status != "adopted":
        raise ValidationError({"decision": [_("Name a decision that was adopted.")]})
    for older in Plan.objects.filter(kind=plan.kind, status=PlanStatus.ADOPTED).exclude(pk=plan.pk):
        older.status = PlanStatus.SUPERSEDED
        older._history_user = actor
        save_versioned(older, expected_version=None, update_fields=["status"])
    plan.status = PlanStatus.ADOPTED
    if decision is not None:
        plan.adopted_by_decision = decision
        if plan.body_id is None:
            plan.body_id = decision.body_id
    plan._history_user = actor
    save_versioned(plan, expected_version=version,
                   update_fields=["status", "adopted_by_decision", "body"])  # fmt: skip
    return plan


# --- items -----------------------------------------------------------------------------------


def _check_place(item: PlanItem, parent: PlanItem | None, errors: dict) -> None:
    """Goals at the top, objectives under a goal, milestones under an objective."""
    level = item.level
    if level not in ItemLevel.values:
        errors.setdefault("level", []).append(_("Choose goal, objective or milestone."))
        return
    if level == ItemLevel.GOAL:
        message = _("Goals sit at the top of the plan, under nothing.")
    elif level == ItemLevel.OBJECTIVE:
        message = _("An objective sits under a goal.")
    else:
        message = _("A milestone sits under an objective.")
    if parent is None:
        if level != ItemLevel.GOAL:
            errors.setdefault("parent", []).append(message)
        return
    if parent.plan_id != item.plan_id:
        errors.setdefault("parent", []).append(_("Choose an item of the same plan."))
    elif CHILD_LEVEL.get(parent.level) != level:
        errors.setdefault("parent", []).append(message)
    elif parent.archived_at is not None:
        errors.setdefault("parent", []).append(_("This item is archived."))


def _check_item(item: PlanItem, errors: dict) -> None:
    if item.progress is not None and not 0 <= item.progress <= 100:
        errors.setdefault("progress", []).append(_("Give a percentage from 0 to 100."))
    if item.start_on and item.target_on and item.target_on < item.start_on:
        errors.setdefault("target_on", []).append(_("The target date comes after the start."))


def _next_position(plan: Plan, parent: PlanItem | None) -> int:
    siblings = plan.items.filter(parent=parent)
    top = siblings.aggregate(top=Max("position"))["top"]
    return 0 if top is None else top + 1


@transaction.atomic
def plan_item_create(*, actor, plan: Plan, level: str, title: str, parent: PlanItem | None = None,
                     **fields) -> PlanItem:  # fmt: skip
    """Add a goal, objective or milestone at the end of its parent's children."""
    require(actor, "governance.manage_plans")
    not_archived(plan)
    unknown = set(fields) - set(PLAN_ITEM_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    item = PlanItem(plan=plan, parent=parent, level=level, title=(title or "").strip(), **fields)
    errors: dict = {}
    _check_place(item, parent, errors)
    _check_item(item, errors)
    full_clean(item, errors, exclude=["position"], validate_constraints=False)
    item.position = _next_position(plan, parent)
    item._history_user = actor
    item.save()
    return item


@transaction.atomic
def plan_item_update(*, actor, item: PlanItem, version: int | None, changes: dict) -> PlanItem:
    require(actor, "governance.manage_plans")
    not_archived(item)
    unknown = set(changes) - set(PLAN_ITEM_FIELDS)
    if unknown:
        raise ValidationError({key: [_("This field cannot be changed here.")]
                               for key in sorted(unknown)})  # fmt: skip
    for key, value in changes.items():
        setattr(item, key, value.strip() if isinstance(value, str) else value)
    errors: dict = {}
    _check_item(item, errors)
    full_clean(item, errors, validate_constraints=False)
    item._history_user = actor
    save_versioned(item, expected_version=version)
    return item


@transaction.atomic
def plan_item_move(
    *, actor, item: PlanItem, version: int | None, parent: PlanItem | None = None,
    position: int | None = None,
) -> PlanItem:  # fmt: skip
    """Put ``item`` under ``parent`` (the right level only) at ``position`` among its new
    siblings (0 first; None: last); the siblings are renumbered 0, 1, 2…"""
    require(actor, "governance.manage_plans")
    not_archived(item)
    errors: dict = {}
    _check_place(item, parent, errors)
    if parent is not None and parent.pk == item.pk:
        errors.setdefault("parent", []).append(_("An item does not sit under itself."))
    if position is not None and not 0 <= position <= 10_000:
        errors.setdefault("position", []).append(_("Give a position from 0."))
    if errors:
        raise ValidationError(errors)
    siblings = list(item.plan.items.filter(parent=parent, archived_at__isnull=True)
                    .exclude(pk=item.pk).order_by("position", "id"))  # fmt: skip
    at = len(siblings) if position is None else min(position, len(siblings))
    siblings.insert(at, item)
    item.parent = parent
    for index, sibling in enumerate(siblings):
        if sibling.pk == item.pk:
            continue
        if sibling.position != index:
            PlanItem.objects.filter(pk=sibling.pk).update(position=index)
    item.position = at
    item._history_user = actor
    save_versioned(item, expected_version=version, update_fields=["parent", "position"])
    return item


@transaction.atomic
def plan_item_archive(*, actor, item: PlanItem, version: int | None = None,
                      archived: bool = True) -> PlanItem:  # fmt: skip
    """Archive an item (its children go out of the tree with it) or restore it."""
    require(actor, "governance.manage_plans")
    item.archived_at = timezone.now() if archived else None
    item._history_user = actor
    save_versioned(item, expected_version=version, update_fields=["archived_at"])
    return item


@transaction.atomic
def milestone_tie_indicator(*, actor, item: PlanItem, indicator,
                            landscape=None) -> MilestoneIndicator:  # fmt: skip
    """Tie a milestone to a MEL indicator, at the whole initiative or at ``landscape``: from
    now on its progress is the indicator's progress toward its target there."""
    require(actor, "governance.manage_plans")
    not_archived(item)
    if item.level != ItemLevel.MILESTONE:
        raise ValidationError({"indicator": [_("Only milestones are tied to indicators.")]})
    if indicator is None:
        raise ValidationError({"indicator": [_("Choose an indicator.")]})
    if MilestoneIndicator.objects.filter(item=item, indicator=indicator,
                                         landscape=landscape).exists():  # fmt: skip
        raise ValidationError({"indicator": [_("This milestone is tied to this indicator "
                                               "there already.")]})  # fmt: skip
    link = MilestoneIndicator(item=item, indicator=indicator, landscape=landscape)
    link._history_user = actor
    _save_new(link)
    return link


@transaction.atomic
def milestone_untie_indicator(*, actor, link: MilestoneIndicator) -> None:
    """Untie a milestone from an indicator (the tie's history stays)."""
    require(actor, "governance.manage_plans")
    link._history_user = actor
    link.delete()


# Kinds offered when a plan is started (listed here so forms and the API agree).
PLAN_KINDS = PlanKind.choices
