"""Organization pages: directory, profile, edit, capabilities, history, archive/restore."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _

from landhub.core.access import is_hub_staff
from landhub.core.forms import Saved, add_service_errors, save_form
from landhub.core.history import history_entries
from landhub.core.htmx import render_page
from landhub.core.lists import chunked, csv_response, paginate, sort_queryset

from ..forms.organizations import CapabilitiesForm, OrganizationFilterForm, OrganizationForm
from ..models import Organization
from ..rules import can, get_object_for
from ..selectors.organizations import (
    ORGANIZATION_FILTERS,
    ORGANIZATION_SORTS,
    organization_detail,
    organization_filter_options,
    organization_list,
    with_landscape_counts,
)
from ..services import organizations as services
from .archiving import archive_view


def _filtered(request):
    filters = {key: request.GET.get(key, "") for key in ORGANIZATION_FILTERS}
    if request.GET.get("core") in ("on", "1", "true"):
        filters["core"] = "1"
    qs = organization_list(user=request.user, filters=filters)
    return sort_queryset(qs, request.GET.get("sort"), ORGANIZATION_SORTS, "name")


def organization_list_view(request):
    qs, sort = _filtered(request)
    page = paginate(request, qs, per_page=30)
    page.object_list = with_landscape_counts(page.object_list)
    context = {
        "page": page,
        "sort": sort,
        "sorts": [("name", _("Name")), ("kind", _("Kind")), ("-updated", _("Recently updated"))],
        "filter_form": OrganizationFilterForm(
            request.GET or None, options=organization_filter_options()
        ),
        "can_create": can(request.user, "directory.add_organization"),
        "export_links": [(_("CSV"), reverse("directory:organization_export_csv"))],
    }
    return render_page(
        request,
        "directory/organization_list.html",
        context,
        partial="directory/partials/organization_results.html",
    )


def organization_export_csv(request):
    qs, _sort = _filtered(request)
    base = request.build_absolute_uri("/")[:-1]
    header = [_("Name"), _("Short name"), _("Kind"), _("Country"), _("Website"),
              _("Landscapes"), _("Link")]  # fmt: skip
    organizations = (
        o
        for chunk in chunked(qs.iterator(chunk_size=500), 500)
        for o in with_landscape_counts(chunk)
    )
    rows = (
        [
            o.name,
            o.short_name,
            o.kind.name,
            o.country.name if o.country else "",
            o.website,
            o.landscape_count,
            base + o.get_absolute_url(),
        ]  # fmt: skip
        for o in organizations
    )
    return csv_response("organizations.csv", header, rows)


def organization_detail_view(request, slug, tab="profile"):
    organization = organization_detail(user=request.user, slug=slug)
    context = {
        "organization": organization,
        "tab": tab,
        "can_edit": can(request.user, "directory.change_organization", organization),
        "can_archive": can(request.user, "directory.archive_organization", organization),
    }
    if tab == "history":
        context["entries"] = history_entries(organization)
    return render(request, "directory/organization_detail.html", context)


@login_required
def organization_history(request, slug):
    return organization_detail_view(request, slug, tab="history")


@login_required
def organization_create(request):
    if not can(request.user, "directory.add_organization"):
        raise PermissionDenied
    form = OrganizationForm(request.POST or None, request.FILES or None, staff=True)
    if request.method == "POST" and form.is_valid():
        data = form.service_fields()
        try:
            organization = services.organization_create(
                actor=request.user, name=data.pop("name"), kind=data.pop("kind"), **data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Organization created."))
            return redirect(organization.get_absolute_url())
    return render(request, "directory/organization_form.html", {"form": form})


@login_required
def organization_edit(request, slug):
    organization = get_object_for(
        request.user, "directory.change_organization", Organization.objects.all(), slug=slug
    )
    form = OrganizationForm(
        request.POST or None, request.FILES or None, instance=organization,
        staff=is_hub_staff(request.user),
    )  # fmt: skip
    saved = Saved(False)
    if request.method == "POST" and form.is_valid():
        saved = save_form(form, lambda: services.organization_update(
            actor=request.user, organization=Organization.objects.get(pk=organization.pk),
            version=form.cleaned_data.get("version"), **form.service_fields(),
        ))  # fmt: skip
        if saved.ok:
            messages.success(request, _("Changes saved."))
            return redirect(organization.get_absolute_url())
    return render(
        request,
        "directory/organization_form.html",
        {"form": form, "organization": organization, "current": saved.current},
        status=saved.status,
    )


@login_required
def organization_capabilities(request, slug):
    organization = get_object_for(
        request.user, "directory.change_organization", Organization.objects.all(), slug=slug
    )
    current = {c.capability_id: c.level for c in organization.capabilities.all()}
    form = CapabilitiesForm(request.POST or None, current=current)
    if request.method == "POST" and form.is_valid():
        services.organization_capabilities_set(
            actor=request.user, organization=organization, capabilities=form.selected()
        )
        messages.success(request, _("Capabilities saved."))
        return redirect(organization.get_absolute_url())
    return render(
        request,
        "directory/organization_capabilities.html",
        {"form": form, "organization": organization},
    )


organization_archive = archive_view(
    Organization, "directory.archive_organization", services.organization_archive, restore=False
)
organization_restore = archive_view(
    Organization, "directory.archive_organization", services.organization_restore, restore=True
)


urlpatterns = [
    path("organizations/", organization_list_view, name="organization_list"),
    path("organizations/export.csv", organization_export_csv, name="organization_export_csv"),
    path("organizations/new/", organization_create, name="organization_create"),
    path("organizations/<slug:slug>/", organization_detail_view, name="organization_detail"),
    path("organizations/<slug:slug>/history/", organization_history, name="organization_history"),
    path("organizations/<slug:slug>/edit/", organization_edit, name="organization_edit"),
    path(
        "organizations/<slug:slug>/capabilities/",
        organization_capabilities,
        name="organization_capabilities",
    ),
    path("organizations/<slug:slug>/archive/", organization_archive, name="organization_archive"),
    path("organizations/<slug:slug>/restore/", organization_restore, name="organization_restore"),
]
