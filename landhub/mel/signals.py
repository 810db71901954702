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


# --- Reach: the nightly computation after a landscape changed --------------------------------
# Connected here, when ``MelConfig.ready`` imports this module (Landscape is loaded by then).
# What counts for reach: the boundary, the population, the 1000L status, archiving, and the
# countries (they set the region). Anything else (a name, a summary) leaves the figure as it is.

from django.db.models.signals import m2m_changed, post_init, post_save  # noqa: E402
from django.dispatch import receiver  # noqa: E402

from landhub.directory.models import Landscape  # noqa: E402

REACH_FIELDS = ("boundary", "population", "initiative_status", "archived_at")
_MISSING = object()


def _reach_state(instance) -> tuple:
    # ``__dict__``, not the attribute: a landscape loaded with ``only()`` must not fetch its
    # deferred fields here (a query per row of a list).
    return tuple(instance.__dict__.get(name, _MISSING) for name in REACH_FIELDS)


@receiver(post_init, sender=Landscape, dispatch_uid="mel-reach-landscape-loaded")
def remember_reach_state(sender, instance, **kwargs) -> None:
    instance._mel_reach_state = _reach_state(instance)


@receiver(post_save, sender=Landscape, dispatch_uid="mel-reach-landscape-saved")
def landscape_saved_for_reach(sender, instance, created, raw=False, **kwargs) -> None:
    """Schedule the nightly computation when an engaged landscape (now or before) changed
    what the figure counts."""
    if raw:  # fixtures being loaded
        return
    before = getattr(instance, "_mel_reach_state", None)
    after = _reach_state(instance)
    instance._mel_reach_state = after
    from .selectors.dashboards import ENGAGED_STATUSES

    engaged = instance.initiative_status in ENGAGED_STATUSES
    if created:
        changed = engaged
    else:
        was_engaged = before is not None and before[2] in ENGAGED_STATUSES
        changed = (engaged or was_engaged) and before != after
    if changed:
        from .services.reach import reach_schedule

        reach_schedule()


@receiver(m2m_changed, sender=Landscape.countries.through, dispatch_uid="mel-reach-countries")
def landscape_countries_changed_for_reach(sender, instance, action, reverse, **kwargs) -> None:
    """Countries decide the region, and the region figures follow them (a candidate's
    countries do not matter; a change from a country's side may touch engaged ones)."""
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    from .selectors.dashboards import ENGAGED_STATUSES

    if not reverse and instance.initiative_status not in ENGAGED_STATUSES:
        return
    from .services.reach import reach_schedule

    reach_schedule()


# --- Change trails: the sort key follows the directory's name ---------------------------------

from landhub.directory.models import Organization  # noqa: E402


@receiver(post_save, sender=Organization, dispatch_uid="mel-trail-actor-renamed")
def organization_renamed(sender, instance, created, raw=False, **kwargs) -> None:
    """A trail naming an organization sorts by its name (``ChangeTrail.actor_sort``): a
    renamed organization's trails move to their new place in the list. One update, only of
    the trails whose key differs (none, for any other change of the organization)."""
    if created or raw:
        return
    from .models import ChangeTrail
    from .models.outcomes import trail_sort_key

    key = trail_sort_key(str(instance))
    ChangeTrail.objects.filter(actor_organization=instance).exclude(actor_sort=key).update(
        actor_sort=key
    )
