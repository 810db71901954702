"""The strategic plan: goals → objectives → milestones (levels refused in the wrong place),
milestones tied to MEL indicators taking their progress from the approved roll-ups against the
targets (not from a typed number), goals and objectives the mean of their items, new versions
copying the tree, adoption superseding the previous version, the pages (tree, timeline, CSV),
the API, and a fixed number of queries however large the tree."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal as D
from html.parser import HTMLParser

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from landhub.core.exceptions import ConflictError
from landhub.governance import services
from landhub.governance.models import MilestoneIndicator, Plan, PlanItem
from landhub.governance.selectors import flatten, plan_tree
from landhub.mel import rollups
from landhub.mel import services as mel_services
from landhub.mel.models import Target
from landhub.mel.tests.conftest import mel  # noqa: F401 - the MEL fixture: periods, indicators

pytestmark = pytest.mark.django_db


def _approve(world, mel, landscape, period, women, men):  # noqa: F811
    assignment = mel.a[("T1", landscape.pk)]
    obs = mel_services.observation_save(actor=world.hana, assignment=assignment, period=period,
                                        parts={"sex:women": {"value": women},
                                               "sex:men": {"value": men}})  # fmt: skip
    obs = mel_services.observation_submit(actor=world.hana, observation=obs, version=obs.version)
    mel_services.observation_approve(actor=mel.reviewer, observation=obs, version=obs.version)


@pytest.fixture
def trained(world, mel):  # noqa: F811
    """Farmers trained in Kenya Highlands: 6,200 approved for 2026 against a target of 10,000
    from a baseline of 0 (62 %, behind: the target is the year's own)."""
    _y25, y26 = mel.periods
    kenya = mel.landscapes[0]
    _approve(world, mel, kenya, y26, 3100, 3100)
    assignment = mel.a[("T1", kenya.pk)]
    assignment.baseline_value = 0
    assignment.save()
    Target.objects.create(assignment=assignment, period=y26, value=10_000)
    rollups.recompute_plan(mel.trained)
    return mel


def _plan(world, **kw) -> Plan:
    return services.plan_create(actor=world.hana, kind=kw.pop("kind", "strategic"),
                                year=kw.pop("year", 2026), title=kw.pop("title", "Strategy"),
                                **kw)  # fmt: skip


def _tree(world, plan):
    hana = world.hana
    goal = services.plan_item_create(actor=hana, plan=plan, level="goal", title="1,000 landscapes")
    restore = services.plan_item_create(actor=hana, plan=plan, level="objective", parent=goal,
                                        title="Restore land")  # fmt: skip
    train = services.plan_item_create(actor=hana, plan=plan, level="milestone", parent=restore,
                                      title="Farmers trained", progress=5)  # fmt: skip
    typed = services.plan_item_create(actor=hana, plan=plan, level="milestone", parent=restore,
                                      title="Nurseries", progress=40)  # fmt: skip
    finance = services.plan_item_create(actor=hana, plan=plan, level="objective", parent=goal,
                                        title="Finance", progress=80)  # fmt: skip
    return goal, restore, train, typed, finance


def _nodes(world, plan, user=None):
    return {n.item.title: n for n in flatten(plan_tree(user=user or world.hana, plan=plan))}


# --- progress --------------------------------------------------------------------------------


def test_a_tied_milestone_takes_its_progress_from_the_rollups_not_the_typed_number(world, trained):
    plan = _plan(world)
    _goal, _restore, train, _typed, _finance = _tree(world, plan)
    services.milestone_tie_indicator(actor=world.hana, item=train, indicator=trained.trained)
    node = _nodes(world, plan)["Farmers trained"]
    assert (node.progress, node.source) == (D("62.0"), "computed")  # not the typed 5
    assert node.status == "at_risk"  # behind the year's target
    assert [f.text for f in node.figures] == ["Farmers trained: 6,200 of 10,000 at 2026"]
    # A second tie at a landscape with no figure yet is listed and left out of the mean.
    lake = trained.landscapes[1]
    services.milestone_tie_indicator(actor=world.hana, item=train, indicator=trained.trained,
                                     landscape=lake)  # fmt: skip
    node = _nodes(world, plan)["Farmers trained"]
    assert node.progress == D("62.0") and len(node.figures) == 2
    assert node.figures[1].text == "Farmers trained: no data yet"
    # Met at Kenya Highlands: capped at 100, done.
    kenya = trained.landscapes[0]
    services.milestone_untie_indicator(actor=world.hana, link=node.figures[1].link)
    services.milestone_untie_indicator(actor=world.hana, link=node.figures[0].link)
    Target.objects.filter(assignment=trained.a[("T1", kenya.pk)]).update(value=5_000)
    rollups.recompute_plan(trained.trained)
    services.milestone_tie_indicator(actor=world.hana, item=train, indicator=trained.trained,
                                     landscape=kenya)  # fmt: skip
    node = _nodes(world, plan)["Farmers trained"]
    assert (node.progress, node.status) == (D("100.0"), "done")
    assert node.figures[0].place == "Kenya Highlands"


def test_objectives_and_goals_show_the_mean_of_their_items(world, trained):
    plan = _plan(world)
    _goal, _restore, train, _typed, _finance = _tree(world, plan)
    services.milestone_tie_indicator(actor=world.hana, item=train, indicator=trained.trained)
    nodes = _nodes(world, plan)
    assert (nodes["Nurseries"].progress, nodes["Nurseries"].source) == (D(40), "typed")
    assert (nodes["Restore land"].progress, nodes["Restore land"].source) == (D("51.0"), "children")
    assert nodes["Finance"].progress == D(80)
    assert nodes["1,000 landscapes"].progress == D("65.5")
    assert [n.code for n in nodes.values()] == ["1", "1.1", "1.1.1", "1.1.2", "1.2"]


def test_levels_are_refused_in_the_wrong_place(world):
    plan = _plan(world)
    goal, restore, train, _typed, _finance = _tree(world, plan)
    cases = [
        ({"level": "objective"}, "An objective sits under a goal."),
        ({"level": "milestone", "parent": goal}, "A milestone sits under an objective."),
        ({"level": "goal", "parent": restore}, "Goals sit at the top of the plan, under nothing."),
        ({"level": "objective", "parent": train}, "An objective sits under a goal."),
    ]
    for kwargs, message in cases:
        with pytest.raises(ValidationError) as exc:
            services.plan_item_create(actor=world.hana, plan=plan, title="x", **kwargs)
        assert exc.value.message_dict["parent"] == [message]
    with pytest.raises(ValidationError) as exc:
        services.plan_item_move(actor=world.hana, item=train, version=train.version, parent=goal)
    assert exc.value.message_dict["parent"] == ["A milestone sits under an objective."]
    from landhub.mel.models import Indicator

    indicator = Indicator.objects.create(code="X1", name="X", definition="x", measure="count",
                                         aggregation="sum")  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        services.milestone_tie_indicator(actor=world.hana, item=goal, indicator=indicator)
    assert exc.value.message_dict["indicator"] == ["Only milestones are tied to indicators."]
    with pytest.raises(ValidationError) as exc:
        services.plan_item_update(actor=world.hana, item=restore, version=restore.version,
                                  changes={"progress": 120, "start_on": "2026-05-01",
                                           "target_on": "2026-01-01"})  # fmt: skip
    assert {"progress", "target_on"} <= set(exc.value.message_dict)
    with pytest.raises(PermissionDenied):
        services.plan_item_create(actor=world.sofia, plan=plan, level="goal", title="Mine")


def test_moving_renumbers_the_siblings(world):
    plan = _plan(world)
    goal, restore, train, typed, finance = _tree(world, plan)
    services.plan_item_move(actor=world.hana, item=typed, version=typed.version, parent=restore,
                            position=0)  # fmt: skip
    assert [n.item.title for n in _nodes(world, plan)["Restore land"].children] == [
        "Nurseries", "Farmers trained"]  # fmt: skip
    services.plan_item_move(actor=world.hana, item=train, version=train.version, parent=finance)
    assert [n.code for n in _nodes(world, plan)["Finance"].children] == ["1.2.1"]
    with pytest.raises(ConflictError):
        services.plan_item_move(actor=world.hana, item=PlanItem.objects.get(pk=typed.pk),
                                version=1, parent=restore)  # fmt: skip
    services.plan_item_archive(actor=world.hana, item=restore)
    assert "Nurseries" not in _nodes(world, plan)


def test_a_new_version_copies_the_tree_and_adoption_supersedes(world, trained, gov):
    plan = _plan(world, body=gov.sc)
    _goal, _restore, train, _typed, _finance = _tree(world, plan)
    services.milestone_tie_indicator(actor=world.hana, item=train, indicator=trained.trained)
    services.plan_adopt(actor=world.hana, plan=plan, version=plan.version)
    new = services.plan_new_version(actor=world.hana, plan=plan, year=2027)
    assert (new.previous, new.status, new.kind, new.body) == (plan, "draft", "strategic", gov.sc)
    old_nodes, new_nodes = _nodes(world, plan), _nodes(world, new)
    assert list(new_nodes) == list(old_nodes)
    assert [n.code for n in new_nodes.values()] == [n.code for n in old_nodes.values()]
    copied = new_nodes["Farmers trained"]
    assert copied.item.pk != train.pk and copied.progress == D("62.0")
    assert MilestoneIndicator.objects.filter(item__plan=new).count() == 1
    with pytest.raises(ValidationError) as exc:
        services.plan_new_version(actor=world.hana, plan=plan, year=2027)
    assert "already a version" in exc.value.message_dict["year"][0]
    services.plan_adopt(actor=world.hana, plan=new, version=new.version)
    plan.refresh_from_db()
    assert plan.status == "superseded" and Plan.objects.get(pk=new.pk).status == "adopted"
    scaling = _plan(world, kind="scaling", title="Scaling")
    services.plan_adopt(actor=world.hana, plan=scaling, version=scaling.version)
    assert Plan.objects.get(pk=new.pk).status == "adopted"  # another kind: untouched
    with pytest.raises(ValidationError):
        services.plan_adopt(actor=world.hana, plan=Plan.objects.get(pk=new.pk), version=None)
    with pytest.raises(PermissionDenied):
        services.plan_adopt(actor=gov.chidi, plan=plan, version=None)


# --- pages and API ---------------------------------------------------------------------------


def test_the_plan_page_timeline_and_csv_show_computed_progress(world, trained, client_for):
    plan = _plan(world)
    _goal, _restore, train, _typed, _finance = _tree(world, plan)
    services.plan_item_update(actor=world.hana, item=train, version=train.version,
                              changes={"target_on": "2026-12-31"})  # fmt: skip
    services.milestone_tie_indicator(actor=world.hana, item=train, indicator=trained.trained)
    nora = client_for("nora")
    page = nora.get(plan.get_absolute_url()).content.decode()
    assert "62% — Farmers trained: 6,200 of 10,000 at 2026" in page
    assert "Computed from MEL indicators" in page and "Mean of its items" in page
    assert 'aria-valuenow="62"' in page and "Edit" not in page.split('id="plan-tree"')[1][:2000]
    timeline = nora.get(reverse("governance:plan_timeline", args=[plan.pk])).content.decode()
    assert 'id="timeline-table"' in timeline and "1.1.1 Farmers trained" in timeline
    spec = json.loads(timeline.split('id="plan-timeline-spec" type="application/json">')[1]
                      .split("</script>")[0])  # fmt: skip
    assert spec["data"]["values"][0]["target"] == "2026-12-31"
    body = b"".join(nora.get(reverse("governance:plan_export_csv", args=[plan.pk]))
                    .streaming_content).decode("utf-8-sig")  # fmt: skip
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][0] == "Number" and rows[3][:3] == ["1.1.1", "Milestone", "Farmers trained"]
    assert rows[3][8] == "62.0" and rows[3][9] == "MEL indicators"
    listed = nora.get(reverse("governance:plan_list"), {"kind": "strategic"}).content.decode()
    assert "Strategy" in listed and "1 version" in listed
    assert client_for("anonymous").get(plan.get_absolute_url()).status_code == 404
    assert client_for("nora").get(reverse("governance:plan_create")).status_code == 403


