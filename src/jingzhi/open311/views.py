"""The GeoReport v2 endpoints (``/open311/v2/…{.json,.xml}``). Thin: they parse the arguments,
call ``selectors``/``services`` and answer in the format of the path's extension.

Errors answer as the specification says: ``[{"code": …, "description": …}]`` (XML ``<errors>``),
with 400 for bad or missing arguments, 403 for a missing or invalid ``api_key``, 404 for an unknown
service, request, token or jurisdiction, 422 for an ``Idempotency-Key`` reused with another
request and 429 (with ``Retry-After``) over a rate limit. The endpoints are left out of the
project's OpenAPI schema: the specification, ``discovery`` and docs/open311.md describe them.
"""
from __future__ import annotations

import datetime as dt
import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpResponse, HttpResponseNotModified
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from jingzhi.core.errors import DomainError, validation_messages
from jingzhi.core.idempotency import idempotent

from . import selectors
from .access import ApiKeyAuthentication, ClientAppThrottle, ClientIpThrottle, HasApiKey
from .answers import answer_get
from .attributes import attribute_values_clean, service_attributes
from .formats import JSON_TYPE, XML_TYPE, JSONRenderer, XMLRenderer, document, w3c_datetime
from .serializers import RequestCreateSerializer, attribute_fields, reporter_name
from .services import request_submit

#: The specification the endpoints implement (as discovery names it).
SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
#: The last change of this interface (discovery's ``changeset``).
CHANGESET = "2026-12-05T00:00:00+08:00"
#: The most ids one ``service_request_id`` list may name.
MAX_IDS = 200


def _messages(detail, field: str = "") -> list[str]:
    if isinstance(detail, dict):
        return [m for key, value in detail.items()
                for m in _messages(value, "" if key in ("non_field_errors", "detail") else str(key))]
    if isinstance(detail, (list, tuple)):
        return [m for value in detail for m in _messages(value, field)]
    return [f"{field}: {detail}" if field else str(detail)]


def exception_handler(exc, context):
    """Every refusal as the specification's error list, with the matching HTTP status."""
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(validation_messages(exc))
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(str(exc) or _("未找到。"))
    headers = {}
    if isinstance(exc, DomainError):
        code, messages = exc.status_code, [str(exc)]
    elif isinstance(exc, (exceptions.NotAuthenticated, exceptions.AuthenticationFailed)):
        code, messages = status.HTTP_403_FORBIDDEN, _messages(exc.detail)
    elif isinstance(exc, exceptions.APIException):
        code, messages = exc.status_code, _messages(exc.detail)
        if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
            headers["Retry-After"] = str(int(exc.wait) + 1)
    else:
        return None
    return Response([{"code": code, "description": message} for message in messages], status=code, headers=headers)


class Open311View(APIView):
    renderer_classes = [JSONRenderer, XMLRenderer]
    #: The specification's POST body: a form (multipart when it carries the photo).
    parser_classes = [FormParser, MultiPartParser]
    authentication_classes = []
    permission_classes = []
    throttle_classes = [ClientIpThrottle]
    #: The XML root of a successful answer.
    xml_root = ""

    def get_exception_handler(self):
        return exception_handler

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        jurisdiction = request.query_params.get("jurisdiction_id") or request.data.get("jurisdiction_id") or ""
        if jurisdiction and jurisdiction != settings.OPEN311_JURISDICTION_ID:
            raise exceptions.NotFound(_("未知的 jurisdiction_id：%(id)s。") % {"id": str(jurisdiction)[:50]})


def _site(request) -> str:
    """Scheme and host, for the absolute ``media_url`` of a public photo."""
    return request.build_absolute_uri("/")[:-1]


