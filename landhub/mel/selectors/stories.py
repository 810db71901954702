"""Reads of most significant change: stories of change and selection rounds (issue 6).

**Who reads a story.** ``Story.visibility`` decides (``Story.objects.visible_to``: public and
network stories for every signed-in member, core ones for core partners, restricted ones for
their collector and their landscape's members; hub staff read all). Besides, a **panel member
always reads the stories of their round** — the panel cannot select what it cannot read.
MEL's pages are for signed-in members, so the anonymous public reads nothing here; the public
site is the communications app's, through ``stories_for_communications``.

**Who reads a round.** Hub staff, MEL reviewers and the round's panel, always; every
signed-in member once it is closed (its selections and reasons are the point of the
method). Stories in a round that a reader may not read are left out for them.

**The communications interface.** ``stories_for_communications(user)`` is what the future
communications app reads to find stories it may publish: see its docstring.
"""

from __future__ import annotations

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)
from django.db.models import Value as V
from django.db.models.functions import Coalesce
from django.http import Http404

from landhub.core.access import is_hub_staff
from landhub.core.search import search_pks

from ..models import (
    PUBLISHABLE_CONSENT,
    Consent,
    RoundStatus,
    RoundStory,
    SelectionRound,
    Story,
)
from ..rules import is_designated_reviewer
from .outcomes import outcome_visible

__all__ = [
    "STORY_SORTS",
    "ROUND_SORTS",
    "stories_visible_to",
    "story_list",
    "story_detail",
    "story_history",
    "story_years",
    "round_list",
    "round_detail",
    "round_selection_log",
    "rounds_visible_to",
    "stories_for_communications",
]

STORY_SORTS = {
    "told": "told_on",
    "title": "title",
    "landscape": "landscape__name",
    "selected": "selected_at",
    "updated": "updated_at",
}
ROUND_SORTS = {"period": "period_end", "title": "title", "held": "held_on"}


def _reads_all_rounds(user) -> bool:
    return is_hub_staff(user) or is_designated_reviewer(user)


def stories_visible_to(user) -> QuerySet[Story]:
    """Every story ``user`` may read (archived ones too): by visibility, and the stories of
    the rounds whose panel they sit on. Nothing for the anonymous public."""
    if not getattr(user, "is_authenticated", False):
        return Story.objects.none()
    condition = Story.objects.visibility_q(user)
    if condition is None:  # hub staff
        return Story.objects.all()
    on_panel = Exists(RoundStory.objects.filter(story=OuterRef("pk"), round__panel=user))
    return Story.objects.filter(condition | Q(on_panel))


def _clean(filters: dict | None) -> dict:
    return {k: v.strip() for k, v in (filters or {}).items() if isinstance(v, str) and v.strip()}


def story_list(*, user, filters: dict | None = None) -> QuerySet[Story]:
    """Stories ``user`` may read, not archived unless ``archived=1``. Filters: landscape
    (slug), region, domain, language, consent, selected (yes / no), tag (slug), year (told
    in), q (words of the title, storyteller, story and why it is significant)."""
    filters = _clean(filters)
    qs = stories_visible_to(user)
    if filters.get("archived") == "1":
        qs = qs.filter(archived_at__isnull=False)
    else:
        qs = qs.filter(archived_at__isnull=True)
    if landscape := filters.get("landscape"):  # a slug (links) or a name (typed)
        qs = qs.filter(Q(landscape__slug=landscape) | Q(landscape__name__iexact=landscape))
    if region := filters.get("region"):
        qs = qs.filter(landscape__region=region)
    for key in ("domain", "language", "consent"):
        if value := filters.get(key):
            qs = qs.filter(**{key: value})
    if filters.get("selected") == "yes":
        qs = qs.filter(selected_at__isnull=False)
    elif filters.get("selected") == "no":
        qs = qs.filter(selected_at__isnull=True)
    if tag := filters.get("tag"):
        # Exists, not a join: a story with two matching tags is still one row.
        from landhub.directory.models import Term

        tagged = Story.tags.through.objects.filter(
            story_id=OuterRef("pk"), term__in=Term.objects.filter(slug=tag)
        )
        qs = qs.filter(Exists(tagged))  # fmt: skip
    year = filters.get("year", "")
    if year.isdigit() and 1900 <= int(year) <= 2100:
        qs = qs.filter(told_on__year=int(year))
    if q := filters.get("q", "")[:200]:
        qs = qs.filter(Q(pk__in_list=search_pks(Story, q)) | Q(title__icontains=q))
    return qs.select_related("landscape").defer("landscape__boundary")


