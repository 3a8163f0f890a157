"""WSGI entry point for gunicorn (`jianbao serve`)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jianbao.config.settings")
application = get_wsgi_application()