def _cached(view: APIView, key: str, build, *, root: str, fmt: str) -> HttpResponse:
    """A public answer kept per data version (``answers``), with a weak ETag: a client that sends it
    back gets 304; a client that accepts gzip gets the compressed copy. Public data only: nothing
    here depends on who asks.

    Only an answer that must be built counts against the caller's address (``ClientIpThrottle``):
    a kept one costs the server less than checking the count would, and no more than a refusal."""
    request = view.request

    def render() -> bytes:
        throttle = ClientIpThrottle()
        if not throttle.allow_request(request, view):
            view.throttled(request, throttle.wait())
        return document(build(), root=root, fmt=fmt)

    answer = answer_get(f"{key}:{fmt}:{get_language()}:{_site(request)}", render)
    if answer.etag in request.headers.get("If-None-Match", ""):
        response = HttpResponseNotModified()
    elif "gzip" in request.headers.get("Accept-Encoding", ""):
        response = HttpResponse(answer.gzipped, content_type=JSON_TYPE if fmt == "json" else XML_TYPE)
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(answer.body, content_type=JSON_TYPE if fmt == "json" else XML_TYPE)
    response["ETag"] = answer.etag
    response["Cache-Control"] = "public, no-cache"  # kept, but revalidated: a change shows at once
    patch_vary_headers(response, ["Accept-Language", "Accept-Encoding"])
    return response


@extend_schema(exclude=True)
class DiscoveryView(Open311View):
    xml_root = "discovery"

    def get(self, request, format=None):
        base = request.build_absolute_uri("/open311/v2/")
        return Response({
            "changeset": CHANGESET,
            "contact": settings.OPEN311_CONTACT,
            "key_service": settings.OPEN311_KEY_SERVICE,
            "endpoints": [{"specification": SPECIFICATION, "url": base, "changeset": CHANGESET,
                           "type": "production", "formats": ["text/xml", "application/json"]}],
        })


@extend_schema(exclude=True)
class ServicesView(Open311View):
    xml_root = "services"
    throttle_classes = []  # see _cached

    def get(self, request, format=None):
        return _cached(self, "services", selectors.services_list, root=self.xml_root, fmt=format)


def _category(code: str):
    category = selectors.category_for_service_code(code)
    if category is None:
        raise exceptions.NotFound(_("未知的 service_code：%(code)s。") % {"code": code[:20]})
    return category


@extend_schema(exclude=True)
class ServiceDefinitionView(Open311View):
    xml_root = "service_definition"

    def get(self, request, service_code, format=None):
        return Response(selectors.service_definition(_category(service_code)))


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def _moment(params, name: str):
    text = params.get(name, "").strip()
    if not text:
        return None
    try:
        moment = parse_datetime(text) if "T" in text or " " in text else None
    except ValueError:  # well formed, but no such day or hour
        moment = None
    if moment is None and len(text) == 10 and (day := _date(text)) is not None:
        return timezone.make_aware(dt.datetime.combine(day, dt.time()))  # a day: from its start, local time
    if moment is None or moment.tzinfo is None:
        raise exceptions.ValidationError({name: [_("应为 W3C 格式的时间（含时区），如 2018-09-30T08:00:00+08:00。")]})
    return moment


def _date(text: str):
    try:
        return parse_date(text)
    except ValueError:
        return None


def _request_query(params) -> selectors.RequestQuery:
    """``GET requests``' arguments, checked; an argument sent empty counts as not sent."""
    ids = _split(params.get("service_request_id", ""))
    if len(ids) > MAX_IDS or any(len(number) > 32 for number in ids):
        raise exceptions.ValidationError({"service_request_id": [_("最多 %(count)d 个编号。") % {"count": MAX_IDS}]})
    if ids:  # the specification: a list of ids overrides every other argument
        return selectors.RequestQuery(ids=tuple(ids))
    categories = tuple(_category(code) for code in _split(params.get("service_code", ""))[:MAX_IDS])
    statuses = tuple(_split(params.get("status", "")))
    if set(statuses) - {"open", "closed"}:
        raise exceptions.ValidationError({"status": [_("status 只能是 open、closed 或二者（逗号分隔）。")]})
    start, end = _moment(params, "start_date"), _moment(params, "end_date")
    if start and end:
        if end < start:
            raise exceptions.ValidationError({"end_date": [_("end_date 不能早于 start_date。")]})
        if end - start > selectors.WINDOW:
            raise exceptions.ValidationError({"end_date": [_("start_date 与 end_date 最多相隔 90 天。")]})
    return selectors.RequestQuery(categories=categories, start=start, end=end, statuses=statuses)


