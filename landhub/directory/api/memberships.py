"""Memberships API: who belongs to an organization or landscape, invitations, join requests.

The same services as the members pages; invitation tokens are e-mailed, never returned.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Schema, Status

from ..models import (
    JoinRequest,
    Landscape,
    LandscapeMembership,
    Organization,
    OrganizationMembership,
    Person,
)
from ..rules import get_object_for
from ..services import memberships as services
from .common import require_user

router = Router(tags=["memberships"])

Kind = Literal["organizations", "landscapes"]
MODELS = {"organizations": Organization, "landscapes": Landscape}
MEMBERSHIPS = {"organizations": OrganizationMembership, "landscapes": LandscapeMembership}


class MembershipOut(Schema):
    id: int
    person_id: int
    person: str
    role: str
    start_date: date | None
    end_date: date | None

    @staticmethod
    def resolve_person(obj):
        return obj.person.name


class InvitationIn(Schema):
    kind: Kind
    slug: str
    email: str
    role: str
    message: str = ""


class InvitationOut(Schema):
    id: int
    email: str
    role: str
    status: str
    expires_at: datetime


class JoinRequestIn(Schema):
    kind: Kind
    slug: str
    message: str = ""


class JoinRequestOut(Schema):
    id: int
    status: str
    message: str
    created_at: datetime


class DecisionIn(Schema):
    approve: bool
    note: str = ""


def _target(user, kind: str, slug: str, action: str = "view"):
    return get_object_for(user, action, MODELS[kind].objects.all(), slug=slug)


@router.get("/{kind}/{slug}", response=list[MembershipOut], summary="Current members")
def list_members(request, kind: Kind, slug: str):
    user = require_user(request)
    target = _target(user, kind, slug)
    current = Q(end_date__isnull=True) | Q(end_date__gte=timezone.localdate())
    field = "organization" if kind == "organizations" else "landscape"
    return list(
        MEMBERSHIPS[kind]
        .objects.filter(current, **{field: target}, person__in=Person.objects.visible_to(user))
        .select_related("person")
        .order_by("role", "person__name")
    )


@router.post("/invitations", response={201: InvitationOut}, summary="Invite by e-mail")
def create_invitation(request, payload: InvitationIn):
    user = require_user(request)
    target = _target(user, payload.kind, payload.slug)
    invitation, _token = services.invitation_create(
        actor=user, target=target, email=payload.email, role=payload.role,
        message=payload.message,
    )  # fmt: skip
    return Status(201, invitation)


@router.post("/join-requests", response={201: JoinRequestOut}, summary="Ask to join")
def create_join_request(request, payload: JoinRequestIn):
    user = require_user(request)
    target = _target(user, payload.kind, payload.slug)
    return Status(
        201, services.join_request_create(actor=user, target=target, message=payload.message)
    )


@router.post("/join-requests/{request_id}/decide", response=JoinRequestOut, summary="Decide")
def decide_join_request(request, request_id: int, payload: DecisionIn):
    user = require_user(request)
    join_request = get_object_or_404(JoinRequest, pk=request_id)
    return services.join_request_decide(
        actor=user, join_request=join_request, approve=payload.approve, note=payload.note
    )


@router.post("/{kind}/{slug}/{membership_id}/end", response=MembershipOut, summary="End")
def end_membership(request, kind: Kind, slug: str, membership_id: int):
    user = require_user(request)
    target = _target(user, kind, slug)
    field = "organization" if kind == "organizations" else "landscape"
    membership = get_object_or_404(
        MEMBERSHIPS[kind].objects.select_related("person"), pk=membership_id, **{field: target}
    )
    services.membership_end(actor=user, membership=membership)
    return membership
