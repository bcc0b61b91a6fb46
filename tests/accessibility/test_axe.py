"""axe-core over every page of the site as the role that uses it (pages.py; the walk: axe.py), at desktop
and phone size: no critical or serious violation, no request leaving 127.0.0.1; and every URL pattern is
either listed as a page or named as no page. The pages of the assessment, the registries and the
inspections are walked over their own apps' fixtures (assessment/, inspections/ here).
docs/accessibility.md says how to add a page and how to read a failure."""
from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from .axe import axe_walk
from .pages import NOT_PAGES, OUTSIDE, PAGES, PAGES_CORE


def url_patterns(patterns=None, prefix="", namespace=""):
    """(route, namespaced name) of every URL pattern of the site outside the admin and the API."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            space = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_patterns(pattern.url_patterns, prefix + str(pattern.pattern), space)
        elif isinstance(pattern, URLPattern) and not (prefix + str(pattern.pattern)).startswith(OUTSIDE):
            yield prefix + str(pattern.pattern), namespace + (pattern.name or "")


def test_every_url_pattern_is_a_listed_page_or_named_as_none():
    listed = {page.name for page in PAGES} | set(NOT_PAGES)
    unlisted = [f"{route} ({name})" for route, name in url_patterns() if name not in listed]
    assert unlisted == [], "add these to tests/accessibility/pages.py (PAGES, or NOT_PAGES with why):\n" + "\n".join(unlisted)
    known = {name for _route, name in url_patterns()}
    assert sorted(listed - known) == []  # no stale entry


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_every_page_passes_axe_as_its_user_at_both_sizes(browser_context, live_server, world):
    found, external = axe_walk(browser_context, live_server.url, PAGES_CORE, world)
    assert external == []
    assert found == [], "axe-core violations:\n" + "\n".join(found)
