"""Reads of the strategic plan and the scaling strategy: the list of versions, one plan as a
tree with each item's progress, and the timeline.

**How progress is computed.**

- A **milestone tied to indicators** takes its progress from the MEL roll-ups: for each tie,
  the indicator's latest reported figure at the place of the tie (the whole initiative or a
  landscape) against its target there, judged exactly as the MEL dashboards judge it
  (``mel.selectors.dashboards``: progress from the baseline to the target, met / on track /
  behind). The milestone's progress is the mean of its indicators' progress, each capped at
  100 (overshooting one indicator does not make up for another); its status follows — every
  indicator met: done; any behind: at risk; otherwise on track — and the figures it came from
  are shown beside it. A typed progress on a tied milestone is ignored. Indicators without a
  figure or a target yet are listed as such and left out of the mean.
- Any other item keeps its **typed** progress.
- An **objective or a goal** with children shows the mean of its children's progress (a
  child without one counts 0, or 100 when done).

The tree costs a fixed number of queries whatever its size: the items, the ties, the key
issues and decisions about the items (each: the links, then the linked records when any), the
landscapes the reader may see, and the roll-ups of every tied indicator read at once (three
queries, like the dashboards' own bulk reads).
"""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.formats import number_format
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from landhub.core.history import history_entries

from ..models import ItemLevel, ItemStatus, MilestoneIndicator, Plan, PlanItem

__all__ = [
    "PLAN_SORTS",
    "PlanNode",
    "plan_detail",
    "plan_history",
    "plan_item_detail",
    "plan_list",
    "plan_tree",
    "flatten",
    "tree_rows",
    "plan_versions",
    "plans_visible_to",
    "timeline_rows",
]

PLAN_SORTS = {"year": "year", "kind": "kind", "title": "title", "status": "status",
              "updated": "updated_at"}  # fmt: skip
HUNDRED = Decimal(100)


def plans_visible_to(user) -> QuerySet[Plan]:
    return Plan.objects.visible_to(user)


def plan_list(*, user, filters: dict | None = None) -> QuerySet[Plan]:
    """Plans ``user`` may read, not archived unless ``archived=1``. Filters: kind, status,
    year, q (words of the title and summary)."""
    filters = {k: v.strip() for k, v in (filters or {}).items() if isinstance(v, str) and v.strip()}
    qs = plans_visible_to(user).filter(archived_at__isnull=filters.get("archived") != "1")
    for key in ("kind", "status"):
        if value := filters.get(key):
            qs = qs.filter(**{key: value})
    if (year := filters.get("year", "")).isdigit() and len(year) == 4:
        qs = qs.filter(year=int(year))
    if q := filters.get("q"):
        for word in q.split()[:8]:
            qs = qs.filter(Q(title__icontains=word) | Q(summary__icontains=word))
    return qs.select_related("body", "previous", "adopted_by_decision")


def plan_detail(*, user, pk) -> Plan:
    if not 0 < int(pk) < 2**63:
        raise Http404
    plan = (plans_visible_to(user).select_related("body", "previous", "adopted_by_decision")
            .filter(pk=pk).first())  # fmt: skip
    if plan is None:
        raise Http404
    return plan


def plan_item_detail(*, user, pk) -> PlanItem:
    """An item of a plan ``user`` may read."""
    if not 0 < int(pk) < 2**63:
        raise Http404
    item = (PlanItem.objects.filter(pk=pk, plan__in=plans_visible_to(user))
            .select_related("plan", "parent").first())  # fmt: skip
    if item is None:
        raise Http404
    return item


def plan_versions(*, user, plan: Plan) -> list[Plan]:
    """Every version of the plan's kind the reader may see, newest year first."""
    return list(plans_visible_to(user).filter(kind=plan.kind, archived_at__isnull=True)
                .order_by("-year").only("pk", "year", "title", "status", "kind"))  # fmt: skip


def plan_history(plan: Plan):
    return history_entries(plan)


# --- the tree with progress ------------------------------------------------------------------


@dataclass
class Figure:
    """One indicator's contribution to a milestone, as the page shows it."""

    link: MilestoneIndicator
    place: str
    progress: Decimal | None
    status: str  # the MEL dashboards' status: met, on_track, behind, no_target, no_data
    status_label: str
    text: str


