"""Writes of most significant change: stories of change and selection rounds (issue 6).

A **story** is collected from a landscape by one of its members (or by hub staff and the MEL
reviewers): who told it, in which domain of change, the story in their words and why they
find it significant, and their **consent** — whether and how it may be published. Consent is
recorded or withdrawn on its own (``story_set_consent``) because it is the storyteller's
decision, not an edit of the text; a consent other than "not asked" carries the date it was
given. A story is ``public`` only while its storyteller consents to publication, so
withdrawing consent also takes a public story back to the network.

A **selection round** gives a panel (e.g. the Landscape Leaders Advisory Group) the stories of
a period and a domain. Hub staff set it up and add its stories (``round_add_stories``); each
panel member (or hub staff) selects stories **with the panel's reason** (``round_select``);
hub staff close the round with the notes of the discussion (``round_close``), which marks the
selected stories (``Story.selected_at``) so lists and communications find them without
reading the rounds. A closed round takes no changes.

Notifications (``core.services.notify``): ``mel.round_opened`` to the panel when a round first
has stories (and to members added later), ``mel.story_selected`` to the story's collector and
its landscape's leaders when the closed round selected it — at closing, because until then
the panel may still change its mind.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from django.conf.locale import LANG_INFO
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from landhub.core.models import Visibility
from landhub.core.services import notify
from landhub.core.versioning import check_version, save_versioned

from ..models import (
    PUBLISHABLE_CONSENT,
    ChangeDomain,
    Consent,
    RoundStatus,
    RoundStory,
    SelectionRound,
    Story,
)
from ..models.outcomes import TAG_VOCABULARIES
from ..rules import can

__all__ = [
    "STORY_FIELDS",
    "ROUND_FIELDS",
    "story_language_choices",
    "story_create",
    "story_update",
    "story_set_consent",
    "story_archive",
    "round_create",
    "round_update",
    "round_add_stories",
    "round_select",
    "round_close",
]

# What ``story_update`` may change (consent has its own service; the collector never changes).
STORY_FIELDS = (
    "title", "landscape", "storyteller", "storyteller_role", "storyteller_person", "domain",
    "told_on", "language", "story", "why_significant", "visibility",
)  # fmt: skip
STORY_RELATIONS = ("outcomes", "offerings", "tags")
ROUND_FIELDS = ("title", "panel_name", "domain", "period_start", "period_end", "held_on")

_LANGUAGE = re.compile(r"^[a-z]{2,3}$")


def story_language_choices() -> list[tuple[str, str]]:
    """Languages a story may be told in: every language Django knows by a plain ISO 639
    code (Swahili, Amharic, Quechua … not only the four of the interface), by English name."""
    codes = [(code, info["name"]) for code, info in LANG_INFO.items()
             if _LANGUAGE.match(code) and "name" in info]  # fmt: skip
    return sorted(codes, key=lambda pair: pair[1])


# --- checks ----------------------------------------------------------------------------------


def _may_collect(actor, landscape) -> None:
    if not can(actor, "mel.collect_story", landscape):
        raise PermissionDenied(
            _("A landscape's members, hub staff and MEL reviewers collect its stories.")
        )


def _may_change(actor, story) -> None:
    if not can(actor, "mel.change_story", story):
        raise PermissionDenied(
            _("The story's collector, its landscape's leaders, hub staff and MEL reviewers "
              "change a story.")
        )  # fmt: skip


def _may_run(actor) -> None:
    if not can(actor, "mel.run_round"):
        raise PermissionDenied(_("Hub staff set up and close selection rounds."))


def _open(selection_round) -> None:
    if selection_round.status == RoundStatus.CLOSED:
        raise ValidationError(_("This round is closed; it takes no changes."))


def _not_archived(story) -> None:
    if story.archived_at is not None:
        raise ValidationError(_("This story is archived; restore it before changing it."))


def _check_story_fields(values: dict, errors: dict) -> None:
    """Field messages a person can act on, before ``full_clean`` (which says less)."""
    landscape = values.get("landscape")
    if landscape is not None and landscape.archived_at is not None:
        errors.setdefault("landscape", []).append(_("This landscape is archived."))
    told_on = values.get("told_on")
    if told_on is not None and told_on > timezone.localdate():
        errors.setdefault("told_on", []).append(
            _("The day the story was told cannot be in the future.")
        )
    language = (values.get("language") or "").strip().lower()
    if language and not (_LANGUAGE.match(language) and language in LANG_INFO):
        errors.setdefault("language", []).append(
            _("Choose a language by its code, such as en, es, sw or am.")
        )
    if values.get("domain") not in ChangeDomain.values:
        errors.setdefault("domain", []).append(_("Choose a domain of change."))
    if values.get("visibility") not in Visibility.values:
        errors.setdefault("visibility", []).append(_("Choose who may read the story."))
    for key in ("title", "storyteller", "story", "why_significant"):
        if not (values.get(key) or "").strip():
            errors.setdefault(key, []).append(_("This field is required."))


def _check_consent(consent: str, recorded_on, errors: dict) -> None:
    if consent not in Consent.values:
        errors.setdefault("consent", []).append(_("Choose the storyteller's consent."))
        return
    if consent != Consent.NOT_ASKED and recorded_on is None:
        errors.setdefault("consent_recorded_on", []).append(
            _("Give the date the storyteller's consent was recorded.")
        )
    if recorded_on is not None and recorded_on > timezone.localdate():
        errors.setdefault("consent_recorded_on", []).append(
            _("The day consent was recorded cannot be in the future.")
        )


def _check_public(visibility: str, consent: str, errors: dict) -> None:
    """Anyone may read a public story: only with the storyteller's consent to publication."""
    if visibility == Visibility.PUBLIC and consent not in PUBLISHABLE_CONSENT:
        errors.setdefault("visibility", []).append(
            _("A story is public only when its storyteller consented to publication.")
        )


