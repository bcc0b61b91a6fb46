"""Boundary loading, generated sub-districts and the shipped data files, checked against their source."""
import csv
import hashlib
import io
import json

import numpy as np
import pytest
import shapely
from django.conf import settings
from django.core.management import call_command
from shapely.geometry import shape

from jingzhi.geo.coords import CoordSystem, gcj02_to_wgs84
from jingzhi.geo.models import Area, AreaLevel, GeographyVersion
from jingzhi.geo.parsing import subdistrict_codes_read
from jingzhi.geo.routing import geography_token
from jingzhi.geo.selectors import locate_points
from jingzhi.geo.services import boundaries_load, subdistricts_generate
from jingzhi.org.models import Unit, UnitKind

pytestmark = pytest.mark.django_db
BOUNDARIES = settings.DATA_DIR / "geo" / "zhengzhou_410100_full.geojson"
SUBDISTRICTS = settings.DATA_DIR / "geo" / "zhengzhou_4101_subdistricts.csv"
ADCODES = {"410102": "中原区", "410103": "二七区", "410104": "管城回族区", "410105": "金水区", "410106": "上街区",
           "410108": "惠济区", "410122": "中牟县", "410181": "巩义市", "410182": "荥阳市", "410183": "新密市",
           "410184": "新郑市", "410185": "登封市"}


@pytest.mark.parametrize("name", ["zhengzhou_410100_full.geojson", "zhengzhou_4101_subdistricts.csv"])
def test_shipped_files_are_unchanged_copies_of_the_shared_data(shared_dir, name):
    shipped = (settings.DATA_DIR / "geo" / name).read_bytes()
    assert hashlib.sha256(shipped).digest() == hashlib.sha256((shared_dir / "data" / name).read_bytes()).digest()


def test_loading_creates_the_twelve_districts_in_wgs84_and_is_idempotent():
    assert boundaries_load(path=BOUNDARIES) == {"created": 12, "updated": 0, "unchanged": 0}
    token = geography_token()
    assert boundaries_load(path=BOUNDARIES) == {"created": 0, "updated": 0, "unchanged": 12}
    assert geography_token() == token
    areas = Area.objects.filter(level=AreaLevel.DISTRICT)
    assert {area.code: area.name for area in areas} == ADCODES
    assert all(area.unit.kind == UnitKind.DISTRICT and area.unit.code == area.code for area in areas)
    assert Unit.objects.get(code="410122").name == "中牟县"
    source = json.loads(BOUNDARIES.read_text(encoding="utf-8"))["features"][3]  # 金水区
    first_vertex = source["geometry"]["coordinates"][0][0][0]
    stored = shape(json.loads(Area.objects.get(code="410105").geometry))
    expected = tuple(map(float, gcj02_to_wgs84(*first_vertex)))
    vertices = shapely.get_coordinates(stored)  # set_precision may start rings elsewhere
    assert np.abs(vertices - expected).max(axis=1).min() < 1e-7
    assert stored.is_valid and stored.area == pytest.approx(shape(source["geometry"]).area, rel=1e-3)


def test_load_boundaries_command_reports_counts(tmp_path):
    out = io.StringIO()
    call_command("load_boundaries", str(BOUNDARIES), "--coord-system", "gcj02", stdout=out, stderr=io.StringIO())
    assert "12 created" in out.getvalue()


