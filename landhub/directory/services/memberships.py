"""Who belongs where: invitations, join requests and memberships of organizations and landscapes.

An organization's admins and a landscape's leaders/managers (and hub staff) invite people by
e-mail and decide on join requests. Invitation links carry a random token of which only the
SHA-256 is stored, and expire after ``settings.INVITATION_DAYS_VALID`` days.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from landhub.core.access import forget_roles
from landhub.core.services import notify

from ..models import (
    Invitation,
    JoinRequest,
    Landscape,
    LandscapeMembership,
    LandscapeRole,
    Organization,
    OrganizationMembership,
    OrganizationRole,
    Person,
)
from ..rules import can, forget_memberships


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _target_perm(target) -> str:
    if isinstance(target, Organization):
        return "directory.invite_to_organization"
    return "directory.invite_to_landscape"


def _roles(target) -> list[str]:
    return OrganizationRole.values if isinstance(target, Organization) else LandscapeRole.values


def _target_kwargs(target) -> dict:
    key = "organization" if isinstance(target, Organization) else "landscape"
    return {key: target}


def _require_manager(actor, target) -> None:
    if not can(actor, _target_perm(target), target):
        raise PermissionDenied(_("Only its administrators, managers or hub staff may do this."))


def managers_of(target) -> list:
    """Users who decide on requests for ``target`` (never empty: hub staff step in)."""
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    User = get_user_model()
    if isinstance(target, Organization):
        q = Q(person__org_memberships__organization=target,
              person__org_memberships__role=OrganizationRole.ADMIN,
              person__org_memberships__end_date__isnull=True)  # fmt: skip
    else:
        q = Q(person__landscape_memberships__landscape=target,
              person__landscape_memberships__role__in=[LandscapeRole.LEADER, LandscapeRole.MANAGER],
              person__landscape_memberships__end_date__isnull=True)  # fmt: skip
    users = list(User.objects.filter(q, is_active=True).distinct())
    return users or list(User.objects.filter(groups__name="hub-staff", is_active=True))


@transaction.atomic
def invitation_create(*, actor, target, email: str, role: str, message: str = ""):
    """Invite ``email`` to ``role`` in ``target``; returns (invitation, plain token)."""
    _require_manager(actor, target)
    email = (email or "").strip().lower()
    if role not in _roles(target):
        raise ValidationError({"role": _("Choose a role from the list.")})
    pending = Invitation.objects.filter(
        email__iexact=email, status=Invitation.Status.PENDING, expires_at__gt=timezone.now(),
        **_target_kwargs(target),
    )  # fmt: skip
    if pending.exists():
        raise ValidationError({"email": _("This address already has a pending invitation.")})
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        email=email, role=role, message=message or "", token_hash=_hash(token),
        invited_by=actor, **_target_kwargs(target),
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_DAYS_VALID),
    )  # fmt: skip
    invitation.full_clean()
    invitation.save()
    link = settings.SITE_URL + reverse("directory:invitation_accept", args=[token])
    body = _(
        "%(who)s invites you to join %(target)s on LandHub as %(role)s.\n\n%(message)s\n\n"
        "Accept the invitation (valid for %(days)d days):\n%(link)s\n"
    ) % {
        "who": actor.name or actor.email, "target": target, "role": role,
        "message": message or "", "days": settings.INVITATION_DAYS_VALID, "link": link,
    }  # fmt: skip
    transaction.on_commit(
        lambda: send_mail(
            _("Invitation to %(target)s on LandHub") % {"target": target},
            body,
            settings.DEFAULT_FROM_EMAIL,
            [email],
        )  # fmt: skip
    )
    return invitation, token


def invitation_for_token(token: str) -> Invitation | None:
    return (
        Invitation.objects.select_related("organization", "landscape", "invited_by")
        .filter(token_hash=_hash(token or ""))
        .first()
    )


def invitation_problem(invitation: Invitation | None) -> str:
    """Why an invitation cannot be accepted, or "" when it can."""
    if invitation is None:
        return _("This invitation link is not valid.")
    if invitation.status == Invitation.Status.ACCEPTED:
        return _("This invitation has already been accepted.")
    if invitation.status == Invitation.Status.REVOKED:
        return _("This invitation was withdrawn. Ask for a new one.")
    if invitation.is_expired:
        return _("This invitation has expired. Ask %(who)s for a new one.") % {
            "who": invitation.invited_by.name or invitation.invited_by.email
        }
    return ""


def _person_for(user) -> Person:
    person = Person.objects.filter(user=user).first()
    if person is None:
        person = Person.objects.create(user=user, name=user.name or user.email, email=user.email)
    return person


def _add_member(user, target, role: str):
    person = _person_for(user)
    if isinstance(target, Organization):
        membership, _created = OrganizationMembership.objects.update_or_create(
            person=person, organization=target, end_date=None, defaults={"role": role}
        )
    else:
        membership, _created = LandscapeMembership.objects.update_or_create(
            person=person, landscape=target, end_date=None, defaults={"role": role}
        )
    forget_memberships(user)
    forget_roles(user)
    return membership


@transaction.atomic
def invitation_accept(*, actor, token: str):
    invitation = invitation_for_token(token)
    problem = invitation_problem(invitation)
    if problem:
        raise ValidationError(problem)
    if invitation.email.lower() != (actor.email or "").lower():
        # A forwarded link must not hand a role to someone else.
        raise PermissionDenied(
            _("This invitation was sent to %(email)s. Sign in with that address to accept it.")
            % {"email": invitation.email}
        )
    membership = _add_member(actor, invitation.target, invitation.role)
    invitation.status = Invitation.Status.ACCEPTED
    invitation.accepted_by = actor
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["status", "accepted_by", "accepted_at", "updated_at"])
    notify(
        recipients=[invitation.invited_by], kind="directory.invitation_accepted",
        title=_("%(who)s joined %(target)s") % {"who": actor.name or actor.email,
                                                "target": invitation.target},
        url=invitation.target.get_absolute_url(),
    )  # fmt: skip
    return membership


@transaction.atomic
def invitation_revoke(*, actor, invitation: Invitation) -> Invitation:
    if invitation.invited_by_id != actor.pk:
        _require_manager(actor, invitation.target)
    if invitation.status == Invitation.Status.PENDING:
        invitation.status = Invitation.Status.REVOKED
        invitation.save(update_fields=["status", "updated_at"])
    return invitation


def _is_member(user, target) -> bool:
    if isinstance(target, Organization):
        qs = OrganizationMembership.objects.filter(organization=target)
    else:
        qs = LandscapeMembership.objects.filter(landscape=target)
    return qs.filter(person__user=user, end_date__isnull=True).exists()


@transaction.atomic
def join_request_create(*, actor, target, message: str = "") -> JoinRequest:
    if not actor.is_authenticated:
        raise PermissionDenied(_("Sign in to ask to join."))
    model = Organization if isinstance(target, Organization) else Landscape
    if not model.objects.visible_to(actor).filter(pk=target.pk).exists():
        raise PermissionDenied
    if _is_member(actor, target):
        raise ValidationError(_("You are already a member of %(target)s.") % {"target": target})
    if JoinRequest.objects.filter(
        user=actor, status=JoinRequest.Status.PENDING, **_target_kwargs(target)
    ).exists():
        raise ValidationError(_("Your request to join %(target)s is already waiting.") % {
            "target": target})  # fmt: skip
    request = JoinRequest.objects.create(
        user=actor, message=message or "", **_target_kwargs(target)
    )
    notify(
        recipients=managers_of(target), kind="directory.join_request",
        title=_("%(who)s asks to join %(target)s") % {"who": actor.name or actor.email,
                                                      "target": target},
        body=message or "", url=reverse("directory:my_hub"),
    )  # fmt: skip
    return request


@transaction.atomic
def join_request_decide(*, actor, join_request: JoinRequest, approve: bool, note: str = ""):
    _require_manager(actor, join_request.target)
    if join_request.status != JoinRequest.Status.PENDING:
        raise ValidationError(_("This request was already decided."))
    join_request.status = JoinRequest.Status.APPROVED if approve else JoinRequest.Status.DECLINED
    join_request.decided_by = actor
    join_request.decided_at = timezone.now()
    join_request.decision_note = note or ""
    join_request.save()
    if approve:
        _add_member(join_request.user, join_request.target, "member")
        title = _("You are now a member of %(target)s") % {"target": join_request.target}
    else:
        title = _("Your request to join %(target)s was declined") % {"target": join_request.target}
    notify(
        recipients=[join_request.user], kind="directory.join_request_decided", title=title,
        body=note or "", url=join_request.target.get_absolute_url(),
    )  # fmt: skip
    return join_request


@transaction.atomic
def membership_end(*, actor, membership) -> None:
    """End a membership today (kept in history, never deleted)."""
    target = getattr(membership, "organization", None) or membership.landscape
    _require_manager(actor, target)
    membership.end_date = timezone.localdate() - timedelta(days=1)
    membership.save(update_fields=["end_date", "updated_at"])
    if membership.person.user_id:
        forget_memberships(membership.person.user)


@transaction.atomic
def membership_set_role(*, actor, membership, role: str) -> None:
    target = getattr(membership, "organization", None) or membership.landscape
    _require_manager(actor, target)
    if role not in _roles(target):
        raise ValidationError({"role": _("Choose a role from the list.")})
    membership.role = role
    membership.save(update_fields=["role", "updated_at"])
