"""Catalog pages: browse with facets, read an offering, draft and edit, review, history."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from landhub.core.access import is_hub_staff
from landhub.core.exceptions import ConflictError
from landhub.core.forms import Saved, add_service_errors, save_form
from landhub.core.history import history_entries
from landhub.core.htmx import render_page
from landhub.core.lists import csv_response, paginate, sort_queryset
from landhub.directory.models import Organization, Term, Vocabulary

from . import services
from .forms import (
    ActivityForm,
    FeedbackForm,
    OfferingFilterForm,
    OfferingForm,
    RequestActionForm,
    ServiceRequestForm,
    TransitionForm,
)
from .models import Offering
from .rules import can, member_organization_ids
from .selectors import (
    OFFERING_FILTERS,
    OFFERING_SORTS,
    get_offering_for,
    offering_detail,
    offering_facets,
    offering_list,
)


def _filters(request) -> dict:
    return {key: request.GET.get(key, "") for key in OFFERING_FILTERS}


def offering_list_view(request):
    filters = _filters(request)
    qs, sort = sort_queryset(
        offering_list(user=request.user, filters=filters),
        request.GET.get("sort"), OFFERING_SORTS, "title",
    )  # fmt: skip
    show_status = is_hub_staff(request.user) or bool(member_organization_ids(request.user))
    context = {
        "page": paginate(request, qs, per_page=20),
        "sort": sort,
        "sorts": [
            ("title", _("Title")),
            ("-published", _("Newest")),
            ("-updated", _("Recently updated")),
        ],  # fmt: skip
        "filter_form": OfferingFilterForm(
            request.GET or None,
            facets=offering_facets(user=request.user, filters=filters),
            show_status=show_status,
        ),
        "can_create": can(request.user, "coordination.add_offering"),
        "export_links": [(_("CSV"), reverse("coordination:offering_export_csv"))],
    }
    return render_page(
        request, "coordination/offering_list.html", context,
        partial="coordination/partials/offering_results.html",
    )  # fmt: skip


def offering_export_csv(request):
    qs, _sort = sort_queryset(
        offering_list(user=request.user, filters=_filters(request)),
        request.GET.get("sort"), OFFERING_SORTS, "title",
    )  # fmt: skip
    base = request.build_absolute_uri("/")[:-1]
    header = [_("Title"), _("Type"), _("Summary"), _("Providers"), _("Capabilities"),
              _("Languages"), _("Available in"), _("Cost"), _("Format"), _("Status"),
              _("Link")]  # fmt: skip
    rows = (
        [
            o.title,
            o.get_type_display(),
            o.summary,
            "; ".join(link.organization.name for link in o.provider_links.all()),
            "; ".join(t.name for t in o.capabilities.all()),
            ", ".join(o.language_codes),
            _("Everywhere") if o.is_global else ", ".join(o.region_names),
            o.get_cost_display(),
            o.get_delivery_format_display(),
            o.get_status_display(),
            base + o.get_absolute_url(),
        ]  # fmt: skip
        for o in qs.iterator(chunk_size=500)
    )
    return csv_response("offerings.csv", header, rows)


def _actions(user, offering) -> list[tuple[str, str]]:
    """The workflow buttons this user may press on this offering now."""
    from .services import TRANSITIONS

    labels = {"submit": _("Submit for review"), "publish": _("Publish"),
              "return": _("Return with a comment"), "retire": _("Retire"),
              "reopen": _("Publish again")}  # fmt: skip
    return [
        (action, labels[action])
        for action, (sources, _target, permission) in TRANSITIONS.items()
        if offering.status in sources and can(user, permission, offering)
    ]


def offering_detail_view(request, slug, tab="profile"):
    from landhub.directory.models import Landscape

    from .models import RequestStatus, ServiceRequest
    from .selectors import offering_value

    offering = offering_detail(user=request.user, slug=slug)
    used_in = Landscape.objects.visible_to(request.user).filter(
        pk__in=ServiceRequest.objects.filter(
            offering=offering, status=RequestStatus.DELIVERED
        ).values("landscape_id")
    )
    context = {
        "offering": offering,
        "value": offering_value(offering_ids=[offering.pk]).get(offering.pk),
        "used_in": list(used_in.order_by("name")[:20]),
        "tab": tab,
        "can_edit": can(request.user, "coordination.change_offering", offering),
        "can_request": offering.is_published
        and request.user.is_authenticated
        and _managed_landscapes(request.user).exists(),
        "actions": _actions(request.user, offering),
    }
    if tab == "history":
        context["entries"] = history_entries(offering)
    return render(request, "coordination/offering_detail.html", context)


@login_required
def offering_history(request, slug):
    return offering_detail_view(request, slug, tab="history")


def _organizations_for(user, offering=None):
    if is_hub_staff(user):
        return Organization.objects.active()
    condition = Q(pk__in=member_organization_ids(user))
    if offering is not None:
        condition |= Q(offering_links__offering=offering)
    return Organization.objects.active().filter(condition).distinct()


@login_required
def offering_create(request):
    if not can(request.user, "coordination.add_offering"):
        raise PermissionDenied
    form = OfferingForm(request.POST or None, organizations=_organizations_for(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.service_fields()
        try:
            offering = services.offering_create(
                actor=request.user, title=data.pop("title"), providers=data.pop("providers"),
                **data,
            )  # fmt: skip
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Draft saved. Submit it for review when it is ready."))
            return redirect(offering.get_absolute_url())
    return render(request, "coordination/offering_form.html", {"form": form})


@login_required
def offering_edit(request, slug):
    offering = get_offering_for(request.user, "coordination.change_offering", slug)
    form = OfferingForm(
        request.POST or None, instance=offering,
        organizations=_organizations_for(request.user, offering),
    )  # fmt: skip
    saved = Saved(False)
    if request.method == "POST" and form.is_valid():
        saved = save_form(form, lambda: services.offering_update(
            actor=request.user, offering=Offering.objects.get(pk=offering.pk),
            version=form.cleaned_data.get("version"), **form.service_fields(),
        ))  # fmt: skip
        if saved.ok:
            messages.success(request, _("Changes saved."))
            return redirect(offering.get_absolute_url())
    return render(
        request, "coordination/offering_form.html",
        {"form": form, "offering": offering, "current": saved.current}, status=saved.status,
    )  # fmt: skip


@login_required
@require_POST
def offering_transition(request, slug):
    offering = get_offering_for(request.user, "view", slug)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("That action is not available."))
        return redirect(offering.get_absolute_url())
    try:
        services.offering_transition(
            actor=request.user, offering=offering, action=form.cleaned_data["action"],
            version=form.cleaned_data["version"], comment=form.cleaned_data["comment"],
        )  # fmt: skip
    except ConflictError:
        messages.error(request, _("Someone changed this offering meanwhile; look and try again."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Done: the offering is now %(status)s.")
                         % {"status": offering.get_status_display().lower()})  # fmt: skip
    return redirect(offering.get_absolute_url())


def landscape_recommendations(request, slug):
    """All recommendations for one landscape, with their reasons; leaders dismiss or restore."""
    from landhub.directory.models import Landscape
    from landhub.directory.selectors.landscapes import landscape_detail

    from .matching import recommended_offerings
    from .models import Dismissal, DismissalReason

    landscape = landscape_detail(user=request.user, slug=slug, include_archived=False)
    can_dismiss = can(request.user, "directory.change_landscape", landscape)
    if request.method == "POST":
        if not can_dismiss:
            raise PermissionDenied
        offering = get_offering_for(request.user, "view", request.POST.get("offering", ""))
        target = Landscape.objects.get(pk=landscape.pk)
        try:
            if request.POST.get("restore"):
                services.recommendation_restore(actor=request.user, landscape=target,
                                                offering=offering)  # fmt: skip
                messages.success(request, _("“%(t)s” is recommended again.") % {"t": offering})
            else:
                services.recommendation_dismiss(
                    actor=request.user, landscape=target, offering=offering,
                    reason=request.POST.get("reason", ""), note=request.POST.get("note", ""),
                )  # fmt: skip
                messages.success(request, _("“%(t)s” set aside.") % {"t": offering})
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect(reverse("coordination:landscape_recommendations", args=[slug]))
    context = {
        "landscape": landscape,
        "recommendations": recommended_offerings(user=request.user, landscape=landscape,
                                                 limit=20),  # fmt: skip
        "can_dismiss": can_dismiss,
        "reasons": DismissalReason.choices,
        "dismissed": (
            Dismissal.objects.filter(landscape=landscape).select_related("offering")
            if can_dismiss else []
        ),
    }  # fmt: skip
    return render(request, "coordination/landscape_recommendations.html", context)


# --- Links and attachments --------------------------------------------------------------------


def _materials_page(request, offering, link_form=None, attachment_form=None, status=200):
    from .forms import AttachmentForm, LinkForm

    return render(
        request, "coordination/offering_materials.html",
        {"offering": offering, "link_form": link_form or LinkForm(prefix="link"),
         "attachment_form": attachment_form or AttachmentForm(prefix="file")},
        status=status,
    )  # fmt: skip


@login_required
def offering_materials(request, slug):
    """The providers' staff add and remove an offering's links and files."""
    offering = get_offering_for(request.user, "coordination.change_offering", slug)
    return _materials_page(request, offering)


@login_required
@require_POST
def offering_link_add(request, slug):
    from .forms import LinkForm

    offering = get_offering_for(request.user, "coordination.change_offering", slug)
    form = LinkForm(request.POST, prefix="link")
    if form.is_valid():
        try:
            services.link_add(actor=request.user, offering=offering, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Link added."))
            return redirect("coordination:offering_materials", slug=offering.slug)
    return _materials_page(request, offering, link_form=form, status=400)


@login_required
@require_POST
def offering_attachment_add(request, slug):
    from .forms import AttachmentForm

    offering = get_offering_for(request.user, "coordination.change_offering", slug)
    form = AttachmentForm(request.POST, request.FILES, prefix="file")
    if form.is_valid():
        try:
            services.attachment_add(actor=request.user, offering=offering,
                                    title=form.cleaned_data["title"],
                                    upload=form.cleaned_data["file"])  # fmt: skip
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("File attached."))
            return redirect("coordination:offering_materials", slug=offering.slug)
    return _materials_page(request, offering, attachment_form=form, status=400)


@login_required
@require_POST
def offering_material_remove(request, slug, kind, pk):
    from django.http import Http404
    from django.shortcuts import get_object_or_404

    offering = get_offering_for(request.user, "coordination.change_offering", slug)
    if kind == "link":
        services.link_remove(actor=request.user, link=get_object_or_404(offering.links, pk=pk))
    elif kind != "file":
        raise Http404
    else:
        attachment = get_object_or_404(offering.attachments, pk=pk)
        services.attachment_remove(actor=request.user, attachment=attachment)
    messages.success(request, _("Removed."))
    return redirect("coordination:offering_materials", slug=offering.slug)


def attachment_download(request, slug, pk):
    """Whoever may see the offering may download its files; always as a download, with the
    type found when it was checked, so a browser never renders an uploaded file as a page."""
    from django.http import FileResponse, Http404
    from django.shortcuts import get_object_or_404

    offering = offering_detail(user=request.user, slug=slug)
    attachment = get_object_or_404(offering.attachments, pk=pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=attachment.original_name,
                            content_type=attachment.content_type)  # fmt: skip
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "private, max-age=0"
    return response


# --- Coverage ----------------------------------------------------------------------------------


@login_required
def coverage_view(request):
    """Capability × region (or × landscape of one region): needs, offerings, partners, shown
    as a heat map and as the table it is drawn from."""
    from .coverage import CROWDED_PARTNERS, coverage_matrix, matrix_records, regions

    matrix = coverage_matrix(user=request.user, region=request.GET.get("region", ""))
    records = matrix_records(matrix)
    context = {
        "matrix": matrix, "regions": regions(), "crowded_partners": CROWDED_PARTNERS,
        "unserved": sum(r["state"] == "unserved" for r in records),
        "crowded": sum(r["state"] == "crowded" for r in records),
        "heatmap": {
            "records": records,
            "labels": {
                "capability": _("Capability"),
                "place": _("Region") if matrix["by"] == "region" else _("Landscape"),
                "needs": _("Open needs"), "offerings": _("Offerings"),
                "providers": _("Providers"), "activities": _("Current activities"),
                "partners": _("Partners"), "state": _("State"),
                "unserved": _("unserved"), "crowded": _("crowded"), "served": _("served"),
                "empty": _("nothing"),
            },
        },
    }  # fmt: skip
    return render(request, "coordination/coverage.html", context)


@login_required
def coverage_export_csv(request):
    from .coverage import coverage_matrix, matrix_records

    matrix = coverage_matrix(user=request.user, region=request.GET.get("region", ""))
    header = [_("Capability"), _("Region") if matrix["by"] == "region" else _("Landscape"),
              _("Open needs"), _("Offerings"), _("Providers"), _("Current activities"),
              _("Partners"), _("State")]  # fmt: skip
    fields = ("capability", "place", "needs", "offerings", "providers", "activities",
              "partners", "state")  # fmt: skip
    rows = ([record[f] for f in fields] for record in matrix_records(matrix))
    return csv_response("coverage.csv", header, rows)


# --- Activities and the shared calendar --------------------------------------------------------


def _activity_filters(request) -> dict:
    from .selectors import ACTIVITY_FILTERS

    return {key: request.GET.get(key, "") for key in ACTIVITY_FILTERS}


def _month_grid(month_value: str):
    """Weeks (lists of 7 dates, Monday first) covering the month, and the month's first day."""
    import calendar
    import datetime as dt

    from .selectors import _month

    period = _month(month_value) or _month(dt.date.today().strftime("%Y-%m"))
    first = period[0]
    weeks = calendar.Calendar().monthdatescalendar(first.year, first.month)
    return weeks, first


