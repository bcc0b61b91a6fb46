"""Celery tasks of the platform's plumbing (scheduled by CELERY_BEAT_SCHEDULE in settings)."""
from celery import shared_task

from .idempotency import idempotency_keys_purge


@shared_task(name="core.tasks.purge_idempotency_keys")
def purge_idempotency_keys() -> int:
    """Forget idempotency keys past their time to live; the same as `manage.py purge_idempotency_keys`."""
    return idempotency_keys_purge()
