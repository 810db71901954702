from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MelConfig(AppConfig):
    name = "landhub.mel"
    label = "mel"
    verbose_name = _("Monitoring, evaluation and learning")
