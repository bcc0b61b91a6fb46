"""Celery tasks of citizens' accounts (scheduled by CELERY_BEAT_SCHEDULE in settings)."""
from celery import shared_task

from .services import sms_codes_purge


@shared_task(name="citizens.tasks.purge_sms_codes")
def purge_sms_codes() -> int:
    """Forget sign-in codes (phone numbers, client addresses) older than a day."""
    return sms_codes_purge()
