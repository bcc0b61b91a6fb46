"""The inspector's page (监督员任务, /cases/tasks/): 核查 tasks, 核实 tasks and "我的上报" on one page,
each task with a photo, the reports in pages; nobody else's tasks or reports."""
import re

import pytest

from jingzhi.cases.acting import case_act
from jingzhi.cases.views import REPORTS_PAGE_SIZE
from jingzhi.cases.workflow import CaseAction, State

pytestmark = pytest.mark.django_db


def section(html: str, section_id: str) -> str:
    return re.search(rf'<section id="{section_id}">(.*?)</section>', html, re.S).group(1)


def cases_in(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'data-case="(\d+)"', html)]


def test_tasks_and_reports_on_one_page(client, staff, make_case):
    verify = make_case(State.VERIFYING)
    confirm = make_case(State.REPORTED)
    case_act(case=confirm, action=CaseAction.CONFIRM_ASSIGN, actor=staff.intake, inspector=staff.inspector)
    others = make_case(State.VERIFYING)
    case_act(case=others, action=CaseAction.VOID, actor=staff.chief, comment="重复")  # no longer a task
    mine = [make_case(reporter=staff.inspector, description=f"上报{i}") for i in range(REPORTS_PAGE_SIZE + 2)]
    theirs = make_case(reporter=staff.other_inspector)

    client.force_login(staff.inspector)
    html = client.get("/cases/tasks/").content.decode()
    assert cases_in(section(html, "verify-tasks")) == [verify.pk]
    assert cases_in(section(html, "confirm-tasks")) == [confirm.pk]
    assert f'src="/cases/photos/{verify.photos.get().pk}/"' in section(html, "verify-tasks")  # the after photo
    reports = cases_in(section(html, "my-reports"))
    assert reports == [case.pk for case in reversed(mine)][:REPORTS_PAGE_SIZE]  # newest first
    assert f"我的上报 <b>{REPORTS_PAGE_SIZE + 2}</b>" in html and 'href="?page=2#my-reports"' in html
    second = cases_in(section(client.get("/cases/tasks/?page=2").content.decode(), "my-reports"))
    assert second == [mine[1].pk, mine[0].pk]
    assert theirs.pk not in reports + second


def test_the_page_is_the_inspectors_alone(client, staff):
    for user in (staff.citizen, staff.handler_a, staff.intake):
        client.force_login(user)
        assert client.get("/cases/tasks/").status_code == 403, user
