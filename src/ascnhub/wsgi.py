"""WSGI entry point (gunicorn ascnhub.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ascnhub.settings")
application = get_wsgi_application()