MONTH_ACTIVITIES = 2000  # read for one month grid
PER_DAY = 4  # shown in one day's cell; the rest as "+ n more"
ICAL_EVENTS = 1000
ICAL_PAST_DAYS, ICAL_FUTURE_DAYS = 90, 400


def _may_add_activities(user) -> bool:
    return user.is_authenticated and (is_hub_staff(user) or bool(member_organization_ids(user)))


def activity_list_view(request):
    """The shared calendar: a month grid or a list, with the catalog's kind of filters."""
    import datetime as dt

    from .models import ActivityStatus, ActivityType
    from .selectors import activity_list

    filters = _activity_filters(request)
    view = "month" if request.GET.get("view") == "month" else "list"
    context = {"filters": filters, "view": view, "types": ActivityType.choices,
               "statuses": ActivityStatus.choices,
               "capabilities": Term.objects.of(Vocabulary.CAPABILITY).order_by("name_en"),
               "themes": Term.objects.of(Vocabulary.THEME).order_by("name_en"),
               "can_create": _may_add_activities(request.user)}  # fmt: skip
    if view == "month":
        weeks, first = _month_grid(filters.get("month", ""))
        filters = {**filters, "month": first.strftime("%Y-%m")}
        # A day shows its first few activities and how many more there are: at scale a month
        # holds hundreds, and a cell listing them all helps nobody (the list view has them).
        by_day: dict = {}
        more: dict = {}
        fields = ("pk", "title", "starts_on", "ends_on")
        for activity in (activity_list(user=request.user, filters=filters)
                         .prefetch_related(None).only(*fields)[:MONTH_ACTIVITIES]):  # fmt: skip
            day = max(activity.starts_on, weeks[0][0])
            while day <= min(activity.ends_on, weeks[-1][-1]):
                if len(by_day.setdefault(day, [])) < PER_DAY:
                    by_day[day].append(activity)
                else:
                    more[day] = more.get(day, 0) + 1
                day += dt.timedelta(days=1)
        previous = (first - dt.timedelta(days=1)).strftime("%Y-%m")
        following = (weeks[-1][-1] + dt.timedelta(days=1)).strftime("%Y-%m")
        if following == first.strftime("%Y-%m"):
            following = (first + dt.timedelta(days=32)).strftime("%Y-%m")
        context.update({"weeks": [[(d, by_day.get(d, []), more.get(d, 0)) for d in week]
                                  for week in weeks],
                        "first": first, "previous": previous, "following": following})  # fmt: skip
    else:
        qs = activity_list(user=request.user, filters=filters)
        if not filters.get("month"):
            qs = qs.filter(ends_on__gte=dt.date.today())  # upcoming by default
        context["page"] = paginate(request, qs, per_page=25)
    return render(request, "coordination/activity_list.html", context)


