"""Reads of the Open311 interface. ``request_public`` is THE public view of a request: every
public answer (``GET requests``, ``GET requests/{id}``) is built by it, from the disclosure app's
public view of the case, so it shows only what moderation made public and never a person.
"""
from __future__ import annotations

import datetime as dt
import hmac
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet

from jingzhi.cases.models import Case, Category, CategoryKind
from jingzhi.disclosure.selectors import CLOSED_STATES, PublicCase, public_cases

from .attributes import Attribute, service_attributes
from .formats import w3c_datetime
from .models import ClientApp, Submission
from .services import KEY_MARK, PREFIX_LENGTH, key_digest

#: The span ``start_date``–``end_date`` may cover, and the default window: the spec's 90 days.
WINDOW = dt.timedelta(days=90)


# ── client apps ─────────────────────────────────────────────────────────────────────────


def client_app_for_key(key: str) -> ClientApp | None:
    """The active app holding ``key``, else None (a constant-time comparison of the digests)."""
    if not key.startswith(KEY_MARK) or len(key) > 100:
        return None
    prefix = key[len(KEY_MARK):len(KEY_MARK) + PREFIX_LENGTH]
    digest = key_digest(key)
    for app in ClientApp.objects.filter(key_prefix=prefix, revoked_at__isnull=True).select_related("user"):
        if hmac.compare_digest(app.key_hash, digest):
            return app
    return None


def client_app_named(*, name: str) -> ClientApp | None:
    return ClientApp.objects.filter(name=name).first()


# ── services ────────────────────────────────────────────────────────────────────────────


def service_code(category: Category) -> str:
    """A small class's service_code: its code with the kind letter, as in the 案卷号 (E0501, C0101)."""
    return category.number_prefix


def _categories() -> QuerySet[Category]:
    return Category.objects.select_related("category_class").order_by("category_class__kind", "code")


def category_for_service_code(code: str) -> Category | None:
    kind = {"C": CategoryKind.COMPONENT, "E": CategoryKind.EVENT}.get(code[:1].upper())
    if kind is None or not code[1:].isdigit() or len(code) > 10:
        return None
    return _categories().filter(category_class__kind=kind, code=code[1:]).first()


def services_list() -> list[dict]:
    """``GET services``: every small class of the catalogue."""
    attributes = service_attributes()
    return [{
        "service_code": service_code(category),
        "service_name": category.label,
        "description": category.filing_criteria or category.label,
        "metadata": service_code(category) in attributes,
        "type": "realtime",
        "keywords": category.category_class.label,
        "group": category.category_class.label,
    } for category in _categories()]


def _attribute_public(attribute: Attribute) -> dict:
    return {
        "variable": True,
        "code": attribute.code,
        "datatype": attribute.datatype,
        "required": attribute.required,
        "datatype_description": attribute.datatype_description or None,
        "order": attribute.order,
        "description": attribute.description,
        "values": [{"key": value.key, "name": value.name} for value in attribute.values],
    }


def service_definition(category: Category) -> dict:
    """``GET services/{service_code}``: the small class's extra fields (none for most)."""
    code = service_code(category)
    return {"service_code": code,
            "attributes": [_attribute_public(attribute) for attribute in service_attributes().get(code, ())]}


# ── requests ────────────────────────────────────────────────────────────────────────────


def request_public(public: PublicCase, *, site: str) -> dict:
    """THE Open311 view of one request, made from ``disclosure.selectors``' public view of its case
    (the one home of what is public): the description only once moderation made it public, a photo
    only once disclosed (``media_url``, served by the public photo view on ``site``), the point
    rounded, no person at all (reporter, contact, device, app account, staff).

    ``status_notes`` is the public stage (or the reason a report was refused); ``address`` the
    district and sub-district (a citizen's own words for the place may name their home);
    ``updated_datetime`` the close time once closed, as the specification says, and
    ``expected_datetime`` the current stage's deadline while a clock runs.
    """
    closed = public.status == "closed"
    photos = public.photos_before or public.photos_after
    return {
        "service_request_id": public.number,
        "status": public.status,
        "status_notes": public.rejected_reason or public.stage,
        "service_name": public.category,
        "service_code": public.category_code,
        "description": public.description or None,
        "agency_responsible": public.department or None,
        "service_notice": None,
        "requested_datetime": w3c_datetime(public.created_at),
        "updated_datetime": w3c_datetime(public.closed_at if closed and public.closed_at else public.updated_at),
        "expected_datetime": w3c_datetime(public.expected_at),
        "address": " ".join(part for part in (public.district, public.subdistrict) if part) or None,
        "address_id": None,
        "zipcode": None,
        "lat": public.lat,
        "long": public.lon,
        "media_url": site + photos[0].url if photos else None,
    }


def requests_public(cases: Iterable[Case], *, site: str) -> list[dict]:
    """Many requests' public views, in a fixed number of queries (``disclosure.selectors.public_cases``)."""
    return [request_public(public, site=site) for public in public_cases(list(cases))]


def _public_cases() -> QuerySet[Case]:
    """Cases with what ``public_cases`` reads, in one query."""
    return Case.objects.select_related("category__category_class", "district", "subdistrict", "department")


@dataclass(frozen=True)
class RequestQuery:
    """``GET requests``' filters, checked (``views`` parses them)."""

    ids: tuple[str, ...] = ()
    categories: tuple[Category, ...] = ()
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    statuses: tuple[str, ...] = ()


def request_window(*, start: dt.datetime | None, end: dt.datetime | None,
                   now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """The requested-datetime window: the last 90 days by default; a start alone gets the 90 days
    after it, an end alone the 90 days before it."""
    if start is None and end is None:
        return now - WINDOW, now
    if start is None:
        return end - WINDOW, end
    if end is None:
        return start, start + WINDOW
    return start, end


def requests_matching(query: RequestQuery, *, now: dt.datetime) -> QuerySet[Case]:
    """The cases ``GET requests`` answers: by ids (which override every other filter), else by the
    window, service codes and statuses; the newest first, at most ``OPEN311_MAX_REQUESTS``."""
    cases = _public_cases()
    if query.ids:
        cases = cases.filter(number__in=query.ids)
    else:
        start, end = request_window(start=query.start, end=query.end, now=now)
        cases = cases.filter(created_at__gte=start, created_at__lte=end)
        if query.categories:
            cases = cases.filter(category__in=query.categories)
        if set(query.statuses) == {"open"}:
            cases = cases.exclude(state__in=CLOSED_STATES)
        elif set(query.statuses) == {"closed"}:
            cases = cases.filter(state__in=CLOSED_STATES)
    return cases.order_by("-created_at", "-id")[:settings.OPEN311_MAX_REQUESTS]


def requests_find(query: RequestQuery, *, now: dt.datetime, site: str) -> list[dict]:
    """``GET requests``' answer (``requests_matching``, each as ``request_public``)."""
    return requests_public(requests_matching(query, now=now), site=site)


def request_find(number: str, *, site: str) -> dict | None:
    """``GET requests/{id}``: one request by its id (the 案卷号), else None."""
    found = requests_public(_public_cases().filter(number=number), site=site)
    return found[0] if found else None


def request_for_token(token: str) -> Submission | None:
    try:
        token = uuid.UUID(token)
    except ValueError:
        return None
    return Submission.objects.filter(token=token).select_related("case").first()
