"""Long case lists come a page at a time (core.paging): the rows of each page in the queue's order,
and page links that keep the filters and the other lists' pages. Page sizes are made small here so
that three cases fill more than one page."""
import re

import pytest

from jingzhi.cases import views
from jingzhi.cases.workflow import State
from jingzhi.core import paging

pytestmark = pytest.mark.django_db


def rows(response) -> list[int]:
    return [int(pk) for pk in re.findall(r'<tr data-case="(\d+)"', response.content.decode())]


def page_links(response) -> list[str]:
    nav = re.search(r'<nav class="pager".*?</nav>', response.content.decode(), re.S)
    return [link.replace("&amp;", "&") for link in re.findall(r'href="\?([^"]*)"', nav[0])] if nav else []


def test_the_intake_queue_pages_in_queue_order_and_keeps_the_other_parameters(client, staff, make_case,
                                                                             monkeypatch):
    monkeypatch.setattr(paging, "PAGE_SIZE", 2)
    first, second, third = (make_case(State.REPORTED) for _ in range(3))
    client.force_login(staff.intake)
    page_one = client.get("/cases/intake/", {"call_backs_page": "1", "view": "mine"})
    assert rows(page_one) == [first.pk, second.pk]
    assert page_links(page_one) == ["call_backs_page=1&view=mine&intake_operator_page=2#queue-intake_operator"]
    assert "第 1 / 2 页" in page_one.content.decode() and "共 3 件" in page_one.content.decode()

    page_two = client.get("/cases/intake/?call_backs_page=1&view=mine&intake_operator_page=2")
    assert rows(page_two) == [third.pk]
    assert page_links(page_two) == ["call_backs_page=1&view=mine&intake_operator_page=1#queue-intake_operator"]


@pytest.mark.parametrize("asked, shown", [("abc", 1), ("0", 2), ("99", 2)])
def test_a_bad_page_number_shows_the_first_or_last_page(client, staff, make_case, monkeypatch, asked, shown):
    monkeypatch.setattr(paging, "PAGE_SIZE", 2)
    cases = [make_case(State.REPORTED) for _ in range(3)]
    client.force_login(staff.intake)
    response = client.get("/cases/intake/", {"intake_operator_page": asked})
    assert response.status_code == 200
    assert rows(response) == [case.pk for case in (cases[:2] if shown == 1 else cases[2:])]


def test_each_list_of_the_overview_pages_on_its_own(client, staff, make_case, monkeypatch):
    monkeypatch.setattr(views, "OVERVIEW_PAGE_SIZE", 1)
    older, newer = make_case(State.ACCEPTED), make_case(State.ACCEPTED)  # 待立案: the shift chief's queue
    client.force_login(staff.chief)
    response = client.get("/cases/overview/", {"overdue_page": "1"})
    assert rows(response) == [older.pk]
    assert page_links(response) == ["overdue_page=1&queue_page=2#queue"]
    assert rows(client.get("/cases/overview/", {"overdue_page": "1", "queue_page": "2"})) == [newer.pk]


def test_the_dispatch_console_pages_its_rows_and_its_map_points(client, staff, make_case, monkeypatch):
    monkeypatch.setattr(views, "DISPATCH_PAGE_SIZE", 1)
    older, newer = make_case(State.FILED), make_case(State.FILED)
    client.force_login(staff.dispatcher)
    for number, case in ((1, older), (2, newer)):
        response = client.get("/cases/dispatch/", {"page": number})
        assert rows(response) == [case.pk]
        assert [point["id"] for point in response.context["points"]] == [case.pk]


def test_search_pages_keep_the_filters(client, staff, make_case, monkeypatch):
    monkeypatch.setattr(paging, "PAGE_SIZE", 2)
    reported = [make_case(State.REPORTED) for _ in range(3)]
    make_case(State.ACCEPTED)  # filtered out
    client.force_login(staff.chief)
    page_one = client.get("/cases/search/", {"state": "reported"})
    assert len(rows(page_one)) == 2 and page_links(page_one) == ["state=reported&page=2"]
    page_two = client.get("/cases/search/", {"state": "reported", "page": "2"})
    assert len(rows(page_two)) == 1
    assert set(rows(page_one) + rows(page_two)) == {case.pk for case in reported}


def test_the_department_work_list_pages_too(client, staff, make_case, monkeypatch):
    monkeypatch.setattr(paging, "PAGE_SIZE", 1)
    for _ in range(2):
        make_case(State.DISPATCHED)
    client.force_login(staff.handler_a)
    assert len(rows(client.get("/cases/worklist/"))) == 1
    assert len(rows(client.get("/cases/worklist/", {"page": "2"}))) == 1
    assert page_links(client.get("/cases/worklist/")) == ["page=2"]


def test_the_dispatch_console_lists_the_departments_once_not_once_a_row(client, staff, make_case, geography):
    cases = [make_case(State.FILED) for _ in range(3)]
    client.force_login(staff.dispatcher)
    html = client.get("/cases/dispatch/").content.decode()
    units = len(views.selectors.dispatch_units())
    assert units > 1 and html.count("<option") == units + len(cases)  # the page's list, one suggestion a row
    for case in cases:  # each row's list holds its suggested department, chosen; the link opens the case
        row = re.search(rf'<tr data-case="{case.pk}".*?</tr>', html, re.S)[0]
        assert f'<option value="{geography.district_a.pk}" selected>{geography.district_a.name}</option>' in row
        assert f'href="/cases/{case.pk}/" data-all-departments' in row
