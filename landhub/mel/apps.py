from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MelConfig(AppConfig):
    name = "landhub.mel"
    label = "mel"
    verbose_name = _("Monitoring, evaluation and learning")

    def ready(self):
        from django.db.models.signals import m2m_changed

        from landhub.core.search import SearchSection, register_search_section
        from landhub.directory.models import Landscape

        from .signals import landscape_countries_changed

        m2m_changed.connect(landscape_countries_changed, sender=Landscape.countries.through,
                            dispatch_uid="mel-landscape-countries")  # fmt: skip
        from landhub.directory.imports import register_kind

        from .imports import MEL_VALUES

        register_kind(MEL_VALUES)  # reported values: the directory's import page and task

        from .models import Indicator
        from .selectors import indicator_list

        def indicators(user, q):
            """The indicator library is for signed-in members."""
            if not user.is_authenticated:
                return Indicator.objects.none()
            return indicator_list(user=user, filters={"q": q})

        register_search_section(SearchSection(
            "indicator", _("Indicators"), indicators,
            lambda i: {"label": f"{i.code} {i.name}", "url": i.get_absolute_url(),
                       "note": str(i.get_measure_display())},
            models=(Indicator,),
        ))  # fmt: skip
        # Outcome statements, stories, reflections … (issue 6): each area registers its own.
        from .selectors import learning, outcomes, stories, value

        for area in (outcomes, stories, value, learning):
            area.register_search_sections()

    # Hook the directory's ``seed-demo`` command calls on every app that has it.
    def seed_demo(self, *, stdout=None) -> dict:
        from .demo import seed_demo

        return seed_demo(stdout=stdout)

    # Hooks of ``generate-scale``: MEL stays light by default (30 indicators, 100,000 values
    # per scale unit); the options make the budget-sized set (300 and 2,000,000).
    def add_scale_arguments(self, parser) -> None:
        parser.add_argument("--mel-indicators", type=int, default=None,
                            help="Synthetic MEL indicators (default 30).")  # fmt: skip
        parser.add_argument("--mel-observations", type=int, default=None,
                            help="Approved MEL values (default 100,000 per scale).")  # fmt: skip

    def generate_scale(self, *, scale: float, seed: int, report, options=None) -> dict:
        from . import scale_methods
        from .scale import generate

        options = options or {}
        written = generate(scale, seed=seed, report=report,
                           indicators=options.get("mel_indicators"),
                           observations=options.get("mel_observations"))  # fmt: skip
        # Outcomes, stories, trails, claims, reflections (issue 6).
        return {**written, **scale_methods.generate(scale, seed=seed, report=report)}

    def landscape_panels(self, *, request, landscape) -> list[str]:
        """For those who report the landscape's indicators: links to its data entry grid; for
        every member: links to its outcome statements, stories of change and reflections."""
        from django.template.loader import render_to_string

        from .models import IndicatorAssignment, ReportingPeriod
        from .rules import can

        if not request.user.is_authenticated:
            return []
        # Members find the landscape's outcomes, stories and reflections (links only: no query).
        panels = [render_to_string("mel/partials/landscape_change_panel.html",
                                   {"landscape": landscape}, request=request)]  # fmt: skip
        assignments = IndicatorAssignment.objects.filter(landscape=landscape,
                                                         scope_kind="landscape")  # fmt: skip
        first = assignments.select_related("reporter").first()
        if first is None or not can(request.user, "mel.report", first):
            return panels
        periods = ReportingPeriod.objects.filter(locked_at__isnull=True).order_by("-start")[:3]
        return [render_to_string("mel/partials/landscape_panel.html",
                                 {"landscape": landscape, "periods": periods,
                                  "count": assignments.count()}, request=request),
                *panels]  # fmt: skip