def activity_ical(request):
    """An iCal feed of the filtered calendar (subscribe in any calendar program).

    Calendar programs poll the same address, so the feed is cached until the next write
    (``core.counts.generation``) per reader and filter. It holds the activities from 90 days
    ago to 400 days ahead, at most ``ICAL_EVENTS``, read as plain values.
    """
    import hashlib

    from django.core.cache import cache
    from django.http import HttpResponse

    from landhub.core.counts import COUNT_SECONDS, generation

    from .selectors import _viewer_key

    filters = _activity_filters(request)
    key = hashlib.sha256(f"{_viewer_key(request.user)}|{sorted(filters.items())}".encode())
    cache_key = f"landhub:ical:{generation()}:{key.hexdigest()}"
    body = cache.get(cache_key)
    if body is None:
        body = _ical_body(request, filters)
        cache.set(cache_key, body, COUNT_SECONDS * 5)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="landhub-activities.ics"'
    return response


def _ical_body(request, filters) -> bytes:
    import datetime as dt

    from icalendar import Calendar, Event

    from .selectors import activity_list

    feed = Calendar()
    feed.add("prodid", "-//LandHub//Activities//EN")
    feed.add("version", "2.0")
    feed.add("x-wr-calname", "LandHub activities")
    today = dt.date.today()
    url = request.build_absolute_uri(reverse("coordination:activity_detail", args=[0]))
    rows = (
        activity_list(user=request.user, filters=filters).prefetch_related(None)
        .filter(ends_on__gte=today - dt.timedelta(days=ICAL_PAST_DAYS),
                starts_on__lte=today + dt.timedelta(days=ICAL_FUTURE_DAYS))
        .values_list("pk", "title", "starts_on", "ends_on", "updated_at", "status",
                     "description")[:ICAL_EVENTS]
    )  # fmt: skip
    statuses = {"cancelled": "CANCELLED", "confirmed": "CONFIRMED", "done": "CONFIRMED"}
    for pk, title, starts_on, ends_on, updated_at, status, description in rows:
        event = Event()
        event.add("uid", f"activity-{pk}@landhub")
        event.add("summary", title)
        event.add("dtstart", starts_on)
        event.add("dtend", ends_on + dt.timedelta(days=1))  # iCal ends are exclusive
        event.add("dtstamp", updated_at)
        event.add("status", statuses.get(status, "TENTATIVE"))
        event.add("description", description[:2000])
        event.add("url", url.replace("/0/", f"/{pk}/"))
        feed.add_component(event)
    return feed.to_ical()


