"""Celery application.

Production uses Redis as broker (``REDIS_URL``); the embedded default runs tasks
eagerly in-process so a single ``runserver`` is the whole platform.
"""
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jingzhi.settings")

app = Celery("jingzhi")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
