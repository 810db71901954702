"""Writes of the learning loop (issue 6): learning questions, reflection sessions, adaptation
decisions, and the revisions a decision causes in a framework or an indicator.

Who may do what (``rules.py``, "Mixed methods"):

- learning questions go with their node's framework: ``mel.change_framework`` (hub staff, and
  a landscape's leaders for their own framework);
- a session of the initiative is recorded by hub staff, reviewers and core partners' staff; a
  session of a landscape by hub staff, reviewers and the landscape's leaders and managers
  (``mel.record_reflection``, narrowed here by the landscape); a session, and its decisions,
  are then kept by reviewers, the landscape's leaders and whoever recorded it
  (``mel.change_reflection``).

Evidence (indicators, outcome statements, stories) is only linked: each record must be one the
actor may read (``visible_to``), so nobody links, and so discloses, what they cannot see.

``revision_record`` is called by the framework and indicator services when an editor says a
change was "made because of" a decision; it writes an ``AdaptationRevision`` in the same
transaction as the change.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from landhub.core.models import Visibility
from landhub.core.versioning import save_versioned

from ..models import (
    TAG_VOCABULARIES,
    AdaptationDecision,
    AdaptationRevision,
    DecisionStatus,
    LearningQuestion,
    QuestionStatus,
    ReflectionSession,
)
from ..rules import can

__all__ = [
    "DECISION_TRANSITIONS",
    "OPEN_DECISION_STATES",
    "decision_create",
    "decision_update",
    "question_answer",
    "question_create",
    "question_drop",
    "question_update",
    "revision_record",
    "session_archive",
    "session_create",
    "session_update",
]

MAX_TEXT = 20_000  # a reflection is a few pages at most; more is a paste gone wrong
MAX_LINKS = 100  # evidence records, participants or questions on one session

# Where a decision may go from each status (planned → in progress → done / dropped; done
# and dropped can be reopened when the work turns out unfinished).
DECISION_TRANSITIONS = {
    DecisionStatus.PLANNED: {DecisionStatus.IN_PROGRESS, DecisionStatus.DONE,
                             DecisionStatus.DROPPED},
    DecisionStatus.IN_PROGRESS: {DecisionStatus.PLANNED, DecisionStatus.DONE,
                                 DecisionStatus.DROPPED},
    DecisionStatus.DONE: {DecisionStatus.IN_PROGRESS},
    DecisionStatus.DROPPED: {DecisionStatus.PLANNED},
}  # fmt: skip
OPEN_DECISION_STATES = (DecisionStatus.PLANNED, DecisionStatus.IN_PROGRESS)


# --- checks ----------------------------------------------------------------------------------


def _text(value, *, field: str, required: bool, limit: int = MAX_TEXT) -> str:
    text = (value or "").strip()
    if required and not text:
        raise ValidationError({field: [_("This field is required.")]})
    if len(text) > limit:
        raise ValidationError(
            {field: [_("At most %(n)d characters, please.") % {"n": limit}]}
        )  # fmt: skip
    return text


def _may_keep_framework(actor, framework) -> None:
    if not can(actor, "mel.change_framework", framework):
        raise PermissionDenied(
            _("Learning questions are kept by whoever keeps the framework: hub staff, or the "
              "landscape's leaders for its own framework.")
        )  # fmt: skip


def _may_record(actor, landscape) -> None:
    """The initiative's sessions: hub staff, reviewers, core partners. A landscape's: hub
    staff, reviewers and the landscape's leaders and managers."""
    from landhub.core.access import is_core_partner

    from ..rules import is_reviewer

    allowed = can(actor, "mel.record_reflection") and (
        is_reviewer(actor)
        or (landscape is None and is_core_partner(actor))
        or (landscape is not None and can(actor, "mel.change_reflection",
                                          ReflectionSession(landscape=landscape)))
    )  # fmt: skip
    if not allowed:
        raise PermissionDenied(
            _("Sessions of the initiative are recorded by hub staff, reviewers and core "
              "partners; a landscape's sessions by its leaders and managers.")
        )  # fmt: skip


