"""Forms of the learning loop: learning questions, reflection sessions, adaptation decisions
and their list filters. They parse input; ``services/learning.py`` decides.

People, landscapes, indicators, outcome statements and stories are named in text boxes with
suggestions (``<input list=… data-autocomplete-url=…>``, the pattern of ``landhub.js``), never
in a select of every record: the hub has 20,000 people, 1,000 landscapes and 10,000 stories.
A suggestion reads "Name (#id)", so two people of the same name stay apart; a typed e-mail, a
unique name or title, or an indicator's code work too.
"""

from __future__ import annotations

import re

from django import forms
from django.urls import reverse_lazy
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from landhub.core.forms import FastSelect, FastSelectMultiple, StyledFormMixin
from landhub.core.models import Visibility

from ..models import (
    TAG_VOCABULARIES,
    DecisionStatus,
    Framework,
    FrameworkNode,
    LearningQuestion,
    NodeKind,
    QuestionStatus,
)

_ID = re.compile(r"\(#(\d+)\)\s*$")
SUGGEST_URL = reverse_lazy("mel:learning_suggest")


def suggestion_label(obj) -> str:
    """How a record reads in the suggestions and, once chosen, in the text box."""
    from ..models import Indicator

    if isinstance(obj, Indicator):
        return f"{obj.code} · {obj.name}"
    return f"{obj} (#{obj.pk})"


class TextInputs(forms.Widget):
    """Several text boxes of one name (the values given, then ``blank`` empty ones), each with
    the suggestions of ``kind``. Works without JavaScript: the names are typed."""

    def __init__(self, *, kind: str, blank: int = 3, attrs=None):
        super().__init__(attrs)
        self.kind, self.blank = kind, blank

    def value_from_datadict(self, data, files, name):
        getter = getattr(data, "getlist", None)
        values = getter(name) if getter else data.get(name, [])
        if isinstance(values, str):
            values = [values]
        return [v for v in values if isinstance(v, str)]

    def format_value(self, value):
        if not value:
            return []
        if isinstance(value, str):
            return [value]
        return [v if isinstance(v, str) else suggestion_label(v) for v in value]

    def render(self, name, value, attrs=None, renderer=None):
        values = [v for v in self.format_value(value) if v] + [""] * self.blank
        final = self.build_attrs(self.attrs, attrs)
        base_id = final.get("id") or f"id_{name}"
        url = format_lazy("{}?kind={}", SUGGEST_URL, self.kind)
        # The field's label names the first box (<label for>); the others carry it as
        # aria-label, so a screen reader names every box.
        boxes = [
            format_html(
                '<input type="text" name="{}" id="{}" value="{}" class="{} mb-1" list="{}" '
                'autocomplete="off" data-autocomplete-url="{}" aria-label="{}">',
                name, base_id if i == 0 else f"{base_id}_{i}", v,
                final.get("class", "form-control"), f"{name}-suggestions", url,
                final.get("aria-label", ""),
            )
            for i, v in enumerate(values)
        ]  # fmt: skip
        return format_html('<div class="text-inputs">{}</div>', mark_safe("".join(boxes)))  # noqa: S308


