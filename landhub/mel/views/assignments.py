"""Pages of indicator assignments: the list, assigning an indicator (to many landscapes at
once), an assignment's baseline and targets (each target saved inline with htmx), removal.

The forms live here because they serve these pages only; they parse input, the services in
``services/assignments.py`` decide.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from landhub.core.exceptions import ConflictError
from landhub.core.forms import (
    FastSelect,
    FastSelectMultiple,
    StyledFormMixin,
    posted_version,
    save_form,
)
from landhub.core.htmx import render_page
from landhub.core.lists import chunked, csv_response, filters_from, paginate, sort_queryset

from .. import services
from ..models import FrameworkNode, Indicator, ScopeKind
from ..rules import can
from ..selectors import (
    ASSIGNMENT_SORTS,
    assignment_detail,
    assignment_history,
    assignment_list,
    target_history,
    target_row,
)

FILTER_KEYS = ("q", "indicator", "scope", "landscape", "organization", "region", "node",
               "baseline", "targets")  # fmt: skip


def _regions() -> list[str]:
    from landhub.directory.models import Landscape

    return list(Landscape.objects.active().exclude(region="").order_by("region")
                .values_list("region", flat=True).distinct())  # fmt: skip


def _initiative_nodes():
    return (
        FrameworkNode.objects.filter(framework__landscape__isnull=True,
                                     framework__archived_at__isnull=True)
        .select_related("framework").order_by("framework__title", "position", "code")
    )  # fmt: skip


def _node_choices(nodes) -> list:
    return [("", "—")] + [(n.pk, f"{n.framework.title} · {n.code} {n.title}") for n in nodes]


class AssignmentFilterForm(StyledFormMixin, forms.Form):
    q = forms.CharField(label=gettext_lazy("Search"), required=False)
    indicator = forms.CharField(label=gettext_lazy("Indicator code"), required=False)
    scope = forms.ChoiceField(label=gettext_lazy("Scope"), required=False,
                              choices=[("", gettext_lazy("Any"))] + ScopeKind.choices)  # fmt: skip
    region = forms.ChoiceField(label=gettext_lazy("Region"), required=False, choices=[])
    baseline = forms.ChoiceField(label=gettext_lazy("Baseline"), required=False, choices=[
        ("", gettext_lazy("Any")), ("set", gettext_lazy("Has a baseline")),
        ("not_available", gettext_lazy("Not available (with a reason)")),
        ("missing", gettext_lazy("Missing")),
    ])  # fmt: skip
    targets = forms.ChoiceField(label=gettext_lazy("Targets"), required=False, choices=[
        ("", gettext_lazy("Any")), ("yes", gettext_lazy("Has targets")),
        ("no", gettext_lazy("No target yet"))])  # fmt: skip
    node = forms.ChoiceField(label=gettext_lazy("Framework node"), required=False, choices=[])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", _("Any"))] + [(r, r) for r in _regions()]
        self.fields["node"].choices = _node_choices(_initiative_nodes())
        self.fields["node"].widget = FastSelect(attrs=self.fields["node"].widget.attrs)


class AssignForm(StyledFormMixin, forms.Form):
    scope_kind = forms.ChoiceField(label=gettext_lazy("Assign to"), choices=ScopeKind.choices,
                                   initial=ScopeKind.LANDSCAPE)  # fmt: skip
    landscapes = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Landscapes"), required=False, queryset=None,
        widget=FastSelectMultiple(attrs={"size": 8}),
        help_text=gettext_lazy("Choose one or more; or a region below, or both."),
    )  # fmt: skip
    region = forms.ChoiceField(
        label=gettext_lazy("Every active landscape of a region"), required=False, choices=[]
    )
    organization = forms.ModelChoiceField(label=gettext_lazy("Partner"), required=False,
                                          queryset=None, widget=FastSelect)  # fmt: skip
    node = forms.ModelChoiceField(
        label=gettext_lazy("Framework node"), required=False, queryset=None, widget=FastSelect,
        help_text=gettext_lazy("A node of the initiative's framework; a landscape's own node "
                               "can be chosen on the assignment's page."),
    )  # fmt: skip
    reporter = forms.EmailField(
        label=gettext_lazy("Who reports (e-mail)"), required=False,
        help_text=gettext_lazy("One scope only. Empty: the landscape's leaders and managers, "
                               "or the partner's admins."),
    )  # fmt: skip

    def __init__(self, *args, **kwargs):
        from landhub.directory.models import Landscape, Organization

        super().__init__(*args, **kwargs)
        self.fields["landscapes"].queryset = Landscape.objects.active().order_by("name")
        self.fields["organization"].queryset = Organization.objects.active().order_by("name")
        nodes = _initiative_nodes()
        self.fields["node"].queryset = nodes
        self.fields["node"].choices = _node_choices(nodes)
        self.fields["region"].choices = [("", "—")] + [(r, r) for r in _regions()]
        self.fields["organization"].label_from_instance = lambda o: o.name

    def clean_reporter(self):
        return _person_by_email(self.cleaned_data.get("reporter"))


def _person_by_email(email):
    """The person who signs in with ``email`` (a reporter needs an account)."""
    from landhub.directory.models import Person

    if not email:
        return None
    person = Person.objects.filter(user__email__iexact=email.strip()).first()
    if person is None:
        raise forms.ValidationError(_("Nobody signs in to the hub with this e-mail."))
    return person


class SettingsForm(StyledFormMixin, forms.Form):
    """Node and reporter of one assignment (hub staff)."""

    node = forms.ModelChoiceField(label=gettext_lazy("Framework node"), required=False,
                                  queryset=None, widget=FastSelect)  # fmt: skip
    reporter = forms.EmailField(label=gettext_lazy("Who reports (e-mail)"), required=False)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, assignment, **kwargs):
        super().__init__(*args, **kwargs)
        nodes = FrameworkNode.objects.filter(framework__archived_at__isnull=True).select_related(
            "framework").order_by("framework__title", "position", "code")  # fmt: skip
        # The initiative's nodes, and the landscape's own framework's for its assignment.
        own = Q(framework__landscape__isnull=True)
        if assignment.landscape_id:
            own |= Q(framework__landscape_id=assignment.landscape_id)
        nodes = nodes.filter(own)
        self.fields["node"].queryset = nodes
        self.fields["node"].choices = _node_choices(nodes)
        self.fields["node"].initial = assignment.node_id
        self.fields["reporter"].initial = (
            assignment.reporter.user.email if assignment.reporter_id and
            assignment.reporter.user_id else "")  # fmt: skip
        self.fields["version"].initial = assignment.version

    def clean_reporter(self):
        return _person_by_email(self.cleaned_data.get("reporter"))


class BaselineForm(StyledFormMixin, forms.Form):
    """The baseline as typed; ``check_baseline`` in the service judges it by the measure.
    Field names match the service's error keys, so each message lands beside its field."""

    baseline_value = forms.CharField(label=gettext_lazy("Baseline"), required=False)
    baseline_numerator = forms.CharField(label=gettext_lazy("Numerator"), required=False)
    baseline_denominator = forms.CharField(label=gettext_lazy("Denominator"), required=False)
    baseline_date = forms.CharField(label=gettext_lazy("Measured on"), required=False,
                                    widget=forms.DateInput(attrs={"type": "date"}))  # fmt: skip
    baseline_source = forms.CharField(label=gettext_lazy("Source"), required=False,
                                      max_length=300)  # fmt: skip
    baseline_not_available = forms.BooleanField(label=gettext_lazy("Not available"),
                                                required=False)  # fmt: skip
    baseline_reason = forms.CharField(label=gettext_lazy("Why there is no baseline"),
                                      required=False, max_length=300)  # fmt: skip
    reason = forms.CharField(label=gettext_lazy("Why it changes"), required=False,
                             max_length=100)  # fmt: skip
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, assignment, **kwargs):
        super().__init__(*args, **kwargs)
        indicator = assignment.indicator
        if indicator.is_fraction:
            del self.fields["baseline_value"]
        else:
            del self.fields["baseline_numerator"], self.fields["baseline_denominator"]
            levels = _levels(indicator)
            if levels:
                self.fields["baseline_value"].widget = forms.Select(
                    choices=[("", "—")] + [(str(n), name) for n, name in levels],
                    attrs={"class": "form-select"})  # fmt: skip
        if not assignment.has_approved:
            del self.fields["reason"]
        self.initial.update({
            "baseline_value": _number_text(assignment.baseline_value),
            "baseline_numerator": _number_text(assignment.baseline_numerator),
            "baseline_denominator": _number_text(assignment.baseline_denominator),
            "baseline_date": assignment.baseline_date.isoformat() if assignment.baseline_date
            else "",
            "baseline_source": assignment.baseline_source,
            "baseline_not_available": bool(assignment.baseline_missing_reason),
            "baseline_reason": assignment.baseline_missing_reason,
            "version": assignment.version,
        })  # fmt: skip

    def baseline(self) -> dict:
        data = self.cleaned_data
        return {"value": data.get("baseline_value"), "numerator": data.get("baseline_numerator"),
                "denominator": data.get("baseline_denominator"), "date": data.get("baseline_date"),
                "source": data.get("baseline_source"),
                "not_available": data.get("baseline_not_available"),
                "reason": data.get("baseline_reason")}  # fmt: skip


