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