def _relations(actor, *, outcomes=None, offerings=None, tags=None, kept=None) -> dict:
    """The related records, each one the actor may see (tags: of the four vocabularies).

    ``kept`` (ids by key) are the outcome statements and offerings the story links already:
    they stay without the check, so an edit keeps a link to an outcome statement archived
    since, or to one its editor may not read, instead of refusing the whole save."""
    from landhub.coordination.models import Offering
    from landhub.coordination.selectors import visible_offerings
    from landhub.directory.models import Term

    from ..models import OutcomeStatement
    from ..selectors.outcomes import outcome_visible

    kept = kept or {}
    models = {"outcomes": OutcomeStatement, "offerings": Offering}
    errors: dict = {}
    found: dict = {}
    checks = (
        ("outcomes", outcomes, lambda ids: outcome_visible(actor)
         .filter(pk__in=ids, archived_at__isnull=True)),
        ("offerings", offerings, lambda ids: visible_offerings(actor).filter(pk__in=ids)),
        ("tags", tags, lambda ids: Term.objects.filter(pk__in=ids, is_active=True,
                                                       vocabulary__in=TAG_VOCABULARIES)),
    )  # fmt: skip
    for key, given, lookup in checks:
        if given is None:
            continue
        ids = _ids(given)
        old = ids & kept.get(key, set())
        new = ids - old
        # By primary key: a visibility filter that joins a many-to-many may repeat a row.
        rows = {row.pk: row for row in lookup(new)} if new else {}
        if old:
            rows.update({row.pk: row for row in models[key].objects.filter(pk__in=old)})
        if len(rows) != len(ids):
            errors[key] = [_("Choose from the list: one of these is unknown or not yours to link.")]
        found[key] = list(rows.values())
    if errors:
        raise ValidationError(errors)
    return found


MAX_ID = 2**63  # ids beyond the databases' integers name nothing (and must not overflow)


def _ids(given) -> set:
    """Primary keys of records or ids; those no database could hold become 0 (unknown)."""
    ids = set()
    for item in given:
        pk = getattr(item, "pk", item)
        ids.add(pk if isinstance(pk, int) and 0 < pk < MAX_ID else 0)
    return ids


