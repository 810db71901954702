"""System change trails: the services (one trail per actor and domain, steps backed by
evidence, current stage), the system change summary with known answers, the pages and the
API."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from landhub.core.exceptions import ConflictError
from landhub.directory import factories as f
from landhub.mel import selectors, services
from landhub.mel.models import ChangeTrail, OutcomeStatement
from landhub.mel.rules import REVIEWERS_GROUP

pytestmark = pytest.mark.django_db

THIS_YEAR = dt.date.today().year


def _outcome(world, **kw):
    defaults = {
        "title": "Bank adopts landscape-finance criteria",
        "description": "It did.",
        "actor_name": "Regional Bank",
        "actor_type": "financial_institution",
        "change_type": "policy",
        "domain": "financial_sector",
        "occurred_on": dt.date(THIS_YEAR, 2, 1),
        "contribution": "Coaching.",
        "status": "published",
        "visibility": "network",
        "recorded_by": world.hana,
    }
    defaults.update(kw)
    return OutcomeStatement.objects.create(**defaults)


def _trail(world, name="Bank A", **kw):
    kw.setdefault("actor_type", "financial_institution")
    kw.setdefault("domain", "financial_sector")
    return services.trail_create(actor=world.hana, actor_name=name, **kw)


def _steps(world, trail, *steps):
    for stage, day in steps:
        services.step_add(
            actor=world.hana, trail=trail, stage=stage, reached_on=day, evidence="Board minutes."
        )


@pytest.fixture
def reviewer(world):
    world.sofia.groups.add(Group.objects.get_or_create(name=REVIEWERS_GROUP)[0])
    return world.sofia


# --- services --------------------------------------------------------------------------------


def test_a_reviewer_starts_a_trail_for_a_directory_organization(world, reviewer):
    org = f.OrganizationFactory(name="Green Bank")
    trail = services.trail_create(
        actor=reviewer,
        actor_organization=org,
        actor_name="ignored",
        actor_type="financial_institution",
        domain="financial_sector",
        summary="Follows the bank.",
    )
    assert trail.actor_label == "Green Bank"
    assert trail.actor_name == ""
    assert trail.current_stage == ""
    assert trail.history.first().history_user == reviewer


def test_a_second_trail_for_the_same_actor_and_domain_is_refused_with_the_first(world):
    first = _trail(world, "Bank A")
    with pytest.raises(services.TrailExists) as caught:
        _trail(world, "bank a")
    assert caught.value.existing == first
    assert "already has a trail" in caught.value.messages[0]
    # Another domain is another trail.
    assert _trail(world, "Bank A", domain="government_policy").pk != first.pk


def test_trail_refusals_and_bad_input(world):
    with pytest.raises(PermissionDenied):
        services.trail_create(
            actor=world.lena, actor_name="X", actor_type="business", domain="business_practices"
        )
    with pytest.raises(ValidationError) as caught:
        services.trail_create(
            actor=world.hana, actor_name="", actor_type="nonsense", domain="nowhere"
        )
    assert set(caught.value.message_dict) == {"actor_name", "actor_type", "domain"}
    with pytest.raises(ValidationError) as caught:
        services.trail_create(
            actor=world.hana,
            actor_name="X",
            actor_type="business",
            domain="business_practices",
            visibility="secret",
        )
    assert "visibility" in caught.value.message_dict


def test_trail_update_checks_the_version(world):
    trail = _trail(world)
    services.trail_update(
        actor=world.hana, trail=trail, version=trail.version - 0, summary="Now with a summary."
    )
    stale = ChangeTrail.objects.get(pk=trail.pk)
    stale.version -= 1
    with pytest.raises(ConflictError):
        services.trail_update(
            actor=world.hana, trail=stale, version=stale.version, summary="Overwrite?"
        )
    assert ChangeTrail.objects.get(pk=trail.pk).summary == "Now with a summary."
    with pytest.raises(ValidationError):
        services.trail_update(actor=world.hana, trail=trail, version=None, recorded_by=None)
    with pytest.raises(PermissionDenied):
        services.trail_update(actor=world.nora, trail=trail, version=None, summary="No")


def test_a_step_needs_outcomes_or_evidence_and_keeps_the_current_stage(world):
    trail = _trail(world)
    with pytest.raises(ValidationError) as caught:
        services.step_add(
            actor=world.hana, trail=trail, stage="aware", reached_on=dt.date(2024, 1, 1)
        )
    assert "a stage nobody can check" in caught.value.message_dict["evidence"][0]
    outcome = _outcome(world)
    services.step_add(
        actor=world.hana,
        trail=trail,
        stage="committed",
        reached_on=dt.date(2025, 3, 1),
        outcomes=[outcome],
    )
    services.step_add(
        actor=world.hana,
        trail=trail,
        stage="aware",
        reached_on=dt.date(2024, 1, 1),
        evidence_url="https://example.org/a",
    )
    trail.refresh_from_db()
    assert trail.current_stage == "committed"  # the latest by date, not the last entered
    latest = services.step_add(
        actor=world.hana,
        trail=trail,
        stage="adopted",
        reached_on=dt.date(2025, 9, 1),
        evidence="Policy published.",
    )
    trail.refresh_from_db()
    assert trail.current_stage == "adopted"
    services.step_remove(actor=world.hana, step=latest)
    trail.refresh_from_db()
    assert trail.current_stage == "committed"
    with pytest.raises(PermissionDenied):
        services.step_remove(actor=world.pablo, step=trail.steps.first())


def test_step_bad_input(world):
    trail = _trail(world)
    with pytest.raises(ValidationError) as caught:
        services.step_add(
            actor=world.hana, trail=trail, stage="famous", reached_on="soon", evidence="x"
        )
    assert set(caught.value.message_dict) == {"stage", "reached_on"}
    future = dt.date.today() + dt.timedelta(days=30)
    with pytest.raises(ValidationError, match="once it is reached"):
        services.step_add(
            actor=world.hana, trail=trail, stage="aware", reached_on=future, evidence="x"
        )
    _steps(world, trail, ("aware", dt.date(2024, 1, 1)))
    with pytest.raises(ValidationError, match="already has this stage"):
        _steps(world, trail, ("aware", dt.date(2024, 1, 1)))
    with pytest.raises(ValidationError):
        services.step_add(
            actor=world.hana,
            trail=trail,
            stage="aware",
            reached_on=dt.date(2024, 2, 1),
            evidence_url="not a link",
        )
    with pytest.raises(PermissionDenied):
        services.step_add(
            actor=world.lena,
            trail=trail,
            stage="aware",
            reached_on=dt.date(2024, 3, 1),
            evidence="x",
        )


# --- the system change summary ---------------------------------------------------------------


@pytest.fixture
def banks(world):
    """Two banks committed → adopted this year, one last year; a ministry aware this year."""
    last = THIS_YEAR - 1
    for name in ("Bank A", "Bank B"):
        _steps(
            world,
            _trail(world, name),
            ("aware", dt.date(last - 1, 5, 1)),
            ("committed", dt.date(last, 6, 1)),
            ("adopted", dt.date(THIS_YEAR, 1, 2)),
        )
    _steps(
        world,
        _trail(world, "Bank C"),
        ("committed", dt.date(last - 1, 6, 1)),
        ("adopted", dt.date(last, 4, 1)),
    )
    _steps(
        world,
        _trail(world, "Ministry", actor_type="government", domain="government_policy"),
        ("aware", dt.date(THIS_YEAR, 1, 1)),
    )
    hidden = _trail(world, "Secret Bank", visibility="restricted")
    _steps(world, hidden, ("committed", dt.date(last, 1, 1)), ("adopted", dt.date(THIS_YEAR, 1, 1)))
    return hidden


def _moves(summary, actor_type=None):
    return {
        (r["from"], r["to"]): r["n"]
        for r in summary.transitions
        if actor_type is None or r["actor_type"] == actor_type
    }


def test_transition_counts_have_known_answers(world, banks):
    summary = selectors.system_change_summary(user=world.nora, year=THIS_YEAR)
    assert _moves(summary, "financial_institution") == {("committed", "adopted"): 2}
    assert _moves(summary, "government") == {("", "aware"): 1}
    last = selectors.system_change_summary(user=world.nora, year=THIS_YEAR - 1)
    assert _moves(last, "financial_institution") == {
        ("aware", "committed"): 2,
        ("committed", "adopted"): 1,
    }
    # At last year's end: two banks committed, one adopted.
    row = next(r for r in last.at_year_end if r["actor_type"] == "financial_institution")
    assert row["stages"] == [0, 2, 1, 0, 0] and row["n"] == 3
    # Hub staff also see the restricted trail.
    staff = selectors.system_change_summary(user=world.hana, year=THIS_YEAR)
    assert _moves(staff, "financial_institution") == {("committed", "adopted"): 3}
    # Filters.
    only_gov = selectors.system_change_summary(
        user=world.nora, year=THIS_YEAR, actor_type="government"
    )
    assert _moves(only_gov) == {("", "aware"): 1}
    assert (
        selectors.system_change_summary(
            user=world.nora, year=THIS_YEAR, domain="business_practices"
        ).transitions
        == []
    )


def test_the_summary_page_and_csv_show_the_counts(
    client_for, world, banks, django_assert_max_num_queries
):
    client = client_for("nora")
    with django_assert_max_num_queries(12):
        response = client.get(reverse("mel:system_change"), {"year": THIS_YEAR})
    html = response.content.decode()
    assert response.status_code == 200
    assert "moves-chart-spec" in html and "Financial institution" in html
    csv = client.get(reverse("mel:system_change_csv"), {"year": THIS_YEAR - 1})
    text = b"".join(csv.streaming_content).decode()
    assert "Moved during the year" in text and "Committed,Adopted" in text
    # A year of no steps and nonsense both answer.
    assert client.get(reverse("mel:system_change"), {"year": "1800"}).status_code == 200
    assert client.get(reverse("mel:system_change"), {"year": "abc"}).status_code == 200


# --- pages -----------------------------------------------------------------------------------


def test_trail_list_filters_sorts_and_stays_bounded(
    client_for, world, banks, django_assert_max_num_queries
):
    client = client_for("nora")
    with django_assert_max_num_queries(10):
        response = client.get(reverse("mel:trail_list"), {"stage": "adopted", "sort": "-stage"})
    html = response.content.decode()
    assert "Bank A" in html and "Bank C" in html and "Ministry" not in html
    assert "Secret Bank" not in html
    assert "3 trails" in html
    csv = client.get(reverse("mel:trail_export_csv"), {"q": "ministry"})
    text = b"".join(csv.streaming_content).decode()
    assert "Ministry" in text and "Bank A" not in text


def test_the_list_sorts_by_the_actors_name_directory_or_typed_and_follows_a_rename(world):
    """Directory organizations and typed names sort together, case aside; an organization
    renamed in the directory moves its trail; a trail's actor changed moves it too."""
    zebra = f.OrganizationFactory(name="Zebra Fund")
    _trail(world, "alpha Cooperative")
    _trail(world, name="", actor_organization=zebra)
    moved = _trail(world, "Mango Ministry", actor_type="government", domain="government_policy")

    def order():  # as the list page sorts by default
        from landhub.core.lists import sort_queryset

        qs, _sort = sort_queryset(selectors.trail_list(user=world.hana), "actor",
                                  selectors.TRAIL_SORTS, "actor")  # fmt: skip
        return [t.actor_label for t in qs]

    assert order() == ["alpha Cooperative", "Mango Ministry", "Zebra Fund"]
    zebra.name = "Aardvark Fund"
    zebra.save()
    assert order() == ["Aardvark Fund", "alpha Cooperative", "Mango Ministry"]
    services.trail_update(actor=world.hana, trail=moved, version=moved.version,
                          actor_name="Yam Ministry")  # fmt: skip
    assert order() == ["Aardvark Fund", "alpha Cooperative", "Yam Ministry"]


