from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "landhub.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from . import lookups  # noqa: F401 - registers ``field__in_list`` (search results)
        from .counts import on_write

        for signal in (post_save, post_delete, m2m_changed):
            signal.connect(on_write, dispatch_uid=f"landhub-counts-{id(signal)}")
