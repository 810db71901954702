"""The upload form of an import: which kind, the table, and optional boundaries."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from landhub.core.forms import StyledFormMixin


class ImportForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("What to import"))
    file = forms.FileField(
        label=_("CSV or XLSX file"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
        help_text=_("Start from the template so the columns are right."),
    )
    boundaries = forms.FileField(
        label=_("Boundaries (optional GeoJSON FeatureCollection)"), required=False,
        help_text=_("For landscapes: features are matched to rows by their “name” property."),
        widget=forms.ClearableFileInput(attrs={"accept": ".geojson,.json"}),
    )  # fmt: skip

    def __init__(self, *args, kinds: dict, **kwargs):
        """``kinds``: the import kinds the person may use (``imports.kinds_for``)."""
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k, _(v.label)) for k, v in kinds.items()]
        if not any(kind.accepts_boundaries for kind in kinds.values()):
            del self.fields["boundaries"]  # e.g. partner staff: only offerings to import

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.LANDHUB_MAX_IMPORT_BYTES:
            raise forms.ValidationError(
                _("The file is %(size).1f MB; the limit is %(limit).1f MB.")
                % {
                    "size": upload.size / 1048576,
                    "limit": settings.LANDHUB_MAX_IMPORT_BYTES / 1048576,
                }  # fmt: skip
            )
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        return upload

    def clean_boundaries(self):
        upload = self.cleaned_data.get("boundaries")
        if upload and upload.size > settings.LANDHUB_MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("The boundaries file is too large."))
        return upload
