"""Writes of the Open311 interface: client apps' keys (issue, rotate, revoke) and ``POST requests``.

A key is shown once, when issued; only its digest is kept (``models.ClientApp``).
"""
from __future__ import annotations

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jingzhi.cases.models import Category, Source
from jingzhi.cases.reporting import case_report
from jingzhi.core.errors import Conflict
from jingzhi.core.uploads import uploads_prepare_ahead
from jingzhi.org.models import Role
from jingzhi.org.services import user_create

from .models import ClientApp, Submission

#: Every key starts so: a leaked key is recognisable in logs and by secret scanners.
KEY_MARK = "o311_"
PREFIX_LENGTH = 8


def key_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _new_key() -> tuple[str, str, str]:
    """A fresh key, its lookup prefix and its digest."""
    key = KEY_MARK + secrets.token_urlsafe(32)
    return key, key[len(KEY_MARK):len(KEY_MARK) + PREFIX_LENGTH], key_digest(key)


@transaction.atomic
def client_app_create(*, name: str, contact: str = "") -> tuple[ClientApp, str]:
    """Register a client app with its own citizen account; returns the app and its new key."""
    if ClientApp.objects.filter(name=name).exists():
        raise Conflict(_("已有名为“%(name)s”的客户端应用。") % {"name": name})
    # The account only carries the app's reports: a random password nobody knows, no name.
    user = user_create(username=f"open311-{secrets.token_hex(5)}", password=secrets.token_urlsafe(32),
                       roles=(Role.CITIZEN,))
    key, prefix, digest = _new_key()
    app = ClientApp.objects.create(name=name, contact=contact, key_prefix=prefix, key_hash=digest, user=user)
    return app, key


def client_app_rotate(*, app: ClientApp) -> str:
    """Give ``app`` a new key (the old one stops at once), also lifting a revocation; returns the key."""
    key, prefix, digest = _new_key()
    app.key_prefix, app.key_hash, app.revoked_at = prefix, digest, None
    app.save(update_fields=["key_prefix", "key_hash", "revoked_at"])
    return key


def client_app_revoke(*, app: ClientApp) -> None:
    """Stop ``app``'s key; its submissions and cases stay."""
    if app.revoked_at is None:
        app.revoked_at = timezone.now()
        app.save(update_fields=["revoked_at"])


def request_submit(*, client: ClientApp, category: Category, lon: float, lat: float, media=None,
                   account_id: str = "", media_url: str = "", **report) -> Submission:
    """Open311 ``POST requests``: the case is reported by the one case-report service
    (``cases.reporting.case_report``), as a citizen report of the app's account, and the
    submission recorded with it in one transaction. ``report``: the other ``case_report`` fields.

    The photo is checked and cleaned before the transaction opens (``uploads_prepare_ahead``), so
    no image is decoded while the database's write lock is held.
    """
    photos = [media] if media else []
    uploads_prepare_ahead(photos)
    with transaction.atomic():
        case = case_report(reporter=client.user, source=Source.CITIZEN, category=category, lon=lon, lat=lat,
                           photos=photos, **report)
        return Submission.objects.create(client=client, case=case, account_id=account_id, media_url=media_url,
                                         created_at=case.created_at)
