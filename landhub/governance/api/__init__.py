"""Governance API (``/api/v1/governance/…``): one module per area, each with its own router.

Same selectors and services as the pages; errors as JSON with field messages; edits carry
``version`` (a stale one answers 409 with the current record). While the app is being built
the areas are gathered from the modules that exist (see ``governance.urls``).
"""

from importlib import import_module

from ninja import Router

router = Router(tags=["governance"])

for _area in ("bodies", "issues", "meetings", "decisions", "actions", "plans"):
    try:
        _module = import_module(f"landhub.governance.api.{_area}")
    except ModuleNotFoundError as exc:
        if exc.name != f"landhub.governance.api.{_area}":
            raise
        continue
    router.add_router("", _module.router)