def test_trail_page_shows_the_timeline_and_hides_restricted_trails(client_for, world, banks):
    trail = ChangeTrail.objects.get(actor_name="Bank A")
    response = client_for("nora").get(reverse("mel:trail_detail", args=[trail.pk]))
    html = response.content.decode()
    assert "Board minutes." in html and "Adopted" in html
    assert "Add a step" not in html  # nora may not record
    assert client_for("nora").get(reverse("mel:trail_detail", args=[banks.pk])).status_code == 404


def test_creating_a_duplicate_trail_on_the_page_links_to_the_first(client_for, world):
    first = _trail(world, "Bank A")
    response = client_for("hana").post(
        reverse("mel:trail_create"),
        {
            "actor_name": "Bank A",
            "actor_type": "financial_institution",
            "domain": "financial_sector",
            "visibility": "network",
        },
    )
    assert response.status_code == 400
    assert reverse("mel:trail_detail", args=[first.pk]) in response.content.decode()


def test_a_step_added_on_the_page_without_evidence_is_refused_beside_the_field(client_for, world):
    trail = _trail(world)
    url = reverse("mel:step_add", args=[trail.pk])
    response = client_for("hana").post(url, {"stage": "aware", "reached_on": "2025-01-01"})
    assert response.status_code == 400
    assert "a stage nobody can check" in response.content.decode()
    response = client_for("hana").post(
        url, {"stage": "aware", "reached_on": "2025-01-01", "evidence": "Minutes."}
    )
    assert response.status_code == 302
    trail.refresh_from_db()
    assert trail.current_stage == "aware"


