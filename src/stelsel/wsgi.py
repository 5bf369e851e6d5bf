"""WSGI entry point (gunicorn stelsel.wsgi). Refuses to serve while migrations are pending."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stelsel.settings")

application = get_wsgi_application()

from stelsel.lib.startup import ensure_migrated  # noqa: E402

ensure_migrated()
