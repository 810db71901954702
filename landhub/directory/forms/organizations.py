"""Forms for organization and person pages (parsing only; services write)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from landhub.core.forms import FastChoicesMixin, FastSelectMultiple, StyledFormMixin

from ..models import CapabilityLevel, Country, Organization, Person, Term, Vocabulary

IMAGE_TYPES = "image/png,image/jpeg,image/webp,image/gif"


def _choices(terms):
    return [("", _("Any"))] + [(t.slug, t.name) for t in terms]


class OrganizationFilterForm(FastChoicesMixin, StyledFormMixin, forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    country = forms.ChoiceField(label=_("Country"), required=False)
    capability = forms.ChoiceField(label=_("Capability"), required=False)
    theme = forms.ChoiceField(label=_("Theme"), required=False)
    core = forms.BooleanField(label=_("Core partners only"), required=False)

    def __init__(self, *args, options: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.use_fast_selects()
        self.fields["kind"].choices = _choices(options["kinds"])
        self.fields["capability"].choices = _choices(options["capabilities"])
        self.fields["theme"].choices = _choices(options["themes"])
        self.fields["country"].choices = [("", _("Any"))] + [
            (c.code, c.name) for c in options["countries"]
        ]


class TermChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class TermMultipleField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class OrganizationForm(StyledFormMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    kind = TermChoiceField(label=_("Kind"), queryset=Term.objects.of(Vocabulary.ORGANIZATION_KIND))
    countries_active = forms.ModelMultipleChoiceField(
        label=_("Active in"), queryset=Country.objects.all(), required=False,
        widget=FastSelectMultiple(attrs={"size": 6}),
    )  # fmt: skip
    themes = TermMultipleField(
        label=_("Themes"), queryset=Term.objects.of(Vocabulary.THEME), required=False
    )
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    # A plain file field: the service decodes and re-encodes the image (core.uploads), so
    # the form does not open it with Pillow a second time.
    logo = forms.FileField(
        label=_("Logo"), required=False,
        help_text=_("PNG, JPEG, WebP or GIF, up to 2 MB. It is shown at most 512 pixels wide."),
        widget=forms.ClearableFileInput(attrs={"accept": IMAGE_TYPES}),
    )  # fmt: skip

    class Meta:
        model = Organization
        fields = [
            "name", "short_name", "kind", "country", "countries_active", "website",
            "description", "themes", "visibility", "logo",
        ]  # fmt: skip
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, staff: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not staff:
            self.fields.pop("kind")
            self.fields.pop("visibility")
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def validate_unique(self):
        """Duplicate names are checked by the service, with its own message."""

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        data["countries_active"] = list(data.get("countries_active") or [])
        data["themes"] = list(data.get("themes") or [])
        if data.get("logo") is None:
            data.pop("logo", None)  # nothing uploaded, "clear" not ticked: unchanged
        return data


class CapabilitiesForm(StyledFormMixin, forms.Form):
    """One level select per capability; "—" means the organization does not offer it."""

    def __init__(self, *args, current: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.terms = list(Term.objects.of(Vocabulary.CAPABILITY).order_by("sort_order"))
        choices = [("", "—"), *CapabilityLevel.choices]
        for term in self.terms:
            self.fields[term.slug] = forms.ChoiceField(
                label=term.name, choices=choices, required=False, initial=current.get(term.pk, "")
            )
        self.style_fields()

    def selected(self) -> dict:
        return {slug: level for slug, level in self.cleaned_data.items() if level}


class PersonFilterForm(StyledFormMixin, forms.Form):
    q = forms.CharField(label=_("Search"), required=False)


class PersonForm(StyledFormMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Person
        fields = ["name", "email", "phone", "bio", "contact_consent"]
        widgets = {"bio": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
