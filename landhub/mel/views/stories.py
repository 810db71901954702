"""Pages of most significant change: the story list (a landscape's own stories are the list
filtered by it), a story with its consent and selections, the forms to collect and edit one,
selection rounds (the panel reads, selects with a reason, hub staff close) and the stories
communications may use.

Thin: forms in ``forms/stories.py`` parse, ``selectors/stories.py`` reads with the access
rules, ``services/stories.py`` decides.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from landhub.core.exceptions import ConflictError
from landhub.core.forms import posted_version, save_form
from landhub.core.htmx import render_page
from landhub.core.lists import chunked, csv_response, filters_from, paginate, sort_queryset

from .. import selectors, services
from ..forms.stories import (
    CloseForm,
    ConsentForm,
    RoundFilterForm,
    RoundForm,
    SelectForm,
    StoryFilterForm,
    StoryForm,
    language_name,
)
from ..rules import can
from ..selectors import (
    ROUND_SORTS,
    STORY_SORTS,
    round_detail,
    round_list,
    round_selection_log,
    stories_for_communications,
    story_detail,
    story_history,
    story_list,
)

STORY_FILTERS = ("q", "landscape", "region", "domain", "language", "consent", "selected", "tag",
                 "year", "archived")  # fmt: skip
ROUND_FILTERS = ("q", "status", "domain", "mine")


# --- stories ---------------------------------------------------------------------------------


def _sorted_stories(request):
    filters = filters_from(request, STORY_FILTERS)
    return sort_queryset(story_list(user=request.user, filters=filters),
                         request.GET.get("sort"), STORY_SORTS, "-told")  # fmt: skip


@login_required
def story_list_view(request):
    """Every story the reader may read; ``?landscape=<slug>`` is a landscape's own list."""
    from landhub.directory.models import Landscape

    qs, sort = _sorted_stories(request)
    slug = request.GET.get("landscape", "")
    landscape = (Landscape.objects.visible_to(request.user).filter(slug=slug).first()
                 if slug else None)  # fmt: skip
    context = {
        "page": paginate(request, qs, per_page=25), "sort": sort,
        "tag_counts": selectors.tag_counts(qs),
        "sorts": [("-told", _("Newest told")), ("title", _("Title")),
                  ("landscape", _("Landscape")), ("-selected", _("Recently selected"))],
        "filter_form": StoryFilterForm(request.GET or None, user=request.user),
        "landscape": landscape,
        "can_collect": can(request.user, "mel.collect_story", landscape) if landscape
        else can(request.user, "mel.run_round") or _is_member_somewhere(request.user),
    }  # fmt: skip
    return render_page(request, "mel/story_list.html", context,
                       partial="mel/partials/story_results.html")  # fmt: skip


def _is_member_somewhere(user) -> bool:
    from ..forms.stories import collectable_landscapes

    return collectable_landscapes(user).exists()


@login_required
def story_export_csv(request):
    qs, _sort = _sorted_stories(request)
    header = [_("Id"), _("Title"), _("Landscape"), _("Region"), _("Storyteller"),
              _("Storyteller's role"), _("Domain of change"), _("Told on"), _("Language"),
              _("Consent"), _("Consent recorded on"), _("Selected"), _("Tags"), _("Visibility"),
              _("Why the storyteller finds it significant"), _("The story"), _("Link")]  # fmt: skip

    def rows():
        for chunk in chunked(qs.prefetch_related("tags").iterator(chunk_size=500), 500):
            for s in chunk:
                yield [s.pk, s.title, s.landscape.name, s.landscape.region, s.storyteller,
                       s.storyteller_role, s.get_domain_display(), s.told_on,
                       language_name(s.language), s.get_consent_display(),
                       s.consent_recorded_on or "",
                       s.selected_at.date() if s.selected_at else "",
                       "; ".join(t.name for t in s.tags.all()), s.get_visibility_display(),
                       s.why_significant, s.story,
                       request.build_absolute_uri(s.get_absolute_url())]  # fmt: skip

    return csv_response("stories.csv", header, rows())