def test_editing_a_stale_trail_shows_the_conflict(client_for, world):
    trail = _trail(world)
    services.trail_update(actor=world.hana, trail=trail, version=trail.version, summary="New")
    response = client_for("hana").post(
        reverse("mel:trail_edit", args=[trail.pk]),
        {
            "actor_name": "Bank A",
            "actor_type": "financial_institution",
            "domain": "financial_sector",
            "visibility": "network",
            "summary": "Mine",
            "version": trail.version - 1,
        },
    )
    assert response.status_code == 409
    assert "changed by someone else" in response.content.decode()


# --- API -------------------------------------------------------------------------------------


def _json(response):
    return json.loads(response.content)


def test_trail_api_creates_adds_steps_and_answers_409(client_for, world):
    client = client_for("hana")
    response = client.post(
        "/api/v1/mel/trails",
        json.dumps(
            {
                "actor_name": "API Bank",
                "actor_type": "financial_institution",
                "domain": "financial_sector",
            }
        ),
        content_type="application/json",
    )
    assert response.status_code == 201
    trail = _json(response)
    outcome = _outcome(world)
    response = client.post(
        f"/api/v1/mel/trails/{trail['id']}/steps",
        json.dumps({"stage": "committed", "reached_on": "2025-02-01", "outcomes": [outcome.pk]}),
        content_type="application/json",
    )
    assert response.status_code == 201
    body = _json(response)
    assert body["current_stage"] == "committed" and body["steps"][0]["outcomes"] == [outcome.pk]
    empty = client.post(
        f"/api/v1/mel/trails/{trail['id']}/steps",
        json.dumps({"stage": "adopted", "reached_on": "2025-03-01"}),
        content_type="application/json",
    )
    assert empty.status_code == 422 and "evidence" in _json(empty)["errors"]
    stale = client.patch(
        f"/api/v1/mel/trails/{trail['id']}",
        json.dumps({"version": trail["version"] - 1, "summary": "x"}),
        content_type="application/json",
    )
    assert stale.status_code == 409
    listed = _json(client.get("/api/v1/mel/trails", {"stage": "committed"}))
    assert listed["count"] == 1
    summary = _json(client.get("/api/v1/mel/system-change", {"year": 2025}))
    assert summary["moves"][0]["to_stage"] == "committed"
    assert client.get("/api/v1/mel/system-change", {"year": 99999}).status_code == 422
    duplicate = client.post(
        "/api/v1/mel/trails",
        json.dumps(
            {
                "actor_name": "API Bank",
                "actor_type": "financial_institution",
                "domain": "financial_sector",
            }
        ),
        content_type="application/json",
    )
    assert duplicate.status_code == 422
    assert "already has a trail" in duplicate.content.decode()