class RecordsField(forms.Field):
    """A list of records named in ``TextInputs``: "Name (#id)", an e-mail (people), a code
    (indicators) or a unique name/title; each looked up among what ``user`` may read."""

    def __init__(self, *, kind: str, blank: int = 3, many: bool = True, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(widget=TextInputs(kind=kind, blank=blank), **kwargs)
        self.kind, self.many = kind, many
        self.user = None  # set by the form

    def clean(self, value):
        names = [v.strip() for v in (value or []) if v and v.strip()]
        names = list(dict.fromkeys(names))[:100]
        if self.required and not names:
            raise forms.ValidationError(self.error_messages["required"])
        if not self.many and len(names) > 1:
            raise forms.ValidationError(_("Name one only."))
        records, errors = [], []
        for name in names:
            try:
                records.append(resolve(self.kind, name, self.user))
            except forms.ValidationError as exc:
                errors.extend(exc.messages)
        if errors:
            raise forms.ValidationError(errors)
        records = list(dict.fromkeys(records))
        return records if self.many else (records[0] if records else None)


def _queryset(kind: str, user):
    from landhub.directory.models import Landscape, Person

    from ..models import Indicator, Story

    if kind == "person":
        return Person.objects.visible_to(user).active()
    if kind == "landscape":
        return Landscape.objects.visible_to(user).active()
    if kind == "indicator":
        return Indicator.objects.filter(archived_at__isnull=True)
    if kind == "outcome":
        from ..selectors.outcomes import outcome_visible

        return outcome_visible(user).filter(archived_at__isnull=True)
    if kind == "story":
        return Story.objects.visible_to(user).filter(archived_at__isnull=True)
    if kind == "offering":  # contribution claims (area "value")
        from landhub.coordination.selectors import visible_offerings

        return visible_offerings(user)
    if kind == "organization":
        from landhub.directory.models import Organization

        return Organization.objects.visible_to(user).active()
    if kind == "activity":  # an outcome's contribution (area "outcomes")
        from landhub.coordination.selectors import activity_list

        return activity_list(user=user)
    raise ValueError(kind)


KIND_NOUNS = {
    "person": gettext_lazy("person"), "landscape": gettext_lazy("landscape"),
    "indicator": gettext_lazy("indicator"), "outcome": gettext_lazy("outcome statement"),
    "story": gettext_lazy("story"), "offering": gettext_lazy("offering"),
    "organization": gettext_lazy("organization"), "activity": gettext_lazy("activity"),
}  # fmt: skip
# Kinds named by a slug in links (``?offering=<slug>`` from a value report): a slug is tried
# first, then the "Name (#id)" of a suggestion and a unique name or title.
SLUG_KINDS = ("offering", "organization")
NAME_FIELDS = {"person": "name", "landscape": "name", "indicator": "name", "organization": "name"}


def resolve(kind: str, text: str, user):
    """The one record ``text`` names (see ``RecordsField``), or a ValidationError saying why
    not."""
    qs = _queryset(kind, user)
    text = text.strip()[:300]
    if kind in SLUG_KINDS and text and len(text) <= 100:
        found = qs.filter(slug=text).first()
        if found is not None:
            return found
    match = _ID.search(text)
    if match:
        found = qs.filter(pk=int(match.group(1))).first()
        if found is not None:
            return found
        text = text[: match.start()].strip()
    if kind == "indicator":
        code = text.split(" · ")[0].strip().upper()
        found = qs.filter(code=code).first()
        if found is not None:
            return found
    if kind == "person" and "@" in text:
        found = list(qs.filter(email__iexact=text)[:2]) or list(qs.filter(
            user__email__iexact=text)[:2])  # fmt: skip
        if len(found) == 1:
            return found[0]
    field = NAME_FIELDS.get(kind, "title")
    found = list(qs.filter(**{f"{field}__iexact": text})[:2])
    if len(found) == 1:
        return found[0]
    if found:
        raise forms.ValidationError(
            _("More than one %(noun)s is called “%(name)s”: choose from the suggestions.")
            % {"noun": KIND_NOUNS[kind], "name": text}
        )  # fmt: skip
    raise forms.ValidationError(
        _("No %(noun)s called “%(name)s” was found: choose from the suggestions.")
        % {"noun": KIND_NOUNS[kind], "name": text}
    )  # fmt: skip


def suggestions(kind: str, q: str, user, *, limit: int = 10) -> list[dict]:
    """Up to ``limit`` records of ``kind`` whose name or title contains ``q`` (``{id,
    label}``), among what ``user`` may read. Kinds: person, landscape, indicator, outcome,
    story, offering and activity (by title) and organization (by name or short name)."""
    from landhub.core.search import search_pks

    q = (q or "").strip()[:100]
    if len(q) < 2 or kind not in KIND_NOUNS or not user.is_authenticated:
        return []
    qs = _queryset(kind, user)
    if kind in ("person", "landscape"):
        qs = qs.filter(pk__in_list=search_pks(qs.model, q, autocomplete=True, limit=200))
    elif kind in SLUG_KINDS:
        # Read from the table, not the search index: the index is brought up to date by the
        # task worker, and a just-made (or just-seeded) offering must be suggested at once.
        # A LIKE over 20,000 titles or 4,000 names is a few milliseconds, ten rows returned.
        from django.db.models import Q

        if kind == "organization":
            qs = qs.filter(Q(name__icontains=q) | Q(short_name__icontains=q)).order_by("name")
        else:
            qs = qs.filter(title__icontains=q).order_by("title", "pk")
    elif kind == "activity":
        qs = qs.filter(title__icontains=q).order_by("title", "pk")
    elif kind == "indicator":
        from django.db.models import Q

        qs = qs.filter(Q(code__istartswith=q) | Q(name__icontains=q)).order_by("code")
    else:
        qs = qs.filter(title__icontains=q)
    return [{"id": o.pk, "label": suggestion_label(o)} for o in qs[:limit]]


def label_boxes(form) -> None:
    """Every ``TextInputs`` box carries its field's label (see ``TextInputs.render``)."""
    for field in form.fields.values():
        if isinstance(field.widget, TextInputs):
            field.widget.attrs["aria-label"] = str(field.label)


class LandscapeNameField(forms.CharField):
    """One landscape named by typing (suggestions); empty = the initiative."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)
        self.widget = forms.TextInput(attrs={
            "list": "landscape-suggestions", "autocomplete": "off",
            "data-autocomplete-url": format_lazy("{}?kind=landscape", SUGGEST_URL)})  # fmt: skip

    user = None

    def prepare_value(self, value):
        from landhub.directory.models import Landscape

        if isinstance(value, Landscape):
            return suggestion_label(value)
        return value or ""

    def clean(self, value):
        text = (super().clean(value) or "").strip()
        if not text:
            return None
        return resolve("landscape", text, self.user)


def _tag_choices():
    from landhub.directory.models import Term

    terms = Term.objects.filter(vocabulary__in=TAG_VOCABULARIES, is_active=True).order_by(
        "vocabulary", "sort_order", "name_en")  # fmt: skip
    return terms


class TagsField(forms.ModelMultipleChoiceField):
    def __init__(self, **kwargs):
        super().__init__(queryset=_tag_choices(), required=False,
                         widget=FastSelectMultiple(attrs={"size": 8}), **kwargs)  # fmt: skip

    def label_from_instance(self, obj):
        return f"{obj.get_vocabulary_display()}: {obj.name}"


# --- learning questions ----------------------------------------------------------------------


def _node_label(node) -> str:
    return f"{node.code} · {node.title}"


class QuestionForm(StyledFormMixin, forms.Form):
    """A new question on a node of one framework, or a question reworded."""

    node = forms.ModelChoiceField(label=gettext_lazy("Framework node"), queryset=None,
                                  widget=FastSelect)  # fmt: skip
    question = forms.CharField(
        label=gettext_lazy("Question"), max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("What do we want to learn? e.g. “Do landscape finance criteria "
                               "change bank lending?”"),
    )  # fmt: skip
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, framework, **kwargs):
        super().__init__(*args, **kwargs)
        nodes = framework.nodes.all().order_by("position", "code")
        self.fields["node"].queryset = nodes
        self.fields["node"].choices = [("", "—")] + [(n.pk, _node_label(n)) for n in nodes]


class AnswerForm(StyledFormMixin, forms.Form):
    answer = forms.CharField(
        label=gettext_lazy("What we have learned"), widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Markdown. Say what the evidence shows and where it came from."),
    )  # fmt: skip
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class QuestionFilterForm(StyledFormMixin, forms.Form):
    q = forms.CharField(label=gettext_lazy("Search"), required=False)
    framework = forms.ChoiceField(label=gettext_lazy("Framework"), required=False, choices=[],
                                  widget=FastSelect)  # fmt: skip
    kind = forms.ChoiceField(label=gettext_lazy("Node kind"), required=False,
                             choices=[("", gettext_lazy("Any"))] + NodeKind.choices)  # fmt: skip
    status = forms.ChoiceField(
        label=gettext_lazy("Status"), required=False,
        choices=[("", gettext_lazy("Any"))] + QuestionStatus.choices,
    )  # fmt: skip

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        frameworks = (Framework.objects.visible_to(user).active()
                      .filter(pk__in=LearningQuestion.objects.values("node__framework_id"))
                      .order_by("title").values_list("slug", "title")[:200])  # fmt: skip
        self.fields["framework"].choices = [("", _("Any"))] + list(frameworks)


# --- reflection sessions ---------------------------------------------------------------------


class SessionForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    held_on = forms.DateField(label=gettext_lazy("Held on"),
                              widget=forms.DateInput(attrs={"type": "date"}))  # fmt: skip
    landscape = LandscapeNameField(
        label=gettext_lazy("Landscape"),
        help_text=gettext_lazy("Empty: a session of the initiative."),
    )  # fmt: skip
    participants = RecordsField(
        kind="person", label=gettext_lazy("Participants in the directory"),
        help_text=gettext_lazy("Type a name or an e-mail and choose from the suggestions; "
                               "save to get more boxes."),
    )  # fmt: skip
    other_participants = forms.CharField(
        label=gettext_lazy("Other participants"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("People not in the directory, by name and role."),
    )  # fmt: skip
    questions = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Learning questions discussed"), required=False, queryset=None,
        widget=FastSelectMultiple(attrs={"size": 6}),
    )  # fmt: skip
    indicators = RecordsField(kind="indicator", label=gettext_lazy("Indicators reviewed"),
                              help_text=gettext_lazy("A code, e.g. IMP-1."))  # fmt: skip
    outcomes = RecordsField(kind="outcome", label=gettext_lazy("Outcome statements reviewed"))
    stories = RecordsField(kind="story", label=gettext_lazy("Stories of change reviewed"))
    reflections = forms.CharField(
        label=gettext_lazy("Reflections"), max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=gettext_lazy("Markdown. What the evidence says, what surprised you, what "
                               "should change."),
    )  # fmt: skip
    tags = TagsField(label=gettext_lazy("Tags"))
    visibility = forms.ChoiceField(
        label=gettext_lazy("Who may read it"), choices=Visibility.choices,
        initial=Visibility.NETWORK,
    )  # fmt: skip
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user, session=None, **kwargs):
        if session is not None:
            kwargs.setdefault("initial", {}).update({
                "title": session.title, "held_on": session.held_on,
                "landscape": session.landscape, "other_participants": session.other_participants,
                "participants": list(session.participants.all()),
                "questions": list(session.questions.all()),
                "indicators": list(session.indicators.all()),
                "outcomes": list(session.outcomes.all()),
                "stories": list(session.stories.all()),
                "reflections": session.reflections, "tags": list(session.tags.all()),
                "visibility": session.visibility, "version": session.version,
            })  # fmt: skip
        super().__init__(*args, **kwargs)
        for name in ("landscape", "participants", "indicators", "outcomes", "stories"):
            self.fields[name].user = user
        label_boxes(self)
        questions = (LearningQuestion.objects.exclude(status=QuestionStatus.DROPPED)
                     .filter(Framework.objects.visible_through(user, "node__framework__"))
                     .select_related("node").order_by("node__framework__title", "node__code",
                                                      "pk")[:300])  # fmt: skip
        chosen = list(session.questions.all()) if session is not None else []
        questions = list(dict.fromkeys([*chosen, *questions]))
        self.fields["questions"].queryset = LearningQuestion.objects.filter(
            pk__in=[q.pk for q in questions])  # fmt: skip
        self.fields["questions"].choices = [
            (q.pk, f"{q.node.code} · {str(q)[:90]}") for q in questions
        ]


class SessionFilterForm(StyledFormMixin, forms.Form):
    q = forms.CharField(label=gettext_lazy("Search"), required=False)
    landscape = forms.ChoiceField(label=gettext_lazy("Landscape"), required=False, choices=[],
                                  widget=FastSelect)  # fmt: skip
    year = forms.ChoiceField(label=gettext_lazy("Year"), required=False, choices=[])
    tag = forms.ChoiceField(label=gettext_lazy("Tag"), required=False, choices=[],
                            widget=FastSelect)  # fmt: skip
    decisions = forms.ChoiceField(label=gettext_lazy("Decisions"), required=False, choices=[
        ("", gettext_lazy("Any")), ("yes", gettext_lazy("Has decisions")),
        ("no", gettext_lazy("No decision yet"))])  # fmt: skip

    def __init__(self, *args, user, **kwargs):
        from landhub.core.counts import cached_result
        from landhub.directory.models import Landscape, Term

        from ..models import ReflectionSession
        from ..selectors import session_years

        super().__init__(*args, **kwargs)
        used = ReflectionSession.objects.visible_to(user).active()
        # The landscapes and tags the reader's sessions use: each read goes through every
        # visible session (12 ms at scale 10 on PostgreSQL), so kept until the next write.
        landscapes = cached_result("mel.session_landscapes", used, lambda: list(
            Landscape.objects.filter(pk__in=used.values("landscape_id"))
            .order_by("name").values_list("slug", "name")[:300]))  # fmt: skip
        self.fields["landscape"].choices = [("", _("Any")),
                                            ("initiative", _("The initiative's"))] + list(
            landscapes)  # fmt: skip
        self.fields["year"].choices = [("", _("Any"))] + [
            (str(y), str(y)) for y in session_years(user=user)]  # fmt: skip

        def tags():
            tagged = ReflectionSession.tags.through.objects.filter(
                reflectionsession__in=used.values("pk")).values("term_id")  # fmt: skip
            return [(t.slug, t.name) for t in
                    Term.objects.filter(pk__in=tagged).order_by("name_en")[:300]]  # fmt: skip

        self.fields["tag"].choices = [("", _("Any"))] + cached_result(
            "mel.session_tags", used, tags)  # fmt: skip


# --- adaptation decisions --------------------------------------------------------------------


class DecisionForm(StyledFormMixin, forms.Form):
    what_changes = forms.CharField(label=gettext_lazy("What changes"), max_length=2000,
                                   widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip
    why = forms.CharField(label=gettext_lazy("Why"), max_length=5000,
                          widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip
    owner = RecordsField(kind="person", label=gettext_lazy("Who (owner)"), blank=1, many=False,
                         help_text=gettext_lazy("They are told when named."))  # fmt: skip
    due_on = forms.DateField(label=gettext_lazy("By when"), required=False,
                             widget=forms.DateInput(attrs={"type": "date"}))  # fmt: skip
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=DecisionStatus.choices)
    nodes = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Framework nodes it revises"), required=False, queryset=None,
        widget=FastSelectMultiple(attrs={"size": 6}),
    )  # fmt: skip
    indicators = RecordsField(kind="indicator", label=gettext_lazy("Indicators it revises"),
                              blank=2)  # fmt: skip
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user, session, decision=None, **kwargs):
        from django.db.models import Q

        if decision is not None:
            kwargs.setdefault("initial", {}).update({
                "what_changes": decision.what_changes, "why": decision.why,
                "owner": [decision.owner] if decision.owner_id else [],
                "due_on": decision.due_on, "status": decision.status,
                "nodes": list(decision.nodes.all()),
                "indicators": list(decision.indicators.all()), "version": decision.version,
            })  # fmt: skip
        super().__init__(*args, **kwargs)
        if decision is None:
            del self.fields["status"]
        self.fields["owner"].user = user
        self.fields["indicators"].user = user
        label_boxes(self)
        # The initiative's frameworks, and the session's landscape's own.
        scope = Q(framework__landscape__isnull=True)
        if session.landscape_id:
            scope |= Q(framework__landscape_id=session.landscape_id)
        nodes = (FrameworkNode.objects.filter(scope)
                 .filter(Framework.objects.visible_through(user, "framework__"))
                 .select_related("framework")
                 .order_by("framework__title", "position", "code"))  # fmt: skip
        chosen = list(decision.nodes.all()) if decision is not None else []
        nodes = list(dict.fromkeys([*chosen, *nodes[:500]]))
        self.fields["nodes"].queryset = FrameworkNode.objects.filter(pk__in=[n.pk for n in nodes])
        self.fields["nodes"].choices = [
            (n.pk, f"{n.framework.title} · {n.code} {n.title}"[:140]) for n in nodes
        ]


class DecisionFilterForm(StyledFormMixin, forms.Form):
    q = forms.CharField(label=gettext_lazy("Search"), required=False)
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False, choices=[
        ("", gettext_lazy("Any")), ("open", gettext_lazy("Open (planned or in progress)")),
        *DecisionStatus.choices])  # fmt: skip
    overdue = forms.ChoiceField(label=gettext_lazy("Overdue"), required=False, choices=[
        ("", gettext_lazy("Any")), ("yes", gettext_lazy("Overdue only"))])  # fmt: skip
    owner = forms.ChoiceField(label=gettext_lazy("Owner"), required=False, choices=[],
                              widget=FastSelect)  # fmt: skip
    framework = forms.ChoiceField(label=gettext_lazy("Framework"), required=False, choices=[],
                                  widget=FastSelect)  # fmt: skip

    def __init__(self, *args, user, **kwargs):
        from landhub.directory.models import Person

        from ..models import AdaptationDecision

        super().__init__(*args, **kwargs)
        owners = (Person.objects.filter(pk__in=AdaptationDecision.objects.values("owner_id"))
                  .visible_to(user).order_by("name").values_list("pk", "name")[:300])  # fmt: skip
        self.fields["owner"].choices = [("", _("Anyone")), ("me", _("Me"))] + [
            (str(pk), name) for pk, name in owners]  # fmt: skip
        frameworks = (Framework.objects.visible_to(user).active().filter(
            pk__in=AdaptationDecision.nodes.through.objects.values("frameworknode__framework_id"))
            .order_by("title").values_list("slug", "title")[:200])  # fmt: skip
        self.fields["framework"].choices = [("", _("Any"))] + list(frameworks)


class AdaptationChoiceField(forms.ModelChoiceField):
    """ "Made because of the decision…": an open decision, offered in the framework node,
    link and indicator forms (``selectors.open_decisions_for``)."""

    def __init__(self, **kwargs):
        from ..models import AdaptationDecision

        super().__init__(
            queryset=AdaptationDecision.objects.none(), required=False,
            label=gettext_lazy("Made because of the decision…"), widget=FastSelect,
            help_text=gettext_lazy("An open adaptation decision of a reflection session; "
                                   "the change is then listed with it."),
            **kwargs,
        )  # fmt: skip

    def offer(self, decisions) -> None:
        from ..models import AdaptationDecision

        self.queryset = AdaptationDecision.objects.filter(pk__in=[d.pk for d in decisions])
        self.choices = [("", "—")] + [
            (d.pk, f"#{d.pk} {str(d)[:80]} ({d.session.title[:40]})") for d in decisions
        ]
