from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MelConfig(AppConfig):
    name = "landhub.mel"
    label = "mel"
    verbose_name = _("Monitoring, evaluation and learning")

    def ready(self):
        from landhub.core.search import SearchSection, register_search_section

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
        ))  # fmt: skip