def _levels(indicator) -> list:
    if indicator.level_names:
        return list(enumerate(indicator.level_names))
    if indicator.measure == "yes_no":
        return [(0, _("no")), (1, _("yes"))]
    return []


def _number_text(number) -> str:
    """A stored Decimal as a person typed it: 12.500000 → 12.5."""
    if number is None:
        return ""
    return format(number.normalize(), "f")


def _shown(indicator, number) -> str:
    """A target or baseline as a reader says it: a level's name, or the number."""
    if number is None:
        return ""
    levels = dict(_levels(indicator))
    if levels and number == number.to_integral_value() and int(number) in levels:
        return str(levels[int(number)])
    return _number_text(number)


def _decorate_row(assignment, row, entered=None) -> dict:
    """What one target row shows: the stored target, and its input (what was typed after an
    error, else the stored value)."""
    target = row["target"]
    row["shown"] = _shown(assignment.indicator, target.value) if target else ""
    row["input"] = (entered.get("value", "") if entered is not None
                    else _number_text(target.value) if target else "")  # fmt: skip
    row["reason_input"] = entered.get("reason", "") if entered is not None else ""
    return row


@login_required
def assignment_list_view(request):
    filters = filters_from(request, FILTER_KEYS)
    qs, sort = sort_queryset(assignment_list(user=request.user, filters=filters),
                             request.GET.get("sort"), ASSIGNMENT_SORTS, "indicator")  # fmt: skip
    context = {
        "page": paginate(request, qs, per_page=25), "sort": sort,
        "sorts": [("indicator", _("Indicator")), ("landscape", _("Landscape")),
                  ("-updated", _("Recently changed"))],
        "filter_form": AssignmentFilterForm(request.GET or None),
    }  # fmt: skip
    return render_page(request, "mel/assignment_list.html", context,
                       partial="mel/partials/assignment_results.html")  # fmt: skip


