"""Forms for inviting people and asking to join."""

from django import forms
from django.utils.translation import gettext_lazy as _

from landhub.core.forms import StyledFormMixin

from ..models import LandscapeRole, OrganizationRole


class InvitationForm(StyledFormMixin, forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(label=_("Role"))
    message = forms.CharField(
        label=_("Message (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, for_organization: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = (
            OrganizationRole.choices if for_organization else LandscapeRole.choices
        )
        self.fields["role"].initial = "member"


class JoinRequestForm(StyledFormMixin, forms.Form):
    message = forms.CharField(
        label=_("Why would you like to join? (optional)"), required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip
