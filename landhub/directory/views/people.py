"""People pages, for signed-in members only: people are never shown to the public."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _

from landhub.core.access import is_hub_staff
from landhub.core.forms import add_service_errors, save_form
from landhub.core.history import history_entries
from landhub.core.htmx import render_page
from landhub.core.lists import csv_response, paginate, sort_queryset

from ..forms.organizations import PersonFilterForm, PersonForm
from ..models import Person
from ..rules import can
from ..selectors.organizations import PERSON_FILTERS, PERSON_SORTS, person_detail, person_list
from ..services import organizations as services


def _filtered(request):
    filters = {key: request.GET.get(key, "") for key in PERSON_FILTERS}
    qs = person_list(user=request.user, filters=filters)
    return sort_queryset(qs, request.GET.get("sort"), PERSON_SORTS, "name")


@login_required
def person_list_view(request):
    qs, sort = _filtered(request)
    context = {
        "page": paginate(request, qs, per_page=30),
        "sort": sort,
        "sorts": [("name", _("Name")), ("-updated", _("Recently updated"))],
        "filter_form": PersonFilterForm(request.GET or None),
        "export_links": [(_("CSV"), reverse("directory:person_export_csv"))],
        "can_create": can(request.user, "directory.add_organization"),
    }
    return render_page(
        request,
        "directory/person_list.html",
        context,
        partial="directory/partials/person_results.html",
    )


@login_required
def person_export_csv(request):
    qs, _sort = _filtered(request)
    staff = is_hub_staff(request.user)
    header = [_("Name"), _("Affiliations"), _("E-mail")]

    def rows():
        for person in qs.iterator(chunk_size=500):
            shown = staff or person.contact_consent or person.user_id == request.user.pk
            yield [
                person.name,
                "; ".join(m.organization.name for m in person.current_affiliations),
                person.email if shown else "",
            ]

    return csv_response("people.csv", header, rows())


@login_required
def person_detail_view(request, pk, tab="profile"):
    person = person_detail(user=request.user, pk=pk)
    context = {
        "person": person,
        "tab": tab,
        "can_edit": is_hub_staff(request.user) or person.user_id == request.user.pk,
    }
    if tab == "history":
        context["entries"] = history_entries(person)
    return render(request, "directory/person_detail.html", context)


@login_required
def person_history(request, pk):
    return person_detail_view(request, pk, tab="history")


@login_required
def person_edit(request, pk):
    person = person_detail(user=request.user, pk=pk)
    if not (is_hub_staff(request.user) or person.user_id == request.user.pk):
        raise PermissionDenied
    form = PersonForm(request.POST or None, instance=person)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version", None)
        saved = save_form(form, lambda: services.person_update(
            actor=request.user, person=Person.objects.get(pk=person.pk), version=version, **data
        ))  # fmt: skip
        if saved.ok:
            messages.success(request, _("Changes saved."))
            return redirect(person.get_absolute_url())
        status = saved.status
    return render(
        request, "directory/person_form.html", {"form": form, "person": person}, status=status
    )


@login_required
def person_create(request):
    """Hub staff add people who have no account (funder contacts, community leaders)."""
    if not can(request.user, "directory.add_organization"):
        raise PermissionDenied
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("version", None)
        try:
            person = services.person_create(actor=request.user, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Person added."))
            return redirect(person.get_absolute_url())
    return render(request, "directory/person_form.html", {"form": form, "person": None})


urlpatterns = [
    path("people/", person_list_view, name="person_list"),
    path("people/export.csv", person_export_csv, name="person_export_csv"),
    path("people/new/", person_create, name="person_create"),
    path("people/<int:pk>/", person_detail_view, name="person_detail"),
    path("people/<int:pk>/history/", person_history, name="person_history"),
    path("people/<int:pk>/edit/", person_edit, name="person_edit"),
]
