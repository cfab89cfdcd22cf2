"""WSGI entry point for gunicorn: `gunicorn mumaris.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mumaris.settings")

application = get_wsgi_application()
