"""Key issues, the services: who raises to which body, evidence links, transitions and their
refusals, stale versions, the officers told, visibility of confidential and members-only
issues."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings

from landhub.core.exceptions import ConflictError
from landhub.governance import services
from landhub.governance.models import KeyIssue
from landhub.governance.selectors import issue_list

pytestmark = pytest.mark.django_db


def _raise(actor, body, **extra):
    data = {"title": "Budget for the scaling plan", "background": "The plan needs money."}
    data.update(extra)
    return services.issue_raise(actor=actor, body=body, **data)


def test_seat_holder_raises_and_officers_are_told(gov, world):
    from landhub.core.models import Notification

    issue = _raise(world.sofia, gov.sc, urgency="high",
                   evidence=[{"path": "/mel/dashboards/", "label": "MEL dashboards"}])  # fmt: skip
    assert issue.status == "raised" and issue.raised_by == world.sofia
    assert [(e.path, e.label) for e in issue.evidence.all()] == [
        ("/mel/dashboards/", "MEL dashboards")
    ]
    told = set(Notification.objects.filter(kind="governance.issue_raised")
               .values_list("recipient", flat=True))  # fmt: skip
    assert told == {gov.chidi.pk, gov.sam.pk}  # chair and secretary, not the author
    assert issue.history.first().history_change_reason == "Raised"


def test_non_seat_holders_may_not_raise(gov, world):
    for user in (world.nora, world.oscar):
        with pytest.raises(PermissionDenied):
            _raise(user, gov.sc)


def test_members_only_body_takes_issues_from_its_members(gov, world):
    with pytest.raises(ValidationError) as exc:
        _raise(world.lena, gov.team)  # lena sits on the LLAG, not the finance team
    assert "are for its members" in exc.value.message_dict["body"][0]
    assert _raise(world.sofia, gov.team).body == gov.team
    assert _raise(world.hana, gov.team).body == gov.team


def test_confidential_issue_raised_by_members_only(gov, world):
    with pytest.raises(ValidationError) as exc:
        _raise(world.lena, gov.sc, confidential=True)
    assert "confidential" in exc.value.message_dict


def test_field_errors_together(gov, world):
    with pytest.raises(ValidationError) as exc:
        _raise(world.sofia, gov.sc, title="", background="", urgency="whenever",
               evidence=[{"path": "https://example.com/report", "label": "A report"},
                         {"path": "/mel/dashboards/", "label": ""}])  # fmt: skip
    errors = exc.value.message_dict
    assert {"title", "background", "urgency", "evidence"} <= set(errors)
    assert "Link 1: “https://example.com/report” is not a page of the hub" in errors["evidence"][0]
    assert "Link 2: give it a label" in errors["evidence"][1]
    assert not KeyIssue.objects.exists()


@override_settings(SITE_URL="https://hub.example.org")
def test_evidence_links_keep_the_path_of_hub_pages(gov, world):
    assert services.evidence_path("https://hub.example.org/mel/dashboards/?year=2025") == (
        "/mel/dashboards/?year=2025"
    )
    assert services.evidence_path("/governance/bodies/llag/") == "/governance/bodies/llag/"
    refused = {
        "https://evil.example.org/mel/": "is not a page of the hub",
        "ftp://hub.example.org/mel/": "is not a page of the hub",
        "mel/": "neither a path of the hub",
        "//evil.example.org/x": "is not a page of the hub",
        "/api/v1/governance/bodies": "is not a page of the hub",
        "/no-such-page-anywhere/": "No page of the hub is at",
        "": "Give the address",
    }
    for link, message in refused.items():
        with pytest.raises(ValidationError) as exc:
            services.evidence_path(link)
        assert message in exc.value.messages[0], link


def test_transitions_step_by_step_with_history(gov, world):
    issue = _raise(world.sofia, gov.sc)
    for status in ("scheduled", "raised", "scheduled", "deliberation", "decided", "closed"):
        issue = services.issue_transition(actor=gov.sam, issue=issue, version=issue.version,
                                          status=status, note=f"to {status}")  # fmt: skip
    assert issue.status == "closed" and issue.closed_at is not None
    from landhub.governance.selectors import issue_status_history

    steps = issue_status_history(issue)
    assert [s["status"] for s in steps] == ["raised", "scheduled", "raised", "scheduled",
                                            "deliberation", "decided", "closed"]  # fmt: skip
    assert steps[-1]["note"] == "to closed" and steps[-1]["who"] == "Sam Secretary"


def test_transition_refusals(gov, world):
    issue = _raise(world.sofia, gov.sc)
    with pytest.raises(ValidationError) as exc:
        services.issue_transition(actor=world.hana, issue=issue, version=issue.version,
                                  status="decided")  # fmt: skip
    assert (
        "A raised issue cannot become decided; possible next steps: scheduled, closed."
        in (exc.value.message_dict["status"][0])
    )
    with pytest.raises(ValidationError):
        services.issue_transition(actor=world.hana, issue=issue, version=None, status="nope")
    for user in (world.sofia, world.pablo, world.lena):  # the author and members: not officers
        with pytest.raises(PermissionDenied):
            services.issue_transition(actor=user, issue=issue, version=None, status="scheduled")
    with pytest.raises(ConflictError):
        services.issue_transition(actor=world.hana, issue=issue, version=issue.version + 5,
                                  status="scheduled")  # fmt: skip


def test_update_by_author_while_raised_then_officers_only(gov, world):
    issue = _raise(world.sofia, gov.sc)
    issue = services.issue_update(actor=world.sofia, issue=issue, version=issue.version,
                                  changes={"title": "Budget, revised", "evidence": [
                                      {"path": "/governance/",
                                       "label": "Governance"}]})  # fmt: skip
    assert issue.title == "Budget, revised"
    assert list(issue.evidence.values_list("label", flat=True)) == ["Governance"]
    with pytest.raises(PermissionDenied):
        services.issue_update(actor=world.pablo, issue=issue, version=issue.version,
                              changes={"title": "Pablo's"})  # fmt: skip
    services.issue_transition(actor=world.hana, issue=issue, version=None, status="scheduled")
    issue.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.issue_update(actor=world.sofia, issue=issue, version=issue.version,
                              changes={"title": "Too late"})  # fmt: skip
    issue = services.issue_update(actor=gov.chidi, issue=issue, version=issue.version,
                                  changes={"urgency": "urgent"})  # fmt: skip
    assert issue.urgency == "urgent"


def test_stale_update_conflicts_and_unknown_fields_refused(gov, world):
    issue = _raise(world.sofia, gov.sc)
    old = issue.version
    services.issue_update(actor=world.hana, issue=issue, version=old, changes={"title": "A"})
    stale = KeyIssue.objects.get(pk=issue.pk)
    with pytest.raises(ConflictError):
        services.issue_update(actor=world.hana, issue=stale, version=old, changes={"title": "B"})
    with pytest.raises(ValidationError) as exc:
        services.issue_update(actor=world.hana, issue=stale, version=None,
                              changes={"body": gov.llag})  # fmt: skip
    assert "body" in exc.value.message_dict


def test_archive_and_restore(gov, world):
    issue = _raise(world.sofia, gov.sc)
    services.issue_archive(actor=world.sofia, issue=issue, version=issue.version)
    assert not issue_list(user=world.hana).filter(pk=issue.pk).exists()
    assert issue_list(user=world.hana, filters={"archived": "1"}).filter(pk=issue.pk).exists()
    with pytest.raises(ValidationError):
        services.issue_update(actor=world.hana, issue=issue, version=None, changes={"title": "x"})
    services.issue_archive(actor=world.hana, issue=issue, version=None, restore=True)
    assert issue_list(user=world.hana).filter(pk=issue.pk).exists()


def test_visibility_confidential_and_members_only(gov, world):
    open_issue = _raise(world.sofia, gov.sc)
    _raise(world.sofia, gov.sc, title="Secret", confidential=True)
    team = _raise(world.sofia, gov.team, title="Team matter")
    seen = {u: set(issue_list(user=getattr(world, u)).values_list("title", flat=True))
            for u in ("hana", "sofia", "pablo", "lena", "nora", "oscar")}  # fmt: skip
    assert seen["hana"] == {open_issue.title, "Secret", "Team matter"}
    assert seen["sofia"] == {open_issue.title, "Secret", "Team matter"}
    assert seen["pablo"] == {open_issue.title, "Secret"}  # an alternate is a member
    for user in ("lena", "nora", "oscar"):
        assert seen[user] == {open_issue.title}
    assert team.body == gov.team


def test_register_filters(gov, world):
    a = _raise(world.sofia, gov.sc, title="Soil carbon finance", urgency="urgent")
    b = _raise(world.lena, gov.llag, title="Landscape voice", urgency="low")
    services.issue_transition(actor=world.hana, issue=b, version=None, status="scheduled")

    def titles(user=world.hana, **filters):
        return set(issue_list(user=user, filters=filters).values_list("title", flat=True))

    assert titles(body="llag") == {b.title}
    assert titles(status="scheduled") == {b.title}
    assert titles(urgency="urgent") == {a.title}
    assert titles(user=world.lena, mine="1") == {b.title}
    assert titles(year=str(a.created_at.year)) == {a.title, b.title}
    assert titles(year="1999") == set()
    assert titles(q="carbon") == {a.title}
    assert titles(status="bogus", body="x" * 500) == set()
