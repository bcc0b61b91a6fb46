"""The shipped inspection templates against their sources (the seed plan, the standards reference,
the case catalogue, the asset kinds) and the loader's refusals."""
import re
from decimal import Decimal

import pytest
import yaml
from django.conf import settings

from jingzhi.inspections.checklists import TEMPLATE_DIR, TemplateError, template_parse, templates_all

SEED = "seed/zhengzhou-2018-refined-management-plan.txt"
REFERENCE = "docs/inspection-standards-reference.md"
REQUIRED = {"dust_sampling", "road_facility", "toilet_check", "construction_site", "market", "back_street",
            "double_ten", "street_lighting"}


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _raw(code: str) -> dict:
    return yaml.safe_load((TEMPLATE_DIR / f"{code}.yaml").read_text(encoding="utf-8"))


def test_every_template_the_issue_names_is_shipped_and_loads():
    assert set(templates_all()) >= REQUIRED


def test_every_seed_quote_is_in_the_seed(shared_dir):
    seed = _squash((shared_dir / SEED).read_text(encoding="utf-8"))
    quotes = {code: _raw(code).get("seed_quote") for code in templates_all()}
    assert sum(1 for quote in quotes.values() if quote) >= 6
    assert [code for code, quote in quotes.items() if quote and _squash(quote) not in seed] == []


def test_dust_limits_are_the_seeds_by_lane_class(shared_dir):
    """The seed's four 以克论净 limits, read from its text, are the template's limits."""
    seed = _squash((shared_dir / SEED).read_text(encoding="utf-8"))
    found = dict(re.findall(r"(主、次干道快车道|慢车道（含辅道）|支路背街|人行道（含门户小道）)积尘不超过(\d+)克/平方米", seed))
    assert found == {"主、次干道快车道": "5", "慢车道（含辅道）": "5", "支路背街": "10", "人行道（含门户小道）": "15"}
    dust = templates_all()["dust_sampling"]
    for lane in ("fast_lane", "slow_lane"):
        limit = dust.item(lane).limit
        assert limit.op == "at_most" and limit.by == "road_class"
        assert {road: limit.bound({"road_class": road}) for road in ("主干路", "次干路", "支路", "背街小巷")} == {
            "主干路": Decimal(found["主、次干道快车道"]), "次干路": Decimal(found["慢车道（含辅道）"]),
            "支路": Decimal(found["支路背街"]), "背街小巷": Decimal(found["支路背街"])}
    assert dust.item("sidewalk").limit.bound({"road_class": "主干路"}) == Decimal(found["人行道（含门户小道）"])


def test_toilet_limits_are_the_references_gb_17217_table(shared_dir):
    text = (shared_dir / REFERENCE).read_text(encoding="utf-8")
    flies = re.search(r"\| 成蝇 \| (\d+) \| (\d+) \| (\d+) \|", text).groups()
    odour = re.search(r"\| 臭味 grade \| (\d+) \| ≤(\d+) \| ≤(\d+) \|", text).groups()
    toilet = templates_all()["toilet_check"]
    for code, row in (("flies", flies), ("odour_grade", odour)):
        limit = toilet.item(code).limit
        assert [limit.bound({"toilet_class": c}) for c in ("一类", "二类", "三类")] == [Decimal(v) for v in row]
        assert limit.bound({}) == Decimal(row[0])  # unknown class: the strictest


def test_lighting_and_intact_rate_targets_are_the_references(shared_dir):
    text = (shared_dir / REFERENCE).read_text(encoding="utf-8")
    assert "主干道 98%; 次干道 and 支路 96%" in text and "道路设施完好率 ≥97%" in text
    lighting = templates_all()["street_lighting"].item("lighting_rate").limit
    assert lighting.bound({"road_class": "主干路"}) == Decimal("0.98")
    assert lighting.bound({"road_class": "次干路"}) == lighting.bound({"road_class": "支路"}) == Decimal("0.96")
    assert templates_all()["road_facility"].item("intact_rate").limit.bound(None) == Decimal("0.97")
    assert templates_all()["construction_site"].item("hoarding_height").limit.bound(None) == Decimal("1.8")


def test_every_failure_category_is_in_the_case_catalogue():
    document = yaml.safe_load((settings.DATA_DIR / "cases" / "catalogue.yaml").read_text(encoding="utf-8"))
    prefixes = {("C" if entry["kind"] == "component" else "E") + sub["code"]
                for entry in document["classes"] for sub in entry["subclasses"]}
    used = {item.category for template in templates_all().values() for item in template.items}
    assert used - prefixes == set()


KINDS = settings.DATA_DIR / "assets" / "kinds.yaml"


def test_every_template_is_about_an_asset_kind_and_its_attribute_values_exist():
    document = yaml.safe_load(KINDS.read_text(encoding="utf-8"))
    kinds = {kind["code"]: kind for kind in document["kinds"]}
    for template in templates_all().values():
        assert template.asset_kind in kinds, template.code
        attributes = {a["name"]: a for a in kinds[template.asset_kind]["attributes"]}
        for item in template.items:
            if item.limit and item.limit.by:
                choices = set(attributes[item.limit.by]["choices"])
                assert {value for value, _bound in item.limit.values} <= choices, (template.code, item.code)


@pytest.mark.parametrize("change, message", [
    ({"kind": "slider"}, "kind"),
    ({"limit": None, "kind": "measure"}, "limit"),
    ({"category": "0301"}, "category"),
    ({"points": 0}, "points"),
    ({"limit": {"below": 3}, "kind": "measure"}, "limit"),
])
def test_a_template_that_does_not_hold_together_is_refused(change, message):
    item = {"code": "a", "label": "A", "kind": "check", "category": "C0301", **change}
    with pytest.raises(TemplateError, match=message):
        template_parse({"code": "t", "version": 1, "name": "T", "asset_kind": "toilet", "items": [item]})


def test_duplicate_item_codes_are_refused():
    item = {"code": "a", "label": "A", "kind": "check", "category": "C0301"}
    with pytest.raises(TemplateError, match="unique"):
        template_parse({"code": "t", "version": 1, "name": "T", "asset_kind": "toilet", "items": [item, item]})
