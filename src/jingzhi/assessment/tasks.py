"""Celery tasks of the assessment (scheduled by CELERY_BEAT_SCHEDULE in settings)."""
from celery import shared_task
from django.utils import timezone

from .models import Assessment, Status
from .periods import month_before
from .services import assessment_month_compute
from .supervision import daily_sheets_send


@shared_task(name="assessment.tasks.assess_previous_month")
def assess_previous_month() -> str:
    """月考核 of last month, as `manage.py assess_month` does; a published month is left alone."""
    period = month_before(timezone.localdate())
    if Assessment.objects.filter(period=period.code, status=Status.PUBLISHED).exists():
        return period.code
    assessment_month_compute(period=period.code)
    return period.code


@shared_task(name="assessment.tasks.send_daily_sheets")
def send_daily_sheets() -> int:
    """日督查: yesterday's sheet per district to its staff and the leaders."""
    return len(daily_sheets_send())
