"""The asset kinds file: every kind the plan names, each quoting the plan, with case categories that exist."""
import pytest
import yaml
from django.conf import settings

from jingzhi.assets.kinds import KindsFileError, asset_kind, asset_kinds, kinds_parse

SEED_NAME = "seed/zhengzhou-2018-refined-management-plan.txt"
PLAN_KINDS = {"toilet", "road", "street_light", "river", "construction_site", "parking_lot", "bin",
              "transfer_station", "rest_place", "market", "outdoor_ad", "old_compound", "manhole",
              "drainage_pipe", "bridge"}


def test_every_kind_the_plan_names_is_there():
    assert {kind.code for kind in asset_kinds()} == PLAN_KINDS


def test_each_kind_quotes_the_seed_plan(shared_dir):
    text = (shared_dir / SEED_NAME).read_text(encoding="utf-8")
    missing = [kind.code for kind in asset_kinds() if not kind.plan_quote or kind.plan_quote not in text]
    assert missing == []


def test_each_case_category_is_in_the_catalogue():
    catalogue = yaml.safe_load((settings.DATA_DIR / "cases" / "catalogue.yaml").read_text(encoding="utf-8"))
    codes = {("C" if cls["kind"] == "component" else "E") + str(sub["code"])
             for cls in catalogue["classes"] for sub in cls["subclasses"]}
    unknown = {kind.code: [c for c in kind.categories if c not in codes] for kind in asset_kinds()}
    assert {k: v for k, v in unknown.items() if v} == {}


def test_the_plan_targets_fields_are_there():
    toilet = asset_kind("toilet")
    assert toilet.attribute("toilet_class").choices == ("一类", "二类", "三类")
    assert {"third_restroom", "open_24h", "opening_hours", "inside_third_ring"} <= {a.name for a in toilet.attributes}
    assert asset_kind("construction_site").attribute("video_required").derived.at_least == 10000
    assert asset_kind("road").keeper_role == "路长" and asset_kind("river").keeper_role == "河长"
    assert asset_kind("road").geometry_types == ("LineString", "MultiLineString")


def test_an_unknown_kind_is_a_key_error():
    with pytest.raises(KeyError):
        asset_kind("spaceport")


@pytest.mark.parametrize("entry, message", [
    ({"geometry": "blob"}, "geometry"),
    ({"categories": ["0301"]}, "categories"),
    ({"attributes": [{"name": "x", "label": "x", "type": "colour"}]}, "unknown type"),
    ({"attributes": [{"name": "x", "label": "x", "type": "choice"}]}, "choices"),
    ({"attributes": [{"name": "x", "label": "x", "type": "bool", "derived": {"from": "y", "at_least": 1}}]},
     "derived"),
])
def test_a_broken_kinds_file_is_refused_naming_the_kind(entry, message):
    base = {"code": "thing", "label": "物", "geometry": "point", "keeper_role": "人", "categories": ["C0301"]}
    with pytest.raises(KindsFileError, match=message) as error:
        kinds_parse({"kinds": [{**base, **entry}]})
    assert "thing" in str(error.value)
