"""Demo: the 2018 seed plan with a few units' progress, reviewed as of 2018-09-30.

The seed plan is from 2018, so the demo fixes the plan's review date (评估日期) at
the end of the third quarter: the figures below then show a realistic mix of done,
on-track, lagging and not-started work. Pages accept ``?as_of=YYYY-MM-DD`` to look
at another date. Everything goes through the services, as a user would, and a
re-run adds nothing.
"""
from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from jingzhi.org.models import User

from .models import ChecklistItem, Indicator, Plan, SupervisionNotice, Task
from .notice_workflow import NoticeStatus
from .services import checklist_item_mark, notice_issue, notice_reply, plan_load, progress_report_create

REVIEW_DATE = date(2018, 9, 30)

#: (username, indicator code, [(measured_on, value, comment)]) of the typed indicators; the live ones
#: (toilets, bins, manholes, parking, street lights, rivers, old compounds …) count the demo registries
#: (``assets.demo``), inspections (以克论净, road facilities: ``inspections.demo``) and cases instead.
REPORTS = [
    ("cgj", "back-streets-upgraded", [("2018-09-25", 230, "")]),
    ("cgj", "overhead-telecom-cables-buried", [("2018-09-20", 82, "")]),
    ("cgj", "garbage-classification-coverage", [("2018-09-25", 22, "")]),
    ("cgj", "construction-waste-reuse-rate", [("2018-09-20", 41, "")]),
    ("cgj", "food-waste-key-unit-collection-coverage", [("2018-09-20", 55, "")]),
    ("jinshui", "district-wet-waste-station-capacity", [("2018-09-15", 60, "金水区湿垃圾处理站一期 60 吨/日已投用")]),
]

#: (username, task number, checklist text, done on, note)
CHECKLIST = [
    ("zhufang", "3", "完成老旧小区摸底排查，建立老旧小区数据库", "2018-03-28", "数据库收录老旧小区 1,200 余个"),
    ("zhufang", "3", "制定老旧小区整治提升方案", "2018-03-30", "方案已经市政府常务会研究通过"),
    ("zhufang", "3", "全面完成老旧小区试点的改造工作", "2018-07-15", "试点 12 个小区完工，较计划晚两周"),
    ("yuanlin", "17", "乔灌木等园林植物及时修剪", "2018-06-30", "春季修剪完成"),
    ("yuanlin", "17", "绿篱无缺株断垄，花坛花带消除黄土裸露", "2018-08-31", "补植绿篱 3.2 万株"),
    ("yuanlin", "17", "园林公厕按照规定时间正常开放", "2018-05-31", ""),
    ("yuanlin", "17", "各类园林设施保护良好，修复及时", "2018-09-15", "建立园林设施巡查台账"),
    ("cgj", "15", "完善公厕管理办法，建立健全长效管理机制", "2018-07-20", "印发公厕管理办法"),
    ("cgj", "13", "推行以政府为主导的环卫作业公司管理模式", "2018-06-30", ""),
    ("cgj", "12", "查处公共区域无证犬、违规遛犬、不清理犬粪", "2018-06-30", "联合执法常态化，上半年查处 1,140 起"),
    ("cgj", "12", "拓宽群众举报渠道，加大违规养犬查处力度", "2018-05-15", "开通 12319 养犬举报专线"),
    ("cgj", "12", "试点政府购买服务的第三方辅助执法模式", "2018-07-31", "金水区、郑东新区试点"),
    ("cgj", "12", "试点开展小区“养犬管理自治”活动", "2018-08-31", ""),
    ("cgj", "12", "成立小区养犬人自治委员会，签订文明养犬公约", "2018-09-20", "试点小区 36 个"),
]

#: (task number, lead unit, issued on, reply due, text, reply: (username, text, replied on) or None)
NOTICES = [
    ("3", "市住房保障局", date(2018, 9, 10), date(2018, 9, 20),
     "老旧小区整治提升完成比例低于应达进度，请说明原因并报送整改措施。",
     ("zhufang", "已召开推进会，各区 10 月底前完成第二批 45 个小区开工，确保年底完成 20%。", date(2018, 9, 18))),
    ("15", "市城管局", date(2018, 9, 20), date(2018, 9, 27),
     "第三卫生间建设明显滞后，请于期限内报送推进计划。", None),
]


def _photo(name: str) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (70, 130, 180)).save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def _reports(users) -> int:
    filed = 0
    for username, code, rows in REPORTS:
        indicator = Indicator.objects.get(code=code, task__plan__year=2018)
        for measured_on, value, comment in rows:
            day = date.fromisoformat(measured_on)
            if indicator.reports.filter(measured_on=day, unit=users[username].unit).exists():
                continue
            evidence = [_photo(f"{code}-{measured_on}.jpg")] if comment else []
            progress_report_create(user=users[username], indicator=indicator, value=Decimal(str(value)),
                                   measure_unit=indicator.unit, measured_on=day, comment=comment, evidence=evidence)
            filed += 1
    return filed


def _checklist(users) -> None:
    for username, number, text, done_on, note in CHECKLIST:
        item = ChecklistItem.objects.get(task__number=number, task__plan__year=2018, text=text)
        if item.done_on is None:
            checklist_item_mark(user=users[username], item=item, done=True, done_on=date.fromisoformat(done_on),
                                note=note or "已完成")


def _notices(users) -> int:
    issued = 0
    for number, lead, issued_on, reply_due, text, reply in NOTICES:
        task = Task.objects.get(number=number, plan__year=2018)
        notice = SupervisionNotice.objects.filter(task=task, issued_on=issued_on).first()
        if notice is None:
            notice = notice_issue(user=users["office"], task=task, to_unit=task.units.get(name=lead), text=text,
                                  reply_due=reply_due, on=issued_on)
            issued += 1
        if reply and notice.status == NoticeStatus.OPEN:
            username, reply_text, replied_on = reply
            notice_reply(user=users[username], notice=notice, text=reply_text, on=replied_on)
    return issued


def load_demo(*, stdout):
    result = plan_load(path=settings.DATA_DIR / "plans" / "zhengzhou-2018.yaml")
    stdout.write(f"plan: {result['created']} created, {result['updated']} updated, {result['deleted']} deleted")
    Plan.objects.filter(year=2018).update(as_of=REVIEW_DATE)
    users = {u.username: u for u in User.objects.filter(username__in=["office", "cgj", "jinshui", "yuanlin",
                                                                        "zhufang"])}
    filed = _reports(users)
    _checklist(users)
    issued = _notices(users)
    stdout.write(f"progress: {filed} reports filed, {issued} 督办 notices issued; "
                 f"review date {REVIEW_DATE} (pages accept ?as_of=YYYY-MM-DD)")
