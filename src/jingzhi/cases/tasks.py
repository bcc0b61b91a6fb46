"""Celery tasks of the case loop (scheduled by CELERY_BEAT_SCHEDULE in settings)."""
from celery import shared_task

from .notifications import notifications_deliver
from .services import cases_escalate_overdue


@shared_task(name="cases.tasks.escalate_overdue")
def escalate_overdue() -> int:
    """Escalate overdue cases to the shift chiefs; the same service as `manage.py escalate_overdue`."""
    return cases_escalate_overdue()


@shared_task(name="cases.tasks.deliver_notifications")
def deliver_notifications(ids: list[int]) -> None:
    """Send stored notifications through the configured channels (email, SMS …)."""
    notifications_deliver(ids=ids)
