"""The learning loop's pages and API: what a person sees and gets — forms with suggestions,
conflicts, the framework page listing which decision caused which change, list filters, CSV,
bounded queries and the API's answers."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from landhub.directory import factories as f
from landhub.mel import services
from landhub.mel.models import AdaptationDecision, ReflectionSession

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()


@pytest.fixture
def loop(world):
    framework = services.framework_create(actor=world.hana, title="Initiative ToC",
                                          template="initiative")  # fmt: skip
    framework = services.framework_publish(actor=world.hana, framework=framework,
                                           version=framework.version)  # fmt: skip
    indicator = services.indicator_create(actor=world.hana, code="FIN-1", name="Loans made",
                                          definition="Loans.", measure="count")  # fmt: skip
    o2 = framework.nodes.get(code="O2")
    question = services.question_create(actor=world.hana, node=o2,
                                        question="Do finance criteria change lending?")  # fmt: skip
    session = services.session_create(
        actor=world.hana, title="Annual pause and reflect", held_on=TODAY,
        reflections="Banks **listen**. <script>alert(1)</script>", questions=[question],
        indicators=[indicator], participants=[world.people["nora"]],
    )  # fmt: skip
    decision = services.decision_create(
        actor=world.hana, session=session, what_changes="Split O2 in two", why="Different.",
        owner=world.people["lena"], due_on=TODAY + dt.timedelta(days=30), nodes=[o2],
        indicators=[indicator],
    )  # fmt: skip
    return type("Loop", (), {"framework": framework, "indicator": indicator, "o2": o2,
                             "question": question, "session": session,
                             "decision": decision})  # fmt: skip


def _csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


# --- the framework page: questions beside nodes, changes made because of decisions ------------


def test_a_node_edited_because_of_a_decision_shows_on_the_framework_and_decision_pages(
    client_for, world, loop
):
    hana = client_for("hana")
    url = reverse("mel:framework_node_edit", args=[loop.framework.slug, loop.o2.pk])
    page = hana.get(url)
    assert page.status_code == 200
    assert "Made because of the decision…" in page.content.decode()
    assert f"#{loop.decision.pk} Split O2 in two" in page.content.decode()
    # No reason and no decision on a published framework: the page says why it refuses.
    refused = hana.post(url, {"kind": "outcome", "code": "O2", "title": "Finance flows"})
    assert refused.status_code == 400 and "Say why a published framework changes." in (
        refused.content.decode())  # fmt: skip
    saved = hana.post(url, {"kind": "outcome", "code": "O2", "title": "Finance flows",
                            "adaptation": loop.decision.pk})  # fmt: skip
    assert saved.status_code == 302
    framework_page = client_for("nora").get(loop.framework.get_absolute_url()).content.decode()
    assert "Changes made because of reflections" in framework_page
    assert "Node O2 changed: title" in framework_page
    assert reverse("mel:decision_detail", args=[loop.decision.pk]) in framework_page
    assert reverse("mel:session_detail", args=[loop.session.pk]) in framework_page
    # The question is counted beside its node and listed.
    assert f"{reverse('mel:question_list')}?node={loop.o2.pk}" in framework_page
    assert "Do finance criteria change lending?" in framework_page
    decision_page = hana.get(loop.decision.get_absolute_url()).content.decode()
    assert "Node O2 changed: title" in decision_page


def test_an_indicator_edited_because_of_a_decision_lists_it_on_its_sheet(client_for, world, loop):
    hana = client_for("hana")
    url = reverse("mel:indicator_edit", args=["FIN-1"])
    form = hana.get(url).content.decode()
    assert "Made because of the decision…" in form
    data = {"code": "FIN-1", "name": "Loans to landscape enterprises", "definition": "Loans.",
            "measure": "count", "direction": "increase", "aggregation": "sum",
            "cumulative_mode": "non_cumulative", "frequency": "year",
            "version": loop.indicator.version, "adaptation": loop.decision.pk}  # fmt: skip
    assert hana.post(url, data).status_code == 302
    sheet = client_for("nora").get(reverse("mel:indicator_detail", args=["FIN-1"]))
    assert "Indicator FIN-1 changed: name" in sheet.content.decode()


# --- questions -------------------------------------------------------------------------------


def test_questions_are_asked_answered_and_listed_with_filters_and_csv(client_for, world, loop):
    hana = client_for("hana")
    create = reverse("mel:question_create", args=[loop.framework.slug])
    assert hana.post(create, {"node": "", "question": ""}).status_code == 400
    i1 = loop.framework.nodes.get(code="I1")
    assert hana.post(create, {"node": i1.pk, "question": "Who benefits?"}).status_code == 302
    q = loop.question
    answer = reverse("mel:question_answer", args=[q.pk])
    first = hana.post(answer, {"answer-answer": "Yes.", "answer-version": q.version})
    assert first.status_code == 302
    stale = hana.post(answer, {"answer-answer": "No.", "answer-version": q.version})
    assert stale.status_code == 409 and "changed by someone else" in stale.content.decode()
    listing = hana.get(reverse("mel:question_list"), {"status": "answered"}).content.decode()
    assert "Do finance criteria change lending?" in listing and "Who benefits?" not in listing
    listing = hana.get(reverse("mel:question_list"), {"kind": "impact"}).content.decode()
    assert "Who benefits?" in listing and "Do finance criteria" not in listing
    rows = _csv(hana.get(reverse("mel:question_export_csv"), {"q": "finance"}))
    assert rows[1][:3] == ["Do finance criteria change lending?", "Answered", "Yes."]
    assert rows[1][6] == "1"  # discussed in one session
    detail = client_for("nora").get(q.get_absolute_url()).content.decode()
    assert "Annual pause and reflect" in detail and "Save the answer" not in detail


# --- sessions --------------------------------------------------------------------------------


def test_recording_a_session_with_people_and_evidence_named_in_text_boxes(client_for, world, loop):
    hana = client_for("hana")
    url = reverse("mel:session_create")
    form = hana.get(url).content.decode()
    assert 'data-autocomplete-url="/mel/learning/suggest/?kind=person"' in form
    twin = f.PersonFactory(name="Nora")  # two people called Nora: the name alone is ambiguous
    data = {"title": "Kenya Highlands reflection", "held_on": TODAY.isoformat(),
            "landscape": world.landscape.name, "participants": ["Nora", "lena@example.org"],
            "indicators": ["FIN-1 · Loans made"], "reflections": "Good.",
            "visibility": "restricted", "questions": [loop.question.pk]}  # fmt: skip
    refused = hana.post(url, data)
    assert refused.status_code == 400
    assert "More than one person is called “Nora”" in refused.content.decode()
    data["participants"] = [f"Nora (#{world.people['nora'].pk})", "lena@example.org"]
    saved = hana.post(url, data)
    assert saved.status_code == 302
    session = ReflectionSession.objects.get(title="Kenya Highlands reflection")
    assert set(session.participants.all()) == {world.people["nora"], world.people["lena"]}
    assert twin not in session.participants.all() and session.landscape == world.landscape
    assert list(session.indicators.values_list("code", flat=True)) == ["FIN-1"]
    bad = hana.post(url, {**data, "indicators": ["NOPE-9"]})
    assert "No indicator called “NOPE-9” was found" in bad.content.decode()
    suggest = hana.get(reverse("mel:learning_suggest"), {"kind": "indicator", "q": "fin"})
    assert suggest.json()["results"][0]["label"] == "FIN-1 · Loans made"


def test_the_session_page_shows_evidence_reflections_and_flags_overdue_decisions(
    client_for, world, loop
):
    from landhub.mel.models import ReportingPeriod, Rollup

    period = ReportingPeriod.objects.create(
        kind="year", label="2025", start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 31),
        due=dt.date(2026, 2, 1),
    )  # fmt: skip
    Rollup.objects.create(indicator=loop.indicator, period=period, level="initiative", key="all",
                          value=12, to_date=40, computed_at=timezone.now())  # fmt: skip
    services.decision_create(actor=world.hana, session=loop.session, what_changes="Late one",
                             why="x", due_on=dt.date(2020, 1, 1))  # fmt: skip
    page = client_for("nora").get(loop.session.get_absolute_url()).content.decode()
    assert "<strong>listen</strong>" in page and "<script>alert(1)" not in page
    assert "FIN-1" in page and "initiative: 40 (2025)" in page
    assert "Overdue" in page and "Split O2 in two" in page
    assert "Do finance criteria change lending?" in page
    assert ">Edit<" not in page  # nora reads, does not keep


def test_a_stale_session_edit_keeps_the_input_and_says_so(client_for, world, loop):
    hana = client_for("hana")
    url = reverse("mel:session_edit", args=[loop.session.pk])
    form = hana.get(url).content.decode()
    assert "Annual pause and reflect" in form and f"Nora (#{world.people['nora'].pk})" in form
    services.session_update(actor=world.hana, session=loop.session, version=loop.session.version,
                            title="Changed meanwhile")  # fmt: skip
    data = {"title": "My title", "held_on": TODAY.isoformat(), "reflections": "Mine.",
            "visibility": "network", "version": 1}  # fmt: skip
    response = hana.post(url, data)
    assert response.status_code == 409
    assert "changed by someone else" in response.content.decode() and "My title" in (
        response.content.decode())  # fmt: skip
    assert hana.post(url, {**data, "version": 2}).status_code == 302
    loop.session.refresh_from_db()
    assert loop.session.title == "My title"


def test_session_list_filters_csv_and_bounded_queries(
    client_for, world, loop, django_assert_max_num_queries
):
    hana = client_for("hana")
    services.session_create(actor=world.lena, title="Highlands check-in", held_on=TODAY,
                            reflections="x", landscape=world.landscape)  # fmt: skip
    listing = hana.get(reverse("mel:session_list"), {"decisions": "yes"}).content.decode()
    assert "Annual pause and reflect" in listing and "Highlands check-in" not in listing
    rows = _csv(hana.get(reverse("mel:session_export_csv"), {"landscape": "initiative"}))
    assert [r[0] for r in rows[1:]] == ["Annual pause and reflect"]
    assert rows[1][3:5] == ["1", "1"]

    def cost():
        from django.core.cache import cache

        cache.clear()  # the first visit after a write: facets are counted, not read back
        with django_assert_max_num_queries(14) as queries:
            assert hana.get(reverse("mel:session_list")).status_code == 200
        with django_assert_max_num_queries(12) as decisions:
            assert hana.get(reverse("mel:decision_list")).status_code == 200
        with django_assert_max_num_queries(12) as questions:
            assert hana.get(reverse("mel:question_list")).status_code == 200
        with django_assert_max_num_queries(8) as api:
            assert hana.get("/api/v1/mel/learning/decisions?limit=100").status_code == 200
        return [len(q.captured_queries) for q in (queries, decisions, questions, api)]

    small = cost()
    for n in range(6):
        session = services.session_create(actor=world.hana, title=f"More {n}", held_on=TODAY,
                                          reflections="x", participants=[world.people["nora"]],
                                          questions=[loop.question])  # fmt: skip
        services.decision_create(actor=world.hana, session=session, what_changes=f"D{n}",
                                 why="y", owner=world.people["pablo"], nodes=[loop.o2])  # fmt: skip
        services.question_create(actor=world.hana, node=loop.o2, question=f"Q{n}?")
    assert cost() == small


def test_session_page_and_session_list_are_open_to_anonymous_for_public_sessions(
    client, world, loop
):
    public = services.session_create(actor=world.hana, title="Open reflection", held_on=TODAY,
                                     reflections="For all.", visibility="public")  # fmt: skip
    listing = client.get(reverse("mel:session_list")).content.decode()
    assert "Open reflection" in listing and "Annual pause and reflect" not in listing
    assert client.get(public.get_absolute_url()).status_code == 200
    assert client.get(loop.session.get_absolute_url()).status_code == 404


# --- decisions -------------------------------------------------------------------------------


def test_decisions_are_recorded_moved_along_and_listed(client_for, world, loop):
    hana = client_for("hana")
    url = reverse("mel:decision_create", args=[loop.session.pk])
    assert hana.post(url, {"what_changes": "", "why": ""}).status_code == 400
    response = hana.post(url, {"what_changes": "Add a finance indicator", "why": "Gap.",
                               "owner": f"Pablo (#{world.people['pablo'].pk})",
                               "due_on": "2020-05-01", "indicators": ["FIN-1"]})  # fmt: skip
    assert response.status_code == 302
    decision = AdaptationDecision.objects.get(what_changes="Add a finance indicator")
    assert decision.owner == world.people["pablo"]
    listing = hana.get(reverse("mel:decision_list"), {"overdue": "yes"}).content.decode()
    assert "Add a finance indicator" in listing and "Overdue" in listing
    assert "Split O2 in two" not in listing
    edit = reverse("mel:decision_edit", args=[decision.pk])
    moved = hana.post(edit, {"what_changes": decision.what_changes, "why": decision.why,
                             "owner": "", "status": "done",
                             "version": decision.version})  # fmt: skip
    assert moved.status_code == 302
    decision.refresh_from_db()
    assert decision.status == "done" and decision.owner is None
    stale = hana.post(edit, {"what_changes": "x", "why": "y", "status": "in_progress",
                             "version": 1})  # fmt: skip
    assert stale.status_code == 409
    rows = _csv(hana.get(reverse("mel:decision_export_csv"), {"status": "open"}))
    assert [r[0] for r in rows[1:]] == ["Split O2 in two"]
    assert rows[1][2] == "Lena" and rows[1][6] == "Annual pause and reflect"


# --- API -------------------------------------------------------------------------------------


def _json(client, method, url, data):
    return getattr(client, method)(url, json.dumps(data), content_type="application/json")


def test_the_api_records_sessions_and_decisions_and_answers_409_on_a_stale_version(
    client_for, world, loop
):
    hana = client_for("hana")
    api = "/api/v1/mel/learning"
    created = _json(hana, "post", f"{api}/sessions", {
        "title": "API session", "held_on": TODAY.isoformat(), "reflections": "Via the API.",
        "participants": [world.people["nora"].pk], "indicators": ["fin-1"],
        "tags": ["theme/finance"], "landscape": world.landscape.slug,
    })  # fmt: skip
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["landscape"] == world.landscape.slug and body["tags"] == ["theme/finance"]
    assert body["evidence"][0]["label"] == "FIN-1 Loans made"
    wrong_tag = {"title": "x", "held_on": "2026-01-01", "reflections": "y", "tags": ["nope"]}
    bad = _json(hana, "post", f"{api}/sessions", wrong_tag)
    assert bad.status_code == 422 and "tags" in bad.json()["errors"]
    session_id = body["id"]
    ok = _json(hana, "patch", f"{api}/sessions/{session_id}", {"version": 1, "title": "Renamed"})
    assert ok.status_code == 200 and ok.json()["version"] == 2
    stale = _json(hana, "patch", f"{api}/sessions/{session_id}", {"version": 1, "title": "Old"})
    assert stale.status_code == 409 and stale.json()["current"]["title"] == "Renamed"
    decision = _json(hana, "post", f"{api}/sessions/{session_id}/decisions", {
        "what_changes": "Reword O2", "why": "Unclear.", "owner": world.people["lena"].pk,
        "nodes": [loop.o2.pk], "due_on": "2020-01-01",
    })  # fmt: skip
    assert decision.status_code == 201 and decision.json()["overdue"] is True
    listed = hana.get(f"{api}/decisions", {"overdue": "yes"}).json()
    assert [d["what_changes"] for d in listed["items"]] == ["Reword O2"]
    moved = _json(hana, "patch", f"{api}/decisions/{decision.json()['id']}",
                  {"version": 1, "status": "in_progress"})  # fmt: skip
    assert moved.status_code == 200 and moved.json()["status"] == "in_progress"
    wrong = _json(hana, "patch", f"{api}/decisions/{decision.json()['id']}",
                  {"version": 2, "status": "planned_later"})  # fmt: skip
    assert wrong.status_code == 422
    services.node_save(actor=world.hana, framework=loop.framework, node=loop.o2, kind="outcome",
                       code="O2", title="Reworded", adaptation=loop.decision)  # fmt: skip
    revisions = client_for("nora").get(f"/api/v1/mel/frameworks/{loop.framework.slug}/revisions")
    assert revisions.json()[0]["summary"] == "Node O2 changed: title"
    assert revisions.json()[0]["decision"] == loop.decision.pk


def test_the_api_answers_and_drops_questions(client_for, world, loop):
    hana = client_for("hana")
    api = "/api/v1/mel/learning/questions"
    q = loop.question
    answered = _json(hana, "patch", f"{api}/{q.pk}", {"version": q.version, "answer": "Yes."})
    assert answered.status_code == 200 and answered.json()["status"] == "answered"
    assert answered.json()["sessions"] == [loop.session.pk]
    stale = _json(hana, "patch", f"{api}/{q.pk}", {"version": q.version, "status": "dropped"})
    assert stale.status_code == 409
    dropped = _json(hana, "patch", f"{api}/{q.pk}", {"version": 2, "status": "dropped"})
    assert dropped.json()["status"] == "dropped"
    listed = hana.get(api, {"status": "dropped"}).json()
    assert listed["count"] == 1 and listed["items"][0]["node_code"] == "O2"
    refused = _json(client_for("nora"), "post", api, {"node": loop.o2.pk, "question": "Mine?"})
    assert refused.status_code == 403


def test_framework_session_and_decision_pages_cost_the_same_whatever_they_hold(
    client_for, world, loop, django_assert_max_num_queries
):
    hana = client_for("hana")
    pages = [loop.framework.get_absolute_url(), loop.session.get_absolute_url(),
             loop.decision.get_absolute_url(), loop.question.get_absolute_url()]  # fmt: skip

    def cost():
        counts = []
        for url in pages:
            with django_assert_max_num_queries(40) as queries:
                assert hana.get(url).status_code == 200
            counts.append(len(queries.captured_queries))
        return counts

    # One change already made because of a decision (a page without any asks one query less).
    services.node_save(actor=world.hana, framework=loop.framework, node=loop.o2, kind="outcome",
                       code="O2", title="First take", adaptation=loop.decision)  # fmt: skip
    small = cost()
    for n in range(5):
        decision = services.decision_create(
            actor=world.hana, session=loop.session, what_changes=f"Change {n}", why="w",
            owner=world.people["pablo"], nodes=[loop.o2], indicators=[loop.indicator],
        )  # fmt: skip
        services.node_save(actor=world.hana, framework=loop.framework, node=loop.o2,
                           kind="outcome", code="O2", title=f"Finance, take {n}",
                           adaptation=loop.decision)  # fmt: skip
        services.question_create(actor=world.hana, node=loop.o2, question=f"Q{n}?")
        other = services.session_create(actor=world.hana, title=f"S{n}", held_on=TODAY,
                                        reflections="x", questions=[loop.question])  # fmt: skip
        services.session_update(actor=world.hana, session=loop.session, version=None,
                                participants=[world.people["nora"], world.people["lena"]],
                                indicators=[loop.indicator])  # fmt: skip
        del decision, other
    assert cost() == small