class _TreeParser(HTMLParser):
    """Each plan item's id → the ids of the plan items it sits in, from the page's nested
    lists (a wrongly closed list would put an item under the wrong parent)."""

    def __init__(self):
        super().__init__()
        self.open: list[str | None] = []
        self.parents: dict[str, list[str]] = {}

    def handle_starttag(self, tag, attrs):
        if tag == "li":
            attrs = dict(attrs)
            item = attrs.get("id") if "plan-node" in (attrs.get("class") or "") else None
            if item:
                self.parents[item] = [i for i in self.open if i]
            self.open.append(item)

    def handle_endtag(self, tag):
        if tag == "li":
            self.open.pop()


def test_the_plan_page_nests_items_and_shows_the_records_about_them_the_reader_may_see(
    world, gov, client_for
):
    plan = _plan(world)
    goal, restore, train, typed, finance = _tree(world, plan)
    second = services.plan_item_create(actor=world.hana, plan=plan, level="goal", title="Second")
    services.issue_raise(actor=world.hana, body=gov.sc, title="Training pace",
                         background="Slow.", plan_items=[train])  # fmt: skip
    services.decision_propose(actor=world.hana, body=gov.team, title="Finance offer",
                              text="Offer it.", method="consensus",
                              plan_items=[train, finance])  # fmt: skip
    parser = _TreeParser()
    parser.feed(client_for("nora").get(plan.get_absolute_url()).content.decode())
    assert parser.parents == {
        f"item-{goal.pk}": [],
        f"item-{restore.pk}": [f"item-{goal.pk}"],
        f"item-{train.pk}": [f"item-{goal.pk}", f"item-{restore.pk}"],
        f"item-{typed.pk}": [f"item-{goal.pk}", f"item-{restore.pk}"],
        f"item-{finance.pk}": [f"item-{goal.pk}"],
        f"item-{second.pk}": [],
    }
    assert parser.open == []  # every list item closed
    nora_page = client_for("nora").get(plan.get_absolute_url()).content.decode()
    assert "Key issue: Training pace" in nora_page
    assert "Finance offer" not in nora_page  # a members-only body's decision
    staff_page = client_for("hana").get(plan.get_absolute_url()).content.decode()
    train_html = staff_page.split(f'id="item-{train.pk}"')[1].split('id="item-')[0]
    assert "Key issue: Training pace" in train_html and "Decision: Finance offer" in train_html
    finance_html = staff_page.split(f'id="item-{finance.pk}"')[1].split('id="item-')[0]
    assert "Decision: Finance offer" in finance_html and "Training pace" not in finance_html


