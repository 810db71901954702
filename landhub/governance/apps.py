from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "landhub.governance"
    label = "governance"
    verbose_name = _("Governance and strategic planning")

    def ready(self):
        from . import rules  # noqa: F401 - registers the governance permissions
        from .selectors.issues import register_search_sections

        register_search_sections()
        from .selectors.actions import register_my_actions_panel

        register_my_actions_panel()
        from .selectors.decisions import register_decision_search

        register_decision_search()

    # Hook of ``generate-scale``: bodies, seats, key issues, meetings, decisions with votes,
    # action items and plans (``scale.py``), added after the directory, coordination and MEL
    # records it links to.
    def generate_scale(self, *, scale: float, seed: int, report) -> dict:
        from .scale import generate

        return generate(scale, seed=seed, report=report)
