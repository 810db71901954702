"""Forms of most significant change: stories, consent, selection rounds. They parse input;
the services in ``services/stories.py`` decide (and their messages land beside the fields,
whose names match the services' error keys).

The story form names outcome statements and offerings by typing, with suggestions
(``mel:learning_suggest``, kinds ``outcome`` and ``offering``; the pattern of the learning
forms), never in a select of every record: at scale there are thousands of outcome statements
and 20,000 offerings, and a select cut at the first N by title made the others impossible to
link. The landscape stays a select for someone who collects for a few landscapes (a member's
one or two) and becomes a typed box for hub staff and MEL reviewers, who collect for all 1,000.
"""

from __future__ import annotations

import re

from django import forms
from django.conf.locale import LANG_INFO
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse_lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from landhub.core.forms import FastSelect, FastSelectMultiple, StyledFormMixin
from landhub.core.models import Visibility

from ..models import ChangeDomain, Consent, RoundStatus
from ..models.outcomes import TAG_VOCABULARIES
from .learning import KIND_NOUNS, SUGGEST_URL, RecordsField, label_boxes, resolve, suggestion_label

# Up to this many landscapes to collect for, the landscape is a select; beyond, a typed box.
LANDSCAPE_SELECT_LIMIT = 50
_ID = re.compile(r"\(#(\d+)\)\s*$")  # the "(#id)" that ends a suggestion's label


def _fits(value) -> bool:
    """Whether an id could be in the database: beyond its integers, SQLite overflows."""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return True  # not a number: Django's own check says "not one of the choices"
    return -(2**63) <= number < 2**63


class ModelChoice(forms.ModelChoiceField):
    """A model choice that calls a huge id not one of the choices instead of failing."""

    def to_python(self, value):
        if value not in self.empty_values and not _fits(value):
            raise forms.ValidationError(self.error_messages["invalid_choice"],
                                        code="invalid_choice")  # fmt: skip
        return super().to_python(value)


