"""Reads of key issues, narrowed by ``KeyIssue.objects.visible_to`` (the body's
``records_access`` and the issue's ``confidential`` flag; see ``BodyRecordQuerySet``).

The issue page also reads what other areas write about an issue — the agenda items it is on,
the decisions taken on it, the advice asked and given — straight from the models, each
narrowed by its own visibility, read-only; and the plan items it concerns, among the plans
the reader may see.
"""

from __future__ import annotations

from django.db.models import Case, IntegerField, Prefetch, Q, QuerySet, When
from django.http import Http404

from landhub.core.search import search_pks

from ..models import Body, IssueStatus, KeyIssue, Urgency

__all__ = [
    "ISSUE_SORTS",
    "issue_detail",
    "issue_history",
    "issue_list",
    "issue_status_history",
    "issue_years",
    "issues_visible_to",
    "plan_item_choices",
    "raisable_bodies",
    "register_search_sections",
]

URGENCY_RANK = {Urgency.LOW: 1, Urgency.NORMAL: 2, Urgency.HIGH: 3, Urgency.URGENT: 4}
STATUS_RANK = {s: i for i, s in enumerate(IssueStatus.values, start=1)}
ISSUE_SORTS = {"created": "created_at", "urgency": "urgency_rank", "title": "title",
               "status": "status_rank", "updated": "updated_at"}  # fmt: skip


def _rank(field: str, ranks: dict) -> Case:
    return Case(*[When(**{field: key}, then=rank) for key, rank in ranks.items()], default=0,
                output_field=IntegerField())  # fmt: skip


def issues_visible_to(user) -> QuerySet[KeyIssue]:
    return KeyIssue.objects.visible_to(user)


def issue_list(*, user, filters: dict | None = None) -> QuerySet[KeyIssue]:
    """Issues ``user`` may read, not archived unless ``archived=1``. Filters: body (slug),
    status, urgency, mine (``1``: raised by ``user``), plan_item (id), year (raised in),
    q (words of the title, background and options)."""
    filters = {k: v.strip() for k, v in (filters or {}).items() if isinstance(v, str)}
    qs = issues_visible_to(user)
    qs = (qs.filter(archived_at__isnull=False) if filters.get("archived") == "1"
          else qs.filter(archived_at__isnull=True))  # fmt: skip
    if body := filters.get("body", "")[:80]:
        qs = qs.filter(body__slug=body)
    if (status := filters.get("status")) in IssueStatus.values:
        qs = qs.filter(status=status)
    if (urgency := filters.get("urgency")) in Urgency.values:
        qs = qs.filter(urgency=urgency)
    if filters.get("mine") == "1" and getattr(user, "is_authenticated", False):
        qs = qs.filter(raised_by=user)
    plan_item = filters.get("plan_item", "")
    if plan_item.isdigit() and int(plan_item) < 2**63:
        qs = qs.filter(plan_items=int(plan_item))
    year = filters.get("year", "")
    if year.isdigit() and 1900 <= int(year) <= 2100:
        qs = qs.filter(created_at__year=int(year))
    if q := filters.get("q", "")[:200]:
        qs = qs.filter(Q(pk__in_list=search_pks(KeyIssue, q)) | Q(title__icontains=q))
    return qs.select_related("body", "raised_by").annotate(
        urgency_rank=_rank("urgency", URGENCY_RANK), status_rank=_rank("status", STATUS_RANK)
    )


def issue_years() -> list[int]:
    """The years of the year filter, newest first: from the first issue raised to the last
    (two index reads, not a DISTINCT over every issue)."""
    from django.db.models import Max, Min

    span = KeyIssue.objects.aggregate(first=Min("created_at"), last=Max("created_at"))
    if span["first"] is None:
        return []
    return list(range(span["last"].year, span["first"].year - 1, -1))


