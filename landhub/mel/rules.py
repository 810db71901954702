"""Who may do what with MEL records (django-rules).

- Hub staff manage frameworks, indicators, assignments and reporting periods.
- Whoever reports for an assignment enters and submits its values: the person named as its
  reporter, or else the landscape's leaders and managers (a partner's admins for a partner's
  assignment); hub staff too.
- Reviewers approve or return submitted values: hub staff and the people the hub designates
  (the ``mel-reviewers`` group). Nobody reviews their own submission (checked in services).
"""

from __future__ import annotations

import rules

from landhub.core.access import is_hub_staff as _is_hub_staff
from landhub.directory.rules import (
    admin_organization_ids,
    can,  # noqa: F401 - one helper for all apps
    managed_landscape_ids,
)

REVIEWERS_GROUP = "mel-reviewers"


@rules.predicate
def is_hub_staff(user) -> bool:
    return _is_hub_staff(user)


@rules.predicate
def is_designated_reviewer(user) -> bool:
    return user.is_authenticated and user.groups.filter(name=REVIEWERS_GROUP).exists()


@rules.predicate
def reports_for(user, assignment) -> bool:
    if assignment is None or not user.is_authenticated:
        return False
    if assignment.reporter_id is not None:
        return assignment.reporter.user_id == user.pk
    if assignment.landscape_id is not None:
        return assignment.landscape_id in managed_landscape_ids(user)
    if assignment.organization_id is not None:
        return assignment.organization_id in admin_organization_ids(user)
    return False


rules.add_perm("mel.manage", is_hub_staff)
rules.add_perm("mel.report", is_hub_staff | reports_for)
rules.add_perm("mel.review", is_hub_staff | is_designated_reviewer)


@rules.predicate
def reports_for_some_landscape(user) -> bool:
    """Leads or manages a landscape, or is named as the reporter of a landscape's indicator:
    may import values (each row is then checked against ``mel.report``)."""
    if not user.is_authenticated:
        return False
    if managed_landscape_ids(user):
        return True
    from .models import IndicatorAssignment

    return IndicatorAssignment.objects.filter(reporter__user=user).exists()


rules.add_perm(
    "mel.import_values", is_hub_staff | is_designated_reviewer | reports_for_some_landscape
)


@rules.predicate
def manages_framework(user, framework) -> bool:
    """A landscape's leaders and managers keep its own framework."""
    return (
        framework is not None
        and framework.landscape_id is not None
        and framework.landscape_id in managed_landscape_ids(user)
    )


rules.add_perm("mel.change_framework", is_hub_staff | manages_framework)


@rules.predicate
def plans_for(user, assignment) -> bool:
    """A landscape's leaders and managers set the baseline and targets of its assignments
    (creating and removing assignments stays with hub staff: ``mel.manage``)."""
    return (
        assignment is not None
        and assignment.landscape_id is not None
        and assignment.landscape_id in managed_landscape_ids(user)
    )


rules.add_perm("mel.plan", is_hub_staff | plans_for)


# --- Mixed methods (issue 6) -----------------------------------------------------------------
# Outcome statements, change trails, contribution claims, stories, selection rounds and the
# learning loop. Services check these; selectors narrow reads by each record's visibility.


@rules.predicate
def is_core_partner_staff(user) -> bool:
    from landhub.core.access import is_core_partner

    return user.is_authenticated and is_core_partner(user)


@rules.predicate
def manages_some_landscape(user) -> bool:
    return bool(managed_landscape_ids(user))


@rules.predicate
def recorded_outcome(user, outcome) -> bool:
    return outcome is not None and outcome.recorded_by_id == user.pk


@rules.predicate
def outcome_is_draft(user, outcome) -> bool:
    return outcome is not None and outcome.status == "draft"


is_reviewer = is_hub_staff | is_designated_reviewer

# Who harvests outcomes: the hub, the reviewers, core partners' staff, landscape leaders.
rules.add_perm(
    "mel.record_outcome",
    is_reviewer | is_core_partner_staff | manages_some_landscape,
)
# Its author edits a draft; reviewers edit it at any stage (published: with a reason).
rules.add_perm("mel.change_outcome", is_reviewer | (recorded_outcome & outcome_is_draft))
# Ask for substantiation, mark substantiated, publish, return to draft.
rules.add_perm("mel.review_outcome", is_reviewer)
# System change trails and contribution claims are the hub's analysis.
rules.add_perm("mel.record_trail", is_reviewer)
rules.add_perm("mel.record_claim", is_reviewer)


@rules.predicate
def in_landscape(user, landscape) -> bool:
    """Any current member of the landscape (leader, manager or member)."""
    if landscape is None or not user.is_authenticated:
        return False
    from landhub.directory.models import LandscapeMembership

    landscape_id = getattr(landscape, "landscape_id", None) or landscape.pk
    return LandscapeMembership.objects.filter(person__user=user, landscape_id=landscape_id).exists()


@rules.predicate
def collected_story(user, story) -> bool:
    return story is not None and getattr(story, "collected_by_id", None) == user.pk


@rules.predicate
def manages_story_landscape(user, story) -> bool:
    return story is not None and story.landscape_id in managed_landscape_ids(user)


# A landscape's members collect its stories (the object is the landscape).
rules.add_perm("mel.collect_story", is_reviewer | in_landscape)
# Its collector and the landscape's leaders edit a story (consent included).
rules.add_perm("mel.change_story", is_reviewer | collected_story | manages_story_landscape)
# Hub staff set up selection rounds; the panel selects.
rules.add_perm("mel.run_round", is_hub_staff)


@rules.predicate
def on_panel(user, selection_round) -> bool:
    return (
        selection_round is not None
        and user.is_authenticated
        and selection_round.panel.filter(pk=user.pk).exists()
    )


rules.add_perm("mel.select_story", is_hub_staff | on_panel)


@rules.predicate
def manages_session_landscape(user, session) -> bool:
    return (
        session is not None
        and session.landscape_id is not None
        and session.landscape_id in managed_landscape_ids(user)
    )


# Reflection sessions: the hub, reviewers and core partners for the initiative; a landscape's
# leaders for their landscape. Learning questions go with the framework (mel.change_framework).
rules.add_perm(
    "mel.record_reflection", is_reviewer | is_core_partner_staff | manages_some_landscape
)


@rules.predicate
def recorded_session(user, session) -> bool:
    """Who recorded a session keeps it too (a core partner's initiative session)."""
    return (
        session is not None
        and user.is_authenticated
        and session.recorded_by_id is not None
        and session.recorded_by_id == user.pk
    )


rules.add_perm("mel.change_reflection", is_reviewer | manages_session_landscape | recorded_session)