class LinkedRecordsField(RecordsField):
    """Outcome statements or offerings named by typing (see ``RecordsField``: a suggestion
    "Title (#id)" or a unique title, among what the user may read; a name matching none or
    several is refused with a message saying so).

    ``linked`` holds the records the edited story already links and the form shows: each is
    kept by its "(#id)" even when it is no longer offered (an outcome statement archived since
    it was linked), so saving a story never drops or refuses a link nobody touched."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.linked: dict = {}

    def clean(self, value):
        names = [v.strip() for v in (value or []) if v and v.strip()]
        names = list(dict.fromkeys(names))[:100]
        records, errors = [], []
        for name in names:
            try:
                records.append(self._named(name))
            except forms.ValidationError as exc:
                errors.extend(exc.messages)
        if errors:
            raise forms.ValidationError(errors)
        return list(dict.fromkeys(records))

    def _named(self, name: str):
        match = _ID.search(name)
        if match:
            pk = int(match.group(1))
            if pk in self.linked:
                return self.linked[pk]
            if not _fits(pk):  # no database holds it: look for the title alone
                name = name[: match.start()].strip() or name[:40]
        return resolve(self.kind, name, self.user)


class LandscapeBox(forms.CharField):
    """One landscape named by typing, for those who collect for many: a suggestion
    "Name (#id)", its id or slug (links say ``?landscape=<id>``) or its unique name, among
    ``queryset`` (the landscapes the person may collect for)."""

    def __init__(self, *, queryset, **kwargs):
        kwargs.setdefault("max_length", 300)
        super().__init__(**kwargs)
        self.queryset = queryset
        self.widget = forms.TextInput(attrs={
            "list": "landscape-suggestions", "autocomplete": "off",
            "data-autocomplete-url": format_lazy("{}?kind=landscape", SUGGEST_URL),
        })  # fmt: skip

    def prepare_value(self, value):
        if value is not None and hasattr(value, "pk"):
            return suggestion_label(value)
        return value or ""

    def clean(self, value):
        text = (super().clean(value) or "").strip()
        return landscape_named(text, self.queryset) if text else None


def landscape_named(text: str, queryset):
    """The one landscape of ``queryset`` that ``text`` names (see ``LandscapeBox``), or a
    ValidationError saying why not."""
    text = text.strip()[:300]
    match = _ID.search(text)
    wanted = match.group(1) if match else (text if text.isdigit() else None)
    if wanted is not None and _fits(wanted):
        found = queryset.filter(pk=int(wanted)).first()
        if found is not None:
            return found
    if match:
        text = text[: match.start()].strip()
    if text and len(text) <= 100 and not text.isdigit():
        found = queryset.filter(slug=text).first()
        if found is not None:
            return found
    found = list(queryset.filter(name__iexact=text)[:2])
    if len(found) == 1:
        return found[0]
    values = {"noun": KIND_NOUNS["landscape"], "name": text}
    if found:
        raise forms.ValidationError(
            gettext("More than one %(noun)s is called “%(name)s”: choose from the suggestions.")
            % values
        )  # fmt: skip
    raise forms.ValidationError(
        gettext("No %(noun)s called “%(name)s” was found: choose from the suggestions.") % values
    )


def _date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def tag_choices() -> list[tuple[int, str]]:
    from landhub.directory.models import Term, Vocabulary

    names = dict(Vocabulary.choices)
    terms = Term.objects.filter(vocabulary__in=TAG_VOCABULARIES, is_active=True).order_by(
        "vocabulary", "sort_order", "name_en")  # fmt: skip
    return [(t.pk, f"{names.get(t.vocabulary, t.vocabulary)} · {t.name}") for t in terms]


def language_name(code: str) -> str:
    info = LANG_INFO.get(code or "")
    return info.get("name", code) if info else (code or "")


def collectable_landscapes(user):
    """The landscapes ``user`` may collect stories for (``mel.collect_story``)."""
    from landhub.core.access import is_hub_staff
    from landhub.directory.models import Landscape, LandscapeMembership

    from ..rules import is_designated_reviewer

    qs = Landscape.objects.active().order_by("name")
    if is_hub_staff(user) or is_designated_reviewer(user):
        return qs
    return qs.filter(pk__in=LandscapeMembership.objects.filter(person__user=user)
                     .values("landscape_id"))  # fmt: skip


class StoryForm(StyledFormMixin, forms.Form):
    """A story as collected; consent is asked here when the story is new, and changed later
    on its own form (it is the storyteller's decision, not an edit)."""

    title = forms.CharField(label=_("Title"), max_length=200)
    landscape = ModelChoice(label=_("Landscape"), queryset=None, widget=FastSelect)
    storyteller = forms.CharField(label=_("Storyteller"), max_length=200,
                                  help_text=_("Who told the story."))  # fmt: skip
    storyteller_role = forms.CharField(
        label=_("Storyteller's role"), max_length=200, required=False,
        help_text=_("e.g. farmer, district officer, partnership coordinator."),
    )  # fmt: skip
    storyteller_email = forms.EmailField(
        label=_("Storyteller in the directory (e-mail)"), required=False,
        help_text=_("Optional: links the story to the person's directory entry."),
    )  # fmt: skip
    domain = forms.ChoiceField(label=_("Domain of change"), choices=ChangeDomain.choices)
    told_on = forms.DateField(label=_("Told on"), widget=_date_input())
    language = forms.ChoiceField(label=_("Language"), choices=[], initial="en",
                                 widget=FastSelect)  # fmt: skip
    story = forms.CharField(label=_("The story"), widget=forms.Textarea(attrs={"rows": 10}),
                            help_text=_("In the storyteller's words. Markdown."))  # fmt: skip
    why_significant = forms.CharField(
        label=_("Why the storyteller finds it significant"),
        widget=forms.Textarea(attrs={"rows": 4}),
    )  # fmt: skip
    consent = forms.ChoiceField(label=_("Storyteller's consent"), choices=Consent.choices,
                                initial=Consent.NOT_ASKED)  # fmt: skip
    consent_recorded_on = forms.DateField(label=_("Consent recorded on"), required=False,
                                          widget=_date_input())  # fmt: skip
    consent_note = forms.CharField(
        label=_("How consent was given"), required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("e.g. signed form kept by the landscape partnership, recorded verbally."),
    )  # fmt: skip
    outcomes = LinkedRecordsField(
        kind="outcome", label=_("Related outcome statements"),
        help_text=_("Type a few words of the title and choose from the suggestions; save to "
                    "get more boxes."),
    )  # fmt: skip
    offerings = LinkedRecordsField(
        kind="offering", label=_("Offerings it speaks of"),
        help_text=_("Type a few words of the offering's title and choose from the "
                    "suggestions."),
    )  # fmt: skip
    tags = forms.TypedMultipleChoiceField(
        label=_("Tags"), required=False, coerce=int, choices=[],
        widget=FastSelectMultiple(attrs={"size": 6}),
        help_text=_("Themes, capabilities, SDGs and ILM elements."),
    )  # fmt: skip
    visibility = forms.ChoiceField(
        label=_("Who may read it"), choices=Visibility.choices, initial=Visibility.NETWORK,
        help_text=_("Public only with the storyteller's consent to publication."),
    )  # fmt: skip
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user, story=None, **kwargs):
        from ..services import story_language_choices

        super().__init__(*args, **kwargs)
        landscapes = collectable_landscapes(user)
        if story is not None:
            # Its own landscape stays a choice for whoever may edit it (a leader who is not
            # a member, a collector who left).
            landscapes = (
                type(story.landscape)
                .objects.filter(Q(pk__in=landscapes.values("pk")) | Q(pk=story.landscape_id))
                .order_by("name")
            )
            for key in ("consent", "consent_recorded_on", "consent_note"):
                del self.fields[key]
        self._offer_landscapes(landscapes)
        self.fields["language"].choices = story_language_choices()
        self.fields["tags"].choices = tag_choices()
        for key in ("outcomes", "offerings"):
            self.fields[key].user = user
        # Links of the edited story the editor may not read (an unpublished outcome statement
        # of its author, a draft offering of its provider): not shown, and kept on saving.
        self.unseen_links: dict[str, list] = {"outcomes": [], "offerings": []}
        if story is not None:
            self.initial.update({
                **{key: getattr(story, key) for key in (
                    "title", "storyteller", "storyteller_role", "domain", "told_on", "language",
                    "story", "why_significant", "visibility", "version")},
                "landscape": story.landscape if self.landscape_typed else story.landscape_id,
                "storyteller_email": story.storyteller_person.email
                if story.storyteller_person_id else "",
                "tags": [t.pk for t in story.tags.all()],
            })  # fmt: skip
            self._show_links(user, story)
        elif self.landscape_typed and self.initial.get("landscape"):
            # ``?landscape=<id>`` from a landscape's page: the box shows its name.
            try:
                self.initial["landscape"] = landscape_named(
                    str(self.initial["landscape"]), landscapes)  # fmt: skip
            except forms.ValidationError:
                self.initial["landscape"] = ""
        label_boxes(self)

    def _offer_landscapes(self, landscapes) -> None:
        """A select of the few landscapes the person collects for (one query), or a typed box
        with suggestions when they are many (hub staff and reviewers: every landscape)."""
        few = list(landscapes.values_list("pk", "name")[: LANDSCAPE_SELECT_LIMIT + 1])
        self.landscape_typed = len(few) > LANDSCAPE_SELECT_LIMIT
        field = self.fields["landscape"]
        if self.landscape_typed:
            box = LandscapeBox(queryset=landscapes, label=field.label,
                               help_text=_("Type a few letters of its name and choose from "
                                           "the suggestions."))  # fmt: skip
            box.widget.attrs["class"] = "form-control"
            self.fields["landscape"] = box
        else:
            field.queryset = landscapes
            field.choices = [("", "—")] + few

    def _show_links(self, user, story) -> None:
        """The story's outcome statements and offerings in the boxes ("Title (#id)"), those
        the editor may read; the others are kept unseen (``unseen_links``)."""
        from landhub.coordination.selectors import visible_offerings

        from ..selectors.outcomes import outcome_visible

        readable = {"outcomes": outcome_visible(user), "offerings": visible_offerings(user)}
        for key, visible in readable.items():
            linked = sorted(getattr(story, key).all(), key=lambda r: (r.title, r.pk))
            if not linked:
                continue
            seen = set(visible.filter(pk__in=[r.pk for r in linked])
                       .values_list("pk", flat=True))  # fmt: skip
            shown = [r for r in linked if r.pk in seen]
            self.fields[key].linked = {r.pk: r for r in shown}
            self.unseen_links[key] = [r for r in linked if r.pk not in seen]
            self.initial[key] = shown
            if unseen := len(self.unseen_links[key]):
                note = ngettext("%(count)s more is linked that you may not read; it is kept.",
                                "%(count)s more are linked that you may not read; they are "
                                "kept.", unseen) % {"count": unseen}  # fmt: skip
                self.fields[key].help_text = f"{self.fields[key].help_text} {note}"

    def clean_storyteller_email(self):
        from landhub.directory.models import Person

        email = (self.cleaned_data.get("storyteller_email") or "").strip()
        if not email:
            return None
        person = Person.objects.filter(email__iexact=email).first() or Person.objects.filter(
            user__email__iexact=email).first()  # fmt: skip
        if person is None:
            raise forms.ValidationError(_("Nobody in the directory has this e-mail."))
        return person

    def service_kwargs(self) -> dict:
        """What the services take, from the cleaned data."""
        data = dict(self.cleaned_data)
        data["storyteller_person"] = data.pop("storyteller_email", None)
        data.pop("version", None)
        for key in ("outcomes", "offerings"):
            data[key] = [*(data.get(key) or []), *self.unseen_links[key]]
        data["tags"] = list(data.get("tags") or [])
        return data


