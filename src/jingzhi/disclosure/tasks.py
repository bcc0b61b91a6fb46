"""Celery task of the moderation screening (beat: every minute)."""
from celery import shared_task

from .services import reviews_screen


@shared_task(name="disclosure.tasks.screen_reviews")
def screen_reviews() -> int:
    return reviews_screen()
