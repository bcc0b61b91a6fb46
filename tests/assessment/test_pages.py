"""The assessment's staff pages over the hand-worked March of conftest.py: the office computes,
comments and publishes through the page POSTs and, once published, every such POST is refused
(409) with nothing changed and no button shown; the ranking shows the tie and the unit listed but
not ranked; units read only published months and open only their own scores; every counter's
list on the drill-down pages has as many rows as the counter; 日督查 and the bulletin list."""
import re

import pytest
from django.urls import reverse

from jingzhi.assessment.explain import counter_drillable
from jingzhi.assessment.models import Assessment, Result
from jingzhi.assessment.selectors import best_and_worst
from jingzhi.assessment.services import assessment_month_compute
from jingzhi.cases.models import Case

from .conftest import at

pytestmark = pytest.mark.django_db


def as_user(client, user):
    client.force_login(user)
    return client


def names_in(page: str, kind: str) -> list[tuple[str, str]]:
    """(rank cell, name) of each row of the ranking table of ``kind``."""
    table = page[page.index(f'data-table="{kind}"'):]
    table = table[:table.index("</table>")]
    return [(re.sub(r"<[^>]+>", "", rank).strip(), name)
            for rank, name in re.findall(r'data-name="([^"]+)">\s*<td[^>]*>(.*?)</td>', table, re.S)
            for name, rank in [(rank, name)]]


def frozen_state():
    return (list(Result.objects.values_list("pk", "composite", "rank", "counters").order_by("pk")),
            list(Assessment.objects.values_list("status", "commentary", "computed_at")))


def test_the_office_computes_comments_publishes_and_then_every_page_post_is_refused(client, people):
    office = as_user(client, people["office"])
    bad = office.post(reverse("assessment:compute"), {"period": "2026-13"})
    assert bad.status_code == 400 and 'aria-invalid="true"' in bad.content.decode()
    assert "考核期格式应为" in bad.content.decode() and not Assessment.objects.exists()

    response = office.post(reverse("assessment:compute"), {"period": "2026-03"})
    assert response.status_code == 302 and response["Location"] == reverse("assessment:detail", args=["2026-03"])
    page = office.get(response["Location"]).content.decode()
    assert 'data-action="publish"' in page and 'data-action="recompute"' in page and 'name="commentary"' in page
    # The tie (乙区 and 丙区 share the 2nd place, 丙区 listed first by name) and 丁区 listed but not ranked.
    assert names_in(page, "district") == [("1", "甲区"), ("2", "丙区"), ("2", "乙区"),
                                          ("列出不排名（不足 5 件）", "丁区")]
    assert "97.92" in page and "83.33" in page

    too_long = office.post(reverse("assessment:commentary", args=["2026-03"]), {"issuing_office": "办" * 500})
    assert too_long.status_code == 400 and 'id="e-office"' in too_long.content.decode()
    comment = {"commentary": "本月总体平稳。", "praise": "", "criticism": "", "issuing_office": "郑州市精细办"}
    assert office.post(reverse("assessment:commentary", args=["2026-03"]), comment).status_code == 302
    assert office.post(reverse("assessment:compute"), {"period": "2026-03"}).status_code == 302  # a draft recomputes
    assert office.post(reverse("assessment:publish", args=["2026-03"])).status_code == 302
    before = frozen_state()
    assert before[1][0][:2] == ("published", "本月总体平稳。")

    page = office.get(reverse("assessment:detail", args=["2026-03"])).content.decode()
    assert "data-action=" not in page and 'name="commentary"' not in page and "本月总体平稳。" in page
    for url, data in ((reverse("assessment:compute"), {"period": "2026-03"}),
                      (reverse("assessment:commentary", args=["2026-03"]), {**comment, "commentary": "改"}),
                      (reverse("assessment:commentary", args=["2026-03"]), {"issuing_office": "办" * 500}),
                      (reverse("assessment:publish", args=["2026-03"]), {})):
        refused = office.post(url, data)
        assert refused.status_code == 409, url
        assert "该考核已发布，结果不能再修改。" in refused.content.decode()
    assert frozen_state() == before


