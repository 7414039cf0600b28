"""WSGI entry point: `gunicorn reportsite.wsgi`."""

import os
import sys

from django.core.wsgi import get_wsgi_application

from reportsite.env import SettingsError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reportsite.settings")

try:
    application = get_wsgi_application()
except SettingsError as error:
    # One line instead of a traceback. Exit status 4 is gunicorn's "App failed to load": its
    # master stops instead of starting new workers that would fail the same way.
    print(f"error: {error}", file=sys.stderr, flush=True)
    sys.exit(4)
