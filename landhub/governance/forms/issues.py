"""Forms of key issues: raise or edit one, move it on, filter the register. They parse
input; ``services/issues.py`` decides (evidence links are checked there, and their messages
come back beside the evidence boxes).
"""

from __future__ import annotations

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from landhub.core.forms import FastSelect, FastSelectMultiple, StyledFormMixin

from ..models import IssueStatus, Urgency
from .bodies import SafeModelChoice

ANY = [("", gettext_lazy("Any"))]


class EvidenceWidget(forms.Widget):
    """Rows of two boxes — the address of a page of the hub and its label — the links
    already given and ``extra`` empty rows. Submitted as ``evidence_path`` and
    ``evidence_label`` lists."""

    def __init__(self, *, extra: int = 2, attrs=None):
        super().__init__(attrs)
        self.extra = extra

    def id_for_label(self, id_):
        return f"{id_}_path_0" if id_ else id_

    def value_from_datadict(self, data, files, name):
        getter = getattr(data, "getlist", None)
        paths = getter(f"{name}_path") if getter else data.get(f"{name}_path") or []
        labels = getter(f"{name}_label") if getter else data.get(f"{name}_label") or []
        if isinstance(paths, str):
            paths = [paths]
        if isinstance(labels, str):
            labels = [labels]
        rows = []
        for i in range(max(len(paths), len(labels))):
            path = paths[i] if i < len(paths) and isinstance(paths[i], str) else ""
            label = labels[i] if i < len(labels) and isinstance(labels[i], str) else ""
            if path.strip() or label.strip():
                rows.append({"path": path.strip()[:600], "label": label.strip()[:300]})
        return rows[:50]

    def value_omitted_from_data(self, data, files, name):
        return f"{name}_path" not in data and f"{name}_label" not in data

    def render(self, name, value, attrs=None, renderer=None):
        rows = list(value or []) + [{"path": "", "label": ""}] * self.extra
        final = self.build_attrs(self.attrs, attrs)
        base = final.get("id", f"id_{name}")
        address, label = _("Address of a page of the hub"), _("Label")
        cells = format_html_join(
            "",
            '<div class="row g-1 mb-1"><div class="col-md-7">'
            '<input type="text" name="{}_path" id="{}_path_{}" class="form-control" '
            'aria-label="{} {}" placeholder="/mel/…" value="{}"></div>'
            '<div class="col-md-5"><input type="text" name="{}_label" id="{}_label_{}" '
            'class="form-control" aria-label="{} {}" value="{}"></div></div>',
            [(name, base, i, address, i + 1, row.get("path", ""), name, base, i, label, i + 1,
              row.get("label", "")) for i, row in enumerate(rows)],
        )  # fmt: skip
        return format_html('<div class="evidence-links">{}</div>', cells)


class EvidenceField(forms.Field):
    """The evidence links as dicts ``{path, label}``; the service checks each."""

    widget = EvidenceWidget

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return [{"path": getattr(v, "path", None) or v.get("path", ""),
                 "label": getattr(v, "label", None) or v.get("label", "")}
                if not isinstance(v, dict) else v for v in (value or [])]  # fmt: skip

    def to_python(self, value):
        return list(value or [])


