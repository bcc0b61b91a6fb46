"""The plan loader: idempotent, and the shipped transcription complete against the seed text."""
import re
from datetime import date
from decimal import Decimal

import pytest
import yaml
from django.conf import settings
from django.db.models import Count

from jingzhi.org.models import Unit, UnitKind
from jingzhi.plans.models import ChecklistItem, Indicator, ProgressReport, Task, TaskUnit
from jingzhi.plans.services import plan_load

from .conftest import SMALL_PLAN

PLAN_FILE = settings.DATA_DIR / "plans" / "zhengzhou-2018.yaml"
SEED_NAME = "seed/zhengzhou-2018-refined-management-plan.txt"
ACTIONS = {"一": "refine", "二": "order", "三": "clean", "四": "beautify"}
TELECOM = {"中国移动郑州分公司", "中国联通郑州分公司", "中国电信郑州分公司"}

pytestmark = pytest.mark.django_db


def plan_document():
    return yaml.safe_load(PLAN_FILE.read_text(encoding="utf-8"))


def leaf_entries():
    """Every task entry that carries units (tasks without sub-tasks, and sub-tasks)."""
    for action in plan_document()["actions"]:
        for task in action["tasks"]:
            yield from task.get("subtasks", [task])


# ── Idempotence ────────────────────────────────────────────────────────────────

def test_it_loads_the_small_plan_and_a_rerun_changes_nothing(units, people):
    first = plan_load(path=SMALL_PLAN)
    assert first["created"] > 0 and first["updated"] == first["deleted"] == 0
    item = ChecklistItem.objects.get(text="完善公厕管理办法")
    item.done_on = date(2018, 6, 1)
    item.save()
    toilets = Indicator.objects.get(code="toilets")
    ProgressReport.objects.create(indicator=toilets, unit=units["市城管局"], reported_by=people["cgj"],
                                  value=300, measured_on=date(2018, 6, 30))
    assert plan_load(path=SMALL_PLAN) == {"created": 0, "updated": 0, "deleted": 0}
    item.refresh_from_db()
    assert item.done_on == date(2018, 6, 1) and toilets.reports.count() == 1


def test_it_expands_all_districts_in_code_order(units):
    units["金水区"].code, units["中原区"].code = "410105", "410102"
    units["金水区"].save()
    units["中原区"].save()
    plan_load(path=SMALL_PLAN)
    rows = TaskUnit.objects.filter(task__number="1", collective="各区（管委会）").order_by("position")
    assert [row.unit.name for row in rows] == ["中原区", "金水区"]


def test_counties_are_not_in_all_districts(units, make_unit):
    make_unit("中牟县", kind=UnitKind.DISTRICT, code="410122")
    make_unit("新郑市", kind=UnitKind.DISTRICT, code="410184")
    plan_load(path=SMALL_PLAN)
    names = set(TaskUnit.objects.filter(task__number="1", collective="各区（管委会）").values_list("unit__name", flat=True))
    assert names == {"金水区", "中原区"}


def test_it_refuses_an_unknown_unit(db):
    with pytest.raises(ValueError, match="市城管局"):
        plan_load(path=SMALL_PLAN)
    assert not Task.objects.exists()


def test_the_seed_plan_loads_once(seed_plan):
    assert plan_load(path=PLAN_FILE) == {"created": 0, "updated": 0, "deleted": 0}
    assert seed_plan.document_number == "郑政办文〔2018〕18号"
    assert seed_plan.issued_on == date(2018, 4, 2)
    assert list(seed_plan.actions.values_list("code", flat=True)) == ["refine", "order", "clean", "beautify"]


# ── The transcription against the seed text ───────────────────────────────────

def seed_text(shared_dir):
    return (shared_dir / SEED_NAME).read_text(encoding="utf-8")


HEADING = re.compile(r"^(?:（(?P<action>[一二三四])）|(?P<task>\d{1,2})\. |[（(](?P<sub>\d)[）)]\s*)(?P<title>.*)$")