# How the page shows a status and where a progress came from. Looked up here once per node
# rather than spelled out as if/elif chains in the template: the plan page renders every item
# of the plan (75 and more), and template branching was most of its time.
STATUS_BADGE = {ItemStatus.DONE: "text-bg-primary", ItemStatus.AT_RISK: "text-bg-warning",
                ItemStatus.OFF_TRACK: "text-bg-danger",
                ItemStatus.ON_TRACK: "text-bg-success"}  # fmt: skip
STATUS_BAR = {ItemStatus.DONE: "bg-primary", ItemStatus.AT_RISK: "bg-warning",
              ItemStatus.OFF_TRACK: "bg-danger"}  # fmt: skip
SOURCE_LABELS = {"computed": gettext_lazy("Computed from MEL indicators"),
                 "typed": gettext_lazy("Typed"), "children": gettext_lazy("Mean of its items"),
                 "": gettext_lazy("No progress yet")}  # fmt: skip


@functools.cache
def _label(choices, value: str, language: str | None) -> str:
    """A choice's label (``choices`` None: where a progress came from) as a plain string in
    ``language``. Kept: the page asks it of every node, and a lazy label is translated again
    at each step of its rendering (four hundred translations for a plan of 75 items)."""
    if choices is None:
        return str(SOURCE_LABELS.get(value, ""))
    return str(choices(value).label) if value in choices.values else ""


@dataclass
class PlanNode:
    item: PlanItem
    depth: int
    code: str
    children: list[PlanNode] = field(default_factory=list)
    progress: Decimal | None = None
    source: str = ""  # "computed", "typed", "children" or "" (none)
    status: str = ""
    figures: list[Figure] = field(default_factory=list)
    issues: list = field(default_factory=list)
    decisions: list = field(default_factory=list)
    # Set by ``tree_rows``: how many lists this node is the last item of (a leaf closes its
    # parent's list, and its grandparent's when the parent is last too, …).
    closes: range = range(0)

    @property
    def status_label(self) -> str:
        return _label(ItemStatus, self.status, get_language())

    @property
    def progress_int(self) -> int | None:
        return None if self.progress is None else int(self.progress.to_integral_value())

    @property
    def level_label(self) -> str:
        return _label(ItemLevel, self.item.level, get_language())

    @property
    def badge_class(self) -> str:
        return STATUS_BADGE.get(self.status, "text-bg-secondary")

    @property
    def bar_class(self) -> str:
        return STATUS_BAR.get(self.status, "bg-success")

    @property
    def source_label(self) -> str:
        return _label(None, self.source, get_language())

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


def _number(value: Decimal | None) -> str:
    if value is None:
        return "—"
    return number_format(value.normalize() if value == value.to_integral_value()
                         else value.quantize(Decimal("0.01")).normalize(),
                         force_grouping=True)  # fmt: skip