def test_only_the_office_writes_and_units_read_only_published_months(client, people, world):
    leader = as_user(client, people["leader"])
    assert leader.post(reverse("assessment:compute"), {"period": "2026-03"}).status_code == 403
    client.force_login(people["office"])
    client.post(reverse("assessment:compute"), {"period": "2026-03"})
    leader = as_user(client, people["leader"])
    assert leader.get(reverse("assessment:detail", args=["2026-03"])).status_code == 200  # a leader reads drafts
    assert 'data-action="publish"' not in leader.get(reverse("assessment:detail", args=["2026-03"])).content.decode()
    assert leader.post(reverse("assessment:publish", args=["2026-03"])).status_code == 403

    jia = as_user(client, people["jia"])
    assert jia.get(reverse("assessment:detail", args=["2026-03"])).status_code == 404  # a draft is not a unit's
    assert jia.post(reverse("assessment:commentary", args=["2026-03"]), {"commentary": "x"}).status_code == 403
    Assessment.objects.filter(period="2026-03").update(status="published")
    page = jia.get(reverse("assessment:detail", args=["2026-03"])).content.decode()
    # The ranking table is the bulletin's (every unit reads it), but only its own score opens.
    own = Result.objects.get(kind="district", name="甲区")
    other = Result.objects.get(kind="district", name="乙区")
    assert reverse("assessment:result", args=[own.pk]) in page
    assert reverse("assessment:result", args=[other.pk]) not in page
    assert jia.get(reverse("assessment:result", args=[other.pk])).status_code == 404
    assert jia.get(reverse("assessment:counted", args=[other.pk, "filed"])).status_code == 404
    assert jia.get(reverse("assessment:result", args=[own.pk])).status_code == 200
    bulletins = jia.get(reverse("assessment:bulletins")).content.decode()
    assert 'data-period="2026-03"' in bulletins
    pdf = jia.get(reverse("assessment-bulletin-pdf", args=["2026-03"]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")

    citizen = as_user(client, people["citizen"])
    assert citizen.get(reverse("assessment:index")).status_code == 403


TOTAL = re.compile(r"<strong data-total>(\d+)</strong>")


def test_every_counter_of_a_score_lists_as_many_cases(client, people):
    client.force_login(people["office"])
    client.post(reverse("assessment:compute"), {"period": "2026-03"})
    leader = as_user(client, people["leader"])
    for kind, name in (("district", "乙区"), ("department", "环卫处"), ("shift_chief", "值班长一"),
                       ("inspector", "监督员一")):
        result = Result.objects.get(kind=kind, name=name)
        page = leader.get(reverse("assessment:result", args=[result.pk])).content.decode()
        linked = set(re.findall(r'data-counter="(\w+)"', page))
        # Every counter with rows behind it, and the rates' counters (0 when absent).
        assert linked >= {counter for counter in result.counters if counter_drillable(counter)}, kind
        for counter in linked:
            listed = leader.get(reverse("assessment:counted", args=[result.pk, counter])).content.decode()
            assert int(TOTAL.search(listed).group(1)) == result.counters.get(counter, 0), (kind, counter)
    # The terms' arithmetic is on the page: 乙区's 结案率 is 结案数 6 ÷ 立案数 6.
    page = leader.get(reverse("assessment:result", args=[Result.objects.get(kind="district", name="乙区").pk]))
    row = re.search(r'data-term="closing_rate">(.*?)</tr>', page.content.decode(), re.S).group(1)
    assert "100.00%" in row and "结案数 6" in row and "立案数 6" in row
    assert leader.get(reverse("assessment:counted", args=[result.pk, "nonsense"])).status_code == 404


def test_a_quarter_shows_the_change_and_the_best_and_worst(client, people):
    client.force_login(people["office"])
    assert client.post(reverse("assessment:compute"), {"period": "2026-Q1"}).status_code == 302
    page = client.get(reverse("assessment:detail", args=["2026-Q1"])).content.decode()
    review = page[page.index('data-review="district"'):]
    assert review.index("甲区") < review.index("前三") + 200 and "后三" not in review[:review.index("</div>")]
    assert "上季度" in page and names_in(page, "district")[0] == ("1", "甲区")


def test_best_and_worst_never_name_a_unit_twice(world):
    march = assessment_month_compute(period="2026-03")  # ranked districts: 甲 1, 丙 2, 乙 2
    best, worst = best_and_worst(assessment=march, kind="district", n=2)
    assert [r.name for r in best] == ["甲区", "丙区"] and [r.name for r in worst] == ["乙区"]
    assert best_and_worst(assessment=march, kind="district", n=3)[1] == []


def test_daily_sheets_list_and_detail_scoped_by_district(client, people, world):
    Case.objects.filter(number="T0999").update(stage_started_at=at("2026-02-28 12:00"))  # as in test_daily_sheet
    client.force_login(people["leader"])
    page = client.get(reverse("assessment:daily") + "?day=2026-03-15").content.decode()
    assert len(re.findall(r'data-district="\d+"', page)) == 4
    yi = world.districts["乙区"]
    detail = client.get(reverse("assessment:daily-detail", args=[yi.pk, "2026-03-15"])).content.decode()
    assert "日督查 2026-03-15 乙区：昨日上报 1 件" in detail and "T0999" in detail  # the backlog: twice its limit
    assert client.get(reverse("assessment:daily") + "?day=15/03").status_code == 400

    client.force_login(people["jia"])
    page = client.get(reverse("assessment:daily") + "?day=2026-03-15").content.decode()
    assert re.findall(r'data-district="(\d+)"', page) == [str(world.districts["甲区"].pk)]
    assert client.get(reverse("assessment:daily-detail", args=[yi.pk, "2026-03-15"])).status_code == 404


def test_the_offices_home_page_lists_the_drafts_to_publish(client, people):
    client.force_login(people["office"])
    assert "没有待发布的考核。" in client.get("/").content.decode()
    client.post(reverse("assessment:compute"), {"period": "2026-03"})
    page = client.get("/").content.decode()
    assert re.search(r'data-todo="publish"><a href="/assessment/2026-03/">2026-03 月考核未发布', page)
    client.post(reverse("assessment:publish", args=["2026-03"]))
    page = client.get("/").content.decode()
    assert 'data-todo="publish"' not in page and "最新通报：2026-03" in page
    client.force_login(people["leader"])
    assert 'data-panel="assessment"' not in client.get("/").content.decode()  # the office's to-do only