def _baseline_text(a) -> str:
    if a.baseline_value is not None:
        if a.indicator.is_fraction:
            return (f"{_number_text(a.baseline_numerator)}/{_number_text(a.baseline_denominator)}"
                    f" = {_number_text(a.baseline_value)}")  # fmt: skip
        return _number_text(a.baseline_value)
    return ""


@login_required
def assignment_export_csv(request):
    filters = filters_from(request, FILTER_KEYS)
    qs, _sort = sort_queryset(assignment_list(user=request.user, filters=filters),
                              request.GET.get("sort"), ASSIGNMENT_SORTS, "indicator")  # fmt: skip
    header = [_("Indicator"), _("Name"), _("Scope"), _("Landscape"), _("Region"), _("Partner"),
              _("Framework node"), _("Baseline"), _("Baseline date"), _("Baseline source"),
              _("Why there is no baseline"), _("Who reports"), _("Targets"), _("Values"),
              _("Version")]  # fmt: skip

    def rows():
        for chunk in chunked(qs.iterator(chunk_size=500), 500):
            for a in chunk:
                yield [a.indicator.code, a.indicator.name, a.get_scope_kind_display(),
                       a.landscape.name if a.landscape_id else "",
                       a.landscape.region if a.landscape_id else "",
                       a.organization.name if a.organization_id else "",
                       f"{a.node.framework.title} · {a.node.code}" if a.node_id else "",
                       _baseline_text(a), a.baseline_date or "", a.baseline_source,
                       a.baseline_missing_reason, a.reporter.name if a.reporter_id else "",
                       a.target_count, a.observation_count, a.version]  # fmt: skip

    return csv_response("assignments.csv", header, rows())


