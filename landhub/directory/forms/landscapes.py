"""Forms for landscape pages. They only parse and validate input; services do the writing."""

from __future__ import annotations

from django import forms
from django.urls import reverse_lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from landhub.core.forms import FastChoicesMixin, FastSelectMultiple, StyledFormMixin
from landhub.core.models import Visibility

from ..models import (
    Country,
    ILMStage,
    InitiativeStatus,
    Landscape,
    LandscapeNeed,
    NeedPriority,
    NeedStatus,
    Organization,
    Term,
    Vocabulary,
)


class LandscapeFilterForm(FastChoicesMixin, StyledFormMixin, forms.Form):
    """The filters of the landscape directory; every field is optional."""

    q = forms.CharField(label=_("Search"), required=False)
    country = forms.ChoiceField(label=_("Country"), required=False)
    region = forms.ChoiceField(label=_("Region"), required=False)
    ecosystem = forms.ChoiceField(label=_("Ecosystem"), required=False)
    theme = forms.ChoiceField(label=_("Theme"), required=False)
    status = forms.ChoiceField(label=_("1000L status"), required=False)
    ilm_element = forms.ChoiceField(label=_("ILM element"), required=False)
    ilm_stage = forms.ChoiceField(label=_("ILM stage"), required=False)
    capability = forms.ChoiceField(label=_("Needs capability"), required=False)

    def __init__(self, *args, options: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.use_fast_selects()
        anything = [("", _("Any"))]
        self.fields["country"].choices = anything + [(c.code, c.name) for c in options["countries"]]
        self.fields["region"].choices = anything + [(r, r) for r in options["regions"]]
        self.fields["ecosystem"].choices = anything + [
            (t.slug, t.name) for t in options["ecosystems"]
        ]
        self.fields["theme"].choices = anything + [(t.slug, t.name) for t in options["themes"]]
        self.fields["status"].choices = anything + list(options["statuses"])
        self.fields["ilm_element"].choices = anything + [
            (t.slug, t.name) for t in options["ilm_elements"]
        ]
        self.fields["ilm_stage"].choices = anything + list(options["ilm_stages"])
        self.fields["capability"].choices = anything + [
            (t.slug, t.name) for t in options["capabilities"]
        ]


def _terms(vocabulary):
    return Term.objects.of(vocabulary).order_by("sort_order", "name_en")


class OrganizationNameField(forms.CharField):
    """Pick an organization by typing its name (suggestions come from the autocomplete URL).

    A select with every organization would send thousands of options with each form; a text
    box with suggestions stays small, and works without JavaScript when the name is typed.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.widget = forms.TextInput(
            attrs={"list": "organization-suggestions", "autocomplete": "off",
                   "data-autocomplete-url": format_lazy(
                       "{}?type=organization", reverse_lazy("directory:autocomplete"))}
        )  # fmt: skip

    user = None  # set by the form: names are looked up among what this user may see

    def prepare_value(self, value):
        if isinstance(value, Organization):
            return value.name
        if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
            org = Organization.objects.filter(pk=value).first()
            return org.name if org else ""
        return value

    def clean(self, value):
        name = super().clean(value).strip()
        if not name:
            return None
        # Only organizations the editor may see can be named (no probing for hidden ones).
        visible = Organization.objects.visible_to(self.user) if self.user else Organization.objects
        org = visible.active().filter(name__iexact=name).first()
        if org is None:
            raise forms.ValidationError(
                _("No organization is called “%(name)s”. Choose one from the suggestions."),
                params={"name": name},
            )
        return org


class TermMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class LandscapeForm(StyledFormMixin, forms.ModelForm):
    """Edit a landscape's facts. ``version`` travels with the form to catch concurrent edits."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    countries = forms.ModelMultipleChoiceField(
        label=_("Countries"), queryset=Country.objects.all(),
        widget=FastSelectMultiple(attrs={"size": 6}),
    )  # fmt: skip
    area_types = TermMultipleChoiceField(
        label=_("Area types"), queryset=_terms(Vocabulary.AREA_TYPE), required=False
    )
    ecosystems = TermMultipleChoiceField(
        label=_("Ecosystems"), queryset=_terms(Vocabulary.ECOSYSTEM), required=False
    )
    themes = TermMultipleChoiceField(
        label=_("Themes"), queryset=_terms(Vocabulary.THEME), required=False
    )
    partnership_organization = OrganizationNameField(
        label=_("Landscape partnership"), required=False,
        help_text=_("Start typing the organization's name."),
    )  # fmt: skip

    STAFF_ONLY = ("initiative_status", "visibility", "is_demo")

    class Meta:
        model = Landscape
        fields = [
            "name", "summary", "description", "countries", "population", "area_types",
            "ecosystems", "themes", "partnership_organization", "partnership_status",
            "year_formed", "agreement_signed", "initiative_status", "visibility", "is_demo",
        ]  # fmt: skip
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, staff: bool = False, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partnership_organization"].user = user
        if not staff:
            for name in self.STAFF_ONLY:
                self.fields.pop(name)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        self.fields["year_formed"].widget.attrs.update(min=1900, max=2100)

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        for key in ("countries", "area_types", "ecosystems", "themes"):
            data[key] = list(data.get(key) or [])
        return data


class BoundaryUploadForm(StyledFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    file = forms.FileField(
        label=_("Boundary file"), required=False,
        help_text=_("GeoJSON (Polygon, MultiPolygon, Feature or FeatureCollection) or KML."),
        widget=forms.ClearableFileInput(attrs={"accept": ".geojson,.json,.kml"}),
    )  # fmt: skip
    geojson = forms.CharField(
        label=_("Or paste or draw GeoJSON"), required=False,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
    )  # fmt: skip
    latitude = forms.FloatField(label=_("Or a point: latitude"), required=False)
    longitude = forms.FloatField(label=_("longitude"), required=False)
    clear = forms.BooleanField(label=_("Remove the boundary"), required=False)

    def clean(self):
        data = super().clean()
        given = [
            bool(data.get("file")),
            bool((data.get("geojson") or "").strip()),
            data.get("latitude") is not None or data.get("longitude") is not None,
            bool(data.get("clear")),
        ]
        if sum(given) == 0:
            raise forms.ValidationError(_("Upload a file, paste or draw GeoJSON, or give a point."))
        if sum(given) > 1:
            raise forms.ValidationError(_("Give only one of: file, GeoJSON, point, remove."))
        if given[2] and (data.get("latitude") is None or data.get("longitude") is None):
            raise forms.ValidationError(_("A point needs both latitude and longitude."))
        return data


class NeedForm(StyledFormMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    capability = forms.ModelChoiceField(
        label=_("Capability"), queryset=_terms(Vocabulary.CAPABILITY)
    )

    class Meta:
        model = LandscapeNeed
        fields = ["capability", "priority", "status", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["capability"].label_from_instance = lambda t: t.name
        self.fields["priority"].choices = NeedPriority.choices
        self.fields["status"].choices = NeedStatus.choices
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version


class ILMForm(StyledFormMixin, forms.Form):
    """Stage and evidence for each of the five ILM elements, on one page."""

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for element, progress in rows:
            stage = f"stage_{element.slug}"
            evidence = f"evidence_{element.slug}"
            self.fields[stage] = forms.ChoiceField(
                label=_("Stage"), choices=ILMStage.choices,
                initial=progress.stage if progress else ILMStage.NOT_STARTED,
            )  # fmt: skip
            self.fields[evidence] = forms.CharField(
                label=_("Evidence"), required=False,
                initial=progress.evidence if progress else "",
                widget=forms.Textarea(attrs={"rows": 2}),
            )  # fmt: skip
            self.rows.append((element, stage, evidence))
        self.style_fields()

    def bound_rows(self):
        return [(element, self[stage], self[evidence]) for element, stage, evidence in self.rows]


VISIBILITY_CHOICES = Visibility.choices
INITIATIVE_CHOICES = InitiativeStatus.choices
