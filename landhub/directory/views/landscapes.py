"""Landscape pages: directory (map + list), profile, edit, boundary, needs, ILM, history.

Views parse input, call a selector or a service and render; access is checked by
``rules.get_object_for`` (404 when unreadable, 403 when not allowed).
"""

from __future__ import annotations

import json

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _

from landhub.core.access import is_hub_staff
from landhub.core.forms import Saved, add_service_errors, save_form
from landhub.core.history import history_entries
from landhub.core.htmx import render_page
from landhub.core.lists import csv_response, filters_from, paginate, sort_queryset

from .. import geo
from ..forms.landscapes import (
    BoundaryUploadForm,
    ILMForm,
    LandscapeFilterForm,
    LandscapeForm,
    NeedForm,
)
from ..models import Landscape, LandscapeNeed
from ..rules import can, get_object_for
from ..selectors.landscapes import (
    FILTER_KEYS,
    LANDSCAPE_SORTS,
    landscape_detail,
    landscape_features,
    landscape_filter_options,
    landscape_list,
)
from ..services import landscapes as services
from .archiving import archive_view


def _filtered(request):
    qs = landscape_list(user=request.user, filters=filters_from(request, FILTER_KEYS))
    return sort_queryset(qs, request.GET.get("sort"), LANDSCAPE_SORTS, "name")


def landscape_list_view(request):
    qs, sort = _filtered(request)
    page = paginate(request, qs, per_page=24)
    context = {
        "page": page,
        "sort": sort,
        "sorts": [
            ("name", _("Name")),
            ("-area", _("Largest area")),
            ("-population", _("Most people")),
            ("-updated", _("Recently updated")),
        ],
        "filter_form": LandscapeFilterForm(request.GET or None, options=landscape_filter_options()),
        "can_create": can(request.user, "directory.add_landscape"),
        "show_archived": request.GET.get("archived") == "1",
        "is_staff": is_hub_staff(request.user),
        "export_links": [
            (_("CSV"), reverse("directory:landscape_export_csv")),
            (_("GeoJSON"), reverse("directory:landscape_export_geojson")),
        ],
    }
    return render_page(
        request,
        "directory/landscape_list.html",
        context,
        partial="directory/partials/landscape_results.html",
    )


def landscape_export_csv(request):
    qs, _sort = _filtered(request)
    header = [
        _("Name"), _("Countries"), _("Region"), _("Area (km²)"), _("Population"),
        _("1000L status"), _("Partnership status"), _("Landscape partnership"), _("Link"),
    ]  # fmt: skip
    base = request.build_absolute_uri("/")[:-1]
    rows = (
        [
            ls.name,
            "; ".join(c.name for c in ls.countries.all()),
            ls.region,
            ls.area_km2,
            ls.population,
            ls.get_initiative_status_display(),
            ls.get_partnership_status_display(),
            ls.partnership_organization.name if ls.partnership_organization else "",
            base + ls.get_absolute_url(),
        ]  # fmt: skip
        for ls in qs.iterator(chunk_size=500)
    )
    return csv_response("landscapes.csv", header, rows)


def landscape_export_geojson(request):
    qs, _sort = _filtered(request)
    response = JsonResponse(landscape_features(user=request.user, queryset=qs))
    response["Content-Disposition"] = 'attachment; filename="landscapes.geojson"'
    return response


def landscape_detail_view(request, slug, tab="profile"):
    landscape = landscape_detail(user=request.user, slug=slug)
    context = {
        "landscape": landscape,
        "tab": tab,
        "can_edit": can(request.user, "directory.change_landscape", landscape),
        "can_archive": can(request.user, "directory.archive_landscape", landscape),
        "feature_url": f"/landscapes/{landscape.slug}/boundary.geojson",
    }
    if tab == "history":
        context["entries"] = history_entries(landscape)
    else:
        # Sections the function apps add (AppConfig.landscape_panels): the directory shows
        # them without knowing those apps.
        context["panels"] = [
            panel
            for config in apps.get_app_configs()
            if hasattr(config, "landscape_panels")
            for panel in config.landscape_panels(request=request, landscape=landscape)
        ]
    return render(request, "directory/landscape_detail.html", context)


@login_required
def landscape_history(request, slug):
    return landscape_detail_view(request, slug, tab="history")


def landscape_boundary_geojson(request, slug):
    landscape = get_object_for(request.user, "view", Landscape.objects.all(), slug=slug)
    feature = {
        "type": "Feature",
        "geometry": landscape.boundary,
        "properties": {"name": landscape.name, "slug": landscape.slug,
                       "area_km2": landscape.area_km2},
    }  # fmt: skip
    response = JsonResponse(feature)
    if request.GET.get("download"):
        response["Content-Disposition"] = f'attachment; filename="{landscape.slug}.geojson"'
    return response


