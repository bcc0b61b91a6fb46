"""The leader and unit dashboards over a small fixed set of cases, every number worked out by hand,
and every number's link opening a case list of exactly that many cases."""
import re

import pytest
from django.urls import reverse

from jingzhi.cases.acting import case_act
from jingzhi.cases.workflow import CaseAction, State
from jingzhi.org.models import Role
from tests.cases.conftest import at, jpeg_with_gps

pytestmark = pytest.mark.django_db

FIGURE = re.compile(r'<a class="figure[^"]*" data-figure="(\w+)" href="([^"]+)"><strong>([^<]+)</strong>')
CELL = re.compile(r'<a data-figure="(\w+)" href="([^"]+)">([^<]+)</a>')
TOTAL = re.compile(r"共 (\d+) 件")


@pytest.fixture
def june(clock, make_case, staff):
    """Now is Thursday 2024-06-20 10:00 (Beijing). In district A: one report today (open), one closed
    on time in June, one handled late in June, one overdue in the handle stage, one from May closed
    in May. In district B: one handled on time in June (still open: awaiting verification)."""
    def made(until, when, **kw):
        clock.set(when)
        return make_case(until, now=at(when), **kw)

    cases = {
        "today": made(State.REPORTED, "2024-06-20 09:00"),
        "closed": made(State.CLOSED, "2024-06-03 09:00"),
        "late": made(State.HANDLING, "2024-06-04 09:00"),
        "overdue": made(State.HANDLING, "2024-06-11 09:00"),
        "may": made(State.CLOSED, "2024-05-20 09:00"),
        "b": made(State.HANDLED, "2024-06-05 09:00", where="b"),
    }
    clock.set("2024-06-14 09:00")  # handle limit is 2 working days: the 06-04 case was due 06-06
    cases["late"] = case_act(case=cases["late"], action=CaseAction.HANDLE, actor=staff.handler_a, now=at("2024-06-14 09:00"),
                             photos=[("after", jpeg_with_gps())])
    clock.set("2024-06-20 10:00")
    return cases


def listed(client, url) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    return int(TOTAL.search(response.content.decode()).group(1))


def test_the_leader_sees_the_numbers_worked_out_by_hand(client, june, staff):
    client.force_login(staff.leader)
    page = client.get(reverse("dashboards:leader")).content.decode()
    figures = {name: text for name, _url, text in FIGURE.findall(page)}
    # June: today, closed, late, overdue, b → 5; open: today, late (handled, awaiting verification),
    # overdue, b → 4; overdue: the handling case (due 06-13) and the two handled ones waiting for
    # verification past its 1 working hour (late, b) → 3; today's report is within its 4 working hours;
    # timed 处置反馈 in June: closed (on time), late (late), b (on time) → 3, 2 on time → 66.7 %.
    assert figures == {"reports_today": "1", "reports_month": "5", "open": "4", "overdue": "3", "handled": "3",
                       "rate": "66.7%"}


def test_every_number_opens_a_list_of_as_many_cases(client, june, staff):
    client.force_login(staff.leader)
    page = client.get(reverse("dashboards:leader")).content.decode()
    links = FIGURE.findall(page) + CELL.findall(page)
    assert len(links) > 20
    for name, url, text in links:
        url = url.replace("&amp;", "&")
        if name == "rate":  # the rate's link lists the cases handled on time
            continue
        assert listed(client, url) == int(text), (name, url)
    assert listed(client, {n: u for n, u, _t in FIGURE.findall(page)}["rate"].replace("&amp;", "&")) == 2


def test_the_district_table_counts_the_month_per_district(client, june, staff, geography):
    client.force_login(staff.leader)
    response = client.get(reverse("dashboards:leader"))
    rows = {row.unit: row for row in response.context["districts"]}
    a, b = rows[geography.district_a], rows[geography.district_b]
    assert (a.reports, a.open, a.overdue, a.handled.total, a.handled.late) == (4, 3, 2, 2, 1)
    assert (b.reports, b.open, b.overdue, b.handled.total, b.handled.late) == (1, 1, 1, 1, 0)


def test_a_unit_sees_only_its_own_cases(client, june, staff):
    client.force_login(staff.handler_b)
    page = client.get(reverse("dashboards:unit")).content.decode()
    figures = {name: (url.replace("&amp;", "&"), text) for name, url, text in FIGURE.findall(page)}
    assert {name: text for name, (_url, text) in figures.items()} == {
        "reports_today": "0", "reports_month": "1", "open": "1", "overdue": "1", "handled": "1", "rate": "100.0%"}
    for name, (url, text) in figures.items():
        if name != "rate":
            assert listed(client, url) == int(text), name


def test_the_unit_dashboard_lists_todays_work(client, june, staff):
    client.force_login(staff.handler_a)
    response = client.get(reverse("dashboards:unit"))
    todo = response.context["todo"]
    assert todo.due_count == 1 and todo.due_cases == [june["overdue"]]
    # overdue: its handling (due 06-13), then the late-handled case waiting for verification (due 06-14 10:00)
    assert [case.pk for case in response.context["overdue"]] == [june["overdue"].pk, june["late"].pk]
    assert 'data-todo="due"' in response.content.decode()


@pytest.mark.parametrize("role", [Role.HANDLER, Role.UNIT_REPORTER, Role.INSPECTOR, Role.CITIZEN, Role.DISPATCHER])
def test_the_leader_dashboard_is_refused_to_other_roles(client, make_user, geography, role):
    client.force_login(make_user(role, unit=geography.district_a))
    assert client.get(reverse("dashboards:leader")).status_code == 403


@pytest.mark.parametrize("role", [Role.LEADER, Role.INSPECTOR, Role.CITIZEN])
def test_the_unit_dashboard_is_refused_without_a_unit_role(client, make_user, role):
    client.force_login(make_user(role))
    assert client.get(reverse("dashboards:unit")).status_code == 403


def test_signed_out_users_are_sent_to_login(client):
    assert client.get(reverse("dashboards:leader"))["Location"].startswith("/login/")