def seed_tasks(text):
    """{number: {"action", "title", "lead", "responsible"}} parsed from 二、工作任务 of the seed.

    A 责任单位 list runs on until the next heading: the seed breaks "市商务局" across a page.
    """
    body = text.split("二、工作任务", 1)[1].split("三、保障措施", 1)[0]
    tasks, action, number, current, key = {}, None, None, None, None
    for line in (line.strip() for line in body.splitlines()):
        if not line:
            continue
        heading = HEADING.match(line)
        if heading:
            key = None
            if heading["action"]:
                action = ACTIONS[heading["action"]]
                continue
            number = heading["task"] or number
            label = number if heading["task"] else f"{number}({heading['sub']})"
            current = tasks[label] = {"action": action, "title": heading["title"].strip(), "lead": "",
                                      "responsible": ""}
        elif line.startswith(("牵头单位：", "责任单位：")):
            key = "lead" if line.startswith("牵头") else "responsible"
            current[key] = line.split("：", 1)[1]
        elif key == "responsible":
            current[key] += line
    return tasks


def split_units(names):
    return [name for name in re.split(r"[、，,]", names.replace(" ", "")) if name]


def test_every_task_and_subtask_matches_the_seed(seed_plan, shared_dir):
    seed = seed_tasks(seed_text(shared_dir))
    assert len([n for n in seed if "(" not in n]) == 20
    # Tasks 9 and 14 are split into sub-tasks; the seed gives them no units of their own.
    assert {n for n, t in seed.items() if not t["lead"]} == {"9", "14"}
    assert set(seed) == set(Task.objects.values_list("number", flat=True))
    for number, expected in seed.items():
        task = Task.objects.get(number=number)
        assert (task.title, task.action.code) == (expected["title"], expected["action"]), number


def test_lead_and_responsible_units_are_exactly_the_seeds(seed_plan, shared_dir):
    districts = set(Unit.objects.filter(kind=UnitKind.DISTRICT).values_list("name", flat=True))
    assert len(districts) == 10  # 6 districts and 4 administrative committees
    collectives = {"各区（管委会）": districts, "各通讯运营商": TELECOM}
    checked = 0
    for number, expected in seed_tasks(seed_text(shared_dir)).items():
        if not expected["lead"]:
            continue
        task = Task.objects.get(number=number)
        for role in ("lead", "responsible"):
            names = split_units(expected[role])
            explicit = [n for n in names if n not in collectives]
            wanted = set(explicit).union(*(collectives[n] for n in names if n in collectives))
            rows = task.task_units.filter(role=role)
            assert list(rows.filter(collective="").values_list("unit__name", flat=True)) == explicit, (number, role)
            assert set(rows.values_list("unit__name", flat=True)) == wanted, (number, role)
        checked += 1
    assert checked == 23  # 18 tasks + 9(1)–9(3) + 14(1)–14(2)


def test_every_quote_is_copied_from_the_seed(shared_dir):
    text = seed_text(shared_dir)
    quotes = [i["quote"] for e in leaf_entries() for i in e.get("indicators", [])]
    assert len(quotes) == 37
    for quote in quotes:
        assert quote in text, quote


CHINESE_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def chinese_number(word):
    """十 → 10, 十五 → 15, 二十 → 20, 五 → 5 (enough for the plan's wording)."""
    if "十" not in word:
        return CHINESE_DIGITS[word]
    tens, _, units = word.partition("十")
    return CHINESE_DIGITS.get(tens, 1) * 10 + CHINESE_DIGITS.get(units, 0)


def quote_numbers(quote):
    """The figures a quote states: 97, 273.93, 5万 → 5 and 50000, 十分钟 → 10."""
    numbers = set()
    for figure, ten_thousand in re.findall(r"(\d+(?:\.\d+)?)\s*(万)?", quote):
        numbers |= {Decimal(figure), Decimal(figure) * 10000} if ten_thousand else {Decimal(figure)}
    numbers |= {Decimal(chinese_number(m[1])) for m in re.finditer(r"([一二三四五六七八九十]+)(?=分钟)", quote)}
    return numbers


