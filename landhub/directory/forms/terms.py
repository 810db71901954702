"""Forms for the vocabulary pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from landhub.core.forms import StyledFormMixin

from ..models import Term, Vocabulary


class TermFilterForm(StyledFormMixin, forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    vocabulary = forms.ChoiceField(
        label=_("Vocabulary"), required=False, choices=[("", _("All")), *Vocabulary.choices]
    )


class TermForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Term
        fields = [
            "vocabulary", "slug", "name_en", "name_es", "name_fr", "name_pt", "description",
            "sort_order",
        ]  # fmt: skip
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        if self.instance.pk:
            # The slug and vocabulary are what imports and the API refer to: fixed once made.
            self.fields.pop("vocabulary")
            self.fields.pop("slug")

    def validate_unique(self):
        """The service checks duplicates with a clearer message."""