def _restore(instance, values: dict) -> None:
    for key, value in values.items():
        setattr(instance, key, value)


def _date(value, errors: dict, key: str):
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        errors.setdefault(key, []).append(_("Enter a date as YYYY-MM-DD."))
        return None


def _full_clean(instance, errors: dict, *, exclude=()) -> None:
    try:
        instance.full_clean(exclude=list(exclude), validate_unique=False)
    except ValidationError as exc:
        for key, messages in exc.message_dict.items():
            if key not in errors:
                errors[key] = messages
    if errors:
        raise ValidationError(errors)


# --- stories ---------------------------------------------------------------------------------


@transaction.atomic
def story_create(
    *, actor, title: str, landscape, storyteller: str, domain: str, told_on, story: str,
    why_significant: str, storyteller_role: str = "", storyteller_person=None,
    language: str = "en", consent: str = "not_asked", consent_recorded_on=None,
    consent_note: str = "", outcomes: Iterable = (), offerings: Iterable = (),
    tags: Iterable = (), visibility: str = "network",
) -> Story:  # fmt: skip
    """Record a story told in ``landscape`` (its members, hub staff, MEL reviewers)."""
    _may_collect(actor, landscape)
    errors: dict = {}
    told_on = _date(told_on, errors, "told_on")
    consent_recorded_on = _date(consent_recorded_on, errors, "consent_recorded_on")
    values = {"title": (title or "").strip(), "landscape": landscape,
              "storyteller": (storyteller or "").strip(),
              "storyteller_role": (storyteller_role or "").strip(),
              "storyteller_person": storyteller_person, "domain": domain, "told_on": told_on,
              "language": (language or "en").strip().lower(), "story": (story or "").strip(),
              "why_significant": (why_significant or "").strip(),
              "visibility": visibility}  # fmt: skip
    _check_story_fields(values, errors)
    _check_consent(consent, consent_recorded_on, errors)
    _check_public(visibility, consent, errors)
    if consent == Consent.NOT_ASKED:  # a date or a note of a consent not asked means nothing
        consent_recorded_on, consent_note = None, ""
    instance = Story(**values, consent=consent, consent_recorded_on=consent_recorded_on,
                     consent_note=(consent_note or "").strip(), collected_by=actor)  # fmt: skip
    _full_clean(instance, errors, exclude=("collected_by",))
    related = _relations(actor, outcomes=list(outcomes), offerings=list(offerings),
                         tags=list(tags))  # fmt: skip
    instance._history_user = actor
    instance.save()
    for key, rows in related.items():
        getattr(instance, key).set(rows)
    return instance


@transaction.atomic
def story_update(*, actor, story: Story, version: int | None, changes: dict) -> Story:
    """Change a story's text and facts (``changes`` keyed by ``STORY_FIELDS``; the text is
    ``"story"``, hence a dict and not keyword arguments) and its links (``outcomes``,
    ``offerings``, ``tags``: the whole new list). Its collector, its landscape's leaders, hub
    staff and reviewers; a stale ``version`` raises ``ConflictError``."""
    _may_change(actor, story)
    changes = dict(changes)
    unknown = set(changes) - set(STORY_FIELDS) - set(STORY_RELATIONS)
    if unknown:
        raise ValidationError({key: [_("This field cannot be changed here.")]
                               for key in sorted(unknown)})  # fmt: skip
    check_version(story, version)
    _not_archived(story)
    new_landscape = changes.get("landscape")
    if new_landscape is not None and new_landscape.pk != story.landscape_id:
        _may_collect(actor, new_landscape)  # moving a story needs a right in both landscapes
    errors: dict = {}
    for key in ("told_on",):
        if key in changes:
            changes[key] = _date(changes[key], errors, key)
    for key in ("title", "storyteller", "storyteller_role", "story", "why_significant"):
        if key in changes:
            changes[key] = (changes[key] or "").strip()
    if "language" in changes:
        changes["language"] = (changes["language"] or "en").strip().lower()
    before = {key: getattr(story, key) for key in STORY_FIELDS}
    for key in STORY_FIELDS:
        if key in changes:
            setattr(story, key, changes[key])
    try:
        _check_story_fields({key: getattr(story, key) for key in STORY_FIELDS}, errors)
        _check_public(story.visibility, story.consent, errors)
        _full_clean(story, errors, exclude=("collected_by",))
        kept = {key: set(getattr(story, key).values_list("pk", flat=True))
                for key in ("outcomes", "offerings") if key in changes}  # fmt: skip
        related = _relations(actor, kept=kept, **{key: list(changes[key])
                                                  for key in STORY_RELATIONS
                                                  if key in changes})  # fmt: skip
    except ValidationError:
        _restore(story, before)  # the caller's object shows the stored story, not the refused
        raise
    story._history_user = actor
    save_versioned(story, expected_version=version)
    for key, rows in related.items():
        getattr(story, key).set(rows)
    return story


