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

    # Hook the directory's ``seed-demo`` command calls on every app that has it (governance
    # comes after MEL in INSTALLED_APPS: its plan's milestones read the MEL demo's figures).
    def seed_demo(self, *, stdout=None) -> dict:
        from .demo import seed_demo

        return seed_demo(stdout=stdout)

    # Hook of ``demo-logins``: the steering committee's members the governance demo adds.
    def demo_logins(self) -> list[tuple[str, str, str]]:
        from .demo import demo_logins

        return demo_logins()
