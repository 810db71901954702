"""The learning loop's services and selectors: learning questions, reflection sessions,
adaptation decisions, and the revisions a decision causes in a framework or an indicator —
happy paths, each refusal, bad input, stale versions, and who sees what."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from landhub.core.exceptions import ConflictError
from landhub.core.models import Notification
from landhub.directory import factories as f
from landhub.directory.models import Vocabulary
from landhub.mel import selectors, services
from landhub.mel.models import (
    AdaptationRevision,
    FrameworkNode,
    ReflectionSession,
)

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()


def _messages(exc) -> str:
    return " ".join(exc.value.messages)


@pytest.fixture
def loop(world):
    """The initiative's framework (published), an indicator, a question on O2, a network
    session of the initiative discussing it, and a decision revising O2."""
    framework = services.framework_create(actor=world.hana, title="Initiative ToC",
                                          template="initiative")  # fmt: skip
    framework = services.framework_publish(actor=world.hana, framework=framework,
                                           version=framework.version)  # fmt: skip
    indicator = services.indicator_create(actor=world.hana, code="FIN-1", name="Loans made",
                                          definition="Loans.", measure="count")  # fmt: skip
    o2 = framework.nodes.get(code="O2")
    question = services.question_create(
        actor=world.hana, node=o2, question="Do finance criteria change bank lending?"
    )
    session = services.session_create(
        actor=world.hana, title="Annual pause and reflect", held_on=TODAY,
        reflections="Banks **listen** <script>alert(1)</script>", questions=[question],
        indicators=[indicator], participants=[world.people["nora"]],
        tags=[f.term(Vocabulary.THEME, "finance")],
    )  # fmt: skip
    decision = services.decision_create(
        actor=world.hana, session=session, what_changes="Split O2 into public and private finance",
        why="Banks and funds move differently.", owner=world.people["lena"],
        due_on=TODAY + dt.timedelta(days=30), nodes=[o2], indicators=[indicator],
    )  # fmt: skip
    return type("Loop", (), {"framework": framework, "indicator": indicator, "o2": o2,
                             "question": question, "session": session,
                             "decision": decision})  # fmt: skip


# --- learning questions ----------------------------------------------------------------------


def test_questions_go_with_the_framework_and_are_answered_dropped_reopened(world, loop):
    with pytest.raises(PermissionDenied):
        services.question_create(actor=world.lena, node=loop.o2, question="Mine?")
    with pytest.raises(ValidationError) as exc:
        services.question_create(actor=world.hana, node=loop.o2, question="   ")
    assert "This field is required." in _messages(exc)
    q = loop.question
    with pytest.raises(ValidationError) as exc:
        services.question_answer(actor=world.hana, question=q, version=q.version, answer="")
    q = services.question_answer(actor=world.hana, question=q, version=q.version,
                                 answer="Yes, when regulators ask for it.")  # fmt: skip
    assert q.status == "answered" and q.version == 2
    with pytest.raises(ConflictError):
        services.question_update(actor=world.hana, question=q, version=1, text="Stale")
    other = services.framework_create(actor=world.hana, title="Other", template="landscale")
    with pytest.raises(ValidationError) as exc:
        services.question_update(actor=world.hana, question=q, version=q.version,
                                 node=other.nodes.first())  # fmt: skip
    assert "same framework" in _messages(exc)
    q = services.question_drop(actor=world.hana, question=q, version=q.version)
    assert q.status == "dropped"
    with pytest.raises(ValidationError, match="already dropped"):
        services.question_drop(actor=world.hana, question=q, version=q.version)
    q = services.question_drop(actor=world.hana, question=q, version=q.version, reopen=True)
    assert q.status == "open"


def test_a_landscape_leader_keeps_the_questions_of_her_own_framework(world, loop):
    mine = services.framework_create(
        actor=world.lena, title="Highlands ToC", landscape=world.landscape, template="four_returns"
    )
    node = mine.nodes.first()
    question = services.question_create(actor=world.lena, node=node, question="Do youth stay?")
    assert question.created_by == world.lena
    with pytest.raises(PermissionDenied):
        services.question_answer(actor=world.nora, question=question, version=None, answer="x")


def test_a_node_with_learning_questions_is_not_removed(world, loop):
    with pytest.raises(ValidationError, match="learning questions"):
        services.node_remove(actor=world.hana, node=loop.o2, reason="Merged")
    assert FrameworkNode.objects.filter(pk=loop.o2.pk).exists()


# --- reflection sessions ---------------------------------------------------------------------


def test_who_records_a_session_of_the_initiative_or_of_a_landscape(world):
    args = {"title": "Reflection", "held_on": TODAY, "reflections": "Notes."}
    for persona in ("hana", "pablo"):
        services.session_create(actor=getattr(world, persona), **args)
    for persona in ("lena", "nora", "oscar", "sofia"):
        with pytest.raises(PermissionDenied):
            services.session_create(actor=getattr(world, persona), **args)
    own = services.session_create(actor=world.lena, landscape=world.landscape, **args)
    assert own.recorded_by == world.lena
    other = f.LandscapeFactory(name="Lake Basin")
    with pytest.raises(PermissionDenied):
        services.session_create(actor=world.lena, landscape=other, **args)
    # Pablo records the initiative's session and keeps it; nora may not touch it.
    session = services.session_create(actor=world.pablo, **args)
    services.session_update(actor=world.pablo, session=session, version=session.version,
                            title="Reflection, corrected")  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.session_update(actor=world.nora, session=session, version=None, title="x")


def test_session_input_is_checked_and_stale_edits_refused(world, loop):
    args = {"title": "Reflection", "held_on": TODAY, "reflections": "Notes."}
    with pytest.raises(ValidationError) as exc:
        services.session_create(actor=world.hana, **{**args, "title": ""})
    assert "This field is required." in _messages(exc)
    with pytest.raises(ValidationError, match="year ahead"):
        services.session_create(actor=world.hana, **{**args, "held_on": dt.date(2099, 1, 1)})
    with pytest.raises(ValidationError, match="date of the session"):
        services.session_create(actor=world.hana, **{**args, "held_on": "2026-01-01"})
    with pytest.raises(ValidationError, match="who may read"):
        services.session_create(actor=world.hana, **{**args, "visibility": "everyone"})
    with pytest.raises(ValidationError, match="not one"):
        forest = f.term(Vocabulary.ECOSYSTEM, "tropical-forest")
        services.session_create(actor=world.hana, tags=[forest], **args)
    with pytest.raises(ValidationError, match="cannot be set"):
        services.session_update(actor=world.hana, session=loop.session, version=None,
                                recorded_by=world.nora)  # fmt: skip
    session = services.session_update(actor=world.hana, session=loop.session,
                                      version=loop.session.version, title="Renamed")  # fmt: skip
    with pytest.raises(ConflictError):
        services.session_update(actor=world.hana, session=session, version=1, title="Stale")


def test_evidence_the_actor_may_not_read_cannot_be_linked(world, loop):
    from landhub.mel.models import Story

    hidden = Story.objects.create(
        title="A hidden story", landscape=world.restricted_landscape, storyteller="Amina",
        domain=Story._meta.get_field("domain").choices[0][0], told_on=TODAY, story="Told.",
        why_significant="Because.", visibility="restricted", collected_by=world.hana,
    )  # fmt: skip
    with pytest.raises(ValidationError, match="not yours to see"):
        services.session_update(actor=world.lena, session=services.session_create(
            actor=world.lena, title="Mine", held_on=TODAY, reflections="x",
            landscape=world.landscape), version=None, stories=[hidden])  # fmt: skip
    session = services.session_update(actor=world.hana, session=loop.session, version=None,
                                      stories=[hidden])  # fmt: skip
    assert list(session.stories.all()) == [hidden]
    # Nora reads the session but not the story: the page leaves it out.
    assert selectors.session_detail(user=world.nora, pk=session.pk).shown_stories == []
    assert selectors.session_detail(user=world.hana, pk=session.pk).shown_stories == [hidden]


def test_a_restricted_session_is_read_by_participants_and_landscape_members_only(world, loop):
    from django.http import Http404

    session = services.session_create(
        actor=world.hana, title="Closed door", held_on=TODAY, reflections="Candid notes.",
        landscape=world.landscape, visibility="restricted",
        participants=[world.people["nora"], world.people["pablo"]],
    )  # fmt: skip
    readers = {
        p for p in ("hana", "pablo", "sofia", "lena", "nora", "oscar")
        if selectors.session_list(user=getattr(world, p)).filter(pk=session.pk).exists()
    }  # fmt: skip
    assert readers == {"hana", "lena", "nora", "pablo"}  # staff, member, two participants
    with pytest.raises(Http404):
        selectors.session_detail(user=world.oscar, pk=session.pk)
    # Two participants do not make the session appear twice.
    assert selectors.session_list(user=world.nora).filter(pk=session.pk).count() == 1
    # Its decisions are as hidden as the session.
    decision = services.decision_create(actor=world.hana, session=session, what_changes="x",
                                        why="y")  # fmt: skip
    assert not selectors.decision_list(user=world.oscar).filter(pk=decision.pk).exists()
    assert selectors.decision_list(user=world.nora).filter(pk=decision.pk).exists()


def test_archiving_waits_for_open_decisions_and_can_be_undone(world, loop):
    session = loop.session
    with pytest.raises(ValidationError, match="open decisions"):
        services.session_archive(actor=world.hana, session=session, version=session.version)
    services.decision_update(actor=world.hana, decision=loop.decision,
                             version=loop.decision.version, status="dropped")  # fmt: skip
    with pytest.raises(ConflictError):
        services.session_archive(actor=world.hana, session=session, version=0)
    session.refresh_from_db()
    session = services.session_archive(actor=world.hana, session=session, version=session.version)
    assert session.archived_at is not None
    assert not selectors.session_list(user=world.hana).filter(pk=session.pk).exists()
    assert selectors.session_list(user=world.hana, filters={"archived": "1"}).filter(
        pk=session.pk).exists()  # fmt: skip
    with pytest.raises(ValidationError, match="archived"):
        services.decision_create(actor=world.hana, session=session, what_changes="x", why="y")
    session = services.session_archive(actor=world.hana, session=session,
                                       version=session.version, restore=True)  # fmt: skip
    assert session.archived_at is None


# --- adaptation decisions --------------------------------------------------------------------


def test_the_owner_is_told_when_named_and_status_moves_along(world, loop):
    notes = Notification.objects.filter(recipient=world.lena, kind="mel.adaptation_owner")
    assert notes.count() == 1 and "Split O2" in notes.first().title
    decision = loop.decision
    decision = services.decision_update(actor=world.hana, decision=decision,
                                        version=decision.version, status="done")  # fmt: skip
    with pytest.raises(ValidationError, match="cannot become"):
        services.decision_update(actor=world.hana, decision=decision, version=decision.version,
                                 status="dropped")  # fmt: skip
    with pytest.raises(ValidationError, match="Unknown status"):
        services.decision_update(actor=world.hana, decision=decision, version=decision.version,
                                 status="finished")  # fmt: skip
    with pytest.raises(ConflictError):
        services.decision_update(actor=world.hana, decision=decision, version=1,
                                 status="in_progress")  # fmt: skip
    decision = services.decision_update(actor=world.hana, decision=decision,
                                        version=decision.version, status="in_progress",
                                        owner=world.people["nora"])  # fmt: skip
    assert Notification.objects.filter(recipient=world.nora, kind="mel.adaptation_owner").exists()
    with pytest.raises(PermissionDenied):
        services.decision_update(actor=world.nora, decision=decision, version=None,
                                 status="done")  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        services.decision_create(actor=world.hana, session=loop.session, what_changes="",
                                 why="y")  # fmt: skip
    assert "required" in _messages(exc)


def test_overdue_decisions_are_flagged_and_filtered(world, loop):
    late = services.decision_create(actor=world.hana, session=loop.session, what_changes="Late",
                                    why="Slow", due_on=dt.date(2020, 1, 1))  # fmt: skip
    overdue = selectors.decision_list(user=world.hana, filters={"overdue": "yes"})
    assert list(overdue) == [late]
    assert selectors.decision_detail(user=world.hana, pk=late.pk).is_overdue
    mine = selectors.decision_list(user=world.lena, filters={"owner": "me"})
    assert list(mine) == [loop.decision]
    by_framework = selectors.decision_list(user=world.hana,
                                           filters={"framework": loop.framework.slug})  # fmt: skip
    assert list(by_framework) == [loop.decision]
    services.decision_update(actor=world.hana, decision=late, version=late.version,
                             status="done")  # fmt: skip
    assert not selectors.decision_list(user=world.hana, filters={"overdue": "yes"}).exists()


# --- revisions: which reflection caused which change -----------------------------------------


def test_a_node_changed_because_of_a_decision_writes_the_revision_and_the_reason(world, loop):
    node = services.node_save(
        actor=world.hana, framework=loop.framework, node=loop.o2, kind="outcome", code="O2",
        title="Public and private finance flow to landscape partnerships",
        adaptation=loop.decision,
    )  # fmt: skip
    revision = AdaptationRevision.objects.get(decision=loop.decision)
    assert revision.framework == loop.framework and revision.node == node
    assert revision.summary == "Node O2 changed: title" and revision.changed_by == world.hana
    # The published framework needed a reason: the decision gave it.
    last = FrameworkNode.history.filter(id=node.pk).first()
    assert last.history_change_reason.startswith(f"Adaptation decision #{loop.decision.pk}: ")
    # A typed reason is kept; an edge change is tied too.
    services.edge_save(actor=world.hana, framework=loop.framework, source=node,
                       target=loop.framework.nodes.get(code="I1"), evidence="strong",
                       reason="New study", adaptation=loop.decision)  # fmt: skip
    rows = selectors.revision_list(user=world.nora, framework=loop.framework)
    assert [r.summary for r in rows] == ["Link O2 → I1 changed (Strong)",
                                         "Node O2 changed: title"]  # fmt: skip
    assert all(r.decision_shown for r in rows)


def test_a_closed_decision_causes_no_change_and_nothing_is_written(world, loop):
    decision = services.decision_update(actor=world.hana, decision=loop.decision,
                                        version=loop.decision.version, status="done")  # fmt: skip
    with pytest.raises(ValidationError, match="choose an open one"):
        services.node_save(actor=world.hana, framework=loop.framework, node=loop.o2,
                           kind="outcome", code="O2", title="Changed",
                           adaptation=decision)  # fmt: skip
    loop.o2.refresh_from_db()
    assert loop.o2.title != "Changed" and not AdaptationRevision.objects.exists()
    # Without a decision, a published framework still needs a typed reason (issue 5).
    with pytest.raises(ValidationError, match="Say why"):
        services.node_save(actor=world.hana, framework=loop.framework, node=loop.o2,
                           kind="outcome", code="O2", title="Changed")  # fmt: skip


def test_an_indicator_changed_because_of_a_decision_is_listed_on_it(world, loop):
    indicator = services.indicator_update(
        actor=world.hana, indicator=loop.indicator, version=loop.indicator.version,
        name="Loans made to landscape enterprises", adaptation=loop.decision,
    )  # fmt: skip
    assert indicator.history.first().history_change_reason.startswith("Adaptation decision #")
    rows = selectors.revision_list(user=world.hana, indicator=indicator)
    assert [r.summary for r in rows] == ["Indicator FIN-1 changed: name"]
    # Whoever may not read the session sees the change, not the decision behind it.
    restricted = services.session_create(actor=world.hana, title="Closed", held_on=TODAY,
                                         reflections="x", visibility="restricted")  # fmt: skip
    hidden = services.decision_create(actor=world.hana, session=restricted, what_changes="y",
                                      why="z", indicators=[indicator])  # fmt: skip
    services.indicator_update(actor=world.hana, indicator=indicator, version=indicator.version,
                              unit="loans", adaptation=hidden)  # fmt: skip
    shown = {r.summary: r.decision_shown
             for r in selectors.revision_list(user=world.oscar, indicator=indicator)}  # fmt: skip
    assert shown == {"Indicator FIN-1 changed: unit": False,
                     "Indicator FIN-1 changed: name": True}  # fmt: skip


def test_open_decisions_are_offered_most_relevant_first(world, loop):
    i1 = loop.framework.nodes.get(code="I1")
    other = services.decision_create(actor=world.hana, session=loop.session, what_changes="I1",
                                     why="w", nodes=[i1])  # fmt: skip
    offered = selectors.open_decisions_for(user=world.hana, framework=loop.framework,
                                           node=loop.o2)  # fmt: skip
    assert offered == [loop.decision, other]
    assert selectors.open_decisions_for(user=world.hana, indicator=loop.indicator) == [
        loop.decision]  # fmt: skip


def test_sessions_are_found_by_search_filters_and_tags(world, loop):
    second = services.session_create(
        actor=world.hana, title="Landscape finance clinic review",
        held_on=dt.date(TODAY.year - 1, 6, 1), reflections="Clinics help.",
        landscape=world.landscape,
    )  # fmt: skip

    def titles(**filters):
        return [s.title for s in selectors.session_list(user=world.hana, filters=filters)]

    assert titles(year=str(TODAY.year - 1)) == [second.title]
    assert titles(landscape="initiative") == [loop.session.title]
    assert titles(landscape=world.landscape.slug) == [second.title]
    assert titles(tag="finance") == [loop.session.title]
    assert titles(decisions="yes") == [loop.session.title]
    assert titles(decisions="no") == [second.title]
    assert titles(question=str(loop.question.pk)) == [loop.session.title]
    assert titles(indicator="fin-1") == [loop.session.title]
    assert titles(q="clinics") == [second.title]
    assert selectors.session_years(user=world.hana) == [TODAY.year, TODAY.year - 1]
    from landhub.core.search import search_sections

    section = next(s for s in search_sections() if s.key == "reflection")
    assert [s.title for s in section.results(world.nora, "clinic")] == [second.title]
    assert list(section.results(world.oscar, "nothing-like-this")) == []
    assert ReflectionSession.objects.count() == 2