def activity_detail_view(request, pk):
    from .selectors import activity_detail

    activity = activity_detail(user=request.user, pk=pk)
    signed_in = request.user.is_authenticated
    context = {"activity": activity,
               "can_edit": signed_in and services.may_change_activity(request.user, activity),
               "entries": history_entries(activity) if signed_in else []}  # fmt: skip
    return render(request, "coordination/activity_detail.html", context)


def _activity_form(request, instance=None):
    from landhub.directory.models import Landscape

    organizations = (
        Organization.objects.active() if is_hub_staff(request.user)
        else Organization.objects.filter(pk__in=member_organization_ids(request.user))
    )  # fmt: skip
    return ActivityForm(request.POST or None, instance=instance, organizations=organizations,
                        landscapes=Landscape.objects.visible_to(request.user).active())  # fmt: skip


@login_required
def activity_create(request):
    if not _may_add_activities(request.user):
        raise PermissionDenied
    form = _activity_form(request)
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.activity_create(actor=request.user, **form.service_fields())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Activity saved."))
            return redirect(activity.get_absolute_url())
    return render(request, "coordination/activity_form.html", {"form": form})


@login_required
def activity_edit(request, pk):
    from .models import Activity
    from .selectors import activity_detail

    activity = activity_detail(user=request.user, pk=pk)
    if not services.may_change_activity(request.user, activity):
        raise PermissionDenied
    form = _activity_form(request, instance=activity)
    saved = Saved(False)
    if request.method == "POST" and form.is_valid():
        saved = save_form(form, lambda: services.activity_update(
            actor=request.user, activity=Activity.objects.get(pk=pk),
            version=form.cleaned_data.get("version"), **form.service_fields(),
        ))  # fmt: skip
        if saved.ok:
            messages.success(request, _("Changes saved."))
            return redirect(activity.get_absolute_url())
    return render(request, "coordination/activity_form.html",
                  {"form": form, "activity": activity}, status=saved.status)  # fmt: skip


