"""日督查: each morning, a daily supervision sheet per district — yesterday's reports, the cases that
became overdue yesterday and the open cases past twice their stage limit — sent as an in-app
notification (and the configured channels) to the district's staff and to the leaders."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from jingzhi.cases.models import Case
from jingzhi.cases.notifications import notifications_send
from jingzhi.cases.workflow import OPEN_STATES
from jingzhi.org.models import Role, Unit, UnitKind, User
from jingzhi.org.selectors import unit_subtree_ids

from .counting import period_bounds

#: The notification kind of a daily sheet (not a case action: the sheet is about a district).
DAILY_SHEET = "daily_sheet"


@dataclass(frozen=True)
class DailySheet:
    district: Unit
    day: dt.date  # the day reported on (yesterday)
    reports: int
    new_overdue: list[Case]
    twice_overdue: list[Case]

    @property
    def message(self) -> str:
        return _("日督查 %(day)s %(district)s：昨日上报 %(reports)s 件，新增超期 %(overdue)s 件，"
                 "超过时限两倍仍未办结 %(twice)s 件。") % {
            "day": self.day.isoformat(), "district": self.district.name, "reports": self.reports,
            "overdue": len(self.new_overdue), "twice": len(self.twice_overdue)}


def daily_sheet(*, district: Unit, day: dt.date, now: dt.datetime) -> DailySheet:
    """The sheet of one district for ``day``: reports made that day, open cases whose stage
    deadline fell in it, and open cases whose stage has run more than twice its limit by ``now``."""
    since, until = period_bounds(day, day + dt.timedelta(days=1))
    cases = Case.objects.filter(Q(district=district) | Q(department=district))
    reports = Case.objects.filter(district=district, created_at__gte=since, created_at__lt=until).count()
    open_late = (cases.filter(state__in=OPEN_STATES, stage_deadline__lt=now).select_related("category")
                 .order_by("stage_deadline", "id"))
    new_overdue = list(open_late.filter(stage_deadline__gte=since, stage_deadline__lt=until))
    twice = [case for case in open_late.exclude(stage_started_at=None)
             if now - case.stage_started_at > 2 * (case.stage_deadline - case.stage_started_at)]
    return DailySheet(district=district, day=day, reports=reports, new_overdue=new_overdue, twice_overdue=twice)


def daily_sheets_send(*, now: dt.datetime | None = None) -> list[DailySheet]:
    """Send yesterday's sheet of every district to its staff (users of the district and the units
    below it) and to the leaders; returns the sheets."""
    now = now or timezone.now()
    day = timezone.localtime(now).date() - dt.timedelta(days=1)
    leaders = list(User.objects.filter(role_grants__role=Role.LEADER, is_active=True))
    sheets = []
    for district in Unit.objects.filter(kind=UnitKind.DISTRICT).order_by("code", "name"):
        sheet = daily_sheet(district=district, day=day, now=now)
        staff = User.objects.filter(unit_id__in=unit_subtree_ids(unit=district), is_active=True)
        notifications_send(recipients=[*staff, *leaders], case=None, kind=DAILY_SHEET, message=sheet.message, now=now)
        sheets.append(sheet)
    return sheets