def story_years(user) -> list[int]:
    """The years of the year filter, newest first: from the first story told to the last.

    Every year between, not the distinct years of the stories the reader may see: that
    ``DISTINCT`` read every visible story (39 ms at 10,000 on SQLite, on each page of the list),
    where the unfiltered minimum and maximum are two steps down the ``told_on`` index. A year
    without a story the reader may see simply lists nothing; ``user`` is kept for the callers.
    """
    del user
    # Two queries, not one with MIN and MAX: SQLite answers a lone MIN or MAX from the index
    # but scans every story for both at once (62 ms at scale 10).
    first = Story.objects.order_by("told_on").values_list("told_on", flat=True).first()
    if first is None:
        return []
    last = Story.objects.order_by("-told_on").values_list("told_on", flat=True).first()
    return list(range(last.year, first.year - 1, -1))


def rounds_visible_to(user) -> QuerySet[SelectionRound]:
    if not getattr(user, "is_authenticated", False):
        return SelectionRound.objects.none()
    if _reads_all_rounds(user):
        return SelectionRound.objects.all()
    on_panel = Exists(SelectionRound.panel.through.objects.filter(
        selectionround_id=OuterRef("pk"), user_id=user.pk))  # fmt: skip
    return SelectionRound.objects.filter(Q(status=RoundStatus.CLOSED) | Q(on_panel))


def story_detail(*, user, pk: int) -> Story:
    """One story (404 if ``user`` may not read it) with its outcome statements and offerings
    (those the reader may see), tags, and ``entries``: its places in the rounds the reader
    may see, with the panel's choice and reason."""
    from landhub.coordination.selectors import visible_offerings

    if not 0 < pk < 2**63:  # beyond the databases' integers: nothing, not an error
        raise Http404
    story = (
        stories_visible_to(user).filter(pk=pk)
        .select_related("landscape", "storyteller_person", "collected_by")
        .prefetch_related(
            Prefetch("outcomes", queryset=outcome_visible(user)
                     .order_by("title"), to_attr="visible_outcomes"),
            Prefetch("offerings", queryset=visible_offerings(user).order_by("title"),
                     to_attr="visible_offerings"),
            "tags",
        ).first()
    )  # fmt: skip
    if story is None:
        raise Http404
    story.entries = list(
        RoundStory.objects.filter(story=story, round__in=rounds_visible_to(user))
        .select_related("round").order_by("-round__period_end", "-round_id")
    )  # fmt: skip
    story.selections = [e for e in story.entries if e.selected and e.round.status == "closed"]
    return story


def story_history(story) -> list:
    from landhub.core.history import history_entries

    entries = history_entries(story)
    reasons = list(story.history.order_by("-history_date")
                   .values_list("history_change_reason", flat=True)[: len(entries)])  # fmt: skip
    for entry, reason in zip(entries, reasons, strict=False):
        setattr(entry, "reason", reason or "")  # noqa: B010 - HistoryEntry has no such field
    return entries


def _count(**lookup) -> Coalesce:
    from django.db.models import Subquery

    rows = (RoundStory.objects.filter(round=OuterRef("pk"), **lookup).order_by()
            .values("round").annotate(n=Count("pk")).values("n"))  # fmt: skip
    return Coalesce(Subquery(rows, output_field=IntegerField()), V(0))


def round_list(*, user, filters: dict | None = None) -> QuerySet[SelectionRound]:
    """Rounds ``user`` may read. Filters: status (open / closed), domain (``all`` for the
    rounds of every domain), mine (``1``: rounds whose panel ``user`` sits on), q."""
    filters = _clean(filters)
    qs = rounds_visible_to(user)
    if status := filters.get("status"):
        qs = qs.filter(status=status)
    if domain := filters.get("domain"):
        qs = qs.filter(domain="" if domain == "all" else domain)
    if filters.get("mine") == "1" and getattr(user, "is_authenticated", False):
        qs = qs.filter(panel=user)
    if q := filters.get("q", "")[:100]:
        qs = qs.filter(Q(title__icontains=q) | Q(panel_name__icontains=q))
    return qs.annotate(story_count=_count(), selected_count=_count(selected=True))


