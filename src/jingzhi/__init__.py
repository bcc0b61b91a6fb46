"""Jingzhi (精治): urban refined-management platform."""
from .celery import app as celery_app

__all__ = ["celery_app"]
