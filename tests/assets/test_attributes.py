"""Attribute values against the kind: typed or text input, one stored form, messages per attribute."""
import pytest

from jingzhi.assets.attributes import AttributeInvalid, attributes_clean, attributes_parse
from jingzhi.assets.kinds import asset_kind


def test_text_cells_become_typed_values():
    cleaned = attributes_clean(asset_kind("toilet"), {
        "toilet_class": "一类", "third_restroom": "是", "open_24h": "否", "opening_hours": " 6:00-22:00 ",
        "inside_third_ring": "", })
    assert cleaned == {"toilet_class": "一类", "third_restroom": True, "open_24h": False,
                       "opening_hours": "6:00-22:00"}


def test_choices_accept_their_labels_and_multichoice_keeps_the_kind_order():
    cleaned = attributes_clean(asset_kind("road"), {"road_class": "支路", "lanes": "人行道、fast", "length_m": "1,250.5"})
    assert cleaned == {"road_class": "支路", "lanes": ["fast", "sidewalk"], "length_m": 1250.5}


def test_a_derived_value_is_computed_never_typed():
    site = asset_kind("construction_site")
    assert attributes_clean(site, {"floor_area_m2": 10000, "video_required": False})["video_required"] is True
    assert attributes_clean(site, {"floor_area_m2": "9999.5"})["video_required"] is False


@pytest.mark.parametrize("raw, name, message", [
    ({}, "toilet_class", "必填"),
    ({"toilet_class": "四类"}, "toilet_class", "一类、二类、三类"),
    ({"toilet_class": "一类", "open_24h": "maybe"}, "open_24h", "是"),
    ({"toilet_class": "一类", "colour": "red"}, "colour", "不是该类台账的属性"),
])
def test_bad_values_name_the_attribute(raw, name, message):
    with pytest.raises(AttributeInvalid, match=message) as error:
        attributes_clean(asset_kind("toilet"), raw)
    assert error.value.name == name


def test_all_problems_are_listed_at_once():
    _cleaned, errors = attributes_parse(asset_kind("parking_lot"), {"public": "x", "spaces": "12.5"})
    assert [(e.name, str(e)) for e in errors] == [("public", "须为“是”或“否”。"), ("spaces", "须为整数。")]


@pytest.mark.parametrize("value", ["-3", "1e12", "NaN", "abc", True])
def test_numbers_are_bounded(value):
    with pytest.raises(AttributeInvalid):
        attributes_clean(asset_kind("parking_lot"), {"public": True, "spaces": value})
