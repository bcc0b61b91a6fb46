"""Idempotent POSTs for DRF views: the ``Idempotency-Key`` request header.

Mobile clients on bad networks retry. A client that sends the same key again gets the first
response back (status, body, plus ``Idempotent-Replayed: true``) and nothing runs twice; the
same key with a different request is refused with 422.

The key is recorded in the same transaction as the view's writes, *after* the view ran: two
copies of a request racing each other both run, the second one's insert of the key hits the
unique constraint (on PostgreSQL it waits for the first to commit), its transaction rolls back
and it answers with the first one's stored response. A copy that is *refused* because the first
one changed things meanwhile (an action whose case has moved on, waiting on the first's row lock)
looks again for the key after its rollback and answers with the first response too. Only
successful (2xx) responses are stored, so a request refused for bad input may be corrected and
retried with the same key. The scope is method, path and query string.

Keys are kept ``IDEMPOTENCY_KEY_TTL_HOURS`` (a client retries within minutes, not days) and then
purged by ``idempotency_keys_purge``, which the beat schedule runs hourly.

Usage::

    class CaseViewSet(...):
        @idempotent
        def create(self, request, *args, **kwargs): ...
"""
from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import status
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.response import Response
from rest_framework.utils.encoders import JSONEncoder

from .models import IdempotencyKey
from .uploads import uploads_prepare_ahead

logger = logging.getLogger(__name__)

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
MAX_KEY_LENGTH = 255

#: For ``extend_schema(parameters=[IDEMPOTENCY_PARAMETER])`` on idempotent operations.
IDEMPOTENCY_PARAMETER = OpenApiParameter(
    HEADER, OpenApiTypes.STR, OpenApiParameter.HEADER, required=False,
    description="可选。客户端生成的唯一键（如 UUID）；用同一键重试时返回首次结果，不会重复创建。",
)


class IdempotencyKeyReused(APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_code = "idempotency_key_reused"


def request_fingerprint(request) -> str:
    """A digest of method, path and body that does not depend on the multipart boundary."""
    digest = hashlib.sha256(f"{request.method} {request.path}".encode())
    data = request.data
    if hasattr(data, "lists"):
        fields = sorted((name, [v for v in values if not hasattr(v, "read")]) for name, values in data.lists())
    else:
        fields = data
    digest.update(json.dumps(fields, sort_keys=True, cls=JSONEncoder, ensure_ascii=False).encode())
    for name in sorted(request.FILES):
        digest.update(name.encode())
        for upload in request.FILES.getlist(name):
            upload.seek(0)
            for chunk in upload.chunks():
                digest.update(chunk)
            upload.seek(0)
    return digest.hexdigest()


def _replay(record: IdempotencyKey, *, scope: str, fingerprint: str) -> Response:
    if record.scope != scope or record.request_hash != fingerprint:
        raise IdempotencyKeyReused(_("该 Idempotency-Key 已用于另一个请求，请为新请求生成新的键。"))
    return Response(record.response, status=record.status_code, headers={REPLAYED_HEADER: "true"})


def _stored(user, key: str) -> IdempotencyKey | None:
    return IdempotencyKey.objects.filter(user=user, key=key).first()


def _run_once(view_method, view, request, args, kwargs, *, key: str, scope: str, fingerprint: str) -> Response:
    """Replay a stored result, or run the view and store a 2xx result in the same transaction."""
    with transaction.atomic():
        record = _stored(request.user, key)
        if record is not None:
            return _replay(record, scope=scope, fingerprint=fingerprint)
        response = view_method(view, request, *args, **kwargs)
        if not 200 <= response.status_code < 300:
            return response
        body = json.loads(json.dumps(response.data, cls=JSONEncoder))
        try:
            with transaction.atomic():
                IdempotencyKey.objects.create(
                    user=request.user, key=key, scope=scope, request_hash=fingerprint,
                    status_code=response.status_code, response=body,
                )
        except IntegrityError:
            # A concurrent copy of this request won: read its result (before marking the
            # transaction for rollback, which forbids further queries), then undo ours.
            winner = _stored(request.user, key)
            transaction.set_rollback(True)
            return _replay(winner, scope=scope, fingerprint=fingerprint)
        return response


def idempotent(view_method):
    """Make a DRF view method honour the ``Idempotency-Key`` header (see module docstring)."""

    @functools.wraps(view_method)
    def wrapper(view, request, *args, **kwargs):
        key = request.headers.get(HEADER, "").strip()
        if not key or not request.user.is_authenticated:
            return view_method(view, request, *args, **kwargs)
        if len(key) > MAX_KEY_LENGTH:
            raise ValidationError({HEADER: [_("Idempotency-Key 不能超过 255 个字符。")]})
        scope = f"{request.method} {request.get_full_path()}"[:300]
        fingerprint = request_fingerprint(request)
        # The files are decoded and cleaned before _run_once's transaction opens (on SQLite it takes
        # the database's write lock at once); the view's service finds them prepared.
        uploads_prepare_ahead(upload for name in request.FILES for upload in request.FILES.getlist(name))
        try:
            response = _run_once(view_method, view, request, args, kwargs, key=key, scope=scope,
                                 fingerprint=fingerprint)
        except Exception:
            # A copy still running when this one started may have won meanwhile (the retry then
            # found the case moved on, say): answer with its result rather than the refusal.
            winner = _stored(request.user, key)
            if winner is None:
                raise
            logger.info("Idempotency-Key %s: a concurrent copy won; replaying it", key, exc_info=True)
            return _replay(winner, scope=scope, fingerprint=fingerprint)
        winner = None if 200 <= response.status_code < 300 else _stored(request.user, key)
        return response if winner is None else _replay(winner, scope=scope, fingerprint=fingerprint)

    return wrapper


def idempotency_keys_purge(*, now: dt.datetime | None = None) -> int:
    """Delete stored responses older than ``IDEMPOTENCY_KEY_TTL_HOURS``; returns how many."""
    cutoff = (now or timezone.now()) - dt.timedelta(hours=settings.IDEMPOTENCY_KEY_TTL_HOURS)
    deleted, _by_model = IdempotencyKey.objects.filter(created_at__lt=cutoff).delete()
    return deleted
