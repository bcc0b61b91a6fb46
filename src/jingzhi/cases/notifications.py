"""Notifications: stored in-app, and copied to further channels behind one small interface.

Every notification is a ``Notification`` row (the in-app inbox). Extra channels are listed by
dotted path in the setting ``CASES_NOTIFICATION_CHANNELS`` (default: none). A channel is any
class with ``deliver(notification)``; ``EmailChannel`` and ``SmsChannel`` (through ``core.sms``,
the HTTP JSON SMS gateway government SMS platforms offer) ship here; another vendor is a class of the same
shape. Delivery is a Celery task queued after the transaction commits: a rolled-back transition
never sends anything, a broker that is down loses only the extra channels (logged), and with a
broker a slow gateway never holds up the request or the escalation job. (In the embedded default,
without ``REDIS_URL``, tasks run eagerly: a slow gateway there delays the request.) A failed
delivery is logged, not retried.
"""
from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Protocol

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils.module_loading import import_string

from jingzhi.core.sms import sms_send

from .models import Case, Notification

logger = logging.getLogger(__name__)


class Channel(Protocol):
    def deliver(self, notification: Notification) -> None: ...


class EmailChannel:
    """Email to the recipient's address, if they have one."""

    def deliver(self, notification: Notification) -> None:
        if notification.recipient.email:
            send_mail(
                subject=f"[精治] {notification.get_kind_display()}",
                message=notification.message,
                from_email=None,
                recipient_list=[notification.recipient.email],
            )


class SmsChannel:
    """Text message to the recipient's phone through ``core.sms`` (the configured SMS backend).
    Recipients without a phone number are skipped; a failure is raised to the caller, which logs it."""

    def deliver(self, notification: Notification) -> None:
        if notification.recipient.phone:
            sms_send(phone=notification.recipient.phone, text=notification.message)


def _channels() -> list[Channel]:
    return [import_string(path)() for path in settings.CASES_NOTIFICATION_CHANNELS]


def notifications_deliver(*, ids: list[int]) -> None:
    """Hand stored notifications to every configured channel (the Celery task's body)."""
    notifications = list(Notification.objects.filter(pk__in=ids).select_related("recipient"))
    for channel in _channels():
        for notification in notifications:
            try:
                channel.deliver(notification)
            except Exception:  # a failing gateway must not break the others
                logger.exception("notification %s not delivered by %s", notification.pk, type(channel).__name__)


# The task keeps its historical name: messages already queued by an older release still find it.
@shared_task(name="cases.tasks.deliver_notifications")
def deliver_notifications(ids: list[int]) -> None:
    """Send stored notifications through the configured channels (email, SMS …)."""
    notifications_deliver(ids=ids)


def notifications_send(*, recipients: Iterable, case: Case | None, kind: str, message: str, now) -> list[Notification]:
    """Store one notification per distinct recipient; other channels deliver after commit."""
    unique = {user.pk: user for user in recipients}
    notifications = Notification.objects.bulk_create(
        Notification(recipient=user, case=case, kind=kind, message=message[:300], created_at=now)
        for user in unique.values()
    )
    if notifications and settings.CASES_NOTIFICATION_CHANNELS:
        ids = [notification.pk for notification in notifications]
        # robust: a broker that is down is logged; the committed transition and the rest of a
        # batch (the escalation job) go on, and the notices stay in the in-app inbox.
        transaction.on_commit(lambda: deliver_notifications.delay(ids), robust=True)
    return notifications
