"""Vocabulary pages: anyone browses the terms; hub staff add, edit and (de)activate them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from landhub.core.forms import add_service_errors
from landhub.core.htmx import render_page
from landhub.core.lists import csv_response, paginate, sort_queryset

from ..forms.terms import TermFilterForm, TermForm
from ..models import Term
from ..rules import can
from ..selectors.terms import TERM_SORTS, term_list
from ..services import terms as services


def _filtered(request):
    filters = {k: request.GET.get(k, "") for k in ("q", "vocabulary", "active")}
    qs = term_list(user=request.user, filters=filters)
    return sort_queryset(qs, request.GET.get("sort"), TERM_SORTS, "vocabulary")


def term_list_view(request):
    qs, sort = _filtered(request)
    context = {
        "page": paginate(request, qs, per_page=50),
        "sort": sort,
        "sorts": [("vocabulary", _("Vocabulary")), ("name", _("Name"))],
        "filter_form": TermFilterForm(request.GET or None),
        "can_edit": can(request.user, "directory.change_term"),
        "export_links": [(_("CSV"), reverse("directory:term_export_csv"))],
    }
    return render_page(
        request, "directory/term_list.html", context, partial="directory/partials/term_results.html"
    )


def term_export_csv(request):
    qs, _sort = _filtered(request)
    header = ["vocabulary", "slug", "name_en", "name_es", "name_fr", "name_pt", "active"]
    rows = ([t.vocabulary, t.slug, t.name_en, t.name_es, t.name_fr, t.name_pt, t.is_active]
            for t in qs)  # fmt: skip
    return csv_response("vocabularies.csv", header, rows)


@login_required
def term_edit(request, pk=None):
    if not can(request.user, "directory.change_term"):
        raise PermissionDenied
    term = get_object_or_404(Term, pk=pk) if pk else None
    form = TermForm(request.POST or None, instance=term)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            if term is None:
                services.term_create(actor=request.user, **data)
            else:
                services.term_update(actor=request.user, term=Term.objects.get(pk=term.pk), **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Term saved."))
            return redirect("directory:term_list")
    return render(request, "directory/term_form.html", {"form": form, "term": term})


@login_required
@require_POST
def term_toggle_active(request, pk):
    if not can(request.user, "directory.change_term"):
        raise PermissionDenied
    term = get_object_or_404(Term, pk=pk)
    services.term_set_active(actor=request.user, term=term, active=not term.is_active)
    messages.success(request, _("Term updated."))
    return redirect(reverse("directory:term_list") + "?active=all")


urlpatterns = [
    path("vocabularies/", term_list_view, name="term_list"),
    path("vocabularies/export.csv", term_export_csv, name="term_export_csv"),
    path("vocabularies/new/", term_edit, name="term_create"),
    path("vocabularies/<int:pk>/edit/", term_edit, name="term_edit"),
    path("vocabularies/<int:pk>/toggle/", term_toggle_active, name="term_toggle_active"),
]
