"""WSGI entry point (gunicorn landhub.wsgi)."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "landhub.settings")
application = get_wsgi_application()


def freeze_startup_objects() -> None:
    """Load every view module, then move everything alive into the GC's permanent generation.

    Django, Wagtail and the URL tree leave hundreds of thousands of long-lived objects; every
    full collection used to walk them all, adding ~150 ms to one request in twenty (measured
    by ``make bench``: p50 35 ms, p95 185 ms before; no such outliers after).
    """
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports every app's views now, not per request
    gc.freeze()


freeze_startup_objects()