def _figures_for(user, links: list[MilestoneIndicator]) -> dict[int, Figure]:
    """Link id → its figure, the roll-ups of every tied indicator read at once."""
    if not links:
        return {}
    from landhub.directory.models import Landscape
    from landhub.mel.models import PlanRollup, ReportingPeriod, Rollup, RollupLevel
    from landhub.mel.selectors.dashboards import Place as MelPlace
    from landhub.mel.selectors.dashboards import (
        PlanFigures,
        RollupFigures,
        _series,
        default_margin,
    )

    landscape_ids = {link.landscape_id for link in links if link.landscape_id}
    seen = set(Landscape.objects.visible_to(user).filter(pk__in=landscape_ids)
               .values_list("pk", flat=True)) if landscape_ids else set()  # fmt: skip
    places: dict[int, MelPlace | None] = {}
    for link in links:
        if link.landscape_id is None:
            places[link.pk] = MelPlace(RollupLevel.INITIATIVE, "all",
                                       str(_("The whole initiative")))  # fmt: skip
        elif link.landscape_id in seen:
            places[link.pk] = MelPlace(RollupLevel.LANDSCAPE, str(link.landscape_id),
                                       link.landscape.name)  # fmt: skip
        else:
            places[link.pk] = None  # a landscape the reader may not see: no figures
    # One condition per place with the indicators read there (usually one: the initiative),
    # not one per link: SQLite scanned every roll-up for an OR of ~40 triples (160 ms at
    # scale 1) where an IN over the series index reads only the rows asked for.
    by_place: dict[tuple[str, str], set[int]] = {}
    for link in links:
        place = places[link.pk]
        if place is not None:
            by_place.setdefault((place.level, place.key), set()).add(link.indicator_id)
    wanted = Q(pk__in=[])
    for (level, key), indicator_ids in by_place.items():
        wanted |= Q(level=level, key=key, indicator_id__in=sorted(indicator_ids))
    rollups = {(r.indicator_id, r.period_id, r.key): r for r in (
        RollupFigures(*row) for row in Rollup.objects.filter(wanted, option__isnull=True)
        .values_list(*RollupFigures.FIELDS))}  # fmt: skip
    plans = {(p.indicator_id, p.period_id, p.key): p for p in (
        PlanFigures(*row) for row in PlanRollup.objects.filter(wanted)
        .values_list(*PlanFigures.FIELDS))}  # fmt: skip
    period_ids = {k[1] for k in rollups} | {k[1] for k in plans if k[1] is not None}
    periods = list(ReportingPeriod.objects.filter(pk__in=period_ids).order_by("start"))
    # Each series' rows, grouped once (not every row scanned again for each link).
    rollups_at: dict[tuple[int, str], dict] = defaultdict(dict)
    for (indicator_id, period_id, key), row in rollups.items():
        rollups_at[indicator_id, key][indicator_id, period_id] = row
    plans_at: dict[tuple[int, str], dict] = defaultdict(dict)
    for (indicator_id, period_id, key), row in plans.items():
        plans_at[indicator_id, key][indicator_id, period_id] = row
    margin = default_margin()
    result: dict[int, Figure] = {}
    for link in links:
        place, indicator = places[link.pk], link.indicator
        if place is None:
            result[link.pk] = Figure(
                link,
                link.landscape.name if link.landscape_id else "",
                None,
                "no_data",
                _("No data yet"),
                _("%(name)s: not shown to you") % {"name": indicator.name},
            )
            continue
        # The dashboards' own series, so the plan and the dashboards cannot disagree.
        mine_r = rollups_at.get((indicator.pk, place.key), {})
        mine_p = plans_at.get((indicator.pk, place.key), {})
        series = _series(indicator, place, [p for p in periods if p.kind == indicator.frequency],
                         mine_r, mine_p, margin)  # fmt: skip
        latest = series.latest
        if latest is None:
            result[link.pk] = Figure(
                link,
                place.label,
                None,
                "no_data",
                _("No data yet"),
                _("%(name)s: no data yet") % {"name": indicator.name},
            )
            continue
        judgement = latest.judgement
        progress = (min(judgement.progress, HUNDRED) if judgement.progress is not None
                    else None)  # fmt: skip
        text = _("%(name)s: %(actual)s of %(target)s at %(period)s") % {
            "name": indicator.name, "actual": _number(judgement.actual),
            "target": _number(judgement.target), "period": latest.period.label}  # fmt: skip
        result[link.pk] = Figure(link, place.label, progress, judgement.status,
                                 judgement.status_label, text)  # fmt: skip
    return result


def _milestone_status(figures: list[Figure], typed: str) -> str:
    statuses = {f.status for f in figures}
    if statuses and statuses <= {"met"}:
        return ItemStatus.DONE
    if "behind" in statuses:
        return ItemStatus.AT_RISK
    if statuses & {"met", "on_track"}:
        return ItemStatus.ON_TRACK
    return typed  # nothing reported yet: what was typed


def _mean(values: list[Decimal]) -> Decimal | None:
    if not values:
        return None
    return (sum(values, Decimal(0)) / len(values)).quantize(Decimal("0.1"))