@login_required
@require_POST
def overlap_coordinated(request, pk):
    from .selectors import overlap_for

    overlap = overlap_for(user=request.user, pk=pk)
    services.overlap_mark_coordinated(actor=request.user, overlap=overlap,
                                      note=request.POST.get("note", ""))  # fmt: skip
    messages.success(request, _("Marked as coordinated."))
    back = request.POST.get("back", "")
    if back.isdigit() and int(back) in (overlap.first_id, overlap.second_id):
        return redirect(reverse("coordination:activity_detail", args=[int(back)]))
    mine = (
        overlap.first
        if services.may_change_activity(request.user, overlap.first)
        else overlap.second
    )
    return redirect(mine.get_absolute_url())


# --- Service requests ------------------------------------------------------------------------


def _managed_landscapes(user):
    from landhub.core.access import is_hub_staff as staff
    from landhub.directory.models import Landscape
    from landhub.directory.rules import managed_landscape_ids

    qs = Landscape.objects.active()
    return qs if staff(user) else qs.filter(pk__in=managed_landscape_ids(user))


@login_required
def offering_request(request, slug):
    """A landscape leader asks for an offering."""
    from landhub.directory.models import LandscapeNeed, NeedStatus

    offering = get_offering_for(request.user, "view", slug)
    landscapes = _managed_landscapes(request.user)
    if not landscapes.exists():
        raise PermissionDenied
    initial = {}
    chosen = landscapes.filter(slug=request.GET.get("landscape", "")).first()
    if chosen is None and not is_hub_staff(request.user) and len(landscapes[:2]) == 1:
        chosen = landscapes.first()  # the one landscape she leads
    if chosen is not None:
        initial["landscape"] = chosen
    needs = LandscapeNeed.objects.filter(
        landscape__in=landscapes, status__in=[NeedStatus.OPEN, NeedStatus.IN_PROGRESS]
    ).select_related("landscape", "capability")
    if is_hub_staff(request.user):
        # Hub staff may act for any landscape: offer only the chosen landscape's needs, not
        # every need of the hub.
        key = request.POST.get("landscape") or (chosen.pk if chosen else None)
        needs = needs.filter(landscape_id=key) if str(key or "").isdigit() else needs.none()
    form = ServiceRequestForm(request.POST or None, landscapes=landscapes, needs=needs,
                              initial=initial)  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            created = services.request_create(
                actor=request.user, landscape=form.cleaned_data["landscape"], offering=offering,
                need=form.cleaned_data["need"], message=form.cleaned_data["message"],
            )  # fmt: skip
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Request sent; the providers have been told."))
            return redirect(created.get_absolute_url())
    return render(request, "coordination/request_form.html",
                  {"form": form, "offering": offering})  # fmt: skip