def test_every_target_is_stated_in_its_quote():
    checked = 0
    for entry in leaf_entries():
        for indicator in entry.get("indicators", []):
            numbers, target = quote_numbers(indicator["quote"]), Decimal(str(indicator["target"]))
            milestones = [Decimal(str(m["target"])) for m in indicator.get("milestones", [])]
            if indicator.get("source") == "cases.double_ten":
                # A standard the plan says to achieve (实现…标准) holds for every case: a share of 100 %.
                assert (target, indicator["unit"]) == (100, "%") and "实现治理“双十标准”" in indicator["quote"]
                assert {10} <= numbers  # 十分钟 … 十分钟
            elif indicator["direction"] == "eliminate":
                assert target == 0 and "消除" in indicator["quote"], indicator["code"]
            elif milestones:
                # Cumulative milestones: each year's share is what the plan states.
                steps = [b - a for a, b in zip([Decimal(0), *milestones], milestones)]
                assert milestones[-1] == target and set(steps) <= numbers, indicator["code"]
            else:
                assert target in numbers, (indicator["code"], numbers)
            checked += 1
    assert checked == 37


#: The key figures of the issue, written out by hand: (task, code, unit, direction, target, kind).
#: Kinds from the wording: new work adds up (cumulative); "不低于/不超过", a standard to achieve and the
#: small-ad rates hold all year (maintained); "2018年底前…达到/消除" is reached by the date (reach_by_date).
KEY_TARGETS = [
    ("1", "road-facility-intact-rate", "%", "at_least", "97", "maintained"),
    ("1", "drainage-culvert-intact-rate", "%", "at_least", "93", "maintained"),
    ("1", "manholes-rectified", "座", "at_least", "8000", "cumulative"),
    ("1", "old-drainage-pipes-inspected", "公里", "at_least", "190", "cumulative"),
    ("1", "bridges-inspected", "座", "at_least", "36", "cumulative"),
    ("1", "road-medium-repair-count", "条", "at_least", "128", "cumulative"),
    ("1", "road-medium-repair-area", "万平方米", "at_least", "273.93", "cumulative"),
    ("1", "road-small-repair-area", "万平方米", "at_least", "68.5", "cumulative"),
    ("2", "back-streets-upgraded", "条", "at_least", "321", "cumulative"),
    ("3", "old-residential-area-upgrade-ratio", "%", "at_least", "100", "cumulative"),
    ("9(2)", "new-public-parking-spaces", "个", "at_least", "50000", "cumulative"),
    ("10", "street-vending-double-ten-rate", "%", "at_least", "100", "maintained"),
    ("11", "overhead-telecom-cables-buried", "公里", "at_least", "120", "cumulative"),
    ("13", "dust-main-road-fast-lane", "克/平方米", "at_most", "5", "maintained"),
    ("13", "dust-slow-lane", "克/平方米", "at_most", "5", "maintained"),
    ("13", "dust-branch-back-street", "克/平方米", "at_most", "10", "maintained"),
    ("13", "dust-sidewalk", "克/平方米", "at_most", "15", "maintained"),
    ("13", "large-transfer-stations-started", "座", "at_least", "7", "cumulative"),
    ("13", "sanitation-worker-home-new-area", "平方米", "at_least", "15000", "cumulative"),
    ("13", "sanitation-worker-home-occupancy", "%", "at_least", "60", "reach_by_date"),
    ("13", "new-litter-bins", "个", "at_least", "5825", "cumulative"),
    ("13", "new-sanitation-rest-places", "座", "at_least", "150", "cumulative"),
    ("13", "district-wet-waste-station-capacity", "吨/日", "at_least", "100", "cumulative"),
    ("14(1)", "construction-waste-reuse-rate", "%", "at_least", "60", "reach_by_date"),
    ("14(2)", "food-waste-key-unit-collection-coverage", "%", "at_least", "80", "reach_by_date"),
    ("15", "new-public-toilets", "座", "at_least", "1210", "cumulative"),
    ("15", "upgraded-public-toilets", "座", "at_least", "765", "cumulative"),
    ("15", "third-restrooms", "座", "at_least", "200", "cumulative"),
    ("15", "new-24h-public-toilets", "座", "at_least", "50", "cumulative"),
    ("15", "class1-toilet-share", "%", "at_least", "30", "maintained"),
    ("15", "class2-toilet-share", "%", "at_least", "50", "maintained"),
    ("16", "garbage-classification-coverage", "%", "at_least", "30", "reach_by_date"),
    ("16", "garbage-recycling-rate", "%", "at_least", "10", "reach_by_date"),
    ("18", "street-light-roads-upgraded", "条", "at_least", "30", "cumulative"),
    ("19", "black-odorous-water-bodies", "处", "eliminate", "0", "reach_by_date"),
    ("20", "small-ad-case-solving-rate", "%", "at_least", "80", "maintained"),
    ("20", "small-ad-cleaning-rate", "%", "at_least", "95", "maintained"),
]


