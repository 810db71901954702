"""URLs of the governance app: each area's views module lists its own (``views/<area>.py``).

While the app is being built the areas are gathered from the modules that exist; once every
area is in, this becomes a plain list of imports like ``mel.urls``.
"""

from importlib import import_module

app_name = "governance"

AREAS = ("bodies", "issues", "meetings", "decisions", "actions", "plans")

urlpatterns: list = []
for _area in AREAS:
    try:
        _module = import_module(f"landhub.governance.views.{_area}")
    except ModuleNotFoundError as exc:
        if exc.name != f"landhub.governance.views.{_area}":
            raise
        continue
    urlpatterns += _module.urlpatterns