def _may_change(actor, session) -> None:
    if not can(actor, "mel.change_reflection", session):
        raise PermissionDenied(
            _("Reviewers, the landscape's leaders and whoever recorded the session keep it.")
        )


def _only_visible(actor, model, records, *, field: str) -> list:
    """The records as given, refusing any the actor may not read (and archived ones)."""
    records = list(dict.fromkeys(records or []))
    if len(records) > MAX_LINKS:
        raise ValidationError({field: [_("At most %(n)d, please.") % {"n": MAX_LINKS}]})
    if not records:
        return []
    qs = model.objects.filter(pk__in=[r.pk for r in records])
    if hasattr(qs, "visible_to"):
        qs = qs.visible_to(actor)
    if hasattr(model, "archived_at"):
        qs = qs.filter(archived_at__isnull=True)
    found = set(qs.values_list("pk", flat=True))
    missing = [str(r) for r in records if r.pk not in found]
    if missing:
        raise ValidationError(
            {field: [_("Not found, or not yours to see: %(names)s.") % {
                "names": ", ".join(missing[:5])}]}
        )  # fmt: skip
    return records


def _questions(actor, questions) -> list:
    """Questions of frameworks the actor may see."""
    from ..models import Framework

    questions = list(dict.fromkeys(questions or []))
    if len(questions) > MAX_LINKS:
        raise ValidationError({"questions": [_("At most %(n)d, please.") % {"n": MAX_LINKS}]})
    if not questions:
        return []
    visible = set(
        LearningQuestion.objects.filter(pk__in=[q.pk for q in questions]).filter(
            Framework.objects.visible_through(actor, "node__framework__")
        ).values_list("pk", flat=True)
    )  # fmt: skip
    if any(q.pk not in visible for q in questions):
        raise ValidationError({"questions": [_("A learning question was not found.")]})
    return questions


def _tags(tags) -> list:
    tags = list(dict.fromkeys(tags or []))
    wrong = [t for t in tags if t.vocabulary not in TAG_VOCABULARIES]
    if wrong:
        raise ValidationError({"tags": [_("Tags come from the themes, capabilities, SDGs and ILM "
                                          "elements: %(names)s is not one.") % {
                                              "names": wrong[0]}]})  # fmt: skip
    return tags


def _held_on(value) -> dt.date:
    if not isinstance(value, dt.date):
        raise ValidationError({"held_on": [_("Give the date of the session.")]})
    if value > timezone.localdate() + dt.timedelta(days=366):
        raise ValidationError({"held_on": [_("A session more than a year ahead? Check the "
                                             "date.")]})  # fmt: skip
    if value.year < 1990:
        raise ValidationError({"held_on": [_("Check the date of the session.")]})
    return value


def _visibility(value) -> str:
    if value not in Visibility.values:
        raise ValidationError({"visibility": [_("Choose who may read the session.")]})
    return value


def _landscape(actor, landscape):
    from landhub.directory.models import Landscape

    if landscape is None:
        return None
    if not Landscape.objects.visible_to(actor).filter(pk=landscape.pk).exists():
        raise ValidationError({"landscape": [_("Landscape not found.")]})
    return landscape


def _person(actor, person, *, field: str):
    from landhub.directory.models import Person

    if person is None:
        return None
    if not Person.objects.visible_to(actor).active().filter(pk=person.pk).exists():
        raise ValidationError({field: [_("Person not found.")]})
    return person


# --- learning questions ----------------------------------------------------------------------


@transaction.atomic
def question_create(*, actor, node, question: str) -> LearningQuestion:
    """A question the initiative wants answered, on a node of a framework."""
    _may_keep_framework(actor, node.framework)
    if node.framework.archived_at is not None:
        raise ValidationError({"node": [_("This framework is archived.")]})
    record = LearningQuestion(
        node=node, question=_text(question, field="question", required=True, limit=2000),
        created_by=actor,
    )  # fmt: skip
    record.full_clean()
    record._history_user = actor
    record.save()
    return record


