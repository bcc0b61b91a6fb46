"""日督查: the sheet's three numbers for a district, worked by hand, and who receives it."""
import datetime as dt

from jingzhi.assessment.supervision import daily_sheets_send
from jingzhi.cases.models import Notification
from jingzhi.org.models import Role

from .conftest import at


def test_daily_sheet(world, make_user):
    from jingzhi.cases.models import Case

    yi = world.districts["乙区"]
    staff = make_user(Role.HANDLER, unit=yi, username="yi_staff")
    leader = make_user(Role.LEADER, username="boss")
    outsider = make_user(Role.HANDLER, unit=world.districts["甲区"], username="jia_staff")
    # On the morning of March 16: 乙区 reported one case on the 15th (conftest); its February backlog
    # case (started Feb 28 12:00, deadline March 1 12:00) is past twice its limit; one more case
    # became overdue on the 15th.
    Case.objects.filter(number="T0999").update(stage_started_at=at("2026-02-28 12:00"))
    fresh = Case.objects.filter(district=yi, created_at__date=dt.date(2026, 3, 14)).first()
    Case.objects.filter(pk=fresh.pk).update(state="handling", stage="handle", stage_started_at=at("2026-03-14 10:00"),
                                            stage_deadline=at("2026-03-15 10:00"))
    sheets = {s.district.name: s for s in daily_sheets_send(now=at("2026-03-16 07:30"))}
    sheet = sheets["乙区"]
    assert sheet.day == dt.date(2026, 3, 15) and sheet.reports == 1
    assert [c.number for c in sheet.new_overdue] == [fresh.number]
    # The fresh case: started 14th 10:00, limit 24 h, 45.5 h by now < 48 h; the backlog: 18 days.
    assert [c.number for c in sheet.twice_overdue] == ["T0999"]
    assert sheets["甲区"].reports == 0 and sheets["甲区"].twice_overdue == []
    message = Notification.objects.get(recipient=staff).message
    assert message == "日督查 2026-03-15 乙区：昨日上报 1 件，新增超期 1 件，超过时限两倍仍未办结 1 件。"
    assert Notification.objects.filter(recipient=leader).count() == 4  # one sheet per district
    assert not Notification.objects.filter(recipient=outsider, message__contains="乙区").exists()
