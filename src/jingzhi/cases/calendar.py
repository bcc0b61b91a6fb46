"""The working calendar: deadlines in natural or working time.

Chinese time limits are counted in 工作时/工作日 that skip nights, weekends and public
holidays, while adjusted weekends (调休) are working days. Signalen's deadline service
ignores holidays; we cannot. Sources, in order of precedence:

1. ``CalendarDay`` rows (edited in the admin; ``selectors.working_calendar`` reads them, so
   this module stays free of the database),
2. ``days`` in data/cases/calendar.yaml (for years the package does not know yet),
3. the ``chinesecalendar`` package (State Council notices, 2004–2026 in 1.11.0),
4. Monday–Friday for any other year.

A working day counts as the length of the office periods (7.5 h with the shipped hours),
so "1 working day" from Friday 10:00 ends on the next working day at 10:00.
"""
from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import chinese_calendar
import yaml
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)
CALENDAR_FILE = "calendar.yaml"
#: A calendar without any working day in ten years is a data error, not an endless loop.
MAX_SEARCH_DAYS = 3660


class TimeUnit(models.TextChoices):
    NATURAL_MINUTES = "natural_minutes", _("自然分钟")
    NATURAL_HOURS = "natural_hours", _("自然小时")
    WORKING_HOURS = "working_hours", _("工作时")
    WORKING_DAYS = "working_days", _("工作日")


@dataclass(frozen=True)
class WorkingCalendar:
    periods: tuple[tuple[dt.time, dt.time], ...]
    overrides: Mapping[dt.date, bool] = field(default_factory=dict)

    @property
    def day_length(self) -> dt.timedelta:
        return sum((_combine(dt.date(2000, 1, 1), end) - _combine(dt.date(2000, 1, 1), start)
                    for start, end in self.periods), dt.timedelta())

    def is_workday(self, day: dt.date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        try:
            return chinese_calendar.is_workday(day)
        except NotImplementedError:
            _warn_year_unknown(day.year)
            return day.weekday() < 5

    def add_working_time(self, start: dt.datetime, duration: dt.timedelta) -> dt.datetime:
        """The moment ``duration`` of office time after ``start`` (an aware datetime)."""
        remaining = duration
        cursor = timezone.localtime(start)
        day = cursor.date()
        if remaining <= dt.timedelta():
            return cursor
        for _offset in range(MAX_SEARCH_DAYS):
            if self.is_workday(day):
                for period_start, period_end in self.periods:
                    begin = max(cursor, _combine(day, period_start))
                    end = _combine(day, period_end)
                    if begin >= end:
                        continue
                    if remaining <= end - begin:
                        return begin + remaining
                    remaining -= end - begin
            day += dt.timedelta(days=1)
            cursor = _combine(day, dt.time.min)
        raise ValueError("工作日历在十年内没有工作日，请检查日历数据")

    def deadline(self, start: dt.datetime, *, value: float, unit: str) -> dt.datetime:
        """``start`` plus a time limit of ``value`` ``unit`` (a TimeUnit)."""
        if unit == TimeUnit.NATURAL_MINUTES:
            return start + dt.timedelta(minutes=value)
        if unit == TimeUnit.NATURAL_HOURS:
            return start + dt.timedelta(hours=value)
        if unit == TimeUnit.WORKING_HOURS:
            return self.add_working_time(start, dt.timedelta(hours=value))
        if unit == TimeUnit.WORKING_DAYS:
            return self.add_working_time(start, self.day_length * value)
        raise ValueError(f"unknown time unit {unit!r}")


def _combine(day: dt.date, moment: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, moment))


@functools.cache
def _warn_year_unknown(year: int) -> None:
    logger.warning("No holiday data for %s: counting Monday–Friday; add it to data/cases/%s",
                   year, CALENDAR_FILE)


def calendar_file_read(path: Path) -> tuple[tuple[tuple[dt.time, dt.time], ...], dict[dt.date, bool]]:
    """Working periods and day overrides from the calendar data file, validated."""
    document = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    periods = tuple(
        (dt.time.fromisoformat(start), dt.time.fromisoformat(end)) for start, end in document["working_hours"]
    )
    for (start, end), following in zip(periods, periods[1:] + ((dt.time.max, dt.time.max),)):
        if not start < end <= following[0]:
            raise ValueError(f"{path}: working hours must be ordered, non-overlapping periods")
    days = {}
    for entry in document.get("days") or []:
        day = entry["date"] if isinstance(entry["date"], dt.date) else dt.date.fromisoformat(entry["date"])
        days[day] = bool(entry["workday"])
    return periods, days


@functools.cache
def _file_calendar() -> tuple[tuple[tuple[dt.time, dt.time], ...], dict[dt.date, bool]]:
    return calendar_file_read(settings.DATA_DIR / "cases" / CALENDAR_FILE)


def calendar_with_days(days: Iterable[tuple[dt.date, bool]]) -> WorkingCalendar:
    """The shipped calendar file with ``days`` (date, is a working day) on top: the admin's
    ``CalendarDay`` rows, read by ``selectors.working_calendar`` (this module reads no table)."""
    periods, file_days = _file_calendar()
    return WorkingCalendar(periods=periods, overrides={**file_days, **dict(days)})
