"""Idempotent POSTs: the API's ``Idempotency-Key`` header and the staff pages' form token.

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

The staff pages (and the citizen portal's report form, signed in or not) get the same protection
from the same records: each rendered form carries a
fresh token (``{% form_token %}`` from ``core_tags``, a hidden ``form_token`` input) and its
view is wrapped in ``idempotent_form``. A form sent twice (a double click, a browser retrying
or re-sending after "back") with the same token runs once; the copy is answered with the
first one's redirect, with a note that nothing was done again. Only a redirect (the pages'
answer to success) is stored, so a form refused for bad input is corrected and sent again.

Usage::

    class CaseViewSet(...):
        @idempotent
        def create(self, request, *args, **kwargs): ...

    @login_required
    @idempotent_form
    def report(request): ...
"""
from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import logging
import re
import uuid

from django.conf import settings
from django.contrib import messages
from django.db import IntegrityError, transaction
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.utils.encoders import JSONEncoder

from .errors import Unprocessable
from .models import IdempotencyKey
from .uploads import uploads_prepare_ahead

logger = logging.getLogger(__name__)

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
MAX_KEY_LENGTH = 255
#: The hidden input of a staff form carrying its token, and what a token looks like.
FORM_TOKEN_FIELD = "form_token"
_FORM_TOKEN = re.compile(r"[0-9a-f]{32}")
#: Redirects: a staff page's answer to a successful POST, the only answer kept for a form token.
_REDIRECTS = (301, 302, 303)

#: For ``extend_schema(parameters=[IDEMPOTENCY_PARAMETER])`` on idempotent operations.
IDEMPOTENCY_PARAMETER = OpenApiParameter(
    HEADER, OpenApiTypes.STR, OpenApiParameter.HEADER, required=False,
    description="可选。客户端生成的唯一键（如 UUID）；用同一键重试时返回首次结果，不会重复创建。",
)


class IdempotencyKeyReused(Unprocessable):
    """The key came back with another request: answered 422 by ``core.errors.exception_handler``."""

    code = "idempotency_key_reused"


def request_fingerprint(request) -> str:
    """A digest of method, path and body that does not depend on the multipart boundary
    (a DRF request's parsed data, or a plain Django request's form values)."""
    digest = hashlib.sha256(f"{request.method} {request.path}".encode())
    data = getattr(request, "data", None)
    if data is None:
        data = request.POST
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
    return IdempotencyKey.objects.filter(user=user, key=key).first()  # user None: a signed-out visitor's


def _owner(request):
    """Whose key it is: the signed-in user, or None for a visitor (the citizen portal's form,
    whose random token alone names the request)."""
    return request.user if request.user.is_authenticated else None


def _run_once(run, *, request, key: str, scope: str, fingerprint: str, keep, replay):
    """Replay a stored result, or ``run()`` and store its result (``keep(response)``: ``(status,
    body)`` for a success, ``None`` for a refusal, which is not stored) in the same transaction.

    The one mechanism behind the API header and the form token; ``replay(record)`` makes the
    answer to a copy of the request from its stored record. The request's files are decoded and
    cleaned before the transaction opens (on SQLite it takes the database's write lock at once);
    the view's service then finds them prepared.
    """
    user = _owner(request)
    uploads_prepare_ahead(upload for name in request.FILES for upload in request.FILES.getlist(name))

    def attempt():
        """``(response, final)``: ``final`` unless a refusal that a concurrent copy may explain."""
        with transaction.atomic():
            record = _stored(user, key)
            if record is not None:
                return replay(record), True
            response = run()
            kept = keep(response)
            if kept is None:
                return response, False
            try:
                with transaction.atomic():
                    IdempotencyKey.objects.create(user=user, key=key, scope=scope, request_hash=fingerprint,
                                                  status_code=kept[0], response=kept[1])
            except IntegrityError:
                # A concurrent copy of this request won: read its result (before marking the
                # transaction for rollback, which forbids further queries), then undo ours.
                winner = _stored(user, key)
                transaction.set_rollback(True)
                return replay(winner), True
            return response, True

    try:
        response, final = attempt()
    except Exception:
        # A copy still running when this one started may have won meanwhile (the retry then
        # found the case moved on, say): answer with its result rather than the refusal.
        winner = _stored(user, key)
        if winner is None:
            raise
        logger.info("Idempotency key %s: a concurrent copy won; replaying it", key, exc_info=True)
        return replay(winner)
    winner = None if final else _stored(user, key)
    return response if winner is None else replay(winner)


def _api_result(response) -> tuple[int, object] | None:
    if not 200 <= response.status_code < 300:
        return None
    return response.status_code, json.loads(json.dumps(response.data, cls=JSONEncoder))


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
        return _run_once(lambda: view_method(view, request, *args, **kwargs), request=request, key=key,
                         scope=scope, fingerprint=fingerprint, keep=_api_result,
                         replay=lambda record: _replay(record, scope=scope, fingerprint=fingerprint))

    return wrapper


def form_token() -> str:
    """A fresh token for one rendered staff form."""
    return uuid.uuid4().hex


def _form_result(response) -> tuple[int, dict] | None:
    if response.status_code not in _REDIRECTS:
        return None
    return response.status_code, {"location": response["Location"]}


def idempotent_form(view):
    """Make a staff page's POST view run once per form token (see module docstring).

    A POST without a well-formed token (a script, an old page) runs as before. A signed-out
    visitor's form (the citizen portal's report, sent again by a double tap, a retry or an
    offline draft) runs once per token too."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        token = request.POST.get(FORM_TOKEN_FIELD, "") if request.method == "POST" else ""
        if not _FORM_TOKEN.fullmatch(token):
            return view(request, *args, **kwargs)

        def replay(record):
            messages.info(request, _("这张表单已经提交过，没有再次办理（结果见本页）。如需再次提交，请重新打开表单。"))
            return redirect(record.response["location"])

        return _run_once(lambda: view(request, *args, **kwargs), request=request, key=f"form:{token}",
                         scope=f"{request.method} {request.path}"[:300], fingerprint=request_fingerprint(request),
                         keep=_form_result, replay=replay)

    return wrapper


def idempotency_keys_purge(*, now: dt.datetime | None = None) -> int:
    """Delete stored responses older than ``IDEMPOTENCY_KEY_TTL_HOURS``; returns how many."""
    cutoff = (now or timezone.now()) - dt.timedelta(hours=settings.IDEMPOTENCY_KEY_TTL_HOURS)
    deleted, _by_model = IdempotencyKey.objects.filter(created_at__lt=cutoff).delete()
    return deleted
