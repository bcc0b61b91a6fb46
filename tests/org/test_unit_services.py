"""Creating units: by name (the unit directory, test fixtures) and by 区划代码 (geo's administrative areas)."""
import pytest

from jingzhi.org.models import Unit, UnitKind
from jingzhi.org.services import unit_get_or_create, unit_get_or_create_by_code

pytestmark = pytest.mark.django_db


def test_unit_get_or_create_creates_a_missing_unit_with_the_given_fields():
    parent = Unit.objects.create(name="测试市", kind=UnitKind.CITY_BUREAU)
    unit = unit_get_or_create(name="测试道路养护中心", kind=UnitKind.STATE_COMPANY, code="X1", parent=parent)
    assert (unit.name, unit.kind, unit.code, unit.parent) == ("测试道路养护中心", UnitKind.STATE_COMPANY, "X1", parent)
    assert Unit.objects.count() == 2


def test_unit_get_or_create_returns_the_unit_of_that_name_unchanged():
    existing = Unit.objects.create(name="测试道路养护中心", kind=UnitKind.CITY_BUREAU)
    unit = unit_get_or_create(name="测试道路养护中心", kind=UnitKind.STATE_COMPANY, code="X1")
    assert unit == existing
    existing.refresh_from_db()
    assert (existing.kind, existing.code) == (UnitKind.CITY_BUREAU, "")
    assert Unit.objects.count() == 1


def test_by_code_finds_the_unit_of_that_kind_and_code_whatever_its_name():
    existing = Unit.objects.create(name="金水区人民政府", kind=UnitKind.DISTRICT, code="410105")
    Unit.objects.create(name="金水区街道", kind=UnitKind.SUBDISTRICT, code="410105")  # same code, other kind
    assert unit_get_or_create_by_code(kind=UnitKind.DISTRICT, code="410105", name="金水区") == existing
    assert Unit.objects.count() == 2


def test_by_code_finds_the_oldest_of_several_units_with_that_kind_and_code():
    first = Unit.objects.create(name="甲", kind=UnitKind.DISTRICT, code="410105")
    Unit.objects.create(name="乙", kind=UnitKind.DISTRICT, code="410105")
    assert unit_get_or_create_by_code(kind=UnitKind.DISTRICT, code="410105", name="金水区") == first


def test_by_code_creates_a_missing_unit_under_its_plain_name():
    parent = Unit.objects.create(name="中牟县", kind=UnitKind.DISTRICT, code="410122")
    unit = unit_get_or_create_by_code(kind=UnitKind.SUBDISTRICT, code="410122001", name="东风路街道", parent=parent)
    assert (unit.name, unit.kind, unit.code, unit.parent) == ("东风路街道", UnitKind.SUBDISTRICT, "410122001", parent)


def test_by_code_names_a_new_unit_after_its_parent_when_the_plain_name_is_taken():
    Unit.objects.create(name="东风路街道", kind=UnitKind.SUBDISTRICT, code="410105001")
    parent = Unit.objects.create(name="中牟县", kind=UnitKind.DISTRICT, code="410122")
    unit = unit_get_or_create_by_code(kind=UnitKind.SUBDISTRICT, code="410122001", name="东风路街道", parent=parent)
    assert unit.name == "中牟县东风路街道" and unit.code == "410122001"


def test_by_code_names_a_new_unit_after_its_code_when_it_has_no_parent_and_the_name_is_taken():
    Unit.objects.create(name="东风路街道", kind=UnitKind.SUBDISTRICT, code="410105001")
    unit = unit_get_or_create_by_code(kind=UnitKind.SUBDISTRICT, code="410122001", name="东风路街道")
    assert unit.name == "东风路街道410122001" and unit.parent is None


def test_by_code_names_a_new_unit_after_its_code_when_the_parent_prefixed_name_is_taken_too():
    parent = Unit.objects.create(name="中牟县", kind=UnitKind.DISTRICT, code="410122")
    Unit.objects.create(name="东风路街道", kind=UnitKind.OTHER)
    Unit.objects.create(name="中牟县东风路街道", kind=UnitKind.OTHER)
    unit = unit_get_or_create_by_code(kind=UnitKind.SUBDISTRICT, code="410122001", name="东风路街道", parent=parent)
    assert unit.name == "东风路街道410122001" and unit.parent == parent
