from django import forms
from django.utils.translation import gettext_lazy as _

from landhub.core.forms import StyledFormMixin
from landhub.core.models import NotificationDelivery

from .models import ApiTokenScope, User


class ProfileForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = User
        fields = ["name", "timezone"]

    def clean_timezone(self):
        import zoneinfo

        value = self.cleaned_data["timezone"]
        if value not in zoneinfo.available_timezones():
            raise forms.ValidationError(_("Choose a time zone such as Africa/Nairobi or UTC."))
        return value


class ApiTokenForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100, help_text=_("What the token is for."))
    scope = forms.ChoiceField(label=_("Scope"), choices=ApiTokenScope.choices)
    expires_in_days = forms.IntegerField(
        label=_("Expires after (days)"), min_value=1, max_value=366, initial=90
    )


# Groups of notification kinds, each named by the prefix of the kinds it covers (the apps
# name their kinds ``<app>.<what>``); ``core.services.delivery_for`` picks the longest
# matching group, so "directory." catches the directory's kinds no other group names.
NOTIFICATION_KINDS = [
    ("directory.invitation", _("Invitations accepted")),
    ("directory.join_request", _("Join requests and their answers")),
    ("directory.", _("Changes to records I manage")),
    ("import.", _("Imports finished")),
    ("coordination.offering", _("Offerings: to review, returned, published, changed")),
    ("coordination.request", _("Service requests and their progress")),
    ("coordination.feedback", _("Feedback on services we delivered")),
    ("coordination.activity", _("Activities overlapping ours")),
    ("mel.", _("Monitoring: reporting reminders")),
    ("governance.meeting", _("Meetings of my bodies: invitations and changes")),
    ("governance.agenda", _("Agendas published")),
    ("governance.vote", _("Votes: open, and closing soon")),
    ("governance.decision", _("Decisions taken by my bodies")),
    ("governance.advice", _("Advice requested and given")),
    ("governance.action", _("Action items: assigned to me and due")),
    ("governance.minutes", _("Minutes for approval")),
    ("governance.", _("Other news of my bodies")),
]


class NotificationPreferencesForm(StyledFormMixin, forms.Form):
    def __init__(self, *args, current: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for kind, label in NOTIFICATION_KINDS:
            self.fields[kind] = forms.ChoiceField(
                label=label,
                choices=NotificationDelivery.choices,
                initial=current.get(kind, NotificationDelivery.IMMEDIATE),
            )
        self.style_fields()
