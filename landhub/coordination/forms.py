"""Forms of the catalog (parsing only; ``services`` writes)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from landhub.core.forms import (
    FastChoicesMixin,
    FastSelect,
    FastSelectMultiple,
    StyledFormMixin,
)
from landhub.directory.models import Country, Organization, Term, Vocabulary

from .models import OFFERING_LANGUAGES, Offering, OfferingStatus


def _with_counts(facet: list[tuple]) -> list[tuple[str, str]]:
    """Choices "Label (count)" from a facet; values with no offering are left out, except
    the chosen one, so a filter never leads to an empty page unnoticed."""
    return [("", _("Any"))] + [(value, f"{label} ({n})") for value, label, n in facet if n]


class OfferingFilterForm(FastChoicesMixin, StyledFormMixin, forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    type = forms.ChoiceField(label=_("Type"), required=False)
    capability = forms.ChoiceField(label=_("Capability"), required=False)
    theme = forms.ChoiceField(label=_("Theme"), required=False)
    ilm_element = forms.ChoiceField(label=_("ILM element"), required=False)
    provider = forms.ChoiceField(label=_("Provider"), required=False)
    language = forms.ChoiceField(label=_("Language"), required=False)
    region = forms.ChoiceField(label=_("Available in"), required=False)
    cost = forms.ChoiceField(label=_("Cost"), required=False)
    format = forms.ChoiceField(label=_("Format"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args, facets: dict, show_status: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.use_fast_selects()
        for name in ("type", "capability", "theme", "ilm_element", "provider", "language",
                     "region", "cost", "format"):  # fmt: skip
            choices = _with_counts(facets[name])
            chosen = (self.data.get(name) or "") if self.is_bound else ""
            if chosen and chosen not in {value for value, _label in choices}:
                choices.append((chosen, f"{chosen} (0)"))
            self.fields[name].choices = choices
        if show_status:
            self.fields["status"].choices = [("", _("Published"))] + [
                c for c in OfferingStatus.choices if c[0] != OfferingStatus.PUBLISHED
            ]
        else:
            del self.fields["status"]


class TermMultipleField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class OfferingForm(StyledFormMixin, forms.ModelForm):
    """Create or edit an offering. Providers are limited to the user's own organizations
    (plus those already listed); hub staff may name any organization."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    providers = forms.ModelMultipleChoiceField(
        label=_("Providers"), queryset=Organization.objects.none(),
        widget=FastSelectMultiple(attrs={"size": 5}),
        help_text=_("The organizations that offer it."),
    )  # fmt: skip
    lead_provider = forms.ModelChoiceField(
        label=_("Lead provider"), queryset=Organization.objects.none(), required=False,
        help_text=_("Who answers for it; the first provider when left empty."),
    )  # fmt: skip
    capabilities = TermMultipleField(
        label=_("Capabilities it builds"), queryset=Term.objects.of(Vocabulary.CAPABILITY),
        required=False, widget=FastSelectMultiple(attrs={"size": 6}),
    )  # fmt: skip
    themes = TermMultipleField(
        label=_("Themes"), queryset=Term.objects.of(Vocabulary.THEME), required=False,
        widget=FastSelectMultiple(attrs={"size": 4}),
    )  # fmt: skip
    ilm_elements = TermMultipleField(
        label=_("ILM elements it supports"), queryset=Term.objects.of(Vocabulary.ILM_ELEMENT),
        required=False, widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    regions = forms.MultipleChoiceField(
        label=_("Available in regions"), required=False, widget=forms.CheckboxSelectMultiple
    )
    countries = forms.ModelMultipleChoiceField(
        label=_("Available in countries"), queryset=Country.objects.all(), required=False,
        widget=FastSelectMultiple(attrs={"size": 5}),
    )  # fmt: skip
    languages = forms.MultipleChoiceField(
        label=_("Languages"), choices=OFFERING_LANGUAGES, required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    access_url = forms.URLField(label=_("Link"), required=False, assume_scheme="https")

    class Meta:
        model = Offering
        fields = [
            "title", "summary", "type", "description", "providers", "lead_provider",
            "capabilities", "themes", "ilm_elements", "is_global", "regions", "countries",
            "languages", "delivery_format", "cost", "eligibility", "access_mode", "access_url",
            "access_contact", "visibility",
        ]  # fmt: skip
        widgets = {
            "description": forms.Textarea(attrs={"rows": 8}),
            "eligibility": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["providers"].queryset = organizations
        self.fields["lead_provider"].queryset = organizations
        regions = (
            Country.objects.exclude(region__in=["", "Antarctica"])
            .order_by("region").values_list("region", flat=True).distinct()
        )  # fmt: skip
        self.fields["regions"].choices = [(r, r) for r in regions]
        offering = self.instance
        if offering.pk:
            self.fields["version"].initial = offering.version
            links = list(offering.provider_links.all())
            self.initial["providers"] = [link.organization_id for link in links]
            lead = next((link for link in links if link.is_lead), None)
            self.initial["lead_provider"] = lead.organization_id if lead else None
            self.initial["regions"] = offering.region_names
            self.initial["languages"] = offering.language_codes
        self.style_fields()

    def validate_unique(self):
        """Slugs are made unique by the service."""

    def _post_clean(self):
        """The service validates and writes; the form only parses."""

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        for key in ("providers", "capabilities", "themes", "ilm_elements", "countries"):
            data[key] = list(data.get(key) or [])
        return data


class TransitionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[(a, a) for a in ("submit", "publish", "return", "retire", "reopen")]
    )
    version = forms.IntegerField()
    comment = forms.CharField(required=False, max_length=2000)


class LandscapeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class NeedChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.landscape.name}: {obj.capability.name} ({obj.get_priority_display()})"


class ServiceRequestForm(StyledFormMixin, forms.Form):
    landscape = LandscapeChoiceField(label=_("For the landscape"), queryset=None,
                                     widget=FastSelect)  # fmt: skip
    need = NeedChoiceField(
        label=_("For the need (optional)"), queryset=None, required=False, widget=FastSelect,
        help_text=_("One of the landscape's open needs this should help with."),
    )  # fmt: skip
    message = forms.CharField(
        label=_("Message to the providers"), widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000, help_text=_("What you hope to get from it, by when, and who to talk to."),
    )  # fmt: skip

    def __init__(self, *args, landscapes, needs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["landscape"].queryset = landscapes
        self.fields["need"].queryset = needs
        self.style_fields()

    def clean(self):
        data = super().clean()
        need, landscape = data.get("need"), data.get("landscape")
        if need and landscape and need.landscape_id != landscape.pk:
            self.add_error("need", _("Choose one of this landscape's needs."))
        return data


class RequestActionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[(a, a) for a in ("accept", "start", "deliver", "decline", "withdraw")]
    )
    version = forms.IntegerField()
    answer = forms.CharField(required=False, max_length=4000)
    expected_by = forms.DateField(required=False)


class FeedbackForm(StyledFormMixin, forms.Form):
    usefulness = forms.TypedChoiceField(
        label=_("How useful was it?"), coerce=int, widget=forms.RadioSelect,
        choices=[(n, str(n)) for n in range(1, 6)],
        help_text=_("1 = not useful, 5 = very useful"),
    )  # fmt: skip
    what_changed = forms.CharField(
        label=_("What changed thanks to it?"), widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
    )  # fmt: skip
    days_saved = forms.DecimalField(
        label=_("Days of work it saved (optional)"), required=False, min_value=0,
        max_digits=8, decimal_places=1,
    )  # fmt: skip
    money_saved_usd = forms.DecimalField(
        label=_("Money it saved, in US dollars (optional)"), required=False, min_value=0,
        max_digits=12, decimal_places=2,
    )  # fmt: skip
    would_recommend = forms.TypedChoiceField(
        label=_("Would you recommend it to another landscape?"), widget=forms.RadioSelect,
        coerce=lambda v: v == "yes", choices=[("yes", _("Yes")), ("no", _("No"))],
    )  # fmt: skip


class ActivityForm(StyledFormMixin, forms.ModelForm):
    """Create or edit an activity; organizations limited to the user's own (all for staff)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    organizations = forms.ModelMultipleChoiceField(
        label=_("Organizations"), queryset=Organization.objects.none(),
        widget=FastSelectMultiple(attrs={"size": 4}),
    )  # fmt: skip
    landscapes = forms.ModelMultipleChoiceField(
        label=_("Landscapes"), queryset=None, required=False, to_field_name="slug",
        widget=FastSelectMultiple(attrs={"size": 6}),
    )  # fmt: skip
    capabilities = TermMultipleField(
        label=_("Capabilities"), queryset=Term.objects.of(Vocabulary.CAPABILITY),
        required=False, widget=FastSelectMultiple(attrs={"size": 6}),
    )  # fmt: skip
    themes = TermMultipleField(
        label=_("Themes"), queryset=Term.objects.of(Vocabulary.THEME), required=False,
        widget=FastSelectMultiple(attrs={"size": 4}),
    )  # fmt: skip

    class Meta:
        from .models import Activity

        model = Activity
        fields = ["title", "type", "status", "starts_on", "ends_on", "organizations",
                  "landscapes", "capabilities", "themes", "description", "visibility"]  # fmt: skip
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, organizations, landscapes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organizations"].queryset = organizations
        self.fields["landscapes"].queryset = landscapes
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            self.initial["landscapes"] = [ls.slug for ls in self.instance.landscapes.all()]
        self.style_fields()

    def _post_clean(self):
        """The service validates and writes."""

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        for key in ("organizations", "capabilities", "themes"):
            data[key] = list(data.get(key) or [])
        data["landscapes"] = [ls.slug for ls in data.get("landscapes") or []]
        return data


class LinkForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    url = forms.URLField(label=_("Web address"), max_length=200, assume_scheme="https")


class AttachmentForm(StyledFormMixin, forms.Form):
    title = forms.CharField(
        label=_("Title"), max_length=200, required=False,
        help_text=_("Leave empty to use the file's name."),
    )  # fmt: skip
    file = forms.FileField(
        label=_("File"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".pdf,.docx,.xlsx,.pptx,.odt,.ods,.odp,.csv,.txt,.md,.png,.jpg,.jpeg"}
        ),
        help_text=_("PDF, Word, Excel, PowerPoint, OpenDocument, CSV, text, PNG or JPEG; "
                    "up to 20 MB."),
    )  # fmt: skip