@login_required
def story_create_view(request):
    """Collect a story (a landscape's members, hub staff, reviewers); ``?landscape=<id>``
    chooses the landscape."""
    from ..forms.stories import collectable_landscapes

    if not collectable_landscapes(request.user).exists():
        raise PermissionDenied
    initial = {"landscape": request.GET.get("landscape", "")}
    form = StoryForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = save_form(form, lambda: services.story_create(actor=request.user,
                                                              **form.service_kwargs()))  # fmt: skip
        if saved.ok:
            messages.success(request, _("Story saved."))
            return redirect(saved.result.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    return render(request, "mel/story_form.html", {"form": form, "story": None}, status=status)


def _story_context(request, story, **given) -> dict:
    can_change = can(request.user, "mel.change_story", story)
    context = {"story": story, "can_change": can_change,
               "language": language_name(story.language),
               "entries": story_history(story)}  # fmt: skip
    if can_change:
        context["consent_form"] = given.get("consent_form") or ConsentForm(story=story)
    return context


@login_required
def story_detail_view(request, pk):
    story = story_detail(user=request.user, pk=pk)
    return render(request, "mel/story_detail.html", _story_context(request, story))


@login_required
def story_edit_view(request, pk):
    story = story_detail(user=request.user, pk=pk)
    if not can(request.user, "mel.change_story", story):
        raise PermissionDenied
    form = StoryForm(request.POST or None, user=request.user, story=story)
    saved = None
    if request.method == "POST" and form.is_valid():
        saved = save_form(form, lambda: services.story_update(
            actor=request.user, story=story, version=form.cleaned_data.get("version"),
            changes=form.service_kwargs()))  # fmt: skip
        if saved.ok:
            messages.success(request, _("Story saved."))
            return redirect(story.get_absolute_url())
    status = 200 if request.method == "GET" else (saved.status if saved and saved.current
                                                  else 400)  # fmt: skip
    return render(request, "mel/story_form.html", {"form": form, "story": story,
                                                   "current": saved.current if saved else None},
                  status=status)  # fmt: skip


@login_required
@require_POST
def story_consent_view(request, pk):
    """Record or withdraw the storyteller's consent; the story page comes back with the
    messages beside the fields."""
    story = story_detail(user=request.user, pk=pk)
    if not can(request.user, "mel.change_story", story):
        raise PermissionDenied
    form = ConsentForm(request.POST, story=story)
    saved = None
    if form.is_valid():
        data = form.cleaned_data
        saved = save_form(form, lambda: services.story_set_consent(
            actor=request.user, story=story, version=data.get("version"),
            consent=data["consent"], recorded_on=data.get("consent_recorded_on"),
            note=data.get("consent_note", "")))  # fmt: skip
        if saved.ok:
            messages.success(request, _("Consent recorded."))
            return redirect(story.get_absolute_url())
    status = saved.status if saved is not None and saved.current is not None else 400
    fresh = story_detail(user=request.user, pk=pk)
    return render(request, "mel/story_detail.html",
                  _story_context(request, fresh, consent_form=form), status=status)  # fmt: skip


@login_required
@require_POST
def story_archive_view(request, pk):
    """Archive the story, or restore it (``restore=1``)."""
    story = story_detail(user=request.user, pk=pk)
    if not can(request.user, "mel.change_story", story):
        raise PermissionDenied
    restore = request.POST.get("restore") == "1"
    try:
        services.story_archive(actor=request.user, story=story, archived=not restore,
                               version=posted_version(request.POST.get("version")))  # fmt: skip
    except ConflictError:
        messages.error(request, _("Someone changed this story meanwhile; look at it again."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Story restored.") if restore else _("Story archived."))
    return redirect(story.get_absolute_url())


@login_required
def stories_for_communications_view(request):
    """Selected stories whose storyteller consented to publication, newest selection first."""
    page = paginate(request, stories_for_communications(request.user), per_page=25)
    return render(request, "mel/story_communications.html", {"page": page})


# --- selection rounds ------------------------------------------------------------------------


@login_required
def round_list_view(request):
    qs, sort = sort_queryset(round_list(user=request.user,
                                        filters=filters_from(request, ROUND_FILTERS)),
                             request.GET.get("sort"), ROUND_SORTS, "-period")  # fmt: skip
    context = {
        "page": paginate(request, qs, per_page=25), "sort": sort,
        "sorts": [("-period", _("Newest period")), ("title", _("Title")),
                  ("-held", _("Meeting date"))],
        "filter_form": RoundFilterForm(request.GET or None),
        "can_run": can(request.user, "mel.run_round"),
    }  # fmt: skip
    return render_page(request, "mel/round_list.html", context,
                       partial="mel/partials/round_results.html")  # fmt: skip


@login_required
def round_create_view(request):
    if not can(request.user, "mel.run_round"):
        raise PermissionDenied
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        add = data.pop("add_stories", False)
        data.pop("version", None)

        def create():
            selection_round = services.round_create(actor=request.user, **data)
            added = (services.round_add_stories(actor=request.user,
                                                selection_round=selection_round)
                     if add else 0)  # fmt: skip
            return selection_round, added

        saved = save_form(form, create)
        if saved.ok:
            selection_round, added = saved.result
            messages.success(request, ngettext(
                "Round set up with %(n)d story.", "Round set up with %(n)d stories.", added)
                % {"n": added})  # fmt: skip
            return redirect(selection_round.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    return render(request, "mel/round_form.html", {"form": form, "round": None}, status=status)


@login_required
def round_edit_view(request, pk):
    selection_round = round_detail(user=request.user, pk=pk)
    if not can(request.user, "mel.run_round"):
        raise PermissionDenied
    form = RoundForm(request.POST or None, selection_round=selection_round)
    saved = None
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version", None)
        saved = save_form(form, lambda: services.round_update(
            actor=request.user, selection_round=selection_round, version=version,
            **data))  # fmt: skip
        if saved.ok:
            messages.success(request, _("Round saved."))
            return redirect(selection_round.get_absolute_url())
    status = 200 if request.method == "GET" else (saved.status if saved and saved.current
                                                  else 400)  # fmt: skip
    return render(request, "mel/round_form.html", {"form": form, "round": selection_round},
                  status=status)  # fmt: skip


def _who_selected(log) -> dict[int, object]:
    """Story id → the history record of its latest change (the log is newest first)."""
    latest: dict[int, object] = {}
    for record in log:
        latest.setdefault(record.story_id, record)
    return latest


def _round_context(request, selection_round, **given) -> dict:
    log = round_selection_log(selection_round)
    latest = _who_selected(log)
    for entry in selection_round.entries_shown:
        entry.last_change = latest.get(entry.story_id)
    is_open = selection_round.status == "open"
    can_run = can(request.user, "mel.run_round")
    return {
        "round": selection_round, "log": log, "is_open": is_open, "can_run": can_run,
        "can_select": is_open and (can_run or selection_round.is_panel),
        "close_form": given.get("close_form") or CloseForm(
            initial={"version": selection_round.version, "notes": selection_round.notes}),
        "errors": given.get("errors") or {},
    }  # fmt: skip


@login_required
def round_detail_view(request, pk):
    selection_round = round_detail(user=request.user, pk=pk)
    return render(request, "mel/round_detail.html", _round_context(request, selection_round))


@login_required
@require_POST
def round_add_stories_view(request, pk):
    """Add the stories of the period and domain (or the ids given as ``story``)."""
    selection_round = round_detail(user=request.user, pk=pk)
    if not can(request.user, "mel.run_round"):
        raise PermissionDenied
    chosen = [int(v) for v in request.POST.getlist("story") if v.isdigit()] or None
    try:
        added = services.round_add_stories(actor=request.user, selection_round=selection_round,
                                           stories=chosen)  # fmt: skip
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if added:
            messages.success(request, ngettext("%(n)d story added.", "%(n)d stories added.",
                                               added) % {"n": added})  # fmt: skip
        else:
            messages.info(request, _("No new story: every story of the period and domain is "
                                     "already before the panel."))  # fmt: skip
    return redirect(selection_round.get_absolute_url())


@login_required
@require_POST
def round_select_view(request, pk):
    """Select a story with the panel's reason, or unselect it. htmx gets the story's card
    back with its message; otherwise the round page."""
    selection_round = round_detail(user=request.user, pk=pk)
    if not can(request.user, "mel.select_story", selection_round):
        raise PermissionDenied
    form = SelectForm(request.POST)
    errors: dict = {}
    story_id = None
    if not form.is_valid():
        errors = {"reason": [_("Choose a story of this round.")]}
    else:
        story_id = form.cleaned_data["story"]
        try:
            services.round_select(actor=request.user, selection_round=selection_round,
                                  story=story_id, selected=form.cleaned_data["selected"],
                                  reason=form.cleaned_data.get("reason", ""))  # fmt: skip
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"reason": exc.messages}
    status = 400 if errors else 200
    fresh = round_detail(user=request.user, pk=pk)
    entry = next((e for e in fresh.entries_shown if e.story_id == story_id), None)
    if getattr(request, "htmx", False) and entry is not None:
        context = _round_context(request, fresh)
        context.update({"entry": entry, "entry_errors": errors, "saved": not errors,
                        "entered": request.POST.get("reason", "")})  # fmt: skip
        return render(request, "mel/partials/round_entry.html", context, status=status)
    if errors:
        messages.error(request, " ".join(m for ms in errors.values() for m in ms))
    else:
        messages.success(request, _("Selection saved."))
    return redirect(selection_round.get_absolute_url())


@login_required
@require_POST
def round_close_view(request, pk):
    selection_round = round_detail(user=request.user, pk=pk)
    if not can(request.user, "mel.run_round"):
        raise PermissionDenied
    form = CloseForm(request.POST)
    saved = None
    if form.is_valid():
        data = form.cleaned_data
        saved = save_form(form, lambda: services.round_close(
            actor=request.user, selection_round=selection_round,
            version=data.get("version"), notes=data.get("notes", "")))  # fmt: skip
        if saved.ok:
            messages.success(request, _("Round closed. The selected stories are marked."))
            return redirect(selection_round.get_absolute_url())
    status = saved.status if saved is not None and saved.current is not None else 400
    fresh = round_detail(user=request.user, pk=pk)
    return render(request, "mel/round_detail.html", _round_context(request, fresh,
                                                                   close_form=form),
                  status=status)  # fmt: skip


urlpatterns = [
    path("mel/stories/", story_list_view, name="story_list"),
    path("mel/stories/export.csv", story_export_csv, name="story_export_csv"),
    path("mel/stories/new/", story_create_view, name="story_create"),
    path("mel/stories/for-communications/", stories_for_communications_view,
         name="stories_for_communications"),
    path("mel/stories/<int:pk>/", story_detail_view, name="story_detail"),
    path("mel/stories/<int:pk>/edit/", story_edit_view, name="story_edit"),
    path("mel/stories/<int:pk>/consent/", story_consent_view, name="story_consent"),
    path("mel/stories/<int:pk>/archive/", story_archive_view, name="story_archive"),
    path("mel/rounds/", round_list_view, name="round_list"),
    path("mel/rounds/new/", round_create_view, name="round_create"),
    path("mel/rounds/<int:pk>/", round_detail_view, name="round_detail"),
    path("mel/rounds/<int:pk>/edit/", round_edit_view, name="round_edit"),
    path("mel/rounds/<int:pk>/stories/", round_add_stories_view, name="round_add_stories"),
    path("mel/rounds/<int:pk>/select/", round_select_view, name="round_select"),
    path("mel/rounds/<int:pk>/close/", round_close_view, name="round_close"),
]  # fmt: skip
