"""`manage.py assess_month 2026-03`: compute (or recompute, while unpublished) a 月考核; `2026-Q1` a 季点评."""
from django.core.management.base import BaseCommand, CommandError

from jingzhi.assessment.errors import AssessmentFrozen, PeriodInvalid
from jingzhi.assessment.services import assessment_month_compute


class Command(BaseCommand):
    help = "计算月考核（YYYY-MM）或季点评（YYYY-Qn）；已发布的考核不能重算。"

    def add_arguments(self, parser):
        parser.add_argument("period", help="2026-03 or 2026-Q1")

    def handle(self, *args, period, **options):
        try:
            assessment = assessment_month_compute(period=period)
        except (AssessmentFrozen, PeriodInvalid) as error:
            raise CommandError(str(error)) from error
        ranked = assessment.results.filter(rank__isnull=False).count()
        self.stdout.write(f"{assessment.period}: {assessment.results.count()} results, {ranked} ranked "
                          f"(scheme {assessment.scheme_version})")
