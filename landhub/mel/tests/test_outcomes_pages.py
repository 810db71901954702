"""Outcome harvesting pages: the register's filters, sorting and exports, the dashboard's
figures and what they cost in queries, the forms, the actions on a statement's page and the
public substantiation page with good and bad links."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from landhub.directory import factories as f
from landhub.directory.models import Vocabulary
from landhub.mel import services
from landhub.mel.models import OutcomeStatement, Substantiation
from landhub.mel.rules import REVIEWERS_GROUP

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewer(world):
    world.sofia.groups.add(Group.objects.get_or_create(name=REVIEWERS_GROUP)[0])
    return world.sofia


def make(world, *, status="published", author=None, **over) -> OutcomeStatement:
    """A statement written straight to the table (the services are tested elsewhere)."""
    landscapes = over.pop("landscapes", [world.landscape])
    countries = over.pop("countries", [])
    tags = over.pop("tags", [])
    partners = over.pop("partners", [])
    data = {
        "title": "A bank adopts landscape-finance criteria", "description": "Credit policy.",
        "actor_name": "Banco Regional", "actor_type": "financial_institution",
        "change_type": "investment", "domain": "financial_sector",
        "occurred_on": dt.date(2025, 3, 1), "contribution": "Clinic trained officers.",
        "status": status, "visibility": "public", "recorded_by": author or world.lena,
    }  # fmt: skip
    data.update(over)
    outcome = OutcomeStatement.objects.create(**data)
    outcome.landscapes.set(landscapes)
    outcome.countries.set(countries)
    outcome.tags.set(tags)
    outcome.contributing_partners.set(partners)
    return outcome


@pytest.fixture
def register(world):
    """Five statements of every kind (published unless said), across places and years."""
    brazil = f.LandscapeFactory(name="Cerrado Mosaic", region="Americas",
                                countries=[f.country("BR")])  # fmt: skip
    sdg = f.term(Vocabulary.SDG, "sdg-15")
    return {
        "bank": make(world, tags=[sdg], partners=[world.core_org]),
        "ministry": make(world, title="Ministry adopts an ILM policy", actor_type="government",
                         change_type="policy", domain="government_policy",
                         occurred_on=dt.date(2024, 11, 5), landscapes=[brazil]),
        "buyer": make(world, title="Buyer changes its sourcing", actor_type="business",
                      change_type="practice", domain="business_practices", intended=False,
                      effect="negative", significance_level="high",
                      occurred_on=dt.date(2025, 8, 20), landscapes=[], is_global=True,
                      status="substantiated"),
        "draft": make(world, title="Cooperative starts a seed bank", actor_type="community",
                      change_type="behaviour", domain="within_landscape", status="draft"),
        "old": make(world, title="Archived one", archived_at=timezone.now()),
        "brazil": brazil,
    }  # fmt: skip


def _titles(response) -> set[str]:
    return {o.title for o in response.context["page"].object_list}


# --- the register ----------------------------------------------------------------------------


def test_anonymous_readers_see_published_public_outcomes_only(client, world, register):
    response = client.get(reverse("mel:outcome_list"))
    assert response.status_code == 200
    assert _titles(response) == {"A bank adopts landscape-finance criteria",
                                 "Ministry adopts an ILM policy"}  # fmt: skip
    assert b"Record an outcome" not in response.content


@pytest.mark.parametrize(("query", "expected"), [
    ({"domain": "government_policy"}, {"ministry"}),
    ({"change_type": "investment"}, {"bank"}),
    ({"actor_type": "business"}, {"buyer"}),
    ({"status": "draft"}, {"draft"}),
    ({"region": "Americas"}, {"ministry"}),
    ({"region": "global"}, {"buyer"}),
    ({"country": "BR"}, {"ministry"}),
    ({"landscape": "cerrado-mosaic"}, {"ministry"}),
    ({"partner": "commonland-test"}, {"bank"}),
    ({"intended": "no"}, {"buyer"}),
    ({"effect": "negative"}, {"buyer"}),
    ({"significance": "high"}, {"buyer"}),
    ({"tag": "sdg-15"}, {"bank"}),
    ({"year": "2024"}, {"ministry"}),
    ({"date_from": "2025-06-01", "date_to": "2025-12-31"}, {"buyer"}),
    ({"q": "Ministry"}, {"ministry"}),
    ({"archived": "1"}, {"old"}),
    ({"year": "abc", "date_from": "31/12/2025", "region": "<script>"}, set()),
])  # fmt: skip
def test_register_filters(client_for, world, register, query, expected):
    response = client_for("hana").get(reverse("mel:outcome_list"), query)
    assert response.status_code == 200
    if query.get("region") == "<script>":
        assert _titles(response) == set()
        return
    assert _titles(response) == {register[key].title for key in expected}


def test_register_sorts_pages_and_answers_htmx_with_the_results_only(client_for, register):
    client = client_for("hana")
    response = client.get(reverse("mel:outcome_list"), {"sort": "occurred"})
    first = response.context["page"].object_list[0]
    assert first.title == "Ministry adopts an ILM policy"
    response = client.get(reverse("mel:outcome_list"), {"sort": "nonsense"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert b"<html" not in response.content and b"outcome-table" in response.content


def test_register_costs_the_same_queries_whatever_the_rows(
    client_for, world, register, django_assert_max_num_queries
):
    client = client_for("nora")
    client.get(reverse("mel:outcome_list"))
    with django_assert_max_num_queries(16):
        client.get(reverse("mel:outcome_list"))
    for i in range(15):
        make(world, title=f"Extra {i}", landscapes=[world.landscape, register["brazil"]])
    with django_assert_max_num_queries(16):
        response = client.get(reverse("mel:outcome_list"))
    assert response.context["page"].paginator.count == 17


def test_csv_and_excel_exports_hold_the_filtered_rows(client_for, register):
    client = client_for("hana")
    response = client.get(
        reverse("mel:outcome_export", args=["csv"]), {"domain": "financial_sector"}
    )
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][:3] == ["ID", "Title", "Status"]
    assert [r[1] for r in rows[1:]] == ["A bank adopts landscape-finance criteria"]
    assert rows[1][17] == "Commonland Test" and "Life on land" in rows[1][19]
    response = client.get(reverse("mel:outcome_export", args=["xlsx"]))
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(response.content)).active
    titles = {row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert "Buyer changes its sourcing" in titles and "Archived one" not in titles
    assert client.get(reverse("mel:outcome_export", args=["pdf"])).status_code == 404


# --- the dashboard ---------------------------------------------------------------------------


def test_dashboard_counts_substantiated_and_published_by_default(client_for, register):
    response = client_for("hana").get(reverse("mel:outcome_dashboard"))
    counts = response.context["counts"]
    assert counts.total == 3  # bank, ministry, buyer (not the draft, not the archived one)
    by_domain = {key: n for key, _label, n in counts.by_domain}
    assert by_domain["financial_sector"] == 1 and by_domain["within_landscape"] == 0
    assert {key: n for key, _l, n in counts.by_region} == {"Africa": 1, "Americas": 1,
                                                           "global": 1}  # fmt: skip
    assert counts.by_time == [("2024", "2024", 1), ("2025", "2025", 2)]
    assert b'id="by-domain-table"' in response.content and b"data-chart" in response.content
    # Coded outcomes are counted by tag: the bank's SDG tag, "Vocabulary: name".
    assert [(label.split(":")[0], n) for _slug, label, n in counts.by_tag] == [
        ("Sustainable Development Goal", 1)]  # fmt: skip
    assert b'id="by-tag-table"' in response.content


def test_dashboard_status_filter_quarters_and_csv(client_for, register):
    client = client_for("hana")
    response = client.get(reverse("mel:outcome_dashboard"), {"status": "draft", "per": "quarter"})
    counts = response.context["counts"]
    assert counts.total == 1 and counts.by_time == [("2025-Q1", "2025-Q1", 1)]
    response = client.get(reverse("mel:outcome_dashboard_csv"), {"domain": "business_practices"})
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "Domain,Business practices,1" in body and "Region,Global,1" in body


def test_dashboard_counts_only_what_the_reader_may_see(client, register):
    counts = client.get(reverse("mel:outcome_dashboard")).context["counts"]
    assert counts.total == 2  # anonymous: the two public published ones


def test_dashboard_queries_are_bounded(client_for, world, register, django_assert_max_num_queries):
    client = client_for("hana")
    client.get(reverse("mel:outcome_dashboard"))
    with django_assert_max_num_queries(14):
        client.get(reverse("mel:outcome_dashboard"), {"per": "quarter"})
    for i in range(20):
        make(world, title=f"More {i}", occurred_on=dt.date(2020 + i % 5, 1 + i % 12, 1),
             countries=[f.country("BR")])  # fmt: skip
    with django_assert_max_num_queries(14):
        response = client.get(reverse("mel:outcome_dashboard"), {"per": "quarter"})
    assert response.context["counts"].total == 23


# --- forms and actions -----------------------------------------------------------------------


FORM = {
    "title": "A buyer changed its sourcing", "description": "It buys from the landscape.",
    "actor_type": "business", "change_type": "practice", "domain": "business_practices",
    "occurred_on": "2025-02-01", "intended": "yes", "effect": "positive",
    "significance_level": "high", "contribution": "A sourcing workshop.", "visibility": "public",
}  # fmt: skip


def test_leader_records_an_outcome_naming_records_by_typing(client_for, world):
    response = client_for("lena").post(reverse("mel:outcome_create"), {
        **FORM, "actor_organization": "River Friends", "landscapes": ["kenya highlands", ""],
        "contributing_partners": ["Commonland Test"], "offerings": ["Landscape Finance Clinic"],
    })  # fmt: skip
    outcome = OutcomeStatement.objects.get(title="A buyer changed its sourcing")
    assert response.status_code == 302 and response["Location"] == outcome.get_absolute_url()
    assert outcome.actor_organization == world.other_org
    assert list(outcome.landscapes.all()) == [world.landscape]
    assert list(outcome.offerings.all()) == [world.offering]


def test_offerings_and_activities_are_named_as_the_suggestions_label_them(client_for, world):
    """The form's boxes suggest through the shared ``mel:learning_suggest`` ("Title (#id)");
    what a suggestion fills in is what the form accepts."""
    import datetime as dt

    from landhub.coordination import services as coordination

    start = dt.date.today() + dt.timedelta(days=20)
    activity = coordination.activity_create(
        actor=world.pablo, title="Finance week", type="workshop", organizations=[world.core_org],
        landscapes=[world.landscape.slug], capabilities=["landscape-finance"], starts_on=start,
        ends_on=start + dt.timedelta(days=2),
    )  # fmt: skip
    lena = client_for("lena")
    page = lena.get(reverse("mel:outcome_create")).content.decode()
    assert f"{reverse('mel:learning_suggest')}?kind=activity" in page
    suggest = reverse("mel:learning_suggest")
    [offering] = lena.get(suggest, {"kind": "offering", "q": "clinic"}).json()["results"]
    [found] = lena.get(suggest, {"kind": "activity", "q": "finance w"}).json()["results"]
    assert found == {"id": activity.pk, "label": f"Finance week (#{activity.pk})"}
    response = lena.post(reverse("mel:outcome_create"), {
        **FORM, "actor_name": "A buyer", "landscapes": ["Kenya Highlands"],
        "offerings": [offering["label"]], "activities": [found["label"]],
    })  # fmt: skip
    assert response.status_code == 302, response.context["form"].errors
    outcome = OutcomeStatement.objects.get(title=FORM["title"])
    assert list(outcome.offerings.all()) == [world.offering]
    assert list(outcome.activities.all()) == [activity]


def test_the_form_says_what_is_wrong_beside_each_field(client_for, world):
    response = client_for("lena").post(reverse("mel:outcome_create"), {
        **FORM, "landscapes": ["Atlantis", "Hidden Valley"], "actor_name": "",
        "offerings": ["Soil Carbon Toolkit"],  # a draft offering lena cannot see
    })  # fmt: skip
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "Atlantis" in errors["landscapes"][0] and "Hidden Valley" in errors["landscapes"][0]
    assert "Soil Carbon Toolkit" in errors["offerings"][0]
    response = client_for("lena").post(reverse("mel:outcome_create"), {**FORM, "actor_name": ""})
    assert "Name the social actor" in response.context["form"].errors["actor_name"][0]
    assert "Say where" in response.context["form"].errors["landscapes"][0]


def test_edit_with_a_stale_version_shows_the_conflict(client_for, world):
    outcome = make(world, status="draft", author=world.lena, actor_name="Bank")
    OutcomeStatement.objects.filter(pk=outcome.pk).update(version=2)
    data = {**FORM, "actor_name": "Bank", "landscapes": ["Kenya Highlands"], "version": 1}
    response = client_for("lena").post(reverse("mel:outcome_edit", args=[outcome.pk]), data)
    assert response.status_code == 409
    assert b"changed by someone else" in response.content
    response = client_for("lena").post(reverse("mel:outcome_edit", args=[outcome.pk]),
                                       {**data, "version": 2})  # fmt: skip
    assert response.status_code == 302


def test_reviewer_sees_the_actions_and_a_refusal_is_explained(client_for, world, reviewer):
    outcome = make(world, status="under_review", author=world.lena, visibility="network")
    client = client_for("sofia")
    page = client.get(outcome.get_absolute_url()).content.decode()
    for label in ("Mark substantiated", "Ask someone to substantiate it", "Return to its author"):
        assert label in page
    assert "Publish" not in page
    assert f"/mel/claims/new/?outcome={outcome.pk}" in page  # the value reports' claims
    response = client.post(reverse("mel:outcome_transition", args=[outcome.pk, "substantiate"]),
                           {"version": outcome.version})  # fmt: skip
    assert response.status_code == 400
    assert "No substantiator has answered yet" in response.content.decode()
    response = client.post(reverse("mel:outcome_transition", args=[outcome.pk, "return"]),
                           {"version": "7", "comment": "Name the policy."})  # fmt: skip
    assert (
        response.status_code == 409
        and "changed this outcome meanwhile" in response.content.decode()
    )
    response = client.post(reverse("mel:outcome_transition", args=[outcome.pk, "explode"]))
    assert response.status_code == 404


def test_author_sees_no_review_actions_on_her_submission(client_for, world):
    outcome = make(world, status="under_review", author=world.lena)
    page = client_for("lena").get(outcome.get_absolute_url()).content.decode()
    assert "Mark substantiated" not in page and "Submit for review" not in page
    assert "/mel/claims/new/" not in page


def test_asking_for_substantiation_from_the_page_sends_the_email(
    client_for, world, reviewer, django_capture_on_commit_callbacks
):
    outcome = make(world, status="under_review")
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("sofia").post(
            reverse("mel:substantiation_request", args=[outcome.pk]),
            {"name": "Ana Ruiz", "email": "ana@example.net", "affiliation": "Bank supervisor",
             "language": "pt"},
        )  # fmt: skip
    assert response.status_code == 302
    assert mail.outbox[-1].to == ["ana@example.net"]
    url = reverse("mel:substantiation_request", args=[outcome.pk])
    response = client_for("sofia").post(url, {"name": "", "email": "nope", "language": "en"})
    assert response.status_code == 400


# --- the public substantiation page ----------------------------------------------------------


def _link(world, reviewer, **over):
    outcome = make(world, status="under_review", visibility="restricted")
    s, token = services.substantiation_request(actor=reviewer, outcome=outcome, name="Ana",
                                               email="ana@example.net")  # fmt: skip
    if over:
        Substantiation.objects.filter(pk=s.pk).update(**over)
    return outcome, token


def test_the_substantiator_answers_without_an_account(client, world, reviewer):
    outcome, token = _link(world, reviewer)
    url = reverse("mel:substantiation_answer", args=[token])
    response = client.get(url)
    assert response.status_code == 200
    assert response["X-Robots-Tag"].startswith("noindex")
    assert response["Referrer-Policy"] == "same-origin"  # "no-referrer" breaks the CSRF check
    page = response.content.decode()
    assert outcome.title in page and "Clinic trained officers." in page
    assert 'name="robots" content="noindex' in page
    response = client.post(url, {"statement_agreement": "fully"})
    assert response.status_code == 400 and "This field is required" in response.content.decode()
    answer = {"statement_agreement": "fully", "contribution_agreement": "partly", "comment": "Yes."}
    response = client.post(url, answer)
    assert response.status_code == 200 and "your answer is recorded" in response.content.decode()
    answer = Substantiation.objects.get(outcome=outcome)
    assert (answer.statement_agreement, answer.comment) == ("fully", "Yes.")
    again = client.get(url)
    assert again.status_code == 410 and "already been used" in again.content.decode()


@pytest.mark.parametrize("token", ["nope", "x" * 300, "%00", "a.b-c_d"])
def test_an_unknown_link_says_only_that_it_is_not_valid(client, token):
    response = client.get(f"/mel/substantiate/{token}/")
    assert response.status_code == 404 and "not valid" in response.content.decode()
    response = client.post(f"/mel/substantiate/{token}/", {"statement_agreement": "fully"})
    assert response.status_code == 404


def test_an_expired_link_says_so(client, world, reviewer):
    _outcome, token = _link(world, reviewer, expires_at=timezone.now() - dt.timedelta(days=1))
    response = client.get(reverse("mel:substantiation_answer", args=[token]))
    assert response.status_code == 410 and "expired" in response.content.decode()


def test_a_published_outcome_is_corrected_from_the_page_only_with_a_reason(
    client_for, world, reviewer
):
    outcome = make(world, status="published", actor_name="Bank", author=world.lena)
    assert client_for("lena").get(reverse("mel:outcome_edit", args=[outcome.pk])).status_code == 403
    url = reverse("mel:outcome_edit", args=[outcome.pk])
    data = {**FORM, "actor_name": "Bank", "landscapes": ["Kenya Highlands"], "version": 1}
    response = client_for("sofia").post(url, data)
    assert response.status_code == 400 and "reason" in response.context["form"].errors
    response = client_for("sofia").post(url, {**data, "reason": "The buyer confirmed it"})
    assert response.status_code == 302
    history = client_for("sofia").get(outcome.get_absolute_url()).content.decode()
    assert "The buyer confirmed it" in history
