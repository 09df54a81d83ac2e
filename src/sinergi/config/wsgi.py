"""WSGI entry point for gunicorn/granian/waitress."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sinergi.config.settings")
application = get_wsgi_application()
