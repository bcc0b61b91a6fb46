"""The navigation shell.

Each app lists its own entries: its AppConfig has a ``navigation()`` method returning
``NavEntry`` rows (position, URL name, label, the roles that see it or ``ANY``). The shell
collects them through Django's app registry, so core imports no app above it, and an app
states which of its pages a role sees next to the pages themselves. Entries whose URL is not
installed are skipped.
"""
from typing import NamedTuple

from django.apps import apps
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from jingzhi.org.selectors import user_roles

ANY = None  # anyone signed in (citizens see only the home page: they report through the API)


class NavEntry(NamedTuple):
    position: int
    url_name: str
    label: str
    roles: frozenset | None


def nav_entries() -> list[NavEntry]:
    """Every installed app's entries, in the order of their positions."""
    entries = [NavEntry(0, "home", _("首页"), ANY)]
    for config in apps.get_app_configs():
        entries += getattr(config, "navigation", list)()
    return sorted(entries, key=lambda entry: entry.position)


def navigation(request):
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {"nav_entries": []}
    roles = user_roles(user=user)
    entries = []
    for _position, url_name, label, allowed in nav_entries():
        if allowed is not ANY and not (roles & allowed):
            continue
        try:
            entries.append({"url": reverse(url_name), "label": label, "active": False})
        except NoReverseMatch:
            continue
    # The entry with the longest URL prefix of the current path is the active one,
    # so /plans/lagging/ lights 滞后任务 and not also 工作方案.
    matching = [e for e in entries
                if request.path == e["url"] or (e["url"] != "/" and request.path.startswith(e["url"]))]
    if matching:
        max(matching, key=lambda e: len(e["url"]))["active"] = True
    if user.is_superuser:
        entries.append({"url": reverse("admin:index"), "label": _("系统管理"), "active": False})
    return {"nav_entries": entries}
