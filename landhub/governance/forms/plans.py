"""Forms of the strategic plan and the scaling strategy: the list's filters, a plan, a new
version, adoption, an item, moving an item and tying a milestone to an indicator.

They parse input; ``services/plans.py`` decides where an item may sit and says why not,
beside the field. Indicators, landscapes, people and organizations are typed with
suggestions (``mel:learning_suggest``).
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from landhub.core.forms import FastChoicesMixin, FastSelect, StyledFormMixin
from landhub.core.models import Visibility

from ..models import Body, ItemLevel, ItemStatus, PlanKind, PlanStatus
from .actions import NamedRecordField, version_field

__all__ = [
    "AdoptForm",
    "MoveForm",
    "NewVersionForm",
    "PlanFilterForm",
    "PlanForm",
    "PlanItemForm",
    "TieForm",
]

YEAR = {"min_value": 2000, "max_value": 2100}


class PlanFilterForm(FastChoicesMixin, StyledFormMixin, forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    kind = forms.ChoiceField(label=_("Type"), required=False,
                             choices=[("", _("Any")), *PlanKind.choices])  # fmt: skip
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("Any")), *PlanStatus.choices])  # fmt: skip
    year = forms.IntegerField(label=_("Year"), required=False, **YEAR)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.use_fast_selects()


class PlanForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=PlanKind.choices)
    year = forms.IntegerField(label=_("Year"), **YEAR)
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(label=_("Summary"), required=False, max_length=50_000,
                              widget=forms.Textarea(attrs={"rows": 6}),
                              help_text=_("Markdown."))  # fmt: skip
    body = forms.ModelChoiceField(label=_("Adopted by"), queryset=Body.objects.none(),
                                  required=False, widget=FastSelect)  # fmt: skip
    visibility = forms.ChoiceField(label=_("Who may read it"), choices=Visibility.choices,
                                   initial=Visibility.NETWORK)  # fmt: skip
    version = version_field()

    def __init__(self, *args, plan=None, **kwargs):
        if plan is not None and not args:
            kwargs.setdefault("initial", {
                "kind": plan.kind, "year": plan.year, "title": plan.title,
                "summary": plan.summary, "body": plan.body_id, "visibility": plan.visibility,
                "version": plan.version})  # fmt: skip
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = Body.objects.filter(archived_at__isnull=True)
        if plan is not None:
            del self.fields["kind"]  # a plan keeps its kind: start a new one instead

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data


class NewVersionForm(StyledFormMixin, forms.Form):
    year = forms.IntegerField(label=_("Year of the new version"), **YEAR)
    title = forms.CharField(label=_("Title"), max_length=200, required=False,
                            help_text=_("Empty: the same title."))  # fmt: skip


class AdoptForm(StyledFormMixin, forms.Form):
    decision = forms.ModelChoiceField(label=_("Adopted by the decision"), required=False,
                                      queryset=None, widget=FastSelect,
                                      empty_label=_("No decision named"))  # fmt: skip
    version = version_field()

    def __init__(self, *args, user, plan=None, **kwargs):
        if plan is not None and not args:
            kwargs.setdefault("initial", {"version": plan.version})
        super().__init__(*args, **kwargs)
        from ..models import Decision

        self.fields["decision"].queryset = (
            Decision.objects.visible_to(user).filter(status="adopted", archived_at__isnull=True)
            .select_related("body").order_by("-id")
        )  # fmt: skip
        self.fields["decision"].label_from_instance = lambda d: f"{d.body.name}: {d.title}"


class PlanItemForm(StyledFormMixin, forms.Form):
    """A goal, objective or milestone. Where it sits (level and parent) is chosen when it is
    added; later it moves with ``MoveForm``."""

    level = forms.ChoiceField(label=_("Level"), choices=ItemLevel.choices)
    parent = forms.TypedChoiceField(label=_("Under"), required=False, coerce=int,
                                    empty_value=None)  # fmt: skip
    code = forms.CharField(
        label=_("Number"),
        max_length=20,
        required=False,
        help_text=_("e.g. 1.2.3; numbered from the tree when empty."),
    )
    title = forms.CharField(label=_("Title"), max_length=300)
    description = forms.CharField(label=_("Description"), required=False, max_length=20_000,
                                  widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip
    owner = NamedRecordField(kind="person", label=_("Owner"))
    owner_organization = NamedRecordField(kind="organization", label=_("Owner organization"))
    start_on = forms.DateField(label=_("Starts"), required=False,
                               widget=forms.DateInput(attrs={"type": "date"}))  # fmt: skip
    target_on = forms.DateField(label=_("Target date"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}))  # fmt: skip
    status = forms.ChoiceField(label=_("Status"), choices=ItemStatus.choices)
    progress = forms.IntegerField(
        label=_("Progress (%)"), required=False, min_value=0, max_value=100,
        help_text=_("Ignored for a milestone tied to indicators: its progress is computed."),
    )  # fmt: skip
    version = version_field()

    def __init__(self, *args, user, plan, item=None, **kwargs):
        if item is not None and not args:
            kwargs.setdefault("initial", {
                f: getattr(item, f) for f in ("code", "title", "description", "owner",
                                              "owner_organization", "start_on", "target_on",
                                              "status", "progress", "version")})  # fmt: skip
        super().__init__(*args, **kwargs)
        for name in ("owner", "owner_organization"):
            self.fields[name].user = user
        if item is not None:
            del self.fields["level"], self.fields["parent"]
        else:
            parents = plan.items.filter(
                archived_at__isnull=True, level__in=[ItemLevel.GOAL, ItemLevel.OBJECTIVE]
            )
            self.fields["parent"].choices = [("", _("Nothing: a goal at the top")), *(
                (p.pk, f"{p.get_level_display()}: {p}") for p in parents.order_by("position", "id")
            )]  # fmt: skip

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data


class MoveForm(StyledFormMixin, forms.Form):
    prefix = "move"  # shown on the item's page beside the item form
    parent = forms.TypedChoiceField(label=_("Under"), required=False, coerce=int,
                                    empty_value=None)  # fmt: skip
    position = forms.IntegerField(label=_("Position among its siblings (1 first)"),
                                  required=False, min_value=1, max_value=10_000)  # fmt: skip
    version = version_field()

    def __init__(self, *args, item, **kwargs):
        if not args:
            kwargs.setdefault("initial", {"parent": item.parent_id, "version": item.version,
                                          "position": item.position + 1})  # fmt: skip
        super().__init__(*args, **kwargs)
        parents = item.plan.items.filter(
            archived_at__isnull=True, level__in=[ItemLevel.GOAL, ItemLevel.OBJECTIVE]
        ).exclude(pk=item.pk).order_by("position", "id")  # fmt: skip
        self.fields["parent"].choices = [("", _("Nothing: at the top")), *(
            (p.pk, f"{p.get_level_display()}: {p}") for p in parents)]  # fmt: skip


class TieForm(StyledFormMixin, forms.Form):
    indicator = NamedRecordField(kind="indicator", label=_("Indicator"), required=True,
                                 help_text=_("Type its code or name and choose."))  # fmt: skip
    landscape = NamedRecordField(kind="landscape", label=_("Landscape"),
                                 help_text=_("Empty: the whole initiative."))  # fmt: skip

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].user = user
        self.fields["landscape"].user = user
