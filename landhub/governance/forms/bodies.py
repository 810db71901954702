"""Forms of bodies and seats. They parse input; ``services/bodies.py`` decides (its messages
land beside the fields, whose names match the services' error keys).

A seat's person and organization are named by typing, with suggestions
(``directory:autocomplete``), never chosen in a select of the whole directory: there are
20,000 people and 4,000 organizations. A suggestion reads "Name"; a name shared by several
people is told apart by their e-mail, which the box also accepts. An alternate's principal
is a select of the body's voting seats (a handful).
"""

from __future__ import annotations

import re

from django import forms
from django.urls import reverse_lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from landhub.core.forms import StyledFormMixin
from landhub.core.models import Visibility

from ..models import (
    BodyKind,
    Quorum,
    RecordsAccess,
    SeatRole,
    Threshold,
    ThresholdBase,
    TieRule,
)

ANY = [("", gettext_lazy("Any"))]
_ID = re.compile(r"\(#(\d+)\)\s*$")


def _date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class BodyFilterForm(StyledFormMixin, forms.Form):
    q = forms.CharField(label=gettext_lazy("Search by name"), required=False, max_length=100)
    kind = forms.ChoiceField(label=gettext_lazy("Type"), required=False,
                             choices=ANY + BodyKind.choices)  # fmt: skip


class SafeModelChoice(forms.ModelChoiceField):
    """A model choice that calls an id beyond the databases' integers not one of the choices
    instead of failing in the query."""

    def to_python(self, value):
        text = str(value).strip() if value not in self.empty_values else ""
        if text and (not text.isdigit() or int(text) >= 2**63):
            raise forms.ValidationError(self.error_messages["invalid_choice"],
                                        code="invalid_choice")  # fmt: skip
        return super().to_python(value)


class BodyForm(StyledFormMixin, forms.Form):
    """A body with its mandate and rules of procedure (hub staff)."""

    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    slug = forms.SlugField(
        label=gettext_lazy("Short name in links"), max_length=80, required=False,
        help_text=gettext_lazy("Letters, digits and hyphens; made from the name when empty. "
                               "Cannot change later."),
    )  # fmt: skip
    kind = forms.ChoiceField(label=gettext_lazy("Type"), choices=BodyKind.choices)
    mandate = forms.CharField(
        label=gettext_lazy("Mandate"), widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("What the body is for. Markdown."),
    )  # fmt: skip
    decides_on = forms.CharField(
        label=gettext_lazy("Decides on"), required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("The matters on which the body takes decisions. Markdown."),
    )  # fmt: skip
    advises_on = forms.CharField(
        label=gettext_lazy("Only advises on"), required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("The matters on which the body only gives advice. Markdown."),
    )  # fmt: skip
    advises = SafeModelChoice(label=gettext_lazy("Gives advice to"), queryset=None,
                                     required=False)  # fmt: skip
    visibility = forms.ChoiceField(label=gettext_lazy("Who may see the body"),
                                   choices=Visibility.choices,
                                   initial=Visibility.PUBLIC)  # fmt: skip
    records_access = forms.ChoiceField(
        label=gettext_lazy("Who may see its records"), choices=RecordsAccess.choices,
        initial=RecordsAccess.MEMBERS,
        help_text=gettext_lazy("Key issues, meetings, decisions and actions. A record marked "
                               "confidential is for the members and hub staff whatever this "
                               "says."),
    )  # fmt: skip
    time_zone = forms.CharField(
        label=gettext_lazy("Time zone of its meetings"), max_length=64, initial="UTC",
        help_text=gettext_lazy("e.g. Europe/Amsterdam, Africa/Nairobi."),
    )  # fmt: skip
    quorum = forms.ChoiceField(label=gettext_lazy("Quorum"), choices=Quorum.choices)
    threshold = forms.ChoiceField(label=gettext_lazy("Default voting threshold"),
                                  choices=Threshold.choices)  # fmt: skip
    threshold_base = forms.ChoiceField(label=gettext_lazy("Thresholds are counted"),
                                       choices=ThresholdBase.choices)  # fmt: skip
    tie_rule = forms.ChoiceField(label=gettext_lazy("Ties"), choices=TieRule.choices)
    chair_may_decide = forms.BooleanField(
        label=gettext_lazy("The chair may decide alone where the mandate allows"), required=False
    )
    one_seat_per_core_partner = forms.BooleanField(
        label=gettext_lazy("Exactly one voting seat per core partner"), required=False
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, body=None, **kwargs):
        from ..models import Body

        if body is not None and not kwargs.get("initial"):
            kwargs["initial"] = {name: getattr(body, name) for name in self.base_fields
                                 if name not in ("advises", "version")}  # fmt: skip
            kwargs["initial"].update(advises=body.advises_id, version=body.version)
        super().__init__(*args, **kwargs)
        others = Body.objects.filter(archived_at__isnull=True).order_by("name")
        if body is not None:
            others = others.exclude(pk=body.pk)
            del self.fields["slug"]
        self.fields["advises"].queryset = others

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data