@transaction.atomic
def story_set_consent(
    *, actor, story: Story, version: int | None, consent: str, recorded_on=None, note: str = ""
) -> Story:
    """Record the storyteller's consent, or its withdrawal (any consent that is not to
    publication). A withdrawal keeps the story's selections but takes it off the
    communications list at once, and a public story back to the network."""
    _may_change(actor, story)
    check_version(story, version)
    errors: dict = {}
    recorded_on = _date(recorded_on, errors, "consent_recorded_on")
    _check_consent(consent, recorded_on, errors)
    if errors:
        raise ValidationError(errors)
    was_publishable = story.publishable
    if consent == Consent.NOT_ASKED:
        recorded_on, note = None, ""
    story.consent, story.consent_recorded_on = consent, recorded_on
    story.consent_note = (note or "").strip()
    if story.visibility == Visibility.PUBLIC and not story.publishable:
        story.visibility = Visibility.NETWORK
    if was_publishable and not story.publishable:
        story._change_reason = _("Consent to publication withdrawn")
    story._history_user = actor
    save_versioned(story, expected_version=version)
    return story


@transaction.atomic
def story_archive(*, actor, story: Story, version: int | None = None,
                  archived: bool = True) -> Story:  # fmt: skip
    """Archive a story (it leaves the lists and the communications list; nothing is
    deleted, its rounds keep it) or, with ``archived=False``, restore it."""
    _may_change(actor, story)
    check_version(story, version)
    if archived and story.archived_at is not None:
        raise ValidationError(_("This story is already archived."))
    if not archived and story.archived_at is None:
        raise ValidationError(_("This story is not archived."))
    story.archived_at = timezone.now() if archived else None
    story._history_user = actor
    save_versioned(story, expected_version=version, update_fields=["archived_at"])
    return story


# --- selection rounds ------------------------------------------------------------------------


def _check_round(values: dict, errors: dict) -> None:
    for key in ("title", "panel_name"):
        if not (values.get(key) or "").strip():
            errors.setdefault(key, []).append(_("This field is required."))
    if values.get("domain") and values["domain"] not in ChangeDomain.values:
        errors.setdefault("domain", []).append(_("Choose a domain of change, or every domain."))
    start, end = values.get("period_start"), values.get("period_end")
    if start is None and "period_start" not in errors:
        errors["period_start"] = [_("Give the first day of the period.")]
    if end is None and "period_end" not in errors:
        errors["period_end"] = [_("Give the last day of the period.")]
    if start and end and end < start:
        errors.setdefault("period_end", []).append(_("The period ends before it starts."))


def _panel_users(panel) -> list:
    users = list(panel)
    inactive = [u for u in users if not u.is_active]
    if inactive:
        raise ValidationError({"panel": [
            _("%(name)s cannot sign in, so cannot sit on the panel.")
            % {"name": getattr(inactive[0], "name", "") or inactive[0].email}]})  # fmt: skip
    return users


def _tell_panel(selection_round, users) -> None:
    notify(recipients=users, kind="mel.round_opened",
           title=_("Stories to read for %(round)s") % {"round": selection_round.title},
           body=_("The panel %(panel)s selects the most significant changes; read the stories "
                  "and say which you select, and why.") % {"panel": selection_round.panel_name},
           url=selection_round.get_absolute_url())  # fmt: skip


