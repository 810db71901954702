"""Forms of decisions, votes and advice. They parse input; ``services/decisions.py`` decides,
and its messages land beside the fields (the field names match the services' error keys).

Times are typed in the member's own time zone (``datetime-local``; the middleware activates
the zone, and Django reads a naive time in it) and stored in UTC.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from landhub.core.forms import FastSelect, StyledFormMixin

from ..models import (
    AdviceStatus,
    DecisionMethod,
    DecisionStatus,
    Recommendation,
    Threshold,
    VoteChoice,
)

_MAX_PK = 2**63


def _date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _local_datetime_input():
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class PickField(forms.ModelChoiceField):
    """A model choice that calls a huge or odd id not one of the choices instead of failing
    (SQLite overflows beyond its integers)."""

    def to_python(self, value):
        if value not in self.empty_values:
            text = str(value).strip()
            if not text.isdigit() or not 0 < int(text) < _MAX_PK:
                raise forms.ValidationError(self.error_messages["invalid_choice"],
                                            code="invalid_choice")  # fmt: skip
        return super().to_python(value)


class PickMultipleField(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        for item in value:
            text = str(item).strip()
            if not text.isdigit() or not 0 < int(text) < _MAX_PK:
                raise forms.ValidationError(self.error_messages["invalid_choice"],
                                            code="invalid_choice",
                                            params={"value": item})  # fmt: skip
        return super()._check_values(value)


class DecisionFilterForm(StyledFormMixin, forms.Form):
    """The decision register's filters (``selectors.decision_list``)."""

    q = forms.CharField(label=_("Search"), required=False)
    body = forms.ChoiceField(label=_("Body"), required=False, choices=[])
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("Any"))] + DecisionStatus.choices)  # fmt: skip
    method = forms.ChoiceField(label=_("Method"), required=False,
                               choices=[("", _("Any"))] + DecisionMethod.choices)  # fmt: skip
    procedure = forms.ChoiceField(label=_("Taken"), required=False, choices=[
        ("", _("Any")), ("meeting", _("At a meeting")),
        ("written", _("By written procedure"))])  # fmt: skip
    year = forms.ChoiceField(label=_("Decided in"), required=False, choices=[])
    issue = forms.CharField(required=False, widget=forms.HiddenInput)
    plan_item = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs):
        from ..models import Body
        from ..selectors import decision_years

        super().__init__(*args, **kwargs)
        bodies = Body.objects.visible_to(user).order_by("name").values_list("slug", "name")
        self.fields["body"].choices = [("", _("Any"))] + list(bodies)
        self.fields["body"].widget = FastSelect(attrs=self.fields["body"].widget.attrs)
        self.fields["year"].choices = [("", _("Any"))] + [
            (str(y), str(y)) for y in decision_years(user)]  # fmt: skip