@login_required
def landscape_create(request):
    if not can(request.user, "directory.add_landscape"):
        raise PermissionDenied
    form = LandscapeForm(request.POST or None, staff=True, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.service_fields()
        try:
            landscape = services.landscape_create(
                actor=request.user, name=data.pop("name"), countries=data.pop("countries"), **data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Landscape created. Now add its boundary."))
            return redirect("directory:landscape_boundary", slug=landscape.slug)
    return render(request, "directory/landscape_form.html", {"form": form, "landscape": None})


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@login_required
def landscape_edit(request, slug):
    landscape = get_object_for(
        request.user, "directory.change_landscape", Landscape.objects.all(), slug=slug
    )
    staff = is_hub_staff(request.user)
    form = LandscapeForm(request.POST or None, instance=landscape, staff=staff, user=request.user)
    saved = Saved(False)
    if request.method == "POST" and form.is_valid():
        saved = save_form(form, lambda: services.landscape_update(
            actor=request.user, landscape=Landscape.objects.get(pk=landscape.pk),
            version=form.cleaned_data.get("version"), **form.service_fields(),
        ))  # fmt: skip
        if saved.ok:
            messages.success(request, _("Changes saved."))
            return redirect(landscape.get_absolute_url())
    return render(
        request,
        "directory/landscape_form.html",
        {"form": form, "landscape": landscape, "current": saved.current},
        status=saved.status,
    )


@login_required
def landscape_boundary(request, slug):
    landscape = get_object_for(
        request.user, "directory.change_landscape", Landscape.objects.all(), slug=slug
    )
    form = BoundaryUploadForm(
        request.POST or None, request.FILES or None, initial={"version": landscape.version}
    )
    repaired = None
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data.get("clear"):
                geometry = None
            elif data.get("file"):
                geometry = geo.parse_boundary_file(data["file"])
            elif (data.get("geojson") or "").strip():
                geometry = geo.parse_boundary_geojson(data["geojson"])
            else:
                geometry = geo.point_geometry(data["latitude"], data["longitude"])
        except geo.BoundaryError as exc:
            form.add_error(None, exc.message)
            repaired = json.dumps(exc.repaired) if exc.repaired else None
            status = 400
        else:
            saved = save_form(form, lambda: services.landscape_set_boundary(
                actor=request.user, landscape=landscape, geometry=geometry,
                version=data.get("version"),
            ))  # fmt: skip
            if saved.ok:
                messages.success(request, _("Boundary saved."))
                return redirect(landscape.get_absolute_url())
            status = 409 if saved.current is not None else 400
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "directory/landscape_boundary.html",
        {"form": form, "landscape": landscape, "repaired": repaired,
         "example": geo.example_geojson()},
        status=status,
    )  # fmt: skip


@login_required
def landscape_needs(request, slug, need_id=None):
    landscape = get_object_for(
        request.user, "directory.change_landscape", Landscape.objects.all(), slug=slug
    )
    need = get_object_or_404(LandscapeNeed, pk=need_id, landscape=landscape) if need_id else None
    form = NeedForm(request.POST or None, instance=need)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = {
            k: form.cleaned_data[k] for k in ("capability", "priority", "status", "description")
        }
        if need is None:
            saved = save_form(form, lambda: services.landscape_need_create(
                actor=request.user, landscape=landscape, **data))  # fmt: skip
        else:
            saved = save_form(form, lambda: services.landscape_need_update(
                actor=request.user, need=LandscapeNeed.objects.get(pk=need.pk),
                version=form.cleaned_data.get("version"), **data,
            ))  # fmt: skip
        if saved.ok:
            messages.success(request, _("Need saved."))
            return redirect(landscape.get_absolute_url() + "#needs")
        status = saved.status
    return render(
        request,
        "directory/landscape_need_form.html",
        {"form": form, "landscape": landscape, "need": need},
        status=status,
    )


@login_required
def landscape_ilm(request, slug):
    landscape = get_object_for(
        request.user, "directory.change_landscape", Landscape.objects.all(), slug=slug
    )
    rows = landscape_detail(user=request.user, slug=slug).ilm_rows
    form = ILMForm(request.POST or None, rows=rows)
    if request.method == "POST" and form.is_valid():
        for element, stage, evidence in form.rows:
            services.landscape_ilm_set(
                actor=request.user, landscape=landscape, element=element,
                stage=form.cleaned_data[stage], evidence=form.cleaned_data[evidence],
            )  # fmt: skip
        messages.success(request, _("ILM progress saved."))
        return redirect(landscape.get_absolute_url() + "#ilm")
    return render(request, "directory/landscape_ilm.html", {"form": form, "landscape": landscape})


landscape_archive = archive_view(
    Landscape, "directory.archive_landscape", services.landscape_archive, restore=False
)
landscape_restore = archive_view(
    Landscape, "directory.archive_landscape", services.landscape_restore, restore=True
)


urlpatterns = [
    path("landscapes/", landscape_list_view, name="landscape_list"),
    path("landscapes/export.csv", landscape_export_csv, name="landscape_export_csv"),
    path("landscapes/export.geojson", landscape_export_geojson, name="landscape_export_geojson"),
    path("landscapes/new/", landscape_create, name="landscape_create"),
    path("landscapes/<slug:slug>/", landscape_detail_view, name="landscape_detail"),
    path("landscapes/<slug:slug>/history/", landscape_history, name="landscape_history"),
    path("landscapes/<slug:slug>/edit/", landscape_edit, name="landscape_edit"),
    path("landscapes/<slug:slug>/boundary/", landscape_boundary, name="landscape_boundary"),
    path(
        "landscapes/<slug:slug>/boundary.geojson",
        landscape_boundary_geojson,
        name="landscape_boundary_geojson",
    ),
    path("landscapes/<slug:slug>/needs/new/", landscape_needs, name="landscape_need_create"),
    path(
        "landscapes/<slug:slug>/needs/<int:need_id>/", landscape_needs, name="landscape_need_edit"
    ),
    path("landscapes/<slug:slug>/ilm/", landscape_ilm, name="landscape_ilm"),
    path("landscapes/<slug:slug>/archive/", landscape_archive, name="landscape_archive"),
    path("landscapes/<slug:slug>/restore/", landscape_restore, name="landscape_restore"),
]
