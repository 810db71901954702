"""Forms of the system change and value pages (issue 6, area "value").

They parse what people type; the services in ``services/value.py`` decide what is allowed.
Field names match the services' error keys, so each refusal lands beside its field.

Offerings and partners are named by typing, with suggestions (``mel:learning_suggest``, kinds
``offering`` and ``organization``, the pattern of the learning forms), never in a select of
every record: the hub has 20,000 offerings and 4,000 organizations, a page of megabytes.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from landhub.core.forms import FastSelect, FastSelectMultiple, StyledFormMixin
from landhub.core.models import Visibility

from ..models import ActorType, Confidence, Domain, Plausibility, Stage
from .learning import SUGGEST_URL, resolve, suggestion_label

ANY = [("", _("Any"))]


def suggest_box(kind: str) -> forms.TextInput:
    """A text box with the suggestions of ``kind`` (``landhub.js`` fills its datalist)."""
    return forms.TextInput(attrs={
        "list": f"{kind}-suggestions", "autocomplete": "off",
        "data-autocomplete-url": format_lazy("{}?kind={}", SUGGEST_URL, kind),
    })  # fmt: skip


class RecordNameField(forms.CharField):
    """One offering or organization named by typing: a suggestion ("Title (#id)"), a slug or
    a unique title or name, among what the form's ``user`` may see; empty is ``None``. A name
    that matches none or several is refused with a message saying so."""

    def __init__(self, *, kind: str, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 300)
        super().__init__(**kwargs)
        self.kind = kind
        self.widget = suggest_box(kind)
        self.user = None  # set by the form

    def prepare_value(self, value):
        if value is not None and hasattr(value, "pk"):
            return suggestion_label(value)
        return value or ""

    def clean(self, value):
        text = (super().clean(value) or "").strip()
        return resolve(self.kind, text, self.user) if text else None


# --- trails ----------------------------------------------------------------------------------


class TrailFilterForm(StyledFormMixin, forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    domain = forms.ChoiceField(label=_("Domain"), required=False, choices=ANY + Domain.choices)
    actor_type = forms.ChoiceField(label=_("Type of actor"), required=False,
                                   choices=ANY + ActorType.choices)  # fmt: skip
    stage = forms.ChoiceField(
        label=_("Current stage"), required=False,
        choices=ANY + Stage.choices + [("none", _("No step yet"))],
    )  # fmt: skip
    archived = forms.BooleanField(label=_("Archived trails"), required=False)

    def __init__(self, *args, may_archive: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_archive:  # only those who archive and restore trails list archived ones
            del self.fields["archived"]


class TrailForm(StyledFormMixin, forms.Form):
    actor_organization = RecordNameField(
        kind="organization", label=_("Social actor (directory)"),
        help_text=_("Type the organization's name and choose it when it is in the directory …"),
    )  # fmt: skip
    actor_name = forms.CharField(label=_("Social actor"), required=False, max_length=200,
                                 help_text=_("… or type its name."))  # fmt: skip
    actor_type = forms.ChoiceField(label=_("Type of actor"), choices=ActorType.choices)
    domain = forms.ChoiceField(label=_("Domain"), choices=Domain.choices)
    summary = forms.CharField(label=_("Summary"), required=False, widget=forms.Textarea(
        attrs={"rows": 3}))  # fmt: skip
    visibility = forms.ChoiceField(label=_("Visibility"), choices=Visibility.choices,
                                   initial=Visibility.NETWORK)  # fmt: skip
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actor_organization"].user = user


class StepForm(StyledFormMixin, forms.Form):
    stage = forms.ChoiceField(label=_("Stage reached"), choices=Stage.choices)
    reached_on = forms.DateField(label=_("Reached on"),
                                 widget=forms.DateInput(attrs={"type": "date"}))  # fmt: skip
    outcomes = forms.TypedMultipleChoiceField(
        label=_("Backed by outcome statements"), required=False, coerce=int,
        widget=FastSelectMultiple(attrs={"size": 5}),
    )  # fmt: skip
    evidence = forms.CharField(label=_("Other evidence"), required=False,
                               widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip
    evidence_url = forms.URLField(
        label=_("Evidence link"), required=False, max_length=200, assume_scheme="https"
    )

    def __init__(self, *args, outcomes=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._outcomes = {o.pk: o for o in (outcomes or [])}
        self.fields["outcomes"].choices = [
            (o.pk, f"{o.occurred_on:%Y-%m-%d} · {o.title}"[:120]) for o in self._outcomes.values()
        ]

    def clean_outcomes(self):
        return [self._outcomes[pk] for pk in self.cleaned_data.get("outcomes") or []]


# --- contribution claims ---------------------------------------------------------------------


class ClaimFilterForm(StyledFormMixin, forms.Form):
    """The claim list's filters. ``offering`` and ``partner`` are slugs in the query string
    (value reports link with them) or what is typed in their boxes; the view turns either into
    the record (``resolve_subjects``)."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    offering = forms.CharField(label=_("Offering"), required=False, max_length=300,
                               widget=suggest_box("offering"))  # fmt: skip
    partner = forms.CharField(label=_("Partner"), required=False, max_length=300,
                              widget=suggest_box("organization"))  # fmt: skip
    confidence = forms.ChoiceField(label=_("Confidence"), required=False,
                                   choices=ANY + Confidence.choices)  # fmt: skip
    domain = forms.ChoiceField(label=_("Domain of the outcome"), required=False,
                               choices=ANY + Domain.choices)  # fmt: skip
    archived = forms.BooleanField(label=_("Archived claims"), required=False)


