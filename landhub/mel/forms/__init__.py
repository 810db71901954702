"""Forms of the MEL pages: they parse input; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from landhub.core.forms import StyledFormMixin

from ..framework_templates import TEMPLATES
from ..models import (
    AggregationRule,
    CumulativeMode,
    DisaggregationScheme,
    EvidenceStrength,
    Framework,
    Frequency,
    Indicator,
    Measure,
    NodeKind,
)
from .learning import AdaptationChoiceField


class FrameworkFilterForm(StyledFormMixin, forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    scope = forms.ChoiceField(
        label=_("Whose"), required=False,
        choices=[("", _("All")), ("initiative", _("The initiative's")),
                 ("landscape", _("Landscapes'"))],
    )  # fmt: skip
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[
        ("", _("Any")), ("draft", _("Draft")), ("published", _("Published"))])  # fmt: skip


class FrameworkForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    template = forms.ChoiceField(
        label=_("Start from"), required=False,
        choices=[("", _("An empty framework"))] + [(k, t.title) for k, t in TEMPLATES.items()],
    )  # fmt: skip
    landscape = forms.ModelChoiceField(
        label=_("Landscape"), required=False, queryset=None,
        help_text=_("Empty: a framework of the initiative (hub staff)."),
    )  # fmt: skip
    parent = forms.ModelChoiceField(
        label=_("Linked to"), required=False,
        queryset=Framework.objects.filter(landscape__isnull=True, archived_at__isnull=True),
        help_text=_("The initiative's framework this landscape's framework feeds."),
    )  # fmt: skip
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(
        attrs={"rows": 3}))  # fmt: skip

    def __init__(self, *args, landscapes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["landscape"].queryset = landscapes


def _offer_adaptations(form, user, **where) -> None:
    """Offer "Made because of the decision…" (the open decisions ``where`` names first), or
    drop the field when there is none to offer."""
    from ..selectors import open_decisions_for

    decisions = open_decisions_for(user=user, **where) if user is not None else []
    if decisions:
        form.fields["adaptation"].offer(decisions)
    else:
        del form.fields["adaptation"]


class NodeForm(StyledFormMixin, forms.Form):
    """Add a node, or change one (``node``). ``user`` given: the open adaptation decisions
    of the framework are offered as the change's cause."""

    kind = forms.ChoiceField(label=_("Kind"), choices=NodeKind.choices)
    code = forms.CharField(label=_("Code"), max_length=20)
    title = forms.CharField(label=_("Title"), max_length=300)
    description = forms.CharField(label=_("Description"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip
    feeds = forms.ModelChoiceField(label=_("Feeds (initiative node)"), required=False,
                                   queryset=None)  # fmt: skip
    adaptation = AdaptationChoiceField()
    reason = forms.CharField(label=_("Why it changes"), required=False, max_length=100,
                             help_text=_("Required once the framework is published, unless "
                                         "a decision is named."))  # fmt: skip

    def __init__(self, *args, framework, user=None, node=None, **kwargs):
        if node is not None:
            kwargs.setdefault("initial", {}).update({
                "kind": node.kind, "code": node.code, "title": node.title,
                "description": node.description, "feeds": node.feeds_id})  # fmt: skip
        super().__init__(*args, **kwargs)
        if framework.parent is None:
            del self.fields["feeds"]
        else:
            self.fields["feeds"].queryset = framework.parent.nodes.all()
        _offer_adaptations(self, user, framework=framework, node=node)


class EdgeForm(StyledFormMixin, forms.Form):
    source = forms.ModelChoiceField(label=_("From"), queryset=None)
    target = forms.ModelChoiceField(label=_("Contributes to"), queryset=None)
    assumption = forms.CharField(label=_("Assumption"), required=False,
                                 widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip
    evidence = forms.ChoiceField(label=_("Strength of evidence"), choices=EvidenceStrength.choices)
    adaptation = AdaptationChoiceField()
    reason = forms.CharField(label=_("Why it changes"), required=False, max_length=100,
                             help_text=_("Required once the framework is published, unless "
                                         "a decision is named."))  # fmt: skip

    def __init__(self, *args, framework, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = framework.nodes.all()
        self.fields["target"].queryset = framework.nodes.all()
        _offer_adaptations(self, user, framework=framework)


class IndicatorFilterForm(StyledFormMixin, forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    measure = forms.ChoiceField(label=_("Measure"), required=False,
                                choices=[("", _("Any"))] + Measure.choices)  # fmt: skip
    aggregation = forms.ChoiceField(label=_("Aggregation"), required=False,
                                    choices=[("", _("Any"))] + AggregationRule.choices)  # fmt: skip
    cumulative_mode = forms.ChoiceField(
        label=_("Over time"), required=False, choices=[("", _("Any"))] + CumulativeMode.choices
    )
    frequency = forms.ChoiceField(label=_("Frequency"), required=False,
                                  choices=[("", _("Any"))] + Frequency.choices)  # fmt: skip
    disaggregation = forms.ChoiceField(label=_("Disaggregated by"), required=False, choices=[])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["disaggregation"].choices = [("", _("Any"))] + list(
            DisaggregationScheme.objects.values_list("slug", "name")
        )


class IndicatorForm(StyledFormMixin, forms.ModelForm):
    levels_text = forms.CharField(
        label=_("Levels"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For a scale: one level per line, lowest first."),
    )  # fmt: skip
    schemes = forms.ModelMultipleChoiceField(
        label=_("Disaggregations"), required=False, queryset=DisaggregationScheme.objects.all(),
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    adaptation = AdaptationChoiceField()
    reason = forms.CharField(label=_("Why it changes"), required=False, max_length=100)

    class Meta:
        model = Indicator
        fields = ["code", "name", "definition", "measure", "unit", "currency", "direction",
                  "aggregation", "cumulative_mode", "threshold", "frequency", "data_source",
                  "method", "sdg_code", "landscale_code", "four_returns", "iati_code"]  # fmt: skip
        widgets = {"definition": forms.Textarea(attrs={"rows": 4}),
                   "data_source": forms.Textarea(attrs={"rows": 2}),
                   "method": forms.Textarea(attrs={"rows": 3})}  # fmt: skip

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["levels_text"].initial = "\n".join(self.instance.levels or [])
            self.fields["schemes"].initial = list(self.instance.disaggregations.all())
            self.fields["version"].initial = self.instance.version
            _offer_adaptations(self, user, indicator=self.instance)
        else:
            del self.fields["reason"], self.fields["adaptation"]
        self.fields["schemes"].widget.attrs.pop("class", None)

    def validate_unique(self):
        """The service checks uniqueness (with a sentence) when it saves."""

    def _post_clean(self):
        """Skip the model's own validation: ``indicator_create``/``update`` run it."""

    def service_fields(self) -> dict:
        data = {name: self.cleaned_data.get(name) for name in self.Meta.fields}
        text = self.cleaned_data.get("levels_text") or ""
        data["levels"] = [line.strip() for line in text.splitlines() if line.strip()]
        for key in ("unit", "currency", "data_source", "method", "sdg_code", "landscale_code",
                    "four_returns", "iati_code"):  # fmt: skip
            data[key] = data[key] or ""
        return data
