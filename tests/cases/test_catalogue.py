"""The shipped catalogue against its source (the 2018 Zhengzhou plan) and its loader."""
import importlib
import re

import pytest
import yaml
from django.conf import settings
from django.core.management import CommandError, call_command

from jingzhi.cases.catalogue import CatalogueError, catalogue_load
from jingzhi.cases.models import Category, CategoryClass
from jingzhi.org.services import units_load

CATALOGUE = settings.DATA_DIR / "cases" / "catalogue.yaml"
SEED = "seed/zhengzhou-2018-refined-management-plan.txt"

#: Every problem the seed plan names (its own words) → the small class that files it.
SEED_PROBLEMS = {
    "窞井": "污水井盖", "坑槽": "车行道路面", "排水管涵": "排水管涵", "桥梁": "桥梁", "围挡": "围挡",
    "违章搭建": "违章建筑", "破损道路": "车行道路面", "老旧管线": "架空线缆", "路灯": "路灯", "停车泊位": "停车泊位",
    "积存垃圾": "积存垃圾渣土", "卫生死角": "暴露垃圾", "环卫设施": "垃圾箱/垃圾桶", "占道经营": "无照经营游商",
    "流动商贩": "无照经营游商", "摆摊设点": "无照经营游商", "倚门出摊": "店外经营", "乱拉篷布": "乱拉篷布",
    "乱搭乱盖": "私搭乱建", "招牌": "门头招牌", "灯箱": "电子灯箱/显示屏", "非机动车": "非机动车乱停放",
    "逆向停车": "机动车乱停放", "占用盲道": "机动车乱停放", "扬尘": "工地扬尘", "黑臭沟塘": "沟塘/明渠",
    "黑臭水体": "河道/水体", "残墙断壁": "残墙断壁", "乱堆乱放": "乱堆物料", "乱拉乱挂": "非装饰性树挂",
    "乱涂乱画": "乱涂乱画", "公厕": "公共厕所", "果皮箱": "果皮箱", "交通标志": "交通标志牌", "道路标线": "道路标线",
    "交通护栏": "交通护栏", "六类车": "六类车非法行驶", "非法营运": "黑车拉客", "油烟": "餐饮油烟未达标排放",
    "架空通信线缆": "架空线缆", "无证犬": "无证犬", "违规遛犬": "违规遛犬", "犬粪": "犬粪未清理", "流浪犬": "流浪犬",
    "无证运输": "渣土车无证运输", "不密闭运输": "渣土车未密闭运输", "沿途遗撒": "渣土沿途遗撒",
    "随意倾倒餐厨垃圾": "餐厨垃圾随意倾倒", "私收": "私收私运餐厨垃圾", "垃圾分类": "生活垃圾未分类投放",
    "行道树": "行道树", "树穴": "树穴/树池", "绿篱": "绿篱", "花坛": "花坛/花带", "黄土裸露": "绿地",
    "园林设施": "园林设施", "小广告": "非法小广告", "户外广告": "违法设置户外广告", "布）幅广告": "布幅广告",
    "候车亭": "公交站亭", "外立面": "建筑物外立面",
}


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def document():
    return yaml.safe_load(CATALOGUE.read_text(encoding="utf-8"))


def _subclasses(document):
    return [sub for entry in document["classes"] for sub in entry["subclasses"]]


def test_every_seed_quote_is_in_the_seed(document, shared_dir):
    seed = _squash((shared_dir / SEED).read_text(encoding="utf-8"))
    quotes = [sub["seed_quote"] for sub in _subclasses(document) if sub.get("seed_quote")]
    assert len(quotes) > 30
    missing = [quote for quote in quotes if _squash(quote) not in seed]
    assert not missing


def test_every_problem_of_the_seed_has_a_small_class(document, shared_dir):
    seed = _squash((shared_dir / SEED).read_text(encoding="utf-8"))
    names = {sub["name"] for sub in _subclasses(document)}
    assert [term for term in SEED_PROBLEMS if term not in seed] == []
    assert [name for name in SEED_PROBLEMS.values() if name not in names] == []


def test_the_double_ten_standard_is_in_the_catalogue(document):
    vending = next(sub for sub in _subclasses(document) if sub["name"] == "无照经营游商")
    assert [(step["value"], step["unit"]) for step in vending["on_site_steps"]] == [(10, "natural_minutes")] * 2
    assert "十分钟内" in vending["seed_quote"]


@pytest.mark.django_db
def test_it_loads_idempotently():
    units_load(path=settings.DATA_DIR / "org" / "zhengzhou-units.yaml")
    first = catalogue_load(path=CATALOGUE)
    assert first["created"] == CategoryClass.objects.count() + Category.objects.count() and not first["updated"]
    assert catalogue_load(path=CATALOGUE) == {"created": 0, "updated": 0, "unchanged": first["created"]}
    vending = Category.objects.get(category_class__kind="event", code="0501")
    assert vending.number_prefix == "E0501"
    assert vending.time_limit(urgency="normal", stage="handle") == {"value": 20, "unit": "natural_minutes"}
    # Defaults fill what a small class does not override.
    cover = Category.objects.get(category_class__kind="component", code="0101")
    assert cover.time_limit(urgency="normal", stage="dispatch") == {"value": 30, "unit": "natural_minutes"}
    assert cover.department_unit.name == "郑州市自来水投资控股有限公司"
    # The duplicate radius: the file's default, and a small class's own where it sets one.
    radii = dict(Category.objects.values_list("name", "duplicate_radius_m"))
    assert radii["上水井盖"] == 250 and radii["桥梁"] == 500 and radii["河道/水体"] == 500
    assert radii["机动车乱停放"] == 50


