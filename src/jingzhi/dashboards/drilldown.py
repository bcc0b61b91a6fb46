"""Where each dashboard number leads: the case search filtered to exactly the cases it counts.

The one home of the pairing "figure → filters": a selector counts with the same conditions as the
``cases.selectors.cases_filter`` arguments built here (tested: each link's list has the figure's count).
"""
from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse

from jingzhi.cases.selectors import Handling

from .periods import Period


def cases_url(**filters) -> str:
    """The case search with these filters (left out when empty or false)."""
    query = {name: ("on" if value is True else value) for name, value in filters.items()
             if value not in (None, "", False)}
    return f"{reverse('cases:search')}?{urlencode(query)}"


def reported_url(period: Period, **scope) -> str:
    return cases_url(date_from=period.start.isoformat(), date_to=period.end.isoformat(), **scope)


def open_url(**scope) -> str:
    return cases_url(open=True, **scope)


def overdue_url(**scope) -> str:
    return cases_url(overdue=True, **scope)


def handled_url(period: Period, handling: Handling | str = "", **scope) -> str:
    return cases_url(handled_from=period.start.isoformat(), handled_to=period.end.isoformat(), handling=handling,
                     **scope)


def late_url(period: Period, **scope) -> str:
    return handled_url(period, Handling.LATE, **scope)


def in_time_url(period: Period, **scope) -> str:
    return handled_url(period, Handling.IN_TIME, **scope)
