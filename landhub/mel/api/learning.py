"""API of the learning loop (``/api/v1/mel/learning/…`` and a framework's revisions).

Same selectors and services as the pages. Records are named as the pages name them: a
landscape by slug, an indicator by code, a framework by slug, people, questions, outcome
statements, stories and framework nodes by id, tags by slug (``vocabulary/slug`` when a slug
is in two vocabularies). Edits carry ``version``; a stale one answers 409 with the current
record. Lists take ``limit`` (≤ 100) and ``offset``.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from landhub.core.lists import sort_queryset
from landhub.directory.api.common import MAX_OFFSET, paged, require_user

from .. import services
from ..models import TAG_VOCABULARIES, FrameworkNode, LearningQuestion
from ..selectors import (
    DECISION_SORTS,
    QUESTION_SORTS,
    SESSION_SORTS,
    decision_detail,
    decision_list,
    framework_detail,
    indicators_by_code,
    question_detail,
    question_list,
    revision_list,
    session_detail,
    session_list,
)

router = Router(tags=["mel"])

BASE = "/learning"


# --- schemas ---------------------------------------------------------------------------------


class QuestionOut(Schema):
    id: int
    question: str
    status: str
    answer: str
    node: int = Field(..., alias="node_id")
    node_code: str
    framework: str = Field(..., description="slug")
    session_count: int | None = None
    version: int
    updated_at: dt.datetime

    @staticmethod
    def resolve_node_code(obj):
        return obj.node.code

    @staticmethod
    def resolve_framework(obj):
        return obj.node.framework.slug


class QuestionDetailOut(QuestionOut):
    sessions: list[int]

    @staticmethod
    def resolve_sessions(obj):
        return [s.pk for s in getattr(obj, "shown_sessions", [])]


class QuestionPage(Schema):
    count: int
    items: list[QuestionOut]


class QuestionFilters(Schema):
    q: str = ""
    framework: str = Field("", description="slug")
    node: str = Field("", description="id of a framework node")
    kind: str = Field("", description="kind of the node: impact, outcome, output …")
    status: str = Field("", description="open, answered or dropped")
    sort: str = "node"
    limit: int = Field(25, ge=1, le=100)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class QuestionIn(Schema):
    node: int = Field(..., description="id of the framework node")
    question: str = Field(..., min_length=1, max_length=2000)


class QuestionPatch(Schema):
    version: int
    question: str | None = Field(None, max_length=2000)
    node: int | None = Field(None, description="another node of the same framework")
    answer: str | None = Field(None, max_length=20_000, description="answers the question")
    status: str | None = Field(None, description="'dropped' drops it; 'open' opens it again")


class SessionOut(Schema):
    id: int
    title: str
    held_on: dt.date
    landscape: str | None = Field(None, description="slug; null: the initiative")
    visibility: str
    decision_count: int | None = None
    archived: bool
    version: int
    updated_at: dt.datetime

    @staticmethod
    def resolve_landscape(obj):
        return obj.landscape.slug if obj.landscape_id else None

    @staticmethod
    def resolve_archived(obj):
        return obj.archived_at is not None


class EvidenceOut(Schema):
    kind: str
    id: int
    label: str
    note: str = ""


class DecisionOut(Schema):
    id: int
    session: int = Field(..., alias="session_id")
    what_changes: str
    why: str
    owner: int | None = Field(None, alias="owner_id", description="id of the person")
    owner_name: str | None = None
    due_on: dt.date | None
    status: str
    overdue: bool
    nodes: list[int]
    indicators: list[str]
    version: int
    updated_at: dt.datetime

    @staticmethod
    def resolve_owner_name(obj):
        return obj.owner.name if obj.owner_id else None

    @staticmethod
    def resolve_overdue(obj):
        return bool(obj.due_on and obj.due_on < timezone.localdate()
                    and obj.status in services.OPEN_DECISION_STATES)  # fmt: skip

    @staticmethod
    def resolve_nodes(obj):
        return [n.pk for n in obj.nodes.all()]

    @staticmethod
    def resolve_indicators(obj):
        return [i.code for i in obj.indicators.all()]


class SessionDetailOut(SessionOut):
    reflections: str
    participants: list[int]
    other_participants: str
    questions: list[int]
    evidence: list[EvidenceOut]
    tags: list[str]
    decisions: list[DecisionOut]

    @staticmethod
    def resolve_participants(obj):
        return [p.pk for p in obj.shown_participants]

    @staticmethod
    def resolve_questions(obj):
        return [q.pk for q in obj.shown_questions]

    @staticmethod
    def resolve_evidence(obj):
        items = [{"kind": "indicator", "id": i.pk, "label": f"{i.code} {i.name}",
                  "note": f"{i.latest['value']} ({i.latest['period']})" if i.latest else ""}
                 for i in obj.shown_indicators]  # fmt: skip
        items += [{"kind": "outcome", "id": o.pk, "label": o.title,
                   "note": o.get_status_display()} for o in obj.shown_outcomes]  # fmt: skip
        items += [{"kind": "story", "id": s.pk, "label": s.title,
                   "note": s.get_domain_display()} for s in obj.shown_stories]  # fmt: skip
        return items

    @staticmethod
    def resolve_tags(obj):
        return [f"{t.vocabulary}/{t.slug}" for t in obj.tags.all()]

    @staticmethod
    def resolve_decisions(obj):
        return obj.shown_decisions


class SessionPage(Schema):
    count: int
    items: list[SessionOut]


class SessionFilters(Schema):
    q: str = ""
    landscape: str = Field("", description="slug, or 'initiative'")
    year: str = ""
    tag: str = Field("", description="slug of a term")
    decisions: str = Field("", description="yes or no")
    question: str = Field("", description="id of a learning question")
    indicator: str = Field("", description="code")
    archived: str = Field("", description="1: archived sessions")
    sort: str = "-held_on"
    limit: int = Field(25, ge=1, le=100)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class SessionIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    held_on: dt.date
    landscape: str | None = Field(None, description="slug; null: the initiative")
    participants: list[int] = Field([], max_length=100, description="ids of people")
    other_participants: str = Field("", max_length=2000)
    questions: list[int] = Field([], max_length=100)
    indicators: list[str] = Field([], max_length=100, description="codes")
    outcomes: list[int] = Field([], max_length=100)
    stories: list[int] = Field([], max_length=100)
    reflections: str = Field(..., min_length=1, max_length=20_000)
    tags: list[str] = Field([], max_length=100)
    visibility: str = "network"


class SessionPatch(Schema):
    version: int
    title: str | None = Field(None, max_length=200)
    held_on: dt.date | None = None
    landscape: str | None = Field(None, description="slug; '' moves it to the initiative")
    participants: list[int] | None = Field(None, max_length=100)
    other_participants: str | None = Field(None, max_length=2000)
    questions: list[int] | None = Field(None, max_length=100)
    indicators: list[str] | None = Field(None, max_length=100)
    outcomes: list[int] | None = Field(None, max_length=100)
    stories: list[int] | None = Field(None, max_length=100)
    reflections: str | None = Field(None, max_length=20_000)
    tags: list[str] | None = Field(None, max_length=100)
    visibility: str | None = None
    archived: bool | None = Field(None, description="true archives, false restores")


class DecisionPage(Schema):
    count: int
    items: list[DecisionOut]


class DecisionFilters(Schema):
    q: str = ""
    status: str = Field("", description="planned, in_progress, done, dropped or open")
    overdue: str = Field("", description="yes")
    owner: str = Field("", description="id of a person, or 'me'")
    framework: str = Field("", description="slug: decisions revising its nodes")
    session: str = Field("", description="id")
    landscape: str = Field("", description="slug, or 'initiative'")
    sort: str = "due_on"
    limit: int = Field(25, ge=1, le=100)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class DecisionIn(Schema):
    what_changes: str = Field(..., min_length=1, max_length=2000)
    why: str = Field(..., min_length=1, max_length=5000)
    owner: int | None = Field(None, description="id of a person")
    due_on: dt.date | None = None
    nodes: list[int] = Field([], max_length=100)
    indicators: list[str] = Field([], max_length=100, description="codes")


class DecisionPatch(Schema):
    version: int
    status: str | None = None
    what_changes: str | None = Field(None, max_length=2000)
    why: str | None = Field(None, max_length=5000)
    owner: int | None = None
    due_on: dt.date | None = None
    nodes: list[int] | None = Field(None, max_length=100)
    indicators: list[str] | None = Field(None, max_length=100)


class RevisionOut(Schema):
    id: int
    summary: str
    changed_at: dt.datetime
    node: int | None = Field(None, alias="node_id")
    indicator: str | None = None
    decision: int | None = Field(None, description="null when its session is not readable")
    session: int | None = None

    @staticmethod
    def resolve_indicator(obj):
        return obj.indicator.code if obj.indicator_id else None

    @staticmethod
    def resolve_decision(obj):
        return obj.decision_id if obj.decision_shown else None

    @staticmethod
    def resolve_session(obj):
        return obj.decision.session_id if obj.decision_shown else None


# --- references ------------------------------------------------------------------------------


def _by_ids(model, ids, *, field: str, user=None) -> list:
    ids = list(dict.fromkeys(ids or []))
    if not ids:
        return []
    qs = model.objects.filter(pk__in=ids)
    if user is not None and hasattr(qs, "visible_to"):
        qs = qs.visible_to(user)
    found = {o.pk: o for o in qs}
    missing = [str(i) for i in ids if i not in found]
    if missing:
        raise ValidationError({field: [f"Not found: {', '.join(missing[:10])}."]})
    return [found[i] for i in ids]


def _indicators(codes, *, field: str = "indicators") -> list:
    found = indicators_by_code(codes)
    known = {i.code for i in found}
    missing = [c for c in codes if c.strip().upper() not in known]
    if missing:
        raise ValidationError({field: [f"No indicator has the code: {', '.join(missing[:10])}."]})
    return found


def _tags(names) -> list:
    from landhub.directory.models import Term

    tags = []
    for name in dict.fromkeys(names or []):
        vocabulary, _sep, slug = name.rpartition("/")
        qs = Term.objects.filter(vocabulary__in=TAG_VOCABULARIES, slug=slug)
        if vocabulary:
            qs = qs.filter(vocabulary=vocabulary)
        found = list(qs[:2])
        if len(found) != 1:
            problem = "is in two vocabularies: write vocabulary/slug" if found else "is unknown"
            raise ValidationError({"tags": [f"The tag {name!r} {problem}."]})
        tags.append(found[0])
    return tags


def _landscape(user, slug):
    from landhub.directory.models import Landscape

    if not slug:
        return None
    landscape = Landscape.objects.visible_to(user).filter(slug=slug).first()
    if landscape is None:
        raise ValidationError({"landscape": ["No landscape has this slug."]})
    return landscape


def _person(user, pk, *, field="owner"):
    from landhub.directory.models import Person

    if pk is None:
        return None
    return _by_ids(Person, [pk], field=field, user=user)[0]


def _session_links(user, data: dict) -> dict:
    from landhub.directory.models import Person

    from ..models import OutcomeStatement, Story

    links = {}
    if data.get("participants") is not None:
        links["participants"] = _by_ids(Person, data["participants"], field="participants",
                                        user=user)  # fmt: skip
    if data.get("questions") is not None:
        links["questions"] = _by_ids(LearningQuestion, data["questions"], field="questions")
    if data.get("indicators") is not None:
        links["indicators"] = _indicators(data["indicators"])
    if data.get("outcomes") is not None:
        links["outcomes"] = _by_ids(OutcomeStatement, data["outcomes"], field="outcomes",
                                    user=user)  # fmt: skip
    if data.get("stories") is not None:
        links["stories"] = _by_ids(Story, data["stories"], field="stories", user=user)
    if data.get("tags") is not None:
        links["tags"] = _tags(data["tags"])
    return links


# --- learning questions ----------------------------------------------------------------------


@router.get(f"{BASE}/questions", response=QuestionPage, summary="Learning questions")
def list_questions(request, filters: Query[QuestionFilters]):
    require_user(request)
    data = filters.dict()
    qs, _sort = sort_queryset(question_list(user=request.user, filters=data), data["sort"],
                              QUESTION_SORTS, "node")  # fmt: skip
    count, items = paged(qs, limit=data["limit"], offset=data["offset"])
    return {"count": count, "items": items}


@router.post(f"{BASE}/questions", response={201: QuestionDetailOut},
             summary="Ask a learning question on a framework node")  # fmt: skip
def create_question(request, payload: QuestionIn):
    from ..models import Framework

    actor = require_user(request)
    node = (FrameworkNode.objects.filter(pk=payload.node)
            .filter(Framework.objects.visible_through(actor, "framework__")).first())  # fmt: skip
    if node is None:
        raise ValidationError({"node": ["No framework node has this id."]})
    question = services.question_create(actor=actor, node=node, question=payload.question)
    return Status(201, question_detail(user=actor, pk=question.pk))


@router.get(f"{BASE}/questions/{{question_id}}", response=QuestionDetailOut,
            summary="One learning question with the sessions that discussed it")  # fmt: skip
def get_question(request, question_id: int):
    require_user(request)
    return question_detail(user=request.user, pk=question_id)


@router.patch(f"{BASE}/questions/{{question_id}}", response=QuestionDetailOut,
              summary="Reword, move, answer, drop or reopen (send the version)")  # fmt: skip
def update_question(request, question_id: int, payload: QuestionPatch):
    actor = require_user(request)
    with transaction.atomic():  # all the changes asked, or none
        _update_question(actor, question_id, payload)
    return question_detail(user=actor, pk=question_id)


def _update_question(actor, question_id: int, payload: QuestionPatch) -> None:
    question = question_detail(user=actor, pk=question_id)
    given = payload.dict(exclude_unset=True)
    version = payload.version  # checked by the first change; the next ones follow it
    if "question" in given or "node" in given:
        node = None
        if payload.node is not None:
            node = FrameworkNode.objects.filter(pk=payload.node).first()
            if node is None:
                raise ValidationError({"node": ["No framework node has this id."]})
        services.question_update(actor=actor, question=question, version=version,
                                 text=payload.question, node=node)  # fmt: skip
        version = None
    if payload.answer is not None:
        services.question_answer(actor=actor, question=question, version=version,
                                 answer=payload.answer)  # fmt: skip
        version = None
    if payload.status is not None:
        if payload.status not in ("dropped", "open"):
            raise ValidationError({"status": ["'dropped' or 'open'; answer with 'answer'."]})
        services.question_drop(actor=actor, question=question, version=version,
                               reopen=payload.status == "open")  # fmt: skip
        version = None
    if version is not None:  # nothing to change: still refuse a stale version
        from landhub.core.versioning import check_version

        check_version(question, version)


# --- reflection sessions ---------------------------------------------------------------------


@router.get(f"{BASE}/sessions", response=SessionPage, summary="Reflection sessions")
def list_sessions(request, filters: Query[SessionFilters]):
    data = filters.dict()
    qs, _sort = sort_queryset(session_list(user=request.user, filters=data), data["sort"],
                              SESSION_SORTS, "-held_on")  # fmt: skip
    count, items = paged(qs, limit=data["limit"], offset=data["offset"])
    return {"count": count, "items": items}


@router.post(f"{BASE}/sessions", response={201: SessionDetailOut},
             summary="Record a reflection session")  # fmt: skip
def create_session(request, payload: SessionIn):
    actor = require_user(request)
    data = payload.dict()
    session = services.session_create(
        actor=actor, title=data["title"], held_on=data["held_on"],
        reflections=data["reflections"], landscape=_landscape(actor, data["landscape"]),
        other_participants=data["other_participants"], visibility=data["visibility"],
        **_session_links(actor, data),
    )  # fmt: skip
    return Status(201, session_detail(user=actor, pk=session.pk))


@router.get(f"{BASE}/sessions/{{session_id}}", response=SessionDetailOut,
            summary="One session: participants, evidence, reflections, decisions")  # fmt: skip
def get_session(request, session_id: int):
    return session_detail(user=request.user, pk=session_id)


@router.patch(f"{BASE}/sessions/{{session_id}}", response=SessionDetailOut,
              summary="Change a session, archive or restore it (send the version)")  # fmt: skip
def update_session(request, session_id: int, payload: SessionPatch):
    actor = require_user(request)
    with transaction.atomic():  # all the changes asked, or none
        _update_session(actor, session_id, payload)
    return session_detail(user=actor, pk=session_id)


def _update_session(actor, session_id: int, payload: SessionPatch) -> None:
    session = session_detail(user=actor, pk=session_id)
    given = payload.dict(exclude_unset=True)
    archived = given.pop("archived", None)
    version = given.pop("version")
    fields = {k: v for k, v in given.items()
              if k in ("title", "held_on", "other_participants", "reflections", "visibility")
              and v is not None}  # fmt: skip
    if "landscape" in given:
        fields["landscape"] = _landscape(actor, given["landscape"])
    links = _session_links(actor, given)
    if archived is True and session.archived_at is None:
        if fields or links:
            services.session_update(actor=actor, session=session, version=version, **links,
                                    **fields)  # fmt: skip
            version = None
        services.session_archive(actor=actor, session=session, version=version)
    else:
        if archived is False and session.archived_at is not None:
            services.session_archive(actor=actor, session=session, version=version, restore=True)
            version = None
        services.session_update(actor=actor, session=session, version=version, **links, **fields)


# --- adaptation decisions --------------------------------------------------------------------


@router.get(f"{BASE}/decisions", response=DecisionPage, summary="Adaptation decisions")
def list_decisions(request, filters: Query[DecisionFilters]):
    require_user(request)
    data = filters.dict()
    qs, _sort = sort_queryset(decision_list(user=request.user, filters=data), data["sort"],
                              DECISION_SORTS, "due_on")  # fmt: skip
    count, items = paged(qs.prefetch_related("nodes", "indicators"), limit=data["limit"],
                         offset=data["offset"])  # fmt: skip
    return {"count": count, "items": items}


def _nodes(user, ids):
    from ..models import Framework

    ids = list(dict.fromkeys(ids or []))
    found = {n.pk: n for n in FrameworkNode.objects.filter(pk__in=ids).filter(
        Framework.objects.visible_through(user, "framework__"))}  # fmt: skip
    missing = [str(i) for i in ids if i not in found]
    if missing:
        raise ValidationError({"nodes": [f"No framework node has the id: {', '.join(missing)}."]})
    return [found[i] for i in ids]


@router.post(f"{BASE}/sessions/{{session_id}}/decisions", response={201: DecisionOut},
             summary="Record a decision of a session (its owner is told)")  # fmt: skip
def create_decision(request, session_id: int, payload: DecisionIn):
    actor = require_user(request)
    session = session_detail(user=actor, pk=session_id)
    decision = services.decision_create(
        actor=actor, session=session, what_changes=payload.what_changes, why=payload.why,
        owner=_person(actor, payload.owner), due_on=payload.due_on,
        nodes=_nodes(actor, payload.nodes), indicators=_indicators(payload.indicators),
    )  # fmt: skip
    return Status(201, decision_detail(user=actor, pk=decision.pk))


@router.get(f"{BASE}/decisions/{{decision_id}}", response=DecisionOut,
            summary="One adaptation decision")  # fmt: skip
def get_decision(request, decision_id: int):
    require_user(request)
    return decision_detail(user=request.user, pk=decision_id)


@router.patch(f"{BASE}/decisions/{{decision_id}}", response=DecisionOut,
              summary="Change a decision or move its status (send the version)")  # fmt: skip
def update_decision(request, decision_id: int, payload: DecisionPatch):
    actor = require_user(request)
    decision = decision_detail(user=actor, pk=decision_id)
    given = payload.dict(exclude_unset=True)
    kwargs = {}
    if "owner" in given:
        kwargs["owner"] = _person(actor, payload.owner)
    if "due_on" in given:
        kwargs["due_on"] = payload.due_on
    if payload.nodes is not None:
        kwargs["nodes"] = _nodes(actor, payload.nodes)
    if payload.indicators is not None:
        kwargs["indicators"] = _indicators(payload.indicators)
    services.decision_update(actor=actor, decision=decision, version=payload.version,
                             status=payload.status, what_changes=payload.what_changes,
                             why=payload.why, **kwargs)  # fmt: skip
    return decision_detail(user=actor, pk=decision_id)


# --- revisions of a framework ----------------------------------------------------------------


@router.get("/frameworks/{slug}/revisions", response=list[RevisionOut],
            summary="Changes made because of adaptation decisions")  # fmt: skip
def framework_revisions(request, slug: str):
    framework = framework_detail(user=request.user, slug=slug)
    return revision_list(user=request.user, framework=framework, limit=100)
