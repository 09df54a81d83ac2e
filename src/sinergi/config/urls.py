"""Root URLs: each domain app's `urls.py` is mounted at /<app>/ when it exists; the API at /api/v1/."""

import importlib.util

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from sinergi import DOMAIN_APPS
from sinergi.config.api import api

# Apps whose pages live at the root rather than under their own prefix.
ROOT_MOUNTED = {"sinergi.core"}

urlpatterns = [
    path("", include("sinergi.core.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("api/v1/", api.urls),
    path("django-admin/", admin.site.urls),
]

for app in DOMAIN_APPS:
    if app in ROOT_MOUNTED:
        continue
    if importlib.util.find_spec(f"{app}.urls") is not None:
        label = app.rsplit(".", 1)[1]
        urlpatterns.append(path(f"{label}/", include(f"{app}.urls")))

if settings.DEBUG:
    pass  # static files come from whitenoise in every mode; nothing extra for debug

handler403 = "sinergi.core.views.error_403"
handler404 = "sinergi.core.views.error_404"