@transaction.atomic
def round_create(
    *, actor, title: str, panel_name: str, period_start, period_end, panel: Iterable = (),
    domain: str = "", held_on=None,
) -> SelectionRound:  # fmt: skip
    """Set up a selection round (hub staff): its panel, the domain (empty: every domain) and
    the period whose stories it reads. Stories are added next (``round_add_stories``)."""
    _may_run(actor)
    errors: dict = {}
    values = {"title": (title or "").strip(), "panel_name": (panel_name or "").strip(),
              "domain": domain or "",
              "period_start": _date(period_start, errors, "period_start"),
              "period_end": _date(period_end, errors, "period_end"),
              "held_on": _date(held_on, errors, "held_on")}  # fmt: skip
    _check_round(values, errors)
    users = _panel_users(panel)
    instance = SelectionRound(**values, created_by=actor)
    _full_clean(instance, errors, exclude=("created_by",))
    instance._history_user = actor
    instance.save()
    instance.panel.set(users)
    return instance


@transaction.atomic
def round_update(*, actor, selection_round: SelectionRound, version: int | None,
                 panel: Iterable | None = None, **changes) -> SelectionRound:  # fmt: skip
    """Change an open round (``ROUND_FIELDS`` and the panel); members added to the panel of
    a round that has stories are told."""
    _may_run(actor)
    unknown = set(changes) - set(ROUND_FIELDS)
    if unknown:
        raise ValidationError({key: [_("This field cannot be changed here.")]
                               for key in sorted(unknown)})  # fmt: skip
    check_version(selection_round, version)
    _open(selection_round)
    errors: dict = {}
    for key in ("period_start", "period_end", "held_on"):
        if key in changes:
            changes[key] = _date(changes[key], errors, key)
    for key in ("title", "panel_name"):
        if key in changes:
            changes[key] = (changes[key] or "").strip()
    if "domain" in changes:
        changes["domain"] = changes["domain"] or ""
    before = {key: getattr(selection_round, key) for key in ROUND_FIELDS}
    for key, value in changes.items():
        setattr(selection_round, key, value)
    try:
        _check_round({key: getattr(selection_round, key) for key in ROUND_FIELDS}, errors)
        _full_clean(selection_round, errors, exclude=("created_by",))
        users = _panel_users(panel) if panel is not None else None
    except ValidationError:
        _restore(selection_round, before)
        raise
    selection_round._history_user = actor
    save_versioned(selection_round, expected_version=version)
    if users is not None:
        members_before = set(selection_round.panel.values_list("pk", flat=True))
        selection_round.panel.set(users)
        added = [u for u in users if u.pk not in members_before]
        if added and selection_round.entries.exists():
            _tell_panel(selection_round, added)
    return selection_round


def _default_stories(actor, selection_round):
    """Every story the actor may see told in the round's period (and domain), not archived.
    Restricted stories join only when chosen: the panel reads every story of its round."""
    qs = Story.objects.visible_to(actor).filter(
        archived_at__isnull=True, told_on__gte=selection_round.period_start,
        told_on__lte=selection_round.period_end,
    ).exclude(visibility=Visibility.RESTRICTED)  # fmt: skip
    if selection_round.domain:
        qs = qs.filter(domain=selection_round.domain)
    return qs