def _request_filters(request) -> dict:
    return {key: request.GET.get(key, "") for key in ("status", "offering", "landscape",
                                                      "overdue")}  # fmt: skip


@login_required
def request_list_view(request):
    from .models import RequestStatus
    from .selectors import REQUEST_SCOPES, REQUEST_SORTS, request_list

    scope = request.GET.get("scope", "")
    if scope not in REQUEST_SCOPES or (scope == "all" and not is_hub_staff(request.user)):
        scope = "all" if is_hub_staff(request.user) else "mine"
    qs = request_list(user=request.user, scope=scope, filters=_request_filters(request))
    qs, sort = sort_queryset(qs, request.GET.get("sort"), REQUEST_SORTS, "-created")
    scopes = [("mine", _("My landscapes' requests")), ("to_us", _("Requests to us"))]
    if is_hub_staff(request.user):
        scopes.append(("all", _("All requests")))
    context = {
        "page": paginate(request, qs, per_page=25), "scope": scope, "scopes": scopes,
        "statuses": RequestStatus.choices, "filters": _request_filters(request), "sort": sort,
    }  # fmt: skip
    return render(request, "coordination/request_list.html", context)


@login_required
def request_export_csv(request):
    from .selectors import request_list

    scope = request.GET.get("scope", "mine")
    qs = request_list(user=request.user, scope=scope, filters=_request_filters(request))
    header = [_("Requested"), _("Landscape"), _("Offering"), _("Status"), _("Expected delivery"),
              _("Overdue"), _("Usefulness"), _("Link")]  # fmt: skip
    base = request.build_absolute_uri("/")[:-1]
    rows = (
        [r.created_at.date().isoformat(), r.landscape.name, r.offering.title,
         r.get_status_display(), r.expected_by or "", _("yes") if r.is_overdue else "",
         getattr(getattr(r, "feedback", None), "usefulness", ""), base + r.get_absolute_url()]
        for r in qs.iterator(chunk_size=500)
    )  # fmt: skip
    return csv_response("requests.csv", header, rows)