def issue_detail(*, user, pk: int) -> KeyIssue:
    """One issue ``user`` may read (404 otherwise) with ``evidence_links``,
    ``agenda_shown`` (its agenda items on meetings the reader sees), ``decisions_shown``,
    ``advice_shown`` and ``plan_items_shown`` (in plans the reader sees)."""
    from ..models import AdviceRequest, AgendaItem, Decision, Meeting, Plan, PlanItem

    if not 0 < int(pk) < 2**63:
        raise Http404
    items = (PlanItem.objects.filter(plan__in=Plan.objects.visible_to(user))
             .select_related("plan").order_by("plan__year", "code", "position", "id"))  # fmt: skip
    issue = (
        issues_visible_to(user).filter(pk=pk)
        .select_related("body", "raised_by")
        .prefetch_related("evidence",
                          Prefetch("plan_items", queryset=items, to_attr="plan_items_shown"))
        .first()
    )  # fmt: skip
    if issue is None:
        raise Http404
    issue.evidence_links = list(issue.evidence.all())
    meetings = Meeting.objects.visible_to(user)
    issue.agenda_shown = list(
        AgendaItem.objects.filter(key_issue=issue, meeting__in=meetings)
        .select_related("meeting").order_by("-meeting__starts_at", "position")
    )  # fmt: skip
    issue.decisions_shown = list(Decision.objects.visible_to(user).filter(key_issue=issue)
                                 .order_by("-decided_at", "-created_at"))  # fmt: skip
    issue.advice_shown = list(AdviceRequest.objects.filter(key_issue=issue)
                              .select_related("adviser").order_by("-created_at"))  # fmt: skip
    return issue


def issue_status_history(issue: KeyIssue) -> list:
    """Each change of status, oldest first: ``status`` (its label), ``when``, ``who``,
    ``note`` (the reason given)."""
    records = list(KeyIssue.history.filter(id=issue.pk).select_related("history_user")
                   .order_by("history_date", "history_id")
                   .only("status", "history_date", "history_change_reason",
                         "history_user__name", "history_user__email"))  # fmt: skip
    steps, last = [], None
    for record in records:
        if record.status == last:
            continue
        last = record.status
        user = record.history_user
        steps.append({
            "status": record.status,
            "label": IssueStatus(record.status).label if record.status in IssueStatus.values
            else record.status,
            "when": record.history_date,
            "who": (getattr(user, "name", "") or getattr(user, "email", "")) if user else "",
            "note": record.history_change_reason or "",
        })  # fmt: skip
    return steps


def issue_history(issue: KeyIssue) -> list:
    from landhub.core.history import history_entries

    return history_entries(issue)


def raisable_bodies(user) -> QuerySet[Body]:
    """The bodies ``user`` may raise an issue to (see ``services.issues``): hub staff, any
    body they see; others, the bodies they sit on and those whose records are open to the
    network."""
    from landhub.core.access import is_hub_staff

    from ..models import RecordsAccess
    from ..rules import member_body_ids

    qs = Body.objects.visible_to(user).filter(archived_at__isnull=True).order_by("name")
    if is_hub_staff(user):
        return qs
    return qs.filter(Q(pk__in=member_body_ids(user)) | ~Q(records_access=RecordsAccess.MEMBERS))


def plan_item_choices(user, *, limit: int = 300) -> list:
    """Plan items an issue may concern: those of the plans ``user`` may see, not archived,
    newest plan first (a plan is tens of items, a few plans a year)."""
    from ..models import Plan, PlanItem

    return list(PlanItem.objects.filter(plan__in=Plan.objects.visible_to(user),
                                        archived_at__isnull=True)
                .select_related("plan").order_by("-plan__year", "plan__kind", "code",
                                                 "position", "id")[:limit])  # fmt: skip


def register_search_sections() -> None:
    """Called from ``GovernanceConfig.ready``: "Key issues" in the global search, narrowed
    to the issues each reader may read (none for the anonymous public)."""
    from django.utils.translation import gettext_lazy as _

    from landhub.core.search import SearchSection, register_search_section

    def results(user, q):
        return issue_list(user=user, filters={"q": q})

    def hit(issue) -> dict:
        return {"label": issue.title, "url": issue.get_absolute_url(),
                "note": f"{issue.body.name} · {issue.get_status_display()}"}  # fmt: skip

    register_search_section(
        SearchSection("key_issue", _("Key issues"), results, hit, models=(KeyIssue,))
    )
