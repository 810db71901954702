"""Completeness of reporting (hub staff and reviewers): for one period, one row per landscape
with what it reported, what is missing and whether it is overdue; CSV of the same rows."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from landhub.core.forms import FastChoicesMixin, StyledFormMixin
from landhub.core.htmx import render_page
from landhub.core.lists import csv_response

from ..models import ReportingPeriod
from ..rules import can
from ..selectors import completeness
from ..selectors.completeness import default_period

FILTER_KEYS = ("q", "region", "country", "status")


class CompletenessFilterForm(FastChoicesMixin, StyledFormMixin, forms.Form):
    period = forms.ChoiceField(label=gettext_lazy("Period"), required=False)
    q = forms.CharField(label=gettext_lazy("Landscape"), required=False)
    region = forms.ChoiceField(label=gettext_lazy("Region"), required=False)
    country = forms.ChoiceField(label=gettext_lazy("Country"), required=False)
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False, choices=[
        ("", gettext_lazy("Any")), ("overdue", gettext_lazy("Overdue")),
        ("complete", gettext_lazy("Complete")),
        ("incomplete", gettext_lazy("Incomplete"))])  # fmt: skip

    def __init__(self, *args, periods, options: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.use_fast_selects()
        anything = [("", _("Any"))]
        self.fields["period"].choices = [(p.label, f"{p.label} ({p.get_kind_display()})")
                                         for p in periods]  # fmt: skip
        self.fields["region"].choices = anything + [(r, r) for r in options["regions"]]
        self.fields["country"].choices = anything + [(c.code, c.name) for c in options["countries"]]


def _period_and_filters(request):
    if not can(request.user, "mel.review"):
        raise PermissionDenied
    label = request.GET.get("period", "")
    period = (ReportingPeriod.objects.filter(label=label).first() if label
              else default_period())  # fmt: skip
    if label and period is None:
        raise Http404
    filters = {key: request.GET.get(key, "")[:100] for key in FILTER_KEYS}
    return period, filters


@login_required
def completeness_view(request):
    from landhub.directory.selectors.landscapes import landscape_filter_options

    period, filters = _period_and_filters(request)
    sort = request.GET.get("sort", "name")
    result = completeness(user=request.user, period=period, filters=filters,
                          sort=sort) if period else None  # fmt: skip
    periods = list(ReportingPeriod.objects.order_by("-start", "kind"))
    data = request.GET.copy()
    if period is not None:
        data["period"] = period.label
    context = {
        "period": period, "result": result, "sort": sort,
        "perms_manage": can(request.user, "mel.manage"),
        "page": Paginator(result.rows if result else [], 50).get_page(request.GET.get("page")),
        "sorts": [("name", _("Name")), ("-outstanding", _("Most outstanding")),
                  ("-submitted", _("Last submission")), ("reminded", _("Reminded longest ago")),
                  ("region", _("Region"))],
        "filter_form": CompletenessFilterForm(data, periods=periods,
                                              options=landscape_filter_options()),
    }  # fmt: skip
    return render_page(request, "mel/completeness.html", context,
                       partial="mel/partials/completeness_results.html")  # fmt: skip


@login_required
def completeness_export_csv(request):
    period, filters = _period_and_filters(request)
    if period is None:
        raise Http404
    result = completeness(user=request.user, period=period, filters=filters,
                          sort=request.GET.get("sort", "name"))  # fmt: skip
    header = [_("Landscape"), _("Region"), _("Period"), _("Due date"), _("Indicators due"),
              _("Missing"), _("Draft"), _("Submitted"), _("Returned"), _("Approved"),
              _("Not applicable"), _("Complete"), _("Overdue"), _("Last submission"),
              _("Reminder last sent")]  # fmt: skip
    rows = ([r.name, r.region, period.label, period.due.isoformat(), r.due, r.missing, r.draft,
             r.submitted, r.returned, r.approved, r.not_applicable,
             _("yes") if r.complete else _("no"), _("yes") if r.overdue else _("no"),
             r.last_submitted.isoformat() if r.last_submitted else "",
             r.reminded.isoformat() if r.reminded else ""] for r in result.rows)  # fmt: skip
    return csv_response(f"completeness-{period.label}.csv", header, rows)


urlpatterns = [
    path("mel/completeness/", completeness_view, name="completeness"),
    path("mel/completeness/export.csv", completeness_export_csv, name="completeness_export_csv"),
]  # fmt: skip
