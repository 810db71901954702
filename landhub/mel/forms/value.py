"""Forms of the system change and value pages (issue 6, area "value").

They parse what people type; the services in ``services/value.py`` decide what is allowed.
Field names match the services' error keys, so each refusal lands beside its field.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from landhub.core.forms import FastSelect, FastSelectMultiple, StyledFormMixin
from landhub.core.models import Visibility

from ..models import ActorType, Confidence, Domain, Plausibility, Stage

ANY = [("", _("Any"))]


def _organization_choices(qs) -> list:
    return [("", "—")] + [(o.pk, o.name) for o in qs.only("pk", "name").order_by("name")]


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


class TrailForm(StyledFormMixin, forms.Form):
    actor_organization = forms.TypedChoiceField(
        label=_("Social actor (directory)"), required=False, coerce=int, empty_value=None,
        help_text=_("Choose the organization when it is in the directory …"),
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

    def __init__(self, *args, **kwargs):
        from landhub.directory.models import Organization

        super().__init__(*args, **kwargs)
        field = self.fields["actor_organization"]
        field.choices = _organization_choices(Organization.objects.active())
        field.widget = FastSelect(attrs=field.widget.attrs)

    def clean_actor_organization(self):
        from landhub.directory.models import Organization

        pk = self.cleaned_data.get("actor_organization")
        if pk is None:
            return None
        organization = Organization.objects.active().filter(pk=pk).first()
        if organization is None:
            raise forms.ValidationError(_("Choose an organization of the directory."))
        return organization


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
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    offering = forms.ChoiceField(label=_("Offering"), required=False, choices=[])
    partner = forms.ChoiceField(label=_("Partner"), required=False, choices=[])
    confidence = forms.ChoiceField(label=_("Confidence"), required=False,
                                   choices=ANY + Confidence.choices)  # fmt: skip
    domain = forms.ChoiceField(label=_("Domain of the outcome"), required=False,
                               choices=ANY + Domain.choices)  # fmt: skip
    archived = forms.BooleanField(label=_("Archived claims"), required=False)

    def __init__(self, *args, offerings=(), partners=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offering"].choices = ANY + list(offerings)
        self.fields["partner"].choices = ANY + list(partners)


class ClaimForm(StyledFormMixin, forms.Form):
    outcome = forms.TypedChoiceField(label=_("Outcome statement"), coerce=int)
    offering = forms.TypedChoiceField(
        label=_("Offering"), required=False, coerce=int, empty_value=None,
        help_text=_("The offering that contributed …"),
    )  # fmt: skip
    partner = forms.TypedChoiceField(
        label=_("Partner"), required=False, coerce=int, empty_value=None,
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

    def __init__(self, *args, outcomes=(), offerings=(), partners=(), **kwargs):
        super().__init__(*args, **kwargs)
        self._choices = {
            "outcome": {o.pk: o for o in outcomes},
            "offering": {o.pk: o for o in offerings},
            "partner": {o.pk: o for o in partners},
        }
        labels = {"outcome": lambda o: f"{o.occurred_on:%Y-%m-%d} · {o.title}"[:120],
                  "offering": lambda o: o.title, "partner": lambda o: o.name}  # fmt: skip
        for name, objects in self._choices.items():
            field = self.fields[name]
            empty = [] if name == "outcome" else [("", "—")]
            field.choices = empty + [(pk, labels[name](o)) for pk, o in objects.items()]
            field.widget = FastSelect(attrs=field.widget.attrs)

    def _object(self, name):
        pk = self.cleaned_data.get(name)
        return None if pk is None else self._choices[name].get(pk)

    def clean_outcome(self):
        return self._object("outcome")

    def clean_offering(self):
        return self._object("offering")

    def clean_partner(self):
        return self._object("partner")


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
