"""Notifications: stored in-app, and copied to further channels behind one small interface.

Every notification is a ``Notification`` row (the in-app inbox). Extra channels are listed by
dotted path in the setting ``CASES_NOTIFICATION_CHANNELS`` (default: none). A channel is any
class with ``deliver(notification)``; ``EmailChannel`` ships here, an SMS gateway is a class of
the same shape wrapping the vendor's API. Channels run after the transaction commits, so a
rolled-back transition never sends anything.
"""
from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils.module_loading import import_string

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


def _channels() -> list[Channel]:
    return [import_string(path)() for path in getattr(settings, "CASES_NOTIFICATION_CHANNELS", [])]


def _deliver(notifications: list[Notification]) -> None:
    for channel in _channels():
        for notification in notifications:
            try:
                channel.deliver(notification)
            except Exception:  # a failing gateway must not break the others
                logger.exception("notification %s not delivered by %s", notification.pk, type(channel).__name__)


def notifications_send(*, recipients: Iterable, case: Case | None, kind: str, message: str, now) -> list[Notification]:
    """Store one notification per distinct recipient; other channels deliver after commit."""
    unique = {user.pk: user for user in recipients}
    notifications = Notification.objects.bulk_create(
        Notification(recipient=user, case=case, kind=kind, message=message[:300], created_at=now)
        for user in unique.values()
    )
    if notifications:
        transaction.on_commit(lambda: _deliver(notifications))
    return notifications
