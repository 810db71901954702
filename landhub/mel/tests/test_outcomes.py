"""Outcome harvesting: the services' transitions, refusals and messages, substantiation by
link (expired, used, wrong), and who reads what."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import formats, timezone, translation

from landhub.core.exceptions import ConflictError
from landhub.core.models import Notification
from landhub.directory import factories as f
from landhub.directory.models import Vocabulary
from landhub.mel import services
from landhub.mel.models import OutcomeStatement, Substantiation
from landhub.mel.rules import REVIEWERS_GROUP
from landhub.mel.selectors import outcome_detail, outcome_list

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)


def _messages(exc) -> str:
    return " ".join(exc.value.messages)


@pytest.fixture
def reviewer(world):
    world.sofia.groups.add(Group.objects.get_or_create(name=REVIEWERS_GROUP)[0])
    return world.sofia


def fields(world, **over) -> dict:
    data = {
        "title": "Regional bank adopts landscape-finance criteria",
        "description": "The bank's credit policy now scores loans by landscape plans.",
        "actor_name": "Banco Regional", "actor_type": "financial_institution",
        "change_type": "investment", "domain": "financial_sector",
        "occurred_on": dt.date(2025, 3, 1), "landscapes": [world.landscape],
        "contribution": "The Landscape Finance Clinic trained its credit officers.",
        "contributing_partners": [world.core_org], "offerings": [world.offering],
        "visibility": "public",
    }  # fmt: skip
    data.update(over)
    return data


def draft(world, actor=None, **over) -> OutcomeStatement:
    return services.outcome_create(actor=actor or world.lena, **fields(world, **over))


def under_review(world, **over) -> OutcomeStatement:
    outcome = draft(world, **over)
    return services.outcome_submit(actor=world.lena, outcome=outcome, version=outcome.version)


def answered(world, reviewer, outcome=None, **answer) -> tuple[OutcomeStatement, Substantiation]:
    outcome = outcome or under_review(world)
    _s, token = services.substantiation_request(actor=reviewer, outcome=outcome, name="Ana Ruiz",
                                                email="ana@example.net", language="es")  # fmt: skip
    s = services.substantiation_answer(
        token=token, statement_agreement=answer.get("statement", "fully"),
        contribution_agreement=answer.get("contribution", "partly"), comment="Seen it happen.",
    )  # fmt: skip
    outcome.refresh_from_db()
    return outcome, s


# --- create and update -----------------------------------------------------------------------


def test_leader_records_a_draft_with_its_contribution_and_history(world):
    outcome = draft(world)
    assert outcome.status == "draft" and outcome.recorded_by == world.lena
    assert list(outcome.offerings.all()) == [world.offering]
    assert outcome.history.first().history_change_reason == "Recorded"


@pytest.mark.parametrize("persona", ["nora", "oscar", "sofia"])
def test_people_without_a_role_cannot_record(world, persona):
    with pytest.raises(PermissionDenied):
        draft(world, actor=getattr(world, persona))


def test_core_partner_staff_record_outcomes(world):
    assert draft(world, actor=world.pablo).recorded_by == world.pablo


@pytest.mark.parametrize(("over", "field", "words"), [
    ({"actor_name": ""}, "actor_name", "Name the social actor"),
    ({"actor_organization": "ORG"}, "actor_name", "not both"),
    ({"landscapes": [], "countries": [], "is_global": False}, "landscapes", "Say where"),
    ({"occurred_on": "FUTURE"}, "occurred_on", "cannot be in the future"),
    ({"occurred_on": "03/2025"}, "occurred_on", "YYYY-MM-DD"),
    ({"domain": "weather"}, "domain", "Choose one"),
    ({"title": "  "}, "title", "required"),
    ({"contribution": ""}, "contribution", "required"),
    ({"tags": "ECOSYSTEM"}, "tags", "cannot be used"),
])  # fmt: skip
def test_bad_input_is_refused_with_a_message_beside_its_field(world, over, field, words):
    if over.get("actor_organization") == "ORG":
        over["actor_organization"] = world.other_org
    if over.get("occurred_on") == "FUTURE":
        over["occurred_on"] = timezone.localdate() + DAY
    if over.get("tags") == "ECOSYSTEM":
        over["tags"] = [f.term(Vocabulary.ECOSYSTEM, "wetland")]
    with pytest.raises(ValidationError) as exc:
        draft(world, **over)
    assert words in " ".join(exc.value.message_dict[field])


def test_a_global_outcome_or_one_in_a_country_needs_no_landscape(world):
    assert draft(world, landscapes=[], is_global=True).is_global
    outcome = draft(world, landscapes=[], countries=[f.country("KE")])
    assert [c.code for c in outcome.countries.all()] == ["KE"]


def test_tags_of_the_four_vocabularies_are_kept(world):
    sdg = f.term(Vocabulary.SDG, "sdg-15")
    theme = f.term(Vocabulary.THEME, "finance")
    outcome = draft(world, tags=[sdg, theme])
    assert set(outcome.tags.all()) == {sdg, theme}


def test_author_edits_her_draft_and_a_stale_version_is_a_conflict(world):
    outcome = draft(world)
    changed = services.outcome_update(actor=world.lena, outcome=outcome, version=1,
                                      title="Banco Regional adopts criteria")  # fmt: skip
    assert changed.version == 2 and changed.title == "Banco Regional adopts criteria"
    assert list(changed.landscapes.all()) == [world.landscape]  # left out: unchanged
    with pytest.raises(ConflictError):
        services.outcome_update(actor=world.lena, outcome=outcome, version=1, title="Older")


def test_author_cannot_edit_once_submitted_and_others_never(world):
    outcome = under_review(world)
    with pytest.raises(PermissionDenied):
        services.outcome_update(actor=world.lena, outcome=outcome, version=outcome.version,
                                title="Mine")  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.outcome_update(actor=world.pablo, outcome=draft(world), version=1, title="x")


def test_a_published_outcome_changes_by_a_reviewer_with_a_reason_kept(world, reviewer):
    outcome, _s = answered(world, reviewer)
    outcome = services.outcome_substantiate(actor=reviewer, outcome=outcome,
                                            version=outcome.version)  # fmt: skip
    outcome = services.outcome_publish(actor=reviewer, outcome=outcome, version=outcome.version)
    with pytest.raises(ValidationError) as exc:
        services.outcome_update(actor=reviewer, outcome=outcome, version=outcome.version,
                                significance_level="high")  # fmt: skip
    assert "Say why" in _messages(exc)
    services.outcome_update(
        actor=reviewer,
        outcome=outcome,
        version=outcome.version,
        significance_level="high",
        reason="Confirmed by the ministry",
    )
    latest = outcome.history.first()
    assert latest.significance_level == "high"
    assert latest.history_change_reason == "Confirmed by the ministry"


# --- transitions -----------------------------------------------------------------------------


def test_the_whole_way_to_published_with_history_of_each_step(world, reviewer):
    outcome = draft(world)
    outcome = services.outcome_submit(actor=world.lena, outcome=outcome, version=1)
    assert outcome.status == "under_review"
    assert Notification.objects.filter(recipient=reviewer, kind="mel.outcome_submitted").exists()
    outcome, _s = answered(world, reviewer, outcome)
    outcome = services.outcome_substantiate(actor=reviewer, outcome=outcome,
                                            version=outcome.version)  # fmt: skip
    assert outcome.status == "substantiated" and outcome.substantiated_at
    outcome = services.outcome_publish(actor=reviewer, outcome=outcome, version=outcome.version)
    assert outcome.status == "published" and outcome.published_at
    reasons = list(outcome.history.order_by("history_date")
                   .values_list("status", "history_change_reason"))  # fmt: skip
    assert ("under_review", "Submitted for review") in reasons
    assert ("substantiated", "Substantiated") in reasons
    assert reasons[-1] == ("published", "Published")
    assert Notification.objects.filter(recipient=world.lena, kind="mel.outcome_published").exists()


def test_submit_is_for_the_author_or_a_reviewer_and_only_from_draft(world, reviewer):
    outcome = draft(world)
    with pytest.raises(PermissionDenied):
        services.outcome_submit(actor=world.pablo, outcome=outcome, version=1)
    outcome = services.outcome_submit(actor=reviewer, outcome=outcome, version=1)
    with pytest.raises(ValidationError) as exc:
        services.outcome_submit(actor=world.lena, outcome=outcome, version=outcome.version)
    assert "Only a draft" in _messages(exc)


def test_submit_with_a_stale_version_is_a_conflict(world):
    outcome = draft(world)
    services.outcome_update(actor=world.lena, outcome=outcome, version=1, title="Newer")
    with pytest.raises(ConflictError):
        services.outcome_submit(actor=world.lena, outcome=outcome, version=1)


def test_a_reviewer_returns_it_with_a_comment_for_the_author(world, reviewer):
    outcome = under_review(world)
    with pytest.raises(PermissionDenied):
        services.outcome_return(actor=world.lena, outcome=outcome, version=outcome.version,
                                comment="x")  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        services.outcome_return(actor=reviewer, outcome=outcome, version=outcome.version,
                                comment=" ")  # fmt: skip
    assert "Say what needs to change" in _messages(exc)
    outcome = services.outcome_return(actor=reviewer, outcome=outcome, version=outcome.version,
                                      comment="Name the bank's policy.")  # fmt: skip
    assert outcome.status == "draft" and outcome.review_comment == "Name the bank's policy."
    note = Notification.objects.get(recipient=world.lena, kind="mel.outcome_returned")
    assert note.body == "Name the bank's policy."
    with pytest.raises(ValidationError):
        services.outcome_return(actor=reviewer, outcome=outcome, version=outcome.version,
                                comment="Again")  # fmt: skip


def test_substantiated_only_once_an_answer_is_in(world, reviewer):
    outcome = under_review(world)
    services.substantiation_request(actor=reviewer, outcome=outcome, name="Ana",
                                    email="ana@example.net")  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        services.outcome_substantiate(actor=reviewer, outcome=outcome, version=outcome.version)
    assert "No substantiator has answered yet" in _messages(exc)
    with pytest.raises(PermissionDenied):
        services.outcome_substantiate(actor=world.lena, outcome=outcome, version=outcome.version)


def test_publish_only_a_substantiated_outcome_by_a_reviewer(world, reviewer):
    outcome = under_review(world)
    with pytest.raises(ValidationError) as exc:
        services.outcome_publish(actor=reviewer, outcome=outcome, version=outcome.version)
    assert "Only a substantiated" in _messages(exc)
    outcome, _s = answered(world, reviewer, outcome)
    outcome = services.outcome_substantiate(actor=reviewer, outcome=outcome,
                                            version=outcome.version)  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.outcome_publish(actor=world.lena, outcome=outcome, version=outcome.version)
    with pytest.raises(ConflictError):
        services.outcome_publish(actor=reviewer, outcome=outcome, version=outcome.version - 1)


def test_archive_by_author_of_a_draft_hides_it_from_the_register(world, reviewer):
    outcome = draft(world)
    with pytest.raises(PermissionDenied):
        services.outcome_archive(actor=world.pablo, outcome=outcome, version=1)
    services.outcome_archive(actor=world.lena, outcome=outcome, version=1)
    assert not outcome_list(user=world.lena).filter(pk=outcome.pk).exists()
    assert outcome_list(user=world.lena, filters={"archived": "1"}).filter(pk=outcome.pk).exists()
    with pytest.raises(ValidationError) as exc:
        services.outcome_submit(actor=world.lena, outcome=outcome, version=2)
    assert "archived" in _messages(exc)


# --- substantiation --------------------------------------------------------------------------


def test_request_emails_a_link_in_the_substantiators_language_and_keeps_only_a_hash(
    world, reviewer, django_capture_on_commit_callbacks
):
    outcome = under_review(world)
    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        s, token = services.substantiation_request(
            actor=reviewer, outcome=outcome, name="Ana Ruiz", email="ana@example.net",
            affiliation="Central bank supervisor", language="es",
        )  # fmt: skip
    assert s.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in s.token_hash and len(token) >= 40
    assert before + 30 * DAY <= s.expires_at <= timezone.now() + 30 * DAY
    message = mail.outbox[-1]
    assert message.to == ["ana@example.net"]
    assert f"/mel/substantiate/{token}/" in message.body
    assert "Sofia" in message.body  # who asks
    assert outcome.title in message.body and outcome.contribution in message.body
    with translation.override("es"):  # the e-mail speaks the substantiator's language
        assert formats.date_format(s.expires_at, "DATE_FORMAT") in message.body


def test_request_setting_for_days_and_refusals(world, reviewer, settings):
    settings.LANDHUB_MEL_SUBSTANTIATION_DAYS = 7
    outcome = under_review(world)
    before = timezone.now()
    s, _t = services.substantiation_request(actor=reviewer, outcome=outcome, name="Ana",
                                            email="ana@example.net")  # fmt: skip
    assert before + 7 * DAY <= s.expires_at <= timezone.now() + 7 * DAY
    with pytest.raises(ValidationError) as exc:
        services.substantiation_request(actor=reviewer, outcome=outcome, name="Ana",
                                        email="ANA@example.net")  # fmt: skip
    assert "already asked" in _messages(exc)
    with pytest.raises(ValidationError) as exc:
        services.substantiation_request(actor=reviewer, outcome=outcome, name="",
                                        email="not-an-address", language="de")  # fmt: skip
    assert set(exc.value.message_dict) == {"name", "email", "language"}
    with pytest.raises(PermissionDenied):
        services.substantiation_request(actor=world.lena, outcome=outcome, name="B",
                                        email="b@example.net")  # fmt: skip
    with pytest.raises(ValidationError):
        services.substantiation_request(actor=reviewer, outcome=draft(world), name="B",
                                        email="b@example.net")  # fmt: skip


def test_answer_is_recorded_once_and_tells_reviewers_and_author(world, reviewer):
    outcome = under_review(world)
    _s, token = services.substantiation_request(actor=reviewer, outcome=outcome, name="Ana",
                                                email="ana@example.net")  # fmt: skip
    s = services.substantiation_answer(token=token, statement_agreement="fully",
                                       contribution_agreement="disagree",
                                       comment="Others trained them too.")  # fmt: skip
    assert s.answered_at and s.contribution_agreement == "disagree"
    kinds = set(Notification.objects.filter(kind="mel.substantiation_answered")
                .values_list("recipient__email", flat=True))  # fmt: skip
    assert {world.lena.email, reviewer.email, world.hana.email} <= kinds
    with pytest.raises(services.SubstantiationLinkError) as exc:
        services.substantiation_answer(token=token, statement_agreement="fully",
                                       contribution_agreement="fully")  # fmt: skip
    assert exc.value.kind == "answered"


def test_expired_and_wrong_links_take_no_answer(world, reviewer):
    outcome = under_review(world)
    s, token = services.substantiation_request(actor=reviewer, outcome=outcome, name="Ana",
                                               email="ana@example.net")  # fmt: skip
    Substantiation.objects.filter(pk=s.pk).update(expires_at=timezone.now() - DAY)
    for bad, kind in ((token, "expired"), (token[:-1], "unknown"), ("", "unknown"),
                      ("x" * 5000, "unknown")):  # fmt: skip
        with pytest.raises(services.SubstantiationLinkError) as exc:
            services.substantiation_answer(token=bad, statement_agreement="fully",
                                           contribution_agreement="fully")  # fmt: skip
        assert exc.value.kind == kind
    assert Substantiation.objects.get(pk=s.pk).answered_at is None


def test_an_answer_must_say_agree_or_not(world, reviewer):
    outcome = under_review(world)
    _s, token = services.substantiation_request(actor=reviewer, outcome=outcome, name="Ana",
                                                email="ana@example.net")  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        services.substantiation_answer(token=token, statement_agreement="maybe",
                                       contribution_agreement="")  # fmt: skip
    assert set(exc.value.message_dict) == {"statement_agreement", "contribution_agreement"}


# --- visibility ------------------------------------------------------------------------------


def _published(world, reviewer, **over):
    """Recorded by hub staff, so the personas read it by its visibility alone."""
    outcome = draft(world, actor=world.hana, **over)
    outcome = services.outcome_submit(actor=world.hana, outcome=outcome, version=1)
    outcome, _s = answered(world, reviewer, outcome)
    outcome = services.outcome_substantiate(actor=reviewer, outcome=outcome,
                                            version=outcome.version)  # fmt: skip
    return services.outcome_publish(actor=reviewer, outcome=outcome, version=outcome.version)


def test_unpublished_outcomes_are_read_by_author_reviewers_and_staff_only(world, reviewer):
    from django.contrib.auth.models import AnonymousUser
    from django.http import Http404

    outcome = under_review(world)
    for user in (world.lena, reviewer, world.hana):
        assert outcome_detail(user=user, pk=outcome.pk) == outcome
    for user in (world.pablo, world.nora, AnonymousUser()):
        with pytest.raises(Http404):
            outcome_detail(user=user, pk=outcome.pk)
        assert not outcome_list(user=user).filter(pk=outcome.pk).exists()


def test_published_outcomes_are_read_by_their_visibility(world, reviewer):
    from django.contrib.auth.models import AnonymousUser

    public = _published(world, reviewer, title="Public one", visibility="public")
    network = _published(world, reviewer, title="Network one", visibility="network")
    core = _published(world, reviewer, title="Core one", visibility="core")
    hidden = _published(world, reviewer, title="Restricted one", visibility="restricted")

    def seen(user):
        return set(outcome_list(user=user).values_list("title", flat=True))

    assert seen(AnonymousUser()) == {"Public one"}
    assert seen(world.nora) == {"Public one", "Network one"}
    assert seen(world.pablo) == {"Public one", "Network one", "Core one"}
    # Restricted: the members of its landscapes (lena leads Kenya Highlands).
    assert seen(world.lena) == {"Public one", "Network one", "Restricted one"}
    assert seen(world.hana) == {p.title for p in (public, network, core, hidden)}


# --- search ----------------------------------------------------------------------------------


def test_global_search_finds_outcomes_by_the_same_visibility_rule(client_for, world, reviewer):
    published = _published(world, reviewer, title="Savings group finances agroforestry",
                           visibility="network")  # fmt: skip
    hidden = draft(world, title="Savings cooperative drafts a restoration fund")
    found = client_for("nora").get("/api/v1/search", {"q": "savings", "type": "outcome"}).json()
    assert [item["id"] for item in found["items"]] == [published.pk]
    assert found["facets"]["outcome"] == 1
    mine = client_for("lena").get("/api/v1/search", {"q": "savings", "type": "outcome"}).json()
    assert {item["id"] for item in mine["items"]} == {published.pk, hidden.pk}
    anonymous = client_for("anonymous").get("/api/v1/search", {"q": "savings"}).json()
    assert anonymous["facets"]["outcome"] == 0
    page = client_for("nora").get("/search/", {"q": "savings"})
    assert "Outcome statements" in page.content.decode()
    assert published.title in page.content.decode()


@pytest.mark.parametrize("step", ["return", "substantiate", "archive"])
def test_every_step_refuses_a_stale_version(world, reviewer, step):
    outcome, _s = answered(world, reviewer)
    stale = outcome.version - 1
    call = {
        "return": lambda: services.outcome_return(actor=reviewer, outcome=outcome, version=stale,
                                                  comment="Why"),
        "substantiate": lambda: services.outcome_substantiate(actor=reviewer, outcome=outcome,
                                                              version=stale),
        "archive": lambda: services.outcome_archive(actor=reviewer, outcome=outcome,
                                                    version=stale),
    }[step]  # fmt: skip
    with pytest.raises(ConflictError):
        call()
    outcome.refresh_from_db()
    assert outcome.status == "under_review" and outcome.archived_at is None
