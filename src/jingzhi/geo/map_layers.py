"""Point layers other apps put on the staff map (the registries' toilets, bins, street lights …).

``geo`` imports no app above it: an app that owns points registers a provider here from its
``AppConfig.ready()`` (the registries: ``assets.map_layers``). ``views.map_options`` asks every
provider for the layers the request's user may see, and ``static/geo/point_layers.js`` draws each as
a clustered overlay that is fetched only when switched on.

A provider returns a list of ``{"key", "label", "url", "popupUrl", "count"}``: ``url`` answers the
compact points (``{"count", "ids", "lons", "lats"}`` in WGS84) and should carry a version tag so the
browser may cache it; ``popupUrl`` has ``{id}`` for the point's id and answers
``{"title", "rows", "links"}``.
"""
from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest

_PROVIDERS: dict[str, Callable[[HttpRequest], list[dict]]] = {}


def point_layers_register(name: str, provider: Callable[[HttpRequest], list[dict]]) -> None:
    """Called once by the owning app (from its ``AppConfig.ready``); ``name`` keeps a re-run idempotent."""
    _PROVIDERS[name] = provider


def point_layers(request: HttpRequest) -> list[dict]:
    """Every registered layer the request's user may see, in registration order."""
    return [layer for provider in _PROVIDERS.values() for layer in provider(request)]
