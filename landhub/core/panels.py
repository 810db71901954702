"""Panels the function apps add to "My hub" (the signed-in front door, ``directory``).

"My hub" belongs to the directory, which depends on no function app; so each app registers
what it has for a person — governance: their action items, overdue ones first, and the votes
waiting for them — with ``my_hub_panel`` in its ``AppConfig.ready``, and the page draws every
panel whose function returns a context (None: nothing to show).

    register_my_hub_panel("governance/partials/my_actions.html", my_actions, order=20)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class MyHubPanel:
    template: str
    context: Callable[..., dict | None]  # context(user=...) -> dict | None
    order: int


_PANELS: list[MyHubPanel] = []


def register_my_hub_panel(template: str, context: Callable[..., dict | None], *,
                          order: int = 50) -> None:  # fmt: skip
    if any(p.template == template for p in _PANELS):
        return
    _PANELS.append(MyHubPanel(template, context, order))
    _PANELS.sort(key=lambda p: p.order)


def my_hub_panels(*, user) -> list[tuple[str, dict]]:
    """(template, context) of each panel with something to show ``user``."""
    drawn = []
    for panel in _PANELS:
        context = panel.context(user=user)
        if context is not None:
            drawn.append((panel.template, context))
    return drawn
