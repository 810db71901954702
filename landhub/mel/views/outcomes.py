"""Pages of outcome harvesting: the register (filters, sort, CSV and Excel), a statement's
page with the actions its reader may take, the create and edit forms, the dashboard, and the
public substantiation page reached from the e-mailed link (no account, ``noindex``).

Thin views: the selectors in ``selectors/outcomes.py`` decide who reads what (404 otherwise),
the services in ``services/outcomes.py`` who may do what (403) and what is valid.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from landhub.core.exceptions import ConflictError
from landhub.core.forms import add_service_errors, posted_version, save_form
from landhub.core.htmx import render_page
from landhub.core.lists import csv_response, export_response, filters_from, paginate, sort_queryset
from landhub.directory.models import Landscape

from .. import charts_outcomes, selectors, services
from ..forms.outcomes import (
    OutcomeFilterForm,
    OutcomeForm,
    ReturnForm,
    SubstantiationAnswerForm,
    SubstantiationRequestForm,
)
from ..models.outcomes import OutcomeStatus
from ..rules import can
from ..selectors.outcomes import (
    OUTCOME_FILTER_KEYS,
    OUTCOME_SORTS,
    outcome_counts,
    outcome_detail,
    outcome_history,
    outcome_list,
)
from ..services.outcomes import SubstantiationLinkError


def _sorted(request):
    filters = filters_from(request, OUTCOME_FILTER_KEYS)
    return sort_queryset(outcome_list(user=request.user, filters=filters),
                         request.GET.get("sort"), OUTCOME_SORTS, "-occurred")  # fmt: skip


def outcome_list_view(request):
    """The register: every statement the reader may see, filtered, sorted, paged."""
    qs, sort = _sorted(request)
    context = {
        # Only the names: a landscape row carries its boundary (thousands of vertices).
        "page": paginate(request, qs.prefetch_related(Prefetch(
            "landscapes", queryset=Landscape.objects.only("id", "name", "slug"))), per_page=25),
        "sort": sort,
        "sorts": [("-occurred", _("Most recent")), ("occurred", _("Oldest")),
                  ("title", _("Title")), ("-updated", _("Recently changed"))],
        "filter_form": OutcomeFilterForm(request.GET or None),
        "can_record": can(request.user, "mel.record_outcome"),
    }  # fmt: skip
    return render_page(request, "mel/outcome_list.html", context,
                       partial="mel/partials/outcome_results.html")  # fmt: skip


def _names(records) -> str:
    return "; ".join(getattr(r, "name", None) or getattr(r, "title", "") for r in records)


EXPORT_HEADER = (
    "ID", "Title", "Status", "Social actor", "Type of actor", "Domain", "Type of change",
    "When it happened", "Global", "Landscapes", "Countries", "Intended", "Positive or negative",
    "Significance", "What changed", "Why it matters", "Contribution of the initiative",
    "Contributing partners", "Contributing offerings", "Tags", "Substantiated", "Published",
    "Link",
)  # fmt: skip


def _export_rows(request, qs):
    from django.conf import settings

    qs = qs.prefetch_related("landscapes", "countries", "contributing_partners", "offerings",
                             "tags")  # fmt: skip
    yes, no = _("yes"), _("no")
    for o in qs.iterator(chunk_size=500):
        yield [
            o.pk, o.title, o.get_status_display(), o.actor_label, o.get_actor_type_display(),
            o.get_domain_display(), o.get_change_type_display(), o.occurred_on.isoformat(),
            yes if o.is_global else no, _names(o.landscapes.all()),
            _names(o.countries.all()), yes if o.intended else no, o.get_effect_display(),
            o.get_significance_level_display(), o.description, o.significance,
            o.contribution, _names(o.contributing_partners.all()), _names(o.offerings.all()),
            _names(o.tags.all()),
            o.substantiated_at.date().isoformat() if o.substantiated_at else "",
            o.published_at.date().isoformat() if o.published_at else "",
            settings.SITE_URL + o.get_absolute_url(),
        ]  # fmt: skip


def outcome_export(request, fmt):
    """The register as filtered and sorted, every row: ``export.csv`` or ``export.xlsx``."""
    qs, _sort = _sorted(request)
    return export_response(fmt, "outcomes", _("Outcome statements"),
                           [_(h) for h in EXPORT_HEADER], _export_rows(request, qs))  # fmt: skip


# --- create, edit --------------------------------------------------------------------------


@login_required
def outcome_create(request):
    if not can(request.user, "mel.record_outcome"):
        raise PermissionDenied
    form = OutcomeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        saved = save_form(form, lambda: services.outcome_create(
            actor=request.user, **form.service_fields()))  # fmt: skip
        if saved.ok:
            messages.success(request, _("Outcome statement recorded as a draft."))
            return redirect(saved.result.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    return render(request, "mel/outcome_form.html", {"form": form, "outcome": None},
                  status=status)  # fmt: skip


@login_required
def outcome_edit(request, pk):
    outcome = outcome_detail(user=request.user, pk=pk)
    if not can(request.user, "mel.change_outcome", outcome) or outcome.archived_at:
        raise PermissionDenied
    form = OutcomeForm(request.POST or None, user=request.user, outcome=outcome)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            saved = save_form(form, lambda: services.outcome_update(
                actor=request.user, outcome=outcome, version=form.cleaned_data.get("version"),
                reason=form.cleaned_data.get("reason") or "", **form.service_fields()))  # fmt: skip
            if saved.ok:
                messages.success(request, _("Outcome statement saved."))
                return redirect(outcome.get_absolute_url())
            status = saved.status if saved.current is not None else 400
    return render(request, "mel/outcome_form.html", {"form": form, "outcome": outcome},
                  status=status)  # fmt: skip


# --- a statement and its actions -------------------------------------------------------------


def _actions(user, outcome) -> dict:
    """What this reader may do now (the services check again)."""
    reviewer = can(user, "mel.review_outcome")
    active = outcome.archived_at is None
    status = outcome.status
    return {
        "edit": active and can(user, "mel.change_outcome", outcome),
        "submit": active and status == OutcomeStatus.DRAFT
        and (reviewer or outcome.recorded_by_id == getattr(user, "pk", None)),
        "return": active and reviewer and status == OutcomeStatus.UNDER_REVIEW,
        "request": active and reviewer and status == OutcomeStatus.UNDER_REVIEW,
        "substantiate": active and reviewer and status == OutcomeStatus.UNDER_REVIEW,
        "publish": active and reviewer and status == OutcomeStatus.SUBSTANTIATED,
        "archive": active and can(user, "mel.change_outcome", outcome),
        # The value reports' contribution claims start from the outcome (views/value.py).
        "claim": active and can(user, "mel.record_claim"),
    }  # fmt: skip


def _detail_page(request, outcome, *, status=200, **forms_given):
    actions = _actions(request.user, outcome)
    context = {
        "outcome": outcome, "actions": actions, "any_action": any(actions.values()),
        "request_form": forms_given.get("request_form") or SubstantiationRequestForm(
            initial={"language": "en"}),
        "return_form": forms_given.get("return_form") or ReturnForm(
            initial={"version": outcome.version}),
        "action_error": forms_given.get("action_error"),
        "entries": outcome_history(outcome) if request.user.is_authenticated else [],
        "reviewer": can(request.user, "mel.review_outcome"),
        # What the other methods say about it: contribution claims, stories that cite it.
        "claims": selectors.claims_on(user=request.user, outcome=outcome),
        "may_claim": can(request.user, "mel.record_claim"),
        "stories": list(selectors.stories_visible_to(request.user)
                        .filter(outcomes=outcome, archived_at__isnull=True)
                        .order_by("-told_on", "-pk")[:10]),
    }  # fmt: skip
    return render(request, "mel/outcome_detail.html", context, status=status)


def outcome_detail_view(request, pk):
    return _detail_page(request, outcome_detail(user=request.user, pk=pk))


TRANSITIONS = {
    "submit": (services.outcome_submit, gettext_lazy("Submitted for review.")),
    "substantiate": (services.outcome_substantiate, gettext_lazy("Marked substantiated.")),
    "publish": (services.outcome_publish, gettext_lazy("Published.")),
    "archive": (services.outcome_archive, gettext_lazy("Archived.")),
}


@login_required
@require_POST
def outcome_transition(request, pk, action):
    """Submit, return (with a comment), substantiate, publish or archive; the page comes back
    with the refusal or the conflict when the service says no."""
    outcome = outcome_detail(user=request.user, pk=pk)
    version = posted_version(request.POST.get("version"))
    return_form = None
    try:
        if action == "return":
            return_form = ReturnForm(request.POST)
            return_form.is_valid()
            services.outcome_return(actor=request.user, outcome=outcome, version=version,
                                    comment=request.POST.get("comment", ""))  # fmt: skip
            done = _("Returned to its author.")
        elif action in TRANSITIONS:
            service, done = TRANSITIONS[action]
            service(actor=request.user, outcome=outcome, version=version)
        else:
            raise Http404
    except ConflictError:
        fresh = outcome_detail(user=request.user, pk=pk)
        error = _("Someone changed this outcome meanwhile; here it is as it is now. Look at "
                  "it again before you act.")  # fmt: skip
        return _detail_page(request, fresh, status=409, action_error=error)
    except ValidationError as exc:
        if return_form is not None:
            add_service_errors(return_form, exc)
        return _detail_page(request, outcome, status=400, return_form=return_form,
                            action_error=" ".join(exc.messages))  # fmt: skip
    messages.success(request, str(done))
    return redirect(outcome.get_absolute_url())


@login_required
@require_POST
def substantiation_request_view(request, pk):
    """A reviewer names an independent person; the e-mail with the link goes out."""
    outcome = outcome_detail(user=request.user, pk=pk)
    form = SubstantiationRequestForm(request.POST)
    if form.is_valid():
        saved = save_form(form, lambda: services.substantiation_request(
            actor=request.user, outcome=outcome, **form.cleaned_data))  # fmt: skip
        if saved.ok:
            messages.success(request, _("Asked %(name)s; the e-mail with the link is on its "
                                        "way.") % {"name": form.cleaned_data["name"]})  # fmt: skip
            return redirect(outcome.get_absolute_url())
    return _detail_page(request, outcome, status=400, request_form=form)


# --- the dashboard ---------------------------------------------------------------------------


def _per(request) -> str:
    return "quarter" if request.GET.get("per") == "quarter" else "year"


def outcome_dashboard(request):
    """Counts and charts of outcomes by domain, change type, region and time, with the
    register's filters (substantiated and published ones unless a status is chosen)."""
    filters = filters_from(request, OUTCOME_FILTER_KEYS)
    counts = outcome_counts(user=request.user, filters=filters, per=_per(request))
    context = {
        "counts": counts,
        "filter_form": OutcomeFilterForm(request.GET or None),
        "per": counts.per,
        "domain_chart": charts_outcomes.bars(counts.by_domain, title=_("Domain")),
        "change_chart": charts_outcomes.bars(counts.by_change_type, title=_("Type of change")),
        "region_chart": charts_outcomes.bars(counts.by_region, title=_("Region")),
        "time_chart": charts_outcomes.over_time(counts.by_time),
        "tag_chart": charts_outcomes.bars(counts.by_tag, title=_("Tag")),
    }  # fmt: skip
    return render(request, "mel/outcome_dashboard.html", context)


