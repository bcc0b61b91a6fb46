"""History: the registry answers "on that date" questions from its events, counted here by hand."""
from datetime import date

import pytest

from jingzhi.assets.models import AssetChange
from jingzhi.assets.selectors import asset_events_between, assets_as_of
from jingzhi.assets.services import asset_change, asset_create

from .conftest import point

pytestmark = pytest.mark.django_db


@pytest.fixture
def toilets(geography, office):
    """Five toilets and their changes through 2018 (the expected counts are worked out in each test)."""
    def toilet(code, toilet_class, built_on=None):
        return asset_create(kind="toilet", code=code, name=f"公厕{code}", geometry=point(geography.inside_a),
                            attributes={"toilet_class": toilet_class}, built_on=built_on, actor=office)

    t1 = toilet("T1", "二类")                            # existed before the registry
    asset_change(asset=t1, change=AssetChange.UPGRADED, on=date(2018, 5, 10), attributes={"toilet_class": "一类"})
    toilet("T2", "一类", built_on=date(2018, 3, 1))       # new in 2018
    t3 = toilet("T3", "三类")
    asset_change(asset=t3, change=AssetChange.REMOVED, on=date(2018, 8, 1))
    toilet("T4", "一类", built_on=date(2018, 10, 15))     # new, but after 30 September
    t5 = toilet("T5", "二类")
    asset_change(asset=t5, change=AssetChange.CLASS_CHANGED, on=date(2018, 10, 1), attributes={"toilet_class": "一类"})


def class_one_share(on):
    states = assets_as_of(kind="toilet", on=on)
    return sum(s.attributes["toilet_class"] == "一类" for s in states), len(states)


def test_share_of_class_one_toilets_on_30_september_2018(toilets):
    # On 2018-09-30: T1 (upgraded to 一类 in May), T2 (一类), T5 (still 二类); T3 removed in August,
    # T4 not built yet → 2 of 3.
    assert class_one_share(date(2018, 9, 30)) == (2, 3)
    assert [s.code for s in assets_as_of(kind="toilet", on=date(2018, 9, 30))] == ["T1", "T2", "T5"]


def test_share_of_class_one_toilets_on_30_april_2018(toilets):
    # T1 二类 (not upgraded yet), T2 一类, T3 三类 (not removed yet), T5 二类 → 1 of 4.
    assert class_one_share(date(2018, 4, 30)) == (1, 4)


def test_at_the_end_of_2018_every_remaining_toilet_is_class_one(toilets):
    assert class_one_share(date(2018, 12, 31)) == (4, 4)


def test_new_and_upgraded_toilets_in_2018_are_events(toilets):
    built = asset_events_between(kind="toilet", change=AssetChange.BUILT, start=date(2018, 1, 1), end=date(2018, 12, 31))
    assert [event.asset.code for event in built] == ["T2", "T4"]
    upgraded = asset_events_between(kind="toilet", change=AssetChange.UPGRADED,
                                    start=date(2018, 1, 1), end=date(2018, 12, 31))
    assert [event.asset.code for event in upgraded] == ["T1"]
    assert asset_events_between(kind="toilet", change=None, start=date(2018, 8, 1), end=date(2018, 8, 1)).count() == 1
