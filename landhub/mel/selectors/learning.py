"""Reads of the learning loop (issue 6): learning questions, reflection sessions, adaptation
decisions and the revisions they caused, narrowed to what the reader may see.

- A learning question is read by whoever may read its node's framework.
- A session by its visibility (``ReflectionSession.objects.visible_to``: restricted ones by
  who recorded them, their participants and the landscape's members, and hub staff).
- A decision by whoever may read its session.
- A revision is part of its framework's or indicator's story: whoever reads the framework
  sees its summary; the decision and session behind it are named only to those who may read
  the session.

Evidence a session reviewed is read through each model's own ``visible_to``, so a session
never shows an outcome statement or a story its reader may not see. Lists count related rows
with correlated subqueries, so a page costs the same number of queries whatever the data.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from landhub.core.search import search_pks

from ..models import (
    AdaptationDecision,
    AdaptationRevision,
    DecisionStatus,
    Framework,
    Indicator,
    LearningQuestion,
    ReflectionSession,
)
from .outcomes import outcome_visible

__all__ = [
    "DECISION_SORTS",
    "QUESTION_SORTS",
    "SESSION_SORTS",
    "decision_detail",
    "decision_list",
    "indicators_by_code",
    "open_decisions_for",
    "question_counts_by_node",
    "question_detail",
    "question_list",
    "revision_list",
    "session_detail",
    "session_list",
    "session_years",
]

QUESTION_SORTS = {"node": "node__code", "status": "status", "created": "created_at",
                  "updated": "updated_at"}  # fmt: skip
SESSION_SORTS = {"held_on": "held_on", "title": "title", "updated": "updated_at"}
DECISION_SORTS = {"due_on": "due_on", "status": "status", "updated": "updated_at",
                  "created": "created_at"}  # fmt: skip
OPEN = (DecisionStatus.PLANNED, DecisionStatus.IN_PROGRESS)


def _clean(filters: dict | None) -> dict:
    return {k: v.strip() for k, v in (filters or {}).items() if isinstance(v, str) and v.strip()}


def _count(model, link: str, **lookup) -> Coalesce:
    """How many ``model`` rows point at the outer row through ``link`` (a subquery)."""
    rows = (model.objects.filter(**{link: OuterRef("pk")}, **lookup).order_by()
            .values(link).annotate(n=Count("pk")).values("n"))  # fmt: skip
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def _visible_sessions(user) -> QuerySet[ReflectionSession]:
    return ReflectionSession.objects.visible_to(user)


# --- learning questions ----------------------------------------------------------------------


def _visible_questions(user) -> QuerySet[LearningQuestion]:
    return LearningQuestion.objects.filter(
        Framework.objects.visible_through(user, "node__framework__")
    )


def question_list(*, user, filters: dict | None = None) -> QuerySet[LearningQuestion]:
    """Filters: framework (slug), node (id), kind (of the node), status, q (words of the
    question or its answer)."""
    filters = _clean(filters)
    qs = _visible_questions(user)
    if slug := filters.get("framework"):
        qs = qs.filter(node__framework__slug=slug)
    if (node := filters.get("node", "")).isdigit():
        qs = qs.filter(node_id=int(node))
    if kind := filters.get("kind"):
        qs = qs.filter(node__kind=kind)
    if status := filters.get("status"):
        qs = qs.filter(status=status)
    if q := filters.get("q", "")[:100]:
        qs = qs.filter(Q(question__icontains=q) | Q(answer__icontains=q))
    # The session's visibility checked on the joined session, not ``IN (<every visible
    # session>)``, which SQLite rebuilt for each question before sorting (100 ms at scale 10).
    sessions = (ReflectionSession.questions.through.objects
                .filter(learningquestion_id=OuterRef("pk"))
                .filter(ReflectionSession.objects.visible_through(user, "reflectionsession__"))
                .order_by().values("learningquestion_id").annotate(n=Count("pk"))
                .values("n"))  # fmt: skip
    return qs.select_related("node__framework").annotate(
        session_count=Coalesce(Subquery(sessions, output_field=IntegerField()), Value(0))
    )


def question_detail(*, user, pk: int) -> LearningQuestion:
    """One question (404 if its framework is hidden) with ``shown_sessions``: the sessions
    that discussed it, newest first, that ``user`` may read."""
    question = _visible_questions(user).filter(pk=pk).select_related("node__framework").first()
    if question is None:
        raise Http404
    question.shown_sessions = list(
        _visible_sessions(user).active().filter(questions=question)
        .select_related("landscape").defer("landscape__boundary").order_by("-held_on", "-pk")[:100]
    )  # fmt: skip
    return question


def question_counts_by_node(*, framework) -> dict[int, int]:
    """{node id: number of open or answered questions} for the framework page."""
    rows = (LearningQuestion.objects.filter(node__framework=framework)
            .exclude(status="dropped").order_by().values("node_id")
            .annotate(n=Count("pk")).values_list("node_id", "n"))  # fmt: skip
    return dict(rows)


# --- reflection sessions ---------------------------------------------------------------------


def session_list(*, user, filters: dict | None = None) -> QuerySet[ReflectionSession]:
    """Filters: landscape (slug, or ``initiative`` for the initiative's own), year, tag (a
    term's slug), decisions (``yes`` / ``no``), question (id), indicator (code), archived
    (``1``: archived ones only), q (words of the title or reflections)."""
    filters = _clean(filters)
    qs = _visible_sessions(user)
    qs = qs.filter(archived_at__isnull=filters.get("archived") != "1")
    if landscape := filters.get("landscape"):
        if landscape == "initiative":
            qs = qs.filter(landscape__isnull=True)
        else:
            qs = qs.filter(landscape__slug=landscape)
    if (year := filters.get("year", "")).isdigit() and 1900 < int(year) < 3000:
        qs = qs.filter(held_on__year=int(year))
    if tag := filters.get("tag"):
        qs = qs.filter(pk__in=ReflectionSession.tags.through.objects.filter(
            term__slug=tag).values("reflectionsession_id"))  # fmt: skip
    decided = Exists(AdaptationDecision.objects.filter(session=OuterRef("pk")))
    if filters.get("decisions") == "yes":
        qs = qs.filter(decided)
    elif filters.get("decisions") == "no":
        qs = qs.filter(~decided)
    if (question := filters.get("question", "")).isdigit():
        qs = qs.filter(pk__in=ReflectionSession.questions.through.objects.filter(
            learningquestion_id=int(question)).values("reflectionsession_id"))  # fmt: skip
    if code := filters.get("indicator"):
        qs = qs.filter(pk__in=ReflectionSession.indicators.through.objects.filter(
            indicator__code=code.upper()).values("reflectionsession_id"))  # fmt: skip
    if q := filters.get("q", "")[:200]:
        qs = qs.filter(Q(pk__in_list=search_pks(ReflectionSession, q)) | Q(title__icontains=q))
    return (
        qs.select_related("landscape")
        .defer("landscape__boundary")
        .annotate(
            decision_count=_count(AdaptationDecision, "session"),
            open_decision_count=_count(AdaptationDecision, "session", status__in=OPEN),
        )
    )


def session_years(*, user) -> list[int]:
    """The years that have sessions (for the year filter), newest first."""
    from landhub.core.counts import cached_result

    sessions = _visible_sessions(user).active()
    return cached_result("mel.session_years", sessions, lambda: [
        d.year for d in sessions.dates("held_on", "year", order="DESC")])  # fmt: skip


def _latest_figures(indicators) -> dict[int, dict]:
    """{indicator id: {"period", "value"}}: the initiative's latest rolled-up figure of each
    indicator (one query, read from the roll-ups, never the observations)."""
    from ..models import Rollup

    ids = [i.pk for i in indicators]
    if not ids:
        return {}
    figures: dict[int, dict] = {}
    rows = (Rollup.objects.filter(indicator_id__in=ids, level="initiative", option__isnull=True)
            .select_related("period").order_by("indicator_id", "-period__end"))  # fmt: skip
    for row in rows[: len(ids) * 12]:  # a dozen periods each is plenty to find the latest
        if row.indicator_id not in figures and (row.to_date is not None or row.value is not None):
            figures[row.indicator_id] = {"period": row.period.label,
                                         "value": row.to_date if row.to_date is not None
                                         else row.value}  # fmt: skip
    return figures


def session_detail(*, user, pk: int) -> ReflectionSession:
    """One session (404 if hidden) with what its page shows: ``shown_indicators`` (each with
    ``latest``: the initiative's latest figure, or None), ``shown_outcomes`` and
    ``shown_stories`` (only those ``user`` may read), ``shown_questions``, ``shown_decisions``
    (with owner, nodes, indicators and revisions) and ``shown_participants``."""
    from landhub.directory.models import Person

    from ..models import Story

    session = (_visible_sessions(user).filter(pk=pk)
               .select_related("landscape", "recorded_by").prefetch_related("tags")
               .first())  # fmt: skip
    if session is None:
        raise Http404
    session.shown_participants = list(
        session.participants.filter(Person.objects.visibility_q(user) or Q()).order_by("name")
    )
    session.hidden_participants = session.participants.count() - len(session.shown_participants)
    session.shown_questions = list(
        session.questions.filter(Framework.objects.visible_through(user, "node__framework__",
                                                                   active=False))
        .select_related("node__framework")
    )  # fmt: skip
    indicators = list(session.indicators.order_by("code"))
    figures = _latest_figures(indicators)
    for indicator in indicators:
        indicator.latest = figures.get(indicator.pk)
    session.shown_indicators = indicators
    session.shown_outcomes = list(
        outcome_visible(user).filter(reflection_sessions=session)  # the register's rule
        .order_by("-occurred_on", "-pk")
    )  # fmt: skip
    session.shown_stories = list(
        Story.objects.visible_to(user).filter(reflection_sessions=session)
        .select_related("landscape").defer("landscape__boundary").order_by("-told_on", "-pk")
    )  # fmt: skip
    for record in (*session.shown_outcomes, *session.shown_stories):
        record.link = _safe_url(record)
    session.shown_decisions = list(
        session.decisions.select_related("owner")
        .prefetch_related("nodes__framework", "indicators", "revisions")
        .order_by("due_on", "pk")
    )  # fmt: skip
    today = timezone.localdate()
    for decision in session.shown_decisions:
        decision.is_overdue = _overdue(decision, today)
    return session


def _safe_url(obj) -> str:
    """The record's page, or "" while its page does not exist (the outcome and story pages
    were built beside this area)."""
    from django.urls import NoReverseMatch

    try:
        return obj.get_absolute_url()
    except NoReverseMatch:
        return ""


def _overdue(decision, today: dt.date) -> bool:
    return bool(decision.due_on and decision.due_on < today and decision.status in OPEN)


# --- adaptation decisions --------------------------------------------------------------------


def _visible_decisions(user) -> QuerySet[AdaptationDecision]:
    return AdaptationDecision.objects.filter(session__in=_visible_sessions(user).values("pk"))


def decision_list(*, user, filters: dict | None = None) -> QuerySet[AdaptationDecision]:
    """Filters: status (one, or ``open``), overdue (``yes``), owner (a person's id, or ``me``),
    framework (slug: decisions revising its nodes), session (id), landscape (slug, or
    ``initiative``), q (words of what changes or why). Each row has ``is_overdue``-ready
    fields and ``revision_count``."""
    filters = _clean(filters)
    qs = _visible_decisions(user).filter(session__archived_at__isnull=True)
    status = filters.get("status")
    if status == "open":
        qs = qs.filter(status__in=OPEN)
    elif status:
        qs = qs.filter(status=status)
    if filters.get("overdue") == "yes":
        qs = qs.filter(status__in=OPEN, due_on__lt=timezone.localdate())
    owner = filters.get("owner", "")
    if owner == "me":
        qs = qs.filter(owner__user=user) if user.is_authenticated else qs.none()
    elif owner.isdigit():
        qs = qs.filter(owner_id=int(owner))
    if slug := filters.get("framework"):
        qs = qs.filter(pk__in=AdaptationDecision.nodes.through.objects.filter(
            frameworknode__framework__slug=slug).values("adaptationdecision_id"))  # fmt: skip
    if (session := filters.get("session", "")).isdigit():
        qs = qs.filter(session_id=int(session))
    if landscape := filters.get("landscape"):
        if landscape == "initiative":
            qs = qs.filter(session__landscape__isnull=True)
        else:
            qs = qs.filter(session__landscape__slug=landscape)
    if q := filters.get("q", "")[:100]:
        qs = qs.filter(Q(what_changes__icontains=q) | Q(why__icontains=q))
    return (
        qs.select_related("session__landscape", "owner")
        .defer("session__landscape__boundary")
        .annotate(revision_count=_count(AdaptationRevision, "decision"))
    )


def decision_detail(*, user, pk: int) -> AdaptationDecision:
    """One decision (404 if its session is hidden) with its nodes, indicators, and
    ``shown_revisions`` (the changes it caused, newest first)."""
    decision = (_visible_decisions(user).filter(pk=pk)
                .select_related("session__landscape", "owner")
                .prefetch_related("nodes__framework", "indicators").first())  # fmt: skip
    if decision is None:
        raise Http404
    decision.shown_revisions = list(
        decision.revisions.select_related("framework", "node", "indicator", "changed_by")[:200]
    )
    decision.is_overdue = _overdue(decision, timezone.localdate())
    return decision


def open_decisions_for(*, user, framework=None, node=None, indicator=None) -> list:
    """The open decisions an editor may name as the cause of a change, most relevant first:
    those naming ``node`` (or ``indicator``), then the other open decisions that revise the
    framework (for an indicator: the other open decisions that revise an indicator). Only
    decisions of sessions ``user`` may read; at most 50 (two queries)."""
    qs = (_visible_decisions(user).filter(status__in=OPEN, session__archived_at__isnull=True)
          .select_related("session").order_by("due_on", "pk"))  # fmt: skip
    if indicator is not None:
        relevant = list(qs.filter(indicators=indicator)[:50])
        others = qs.filter(indicators__isnull=False)
    else:
        relevant = list(qs.filter(nodes=node)[:50]) if node is not None else []
        others = qs.filter(nodes__framework=framework) if framework is not None else qs.none()
    others = others.exclude(pk__in=[d.pk for d in relevant]).distinct()
    return relevant + list(others[: 50 - len(relevant)])


# --- revisions -------------------------------------------------------------------------------


def revision_list(*, user, framework=None, indicator=None, limit: int = 100) -> list:
    """Changes made because of adaptation decisions to ``framework`` (its nodes and links) or
    ``indicator``, newest first. Each has ``decision_shown``: whether ``user`` may read the
    decision (and its session); otherwise only the summary is shown. Two queries."""
    qs = AdaptationRevision.objects.all()
    if framework is not None:
        qs = qs.filter(framework=framework)
    if indicator is not None:
        qs = qs.filter(indicator=indicator)
    revisions = list(qs.select_related("decision__session", "node", "indicator", "changed_by")
                     [:limit])  # fmt: skip
    session_ids = {r.decision.session_id for r in revisions}
    readable = set(
        _visible_sessions(user).filter(pk__in=session_ids).values_list("pk", flat=True)
    ) if session_ids else set()  # fmt: skip
    for revision in revisions:
        revision.decision_shown = revision.decision.session_id in readable
    return revisions


def indicators_by_code(codes) -> list[Indicator]:
    """Indicators named by code (for forms and the API), in the order given."""
    wanted = [c.strip().upper() for c in codes if c and c.strip()]
    found = {i.code: i for i in Indicator.objects.filter(code__in=wanted)}
    return [found[c] for c in wanted if c in found]


def register_search_sections() -> None:
    """Called from ``MelConfig.ready``: the global search sections of this area —
    "Reflections" (sessions, by visibility) and "Learning questions" (by their framework)."""
    from django.utils.translation import gettext_lazy as _

    from landhub.core.search import SearchSection, register_search_section

    def reflections(user, q):
        return session_list(user=user, filters={"q": q}).order_by("-held_on", "-pk")

    def reflection_hit(session) -> dict:
        place = f" · {session.landscape.name}" if session.landscape_id else ""
        return {"label": session.title, "url": session.get_absolute_url(),
                "note": session.held_on.isoformat() + place}  # fmt: skip

    register_search_section(SearchSection("reflection", _("Reflections"), reflections,
                                          reflection_hit, models=(ReflectionSession,)))  # fmt: skip

    def questions(user, q):
        if not user.is_authenticated:
            return LearningQuestion.objects.none()
        return question_list(user=user, filters={"q": q}).order_by("-updated_at", "-pk")

    def question_hit(question) -> dict:
        return {"label": str(question), "url": question.get_absolute_url(),
                "note": f"{question.node.framework.title} · {question.node.code}"}  # fmt: skip

    register_search_section(SearchSection("learning_question", _("Learning questions"),
                                          questions, question_hit))  # fmt: skip
