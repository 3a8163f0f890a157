"""WSGI entry point for gunicorn (`jianbao serve`)."""

import os

from django.core.wsgi import get_wsgi_application

from jianbao.text.segment import tokenizer

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jianbao.config.settings")
application = get_wsgi_application()

# Load the segmentation dictionary before gunicorn forks its workers (`--preload`), so the first
# search in each worker does not pay for it and the workers share its memory.
tokenizer()
