"""Top-level URLs: each app mounts its own urls.py; the API lives under /api/v1/."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from .api import api

urlpatterns = [
    path("django-admin/", admin.site.urls),
    path("cms/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("accounts/", include("allauth.urls")),
    path("account/", include("landhub.accounts.urls")),
    path("", include("landhub.core.urls")),
    path("", include("landhub.directory.urls")),
    path("", include("landhub.coordination.urls")),
    path("", include("landhub.mel.urls")),
    path("", include("landhub.governance.urls")),
]

if settings.DEBUG:
    from django.urls import re_path
    from django.views.static import serve

    # Uploaded media for the development server, except attachments: those are served only by
    # the views that check who may see them.
    urlpatterns += [
        re_path(r"^media/(?!attachments/)(?P<path>.*)$", serve,
                {"document_root": settings.MEDIA_ROOT}),
    ]  # fmt: skip

# Wagtail serves the public pages (home page and editorial pages) last.
urlpatterns += [path("", include(wagtail_urls))]

handler404 = "landhub.core.views.not_found"