class ConsentForm(StyledFormMixin, forms.Form):
    consent = forms.ChoiceField(label=_("Storyteller's consent"), choices=Consent.choices)
    consent_recorded_on = forms.DateField(label=_("Recorded on"), required=False,
                                          widget=_date_input())  # fmt: skip
    consent_note = forms.CharField(label=_("How consent was given"), required=False,
                                   widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, story, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.update({"consent": story.consent, "version": story.version,
                             "consent_recorded_on": story.consent_recorded_on,
                             "consent_note": story.consent_note})  # fmt: skip


class StoryFilterForm(StyledFormMixin, forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    # Typed, with suggestions: a select of every landscape was 10,000 options at scale 10
    # (360 ms of Django building choices on each page of the list). A slug or a name.
    landscape = forms.CharField(
        label=_("Landscape"), required=False, max_length=200,
        widget=forms.TextInput(attrs={
            "list": "landscape-filter-suggestions", "autocomplete": "off",
            "data-autocomplete-url": format_lazy("{}?type=landscape",
                                                 reverse_lazy("directory:autocomplete")),
            "placeholder": _("Type a name")}),
    )  # fmt: skip
    region = forms.ChoiceField(label=_("Region"), required=False, choices=[])
    domain = forms.ChoiceField(label=_("Domain of change"), required=False,
                               choices=[("", _("Any"))] + ChangeDomain.choices)  # fmt: skip
    language = forms.ChoiceField(label=_("Language"), required=False, choices=[])
    consent = forms.ChoiceField(label=_("Consent"), required=False,
                                choices=[("", _("Any"))] + Consent.choices)  # fmt: skip
    selected = forms.ChoiceField(label=_("Selected"), required=False, choices=[
        ("", _("Any")), ("yes", _("Selected as most significant")),
        ("no", _("Not selected"))])  # fmt: skip
    tag = forms.ChoiceField(label=_("Tag"), required=False, choices=[])
    year = forms.ChoiceField(label=_("Told in"), required=False, choices=[])

    def __init__(self, *args, user, **kwargs):
        from landhub.core.counts import cached_result
        from landhub.directory.models import Landscape, Term

        from ..selectors import stories_visible_to, story_years

        super().__init__(*args, **kwargs)
        landscapes = Landscape.objects.visible_to(user).active()
        regions = (landscapes.exclude(region="").order_by("region")
                   .values_list("region", flat=True).distinct())  # fmt: skip
        self.fields["region"].choices = [("", _("Any"))] + [
            (r, r) for r in cached_result("mel.story_regions", regions, lambda: list(regions))
        ]
        languages = (stories_visible_to(user).order_by("language")
                     .values_list("language", flat=True).distinct())  # fmt: skip
        used = cached_result("mel.story_languages", languages, lambda: list(languages))
        self.fields["language"].choices = [("", _("Any"))] + [
            (code, language_name(code)) for code in used]  # fmt: skip
        terms = Term.objects.filter(vocabulary__in=TAG_VOCABULARIES, is_active=True).order_by(
            "vocabulary", "sort_order", "name_en")  # fmt: skip
        self.fields["tag"].choices = [("", _("Any"))] + [(t.slug, t.name) for t in terms]
        self.fields["tag"].widget = FastSelect(attrs=self.fields["tag"].widget.attrs)
        self.fields["year"].choices = [("", _("Any"))] + [
            (str(y), str(y)) for y in story_years(user)]  # fmt: skip


def _users_by_email(raw: str) -> list:
    """Accounts named by e-mail, one a line or separated by commas; every unknown one is
    named in the message."""
    import re

    emails = [e for e in re.split(r"[\s,;]+", raw or "") if e]
    users = {u.email.lower(): u for u in get_user_model().objects.filter(
        email__in=[e.lower() for e in emails] + emails)}  # fmt: skip
    unknown = [e for e in emails if e.lower() not in users]
    if unknown:
        raise forms.ValidationError(_("Nobody signs in to the hub with: %(emails)s")
                                    % {"emails": ", ".join(unknown)})  # fmt: skip
    return list({u.pk: u for u in users.values()}.values())


class RoundForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    panel_name = forms.CharField(label=_("Panel"), max_length=200,
                                 help_text=_("e.g. Landscape Leaders Advisory Group."))  # fmt: skip
    panel = forms.CharField(
        label=_("Panel members (e-mails)"), required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The accounts that select, one a line. They are told when the round has "
                    "stories to read."),
    )  # fmt: skip
    domain = forms.ChoiceField(
        label=_("Domain of change"),
        required=False,
        choices=[("", _("Every domain")), *ChangeDomain.choices],
    )
    period_start = forms.DateField(label=_("Stories told from"), widget=_date_input())
    period_end = forms.DateField(label=_("Stories told until"), widget=_date_input())
    held_on = forms.DateField(label=_("Panel meets on"), required=False, widget=_date_input())
    add_stories = forms.BooleanField(
        label=_("Add every story told in the period and domain now"), required=False,
        initial=True,
    )  # fmt: skip
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, selection_round=None, **kwargs):
        super().__init__(*args, **kwargs)
        if selection_round is not None:
            del self.fields["add_stories"]
            self.initial.update({
                **{key: getattr(selection_round, key) for key in (
                    "title", "panel_name", "domain", "period_start", "period_end", "held_on",
                    "version")},
                "panel": "\n".join(selection_round.panel.order_by("email")
                                   .values_list("email", flat=True)),
            })  # fmt: skip

    def clean_panel(self):
        return _users_by_email(self.cleaned_data.get("panel", ""))


class RoundFilterForm(StyledFormMixin, forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("Any"))] + RoundStatus.choices)  # fmt: skip
    domain = forms.ChoiceField(label=_("Domain of change"), required=False,
                               choices=[("", _("Any")), ("all", _("Every domain"))]
                               + ChangeDomain.choices)  # fmt: skip
    mine = forms.BooleanField(label=_("Rounds I sit on"), required=False)


class SelectForm(forms.Form):
    """One story's choice on the round page."""

    story = forms.IntegerField(widget=forms.HiddenInput)
    selected = forms.TypedChoiceField(choices=[("1", "1"), ("0", "0")], coerce=lambda v: v == "1",
                                      initial="1")  # fmt: skip
    reason = forms.CharField(required=False, max_length=4000)


class CloseForm(StyledFormMixin, forms.Form):
    notes = forms.CharField(label=_("Notes of the discussion"), required=False,
                            widget=forms.Textarea(attrs={"rows": 4}))  # fmt: skip
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
