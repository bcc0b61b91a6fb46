"""Registries fixtures: the two-district test geography and people of the usual roles."""
import pytest

from jingzhi.geo.testing import build_test_geography
from jingzhi.org.models import Role


@pytest.fixture
def geography(db):
    return build_test_geography()


@pytest.fixture
def office(make_user):
    return make_user(Role.PLAN_OFFICE, username="office")


@pytest.fixture
def district_a_reporter(make_user, geography):
    return make_user(Role.UNIT_REPORTER, unit=geography.district_a, username="reporter_a")


def point(lon_lat):
    return {"type": "Point", "coordinates": list(lon_lat)}