def test_the_key_targets_are_in_the_database(seed_plan):
    for number, code, unit, direction, target, kind in KEY_TARGETS:
        indicator = Indicator.objects.get(task__number=number, code=code)
        assert (indicator.unit, indicator.direction, indicator.target, indicator.kind) == (
            unit, direction, Decimal(target), kind), code
        # Baselines are data: new work starts from 0; the levels to reach have none in the plan
        # (the first report is the baseline); a maintained level needs none.
        assert indicator.baseline == (0 if kind == "cumulative" else None), code
        assert indicator.deadline == (date(2020, 12, 31) if number == "3" else date(2018, 12, 31)), code
    assert Indicator.objects.count() == len(KEY_TARGETS)


def test_old_residential_areas_have_the_20_40_40_schedule(seed_plan):
    indicator = Indicator.objects.get(code="old-residential-area-upgrade-ratio")
    schedule = [(m.due, m.target) for m in indicator.milestones.all()]
    assert schedule == [(date(2018, 12, 31), 20), (date(2019, 12, 31), 60), (date(2020, 12, 31), 100)]
    steps = ChecklistItem.objects.filter(task__number="3", deadline__lt=date(2018, 12, 31))
    assert {(i.text, i.deadline) for i in steps} == {
        ("完成老旧小区摸底排查，建立老旧小区数据库", date(2018, 3, 31)),
        ("制定老旧小区整治提升方案", date(2018, 3, 31)),
        ("全面完成老旧小区试点的改造工作", date(2018, 6, 30)),
    }


def test_the_live_indicators_and_qualitative_tasks(seed_plan):
    """双十 and the small-ad rates are computed from the cases, the registries' figures from their history;
    tasks without a figure carry checklist items."""
    live = dict(Indicator.objects.exclude(source="").values_list("code", "source"))
    assert {code: source for code, source in live.items() if source.startswith("cases.")} == {
        "street-vending-double-ten-rate": "cases.double_ten",
        "small-ad-case-solving-rate": "cases.small_ad_solving",
        "small-ad-cleaning-rate": "cases.small_ad_cleaning"}
    assert {code: source for code, source in live.items() if source.startswith("assets.")} == {
        "manholes-rectified": "assets.manholes_rectified",
        "old-residential-area-upgrade-ratio": "assets.old_compounds_renovated_share",
        "new-public-parking-spaces": "assets.public_parking_spaces_built",
        "large-transfer-stations-started": "assets.transfer_stations_started",
        "new-litter-bins": "assets.bins_built", "new-sanitation-rest-places": "assets.rest_places_built",
        "new-public-toilets": "assets.toilets_built", "upgraded-public-toilets": "assets.toilets_upgraded",
        "third-restrooms": "assets.toilets_third_restroom_added",
        "new-24h-public-toilets": "assets.toilets_open_24h_added",
        "class1-toilet-share": "assets.toilets_class1_share", "class2-toilet-share": "assets.toilets_class2_share",
        "street-light-roads-upgraded": "assets.street_light_roads_upgraded",
        "black-odorous-water-bodies": "assets.black_odorous_water_bodies"}
    assert {code: source for code, source in live.items() if source.startswith("inspections.")} == {
        "road-facility-intact-rate": "inspections.road_facility_intact_rate",
        "dust-main-road-fast-lane": "inspections.dust_main_fast_lane", "dust-slow-lane": "inspections.dust_slow_lane",
        "dust-branch-back-street": "inspections.dust_branch_back_street",
        "dust-sidewalk": "inspections.dust_sidewalk"}
    assert len(live) == 22
    for number in ("4", "5", "6", "7", "8", "9(1)", "9(3)", "12", "17"):
        task = Task.objects.get(number=number)
        assert not task.indicators.exists() and task.checklist_items.count() >= 4, number


