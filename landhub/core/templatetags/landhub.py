"""Template helpers used across apps: Markdown, query-string editing, visibility badges."""

from __future__ import annotations

from django import template
from django.utils.html import format_html

from ..markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text):
    return render_markdown(text)


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters replaced (for sorting and paging links)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag
def visibility_badge(value):
    colours = {"public": "success", "network": "info", "core": "warning", "restricted": "danger"}
    return format_html(
        '<span class="badge text-bg-{}">{}</span>', colours.get(value, "secondary"), value
    )


@register.simple_tag
def search_hit(hit: dict):
    """One hit of the global search as a list item: a tag rather than an include, since the
    overview shows up to 65 hits and an include costs a template context each."""
    label = (
        format_html('<a href="{}">{}</a>', hit["url"], hit["label"])
        if hit.get("url")
        else format_html("{}", hit["label"])
    )
    note = (
        format_html(' <span class="small text-body-secondary">· {}</span>', hit["note"])
        if hit.get("note")
        else ""
    )
    return format_html('<li class="list-group-item">{}{}</li>', label, note)
