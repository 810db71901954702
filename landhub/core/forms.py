"""Form helpers shared by every app."""

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError


def posted_version(raw) -> int | None:
    """The record version a form or a button carried (its hidden ``version`` field), or None
    when it is missing or not a number: the service then saves over nothing unseen only if
    told the version, and refuses a stale one with a clear message."""
    text = str(raw or "").strip()
    return int(text) if text.isdigit() and len(text) < 12 else None


def press_button(request, call: Callable[[], object], *, done: str, conflict: str) -> bool:
    """Run the service behind a page's button (archive, restore, publish …) and say how it
    went as a message on the next page: ``done``; ``conflict`` when someone saved the record
    meanwhile (a stale version); the service's own words when it refused. True when done."""
    from django.contrib import messages

    from .exceptions import ConflictError

    try:
        call()
    except ConflictError:
        messages.error(request, conflict)
        return False
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return False
    messages.success(request, done)
    return True


def add_service_errors(form, exc: ValidationError) -> None:
    """Show a service's refusal on the form: each message next to its field when the form
    has that field, above the form otherwise."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@dataclass
class Saved:
    ok: bool
    status: int = 200  # for the page that shows the form again
    current: object = None  # the record as someone else saved it (a conflict)
    result: object = None  # what the service returned


def save_form(form, save: Callable[[], object]) -> Saved:
    """Call ``save()`` (a service) for a valid bound form; put what went wrong on the form.

    A stale ``version`` (someone saved meanwhile) keeps the person's input, says so, and
    carries the current version, so saving again overwrites knowingly: status 409 and the
    current record for the page to show. A rule the service refused shows next to its field.
    """
    from .exceptions import ConflictError

    try:
        result = save()
    except ConflictError as exc:
        form.add_error(None, str(exc))
        form.data = form.data.copy()
        form.data["version"] = exc.current.version
        return Saved(False, 409, current=exc.current)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return Saved(False)
    return Saved(True, result=result)


class StyledFormMixin:
    """Give every widget its Bootstrap class so templates can render ``{{ field }}`` as is."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_fields()

    def style_fields(self) -> None:
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
            else:
                css = "form-control"
            existing = widget.attrs.get("class", "")
            widget.attrs["class"] = f"{existing} {css}".strip()


class FastSelect(forms.Select):
    """A select rendered in Python, not through one template per option.

    Django renders every ``<option>`` through the template engine; a country filter of 250
    options then costs tens of milliseconds per page (measured by ``make bench``). Same HTML,
    same attributes, a fraction of the time. Flat choices only (no option groups).
    """

    def render(self, name, value, attrs=None, renderer=None):
        from django.forms.utils import flatatt
        from django.utils.html import conditional_escape, format_html
        from django.utils.safestring import mark_safe

        values = value if isinstance(value, list | tuple) else [value]
        selected = {"" if v is None else str(v) for v in values}
        final = self.build_attrs(self.attrs, attrs)
        final["name"] = name
        if self.allow_multiple_selected:
            final["multiple"] = True
        options = []
        for option_value, label in self.choices:
            key = "" if option_value is None else str(option_value)
            chosen = " selected" if key in selected else ""
            options.append(
                f'<option value="{conditional_escape(key)}"{chosen}>'
                f"{conditional_escape(label)}</option>"
            )
        return format_html("<select{}>{}</select>", flatatt(final), mark_safe("".join(options)))  # noqa: S308


class FastSelectMultiple(FastSelect):
    allow_multiple_selected = True

    def value_from_datadict(self, data, files, name):
        getter = getattr(data, "getlist", None)
        return getter(name) if getter else data.get(name)


class FastChoicesMixin:
    """Swap every choice field's widget for ``FastSelect`` (filter forms with long lists)."""

    def use_fast_selects(self) -> None:
        for field in self.fields.values():
            if isinstance(field, forms.ChoiceField):
                field.widget = FastSelect(attrs=field.widget.attrs)
