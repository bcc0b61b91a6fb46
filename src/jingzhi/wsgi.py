"""WSGI entry point (gunicorn jingzhi.wsgi)."""
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jingzhi.settings")
application = get_wsgi_application()