def test_forms_keep_the_plan(world, client, trained):
    client.force_login(world.hana)
    made = client.post(
        reverse("governance:plan_create"),
        {"kind": "strategic", "year": 2026, "title": "Strategy", "visibility": "network"},
    )
    plan = Plan.objects.get(title="Strategy")
    assert made.status_code == 302
    again = client.post(
        reverse("governance:plan_create"),
        {"kind": "strategic", "year": 2026, "title": "Twice", "visibility": "network"},
    )
    assert again.status_code == 400 and "already a version" in again.content.decode()
    add = reverse("governance:plan_item_create", args=[plan.pk])
    wrong = client.post(add, {"level": "milestone", "title": "Floating", "status": "not_started"})
    assert (
        wrong.status_code == 400
        and "A milestone sits under an objective." in wrong.content.decode()
    )
    client.post(add, {"level": "goal", "title": "Goal", "status": "not_started"})
    goal = PlanItem.objects.get(title="Goal")
    client.post(add, {"level": "objective", "parent": goal.pk, "title": "Obj",
                      "status": "on_track"})  # fmt: skip
    objective = PlanItem.objects.get(title="Obj")
    client.post(add, {"level": "milestone", "parent": objective.pk, "title": "Mile",
                      "status": "not_started", "owner": world.people["sofia"].email})  # fmt: skip
    milestone = PlanItem.objects.get(title="Mile")
    assert milestone.owner == world.people["sofia"]
    tie = reverse("governance:plan_item_tie", args=[milestone.pk])
    unknown = client.post(tie, {"indicator": "ZZ9 · nothing"})
    assert unknown.status_code == 400 and "No indicator called" in unknown.content.decode()
    assert client.post(tie, {"indicator": "T1 · Farmers trained"}).status_code == 302
    edit = client.get(reverse("governance:plan_item_edit", args=[milestone.pk])).content.decode()
    assert "T1 · Farmers trained" in edit and "Untie" in edit
    stale = client.post(
        reverse("governance:plan_item_edit", args=[milestone.pk]),
        {"title": "Mile 2", "status": "on_track", "version": 0},
    )
    assert stale.status_code == 409
    moved = client.post(reverse("governance:plan_item_move", args=[milestone.pk]),
                        {"move-parent": goal.pk, "move-version": milestone.version})  # fmt: skip
    assert moved.status_code == 400
    assert "A milestone sits under an objective." in moved.content.decode()
    adopt = client.post(reverse("governance:plan_adopt", args=[plan.pk]), {"version": plan.version})
    assert adopt.status_code == 302 and Plan.objects.get(pk=plan.pk).status == "adopted"
    nxt = client.post(reverse("governance:plan_new_version", args=[plan.pk]), {"year": 2027})
    assert nxt.status_code == 302 and Plan.objects.filter(year=2027, previous=plan).exists()


