"""Writes of the in-app inbox: a user marks their notifications read, one or all.

The notification is found through ``selectors.notifications_of`` by the caller (page or API), so
another user's notification is out of sight (404) before anything is written. Both writes are
single conditional UPDATEs: marking twice, or from two tabs at once, keeps the first time read.
"""
from __future__ import annotations

from .models import Notification


def notification_mark_read(*, notification: Notification, now) -> Notification:
    """Mark one notification read (a no-op when it already is)."""
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now)
        notification.refresh_from_db(fields=["read_at"])
    return notification


def notifications_mark_all_read(*, user, now) -> int:
    """Mark every unread notification of ``user`` read; returns how many were unread."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=now)