def resolve_subjects(filters: dict, user) -> tuple[dict, dict]:
    """The claim list's ``offering`` and ``partner`` filters as slugs, and the messages of
    those that name no record or several (``{key: [message]}``). A name that matches nothing
    stays as typed, so the list shows no claim rather than every claim."""

    filters, errors = dict(filters), {}
    for key, kind in (("offering", "offering"), ("partner", "organization")):
        text = (filters.get(key) or "").strip()
        if not text:
            continue
        try:
            filters[key] = resolve(kind, text, user).slug
        except ValidationError as exc:
            errors[key] = exc.messages
    return filters, errors


class ClaimForm(StyledFormMixin, forms.Form):
    outcome = forms.TypedChoiceField(label=_("Outcome statement"), coerce=int)
    offering = RecordNameField(
        kind="offering", label=_("Offering"),
        help_text=_("The offering that contributed (type its title and choose) …"),
    )  # fmt: skip
    partner = RecordNameField(
        kind="organization", label=_("Partner"),
        help_text=_("… or the partner, for its work beyond any one offering."),
    )  # fmt: skip
    claim = forms.CharField(label=_("The claim"), widget=forms.Textarea(attrs={"rows": 4}),
                            help_text=_("How it contributed. Markdown."))  # fmt: skip
    evidence = forms.CharField(label=_("Evidence"), widget=forms.Textarea(attrs={"rows": 3}))
    evidence_url = forms.URLField(
        label=_("Evidence link"), required=False, max_length=200, assume_scheme="https"
    )
    confidence = forms.ChoiceField(label=_("Confidence"), choices=Confidence.choices)
    confidence_reason = forms.CharField(label=_("Why this confidence"),
                                        widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user=None, outcomes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self._outcomes = {o.pk: o for o in outcomes}
        field = self.fields["outcome"]
        field.choices = [(o.pk, f"{o.occurred_on:%Y-%m-%d} · {o.title}"[:120])
                         for o in self._outcomes.values()]  # fmt: skip
        field.widget = FastSelect(attrs=field.widget.attrs)
        for name in ("offering", "partner"):
            self.fields[name].user = user

    def clean_outcome(self):
        pk = self.cleaned_data.get("outcome")
        return None if pk is None else self._outcomes.get(pk)


class AlternativeForm(StyledFormMixin, forms.Form):
    """One alternative explanation; an empty row is skipped by the service."""

    explanation = forms.CharField(label=_("Alternative explanation"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip
    plausibility = forms.ChoiceField(label=_("Plausibility"), required=False,
                                     choices=[("", "—")] + Plausibility.choices)  # fmt: skip
    reasoning = forms.CharField(label=_("Reasoning"), required=False,
                                widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip


AlternativeFormSet = forms.formset_factory(AlternativeForm, extra=2, max_num=20,
                                           absolute_max=20)  # fmt: skip


def alternatives_from(formset) -> list[dict]:
    """The rows of a bound formset as the service takes them (invalid rows as typed)."""
    rows = []
    for form in formset.forms:
        data = form.cleaned_data if form.is_valid() else {}
        rows.append({key: data.get(key, "") for key in ("explanation", "plausibility",
                                                        "reasoning")})  # fmt: skip
    return rows


# --- value -----------------------------------------------------------------------------------


class PeriodForm(StyledFormMixin, forms.Form):
    period = forms.ChoiceField(label=_("Period"), required=False, choices=[
        ("all", _("All time")), ("this_year", _("This year")), ("last_year", _("Last year")),
        ("custom", _("From … to …")),
    ])  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The query string says ``from`` and ``to`` (words Python keeps for itself, so the
        # fields are added here rather than declared).
        for name, label in (("from", _("From")), ("to", _("To"))):
            self.fields[name] = forms.CharField(
                label=label, required=False, max_length=10,
                widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}),
            )  # fmt: skip


class ValueFilterForm(StyledFormMixin, forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    type = forms.ChoiceField(label=_("Type"), required=False, choices=[])

    def __init__(self, *args, **kwargs):
        from landhub.coordination.models import OfferingType

        super().__init__(*args, **kwargs)
        self.fields["type"].choices = ANY + OfferingType.choices


class SystemChangeForm(StyledFormMixin, forms.Form):
    year = forms.ChoiceField(label=_("Year"), choices=[])
    domain = forms.ChoiceField(label=_("Domain"), required=False, choices=ANY + Domain.choices)
    actor_type = forms.ChoiceField(label=_("Type of actor"), required=False,
                                   choices=ANY + ActorType.choices)  # fmt: skip

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(str(y), str(y)) for y in years]
