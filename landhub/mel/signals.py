"""Keep the roll-ups true when the directory changes under them.

A landscape's figures are combined into the countries and regions it lies in. When its
countries change (a form, the API, an import), the roll-ups of its indicators are rewritten by
a background task after the commit — at scale that is minutes of work, not a request's — and
meanwhile the dashboards say when their figures were last combined. A change of a country's
region is rare and made by administrators: `landhub mel-rebuild-rollups` follows it.
"""

from __future__ import annotations

from django.db import transaction


def landscape_countries_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    """``m2m_changed`` of ``Landscape.countries`` (``reverse``: changed from the country's
    side, ``instance`` is a country)."""
    if action == "pre_clear" and reverse:
        # country.landscapes.clear(): the landscapes are known only before they go.
        instance._mel_cleared = list(instance.landscapes.values_list("pk", flat=True))
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        landscape_ids = [instance.pk]
    elif action == "post_clear":
        landscape_ids = getattr(instance, "_mel_cleared", [])
    else:
        landscape_ids = sorted(pk_set or [])
    if not landscape_ids:
        return
    from .tasks import recompute_landscapes_task

    transaction.on_commit(lambda: recompute_landscapes_task.enqueue(landscape_ids))
