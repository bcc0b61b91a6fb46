"""HTTP for the geography layers (the GeoJSON maps fetch): a version tag, revalidation and compression.

The geography changes rarely (a boundary load, a grid generation), and every write moves the one-row
`GeographyVersion` token (`services.geography_changed`). That token is the layers' version tag:

* `layer_url` adds ``?v=<token>`` to a layer's URL. Map pages are never cached (they are rendered with
  the current token), so a changed geography gives the maps new layer URLs.
* `geography_layer` answers a layer with an ``ETag`` (the token, the query without ``v`` and the format)
  and ``Last-Modified`` (when the token moved). A browser revalidating with ``If-None-Match`` or
  ``If-Modified-Since`` gets a 304 before any layer is read. Asked for under the current ``v``, the
  answer may be kept for a year (``immutable``); without it, or under an old one, it is kept but
  revalidated each time (``no-cache``).
* The answer is gzipped when the client accepts it (Django's ``gzip_page`` on these views only). A
  layer holds public geography, no secret and no echo of the request, so BREACH has nothing to find;
  HTML pages stay uncompressed (docs/production.md, "Compression and BREACH").
"""
from __future__ import annotations

import hashlib
from functools import wraps
from urllib.parse import urlencode

from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.views.decorators.gzip import gzip_page

from .selectors import geography_version

#: Seconds a browser keeps a layer asked for under the current version tag: a year (the URL changes
#: with the geography, so the answer under one tag never does).
VERSIONED_MAX_AGE = 365 * 24 * 3600


def layer_url(url: str) -> str:
    """``url`` (a layer's path, perhaps with a query) under the geography's current version tag."""
    token, _changed_at = geography_version()
    return f"{url}{'&' if '?' in url else '?'}{urlencode({'v': token})}"


def _etag(request, token: str) -> str:
    query = sorted((key, value) for key, values in request.GET.lists() if key != "v" for value in values)
    renderer = getattr(getattr(request, "accepted_renderer", None), "format", "json")  # DRF: json or api
    digest = hashlib.sha256(repr((query, renderer)).encode()).hexdigest()[:16]
    return f'"{token}-{digest}"'


def geography_layer(*, public: bool):
    """Decorate a GeoJSON layer view (inside DRF's ``api_view``, so refusals come first): version tag,
    validators, 304 and gzip as described above. ``public``: shared caches may keep it too (a page
    without sign-in); else only the signed-in browser (``private``)."""
    scope = "public" if public else "private"

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            token, changed_at = geography_version()
            etag = _etag(request, token)
            last_modified = int(changed_at.timestamp()) if changed_at else None
            current = request.GET.get("v") == token
            cache_control = f"{scope}, max-age={VERSIONED_MAX_AGE}, immutable" if current else f"{scope}, no-cache"
            response = get_conditional_response(request, etag=etag, last_modified=last_modified)
            if response is None:
                response = view(request, *args, **kwargs)
                if response.status_code != 200:
                    return response
            response["ETag"] = etag
            if last_modified:
                response["Last-Modified"] = http_date(last_modified)
            response["Cache-Control"] = cache_control
            return response

        return gzip_page(wrapped)

    return decorator