@transaction.atomic
def question_update(*, actor, question, version: int | None, text: str | None = None,
                    node=None) -> LearningQuestion:  # fmt: skip
    """Reword a question or move it to another node of the same framework."""
    _may_keep_framework(actor, question.node.framework)
    if text is not None:
        question.question = _text(text, field="question", required=True, limit=2000)
    if node is not None and node.pk != question.node_id:
        if node.framework_id != question.node.framework_id:
            raise ValidationError({"node": [_("Choose a node of the same framework.")]})
        question.node = node
    question._history_user = actor
    save_versioned(question, expected_version=version)
    return question


@transaction.atomic
def question_answer(*, actor, question, version: int | None, answer: str) -> LearningQuestion:
    """Record what has been learned; the question is answered (it can be answered again as
    more is learned)."""
    _may_keep_framework(actor, question.node.framework)
    question.answer = _text(answer, field="answer", required=True)
    question.status = QuestionStatus.ANSWERED
    question._history_user = actor
    save_versioned(question, expected_version=version)
    return question


@transaction.atomic
def question_drop(*, actor, question, version: int | None, reopen: bool = False,
                  reason: str = "") -> LearningQuestion:  # fmt: skip
    """Drop a question nobody needs answered any more (kept, with its sessions), or open a
    dropped or answered one again (``reopen``)."""
    _may_keep_framework(actor, question.node.framework)
    if reopen:
        question.status = QuestionStatus.OPEN
    else:
        if question.status == QuestionStatus.DROPPED:
            raise ValidationError({"status": [_("This question is already dropped.")]})
        question.status = QuestionStatus.DROPPED
    question._history_user = actor
    question._change_reason = (reason or "").strip()[:100] or None
    save_versioned(question, expected_version=version)
    return question


# --- reflection sessions ---------------------------------------------------------------------


def _links(actor, *, participants, questions, indicators, outcomes, stories, tags) -> dict:
    """Every linked record checked at once; only what was given (None = leave as is)."""
    from landhub.directory.models import Person

    from ..models import Indicator, OutcomeStatement, Story

    links = {}
    if participants is not None:
        links["participants"] = _only_visible(actor, Person, participants, field="participants")
    if questions is not None:
        links["questions"] = _questions(actor, questions)
    if indicators is not None:
        links["indicators"] = _only_visible(actor, Indicator, indicators, field="indicators")
    if outcomes is not None:
        links["outcomes"] = _only_visible(actor, OutcomeStatement, outcomes, field="outcomes")
    if stories is not None:
        links["stories"] = _only_visible(actor, Story, stories, field="stories")
    if tags is not None:
        links["tags"] = _tags(tags)
    return links


def _set_links(session, links: dict) -> None:
    for name, records in links.items():
        getattr(session, name).set(records)


@transaction.atomic
def session_create(*, actor, title: str, held_on, reflections: str, landscape=None,
                   participants=(), other_participants: str = "", questions=(), indicators=(),
                   outcomes=(), stories=(), tags=(), visibility: str = "network",
                   ) -> ReflectionSession:  # fmt: skip
    """Record a pause-and-reflect session with its participants, the evidence reviewed and
    the reflections."""
    _may_record(actor, landscape)
    session = ReflectionSession(
        title=_text(title, field="title", required=True, limit=200),
        held_on=_held_on(held_on), landscape=_landscape(actor, landscape),
        other_participants=_text(other_participants, field="other_participants",
                                 required=False, limit=2000),
        reflections=_text(reflections, field="reflections", required=True),
        visibility=_visibility(visibility), recorded_by=actor,
    )  # fmt: skip
    links = _links(actor, participants=participants, questions=questions, indicators=indicators,
                   outcomes=outcomes, stories=stories, tags=tags)  # fmt: skip
    session.full_clean()
    session._history_user = actor
    session.save()
    _set_links(session, links)
    return session


SESSION_TEXT = {"title": 200, "other_participants": 2000, "reflections": MAX_TEXT}