class PersonNameField(forms.CharField):
    """One person of the directory named by typing: a suggestion's name, their e-mail, or
    "Name (#id)"; among the people the editor may see."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 300)
        super().__init__(**kwargs)
        self.user = None
        self.widget = forms.TextInput(attrs={
            "list": "person-suggestions", "autocomplete": "off",
            "data-autocomplete-url": format_lazy("{}?type=person",
                                                 reverse_lazy("directory:autocomplete")),
        })  # fmt: skip

    def prepare_value(self, value):
        if hasattr(value, "pk"):
            return value.name
        return value or ""

    def clean(self, value):
        from landhub.directory.models import Person

        if hasattr(value, "pk"):  # the seat's own person, shown but not changed
            return value
        text = (super().clean(value) or "").strip()
        if not text:
            return None
        people = Person.objects.visible_to(self.user).active()
        match = _ID.search(text)
        if match and len(match.group(1)) < 19:
            found = people.filter(pk=int(match.group(1))).first()
            if found is not None:
                return found
            text = text[: match.start()].strip()
        if "@" in text:
            found = list(people.filter(email__iexact=text)[:2])
        else:
            found = list(people.filter(name__iexact=text)[:2])
        if len(found) == 1:
            return found[0]
        if found:
            raise forms.ValidationError(
                _("More than one person is called “%(name)s”: type their e-mail instead.")
                % {"name": text}
            )
        raise forms.ValidationError(
            _(
                "No person called “%(name)s” is in the directory: choose from the suggestions, "
                "or add the person to the directory first."
            )
            % {"name": text}
        )


class OrganizationBox(forms.CharField):
    """The organization a seat represents, named by typing (suggestions)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 300)
        super().__init__(**kwargs)
        self.user = None
        self.widget = forms.TextInput(attrs={
            "list": "organization-suggestions", "autocomplete": "off",
            "data-autocomplete-url": format_lazy("{}?type=organization",
                                                 reverse_lazy("directory:autocomplete")),
        })  # fmt: skip

    def prepare_value(self, value):
        if hasattr(value, "pk"):
            return value.name
        return value or ""

    def clean(self, value):
        from landhub.directory.models import Organization

        text = (super().clean(value) or "").strip()
        if not text:
            return None
        visible = Organization.objects.visible_to(self.user).active()
        org = (visible.filter(name__iexact=text).first()
               or visible.filter(short_name__iexact=text).first())  # fmt: skip
        if org is None:
            raise forms.ValidationError(
                _("No organization is called “%(name)s”. Choose one from the suggestions.")
                % {"name": text}
            )
        return org


class PrincipalChoice(SafeModelChoice):
    def label_from_instance(self, obj):
        org = f" — {obj.organization.name}" if obj.organization_id else ""
        return f"{obj.person.name} ({obj.get_role_display()}){org}"


class SeatForm(StyledFormMixin, forms.Form):
    """A seat on a body: a person, the organization they represent, a role and a term."""

    person = PersonNameField(label=gettext_lazy("Person"),
                             help_text=gettext_lazy("Start typing the name; or type the "
                                                    "e-mail."))  # fmt: skip
    organization = OrganizationBox(
        label=gettext_lazy("Represents"), required=False,
        help_text=gettext_lazy("The organization the person represents on the body. On the "
                               "steering committee a voting seat represents a core partner."),
    )  # fmt: skip
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=SeatRole.choices,
                             initial=SeatRole.VOTING)  # fmt: skip
    principal = PrincipalChoice(
        label=gettext_lazy("Alternate for"), queryset=None, required=False,
        help_text=gettext_lazy("For an alternate: the voting member they stand in for."),
    )  # fmt: skip
    term_start = forms.DateField(label=gettext_lazy("Term starts"), widget=_date_input())
    term_end = forms.DateField(label=gettext_lazy("Term ends"), required=False,
                               widget=_date_input(),
                               help_text=gettext_lazy("Empty: until further notice."))  # fmt: skip
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user, body, seat=None, **kwargs):
        from ..selectors import voting_seat_choices

        if seat is not None and not kwargs.get("initial"):
            kwargs["initial"] = {
                "person": seat.person, "organization": seat.organization, "role": seat.role,
                "principal": seat.principal_id, "term_start": seat.term_start,
                "term_end": seat.term_end, "version": seat.version,
            }  # fmt: skip
        super().__init__(*args, **kwargs)
        self.fields["person"].user = user
        self.fields["organization"].user = user
        self.fields["principal"].queryset = voting_seat_choices(
            body, exclude=seat.pk if seat else None
        )
        if seat is not None:
            # The person of a seat does not change: end the term and give the seat anew.
            self.fields["person"].disabled = True

    def clean(self):
        data = super().clean()
        start, end = data.get("term_start"), data.get("term_end")
        if start and end and end < start:
            self.add_error("term_end", _("A term cannot end before it starts."))
        if data.get("role") == SeatRole.ALTERNATE and not data.get("principal") \
                and "principal" not in self.errors:  # fmt: skip
            self.add_error("principal", _("Name the voting member this alternate stands in for."))
        return data

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        if data.get("role") != SeatRole.ALTERNATE:
            data["principal"] = None
        return data


class SeatEndForm(StyledFormMixin, forms.Form):
    term_end = forms.DateField(label=gettext_lazy("Term ends on"), widget=_date_input(),
                               required=False,
                               help_text=gettext_lazy("Empty: today. Its alternates' terms "
                                                      "end with it."))  # fmt: skip
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
