"""GeoReport v2's two formats: XML (required) and JSON (the "Spark convention" mapping of the XML).

JSON drops the XML root element and turns each repeated element into an array; XML wraps each
list in its plural element with one singular element per item (``service_requests`` → ``request``).
Empty values are ``null`` in JSON and empty elements in XML; booleans are ``true``/``false``; every
datetime is W3C (ISO 8601) with its offset, in the city's time zone. Both are UTF-8.
"""
from __future__ import annotations

import datetime as dt
import json
import zoneinfo
from xml.sax.saxutils import escape

from django.conf import settings
from rest_framework.renderers import BaseRenderer

#: Each list's element and the element of one of its items.
ITEM_OF = {
    "service_requests": "request", "services": "service", "endpoints": "endpoint", "formats": "format",
    "attributes": "attribute", "values": "value", "errors": "error",
}
#: The specification's element order of a request and of a POST answer. A replayed answer
#: (``core.idempotency``) comes back from PostgreSQL's jsonb with its keys re-sorted; ordering by the
#: spec keeps a replay byte for byte the first answer, in JSON and in XML.
REQUEST_FIELD_ORDER = {name: rank for rank, name in enumerate((
    "service_request_id", "token", "status", "status_notes", "service_name", "service_code", "description",
    "agency_responsible", "service_notice", "account_id", "requested_datetime", "updated_datetime",
    "expected_datetime", "address", "address_id", "zipcode", "lat", "long", "media_url",
))}
JSON_TYPE = "application/json; charset=utf-8"
XML_TYPE = "text/xml; charset=utf-8"


def w3c_datetime(moment: dt.datetime | None) -> str | None:
    """``2018-09-30T08:00:00+08:00``: W3C with the offset (the spec requires one), whole seconds."""
    if moment is None:
        return None
    return moment.astimezone(zoneinfo.ZoneInfo(settings.TIME_ZONE)).isoformat(timespec="seconds")


def _xml_value(value) -> str:
    if value is None:
        return ""
    if value is True or value is False:
        return "true" if value else "false"
    return escape(str(value))


def _xml_element(name: str, value, out: list[str]) -> None:
    if isinstance(value, dict):
        out.append(f"<{name}>")
        for key, child in value.items():
            _xml_element(key, child, out)
        out.append(f"</{name}>")
    elif isinstance(value, (list, tuple)):
        item = ITEM_OF[name]
        out.append(f"<{name}>")
        for child in value:
            _xml_element(item, child, out)
        out.append(f"</{name}>")
    else:
        text = _xml_value(value)
        out.append(f"<{name}>{text}</{name}>" if text else f"<{name}/>")


def xml_document(root: str, data) -> bytes:
    """The XML of ``data`` under ``root``: a list becomes ``root``'s items, a dict its children."""
    out = ['<?xml version="1.0" encoding="utf-8"?>']
    _xml_element(root, data, out)
    return "".join(out).encode()


def json_document(data) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


def _in_spec_order(item):
    if not isinstance(item, dict) or "service_request_id" not in item:
        return item
    return dict(sorted(item.items(), key=lambda pair: REQUEST_FIELD_ORDER.get(pair[0], len(REQUEST_FIELD_ORDER))))


def document(data, *, root: str, fmt: str) -> bytes:
    """``data`` in ``fmt`` ("json" or "xml"); ``root`` names the XML root. Requests' fields follow the
    spec's order (``REQUEST_FIELD_ORDER``)."""
    if root == "service_requests" and isinstance(data, list):
        data = [_in_spec_order(item) for item in data]
    return json_document(data) if fmt == "json" else xml_document(root, data)


class _Open311Renderer(BaseRenderer):
    """Renders what an Open311 view answers; an error answer's root is ``errors``, else the view's
    ``xml_root``."""

    charset = "utf-8"
    fmt = ""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        context = renderer_context or {}
        response = context.get("response")
        root = "errors" if response is not None and response.status_code >= 400 else context["view"].xml_root
        return document(data, root=root, fmt=self.fmt)


class JSONRenderer(_Open311Renderer):
    media_type = "application/json"
    format = fmt = "json"


class XMLRenderer(_Open311Renderer):
    media_type = "text/xml"
    format = fmt = "xml"
