"""The public statistics and map, worked out by hand, and the privacy rule on every public JSON; the
map's points as a list under it (each linked to its page, bounded and paged like the map); the word
list against its file and against the catalogue it must not trip over."""
import re
from functools import partial

import pytest
import yaml
from django.conf import settings
from django.core.cache import cache

from jingzhi.cases.acting import case_act
from jingzhi.cases.models import Case, CategoryClass, CategoryKind
from jingzhi.cases.workflow import State
from jingzhi.core import paging
from jingzhi.disclosure import screening, selectors
from jingzhi.disclosure.selectors import public_summary

from .conftest import assert_nothing_personal, at, photo_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def month(staff, make_case, make_category, clock):
    """Reported on Monday 2024-06-03 09:00 (the window is the 30 days before 2024-06-21 09:00):
    on_time: closed at once, every stage in time; late: dispatched, then handled on 06-20 — 2 working
    days after 06-03 09:00 ended on 06-05 09:00 — and closed; open: 街面秩序 in district B, filed;
    rejected (not counted); old: reported 2024-05-10, outside the window."""
    CategoryClass.objects.create(kind=CategoryKind.EVENT, code="02", name="街面秩序")
    street = make_category("0201", "占道经营")
    clock.set("2024-05-10 09:00")
    old = make_case(State.REPORTED)
    clock.set("2024-06-03 09:00")
    on_time = make_case(State.CLOSED)
    late = make_case(State.DISPATCHED)
    still_open = make_case(State.FILED, category=street, where="b")
    rejected = make_case(State.REPORTED)
    case_act(case=rejected, action="reject", actor=staff.intake, reason="invalid", comment="无效上报")
    clock.set("2024-06-20 09:00")
    case_act(case=late, action="receive", actor=staff.handler_a)
    case_act(case=late, action="handle", actor=staff.handler_a, photos=[("after", photo_upload())])
    case_act(case=late, action="verify_assign", actor=staff.intake, inspector=staff.inspector)
    case_act(case=late, action="verify_pass", actor=staff.inspector)
    late = case_act(case=late, action="close", actor=staff.chief)
    clock.set("2024-06-21 09:00")
    return {"old": old, "on_time": on_time, "late": late, "open": still_open, "rejected": rejected}


def test_the_statistics_recomputed_by_hand(month, client):
    summary = public_summary(now=at("2024-06-21 09:00"))
    assert summary.reports == 3  # on_time, late, open; not the rejected one, not the old one
    assert summary.by_category == [("测试大类", 2), ("街面秩序", 1)]
    assert summary.by_district == [("测试甲区", 2), ("测试乙区", 1)]
    assert (summary.closed, summary.closed_on_time, summary.on_time_share) == (2, 1, 0.5)
    assert [fix.number for fix in summary.recent_fixes] == [month["late"].number, month["on_time"].number]
    page = client.get("/p/stats/").content.decode()
    assert 'data-figure="on-time">50%<' in page and 'data-figure="reports">3<' in page
    assert_nothing_personal(page)


def test_the_map_points_carry_nothing_personal_and_are_cached(month, client):
    answer = client.get("/p/map/points.json")
    points = answer.json()["points"]
    # the last 90 days: the old report too, not the rejected one
    assert {point["number"] for point in points} == {month[name].number for name in ("old", "on_time", "late", "open")}
    assert all(set(point) == {"number", "category", "stage", "status", "reported_on", "lon", "lat", "url"}
               for point in points)
    assert {(point["lon"], point["lat"]) for point in points} == {(113.605, 34.755), (113.635, 34.745)}
    assert_nothing_personal(answer.content.decode())
    assert client.get("/p/map/").status_code == 200
    areas = client.get("/p/map/areas.json").json()
    assert sorted(feature["properties"]["name"] for feature in areas["features"]) == sorted(["测试甲区", "测试乙区"])
    Case.objects.filter(pk=month["old"].pk).update(created_at=at("2024-01-10 09:00"))  # now out of the window
    assert len(client.get("/p/map/points.json").json()["points"]) == 4  # cached for a minute
    cache.clear()
    assert len(client.get("/p/map/points.json").json()["points"]) == 3


#: One list item: number, link, link text, status, stage, date.
ITEM = re.compile(r'<li data-number="(\w+)"><a href="([^"]+)">([^<]+)</a>\s*'
                  r'<span class="stage stage-(\w+)">([^<]+)</span>\s*<time datetime="([\d-]+)">([^<]+)</time>')


def listed(response) -> list[tuple]:
    assert response.status_code == 200
    return ITEM.findall(response.content.decode())


