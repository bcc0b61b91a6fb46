"""The home page's panels: each app contributes the numbers and to-dos it knows.

Like the menu (``navigation``), the shell collects them through Django's app registry: an app's
AppConfig may have a ``home_panels(request)`` method returning ``HomePanel`` rows (position, the
template to include, its context). So core imports no app, and an app that imports core can still
put its panel on the home page. A panel may name the static stylesheet it needs; the page links
each one once.
"""
from __future__ import annotations

from typing import NamedTuple

from django.apps import apps


class HomePanel(NamedTuple):
    position: int
    template: str
    context: dict
    stylesheet: str = ""


def panel_stylesheets(panels: list[HomePanel]) -> list[str]:
    return list(dict.fromkeys(panel.stylesheet for panel in panels if panel.stylesheet))


def home_panels(request) -> list[HomePanel]:
    """Every installed app's panels for this request's user, in the order of their positions."""
    panels: list[HomePanel] = []
    for config in apps.get_app_configs():
        contribute = getattr(config, "home_panels", None)
        if contribute is not None:
            panels += contribute(request)
    return sorted(panels, key=lambda panel: panel.position)