@pytest.mark.django_db
@pytest.mark.parametrize("radius", ["0", "9000", "'250'"])
def test_it_refuses_a_duplicate_radius_out_of_bounds(tmp_path, radius):
    text = CATALOGUE.read_text(encoding="utf-8").replace("duplicate_radius_m: 50\n", f"duplicate_radius_m: {radius}\n")
    path = tmp_path / "catalogue.yaml"
    path.write_text(text, encoding="utf-8")
    units_load(path=settings.DATA_DIR / "org" / "zhengzhou-units.yaml")
    with pytest.raises(CatalogueError, match="duplicate_radius_m is a whole number of metres from 1 to 5000"):
        catalogue_load(path=path)
    assert not Category.objects.exists()


@pytest.mark.django_db
def test_it_refuses_an_unknown_unit(tmp_path):
    text = CATALOGUE.read_text(encoding="utf-8").replace("unit: 市交警支队", "unit: 市不存在局", 1)
    path = tmp_path / "catalogue.yaml"
    path.write_text(text, encoding="utf-8")
    units_load(path=settings.DATA_DIR / "org" / "zhengzhou-units.yaml")
    with pytest.raises(CommandError, match="unknown unit '市不存在局'"):
        call_command("load_catalogue", path=path)
    assert not Category.objects.exists()


@pytest.mark.django_db
def test_it_refuses_a_catalogue_missing_a_kind(tmp_path):
    path = tmp_path / "catalogue.yaml"
    path.write_text("defaults: {time_limits: {}}\nclasses:\n  - {kind: event, code: '01', name: x, subclasses: []}\n",
                    encoding="utf-8")
    with pytest.raises(CatalogueError, match="both kinds"):
        catalogue_load(path=path)


def test_categories_loaded_before_the_intake_clock_get_its_default_limits(make_category):
    from django.apps import apps

    intake_stage = importlib.import_module("jingzhi.cases.migrations.0003_intake_stage")
    old = make_category("0199", "旧小类")
    for urgency in old.time_limits:
        old.time_limits[urgency].pop("intake", None)
    old.save()
    current = make_category("0198", "新小类", intake=(2, "working_hours"))
    intake_stage.intake_limits_add(apps, None)
    old.refresh_from_db()
    current.refresh_from_db()
    assert old.time_limit(urgency="normal", stage="intake") == {"value": 4, "unit": "working_hours"}
    assert old.time_limit(urgency="urgent", stage="intake") == {"value": 1, "unit": "natural_hours"}
    assert old.time_limit(urgency="normal", stage="handle") == {"value": 2, "unit": "working_days"}  # untouched
    assert current.time_limit(urgency="normal", stage="intake") == {"value": 2, "unit": "working_hours"}


def test_reports_waiting_before_the_intake_clock_get_it_from_their_report(staff, make_case):
    from django.apps import apps
    from django.utils import timezone

    from jingzhi.cases.escalation import cases_escalate_overdue
    from jingzhi.cases.models import Case, CaseEvent, Notification
    from jingzhi.cases.workflow import State

    from .conftest import at

    intake_stage = importlib.import_module("jingzhi.cases.migrations.0003_intake_stage")
    old = make_case(State.ACCEPTED, now=at("2024-06-07 15:00"))
    fresh = make_case(State.REPORTED)  # reported just now: its deadline is ahead
    filed = make_case(State.FILED)  # on the dispatch clock already: left alone
    Case.objects.filter(pk__in=[old.pk, fresh.pk]).update(stage="", stage_started_at=None, stage_deadline=None)
    filed_clock = Case.objects.values_list("stage", "stage_deadline", "escalated_at").get(pk=filed.pk)
    notices = Notification.objects.count()
    intake_stage.intake_clocks_start(apps, None)
    old.refresh_from_db()
    fresh.refresh_from_db()
    # Fri 15:00 + 4 working hours: Fri 2.5 h, then Tue 11 June (Mon is 端午节) 08:30 + 1.5 h.
    assert (old.stage, old.stage_started_at, old.stage_deadline) == (
        "intake", at("2024-06-07 15:00"), at("2024-06-11 10:00"))
    # Long overdue: recorded as escalated by the upgrade, quietly; the job does not notify it again.
    escalation = CaseEvent.objects.get(case=old, action="escalate")
    assert (escalation.actor_role, escalation.data["upgrade"], old.escalated_at) == ("system", True,
                                                                                     escalation.created_at)
    assert fresh.stage == "intake" and fresh.stage_deadline > timezone.now() and fresh.escalated_at is None
    assert cases_escalate_overdue() == 0 and Notification.objects.count() == notices
    assert Case.objects.values_list("stage", "stage_deadline", "escalated_at").get(pk=filed.pk) == filed_clock