@login_required
def assignment_create_view(request, code):
    """Assign an indicator: to the initiative, a partner, or landscapes (a list, a region)."""
    if not can(request.user, "mel.manage"):
        raise PermissionDenied
    indicator = get_object_or_404(Indicator, code=code, archived_at__isnull=True)
    form = AssignForm(request.POST or None, initial={"scope_kind": ScopeKind.LANDSCAPE})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = save_form(form, lambda: services.assignment_create(
            actor=request.user, indicator=indicator, scope_kind=data["scope_kind"],
            landscapes=list(data["landscapes"] or []), region=data["region"],
            organization=data["organization"], node=data["node"], reporter=data["reporter"],
        ))  # fmt: skip
        if saved.ok:
            result = saved.result
            messages.success(request, result.message)
            if len(result.created) == 1:
                return redirect("mel:assignment_detail", pk=result.created[0].pk)
            return redirect(reverse("mel:assignment_list") + f"?indicator={indicator.code}")
    status = 400 if request.method == "POST" else 200
    return render(request, "mel/assignment_form.html", {"form": form, "indicator": indicator},
                  status=status)  # fmt: skip


def _detail_context(request, assignment, **forms_given) -> dict:
    can_plan = can(request.user, "mel.plan", assignment)
    can_manage = can(request.user, "mel.manage")
    for row in assignment.target_rows:
        _decorate_row(assignment, row)
    context = {
        "assignment": assignment, "indicator": assignment.indicator,
        "can_plan": can_plan, "can_manage": can_manage,
        "levels": _levels(assignment.indicator),
        "baseline_shown": _shown(assignment.indicator, assignment.baseline_value),
        "entries": assignment_history(assignment),
        "target_entries": target_history(assignment),
    }  # fmt: skip
    if can_plan:
        context["baseline_form"] = forms_given.get("baseline_form") or BaselineForm(
            assignment=assignment
        )
    if can_manage:
        context["settings_form"] = forms_given.get("settings_form") or SettingsForm(
            assignment=assignment
        )
    return context


@login_required
def assignment_detail_view(request, pk):
    assignment = assignment_detail(user=request.user, pk=pk)
    return render(request, "mel/assignment_detail.html", _detail_context(request, assignment))


@login_required
@require_POST
def assignment_baseline(request, pk):
    """Save the baseline; the page comes back with each message beside its field."""
    assignment = assignment_detail(user=request.user, pk=pk)
    if not can(request.user, "mel.plan", assignment):
        raise PermissionDenied
    form = BaselineForm(request.POST, assignment=assignment)
    saved = None
    if form.is_valid():
        saved = save_form(form, lambda: services.assignment_update(
            actor=request.user, assignment=assignment, version=form.cleaned_data.get("version"),
            baseline=form.baseline(), reason=form.cleaned_data.get("reason") or "",
        ))  # fmt: skip
        if saved.ok:
            messages.success(request, _("Baseline saved."))
            return redirect("mel:assignment_detail", pk=assignment.pk)
    status = saved.status if saved is not None and saved.current is not None else 400
    context = _detail_context(request, assignment, baseline_form=form)
    return render(request, "mel/assignment_detail.html", context, status=status)


@login_required
@require_POST
def assignment_settings(request, pk):
    """Change the framework node and who reports (hub staff)."""
    assignment = assignment_detail(user=request.user, pk=pk)
    if not can(request.user, "mel.manage"):
        raise PermissionDenied
    form = SettingsForm(request.POST, assignment=assignment)
    saved = None
    if form.is_valid():
        data = form.cleaned_data
        saved = save_form(form, lambda: services.assignment_update(
            actor=request.user, assignment=assignment, version=data.get("version"),
            node=data["node"], reporter=data["reporter"],
        ))  # fmt: skip
        if saved.ok:
            messages.success(request, _("Assignment saved."))
            return redirect("mel:assignment_detail", pk=assignment.pk)
    status = saved.status if saved is not None and saved.current is not None else 400
    context = _detail_context(request, assignment, settings_form=form)
    return render(request, "mel/assignment_detail.html", context, status=status)


