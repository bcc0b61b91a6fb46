"""Long lists on pages come a page at a time (the page weight stays bounded however long the queue).

`list_page` cuts one page of a list; the links to the other pages (``core/_pager.html``) keep every
other query parameter of the request: the filters, and the page of another list on the same page
(the overview pages several lists, each under its own parameter).
"""
from __future__ import annotations

from django.core.paginator import Page, Paginator

#: Rows of a list page: a work list stays under a few hundred elements a page.
PAGE_SIZE = 50


def list_page(request, items, *, param: str = "page", size: int | None = None, anchor: str = "") -> Page:
    """The page of ``items`` the request asks for in ``param`` (the first for a missing or bad number,
    the last beyond it); ``size`` rows, else ``PAGE_SIZE``. ``anchor``: the id of the list's section,
    where its page links lead."""
    page = Paginator(items, size or PAGE_SIZE).get_page(request.GET.get(param))
    others = request.GET.copy()
    others.pop(param, None)
    page.param = param
    page.other_params = f"{others.urlencode()}&" if others else ""
    page.anchor = anchor
    return page