@transaction.atomic
def session_update(*, actor, session, version: int | None, participants=None, questions=None,
                   indicators=None, outcomes=None, stories=None, tags=None,
                   **fields) -> ReflectionSession:  # fmt: skip
    """Change a session: any of ``title``, ``held_on``, ``landscape``, ``other_participants``,
    ``reflections``, ``visibility`` and the linked records (a list replaces the links, None
    leaves them). Moving a session to another landscape needs the right to record there."""
    _may_change(actor, session)
    allowed = {"title", "held_on", "landscape", "other_participants", "reflections",
               "visibility"}  # fmt: skip
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError({sorted(unknown)[0]: [_("This field cannot be set here.")]})
    if session.archived_at is not None:
        raise ValidationError({"session": [_("This session is archived.")]})
    for name, limit in SESSION_TEXT.items():
        if name in fields:
            required = name != "other_participants"
            setattr(session, name, _text(fields[name], field=name, required=required, limit=limit))
    if "held_on" in fields:
        session.held_on = _held_on(fields["held_on"])
    if "visibility" in fields:
        session.visibility = _visibility(fields["visibility"])
    if "landscape" in fields and getattr(fields["landscape"], "pk", None) != session.landscape_id:
        _may_record(actor, fields["landscape"])
        session.landscape = _landscape(actor, fields["landscape"])
    links = _links(actor, participants=participants, questions=questions, indicators=indicators,
                   outcomes=outcomes, stories=stories, tags=tags)  # fmt: skip
    session.full_clean()
    session._history_user = actor
    save_versioned(session, expected_version=version)
    _set_links(session, links)
    return session


@transaction.atomic
def session_archive(*, actor, session, version: int | None,
                    restore: bool = False) -> ReflectionSession:  # fmt: skip
    """Archive a session (kept, with its decisions; out of lists and search), or restore it."""
    _may_change(actor, session)
    if restore:
        session.archived_at = None
    else:
        if session.archived_at is not None:
            raise ValidationError({"session": [_("This session is already archived.")]})
        if session.decisions.filter(status__in=OPEN_DECISION_STATES).exists():
            raise ValidationError({"session": [_("Close or drop its open decisions first: "
                                                 "their owners are still at work.")]})  # fmt: skip
        session.archived_at = timezone.now()
    session._history_user = actor
    save_versioned(session, expected_version=version, update_fields=["archived_at"])
    return session


# --- adaptation decisions --------------------------------------------------------------------


def _decision_targets(actor, *, nodes, indicators) -> dict:
    from ..models import Framework, FrameworkNode, Indicator

    targets = {}
    if nodes is not None:
        nodes = list(dict.fromkeys(nodes))
        if len(nodes) > MAX_LINKS:
            raise ValidationError({"nodes": [_("At most %(n)d, please.") % {"n": MAX_LINKS}]})
        visible = set(
            FrameworkNode.objects.filter(pk__in=[n.pk for n in nodes])
            .filter(Framework.objects.visible_through(actor, "framework__"))
            .values_list("pk", flat=True)
        )  # fmt: skip
        if any(n.pk not in visible for n in nodes):
            raise ValidationError({"nodes": [_("A framework node was not found.")]})
        targets["nodes"] = nodes
    if indicators is not None:
        targets["indicators"] = _only_visible(actor, Indicator, indicators, field="indicators")
    return targets


def _notify_owner(actor, decision) -> None:
    """Tell the person named as owner (if they sign in to the hub, and are not the actor)."""
    from landhub.core.services import notify

    owner = decision.owner
    if owner is None or owner.user_id is None or owner.user_id == actor.pk:
        return
    due = (_(" by %(date)s") % {"date": decision.due_on.isoformat()}) if decision.due_on else ""
    notify(
        recipients=[owner.user], kind="mel.adaptation_owner",
        title=_("You own an adaptation decision%(due)s: %(what)s") % {
            "due": due, "what": decision.what_changes[:120]},
        body=_("Decided in the reflection session “%(session)s”.") % {
            "session": decision.session.title},
        url=decision.get_absolute_url(),
    )  # fmt: skip


