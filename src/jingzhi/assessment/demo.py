"""Demo: the daily rollup recounted from the demo's cases (their history is written in bulk, past the
case services that keep it as cases move); then last month's 月考核 computed and published with the
office's commentary (what units and their dashboards show), and this month so far computed as a
draft (what the office recomputes, comments and publishes, and leaders see marked 未发布). Safe to
re-run: a published month is kept."""
from __future__ import annotations

from django.core.management import call_command
from django.utils import timezone

from jingzhi.org.models import User

from .models import Assessment, Status
from .periods import month_before, period_parse
from .services import assessment_comment, assessment_month_compute, assessment_publish

COMMENTARY = ("本月各区、各部门案件处置总体平稳。按期结案率偏低的单位要查找原因，限期整改；"
              "对群众反映集中的问题要举一反三。")
OFFICE = "郑州市城市精细化管理服务办公室"


def load_demo(*, stdout) -> None:
    call_command("assessment_rollup", stdout=stdout)
    today = timezone.localdate()
    last = month_before(today).code
    office = User.objects.filter(username="office").first()
    if not Assessment.objects.filter(period=last, status=Status.PUBLISHED).exists() and office is not None:
        assessment = assessment_month_compute(period=last)
        assessment_comment(assessment=assessment, commentary=COMMENTARY, issuing_office=OFFICE)
        assessment_publish(assessment=assessment, user=office)
        stdout.write(f"  {last} 月考核：已计算并发布")
    current = period_parse(f"{today.year}-{today.month:02d}").code
    assessment_month_compute(period=current)
    stdout.write(f"  {current} 月考核（截至今天）：已计算，未发布")
