"""Pages of the indicator library."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _

from landhub.core.forms import Saved, save_form
from landhub.core.history import history_entries
from landhub.core.htmx import render_page
from landhub.core.lists import csv_response, paginate, sort_queryset

from .. import services
from ..forms import (
    IndicatorFilterForm,
    IndicatorForm,
)
from ..models import Indicator
from ..rules import can
from ..selectors import (
    INDICATOR_SORTS,
    indicator_detail,
    indicator_list,
    revision_list,
)


def _indicator_filters(request) -> dict:
    keys = ("q", "measure", "aggregation", "cumulative_mode", "frequency", "disaggregation")
    return {key: request.GET.get(key, "") for key in keys}


@login_required
def indicator_list_view(request):
    qs, sort = sort_queryset(indicator_list(user=request.user, filters=_indicator_filters(request)),
                             request.GET.get("sort"), INDICATOR_SORTS, "code")  # fmt: skip
    context = {
        "page": paginate(request, qs, per_page=25), "sort": sort,
        "sorts": [("code", _("Code")), ("name", _("Name")), ("-updated", _("Recently updated"))],
        "filter_form": IndicatorFilterForm(request.GET or None),
        "can_manage": can(request.user, "mel.manage"),
    }  # fmt: skip
    return render_page(request, "mel/indicator_list.html", context,
                       partial="mel/partials/indicator_results.html")  # fmt: skip


@login_required
def indicator_export_csv(request):
    qs, _sort = sort_queryset(indicator_list(user=request.user,
                                             filters=_indicator_filters(request)),
                              request.GET.get("sort"), INDICATOR_SORTS, "code")  # fmt: skip
    header = [_("Code"), _("Name"), _("Definition"), _("Measure"), _("Unit"), _("Direction"),
              _("Aggregation"), _("Over time"), _("Frequency"), _("Disaggregations"),
              _("SDG"), _("LandScale"), _("4 Returns"), _("IATI"), _("Version")]  # fmt: skip
    rows = ([i.code, i.name, i.definition, i.get_measure_display(), i.unit or i.currency,
             i.get_direction_display(), i.get_aggregation_display(),
             i.get_cumulative_mode_display(), i.get_frequency_display(),
             "; ".join(s.name for s in i.disaggregations.all()), i.sdg_code, i.landscale_code,
             i.four_returns, i.iati_code, i.version] for i in qs)  # fmt: skip
    return csv_response("indicators.csv", header, rows)


@login_required
def indicator_detail_view(request, code):
    """The indicator reference sheet: everything needed to report it, printable."""
    indicator = indicator_detail(user=request.user, code=code)
    context = {
        "indicator": indicator, "can_manage": can(request.user, "mel.manage"),
        "entries": history_entries(indicator),
        "revisions": revision_list(user=request.user, indicator=indicator, limit=50),
    }  # fmt: skip
    return render(request, "mel/indicator_detail.html", context)


@login_required
def indicator_form_view(request, code=None):
    if not can(request.user, "mel.manage"):
        raise PermissionDenied
    indicator = get_object_or_404(Indicator, code=code) if code else None
    form = IndicatorForm(request.POST or None, instance=indicator, user=request.user)
    saved = Saved(False)
    if request.method == "POST" and form.is_valid():
        data, schemes = form.service_fields(), list(form.cleaned_data["schemes"])
        if indicator is None:
            saved = save_form(form, lambda: services.indicator_create(
                actor=request.user, schemes=schemes, **data))  # fmt: skip
        else:
            saved = save_form(form, lambda: services.indicator_update(
                actor=request.user, indicator=Indicator.objects.get(pk=indicator.pk),
                version=form.cleaned_data.get("version"), schemes=schemes,
                reason=form.cleaned_data.get("reason", ""),
                adaptation=form.cleaned_data.get("adaptation"), **data,
            ))  # fmt: skip
        if saved.ok:
            messages.success(request, _("Indicator saved."))
            return redirect(reverse("mel:indicator_detail", args=[saved.result.code]))
    status = saved.status if saved.current is not None else (
        400 if request.method == "POST" else 200)  # fmt: skip
    return render(request, "mel/indicator_form.html",
                  {"form": form, "indicator": indicator, "current": saved.current},
                  status=status)  # fmt: skip


urlpatterns = [
    path("mel/indicators/", indicator_list_view, name="indicator_list"),
    path("mel/indicators/export.csv", indicator_export_csv, name="indicator_export_csv"),
    path("mel/indicators/new/", indicator_form_view, name="indicator_create"),
    path("mel/indicators/<str:code>/", indicator_detail_view, name="indicator_detail"),
    path("mel/indicators/<str:code>/edit/", indicator_form_view, name="indicator_edit"),
]  # fmt: skip
