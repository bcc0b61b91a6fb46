"""Celery tasks of the case loop (scheduled by CELERY_BEAT_SCHEDULE in settings). The delivery of
notifications is a task of ``notifications``, beside what it delivers."""
from celery import shared_task

from .escalation import cases_escalate_overdue


@shared_task(name="cases.tasks.escalate_overdue")
def escalate_overdue() -> int:
    """Escalate overdue cases to the shift chiefs; the same service as `manage.py escalate_overdue`."""
    return cases_escalate_overdue()