def test_the_map_lists_its_points_newest_first_each_linked_to_its_page(month, client):
    response = client.get("/p/map/")
    newest_first = [month[name] for name in ("open", "late", "on_time", "old")]  # not the rejected report
    assert listed(response) == [
        (case.number, f"/p/cases/{case.number}/", f"{case.category.name} {case.number}", status, stage, day, f"{day} 上报")
        for case, status, stage, day in zip(newest_first, ["open", "closed", "closed", "open"],
                                            ["已立案", "已办结", "已办结", "已收到"],
                                            ["2024-06-03", "2024-06-03", "2024-06-03", "2024-05-10"], strict=True)]
    assert [point["number"] for point in client.get("/p/map/points.json").json()["points"]] == [
        case.number for case in newest_first]  # the map draws the same points
    assert "data-truncated" not in response.content.decode()
    assert_nothing_personal(response.content.decode())
    for number, url, *_ in listed(response):
        assert client.get(url).status_code == 200, number


def test_the_list_holds_what_the_map_holds_and_says_when_the_limit_cut_it(month, client, monkeypatch):
    monkeypatch.setattr(selectors, "public_map_points", partial(selectors.public_map_points, limit=2))
    response = client.get("/p/map/")
    assert [item[0] for item in listed(response)] == [month["open"].number, month["late"].number]
    note = re.search(r"<p data-truncated>([^<]+)</p>", response.content.decode())[1]
    assert note == "近 90 天上报的问题超过 2 件，地图和列表只显示最新的 2 件。"
    answer = client.get("/p/map/points.json").json()
    assert (len(answer["points"]), answer["days"], answer["limit"], answer["truncated"]) == (2, 90, 2, True)


def test_a_limit_the_points_just_fill_cuts_nothing(month, client, monkeypatch):
    monkeypatch.setattr(selectors, "public_map_points", partial(selectors.public_map_points, limit=4))
    response = client.get("/p/map/")
    assert len(listed(response)) == 4 and "data-truncated" not in response.content.decode()
    assert client.get("/p/map/points.json").json()["truncated"] is False


def test_the_list_comes_a_page_at_a_time_and_a_bad_page_is_the_first(month, client, monkeypatch):
    monkeypatch.setattr(paging, "PAGE_SIZE", 3)
    first, second = listed(client.get("/p/map/")), listed(client.get("/p/map/", {"page": "2"}))
    assert len(first) == 3 and [item[0] for item in second] == [month["old"].number]
    assert 'href="?page=2#map-list"' in client.get("/p/map/").content.decode()
    assert listed(client.get("/p/map/", {"page": "x"})) == first
    assert len(client.get("/p/map/points.json").json()["points"]) == 4  # the map draws every point


def test_the_list_speaks_english(month, client):
    client.cookies["django_language"] = "en"
    page = client.get("/p/map/", headers={"accept-language": "en"}).content.decode()
    assert "The problems on the map" in page and "reported 2024-06-03" in page


def test_every_public_answer_is_free_of_personal_data(month, client):
    for case in month.values():
        assert_nothing_personal(client.get(f"/p/cases/{case.number}/").content.decode())
        assert_nothing_personal(client.get(f"/p/cases/{case.number}/rate/").content.decode())
    for path in ("/p/track/", "/p/stats/", "/p/map/", "/p/map/points.json", "/p/map/areas.json"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert_nothing_personal(response.content.decode())


def test_the_word_list_loader_reads_its_file():
    lines = [line.strip() for line in screening.WORDS_FILE.read_text(encoding="utf-8").splitlines()]
    listed = [line for line in lines if line and not line.startswith("#")]
    assert screening.offensive_words() == tuple(word.casefold() for word in listed)
    assert len(listed) == len(set(listed)) > 20
    assert screening.words_parse("# note\n\n 傻 逼 \nFuck\n傻逼\n") == ("傻逼", "fuck")


@pytest.mark.parametrize(("text", "held"), [
    ("这里有个傻.逼在乱扔垃圾", True), ("Ｆｕｃｋ", True), ("联系电话 138-0000-0000 不算连续号码", False),
    ("我的电话13800001111", True), ("座机0371-65551234", True), ("身份证41010519900101123X", True),
    ("门牌号 12 号，垃圾满溢已三天", False), ("井盖丢失，路面塌陷约 30 厘米", False),
])
def test_the_automatic_check(text, held):
    assert screening.text_screen(text).held is held


def test_no_name_or_criterion_of_the_catalogue_is_held():
    """The list must not hold ordinary reports back: every class and category name and every
    立案/结案标准 of the shipped catalogue passes the check."""
    catalogue = yaml.safe_load((settings.DATA_DIR / "cases" / "catalogue.yaml").read_text(encoding="utf-8"))
    texts = [entry.get(key, "") for group in catalogue["classes"] for entry in [group, *group["subclasses"]]
             for key in ("name", "name_en", "filing_criteria", "closing_criteria")]
    assert len(texts) > 400
    assert [text for text in texts if screening.text_screen(text).held] == []
