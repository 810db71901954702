"""Pages of system change and of the value of tools and services (issue 6, area "value").

- Change trails: a list (filters, sorting, pages, CSV), a trail's timeline of steps with what
  backs each, creating, editing, archiving and restoring trails, adding and removing steps
  (hub staff and MEL reviewers: ``mel.record_trail``).
- The system change summary: for a year, how many actors moved from one stage to the next
  and how many stand at each stage at the year's end, by actor type and domain (chart, table,
  CSV).
- Contribution claims: a list, a claim with its alternative explanations, creating (from an
  outcome statement's page: ``?outcome=<pk>``), editing and archiving (``mel.record_claim``).
- Value: the value report of an offering and of a provider partner, the testimony behind
  them, and the value overview of every offering and partner (any signed-in member, for what
  they may see).

Views parse input and call ``selectors/value.py`` and ``services/value.py``; the chart
specifications are built at the end of this module.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils.timezone import localdate
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from landhub.core.exceptions import ConflictError
from landhub.core.forms import posted_version, save_form
from landhub.core.htmx import render_page
from landhub.core.lists import chunked, csv_response, filters_from, paginate, sort_queryset

from .. import services
from ..charts import SCHEMA
from ..forms.value import (
    AlternativeFormSet,
    ClaimFilterForm,
    ClaimForm,
    PeriodForm,
    StepForm,
    SystemChangeForm,
    TrailFilterForm,
    TrailForm,
    ValueFilterForm,
    alternatives_from,
    resolve_subjects,
)
from ..models import ChangeStep, Stage
from ..rules import can
from ..selectors import (
    CLAIM_SORTS,
    TRAIL_SORTS,
    claim_detail,
    claim_history,
    claim_list,
    readable_outcomes,
    system_change_summary,
    system_change_years,
    trail_detail,
    trail_history,
    trail_list,
    value_overview,
    value_period,
    value_quote_list,
    value_report,
)

TRAIL_FILTERS = ("q", "domain", "actor_type", "stage", "organization", "archived")
CLAIM_FILTERS = ("q", "offering", "partner", "confidence", "domain", "outcome", "archived")
OUTCOME_CHOICES = 500  # newest outcome statements offered when recording a step or claim


def url_of(obj) -> str:
    """The page of a record of another area (an outcome statement, a story), or "" while that
    page does not exist — the areas of issue 6 are built side by side."""
    try:
        return obj.get_absolute_url()
    except NoReverseMatch:
        return ""


def _may(request, perm: str) -> None:
    if not can(request.user, perm):
        raise PermissionDenied


# --- trails ----------------------------------------------------------------------------------


def _trail_qs(request):
    filters = filters_from(request, TRAIL_FILTERS)
    return sort_queryset(trail_list(user=request.user, filters=filters),
                         request.GET.get("sort"), TRAIL_SORTS, "actor")  # fmt: skip


@login_required
def trail_list_view(request):
    qs, sort = _trail_qs(request)
    can_record = can(request.user, "mel.record_trail")
    context = {
        "page": paginate(request, qs, per_page=25), "sort": sort,
        "sorts": [("actor", _("Actor")), ("domain", _("Domain")), ("-stage", _("Furthest stage")),
                  ("-updated", _("Recently changed"))],
        "filter_form": TrailFilterForm(request.GET or None, may_archive=can_record),
        "can_record": can_record,
    }  # fmt: skip
    return render_page(request, "mel/trail_list.html", context,
                       partial="mel/partials/value_trail_results.html")  # fmt: skip


@login_required
def trail_export_csv(request):
    qs, _sort = _trail_qs(request)
    header = [_("Actor"), _("In the directory"), _("Type of actor"), _("Domain"),
              _("Current stage"), _("Steps"), _("Summary"), _("Visibility"),
              _("Changed")]  # fmt: skip

    def rows():
        for chunk in chunked(qs.iterator(chunk_size=500), 500):
            for t in chunk:
                yield [t.actor_label, _("yes") if t.actor_organization_id else _("no"),
                       t.get_actor_type_display(), t.get_domain_display(),
                       t.get_current_stage_display() if t.current_stage else "", t.step_count,
                       t.summary, t.get_visibility_display(), localdate(t.updated_at)]  # fmt: skip

    return csv_response("system-change-trails.csv", header, rows())


def _trail_kwargs(data) -> dict:
    return {key: data.get(key) for key in ("actor_organization", "actor_name", "actor_type",
                                           "domain", "summary", "visibility")}  # fmt: skip


def _save_trail(form, call):
    """Run the service through ``save_form``; when it refuses a second trail of the same
    actor and domain, also return the first, for the link beside the message."""
    found = {}

    def save():
        try:
            return call()
        except services.TrailExists as exc:
            found["existing"] = exc.existing
            raise

    return save_form(form, save), found.get("existing")


@login_required
def trail_create_view(request):
    _may(request, "mel.record_trail")
    form = TrailForm(request.POST or None, user=request.user)
    existing = None
    if request.method == "POST" and form.is_valid():
        saved, existing = _save_trail(form, lambda: services.trail_create(
            actor=request.user, **_trail_kwargs(form.cleaned_data)))  # fmt: skip
        if saved.ok:
            messages.success(request, _("Trail created. Add its first step."))
            return redirect("mel:trail_detail", pk=saved.result.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "mel/trail_form.html", {"form": form, "existing": existing},
                  status=status)  # fmt: skip


def _step_outcomes(user):
    return list(readable_outcomes(user).order_by("-occurred_on", "-pk")[:OUTCOME_CHOICES])


def _trail_context(request, trail, **given) -> dict:
    can_record = can(request.user, "mel.record_trail")
    context = {"trail": trail, "can_record": can_record, "entries": trail_history(trail),
               "stages": Stage.choices}  # fmt: skip
    for step in trail.timeline:
        step.outcome_links = [(o, url_of(o)) for o in step.shown_outcomes]
    if can_record and trail.archived_at is None:
        context["step_form"] = given.get("step_form") or StepForm(
            outcomes=_step_outcomes(request.user)
        )
    return context


@login_required
def trail_detail_view(request, pk):
    trail = trail_detail(user=request.user, pk=pk)
    return render(request, "mel/trail_detail.html", _trail_context(request, trail))


@login_required
def trail_edit_view(request, pk):
    trail = trail_detail(user=request.user, pk=pk)
    _may(request, "mel.record_trail")
    if trail.archived_at is not None:
        messages.error(request, _("This trail is archived; restore it before changing it."))
        return redirect("mel:trail_detail", pk=trail.pk)
    initial = {"actor_organization": trail.actor_organization, "actor_name": trail.actor_name,
               "actor_type": trail.actor_type, "domain": trail.domain, "summary": trail.summary,
               "visibility": trail.visibility, "version": trail.version}  # fmt: skip
    form = TrailForm(request.POST or None, initial=initial, user=request.user)
    existing, status = None, 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            saved, existing = _save_trail(form, lambda: services.trail_update(
                actor=request.user, trail=trail, version=data.get("version"),
                **_trail_kwargs(data)))  # fmt: skip
            if saved.ok:
                messages.success(request, _("Trail saved."))
                return redirect("mel:trail_detail", pk=trail.pk)
            if saved.current is not None:
                status = saved.status
    return render(request, "mel/trail_form.html",
                  {"form": form, "trail": trail, "existing": existing}, status=status)  # fmt: skip


@login_required
@require_POST
def step_add_view(request, pk):
    trail = trail_detail(user=request.user, pk=pk)
    _may(request, "mel.record_trail")
    form = StepForm(request.POST, outcomes=_step_outcomes(request.user))
    if form.is_valid():
        data = form.cleaned_data
        saved = save_form(form, lambda: services.step_add(
            actor=request.user, trail=trail, stage=data["stage"], reached_on=data["reached_on"],
            outcomes=data["outcomes"], evidence=data["evidence"],
            evidence_url=data["evidence_url"]))  # fmt: skip
        if saved.ok:
            messages.success(request, _("Step added."))
            return redirect("mel:trail_detail", pk=trail.pk)
    context = _trail_context(request, trail, step_form=form)
    return render(request, "mel/trail_detail.html", context, status=400)


@login_required
@require_POST
def step_remove_view(request, pk, step_pk):
    trail = trail_detail(user=request.user, pk=pk)
    _may(request, "mel.record_trail")
    step = get_object_or_404(ChangeStep, pk=step_pk, trail=trail)
    try:
        services.step_remove(actor=request.user, step=step)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Step removed."))
    return redirect("mel:trail_detail", pk=trail.pk)


@login_required
def trail_archive_view(request, pk):
    """Ask, then archive: the trail leaves the list and the system change summary."""
    trail = trail_detail(user=request.user, pk=pk)
    _may(request, "mel.record_trail")
    if request.method == "POST":
        try:
            version = posted_version(request.POST.get("version"))
            services.trail_archive(actor=request.user, trail=trail, version=version)
        except ConflictError:
            messages.error(request, _("Someone changed this trail meanwhile; look at it again."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Trail archived."))
        return redirect("mel:trail_detail", pk=trail.pk)
    if trail.archived_at is not None:
        return redirect("mel:trail_detail", pk=trail.pk)
    return render(request, "mel/trail_archive.html", {"trail": trail})


@login_required
@require_POST
def trail_restore_view(request, pk):
    trail = trail_detail(user=request.user, pk=pk)
    _may(request, "mel.record_trail")
    try:
        version = posted_version(request.POST.get("version"))
        services.trail_restore(actor=request.user, trail=trail, version=version)
    except ConflictError:
        messages.error(request, _("Someone changed this trail meanwhile; look at it again."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Trail restored."))
    return redirect("mel:trail_detail", pk=trail.pk)


# --- system change summary -------------------------------------------------------------------


def _summary(request):
    years = system_change_years(user=request.user)
    form = SystemChangeForm(request.GET or None, years=years,
                            initial={"year": str(years[0])})  # fmt: skip
    year = years[0]
    domain = actor_type = ""
    if form.is_bound and form.is_valid():
        year = int(form.cleaned_data["year"])
        domain, actor_type = form.cleaned_data["domain"], form.cleaned_data["actor_type"]
    elif form.is_bound:
        raw = request.GET.get("year", "")
        year = int(raw) if raw.isdigit() and 1900 <= int(raw) <= 2200 else years[0]
    summary = system_change_summary(user=request.user, year=year, domain=domain,
                                    actor_type=actor_type)  # fmt: skip
    return form, summary


@login_required
def system_change_view(request):
    form, summary = _summary(request)
    context = {"form": form, "summary": summary,
               "transition_chart": transition_chart(summary),
               "stage_chart": stage_chart(summary)}  # fmt: skip
    return render(request, "mel/value_system_change.html", context)


@login_required
def system_change_csv(request):
    _form, summary = _summary(request)
    stages = [str(label) for _value, label in summary.stages]
    header = [_("Year"), _("Table"), _("Type of actor"), _("Domain"), _("From stage"),
              _("To stage"), *stages, _("Actors")]  # fmt: skip
    blanks = [""] * len(summary.stages)
    rows = [[summary.year, _("Moved during the year"), r["actor_type_label"], r["domain_label"],
             r["from_label"], r["to_label"], *blanks, r["n"]]
            for r in summary.transitions]  # fmt: skip
    rows += [[summary.year, _("At the year's end"), r["actor_type_label"], r["domain_label"],
              "", "", *r["stages"], r["n"]] for r in summary.at_year_end]  # fmt: skip
    return csv_response(f"system-change-{summary.year}.csv", header, rows)


# --- contribution claims ---------------------------------------------------------------------


def _claim_qs(request):
    """The claims asked for, sorted, and the messages of an offering or partner filter that
    names no record (the offering and partner are slugs, or what was typed in their boxes)."""
    filters, errors = resolve_subjects(filters_from(request, CLAIM_FILTERS), request.user)
    qs, sort = sort_queryset(claim_list(user=request.user, filters=filters),
                             request.GET.get("sort"), CLAIM_SORTS, "-created")  # fmt: skip
    return qs, sort, errors


@login_required
def claim_list_view(request):
    qs, sort, errors = _claim_qs(request)
    context = {
        "page": paginate(request, qs, per_page=25), "sort": sort,
        "sorts": [("-created", _("Newest")), ("outcome", _("Outcome")),
                  ("-confidence", _("Most confident"))],
        "filter_form": ClaimFilterForm(request.GET or None),
        "filter_errors": [text for texts in errors.values() for text in texts],
    }  # fmt: skip
    return render_page(request, "mel/claim_list.html", context,
                       partial="mel/partials/value_claim_results.html")  # fmt: skip


@login_required
def claim_export_csv(request):
    qs, _sort, _errors = _claim_qs(request)
    header = [_("Outcome statement"), _("Domain"), _("Offering"), _("Partner"), _("The claim"),
              _("Evidence"), _("Evidence link"), _("Confidence"), _("Why this confidence"),
              _("Alternative explanations"), _("Recorded")]  # fmt: skip

    def rows():
        for chunk in chunked(qs.prefetch_related("alternatives").iterator(chunk_size=200), 200):
            for c in chunk:
                alternatives = " | ".join(f"{a.explanation} ({a.get_plausibility_display()})"
                                          for a in c.alternatives.all())  # fmt: skip
                yield [c.outcome.title, c.outcome.get_domain_display(),
                       c.offering.title if c.offering_id else "",
                       c.partner.name if c.partner_id else "", c.claim, c.evidence,
                       c.evidence_url, c.get_confidence_display(), c.confidence_reason,
                       alternatives, localdate(c.created_at)]  # fmt: skip

    return csv_response("contribution-claims.csv", header, rows())


def _claim_choices(user, claim=None, outcome_pk=None) -> dict:
    """The outcome statements offered (the newest, and the one asked for); offerings and
    partners are typed, with suggestions (``mel:learning_suggest``), never listed."""
    outcomes = _step_outcomes(user)
    wanted = {pk for pk in (outcome_pk, claim.outcome_id if claim else None) if pk}
    missing = wanted - {o.pk for o in outcomes}
    if missing:
        outcomes += list(readable_outcomes(user).filter(pk__in=missing))
    return {"outcomes": outcomes, "user": user}


def _claim_page(request, form, formset, claim=None, status=200):
    outcome = None
    pk = form["outcome"].value()
    if str(pk or "").isdigit():
        outcome = readable_outcomes(request.user).filter(pk=int(pk)).first()
    context = {"form": form, "formset": formset, "claim": claim, "outcome": outcome,
               "outcome_url": url_of(outcome) if outcome else ""}  # fmt: skip
    return render(request, "mel/claim_form.html", context, status=status)


def _claim_kwargs(data) -> dict:
    kwargs = {key: data.get(key) for key in ("offering", "partner", "evidence", "evidence_url",
                                             "confidence", "confidence_reason")}  # fmt: skip
    kwargs["text"] = data.get("claim")
    return kwargs


@login_required
def claim_create_view(request):
    """Record a claim; ``?outcome=<pk>`` (the outcome statement's page links here) chooses
    the outcome."""
    _may(request, "mel.record_claim")
    raw = request.GET.get("outcome", "")
    outcome_pk = int(raw) if raw.isdigit() and len(raw) < 12 else None
    choices = _claim_choices(request.user, outcome_pk=outcome_pk)
    form = ClaimForm(request.POST or None, initial={"outcome": outcome_pk}, **choices)
    formset = AlternativeFormSet(request.POST or None, prefix="alt")
    if request.method == "POST":
        if form.is_valid() and formset.is_valid():
            data = form.cleaned_data
            saved = save_form(form, lambda: services.claim_create(
                actor=request.user, outcome=data["outcome"],
                alternatives=alternatives_from(formset), **_claim_kwargs(data)))  # fmt: skip
            if saved.ok:
                messages.success(request, _("Contribution claim recorded."))
                return redirect("mel:claim_detail", pk=saved.result.pk)
        return _claim_page(request, form, formset, status=400)
    return _claim_page(request, form, formset)


@login_required
def claim_detail_view(request, pk):
    claim = claim_detail(user=request.user, pk=pk)
    context = {"claim": claim, "outcome_url": url_of(claim.outcome),
               "can_record": can(request.user, "mel.record_claim"),
               "entries": claim_history(claim)}  # fmt: skip
    return render(request, "mel/claim_detail.html", context)


@login_required
def claim_edit_view(request, pk):
    claim = claim_detail(user=request.user, pk=pk)
    _may(request, "mel.record_claim")
    if claim.archived_at is not None:
        messages.error(request, _("This claim is archived."))
        return redirect("mel:claim_detail", pk=claim.pk)
    choices = _claim_choices(request.user, claim=claim)
    initial = {"outcome": claim.outcome_id, "offering": claim.offering,
               "partner": claim.partner, "claim": claim.claim, "evidence": claim.evidence,
               "evidence_url": claim.evidence_url, "confidence": claim.confidence,
               "confidence_reason": claim.confidence_reason, "version": claim.version}  # fmt: skip
    form = ClaimForm(request.POST or None, initial=initial, **choices)
    form.fields["outcome"].disabled = True  # a claim stays with its outcome
    alternatives = [{"explanation": a.explanation, "plausibility": a.plausibility,
                     "reasoning": a.reasoning} for a in claim.alternatives.all()]  # fmt: skip
    formset = AlternativeFormSet(request.POST or None, prefix="alt", initial=alternatives)
    if request.method == "POST":
        status = 400
        if form.is_valid() and formset.is_valid():
            data = form.cleaned_data
            saved = save_form(form, lambda: services.claim_update(
                actor=request.user, claim=claim, version=data.get("version"),
                alternatives=alternatives_from(formset), **_claim_kwargs(data)))  # fmt: skip
            if saved.ok:
                messages.success(request, _("Contribution claim saved."))
                return redirect("mel:claim_detail", pk=claim.pk)
            if saved.current is not None:
                status = saved.status
        return _claim_page(request, form, formset, claim=claim, status=status)
    return _claim_page(request, form, formset, claim=claim)


@login_required
def claim_archive_view(request, pk):
    """Ask, then archive (value reports stop showing the claim)."""
    claim = claim_detail(user=request.user, pk=pk)
    _may(request, "mel.record_claim")
    if request.method == "POST":
        raw = request.POST.get("version", "")
        try:
            services.claim_archive(actor=request.user, claim=claim,
                                   version=int(raw) if raw.isdigit() else None)  # fmt: skip
        except ConflictError:
            messages.error(request, _("Someone changed this claim meanwhile; look at it again."))
            return redirect("mel:claim_detail", pk=claim.pk)
        messages.success(request, _("Claim archived."))
        return redirect("mel:claim_detail", pk=claim.pk)
    return render(request, "mel/claim_archive.html", {"claim": claim})


# --- value -----------------------------------------------------------------------------------


def _period(request):
    form = PeriodForm(request.GET or None)
    period = value_period(request.GET.get("period", ""), request.GET.get("from", ""),
                          request.GET.get("to", ""))  # fmt: skip
    return form, period


def _report_page(request, kind: str, slug: str):
    form, period = _period(request)
    report = value_report(user=request.user, kind=kind, slug=slug, period=period)
    for claim in report.claims:
        claim.outcome_url = url_of(claim.outcome)
    context = {
        "report": report, "period_form": form, "period": period,
        "outcome_links": [(o, url_of(o)) for o in report.outcomes],
        "story_links": [(s, url_of(s)) for s in report.stories],
        "rating_chart": rating_chart(report.figures["distribution"]),
        "request_chart": request_chart(report.figures["by_status"]),
        "quotes_url": reverse("mel:value_quotes", args=[kind, slug]),
    }  # fmt: skip
    return render(request, "mel/value_report.html", context)


@login_required
def value_offering_view(request, slug):
    return _report_page(request, "offering", slug)


@login_required
def value_partner_view(request, slug):
    return _report_page(request, "partner", slug)


@login_required
def value_quotes_view(request, kind, slug):
    """Every testimony behind a value report, newest first."""
    form, period = _period(request)
    subject, qs = value_quote_list(user=request.user, kind=kind, slug=slug, period=period)
    report_url = reverse(f"mel:value_{kind}", args=[slug])
    context = {"subject": subject, "kind": kind, "page": paginate(request, qs, per_page=25),
               "period": period, "period_form": form, "report_url": report_url}  # fmt: skip
    return render(request, "mel/value_quotes.html", context)


def _overview(request):
    tab = "partners" if request.GET.get("tab") == "partners" else "offerings"
    form, period = _period(request)
    filters = {key: request.GET.get(key, "") for key in ("q", "type", "provider")}
    qs, sort = value_overview(user=request.user, tab=tab, filters=filters, period=period,
                              sort=request.GET.get("sort", ""))  # fmt: skip
    return tab, form, period, qs, sort


@login_required
def value_overview_view(request):
    tab, form, period, qs, sort = _overview(request)
    first = "name" if tab == "partners" else "title"
    sorts = [(first, _("Name")), ("-requests", _("Most requested")),
             ("-delivered", _("Most delivered")), ("-rating", _("Best rated")),
             ("-outcomes", _("Most outcomes"))]  # fmt: skip
    if tab == "partners":
        sorts.insert(1, ("-offerings", _("Most offerings")))
    context = {"tab": tab, "period_form": form, "period": period, "sort": sort, "sorts": sorts,
               "page": paginate(request, qs, per_page=25),
               "filter_form": ValueFilterForm(request.GET or None),
               "keep": [("tab", tab)] if tab == "partners" else []}  # fmt: skip
    return render_page(request, "mel/value_overview.html", context,
                       partial="mel/partials/value_overview_results.html")  # fmt: skip


@login_required
def value_overview_csv(request):
    tab, _form, period, qs, _sort = _overview(request)
    name = _("Partner") if tab == "partners" else _("Offering")
    header = [name, _("Requests"), _("Delivered"), _("Ratings"), _("Mean usefulness (1–5)"),
              _("Outcomes contributed to"), _("Period")]  # fmt: skip
    if tab == "partners":
        header.insert(1, _("Offerings"))

    def rows():
        for chunk in chunked(qs.iterator(chunk_size=500), 500):
            for item in chunk:
                row = [getattr(item, "title", None) or item.name, item.value_requests,
                       item.value_delivered, item.value_ratings,
                       "" if item.value_mean_rating is None
                       else round(item.value_mean_rating, 2),
                       item.value_outcomes, period.label]  # fmt: skip
                if tab == "partners":
                    row.insert(1, item.value_offerings)
                yield row

    return csv_response(f"value-{tab}.csv", header, rows())


urlpatterns = [
    path("mel/trails/", trail_list_view, name="trail_list"),
    path("mel/trails/export.csv", trail_export_csv, name="trail_export_csv"),
    path("mel/trails/new/", trail_create_view, name="trail_create"),
    path("mel/trails/<int:pk>/", trail_detail_view, name="trail_detail"),
    path("mel/trails/<int:pk>/edit/", trail_edit_view, name="trail_edit"),
    path("mel/trails/<int:pk>/archive/", trail_archive_view, name="trail_archive"),
    path("mel/trails/<int:pk>/restore/", trail_restore_view, name="trail_restore"),
    path("mel/trails/<int:pk>/steps/", step_add_view, name="step_add"),
    path("mel/trails/<int:pk>/steps/<int:step_pk>/remove/", step_remove_view,
         name="step_remove"),
    path("mel/system-change/", system_change_view, name="system_change"),
    path("mel/system-change/export.csv", system_change_csv, name="system_change_csv"),
    path("mel/claims/", claim_list_view, name="claim_list"),
    path("mel/claims/export.csv", claim_export_csv, name="claim_export_csv"),
    path("mel/claims/new/", claim_create_view, name="claim_create"),
    path("mel/claims/<int:pk>/", claim_detail_view, name="claim_detail"),
    path("mel/claims/<int:pk>/edit/", claim_edit_view, name="claim_edit"),
    path("mel/claims/<int:pk>/archive/", claim_archive_view, name="claim_archive"),
    path("mel/value/", value_overview_view, name="value_overview"),
    path("mel/value/export.csv", value_overview_csv, name="value_overview_csv"),
    path("mel/value/offerings/<slug:slug>/", value_offering_view, name="value_offering"),
    path("mel/value/partners/<slug:slug>/", value_partner_view, name="value_partner"),
    path("mel/value/<str:kind>/<slug:slug>/testimony/", value_quotes_view, name="value_quotes"),
]  # fmt: skip


# --- charts (Vega-Lite, drawn by static/landhub/charts.js over the tables beside them) -------

CHART_COLOUR = "#1f6f43"


def rating_chart(distribution: dict) -> dict:
    """One bar per rating 1–5: how many landscapes gave it."""
    records = [{"rating": str(n), "count": distribution.get(n, 0)} for n in range(1, 6)]
    return {
        "$schema": SCHEMA, "data": {"values": records}, "width": "container", "height": 180,
        "mark": {"type": "bar", "color": CHART_COLOUR},
        "encoding": {
            "x": {"field": "rating", "type": "ordinal", "title": _("Usefulness (1–5)"),
                  "sort": None, "axis": {"labelAngle": 0}},
            "y": {"field": "count", "type": "quantitative", "title": _("Ratings"),
                  "axis": {"tickMinStep": 1}},
            "tooltip": [{"field": "rating", "title": _("Usefulness (1–5)")},
                        {"field": "count", "title": _("Ratings")}],
        },
        "config": {"view": {"stroke": None}},
    }  # fmt: skip


def request_chart(by_status: dict) -> dict:
    """Requests of the period by where they stand."""
    from landhub.coordination.models import RequestStatus

    records = [{"status": str(label), "count": by_status.get(value, 0)}
               for value, label in RequestStatus.choices]  # fmt: skip
    return {
        "$schema": SCHEMA, "data": {"values": records}, "width": "container", "height": 180,
        "mark": {"type": "bar", "color": CHART_COLOUR},
        "encoding": {
            "y": {"field": "status", "type": "nominal", "title": None, "sort": None},
            "x": {"field": "count", "type": "quantitative", "title": _("Requests"),
                  "axis": {"tickMinStep": 1}},
            "tooltip": [{"field": "status", "title": _("Status")},
                        {"field": "count", "title": _("Requests")}],
        },
        "config": {"view": {"stroke": None}},
    }  # fmt: skip


def transition_chart(summary) -> dict:
    """One bar per move (from → to), split by type of actor."""
    records = [{"move": f"{r['from_label']} → {r['to_label']}", "actor": str(r["actor_type_label"]),
                "count": r["n"]} for r in summary.transitions]  # fmt: skip
    moves = list(dict.fromkeys(f"{r['from_label']} → {r['to_label']}" for r in summary.totals))
    return {
        "$schema": SCHEMA, "data": {"values": records}, "width": "container",
        "height": max(80, 30 * len(moves)),
        "mark": "bar",
        "encoding": {
            "y": {"field": "move", "type": "nominal", "title": None, "sort": moves},
            "x": {"field": "count", "type": "quantitative", "aggregate": "sum",
                  "title": _("Actors"), "axis": {"tickMinStep": 1}},
            "color": {"field": "actor", "type": "nominal", "title": _("Type of actor")},
            "tooltip": [{"field": "move", "title": _("Move")},
                        {"field": "actor", "title": _("Type of actor")},
                        {"field": "count", "title": _("Actors")}],
        },
        "config": {"view": {"stroke": None}},
    }  # fmt: skip


def stage_chart(summary) -> dict:
    """Actors at each stage at the year's end, stacked by type of actor."""
    stage_labels = [str(label) for _value, label in summary.stages]
    records = []
    for row in summary.at_year_end:
        for label, n in zip(stage_labels, row["stages"], strict=True):
            if n:
                records.append({"stage": label, "actor": str(row["actor_type_label"]), "count": n})
    return {
        "$schema": SCHEMA, "data": {"values": records}, "width": "container", "height": 200,
        "mark": "bar",
        "encoding": {
            "x": {"field": "stage", "type": "ordinal", "title": _("Stage"), "sort": stage_labels,
                  "scale": {"domain": stage_labels}, "axis": {"labelAngle": 0}},
            "y": {"field": "count", "type": "quantitative", "aggregate": "sum",
                  "title": _("Actors"), "axis": {"tickMinStep": 1}},
            "color": {"field": "actor", "type": "nominal", "title": _("Type of actor")},
            "tooltip": [{"field": "stage", "title": _("Stage")},
                        {"field": "actor", "title": _("Type of actor")},
                        {"field": "count", "title": _("Actors")}],
        },
        "config": {"view": {"stroke": None}},
    }  # fmt: skip