def _query_key(query: selectors.RequestQuery) -> str:
    parts = [",".join(sorted(query.ids)), ",".join(sorted(str(c.pk) for c in query.categories)),
             query.start.isoformat() if query.start else "", query.end.isoformat() if query.end else "",
             ",".join(sorted(set(query.statuses)))]
    return "requests:" + hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]


@extend_schema(exclude=True)
class RequestsView(Open311View):
    """``GET requests`` (public) and ``POST requests`` (with an ``api_key``)."""

    xml_root = "service_requests"

    def initialize_request(self, request, *args, **kwargs):
        self.posting = request.method == "POST"
        return super().initialize_request(request, *args, **kwargs)

    def get_authenticators(self):
        return [ApiKeyAuthentication()] if self.posting else []

    def get_permissions(self):
        return [HasApiKey()] if self.posting else []

    def get_throttles(self):
        return [ClientIpThrottle(), ClientAppThrottle()] if self.posting else []  # GET: see _cached

    def get(self, request, format=None):
        query = _request_query(request.query_params)
        site = _site(request)
        return _cached(self, _query_key(query),
                       lambda: selectors.requests_find(query, now=timezone.now(), site=site),
                       root=self.xml_root, fmt=format)

    @idempotent
    def post(self, request, format=None):
        code = str(request.data.get("service_code") or "").strip()
        if not code:
            raise exceptions.ValidationError({"service_code": [_("缺少 service_code。")]})
        category = _category(code)
        data = {name: value for name, value in request.data.items() if value != "" and name != "media"}
        media = request.FILES.get("media")
        serializer = RequestCreateSerializer(data={**data, **({"media": media} if media else {})})
        serializer.is_valid(raise_exception=True)
        attributes = attribute_values_clean(service_attributes().get(code.upper(), ()),
                                            attribute_fields(request.data))
        fields = serializer.validated_data
        submission = request_submit(
            client=request.auth, category=category, lon=fields["long"], lat=fields["lat"], media=media,
            description=fields.get("description", ""), address=fields.get("address_string", ""),
            reporter_name=reporter_name(fields), reporter_phone=fields.get("phone", ""),
            reporter_email=fields.get("email", ""), device_id=fields.get("device_id", ""), attributes=attributes,
            account_id=fields.get("account_id", ""), media_url=fields.get("media_url", ""),
        )
        case = submission.case
        notice = _("已收到，请凭编号 %(number)s 查询进度。") % {"number": case.number}
        if case.stage_deadline:
            notice += _("受理时限：%(deadline)s。") % {"deadline": w3c_datetime(case.stage_deadline)}
        return Response([{"service_request_id": case.number, "service_notice": notice, "account_id": None}],
                        status=status.HTTP_201_CREATED)


@extend_schema(exclude=True)
class RequestView(Open311View):
    xml_root = "service_requests"

    def get(self, request, service_request_id, format=None):
        found = selectors.request_find(service_request_id[:32], site=_site(request))
        if found is None:
            raise exceptions.NotFound(_("未找到请求 %(id)s。") % {"id": service_request_id[:32]})
        return Response([found])


@extend_schema(exclude=True)
class TokenView(Open311View):
    xml_root = "service_requests"

    def get(self, request, token, format=None):
        submission = selectors.request_for_token(token[:64])
        if submission is None:
            raise exceptions.NotFound(_("未找到令牌 %(token)s。") % {"token": token[:64]})
        return Response([{"service_request_id": submission.case.number, "token": str(submission.token)}])
