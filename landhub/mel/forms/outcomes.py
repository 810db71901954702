"""Forms of outcome harvesting. They parse input; ``services/outcomes.py`` decides.

Organizations, landscapes, offerings and activities are named by typing (suggestions from an
autocomplete URL through the browser's own ``<datalist>``, see ``static/landhub/landhub.js``),
never by a select of every record: at scale there are thousands of each. A name is looked up
among the records the editor may see, so nobody can probe for hidden ones.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.urls import reverse_lazy
from django.utils.html import format_html, format_html_join
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from landhub.core.forms import FastSelectMultiple, StyledFormMixin
from landhub.core.models import Visibility
from landhub.directory.forms.landscapes import OrganizationNameField

from ..models.outcomes import (
    TAG_VOCABULARIES,
    ActorType,
    Agreement,
    ChangeType,
    Domain,
    Effect,
    OutcomeStatus,
    Significance,
)

ANY = [("", gettext_lazy("Any"))]


class NameListWidget(forms.Widget):
    """A few text boxes, one name each, with suggestions: the names already chosen and
    ``extra`` empty boxes. Submitted as a list under one name."""

    def __init__(self, *, suggest_url, list_id: str, extra: int = 2, attrs=None):
        super().__init__(attrs)
        self.suggest_url, self.list_id, self.extra = suggest_url, list_id, extra
        self.label = ""

    def id_for_label(self, id_):
        return f"{id_}_0" if id_ else id_

    def value_from_datadict(self, data, files, name):
        getter = getattr(data, "getlist", None)
        values = getter(name) if getter else data.get(name) or []
        if isinstance(values, str):
            values = [values]
        return [v.strip()[:200] for v in values if isinstance(v, str) and v.strip()][:50]

    def value_omitted_from_data(self, data, files, name):
        return name not in data

    def render(self, name, value, attrs=None, renderer=None):
        values = [str(v) for v in (value or [])]
        final = self.build_attrs(self.attrs, attrs)
        base_id = final.get("id", f"id_{name}")
        boxes = values + [""] * self.extra
        rows = [
            (name, f"{base_id}_{i}", self.list_id, str(self.suggest_url),
             f"{self.label} {i + 1}" if i else self.label, text)
            for i, text in enumerate(boxes)
        ]  # fmt: skip
        inputs = format_html_join(
            "",
            '<input type="text" name="{}" id="{}" class="form-control mb-1" list="{}" '
            'data-autocomplete-url="{}" autocomplete="off" aria-label="{}" value="{}">',
            rows,
        )
        return format_html('<div class="name-list">{}</div>', inputs)


class NameListField(forms.Field):
    """Names of visible records → the records. ``lookup(user, name)`` finds one or None."""

    def __init__(self, *, lookup, suggest_url, list_id, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(widget=NameListWidget(suggest_url=suggest_url, list_id=list_id),
                         **kwargs)  # fmt: skip
        self.lookup = lookup
        self.user = None
        self.widget.label = str(self.label or "")

    def prepare_value(self, value):
        return [getattr(v, "name", None) or getattr(v, "title", None) or str(v)
                for v in (value or [])]  # fmt: skip

    def to_python(self, value):
        return value or []

    def clean(self, value):
        names = list(dict.fromkeys(self.to_python(value)))
        found, unknown = [], []
        for name in names:
            record = self.lookup(self.user, name)
            (found.append(record) if record is not None else unknown.append(name))
        if unknown:
            raise forms.ValidationError(
                _("Not found: %(names)s. Choose names from the suggestions.")
                % {"names": ", ".join(f"“{n}”" for n in unknown)}
            )
        if self.required and not found:
            raise forms.ValidationError(self.error_messages["required"])
        return found


def _landscape(user, name):
    from landhub.directory.models import Landscape

    return Landscape.objects.visible_to(user).active().filter(name__iexact=name).first()


def _organization(user, name):
    from landhub.directory.models import Organization

    return Organization.objects.visible_to(user).active().filter(name__iexact=name).first()


def _named(kind: str):
    """Offerings and activities are named as the shared suggestions label them ("Title
    (#id)"), or by their exact title when it is unique."""

    def lookup(user, name):
        from django import forms as django_forms

        from .learning import resolve

        try:
            return resolve(kind, name, user)
        except django_forms.ValidationError:
            return None

    return lookup


_offering, _activity = _named("offering"), _named("activity")


def _suggest(kind: str):
    if kind in ("landscape", "organization"):
        return format_lazy("{}?type={}", reverse_lazy("directory:autocomplete"), kind)
    return format_lazy("{}?kind={}", reverse_lazy("mel:learning_suggest"), kind)


class TagChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.get_vocabulary_display()} · {obj.name}"


def _tags():
    from landhub.directory.models import Term

    return Term.objects.filter(vocabulary__in=TAG_VOCABULARIES, is_active=True).order_by(
        "vocabulary", "sort_order", "name_en")  # fmt: skip


class OutcomeForm(StyledFormMixin, forms.Form):
    """An outcome statement. ``version`` catches concurrent edits; ``reason`` is asked when
    a published statement changes."""

    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    description = forms.CharField(
        label=gettext_lazy("What changed"), widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("Who changed what in their behaviour, policy, practice, "
                               "investment or relationships. Markdown."),
    )  # fmt: skip
    actor_organization = OrganizationNameField(
        label=gettext_lazy("Social actor (directory)"), required=False,
        help_text=gettext_lazy("Start typing the organization's name; or type the actor's "
                               "name below when it is not in the directory."),
    )  # fmt: skip
    actor_name = forms.CharField(label=gettext_lazy("Social actor (not in the directory)"),
                                 max_length=200, required=False)  # fmt: skip
    actor_type = forms.ChoiceField(label=gettext_lazy("Type of actor"), choices=ActorType.choices)
    change_type = forms.ChoiceField(label=gettext_lazy("Type of change"),
                                    choices=ChangeType.choices)  # fmt: skip
    domain = forms.ChoiceField(label=gettext_lazy("Domain of the enabling environment"),
                               choices=Domain.choices)  # fmt: skip
    occurred_on = forms.DateField(label=gettext_lazy("When it happened"),
                                  widget=forms.DateInput(attrs={"type": "date"}))  # fmt: skip
    is_global = forms.BooleanField(label=gettext_lazy("Global (not tied to a place)"),
                                   required=False)  # fmt: skip
    landscapes = NameListField(label=gettext_lazy("Landscapes"), lookup=_landscape,
                               suggest_url=_suggest("landscape"),
                               list_id="landscape-suggestions")  # fmt: skip
    countries = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Countries"), queryset=None, required=False,
        widget=FastSelectMultiple(attrs={"size": 5}),
    )  # fmt: skip
    intended = forms.TypedChoiceField(
        label=gettext_lazy("Intended"), coerce=lambda v: v == "yes", initial="yes",
        choices=[("yes", gettext_lazy("Intended")), ("no", gettext_lazy("Unintended"))],
    )  # fmt: skip
    effect = forms.ChoiceField(label=gettext_lazy("Positive or negative"),
                               choices=Effect.choices)  # fmt: skip
    significance_level = forms.ChoiceField(label=gettext_lazy("Significance"),
                                           choices=Significance.choices,
                                           initial=Significance.MEDIUM)  # fmt: skip
    significance = forms.CharField(label=gettext_lazy("Why it matters"), required=False,
                                   widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip
    contribution = forms.CharField(
        label=gettext_lazy("Contribution of the initiative"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("How the partners, offerings and activities contributed. "
                               "Markdown."),
    )  # fmt: skip
    contributing_partners = NameListField(label=gettext_lazy("Contributing partners"),
                                          lookup=_organization,
                                          suggest_url=_suggest("organization"),
                                          list_id="organization-suggestions")  # fmt: skip
    offerings = NameListField(label=gettext_lazy("Contributing offerings"), lookup=_offering,
                              suggest_url=_suggest("offering"),
                              list_id="offering-suggestions")  # fmt: skip
    activities = NameListField(label=gettext_lazy("Contributing activities"), lookup=_activity,
                               suggest_url=_suggest("activity"),
                               list_id="activity-suggestions")  # fmt: skip
    tags = TagChoiceField(label=gettext_lazy("Tags"), queryset=None, required=False,
                          widget=FastSelectMultiple(attrs={"size": 8}),
                          help_text=gettext_lazy("Themes, capabilities, SDGs and ILM "
                                                 "elements."))  # fmt: skip
    visibility = forms.ChoiceField(
        label=gettext_lazy("Who may read it once published"), choices=Visibility.choices,
        initial=Visibility.NETWORK,
    )  # fmt: skip
    reason = forms.CharField(label=gettext_lazy("Why it changes"), max_length=100,
                             required=False)  # fmt: skip
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user, outcome=None, **kwargs):
        from landhub.directory.models import Country

        super().__init__(*args, **kwargs)
        self.fields["countries"].queryset = Country.objects.order_by("name")
        self.fields["tags"].queryset = _tags()
        self.fields["actor_organization"].user = user
        for name in ("landscapes", "contributing_partners", "offerings", "activities"):
            self.fields[name].user = user
        if outcome is None or outcome.status != OutcomeStatus.PUBLISHED:
            del self.fields["reason"]
        else:
            self.fields["reason"].required = True
        if outcome is not None:
            self.initial.update({
                key: getattr(outcome, key) for key in (
                    "title", "description", "actor_name", "actor_type", "change_type",
                    "domain", "occurred_on", "is_global", "effect", "significance_level",
                    "significance", "contribution", "visibility")
            })  # fmt: skip
            self.initial["intended"] = "yes" if outcome.intended else "no"
            self.initial["actor_organization"] = outcome.actor_organization
            self.initial["version"] = outcome.version
            for key in ("landscapes", "countries", "contributing_partners", "offerings",
                        "activities", "tags"):  # fmt: skip
                self.initial[key] = list(getattr(outcome, key).all())

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        data.pop("reason", None)
        for key in ("landscapes", "countries", "contributing_partners", "offerings",
                    "activities", "tags"):  # fmt: skip
            data[key] = list(data.get(key) or [])
        return data


class OutcomeFilterForm(StyledFormMixin, forms.Form):
    """The register's and the dashboard's filters; every field optional."""

    q = forms.CharField(label=gettext_lazy("Search"), required=False)
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False,
                               choices=ANY + OutcomeStatus.choices)  # fmt: skip
    domain = forms.ChoiceField(label=gettext_lazy("Domain"), required=False,
                               choices=ANY + Domain.choices)  # fmt: skip
    change_type = forms.ChoiceField(label=gettext_lazy("Type of change"), required=False,
                                    choices=ANY + ChangeType.choices)  # fmt: skip
    actor_type = forms.ChoiceField(label=gettext_lazy("Type of actor"), required=False,
                                   choices=ANY + ActorType.choices)  # fmt: skip
    region = forms.ChoiceField(label=gettext_lazy("Region"), required=False, choices=[])
    country = forms.ChoiceField(label=gettext_lazy("Country"), required=False, choices=[])
    landscape = forms.CharField(label=gettext_lazy("Landscape (slug)"), required=False)
    partner = forms.CharField(label=gettext_lazy("Contributing partner (slug)"), required=False)
    offering = forms.CharField(label=gettext_lazy("Contributing offering (slug)"),
                               required=False)  # fmt: skip
    intended = forms.ChoiceField(label=gettext_lazy("Intended"), required=False, choices=ANY + [
        ("yes", gettext_lazy("Intended")), ("no", gettext_lazy("Unintended"))])  # fmt: skip
    effect = forms.ChoiceField(label=gettext_lazy("Positive or negative"), required=False,
                               choices=ANY + Effect.choices)  # fmt: skip
    significance = forms.ChoiceField(label=gettext_lazy("Significance"), required=False,
                                     choices=ANY + Significance.choices)  # fmt: skip
    tag = forms.ChoiceField(label=gettext_lazy("Tag"), required=False, choices=[])
    year = forms.IntegerField(label=gettext_lazy("Year"), required=False, min_value=1900,
                              max_value=2200)  # fmt: skip
    date_from = forms.DateField(label=gettext_lazy("From"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}))  # fmt: skip
    date_to = forms.DateField(label=gettext_lazy("To"), required=False,
                              widget=forms.DateInput(attrs={"type": "date"}))  # fmt: skip

    def __init__(self, *args, **kwargs):
        from landhub.core.forms import FastSelect
        from landhub.directory.models import Country

        super().__init__(*args, **kwargs)
        countries = list(Country.objects.order_by("name").values_list("code", "name", "region"))
        regions = sorted({r for _c, _n, r in countries if r and r != "Antarctica"})
        self.fields["region"].choices = (ANY + [(r, r) for r in regions]
                                         + [("global", _("Global"))])  # fmt: skip
        self.fields["country"].choices = ANY + [(c, n) for c, n, _r in countries]
        self.fields["tag"].choices = ANY + [(t.slug, f"{t.get_vocabulary_display()} · {t.name}")
                                            for t in _tags()]  # fmt: skip
        for name in ("country", "tag"):
            self.fields[name].widget = FastSelect(attrs=self.fields[name].widget.attrs)


class SubstantiationRequestForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    email = forms.EmailField(label=gettext_lazy("E-mail"))
    affiliation = forms.CharField(
        label=gettext_lazy("Organization and role"), max_length=200, required=False,
        help_text=gettext_lazy("Why this person can judge the change independently."),
    )  # fmt: skip
    language = forms.ChoiceField(label=gettext_lazy("Language of the e-mail"),
                                 choices=settings.LANGUAGES)  # fmt: skip


class SubstantiationAnswerForm(StyledFormMixin, forms.Form):
    statement_agreement = forms.ChoiceField(
        label=gettext_lazy("Do you agree with the statement of what changed?"),
        choices=Agreement.choices, widget=forms.RadioSelect,
    )  # fmt: skip
    contribution_agreement = forms.ChoiceField(
        label=gettext_lazy("Do you agree that the initiative contributed as described?"),
        choices=Agreement.choices, widget=forms.RadioSelect,
    )  # fmt: skip
    comment = forms.CharField(
        label=gettext_lazy("Comment"), required=False, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("What you know of the change; what is not right, if anything."),
    )  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("statement_agreement", "contribution_agreement"):
            self.fields[name].widget.attrs["class"] = "form-check-input"


class ReturnForm(StyledFormMixin, forms.Form):
    comment = forms.CharField(label=gettext_lazy("What needs to change"), max_length=5000,
                              widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
