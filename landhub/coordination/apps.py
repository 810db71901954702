from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoordinationConfig(AppConfig):
    name = "landhub.coordination"
    label = "coordination"
    verbose_name = _("Coordination")

    def ready(self):
        from landhub.directory.imports import register_kind

        from .imports import OFFERINGS

        register_kind(OFFERINGS)
        _register_search_sections()

    # Hooks the directory's `seed-demo` and `generate-scale` commands call on every app that
    # has them, so the directory never imports the function apps built on it.
    def generate_scale(self, *, scale: float, seed: int, report) -> dict:
        from .scale import generate

        return generate(scale, seed=seed, report=report)

    def seed_demo(self, *, stdout=None) -> dict:
        from .demo import seed_demo

        return seed_demo(stdout=stdout)

    def landscape_panels(self, *, request, landscape) -> list[str]:
        """Sections this app adds to a landscape's profile: its top recommendations."""
        from django.template.loader import render_to_string

        from .matching import recommended_offerings

        return [
            render_to_string(
                "coordination/partials/landscape_panel.html",
                {
                    "landscape": landscape,
                    "recommendations": recommended_offerings(
                        user=request.user, landscape=landscape, limit=3
                    ),
                },
                request=request,
            )  # fmt: skip
        ]


def _register_search_sections() -> None:
    """Offerings (the published catalog) and activities join the hub's global search."""
    from django.db.models import Prefetch

    from landhub.core.search import SearchSection, register_search_section

    from .models import Activity, Offering, OfferingProvider
    from .selectors import activity_list, offering_list

    def offering_hit(offering) -> dict:
        leads = [link.organization.name for link in offering.provider_links.all() if link.is_lead]
        note = " · ".join([str(offering.get_type_display()), *leads])
        return {"label": offering.title, "url": offering.get_absolute_url(), "note": note}

    def activity_hit(activity) -> dict:
        note = " · ".join([
            str(activity.get_type_display()),
            f"{activity.starts_on:%Y-%m-%d} – {activity.ends_on:%Y-%m-%d}",
            ", ".join(o.name for o in activity.organizations.all()),
        ])  # fmt: skip
        return {"label": activity.title, "url": activity.get_absolute_url(), "note": note}

    # The lists' own prefetches (capabilities, every provider, landscapes) are dropped: a hit
    # names the lead providers or the organizations only, and each prefetch is a query more
    # for every search.
    leads = Prefetch("provider_links", queryset=OfferingProvider.objects.filter(is_lead=True)
                     .select_related("organization").order_by("organization__name"))  # fmt: skip

    def offering_results(user, q):
        found = offering_list(user=user, filters={"q": q})
        return found.prefetch_related(None).prefetch_related(leads)

    def activity_results(user, q):
        found = activity_list(user=user, filters={"q": q})
        return found.prefetch_related(None).prefetch_related("organizations")

    register_search_section(SearchSection(
        "offering", _("Offerings"), offering_results, offering_hit, models=(Offering,),
    ))  # fmt: skip
    register_search_section(SearchSection(
        "activity", _("Activities"), activity_results, activity_hit, models=(Activity,),
    ))  # fmt: skip
