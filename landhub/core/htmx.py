"""One URL serves the full page or, for an htmx request, just the partial."""

from django.shortcuts import render


def render_page(request, template: str, context: dict, *, partial: str | None = None, status=200):
    if partial and getattr(request, "htmx", False) and not request.htmx.boosted:
        return render(request, partial, context, status=status)
    return render(request, template, context, status=status)