def _target_response(request, assignment, key, *, errors=None, entered=None, saved=False,
                     status=200):  # fmt: skip
    """The target row (htmx) or the assignment page with a message."""
    if getattr(request, "htmx", False):
        fresh = assignment_detail(user=request.user, pk=assignment.pk)
        row = _decorate_row(fresh, target_row(assignment=fresh, key=key),
                            entered if status == 400 else None)  # fmt: skip
        context = {"assignment": fresh, "row": row, "can_plan": True,
                   "levels": _levels(fresh.indicator),
                   "errors": errors or {}, "entered": entered, "saved": saved}  # fmt: skip
        return render(request, "mel/partials/assignment_target_row.html", context,
                      status=status)  # fmt: skip
    if errors:
        messages.error(request, " ".join(m for ms in errors.values() for m in ms))
    elif saved:
        messages.success(request, _("Target saved."))
    return redirect("mel:assignment_detail", pk=assignment.pk)


def _planned_row(request, pk, key):
    assignment = assignment_detail(user=request.user, pk=pk)
    if not can(request.user, "mel.plan", assignment):
        raise PermissionDenied
    return assignment, target_row(assignment=assignment, key=key)


@login_required
@require_POST
def target_save(request, pk, key):
    """Set one target (a period's, or ``life``); htmx gets the row back with its messages."""
    assignment, row = _planned_row(request, pk, key)
    post = request.POST
    try:
        services.target_set(actor=request.user, assignment=assignment, period=row["period"],
                            value=post.get("value", "")[:40],
                            version=posted_version(post.get("version")),
                            reason=post.get("reason", "")[:100])  # fmt: skip
    except ConflictError:
        message = _("Someone changed this target meanwhile; the row now shows theirs. Enter "
                    "yours again if it is still right.")  # fmt: skip
        return _target_response(request, assignment, key, errors={"row": [message]},
                                status=409)  # fmt: skip
    except ValidationError as exc:
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"row": exc.messages}
        return _target_response(request, assignment, key, errors=errors, entered=post,
                                status=400)  # fmt: skip
    return _target_response(request, assignment, key, saved=True)


@login_required
@require_POST
def target_remove(request, pk, key):
    assignment, row = _planned_row(request, pk, key)
    try:
        services.target_remove(actor=request.user, assignment=assignment, period=row["period"],
                               version=posted_version(request.POST.get("version")),
                               reason=request.POST.get("reason", "")[:100])  # fmt: skip
    except ConflictError:
        message = _("Someone changed this target meanwhile; look at it again.")
        return _target_response(request, assignment, key, errors={"row": [message]},
                                status=409)  # fmt: skip
    except ValidationError as exc:
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"row": exc.messages}
        return _target_response(request, assignment, key, errors=errors, entered=request.POST,
                                status=400)  # fmt: skip
    return _target_response(request, assignment, key, saved=True)


@login_required
def assignment_remove(request, pk):
    """Ask, then remove (hub staff); refused with its reason once values were reported."""
    assignment = assignment_detail(user=request.user, pk=pk)
    if not can(request.user, "mel.manage"):
        raise PermissionDenied
    if request.method == "POST":
        try:
            services.assignment_remove(actor=request.user, assignment=assignment)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("mel:assignment_detail", pk=assignment.pk)
        messages.success(request, _("Assignment removed."))
        return redirect(assignment.indicator.get_absolute_url())
    return render(request, "mel/assignment_remove.html", {"assignment": assignment})


urlpatterns = [
    path("mel/assignments/", assignment_list_view, name="assignment_list"),
    path("mel/assignments/export.csv", assignment_export_csv, name="assignment_export_csv"),
    path("mel/indicators/<str:code>/assign/", assignment_create_view, name="assignment_create"),
    path("mel/assignments/<int:pk>/", assignment_detail_view, name="assignment_detail"),
    path("mel/assignments/<int:pk>/baseline/", assignment_baseline, name="assignment_baseline"),
    path("mel/assignments/<int:pk>/settings/", assignment_settings, name="assignment_settings"),
    path("mel/assignments/<int:pk>/remove/", assignment_remove, name="assignment_remove"),
    path("mel/assignments/<int:pk>/targets/<str:key>/", target_save, name="target_save"),
    path("mel/assignments/<int:pk>/targets/<str:key>/remove/", target_remove,
         name="target_remove"),
]  # fmt: skip