def test_the_api_returns_the_tree_with_computed_progress(world, client, trained):
    client.force_login(world.hana)
    made = client.post("/api/v1/governance/plans", {"kind": "strategic", "year": 2026,
                                                    "title": "API plan"},
                       content_type="application/json")  # fmt: skip
    assert made.status_code == 201, made.content
    pid = made.json()["id"]
    goal = client.post(f"/api/v1/governance/plans/{pid}/items", {"level": "goal", "title": "G"},
                       content_type="application/json").json()  # fmt: skip
    wrong = client.post(f"/api/v1/governance/plans/{pid}/items",
                        {"level": "milestone", "title": "M", "parent": goal["id"]},
                        content_type="application/json")  # fmt: skip
    assert wrong.status_code == 422 and "parent" in wrong.json()["errors"]
    objective = client.post(f"/api/v1/governance/plans/{pid}/items",
                            {"level": "objective", "title": "O", "parent": goal["id"]},
                            content_type="application/json").json()  # fmt: skip
    milestone = client.post(f"/api/v1/governance/plans/{pid}/items",
                            {"level": "milestone", "title": "M", "parent": objective["id"],
                             "progress": 10}, content_type="application/json").json()  # fmt: skip
    tie = client.post(f"/api/v1/governance/plan-items/{milestone['id']}/indicators",
                      {"indicator": "T1"}, content_type="application/json")  # fmt: skip
    assert tie.status_code == 201
    tree = client.get(f"/api/v1/governance/plans/{pid}").json()["items"]
    node = tree[0]["children"][0]["children"][0]
    assert (node["progress"], node["progress_source"], node["typed_progress"]) == (
        62.0,
        "computed",
        10,
    )
    assert node["figures"][0]["text"] == "Farmers trained: 6,200 of 10,000 at 2026"
    assert tree[0]["progress"] == 62.0
    patched = client.patch(f"/api/v1/governance/plan-items/{milestone['id']}",
                           {"version": milestone["version"], "title": "M2"},
                           content_type="application/json")  # fmt: skip
    assert patched.status_code == 200 and patched.json()["title"] == "M2"
    untie = client.delete(f"/api/v1/governance/plan-items/{milestone['id']}/indicators/"
                          f"{tie.json()['id']}")  # fmt: skip
    assert untie.status_code == 204
    adopted = client.post(f"/api/v1/governance/plans/{pid}/adopt", {},
                          content_type="application/json")  # fmt: skip
    assert adopted.json()["status"] == "adopted"
    copy = client.post(f"/api/v1/governance/plans/{pid}/versions", {"year": 2027},
                       content_type="application/json")  # fmt: skip
    assert copy.status_code == 201 and copy.json()["previous"] == pid
    assert client.patch(f"/api/v1/governance/plans/{pid}", {"version": 1, "title": "x"},
                        content_type="application/json").status_code == 409  # fmt: skip
    client.force_login(world.nora)
    assert client.get("/api/v1/governance/plans").json()["count"] == 2
    assert client.post("/api/v1/governance/plans", {"kind": "scaling", "year": 2026,
                                                    "title": "No"},
                       content_type="application/json").status_code == 403  # fmt: skip


