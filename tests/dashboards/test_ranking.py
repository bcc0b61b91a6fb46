"""The dashboards' ranking tables are the assessment's stored ranking (``assessment.selectors.
ranking_current``: the latest published 月考核, or the latest computed one for those who read
drafts), not a computation of their own: same units, same order, same ranks, each score opening
its drill-down; a unit sees its own row and rank once the month is published."""
import re

import pytest
from django.urls import reverse

from jingzhi.assessment.models import Result
from jingzhi.assessment.selectors import ranking
from jingzhi.assessment.services import assessment_month_compute, assessment_publish
from jingzhi.cases.workflow import State
from tests.cases.conftest import at

pytestmark = pytest.mark.django_db

ROW = re.compile(r'<tr data-result="(\d+)" data-name="[^"]*">\s*<td data-rank="(\d*)">')


@pytest.fixture
def june(clock, make_case):
    """June 2024: six cases of district A closed, five of district B (three closed, two in handling)."""
    for day, where, until in [(3, "a", State.CLOSED)] * 6 + [(4, "b", State.CLOSED)] * 3 + [(5, "b", State.HANDLING)] * 2:
        clock.set(f"2024-06-{day:02d} 09:00")
        make_case(until, where=where, now=at(f"2024-06-{day:02d} 09:00"))
    clock.set("2024-07-02 10:00")


def table(page: str, kind: str) -> list[tuple[int, str]]:
    part = page[page.index(f'data-table="{kind}"'):]
    return [(int(pk), rank) for pk, rank in ROW.findall(part[:part.index("</table>")])]


def stored(kind: str) -> list[tuple[int, str]]:
    return [(r.pk, str(r.rank or "")) for r in ranking(period="2024-06", kind=kind)]


def test_the_leader_dashboard_shows_the_assessments_ranking(client, june, staff):
    client.force_login(staff.leader)
    assert "尚无月考核结果" in client.get(reverse("dashboards:leader")).content.decode()
    assessment_month_compute(period="2024-06")  # a draft: leaders see it
    page = client.get(reverse("dashboards:leader")).content.decode()
    assert 'data-ranking="2024-06"' in page
    districts = table(page, "district")
    assert districts == stored("district") and len(districts) >= 2
    assert table(page, "department") == stored("department")
    ranked = [pk for pk, rank in districts if rank]
    assert len(ranked) == 2  # both districts filed at least 5 cases
    for pk, _rank in districts:  # every score opens its indicators, and from there its cases
        assert f'href="{reverse("assessment:result", args=[pk])}"' in page
        assert client.get(reverse("assessment:result", args=[pk])).status_code == 200
    volumes = re.findall(r'<a data-figure="volume" href="([^"]+)">(\d+)</a>', page)
    assert len(volumes) == len(districts) + len(table(page, "department"))
    for url, volume in volumes:  # and every volume opens the list of exactly that many cases' rows
        listed = client.get(url).content.decode()
        assert re.search(r"<strong data-total>(\d+)</strong>", listed).group(1) == volume, url


def test_a_unit_sees_its_rank_once_the_month_is_published(client, june, staff, geography):
    client.force_login(staff.handler_a)
    assessment = assessment_month_compute(period="2024-06")
    assert "尚无已发布的月考核" in client.get(reverse("dashboards:unit")).content.decode()
    assessment_publish(assessment=assessment, user=staff.leader)
    page = client.get(reverse("dashboards:unit")).content.decode()
    own = Result.objects.get(assessment=assessment, kind="district", unit=geography.district_a)
    other = Result.objects.get(assessment=assessment, kind="district", unit=geography.district_b)
    assert table(page, "district") == [(own.pk, str(own.rank))]
    assert re.search(rf'<strong data-figure="rank">{own.rank}</strong> / 2', page)
    assert client.get(reverse("assessment:result", args=[own.pk])).status_code == 200
    assert client.get(reverse("assessment:result", args=[other.pk])).status_code == 404



def test_the_home_page_shows_the_units_rank(client, june, staff):
    assessment_publish(assessment=assessment_month_compute(period="2024-06"), user=staff.leader)
    client.force_login(staff.handler_a)
    page = client.get("/").content.decode()
    own = Result.objects.get(kind="district", unit=staff.handler_a.unit)
    assert f"2024-06 月考核：第 {own.rank} 名 / 2，综合得分 {own.composite:.2f}" in page