def round_detail(*, user, pk: int) -> SelectionRound:
    """One round (404 if ``user`` may not read it) with ``entries``: its stories (those the
    reader may read; all of them for the panel and hub staff), each with the panel's choice;
    ``panel_members`` and ``is_panel`` (``user`` sits on it)."""
    if not 0 < pk < 2**63:
        raise Http404
    selection_round = round_list(user=user).filter(pk=pk).first()
    if selection_round is None:
        raise Http404
    members = list(selection_round.panel.order_by("name", "email"))
    selection_round.panel_members = members
    selection_round.is_panel = any(m.pk == user.pk for m in members)
    entries = RoundStory.objects.filter(round=selection_round)
    if not (selection_round.is_panel or _reads_all_rounds(user)):
        entries = entries.filter(story__in=stories_visible_to(user))
    selection_round.entries_shown = list(
        entries.select_related("story__landscape").order_by("-selected", "story__told_on", "id")
    )  # fmt: skip
    return selection_round


def round_selection_log(selection_round, *, limit: int = 100) -> list:
    """Who selected or unselected which story, when, with what reason: the history of the
    round's entries, newest first (the panel's choices are never overwritten unseen)."""
    records = list(
        RoundStory.history.filter(round_id=selection_round.pk)
        .select_related("history_user").order_by("-history_date", "-history_id")[: limit]
    )  # fmt: skip
    titles = dict(Story.objects.filter(pk__in={r.story_id for r in records})
                  .values_list("pk", "title"))  # fmt: skip
    for record in records:
        record.story_title = titles.get(record.story_id, "")
        user = record.history_user
        record.who = (getattr(user, "name", "") or getattr(user, "email", "")) if user else ""
    return records


def stories_for_communications(user) -> QuerySet[Story]:
    """The interface the communications app reads: selected stories it may publish.

    The stories ``user`` may read that a closed selection round selected (``selected_at``
    set), whose storyteller consented to publication (``PUBLISHABLE_CONSENT``: with or
    without their name), not archived; newest selection first. Each row carries:

    - ``name_shown`` (bool): the storyteller consented to be named. When False, publish
      without ``storyteller`` (and without ``storyteller_person``);
    - ``selections``: the closed rounds' selections of the story (``round``, ``reason``),
      the panel's words on why it matters.

    A withdrawn consent takes the story off this list at once (its selections stay), so a
    reader must ask again before each publication rather than keep a copy.
    """
    selections = (RoundStory.objects.filter(selected=True, round__status=RoundStatus.CLOSED)
                  .select_related("round").order_by("-round__closed_at"))  # fmt: skip
    return (
        stories_visible_to(user)
        .filter(selected_at__isnull=False, consent__in=PUBLISHABLE_CONSENT,
                archived_at__isnull=True)
        .select_related("landscape").defer("landscape__boundary")
        .prefetch_related(Prefetch("round_entries", queryset=selections, to_attr="selections"))
        .annotate(name_shown=ExpressionWrapper(Q(consent=Consent.NAMED),
                                              output_field=BooleanField()))
        .order_by("-selected_at", "-id")
    )  # fmt: skip


def register_search_sections() -> None:
    """Called from ``MelConfig.ready``: "Stories of change" in the global search, narrowed
    to the stories each reader may read (none for the anonymous public)."""
    from django.utils.translation import gettext_lazy as _

    from landhub.core.search import SearchSection, register_search_section

    def results(user, q):
        return story_list(user=user, filters={"q": q})

    def hit(story) -> dict:  # a Story
        return {"label": story.title, "url": story.get_absolute_url(),
                "note": f"{story.landscape.name} · {story.get_domain_display()}"}  # fmt: skip

    register_search_section(
        SearchSection("story", _("Stories of change"), results, hit, models=(Story,))
    )