def test_an_unknown_live_source_is_refused(units, tmp_path):
    text = SMALL_PLAN.read_text(encoding="utf-8")
    path = tmp_path / "plan.yaml"
    path.write_text(text.replace("kind: maintained,", "kind: maintained, source: cases.nothing,"), encoding="utf-8")
    with pytest.raises(ValueError, match=r"cases\.nothing"):
        plan_load(path=path)
    assert not Indicator.objects.exists()


#: Every checklist deadline that is not the end of 2018, with the seed's wording for it.
OTHER_DEADLINES = {
    ("3", "完成老旧小区摸底排查，建立老旧小区数据库", date(2018, 3, 31)): "2018年3月底前，完成老旧小区的摸底排查工作",
    ("3", "制定老旧小区整治提升方案", date(2018, 3, 31)): "建立老旧小区数据库，制定老旧小区整治提升方案；6月底前",
    ("3", "全面完成老旧小区试点的改造工作", date(2018, 6, 30)): "6月底前，全面完成老旧小区试点的改造工作",
    ("13", "郑州东部垃圾焚烧发电厂建成并试运行", date(2019, 6, 30)): "郑州东部垃圾焚烧发电厂项目，2019年6月份前建成并试运行",
}


def test_checklist_deadlines_other_than_the_year_end_are_the_seeds(seed_plan, shared_dir):
    """The east incineration plant is due in June 2019, the old areas' first steps in March and June 2018."""
    text = seed_text(shared_dir)
    others = {(i.task.number, i.text, i.deadline)
              for i in ChecklistItem.objects.exclude(deadline=date(2018, 12, 31)).select_related("task")}
    assert others == set(OTHER_DEADLINES)
    for wording in OTHER_DEADLINES.values():
        assert wording in text, wording
    assert not Indicator.objects.exclude(task__number="3").exclude(deadline=date(2018, 12, 31)).exists()


def test_the_unit_and_target_counts(seed_plan):
    """Unit counts per task written out by hand from the seed: a dropped or added unit shows up here too."""
    explicit = dict(TaskUnit.objects.filter(collective="").values_list("task__number").annotate(
        n=Count("id")))
    assert explicit == {
        "1": 14, "2": 4, "3": 7, "4": 4, "5": 9, "6": 4, "7": 8, "8": 14, "9(1)": 2, "9(2)": 15, "9(3)": 4,
        "10": 2, "11": 6, "12": 1, "13": 3, "14(1)": 8, "14(2)": 7, "15": 6, "16": 24, "17": 6, "18": 5,
        "19": 4, "20": 7,
    }
    districts = set(TaskUnit.objects.filter(collective="各区（管委会）").values_list("task__number", flat=True))
    assert districts == {"1", "2", "3", "4", "5", "6", "8", "9(2)", "9(3)", "10", "11", "12", "13", "14(1)", "14(2)",
                         "15", "16", "17", "18", "19", "20"}
    assert set(TaskUnit.objects.filter(collective="各通讯运营商").values_list("task__number", flat=True)) == {"11"}
    leads = {t: list(TaskUnit.objects.filter(task__number=t, role="lead").values_list("unit__name", flat=True))
             for t in ("3", "4", "5", "9(1)", "9(3)", "17")}
    assert leads == {"3": ["市住房保障局"], "4": ["市市场发展局"], "5": ["市城建委"], "9(1)": ["市公安局"],
                     "9(3)": ["市交通委", "市公安局"], "17": ["市园林局"]}
