"""Members of an organization or landscape: invitations, join requests, roles."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from landhub.core.forms import add_service_errors

from ..forms.memberships import InvitationForm, JoinRequestForm
from ..models import (
    Invitation,
    JoinRequest,
    Landscape,
    LandscapeMembership,
    Organization,
    OrganizationMembership,
)
from ..rules import can, get_object_for
from ..services import memberships as services

TARGETS = {"organizations": Organization, "landscapes": Landscape}


def _target(request, kind, slug, action="view"):
    model = TARGETS.get(kind)
    if model is None:
        from django.http import Http404

        raise Http404
    return get_object_for(request.user, action, model.objects.all(), slug=slug)


def _perm(target) -> str:
    return (
        "directory.invite_to_organization"
        if isinstance(target, Organization)
        else "directory.invite_to_landscape"
    )


def _members(target):
    current = Q(end_date__isnull=True) | Q(end_date__gte=timezone.localdate())
    if isinstance(target, Organization):
        return OrganizationMembership.objects.filter(current, organization=target)
    return LandscapeMembership.objects.filter(current, landscape=target)


@login_required
def members(request, kind, slug):
    target = _target(request, kind, slug)
    if not can(request.user, _perm(target), target):
        raise PermissionDenied
    key = "organization" if isinstance(target, Organization) else "landscape"
    form = InvitationForm(request.POST or None, for_organization=key == "organization")
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.invitation_create(actor=request.user, target=target, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]},
                )
                return redirect(request.path)
        status = 400
    context = {
        "target": target,
        "kind": kind,
        "form": form,
        "members": _members(target).select_related("person").order_by("role", "person__name"),
        "invitations": Invitation.objects.filter(
            status=Invitation.Status.PENDING, **{key: target}
        ).select_related("invited_by"),
        "join_requests": JoinRequest.objects.filter(
            status=JoinRequest.Status.PENDING, **{key: target}
        ).select_related("user"),
    }
    return render(request, "directory/members.html", context, status=status)


def invitation_accept(request, token):
    """Anyone with the link sees the invitation; accepting needs the invited account."""
    invitation = services.invitation_for_token(token)
    problem = services.invitation_problem(invitation)
    status = 404 if invitation is None else (410 if problem else 200)
    if request.method == "POST" and not problem:
        if not request.user.is_authenticated:
            return redirect(f"/accounts/login/?next={request.path}")
        try:
            services.invitation_accept(actor=request.user, token=token)
        except PermissionDenied as exc:
            problem, status = str(exc), 403
        except ValidationError as exc:
            problem, status = " ".join(exc.messages), 410
        else:
            messages.success(request, _("Welcome to %(target)s.") % {"target": invitation.target})
            return redirect(invitation.target.get_absolute_url())
    return render(
        request,
        "directory/invitation_accept.html",
        {"invitation": invitation, "problem": problem, "token": token},
        status=status,
    )


@login_required
@require_POST
def invitation_revoke(request, pk):
    invitation = get_object_or_404(Invitation, pk=pk)
    services.invitation_revoke(actor=request.user, invitation=invitation)
    messages.success(request, _("Invitation withdrawn."))
    kind = "organizations" if invitation.organization_id else "landscapes"
    return redirect("directory:members", kind=kind, slug=invitation.target.slug)


@login_required
def join_request_create(request, kind, slug):
    target = _target(request, kind, slug)
    form = JoinRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.join_request_create(
                actor=request.user, target=target, message=form.cleaned_data["message"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Your request was sent to the managers."))
        return redirect(target.get_absolute_url())
    return render(request, "directory/join_request_form.html", {"form": form, "target": target})


@login_required
@require_POST
def join_request_decide(request, pk):
    join_request = get_object_or_404(JoinRequest, pk=pk)
    approve = request.POST.get("decision") == "approve"
    try:
        services.join_request_decide(
            actor=request.user, join_request=join_request, approve=approve,
            note=request.POST.get("note", "")[:2000],
        )  # fmt: skip
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Request approved.") if approve else _("Request declined."))
    return redirect(request.POST.get("next") or "directory:my_hub")


@login_required
@require_POST
def membership_end(request, kind, pk):
    model = OrganizationMembership if kind == "organizations" else LandscapeMembership
    membership = get_object_or_404(model.objects.select_related("person"), pk=pk)
    target = getattr(membership, "organization", None) or membership.landscape
    services.membership_end(actor=request.user, membership=membership)
    messages.success(request, _("%(name)s is no longer a member.") % {"name": membership.person})
    return redirect("directory:members", kind=kind, slug=target.slug)


urlpatterns = [
    path("<str:kind>/<slug:slug>/members/", members, name="members"),
    path("<str:kind>/<slug:slug>/join/", join_request_create, name="join_request_create"),
    path("invitations/<str:token>/", invitation_accept, name="invitation_accept"),
    path("invitations/<int:pk>/revoke/", invitation_revoke, name="invitation_revoke"),
    path("join-requests/<int:pk>/decide/", join_request_decide, name="join_request_decide"),
    path("<str:kind>/members/<int:pk>/end/", membership_end, name="membership_end"),
]
