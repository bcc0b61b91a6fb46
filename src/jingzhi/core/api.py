"""API plumbing shared by the apps, so that a bad URL is a JSON 404, never a 500 or an HTML page.

- ``Router``: object ids in API URLs are integers; anything else is a 404 at routing, never a
  lookup with a string id (``/api/cases/notifications/abc/read/`` was a 500). Every app's
  ``api_urls`` registers its viewsets on it.
- ``api_bad_request`` / ``api_page_not_found`` / ``api_server_error`` (``handler400/404/500`` in
  the root URLconf): Django's own answers under ``/api/`` are JSON ``{"detail": …}`` like DRF's.

The classes the DRF settings name (pagination, JSON parser) live in ``core.rest``.
"""
from __future__ import annotations

from django.http import JsonResponse
from django.views import defaults
from rest_framework import exceptions
from rest_framework.routers import DefaultRouter

API_PREFIX = "/api/"


class Router(DefaultRouter):
    """A DefaultRouter whose detail routes take an ``<int:…>`` id (unless a viewset names another
    ``lookup_value_converter``); the schema documents the id as an integer.

    No ``.json`` format-suffix routes: no client uses them, the schema never listed them, and
    custom actions without a ``format`` argument answered them with a 500."""

    include_format_suffixes = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, use_regex_path=False, **kwargs)
        # DRF's fallback converter for viewsets that name none ("str" by default).
        self._default_value_pattern = "int"


def _is_api(request) -> bool:
    return request.path.startswith(API_PREFIX)


def _json_error(exception_class: type[exceptions.APIException]) -> JsonResponse:
    return JsonResponse({"detail": str(exception_class.default_detail)}, status=exception_class.status_code)


def api_bad_request(request, exception, *args, **kwargs):
    """handler400 (e.g. too many form fields): JSON under /api/, Django's page elsewhere."""
    if _is_api(request):
        return _json_error(exceptions.ValidationError)
    return defaults.bad_request(request, exception, *args, **kwargs)


def api_page_not_found(request, exception, *args, **kwargs):
    """handler404 (a URL no route matches, such as a non-integer id): JSON under /api/, like DRF's 404s."""
    if _is_api(request):
        return _json_error(exceptions.NotFound)
    return defaults.page_not_found(request, exception, *args, **kwargs)


def api_server_error(request, *args, **kwargs):
    """handler500: JSON under /api/, Django's page elsewhere."""
    if _is_api(request):
        return _json_error(exceptions.APIException)
    return defaults.server_error(request, *args, **kwargs)
