"""Panels other areas add to the pages of a body and of a meeting.

The body page (area "bodies") shows its upcoming meetings, recent decisions and overdue
actions; the meeting page (area "meetings") shows the decisions taken on its items and the
actions it produced. Each area registers a panel — a template and a function returning its
context — from its selectors module, so the page's owner never imports the other areas and
the areas can be built side by side.

    @body_panel("governance/partials/body_actions.html", order=30)
    def overdue_actions(*, user, body) -> dict | None: ...

A function returning None shows nothing. Panels are drawn in ``order``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Panel:
    template: str
    context: Callable[..., dict | None]
    order: int


_BODY: list[Panel] = []
_MEETING: list[Panel] = []


def _register(target: list[Panel], template: str, order: int):
    def decorator(function):
        if not any(p.template == template for p in target):
            target.append(Panel(template, function, order))
            target.sort(key=lambda p: p.order)
        return function

    return decorator


def body_panel(template: str, *, order: int = 50):
    return _register(_BODY, template, order)


def meeting_panel(template: str, *, order: int = 50):
    return _register(_MEETING, template, order)


def _render(panels: list[Panel], **kwargs) -> list[tuple[str, dict]]:
    drawn = []
    for panel in panels:
        context = panel.context(**kwargs)
        if context is not None:
            drawn.append((panel.template, context))
    return drawn


def body_panels(*, user, body) -> list[tuple[str, dict]]:
    """(template, context) of each panel of ``body``'s page for ``user``."""
    return _render(_BODY, user=user, body=body)


def meeting_panels(*, user, meeting) -> list[tuple[str, dict]]:
    return _render(_MEETING, user=user, meeting=meeting)