def _roll_up(node: PlanNode) -> None:
    """Fill ``progress`` and ``source`` bottom-up."""
    for child in node.children:
        _roll_up(child)
    item = node.item
    if node.figures:
        known = [f.progress for f in node.figures if f.progress is not None]
        node.progress, node.source = _mean(known), "computed"
        node.status = _milestone_status(node.figures, item.status)
        return
    node.status = item.status
    if node.children:
        values = [c.progress if c.progress is not None
                  else (HUNDRED if c.status == ItemStatus.DONE else Decimal(0))
                  for c in node.children]  # fmt: skip
        node.progress, node.source = _mean(values), "children"
    elif item.progress is not None:
        node.progress, node.source = Decimal(item.progress), "typed"


def plan_tree(*, user, plan: Plan) -> list[PlanNode]:
    """The plan's goals with their objectives and milestones (archived items and what sits
    under them left out), numbered, with progress, status and the key issues and decisions
    about each item that ``user`` may read. A fixed number of queries."""
    from ..models import Decision, KeyIssue

    items = list(
        plan.items.filter(archived_at__isnull=True)
        .select_related("owner", "owner_organization")
        .order_by("position", "id")
    )
    links = list(MilestoneIndicator.objects.filter(item__in=[i.pk for i in items])
                 .select_related("indicator", "landscape").order_by("pk"))  # fmt: skip
    figures = _figures_for(user, links)
    ids = [i.pk for i in items]
    issues, decisions = defaultdict(list), defaultdict(list)
    if ids:
        # From the items to the linked records, the reader's visibility checked on those few:
        # ``keyissue__in=<visible issues>`` made SQLite check every issue first (90 ms of the
        # plan page for 20,000 issues). The link table is read first: most items link nothing,
        # and the visibility rule is then not even built (2 ms each on the plan page).
        for model, found in ((KeyIssue, issues), (Decision, decisions)):
            through = model.plan_items.through
            linked = defaultdict(list)
            for record_id, item_id in (through.objects.filter(planitem_id__in=ids)
                                       .values_list(f"{model._meta.model_name}_id",
                                                    "planitem_id")):  # fmt: skip
                linked[record_id].append(item_id)
            if not linked:
                continue
            for pk, title in (model.objects.visible_to(user).filter(pk__in=list(linked))
                              .order_by("pk").values_list("pk", "title")):  # fmt: skip
                for item_id in linked[pk]:
                    found[item_id].append((pk, title))
    children: dict[int | None, list[PlanItem]] = defaultdict(list)
    for item in items:
        children[item.parent_id].append(item)
    by_item: dict[int, list[Figure]] = defaultdict(list)
    for link in links:
        by_item[link.item_id].append(figures[link.pk])

    def build(item: PlanItem, depth: int, code: str) -> PlanNode:
        node = PlanNode(
            item,
            depth,
            item.code or code,
            figures=by_item.get(item.pk, []),
            issues=issues.get(item.pk, []),
            decisions=decisions.get(item.pk, []),
        )
        for index, child in enumerate(children.get(item.pk, []), start=1):
            node.children.append(build(child, depth + 1, f"{node.code}.{index}"))
        return node

    roots = [build(item, 0, str(index)) for index, item
             in enumerate(children.get(None, []), start=1)]  # fmt: skip
    for root in roots:
        _roll_up(root)
    return roots


def flatten(roots: list[PlanNode]) -> list[PlanNode]:
    return [node for root in roots for node in root.walk()]


def tree_rows(roots: list[PlanNode]) -> list[PlanNode]:
    """The nodes in page order, each leaf told how many nested lists end after it, so that the
    page draws the tree's nested lists in one loop instead of one template include per node
    (the includes were a third of the plan page's time)."""
    rows: list[PlanNode] = []

    def visit(node: PlanNode, open_lists: int) -> None:
        rows.append(node)
        if not node.children:
            node.closes = range(open_lists)
            return
        for index, child in enumerate(node.children):
            last = index == len(node.children) - 1
            # The last child closes this node's list, and every list still open above it.
            visit(child, open_lists + 1 if last else 0)

    for root in roots:
        visit(root, 0)
    return rows


def timeline_rows(roots: list[PlanNode]) -> list[PlanNode]:
    """Objectives and milestones with a target date, by date (the timeline's rows)."""
    rows = [n for n in flatten(roots)
            if n.item.level != ItemLevel.GOAL and n.item.target_on is not None]  # fmt: skip
    return sorted(rows, key=lambda n: (n.item.target_on, n.code))