def test_source_pois_fall_in_their_labelled_district(shared_dir):
    """The shared POI file (GCJ-02) labels each POI with its district: routing must agree."""
    boundaries_load(path=BOUNDARIES)
    with (shared_dir / "data" / "zhengzhou_food_poi_gcj02.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    points = [(float(row["GCJ02_经度"]), float(row["GCJ02_纬度"])) for row in rows]
    locations = locate_points(points=points, coord_system=CoordSystem.GCJ02)
    agree = sum(1 for row, loc in zip(rows, locations) if loc.district and loc.district.name == row["区县"])
    assert len(rows) == 2177 and agree >= 2150  # SOURCES.md: 2,163 agree when both stay in GCJ-02


def test_sub_district_code_list_matches_its_source():
    entries = subdistrict_codes_read(SUBDISTRICTS)
    assert sum(len(rows) for rows in entries.values()) == 208
    assert len(entries["410105"]) == 24 and entries["410102"][0] == ("410102001", "林山寨街道")
    assert all(code.startswith(district) and len(code) == 9 for district, rows in entries.items() for code, _ in rows)


def test_generated_sub_districts_tile_the_district_and_rerun_changes_nothing():
    boundaries_load(path=BOUNDARIES)
    district = Area.objects.get(code="410105")
    entries = subdistrict_codes_read(SUBDISTRICTS)["410105"]
    assert subdistricts_generate(district=district, entries=entries)["created"] == 24
    token = GeographyVersion.objects.get().token
    assert subdistricts_generate(district=district, entries=entries) == {
        "created": 0, "updated": 0, "unchanged": 24, "deleted": 0}
    assert GeographyVersion.objects.get().token == token
    children = list(district.children.order_by("code"))
    assert [(c.code, c.name) for c in children] == entries and all(c.generated for c in children)
    assert all(c.unit.kind == UnitKind.SUBDISTRICT and c.unit.parent == district.unit for c in children)
    pieces = [shape(json.loads(c.geometry)) for c in children]
    whole = shape(json.loads(district.geometry))
    assert sum(p.area for p in pieces) == pytest.approx(whole.area, rel=1e-4)  # no overlaps
    assert shapely.union_all(pieces).symmetric_difference(whole).area < whole.area * 1e-4  # no gaps
    sizes = np.array([p.area for p in pieces])
    assert sizes.min() > sizes.mean() / 6  # Lloyd relaxation keeps pieces comparable


def test_duplicate_sub_district_names_get_distinct_units():
    boundaries_load(path=BOUNDARIES)
    entries = subdistrict_codes_read(SUBDISTRICTS)
    for code in ("410105", "410122"):  # 金水区 and 中牟县 both have a 东风路街道
        subdistricts_generate(district=Area.objects.get(code=code), entries=entries[code])
    assert Unit.objects.filter(kind=UnitKind.SUBDISTRICT).count() == 24 + 17
    assert Unit.objects.get(code="410105010").name == "东风路街道"
    assert Unit.objects.get(code="410122002").name == "中牟县东风路街道"


def test_commands_generate_sub_districts_and_grids_idempotently():
    boundaries_load(path=BOUNDARIES)
    quiet = {"stdout": io.StringIO(), "stderr": io.StringIO()}
    call_command("generate_subdistricts", "--district", "410104", **quiet)
    assert Area.objects.filter(parent__code="410104", level=AreaLevel.SUBDISTRICT).count() == 14
    bbox = "113.68,34.74,113.70,34.755"
    call_command("generate_grids", "--district", "410104", "--bbox", bbox, **quiet)
    out = io.StringIO()
    call_command("generate_grids", "--district", "410104", "--bbox", bbox, stdout=out, stderr=io.StringIO())
    assert "0 created, 0 updated" in out.getvalue() and "0 deleted, 0 communities_changed" in out.getvalue()


SQUARE = {"type": "Polygon", "coordinates": [[[113.6, 34.7], [113.61, 34.7], [113.61, 34.71], [113.6, 34.7]]]}


@pytest.mark.parametrize("feature, message", [
    ({"type": "Feature", "properties": {"name": "无代码区"}, "geometry": SQUARE}, "adcode and name"),
    ({"type": "Feature", "properties": {"adcode": 419999, "name": "某区", "level": "planet"}, "geometry": SQUARE},
     "unknown level"),
    ({"type": "Feature", "properties": {"adcode": 419999, "name": "某区"}, "geometry": {"type": "Nope"}},
     "not valid GeoJSON"),
    ({"type": "Feature", "properties": {"adcode": 419999, "name": "某区"},
      "geometry": {"type": "Point", "coordinates": [113.6, 34.7]}}, "Polygon or MultiPolygon"),
])
def test_a_bad_boundary_feature_is_a_command_error_and_loads_nothing(tmp_path, feature, message):
    from django.core.management import CommandError

    good = {"type": "Feature", "properties": {"adcode": 419998, "name": "好区"}, "geometry": SQUARE}
    path = tmp_path / "bad.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [good, feature]}), encoding="utf-8")
    with pytest.raises(CommandError) as error:
        call_command("load_boundaries", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    assert "feature 2:" in str(error.value) and message in str(error.value)
    assert not Area.objects.exists()
