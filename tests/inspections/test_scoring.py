"""The scoring core worked by hand: 以克论净 against the lane-class limits, ratios, class limits,
the score and the refusals of impossible values."""
from decimal import Decimal

import pytest

from jingzhi.inspections.checklists import templates_all
from jingzhi.inspections.scoring import ItemValueError, aggregate, inspection_evaluate

DUST = templates_all()["dust_sampling"]


def _samples(*points):
    return [{"net_g": grams, "frame_m2": area} for grams, area in points]


#: One road's sample points (net grams, frame m²), the same for both road classes below.
#: fast lane: 4.2, 5.6, 4.9 g on 1 m²           → (4.2 + 5.6 + 4.9) / 3 = 14.7 / 3 = 4.9 g/m²
#: slow lane: 6.0 g on 1 m², 4.5 g on 0.5 m²    → (6.0 + 9.0) / 2 = 7.5 g/m²
#: sidewalk: 12 g on 1 m², 16.5 g on 1 m²       → (12 + 16.5) / 2 = 14.25 g/m²
ROAD = {"fast_lane": _samples((4.2, 1), (5.6, 1), (4.9, 1)), "slow_lane": _samples((6.0, 1), (4.5, 0.5)),
        "sidewalk": _samples((12, 1), (16.5, 1))}


def test_a_main_road_fails_on_its_slow_lane_only():
    """主干路: fast 4.9 ≤ 5 passes, slow 7.5 > 5 fails, sidewalk 14.25 ≤ 15 passes; 20 of 30 points."""
    result = inspection_evaluate(DUST, ROAD, attributes={"road_class": "主干路"})
    outcome = {item.code: item for item in result.items}
    assert outcome["fast_lane"].figure == Decimal("4.9") and outcome["fast_lane"].passed is True
    assert outcome["slow_lane"].figure == Decimal("7.5") and outcome["slow_lane"].passed is False
    assert outcome["slow_lane"].points == (Decimal("6.0"), Decimal("9.0"))
    assert outcome["sidewalk"].figure == Decimal("14.25") and outcome["sidewalk"].passed is True
    assert [item.code for item in result.failed] == ["slow_lane"]
    assert result.score == Decimal("66.7") and result.passed is False


def test_the_same_samples_pass_on_a_back_street():
    """背街小巷: the carriageway limit is 10, so 4.9 and 7.5 pass; the road passes with 100."""
    result = inspection_evaluate(DUST, ROAD, attributes={"road_class": "背街小巷"})
    assert [item.bound for item in result.items] == [Decimal(10), Decimal(10), Decimal(15)]
    assert result.failed == () and result.score == Decimal(100) and result.passed is True


def test_a_lane_at_the_limit_passes_and_a_hair_over_fails():
    at_limit = inspection_evaluate(DUST, {"fast_lane": _samples((5, 1), (4, 1), (6, 1))},
                                   attributes={"road_class": "次干路"})
    assert at_limit.passed is True  # (5 + 4 + 6) / 3 = 5.0
    over = inspection_evaluate(DUST, {"fast_lane": _samples((5, 1), (4, 1), (6.012, 1))},
                               attributes={"road_class": "次干路"})
    assert over.items[0].figure == Decimal("5.004") and over.passed is False


def test_a_lane_class_the_road_lacks_counts_neither_way():
    result = inspection_evaluate(DUST, {"fast_lane": _samples((3, 1), (3, 1)), "sidewalk": _samples((20, 1))},
                                 attributes={"road_class": "支路"})
    assert [item.passed for item in result.items] == [True, None, False]
    assert result.score == Decimal("50.0")


def test_fewer_than_three_points_per_road_are_refused():
    with pytest.raises(ItemValueError) as error:
        inspection_evaluate(DUST, {"fast_lane": _samples((3, 1), (3, 1))}, attributes={"road_class": "支路"})
    assert error.value.field == "results"


def test_the_median_of_an_even_count_is_the_mean_of_the_middle_two():
    assert aggregate([Decimal(6), Decimal(9), Decimal(3)], "median") == Decimal(6)
    assert aggregate([Decimal(1), Decimal(9), Decimal(3), Decimal(4)], "median") == Decimal("3.5")


def test_a_toilets_flies_are_judged_by_its_class():
    """3 flies: within 二类's 3, over 一类's 0. The rest passes; flies weigh 10 of 100 points."""
    toilet = templates_all()["toilet_check"]
    values = {"open_as_posted": True, "hours_posted": True, "floor_clean": True, "cleaning_log": True,
              "odour_grade": 1, "flies": 3, "facilities_intact": True}
    second = inspection_evaluate(toilet, values, attributes={"toilet_class": "二类"})
    assert second.passed is True and second.score == Decimal(100)
    first = inspection_evaluate(toilet, values, attributes={"toilet_class": "一类"})
    assert [item.code for item in first.failed] == ["flies"]
    assert first.score == Decimal("88.9")  # the third restroom is not applicable: 80 of 90 points


def test_a_lighting_rate_is_lit_over_should_be_lit():
    """主干路: 485 / 500 = 97 % < 98 % fails; 次干路: ≥ 96 % passes. Intact 96 / 100 ≥ 95 %."""
    lighting = templates_all()["street_lighting"]
    values = {"lighting_rate": {"numerator": 485, "denominator": 500},
              "intact_rate": {"numerator": 96, "denominator": 100}, "doors_in_place": True}
    main = inspection_evaluate(lighting, values, attributes={"road_class": "主干路"})
    assert main.items[0].figure == Decimal("0.97") and main.items[0].passed is False
    assert main.score == Decimal("40.0")  # 30 + 10 of 100 points
    assert inspection_evaluate(lighting, values, attributes={"road_class": "次干路"}).passed is True


@pytest.mark.parametrize("values, field", [
    ({"fast_lane": [{"net_g": "abc"}] * 3}, "fast_lane"),
    ({"fast_lane": [{"net_g": -1}] * 3}, "fast_lane"),
    ({"fast_lane": [{"net_g": 1, "frame_m2": 0}] * 3}, "fast_lane"),
    ({"fast_lane": [{"net_g": "NaN"}] * 3}, "fast_lane"),
    ({"fast_lane": [{"net_g": 1}] * 51}, "fast_lane"),
    ({"fast_lane": "4.2"}, "fast_lane"),
    ({"nonsense": True}, "results"),
    ({}, "results"),
])
def test_impossible_values_are_refused_by_field(values, field):
    with pytest.raises(ItemValueError) as error:
        inspection_evaluate(DUST, values, attributes={})
    assert error.value.field == field


def test_a_ratio_above_one_and_a_missing_required_item_are_refused():
    lighting = templates_all()["street_lighting"]
    with pytest.raises(ItemValueError, match="分子"):
        inspection_evaluate(lighting, {"lighting_rate": {"numerator": 5, "denominator": 4}})
    with pytest.raises(ItemValueError) as error:
        inspection_evaluate(lighting, {"lighting_rate": {"numerator": 4, "denominator": 4}})
    assert error.value.field == "intact_rate"
