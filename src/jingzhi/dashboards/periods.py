"""Calendar periods of the dashboards in local (Beijing) time, without the database.

A period is a closed range of local dates; its ``bounds`` are the aware instants [start, end) that
a query compares ``created_at`` with, so the index on the column is used (a ``__date`` lookup
converts every row instead). The case search's date filters mean the same days.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

WEEKS_SHOWN = 12


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date  # inclusive

    @property
    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        return local_midnight(self.start), local_midnight(self.end + dt.timedelta(days=1))

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


def local_midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def day_of(today: dt.date) -> Period:
    return Period(today, today)


def month_to_date(today: dt.date) -> Period:
    return Period(today.replace(day=1), today)


def weeks_to_date(today: dt.date, count: int = WEEKS_SHOWN) -> list[Period]:
    """The last ``count`` weeks (Monday to Sunday), the current one cut at ``today``, oldest first."""
    monday = today - dt.timedelta(days=today.weekday())
    weeks = [Period(monday - dt.timedelta(weeks=n), monday - dt.timedelta(weeks=n) + dt.timedelta(days=6))
             for n in range(count - 1, -1, -1)]
    weeks[-1] = Period(monday, today)
    return weeks