class IssueForm(StyledFormMixin, forms.Form):
    """A key issue as raised or edited. The body is chosen when raising only."""

    body = SafeModelChoice(label=gettext_lazy("For the body"), queryset=None,
                                  widget=FastSelect)  # fmt: skip
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    background = forms.CharField(
        label=gettext_lazy("Background"), widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy("What the matter is and why it needs the body now. Markdown."),
    )  # fmt: skip
    options = forms.CharField(
        label=gettext_lazy("Options"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("The options before the body, with their pros and cons. "
                               "Markdown."),
    )  # fmt: skip
    urgency = forms.ChoiceField(label=gettext_lazy("Urgency"), choices=Urgency.choices,
                                initial=Urgency.NORMAL)  # fmt: skip
    confidential = forms.BooleanField(
        label=gettext_lazy("Confidential: only the body's members and hub staff may read it"),
        required=False,
    )  # fmt: skip
    plan_items = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Plan items it concerns"), required=False, coerce=int, choices=[],
        widget=FastSelectMultiple(attrs={"size": 5}),
    )  # fmt: skip
    evidence = EvidenceField(
        label=gettext_lazy("Evidence in the hub"),
        help_text=gettext_lazy("Paste the address of a page of the hub — an indicator's "
                               "dashboard, an outcome statement, a value report — and give it "
                               "a label. Save to get more rows."),
    )  # fmt: skip
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user, issue=None, **kwargs):
        from ..selectors import plan_item_choices, raisable_bodies

        if issue is not None and not kwargs.get("initial"):
            kwargs["initial"] = {
                "title": issue.title, "background": issue.background, "options": issue.options,
                "urgency": issue.urgency, "confidential": issue.confidential,
                "plan_items": [p.pk for p in issue.plan_items.all()],
                "evidence": [{"path": e.path, "label": e.label} for e in issue.evidence.all()],
                "version": issue.version,
            }  # fmt: skip
        super().__init__(*args, **kwargs)
        self.items = {p.pk: p for p in plan_item_choices(user)}
        if issue is not None:
            del self.fields["body"]
            for item in issue.plan_items.all():  # kept even if its plan is out of sight now
                self.items.setdefault(item.pk, item)
        else:
            self.fields["body"].queryset = raisable_bodies(user)
        self.fields["plan_items"].choices = [
            (pk, f"{item.plan.year} · {item.code + ' ' if item.code else ''}{item.title}")
            for pk, item in self.items.items()
        ]  # fmt: skip
        if not self.items:
            del self.fields["plan_items"]

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        if "plan_items" in data:
            data["plan_items"] = [self.items[pk] for pk in data["plan_items"] if pk in self.items]
        return data


class TransitionForm(StyledFormMixin, forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("Move to"), choices=IssueStatus.choices)
    note = forms.CharField(label=gettext_lazy("Note"), required=False, max_length=100,
                           help_text=gettext_lazy("Kept in the issue's history, e.g. the "
                                                  "meeting it is scheduled for."))  # fmt: skip
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, issue=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if issue is not None:
            from ..services import ISSUE_TRANSITIONS, allowed_transitions

            allowed = (allowed_transitions(user, issue) if user is not None
                       else ISSUE_TRANSITIONS.get(issue.status, ()))  # fmt: skip
            self.fields["status"].choices = [(s, IssueStatus(s).label) for s in allowed]
            self.fields["version"].initial = issue.version


class IssueFilterForm(StyledFormMixin, forms.Form):
    q = forms.CharField(label=gettext_lazy("Search"), required=False, max_length=200)
    body = forms.ChoiceField(label=gettext_lazy("Body"), required=False, choices=[])
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False,
                               choices=ANY + IssueStatus.choices)  # fmt: skip
    urgency = forms.ChoiceField(label=gettext_lazy("Urgency"), required=False,
                                choices=ANY + Urgency.choices)  # fmt: skip
    plan_item = forms.ChoiceField(label=gettext_lazy("Plan item"), required=False, choices=[])
    year = forms.ChoiceField(label=gettext_lazy("Raised in"), required=False, choices=[])
    mine = forms.BooleanField(label=gettext_lazy("Raised by me"), required=False)

    def __init__(self, *args, user, **kwargs):
        from ..selectors import issue_years, plan_item_choices
        from ..selectors.bodies import bodies_visible_to

        super().__init__(*args, **kwargs)
        bodies = bodies_visible_to(user).filter(archived_at__isnull=True).order_by("name")
        self.fields["body"].choices = ANY + list(bodies.values_list("slug", "name"))
        self.fields["body"].widget = FastSelect(attrs=self.fields["body"].widget.attrs)
        items = plan_item_choices(user)
        if items:
            self.fields["plan_item"].choices = ANY + [
                (str(i.pk), f"{i.plan.year} · {i.code + ' ' if i.code else ''}{i.title}")
                for i in items]  # fmt: skip
            self.fields["plan_item"].widget = FastSelect(
                attrs=self.fields["plan_item"].widget.attrs
            )
        else:
            del self.fields["plan_item"]
        self.fields["year"].choices = ANY + [(str(y), str(y)) for y in issue_years()]
