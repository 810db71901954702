"""Reporting periods (hub staff): the list, new periods (one or a year's series), a period's
due date and lock, with its history."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from landhub.core.exceptions import ConflictError
from landhub.core.forms import StyledFormMixin, save_form
from landhub.core.history import history_entries
from landhub.core.htmx import render_page
from landhub.core.lists import paginate, sort_queryset

from .. import services
from ..models import PeriodKind, ReportingPeriod
from ..rules import can
from ..selectors import PERIOD_SORTS, period_list
from ..services.periods import DEFAULT_DUE_AFTER_DAYS, FIRST_YEAR, LAST_YEAR, MAX_DUE_AFTER_DAYS

ANY = [("", gettext_lazy("Any"))]


class PeriodFilterForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), required=False,
                             choices=ANY + PeriodKind.choices)  # fmt: skip
    year = forms.IntegerField(label=gettext_lazy("Year"), required=False, min_value=FIRST_YEAR,
                              max_value=LAST_YEAR)  # fmt: skip
    state = forms.ChoiceField(label=gettext_lazy("State"), required=False, choices=ANY + [
        ("open", gettext_lazy("Open")), ("locked", gettext_lazy("Locked"))])  # fmt: skip


class PeriodSeriesForm(StyledFormMixin, forms.Form):
    """New periods: "the four quarters of 2027", "the twelve months of 2027", "the year
    2027", or one of them; each due a number of days after it ends."""

    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=PeriodKind.choices)
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=FIRST_YEAR,
                              max_value=LAST_YEAR)  # fmt: skip
    number = forms.TypedChoiceField(
        label=gettext_lazy("Which"), required=False, coerce=int, empty_value=None,
        choices=[("", gettext_lazy("All of that year (the series)"))]
        + [(n, f"Q{n}") for n in range(1, 5)]
        + [(n + 100, MONTHS[n]) for n in range(1, 13)],
        help_text=gettext_lazy("A quarter for quarters, a month for months; empty for all."),
    )  # fmt: skip
    due_after_days = forms.IntegerField(
        label=gettext_lazy("Due this many days after the period ends"), min_value=0,
        max_value=MAX_DUE_AFTER_DAYS, initial=DEFAULT_DUE_AFTER_DAYS,
        help_text=gettext_lazy("Each due date can be changed afterwards."),
    )  # fmt: skip

    def clean(self):
        data = super().clean()
        number, kind = data.get("number"), data.get("kind")
        if number is None or kind is None:
            return data
        # Quarters are offered as 1–4 and months as 101–112, so one select serves both.
        if kind == PeriodKind.QUARTER and number <= 4:
            return data
        if kind == PeriodKind.MONTH and number > 100:
            data["number"] = number - 100
            return data
        if kind == PeriodKind.YEAR:
            data["number"] = None
            return data
        self.add_error("number", _("Choose a quarter for quarters, a month for months."))
        return data


class DueDateForm(StyledFormMixin, forms.Form):
    due = forms.DateField(label=gettext_lazy("Due"), widget=forms.DateInput(attrs={"type": "date"}))
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


def _require_manager(request) -> None:
    if not can(request.user, "mel.manage"):
        raise PermissionDenied


@login_required
def period_list_view(request):
    _require_manager(request)
    filters = {key: request.GET.get(key, "") for key in ("kind", "year", "state")}
    qs, sort = sort_queryset(period_list(user=request.user, filters=filters),
                             request.GET.get("sort"), PERIOD_SORTS, "-start")  # fmt: skip
    context = {
        "page": paginate(request, qs, per_page=50), "sort": sort,
        "sorts": [("-start", _("Latest first")), ("start", _("Oldest first")),
                  ("due", _("Due date"))],
        "filter_form": PeriodFilterForm(request.GET or None), "today": timezone.localdate(),
    }  # fmt: skip
    return render_page(request, "mel/period_list.html", context,
                       partial="mel/partials/period_results.html")  # fmt: skip


@login_required
def period_create_view(request):
    _require_manager(request)
    form = PeriodSeriesForm(request.POST or None,
                            initial={"year": timezone.localdate().year + 1})  # fmt: skip
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = save_form(form, lambda: services.period_series_create(
            actor=request.user, kind=data["kind"], year=data["year"], number=data["number"],
            due_after_days=data["due_after_days"]))  # fmt: skip
        if saved.ok:
            labels = ", ".join(p.label for p in saved.result)
            messages.success(request, ngettext("Period created: %(labels)s.",
                                               "Periods created: %(labels)s.", len(saved.result))
                             % {"labels": labels})  # fmt: skip
            return redirect("mel:period_list")
    status = 400 if request.method == "POST" else 200
    return render(request, "mel/period_form.html", {"form": form}, status=status)


@login_required
def period_edit_view(request, label):
    """Change the due date; lock or open the period; its history."""
    _require_manager(request)
    period = get_object_or_404(ReportingPeriod, label=label)
    form = DueDateForm(request.POST or None, initial={"due": period.due, "version": period.version})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            saved = save_form(form, lambda: services.period_set_due(
                actor=request.user, period=period, due=form.cleaned_data["due"],
                version=form.cleaned_data.get("version")))  # fmt: skip
            if saved.ok:
                messages.success(request, _("Due date changed."))
                return redirect("mel:period_edit", label=period.label)
            status = saved.status if saved.current is not None else 400
            period = ReportingPeriod.objects.get(pk=period.pk)
        else:
            status = 400
    context = {"period": period, "form": form, "entries": history_entries(period)}
    return render(request, "mel/period_edit.html", context, status=status)


@login_required
@require_POST
def period_lock_view(request, label):
    _require_manager(request)
    period = get_object_or_404(ReportingPeriod, label=label)
    raw = request.POST.get("version", "")
    locked = request.POST.get("action", "lock") != "unlock"
    try:
        services.period_lock(actor=request.user, period=period, locked=locked,
                             version=int(raw) if raw.isdigit() else None)  # fmt: skip
    except ConflictError:
        messages.error(request, _("Someone changed this period meanwhile; look and try again."))
    else:
        done = (_("%(period)s is locked: values cannot change.") if locked
                else _("%(period)s is open again."))  # fmt: skip
        messages.success(request, done % {"period": period.label})
    return redirect("mel:period_edit", label=period.label)


urlpatterns = [
    path("mel/periods/", period_list_view, name="period_list"),
    path("mel/periods/new/", period_create_view, name="period_create"),
    path("mel/periods/<str:label>/", period_edit_view, name="period_edit"),
    path("mel/periods/<str:label>/lock/", period_lock_view, name="period_lock"),
]  # fmt: skip