def _request_actions(user, service_request) -> list[tuple[str, str]]:
    labels = {"accept": _("Accept"), "start": _("Start work"), "deliver": _("Mark delivered"),
              "decline": _("Decline"), "withdraw": _("Withdraw the request")}  # fmt: skip
    result = []
    for action, (sources, _target, side) in services.REQUEST_TRANSITIONS.items():
        if service_request.status not in sources:
            continue
        allowed = (
            services.may_answer_request(user, service_request)
            if side == "provider"
            else services.may_act_for_landscape(user, service_request.landscape)
        )
        if allowed:
            result.append((action, labels[action]))
    return result


@login_required
def request_detail_view(request, pk):
    from .selectors import request_detail

    service_request = request_detail(user=request.user, pk=pk)
    context = {
        "req": service_request,
        "actions": _request_actions(request.user, service_request),
        "can_give_feedback": service_request.status == "delivered"
        and services.may_act_for_landscape(request.user, service_request.landscape),
        "entries": history_entries(service_request),
    }
    return render(request, "coordination/request_detail.html", context)


@login_required
@require_POST
def request_action(request, pk):
    from .selectors import request_detail

    service_request = request_detail(user=request.user, pk=pk)
    form = RequestActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Check the date and try again."))
        return redirect(service_request.get_absolute_url())
    try:
        services.request_transition(
            actor=request.user, request=service_request, action=form.cleaned_data["action"],
            version=form.cleaned_data["version"], answer=form.cleaned_data["answer"],
            expected_by=form.cleaned_data["expected_by"],
        )  # fmt: skip
    except ConflictError:
        messages.error(request, _("Someone changed this request meanwhile; look and try again."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Done: the request is now %(status)s.")
                         % {"status": service_request.get_status_display().lower()})  # fmt: skip
    return redirect(service_request.get_absolute_url())


@login_required
def request_feedback(request, pk):
    from .selectors import request_detail

    service_request = request_detail(user=request.user, pk=pk)
    if not services.may_act_for_landscape(request.user, service_request.landscape):
        raise PermissionDenied
    existing = getattr(service_request, "feedback", None)
    initial = {}
    if existing:
        initial = {"usefulness": existing.usefulness, "what_changed": existing.what_changed,
                   "days_saved": existing.days_saved, "money_saved_usd": existing.money_saved_usd,
                   "would_recommend": "yes" if existing.would_recommend else "no"}  # fmt: skip
    form = FeedbackForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.feedback_give(actor=request.user, request=service_request,
                                   **form.cleaned_data)  # fmt: skip
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Thank you: the providers and the hub can see what it "
                                        "was worth."))  # fmt: skip
            return redirect(service_request.get_absolute_url())
    return render(request, "coordination/feedback_form.html",
                  {"form": form, "req": service_request})  # fmt: skip