def outcome_dashboard_csv(request):
    filters = filters_from(request, OUTCOME_FILTER_KEYS)
    counts = outcome_counts(user=request.user, filters=filters, per=_per(request))
    rows = []
    for group, items in (
        (_("Domain"), counts.by_domain),
        (_("Type of change"), counts.by_change_type),
        (_("Region"), counts.by_region),
        (_("Year") if counts.per == "year" else _("Quarter"), counts.by_time),
        (_("Tag"), counts.by_tag),
    ):
        rows += [[group, label, n] for _key, label, n in items]  # fmt: skip
    return csv_response("outcome-counts.csv", [_("Breakdown"), _("Group"), _("Outcomes")], rows)


# --- the public substantiation page ----------------------------------------------------------


def _public(response):
    response["X-Robots-Tag"] = "noindex, nofollow"
    # The token stays out of other sites' logs; not "no-referrer", which makes the browser
    # send "Origin: null" with the answer and Django's CSRF check refuse it.
    response["Referrer-Policy"] = "same-origin"
    return response


@never_cache
def substantiation_answer(request, token):
    """Reached from the e-mail: the statement and the contribution, and the answer form.
    No account, no sign-in. An unknown link says only that it is not valid."""
    try:
        substantiation = services.substantiation_by_token(token)
    except SubstantiationLinkError as exc:
        status = {"unknown": 404, "expired": 410, "answered": 410}[exc.kind]
        return _public(render(request, "mel/substantiation_closed.html",
                              {"kind": exc.kind, "substantiation": exc.substantiation},
                              status=status))  # fmt: skip
    form = SubstantiationAnswerForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.substantiation_answer(token=token, **form.cleaned_data)
            except SubstantiationLinkError as exc:
                return _public(render(request, "mel/substantiation_closed.html",
                                      {"kind": exc.kind, "substantiation": exc.substantiation},
                                      status=410))  # fmt: skip
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return _public(render(request, "mel/substantiation_thanks.html",
                                      {"substantiation": substantiation}))  # fmt: skip
    outcome = substantiation.outcome
    context = {"substantiation": substantiation, "outcome": outcome, "form": form,
               "partners": list(outcome.contributing_partners.all()),
               "offerings": list(outcome.offerings.all()),
               "activities": list(outcome.activities.all())}  # fmt: skip
    return _public(render(request, "mel/substantiation_form.html", context, status=status))


urlpatterns = [
    path("mel/outcomes/", outcome_list_view, name="outcome_list"),
    path("mel/outcomes/export.<str:fmt>", outcome_export, name="outcome_export"),
    path("mel/outcomes/new/", outcome_create, name="outcome_create"),
    path("mel/outcomes/dashboard/", outcome_dashboard, name="outcome_dashboard"),
    path("mel/outcomes/dashboard/export.csv", outcome_dashboard_csv,
         name="outcome_dashboard_csv"),
    path("mel/outcomes/<int:pk>/", outcome_detail_view, name="outcome_detail"),
    path("mel/outcomes/<int:pk>/edit/", outcome_edit, name="outcome_edit"),
    path("mel/outcomes/<int:pk>/substantiations/", substantiation_request_view,
         name="substantiation_request"),
    path("mel/outcomes/<int:pk>/<slug:action>/", outcome_transition, name="outcome_transition"),
    path("mel/substantiate/<str:token>/", substantiation_answer, name="substantiation_answer"),
]  # fmt: skip
