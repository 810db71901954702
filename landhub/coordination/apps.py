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

    # Hooks the directory's `seed-demo` and `generate-scale` commands call on every app that
    # has them, so the directory never imports the function apps built on it.
    def generate_scale(self, *, scale: float, seed: int, report) -> dict:
        from .scale import generate

        return generate(scale, seed=seed, report=report)

    def seed_demo(self, *, stdout=None) -> dict:
        from .demo import seed_offerings

        return seed_offerings(stdout=stdout)

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
