import pytest

from jingzhi.geo.testing import build_test_geography
from jingzhi.org.models import Role


@pytest.fixture
def geography(db):
    return build_test_geography()


@pytest.fixture
def staff_api(api_client_for, make_user):
    return api_client_for(make_user(Role.INSPECTOR))
