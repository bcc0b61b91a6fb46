"""`manage.py assessment_rollup [--start 2026-01-01] [--end 2026-04-01]`: recount the daily rollup
(日汇总) from the case events, after a back-fill that bypassed the case services."""
import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Max, Min
from django.utils import timezone

from jingzhi.assessment.rollup import rollup_rebuild
from jingzhi.cases.models import CaseEvent


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"不是日期（YYYY-MM-DD）：{text}") from error


class Command(BaseCommand):
    help = "按案件日志重算考核日汇总（默认全部日期）；补录数据后运行。"

    def add_arguments(self, parser):
        parser.add_argument("--start", type=_date, help="first day (default: the first event's)")
        parser.add_argument("--end", type=_date, help="day after the last (default: after the last event's)")

    def handle(self, *args, start=None, end=None, **options):
        span = CaseEvent.objects.aggregate(first=Min("created_at"), last=Max("created_at"))
        if span["first"] is None and (start is None or end is None):
            self.stdout.write("no case events")
            return
        start = start or timezone.localdate(span["first"])
        end = end or timezone.localdate(span["last"]) + dt.timedelta(days=1)
        if end <= start:
            raise CommandError("--end must be after --start")
        rows = rollup_rebuild(start=start, end=end)
        self.stdout.write(f"rollup {start}–{end}: {rows} rows")
