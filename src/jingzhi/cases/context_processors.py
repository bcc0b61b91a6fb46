"""The header's link to the notification page with the unread count (``TEMPLATES`` lists it)."""
from __future__ import annotations

from functools import cached_property

from django.urls import reverse

from .selectors import notifications_unread_count

#: Above this the header shows "99+": the exact number is on the page.
SHOWN_MAX = 99


class Inbox:
    """Counted only when a page draws the header, and once per request."""

    def __init__(self, user):
        self.user = user
        self.url = reverse("notifications:inbox")

    @cached_property
    def unread(self) -> int:
        return notifications_unread_count(self.user)

    @property
    def unread_label(self) -> str:
        return f"{SHOWN_MAX}+" if self.unread > SHOWN_MAX else str(self.unread)


def inbox(request):
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {}
    return {"inbox": Inbox(user)}