class PublicFilterForm(StyledFormMixin, forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    body = forms.ChoiceField(label=_("Body"), required=False, choices=[])

    def __init__(self, *args, **kwargs):
        from ..selectors.decisions import public_bodies

        super().__init__(*args, **kwargs)
        self.fields["body"].choices = [("", _("Any"))] + list(
            public_bodies().values_list("slug", "name"))  # fmt: skip


class DecisionForm(StyledFormMixin, forms.Form):
    """Propose a decision, or edit it while it is only proposed (once the vote is open only
    its public summary, effective date, plan items and confidentiality change)."""

    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(
        label=_("The decision"), widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What is decided, as it will be recorded. Markdown."),
    )  # fmt: skip
    rationale = forms.CharField(label=_("Rationale"), required=False,
                                widget=forms.Textarea(attrs={"rows": 4}),
                                help_text=_("Why. Markdown."))  # fmt: skip
    method = forms.ChoiceField(label=_("Method"), choices=DecisionMethod.choices,
                               initial=DecisionMethod.VOTE)  # fmt: skip
    threshold = forms.ChoiceField(
        label=_("Threshold (for a vote)"), choices=Threshold.choices, required=False,
        help_text=_("The body's own threshold is proposed."),
    )  # fmt: skip
    key_issue = PickField(label=_("Key issue"), queryset=None, required=False,
                          widget=FastSelect)  # fmt: skip
    effective_on = forms.DateField(label=_("Takes effect on"), required=False,
                                   widget=_date_input())  # fmt: skip
    public_summary = forms.CharField(
        label=_("Public summary"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown to the public where the body publishes summaries of its decisions, "
                    "once adopted. Write it for someone outside the initiative."),
    )  # fmt: skip
    confidential = forms.BooleanField(
        label=_("Confidential: for the body's members and hub staff only"), required=False
    )
    plan_items = PickMultipleField(label=_("Plan items it concerns"), queryset=None,
                                   required=False)  # fmt: skip
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    AFTER_TAKEN = ("public_summary", "effective_on", "plan_items", "confidential", "version")

    def __init__(self, *args, user, body, decision=None, **kwargs):
        from ..models import KeyIssue, Plan, PlanItem

        super().__init__(*args, **kwargs)
        issues = (KeyIssue.objects.visible_to(user).filter(body=body, archived_at__isnull=True)
                  .order_by("-created_at"))  # fmt: skip
        if decision is not None and decision.key_issue_id:
            issues = KeyIssue.objects.filter(pk__in=issues.values("pk")) | KeyIssue.objects.filter(
                pk=decision.key_issue_id)  # fmt: skip
        self.fields["key_issue"].queryset = issues
        self.fields["key_issue"].choices = [("", "—")] + [
            (i.pk, i.title) for i in issues.only("pk", "title")[:300]]  # fmt: skip
        items = (PlanItem.objects.filter(plan__in=Plan.objects.visible_to(user),
                                         archived_at__isnull=True)
                 .select_related("plan")
                 .order_by("-plan__year", "plan__kind", "position", "pk"))  # fmt: skip
        self.fields["plan_items"].queryset = items
        self.fields["plan_items"].choices = [(i.pk, f"{i.plan.year} · {i}") for i in items[:500]]
        self.fields["plan_items"].widget.attrs["size"] = 6
        if not body.chair_may_decide:
            self.fields["method"].choices = [c for c in DecisionMethod.choices
                                             if c[0] != DecisionMethod.CHAIR]  # fmt: skip
        self.fields["threshold"].initial = body.threshold
        if decision is not None:
            self.initial.update({key: getattr(decision, key) for key in (
                "title", "text", "rationale", "method", "threshold", "effective_on",
                "public_summary", "confidential", "version")})  # fmt: skip
            self.initial["key_issue"] = decision.key_issue_id
            self.initial["plan_items"] = [p.pk for p in decision.plan_items.all()]
            if decision.status != DecisionStatus.PROPOSED:
                for key in list(self.fields):
                    if key not in self.AFTER_TAKEN:
                        del self.fields[key]

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        if "plan_items" in data:
            data["plan_items"] = list(data["plan_items"])
        if data.get("method") and data["method"] != DecisionMethod.VOTE:
            data["threshold"] = ""
        return data


class OpenVoteForm(StyledFormMixin, forms.Form):
    closes_at = forms.DateTimeField(
        label=_("The vote closes"), widget=_local_datetime_input(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        help_text=_("In your own time zone."),
    )  # fmt: skip
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class VoteForm(StyledFormMixin, forms.Form):
    choice = forms.ChoiceField(label=_("Your vote"), choices=VoteChoice.choices,
                               widget=forms.RadioSelect)  # fmt: skip
    comment = forms.CharField(label=_("Comment (optional)"), required=False, max_length=5000,
                              widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip

    def style_fields(self) -> None:
        super().style_fields()
        self.fields["choice"].widget.attrs["class"] = "form-check-input"


class CloseVoteForm(StyledFormMixin, forms.Form):
    """Close the vote. The chair's casting vote is asked only when the tally is a tie and the
    rules give the chair one (``casting=True``)."""

    casting_vote = forms.ChoiceField(
        label=_("The chair's casting vote"), required=True,
        choices=[("", "—"), (VoteChoice.YES, _("In favour")), (VoteChoice.NO, _("Against"))],
        help_text=_("The votes are tied and the body's rules give the chair a casting vote."),
    )  # fmt: skip
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, casting: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not casting:
            del self.fields["casting_vote"]


class RecordForm(StyledFormMixin, forms.Form):
    """Record a decision taken by consensus or by the chair."""

    adopted = forms.TypedChoiceField(
        label=_("Result"), coerce=lambda v: v == "1",
        choices=[("1", pgettext_lazy("decision", "Adopted")), ("0", _("Not adopted"))],
    )  # fmt: skip
    note = forms.CharField(label=_("How it was reached (optional)"), required=False,
                           max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ConflictForm(StyledFormMixin, forms.Form):
    nature = forms.CharField(
        label=_("The interest"), max_length=5000, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What the interest is, in a sentence or two. Your seat will not vote on "
                    "this decision and will not count for its quorum."),
    )  # fmt: skip


class AdviceRequestForm(StyledFormMixin, forms.Form):
    adviser = PickField(label=_("Advisory body"), queryset=None, widget=FastSelect)
    question = forms.CharField(label=_("Question"), widget=forms.Textarea(attrs={"rows": 4}),
                               help_text=_("What advice is asked. Markdown."))  # fmt: skip
    due_on = forms.DateField(label=_("Advice wanted by"), required=False, widget=_date_input())

    def __init__(self, *args, user, asking, **kwargs):
        from ..models import Body
        from ..selectors import adviser_choices

        super().__init__(*args, **kwargs)
        bodies = adviser_choices(user, asking)
        self.fields["adviser"].queryset = Body.objects.filter(pk__in=[b.pk for b in bodies])
        self.fields["adviser"].choices = [("", "—")] + [(b.pk, b.name) for b in bodies]
        first = next((b for b in bodies if b.advises_id == asking.pk), None)
        if first is not None:
            self.fields["adviser"].initial = first.pk


class AdviceGiveForm(StyledFormMixin, forms.Form):
    recommendation = forms.ChoiceField(label=_("Recommendation"),
                                       choices=[("", "—")] + Recommendation.choices)  # fmt: skip
    advice = forms.CharField(label=_("Advice"), widget=forms.Textarea(attrs={"rows": 6}),
                             help_text=_("Markdown."))  # fmt: skip
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class AdviceDeclineForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("Why the body does not give advice (optional)"),
                             required=False, max_length=5000,
                             widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class AdviceFilterForm(StyledFormMixin, forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("Any"))] + AdviceStatus.choices)  # fmt: skip
    recommendation = forms.ChoiceField(
        label=_("Recommendation"), required=False,
        choices=[("", _("Any"))] + Recommendation.choices,
    )  # fmt: skip