def test_the_plan_page_costs_the_same_queries_whatever_the_tree(
    world, trained, client_for, django_assert_max_num_queries
):
    plan = _plan(world)
    nora = client_for("nora")

    def grow(n):
        for i in range(n):
            goal = services.plan_item_create(actor=world.hana, plan=plan, level="goal",
                                             title=f"Goal {i}")  # fmt: skip
            obj = services.plan_item_create(actor=world.hana, plan=plan, level="objective",
                                            parent=goal, title=f"Objective {i}")  # fmt: skip
            mile = services.plan_item_create(actor=world.hana, plan=plan, level="milestone",
                                             parent=obj, title=f"Milestone {i}")  # fmt: skip
            services.milestone_tie_indicator(actor=world.hana, item=mile,
                                             indicator=trained.trained,
                                             landscape=trained.landscapes[i % 3])  # fmt: skip

    def measure():
        counts = []
        for url in (
            plan.get_absolute_url(),
            reverse("governance:plan_timeline", args=[plan.pk]),
            reverse("governance:plan_list"),
            f"/api/v1/governance/plans/{plan.pk}",
        ):
            with django_assert_max_num_queries(30) as captured:
                assert nora.get(url).status_code == 200
            counts.append(len(captured.captured_queries))
        return counts

    grow(1)
    few = measure()
    grow(6)
    assert measure() == few