@transaction.atomic
def decision_create(*, actor, session, what_changes: str, why: str, owner=None,
                    due_on: dt.date | None = None, nodes=(), indicators=(),
                    ) -> AdaptationDecision:  # fmt: skip
    """What the session decided to change, why, who does it and by when, and the framework
    nodes and indicators it revises. The owner is notified."""
    _may_change(actor, session)
    if session.archived_at is not None:
        raise ValidationError({"session": [_("This session is archived.")]})
    if due_on is not None and not isinstance(due_on, dt.date):
        raise ValidationError({"due_on": [_("Give a date.")]})
    decision = AdaptationDecision(
        session=session, what_changes=_text(what_changes, field="what_changes", required=True,
                                            limit=2000),
        why=_text(why, field="why", required=True, limit=5000),
        owner=_person(actor, owner, field="owner"), due_on=due_on,
    )  # fmt: skip
    targets = _decision_targets(actor, nodes=nodes, indicators=indicators)
    decision.full_clean()
    decision._history_user = actor
    decision.save()
    _set_links(decision, targets)
    _notify_owner(actor, decision)
    return decision


_UNSET = object()


@transaction.atomic
def decision_update(*, actor, decision, version: int | None, status: str | None = None,
                    what_changes: str | None = None, why: str | None = None, owner=_UNSET,
                    due_on=_UNSET, nodes=None, indicators=None) -> AdaptationDecision:  # fmt: skip
    """Change a decision; ``status`` moves along ``DECISION_TRANSITIONS``. A new owner is
    notified. Arguments left out (or None for lists and texts) stay as they are; ``owner`` and
    ``due_on`` may be set to None."""
    _may_change(actor, decision.session)
    if status is not None and status != decision.status:
        if status not in DecisionStatus.values:
            raise ValidationError({"status": [_("Unknown status.")]})
        if status not in DECISION_TRANSITIONS[DecisionStatus(decision.status)]:
            raise ValidationError({"status": [_("A decision that is %(now)s cannot become "
                                                "%(next)s.") % {
                "now": DecisionStatus(decision.status).label.lower(),
                "next": DecisionStatus(status).label.lower()}]})  # fmt: skip
        decision.status = status
    if what_changes is not None:
        decision.what_changes = _text(what_changes, field="what_changes", required=True,
                                      limit=2000)  # fmt: skip
    if why is not None:
        decision.why = _text(why, field="why", required=True, limit=5000)
    new_owner = False
    if owner is not _UNSET:
        new_owner = getattr(owner, "pk", None) != decision.owner_id
        decision.owner = _person(actor, owner, field="owner")
    if due_on is not _UNSET:
        if due_on is not None and not isinstance(due_on, dt.date):
            raise ValidationError({"due_on": [_("Give a date.")]})
        decision.due_on = due_on
    targets = _decision_targets(actor, nodes=nodes, indicators=indicators)
    decision.full_clean()
    decision._history_user = actor
    save_versioned(decision, expected_version=version)
    _set_links(decision, targets)
    if new_owner:
        _notify_owner(actor, decision)
    return decision


# --- revisions: a framework or indicator changed because of a decision ---------------------


def adaptation_reason(decision) -> str:
    """The change reason written in the history when the editor typed none."""
    return (_("Adaptation decision #%(id)d: %(what)s") % {
        "id": decision.pk, "what": decision.what_changes})[:100]  # fmt: skip


def check_adaptation(decision) -> None:
    """Only an open decision (planned or in progress) causes changes."""
    if decision is None:
        return
    if decision.status not in OPEN_DECISION_STATES:
        raise ValidationError({"adaptation": [_("This decision is %(status)s; choose an open "
                                                "one.") % {
            "status": DecisionStatus(decision.status).label.lower()}]})  # fmt: skip


def revision_record(*, actor, decision, summary: str, framework=None, node=None,
                    indicator=None) -> AdaptationRevision:  # fmt: skip
    """Tie a change to the decision that caused it. Called inside the changing service's
    transaction (``node_save``, ``edge_save``, ``indicator_update`` …), which has checked the
    actor's right to make the change."""
    check_adaptation(decision)
    revision = AdaptationRevision(
        decision=decision, framework=framework, node=node, indicator=indicator,
        summary=(summary or "")[:300], changed_at=timezone.now(), changed_by=actor,
    )  # fmt: skip
    revision.save()
    return revision
