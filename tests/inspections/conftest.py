"""Fixtures for the inspection tests: the geo test geography, the case categories the templates
report into, a toilet and a road in district A, the office, inspectors and a round."""
import pytest
from django.utils import timezone

from jingzhi.assets.services import asset_create
from jingzhi.cases.models import CategoryKind
from jingzhi.inspections.services import round_plan
from jingzhi.org.models import Role
from tests.cases.conftest import at, make_category

__all__ = ["at", "make_category"]


@pytest.fixture
def geography(db):
    from jingzhi.geo.testing import build_test_geography

    return build_test_geography()


@pytest.fixture
def categories(make_category):
    """The small classes the toilet and dust templates report into (C0301 公共厕所, E0104 道路不洁)."""
    return {"C0301": make_category("0301", "公共厕所", kind=CategoryKind.COMPONENT),
            "E0104": make_category("0104", "道路不洁")}


def _point(lon_lat):
    return {"type": "Point", "coordinates": list(lon_lat)}


@pytest.fixture
def toilet(geography):
    return asset_create(kind="toilet", code="GC-001", name="金水路公厕", geometry=_point(geography.inside_a),
                        attributes={"toilet_class": "二类"})


@pytest.fixture
def road(geography):
    lon, lat = geography.inside_a
    return asset_create(kind="road", code="RD-001", name="经三路", attributes={"road_class": "主干路"},
                        geometry={"type": "LineString", "coordinates": [[lon - 0.002, lat], [lon + 0.002, lat]]})


@pytest.fixture
def people(geography, make_user):
    office_unit = geography.road_maintainer
    return {
        "office": make_user(Role.PLAN_OFFICE, unit=office_unit, username="office", display_name="精细办王敏"),
        "inspector": make_user(Role.INSPECTOR, unit=geography.district_a, username="insp_a", display_name="监督员甲"),
        "other_inspector": make_user(Role.INSPECTOR, unit=geography.district_b, username="insp_b"),
        "handler_b": make_user(Role.HANDLER, unit=geography.district_b, username="handler_b"),
    }


@pytest.fixture
def toilet_round(people, toilet):
    return round_plan(planner=people["office"], name="金水区公厕日督查", template_code="toilet_check",
                      date=timezone.localdate(), inspector=people["inspector"], assets=[toilet])


#: A toilet check where everything passes but the floor (not clean).
TOILET_FAILING_FLOOR = {"open_as_posted": True, "hours_posted": True, "floor_clean": False, "cleaning_log": True,
                        "odour_grade": 1, "flies": 2, "facilities_intact": True}

