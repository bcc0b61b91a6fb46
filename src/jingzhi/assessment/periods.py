"""Assessment periods: a month ``2026-03`` or a quarter ``2026-Q1``, as local-time bounds. Pure."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .errors import PeriodInvalid

_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")


@dataclass(frozen=True)
class Period:
    code: str
    kind: str  # month | quarter
    start: dt.date
    end: dt.date  # exclusive

    def months(self) -> list[Period]:
        """The months of a quarter (a month: itself)."""
        if self.kind == "month":
            return [self]
        return [period_parse(f"{self.start.year}-{self.start.month + i:02d}") for i in range(3)]

    def previous(self) -> Period:
        if self.kind == "month":
            day = self.start - dt.timedelta(days=1)
            return period_parse(f"{day.year}-{day.month:02d}")
        quarter = (self.start.month - 1) // 3 + 1
        year, quarter = (self.start.year - 1, 4) if quarter == 1 else (self.start.year, quarter - 1)
        return period_parse(f"{year}-Q{quarter}")


def _month_after(year: int, month: int) -> dt.date:
    return dt.date(year + month // 12, month % 12 + 1, 1)


def period_parse(code: str) -> Period:
    """``PeriodInvalid`` unless ``code`` is ``YYYY-MM`` or ``YYYY-Qn`` (years 2000–2100)."""
    code = (code or "").strip()
    if match := _MONTH.match(code):
        year, month = int(match[1]), int(match[2])
        if 2000 <= year <= 2100:
            return Period(code, "month", dt.date(year, month, 1), _month_after(year, month))
    elif match := _QUARTER.match(code):
        year, quarter = int(match[1]), int(match[2])
        if 2000 <= year <= 2100:
            first = 3 * quarter - 2
            return Period(code, "quarter", dt.date(year, first, 1), _month_after(year, first + 2))
    raise PeriodInvalid(_("考核期格式应为 YYYY-MM 或 YYYY-Qn，例如 2026-03 或 2026-Q1。"))


def month_before(today: dt.date) -> Period:
    """The month before ``today``'s (what the monthly job assesses)."""
    day = today.replace(day=1) - dt.timedelta(days=1)
    return period_parse(f"{day.year}-{day.month:02d}")