app_name = "coordination"
urlpatterns = [
    path("offerings/", offering_list_view, name="offering_list"),
    path("offerings/export.csv", offering_export_csv, name="offering_export_csv"),
    path("offerings/new/", offering_create, name="offering_create"),
    path("offerings/<slug:slug>/", offering_detail_view, name="offering_detail"),
    path("offerings/<slug:slug>/edit/", offering_edit, name="offering_edit"),
    path("offerings/<slug:slug>/history/", offering_history, name="offering_history"),
    path("offerings/<slug:slug>/status/", offering_transition, name="offering_transition"),
    path(
        "landscapes/<slug:slug>/recommendations/",
        landscape_recommendations,
        name="landscape_recommendations",
    ),  # fmt: skip
    path("offerings/<slug:slug>/request/", offering_request, name="offering_request"),
    path("offerings/<slug:slug>/materials/", offering_materials, name="offering_materials"),
    path("offerings/<slug:slug>/materials/link/", offering_link_add, name="offering_link_add"),
    path(
        "offerings/<slug:slug>/materials/file/",
        offering_attachment_add,
        name="offering_attachment_add",
    ),
    path(
        "offerings/<slug:slug>/materials/<str:kind>/<int:pk>/remove/",
        offering_material_remove,
        name="offering_material_remove",
    ),
    path("offerings/<slug:slug>/files/<int:pk>/", attachment_download, name="attachment_download"),
    path("coverage/", coverage_view, name="coverage"),
    path("activities/", activity_list_view, name="activity_list"),
    path("activities/calendar.ics", activity_ical, name="activity_ical"),
    path("activities/new/", activity_create, name="activity_create"),
    path("activities/<int:pk>/", activity_detail_view, name="activity_detail"),
    path("activities/<int:pk>/edit/", activity_edit, name="activity_edit"),
    path(
        "activities/overlaps/<int:pk>/coordinated/", overlap_coordinated, name="overlap_coordinated"
    ),  # fmt: skip
    path("coverage/export.csv", coverage_export_csv, name="coverage_export_csv"),
    path("requests/", request_list_view, name="request_list"),
    path("requests/export.csv", request_export_csv, name="request_export_csv"),
    path("requests/<int:pk>/", request_detail_view, name="request_detail"),
    path("requests/<int:pk>/action/", request_action, name="request_action"),
    path("requests/<int:pk>/feedback/", request_feedback, name="request_feedback"),
]