@transaction.atomic
def round_add_stories(*, actor, selection_round: SelectionRound, stories=None) -> int:
    """Put stories before the panel: by default every story told in the round's period and
    domain (see ``_default_stories``); or the ``stories`` chosen (any the actor may see, not
    archived). Stories already in the round are skipped. Returns how many were added. The
    panel is told when the round first has stories."""
    _may_run(actor)
    selection_round = SelectionRound.objects.select_for_update().get(pk=selection_round.pk)
    _open(selection_round)
    if stories is None:
        chosen = list(_default_stories(actor, selection_round).only("pk"))
    else:
        ids = _ids(stories)
        chosen = list(Story.objects.visible_to(actor).filter(pk__in=ids,
                                                             archived_at__isnull=True))  # fmt: skip
        if len(chosen) != len(ids):
            raise ValidationError({"stories": [
                _("Choose stories from the list: one is unknown or archived.")]})  # fmt: skip
    present = set(selection_round.entries.values_list("story_id", flat=True))
    new = [RoundStory(round=selection_round, story=s) for s in chosen if s.pk not in present]
    if not new:
        return 0
    bulk_create_with_history(new, RoundStory, default_user=actor)
    if not present:
        _tell_panel(selection_round, selection_round.panel.filter(is_active=True))
    return len(new)


@transaction.atomic
def round_select(*, actor, selection_round: SelectionRound, story, selected: bool = True,
                 reason: str = "") -> RoundStory:  # fmt: skip
    """A panel member or hub staff selects a story of the round, with the panel's reason
    (required), or unselects it. The entry's history keeps who chose what, when."""
    if not can(actor, "mel.select_story", selection_round):
        raise PermissionDenied(_("The round's panel and hub staff select stories."))
    # Locked, so a selection and the closing of the round cannot cross.
    selection_round = SelectionRound.objects.select_for_update().get(pk=selection_round.pk)
    _open(selection_round)
    story_id = next(iter(_ids([story])))
    entry = RoundStory.objects.filter(round=selection_round, story_id=story_id).first()
    if entry is None:
        raise ValidationError({"story": [_("This story is not before this round's panel.")]})
    reason = (reason or "").strip()
    if selected and not reason:
        raise ValidationError({"reason": [_("Say why the panel selects this story.")]})
    entry.selected = bool(selected)
    entry.reason = reason if selected else ""
    entry._history_user = actor
    entry.save()
    return entry


@transaction.atomic
def round_close(*, actor, selection_round: SelectionRound, version: int | None,
                notes: str = "") -> SelectionRound:  # fmt: skip
    """Close a round (hub staff) with the notes of the discussion: its selected stories are
    marked ``selected_at`` (their first selection is kept) and their collectors and
    landscape leaders told. A round with no selected story cannot be closed."""
    from landhub.directory.models import LandscapeMembership, LandscapeRole

    _may_run(actor)
    check_version(selection_round, version)
    _open(selection_round)
    selected = list(
        RoundStory.objects.filter(round=selection_round, selected=True)
        .select_related("story__landscape", "story__collected_by")
    )  # fmt: skip
    if not selected:
        raise ValidationError(
            _("The panel has selected no story yet: select at least one, with its reason, "
              "before closing the round.")
        )  # fmt: skip
    now = timezone.now()
    selection_round.status = RoundStatus.CLOSED
    selection_round.closed_at = now
    selection_round.notes = (notes or "").strip()
    selection_round._history_user = actor
    save_versioned(selection_round, expected_version=version)
    today = timezone.localdate()
    leaders: dict[int, list] = {}
    for membership in (
        LandscapeMembership.objects.filter(
            landscape_id__in={e.story.landscape_id for e in selected},
            role=LandscapeRole.LEADER,
            person__user__isnull=False,
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .select_related("person__user")
    ):
        leaders.setdefault(membership.landscape_id, []).append(membership.person.user)  # fmt: skip
    for entry in selected:
        story = entry.story
        if story.selected_at is None:
            story.selected_at = now
            story._change_reason = _("Selected by %(round)s") % {"round": selection_round.title}
            story._history_user = actor
            story.save(update_fields=["selected_at"])
        recipients = [story.collected_by, *leaders.get(story.landscape_id, [])]
        notify(recipients=[u for u in recipients if u is not None and u.pk != actor.pk],
               kind="mel.story_selected",
               title=_("Selected as most significant: %(story)s") % {"story": story.title},
               body=_("%(panel)s selected it: %(reason)s")
               % {"panel": selection_round.panel_name, "reason": entry.reason},
               url=story.get_absolute_url())  # fmt: skip
    return selection_round
