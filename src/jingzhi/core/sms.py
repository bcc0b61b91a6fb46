"""Text messages (短信): the one function that sends one, behind a configurable backend.

``sms_send`` is how every app sends a text: the case notifications' SMS channel and the
citizens' one-time sign-in codes. The backend is a dotted path in ``SMS_BACKEND``:

- ``GatewayBackend`` (the default): the HTTP JSON gateway government SMS platforms offer,
  ``POST SMS_GATEWAY_URL`` with ``{"phone", "text"}`` and ``Authorization: Bearer SMS_GATEWAY_TOKEN``;
- ``LogBackend``: writes the text to the server log instead of sending it. ``bin/demo`` uses it,
  so the demo's sign-in codes can be read in the console; never in production, since codes
  would sit in the logs.

Every text starts with the sender's signature (``SMS_SIGNATURE``), which Chinese carriers require.
A backend that fails raises ``SmsNotSent``; the caller decides whether that matters.
"""
from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class SmsNotSent(Exception):
    """The backend could not hand the text over (gateway down, refused, not configured)."""


class SmsBackend(Protocol):
    def send(self, *, phone: str, text: str) -> None: ...


class GatewayBackend:
    """POST the text as JSON to the HTTP gateway; anything but a 2xx answer is a failure."""

    def send(self, *, phone: str, text: str) -> None:
        if not settings.SMS_GATEWAY_URL:
            raise SmsNotSent("SMS_GATEWAY_URL is not set")
        body = json.dumps({"phone": phone, "text": text}, ensure_ascii=False).encode()
        request = urllib.request.Request(settings.SMS_GATEWAY_URL, data=body, method="POST", headers={
            "Content-Type": "application/json; charset=utf-8",
            "Authorization": f"Bearer {settings.SMS_GATEWAY_TOKEN}",
        })
        try:
            with urllib.request.urlopen(request, timeout=settings.SMS_GATEWAY_TIMEOUT) as response:
                response.read()
        except (OSError, urllib.error.URLError) as error:  # HTTPError (a 4xx/5xx answer) is a URLError
            raise SmsNotSent(str(error)) from error


class LogBackend:
    """The demo's backend: the text goes to the server log (level WARNING, shown by default)."""

    def send(self, *, phone: str, text: str) -> None:
        logger.warning("短信（演示，未发送）→ %s：%s", phone, text)


def sms_send(*, phone: str, text: str) -> None:
    """Send ``text`` to ``phone`` through ``SMS_BACKEND``, signed; raises ``SmsNotSent``."""
    backend: SmsBackend = import_string(settings.SMS_BACKEND)()
    backend.send(phone=phone, text=f"{settings.SMS_SIGNATURE}{text}")
