"""Forms of action items: the list's filters, the action form, the status form.

They parse input; ``services/actions.py`` decides, and its messages land beside the fields
(same names). People and organizations are named by typing, with suggestions
(``mel:learning_suggest``, kinds ``person`` and ``organization``): the directory holds
20,000 people, too many for a select.
"""

from __future__ import annotations

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from landhub.core.forms import FastChoicesMixin, StyledFormMixin

from ..models import ActionStatus, Body

__all__ = ["ActionFilterForm", "ActionForm", "NamedRecordField", "StatusForm", "version_field"]


class NamedRecordField(forms.CharField):
    """One record named by typing, with the suggestions of ``kind`` (see
    ``mel.forms.learning.resolve``: "Name (#id)", an e-mail for people, an indicator's code,
    or a unique name). Empty: none. ``user`` is set by the form."""

    def __init__(self, *, kind: str, **kwargs):
        from landhub.mel.forms.learning import SUGGEST_URL

        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 300)
        super().__init__(**kwargs)
        self.kind, self.user = kind, None
        self.widget = forms.TextInput(attrs={
            "list": f"{kind}-suggestions", "autocomplete": "off",
            "data-autocomplete-url": format_lazy("{}?kind={}", SUGGEST_URL, kind)})  # fmt: skip

    def prepare_value(self, value):
        from landhub.mel.forms.learning import suggestion_label

        if hasattr(value, "pk"):
            return suggestion_label(value)
        return value or ""

    def clean(self, value):
        from landhub.mel.forms.learning import resolve

        text = (super().clean(value) or "").strip()
        if not text:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"])
            return None
        return resolve(self.kind, text, self.user)


def version_field() -> forms.IntegerField:
    """The version the person edited (a stale one is a conflict, see ``save_form``)."""
    return forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=0,
                              max_value=2**31)  # fmt: skip


class ActionFilterForm(FastChoicesMixin, StyledFormMixin, forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    body = forms.ChoiceField(label=_("Body"), required=False)
    mine = forms.BooleanField(label=_("Mine only"), required=False)
    owner_organization = forms.ChoiceField(label=_("Owner organization"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[
        ("", _("Any")), ("open", _("Open or in progress")), *ActionStatus.choices])  # fmt: skip
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    due_before = forms.DateField(label=_("Due before"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}))  # fmt: skip

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from ..selectors.actions import action_owner_organizations

        bodies = Body.objects.visible_to(user).filter(archived_at__isnull=True)
        self.fields["body"].choices = [("", _("Any")), *bodies.values_list("slug", "name")]
        owners = action_owner_organizations(user=user)
        self.fields["owner_organization"].choices = [("", _("Any")), *owners]
        self.use_fast_selects()


class ActionForm(StyledFormMixin, forms.Form):
    """What to do, who owns it, by when. The body, decision or meeting come from the page the
    form was opened from (``?decision=``, ``?meeting=``, ``?body=``)."""

    title = forms.CharField(label=_("What"), max_length=300)
    description = forms.CharField(label=_("Details"), required=False, max_length=20_000,
                                  widget=forms.Textarea(attrs={"rows": 4}))  # fmt: skip
    owner = NamedRecordField(
        kind="person",
        label=_("Owner"),
        help_text=_("The person who does it: they are told and reminded."),
    )
    owner_organization = NamedRecordField(kind="organization", label=_("Owner organization"))
    due_on = forms.DateField(label=_("Due"), widget=forms.DateInput(attrs={"type": "date"}))
    confidential = forms.BooleanField(
        label=_("Confidential"), required=False,
        help_text=_("Only the body's members, the owner and hub staff may read it."),
    )  # fmt: skip
    version = version_field()

    def __init__(self, *args, user, action=None, **kwargs):
        if action is not None and not args:
            kwargs.setdefault("initial", {
                "title": action.title, "description": action.description, "owner": action.owner,
                "owner_organization": action.owner_organization, "due_on": action.due_on,
                "confidential": action.confidential, "version": action.version})  # fmt: skip
        super().__init__(*args, **kwargs)
        for name in ("owner", "owner_organization"):
            self.fields[name].user = user

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data


class StatusForm(StyledFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)
    version = version_field()

    def __init__(self, *args, action=None, **kwargs):
        if action is not None and not args:
            kwargs.setdefault("initial", {"status": action.status, "version": action.version})
        super().__init__(*args, **kwargs)
