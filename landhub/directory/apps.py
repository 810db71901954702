from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "landhub.directory"
    label = "directory"
    verbose_name = _("Directory")

    def ready(self):
        from landhub.core import access

        from .rules import is_core_partner_staff

        access.set_core_partner_resolver(is_core_partner_staff)

        from .selectors.terms import register_search_sections

        register_search_sections()
