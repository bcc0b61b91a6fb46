"""Importing registry files through the page: the row/column report, nothing written on a problem,
coordinates in GCJ-02 / BD-09 landing where they really are, bounds and refusals."""
import csv
import io
import re

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook, load_workbook

from jingzhi.assets.models import Asset, AssetImport, ImportStatus
from jingzhi.geo.coords import wgs84_to_bd09, wgs84_to_gcj02
from jingzhi.org.models import Role

pytestmark = pytest.mark.django_db


def csv_file(rows, name="toilets.csv"):
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    upload = io.BytesIO(out.getvalue().encode("utf-8"))
    upload.name = name
    return upload


def xlsx_file(rows, name="toilets.xlsx"):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    upload = io.BytesIO()
    workbook.save(upload)
    upload.seek(0)
    upload.name = name
    return upload


def upload(client, capture, file, kind="toilet", **fields):
    with capture(execute=True):
        response = client.post(f"/assets/{kind}/import/", {"file": file, "coord_system": "wgs84", **fields})
    assert response.status_code == 302, response.content.decode()[:2000]
    return client.get(response["Location"]), AssetImport.objects.latest("id")


HEADER = ["编号", "名称", "经度", "纬度", "公厕等级", "24小时开放"]


def test_a_broken_file_gives_the_row_and_column_report_and_imports_nothing(
        client, office, geography, django_capture_on_commit_callbacks):
    lon, lat = geography.inside_a
    client.force_login(office)
    page, record = upload(client, django_capture_on_commit_callbacks, csv_file([
        HEADER,
        ["GC1", "好公厕", lon, lat, "一类", "是"],          # row 2: good
        ["GC2", "坏等级", lon, lat, "五星", "是"],          # row 3: class
        ["GC1", "重号", lon, lat, "二类", "也许"],          # row 4: repeated code and a bad yes/no
        ["GC4", "", "abc", lat, "三类", ""],              # row 5: no name, longitude not a number
    ]))
    assert Asset.objects.count() == 0
    assert (record.status, record.created_count, record.problem_count) == (ImportStatus.DONE, 0, 5)
    assert record.problems == [
        [3, "E 公厕等级", "须为以下之一：一类、二类、三类。"],
        [4, "A 编号", "编号与第 2 行重复。"],
        [4, "F 24小时开放", "须为“是”或“否”。"],
        [5, "B 名称", "必填。"],
        [5, "C 经度", "须为数字。"],
    ]
    body = page.content.decode()
    assert "未导入任何记录" in body and "E 公厕等级" in body and "须为以下之一" in body
    cells = re.findall(r"<tr><td class=\"num\">(\d+)</td><td>([^<]*)</td>", body)
    assert cells == [("3", "E 公厕等级"), ("4", "A 编号"), ("4", "F 24小时开放"), ("5", "B 名称"), ("5", "C 经度")]
    report = client.get(f"/assets/imports/{record.pk}/problems.csv").content.decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(report)))[1] == ["3", "E 公厕等级", "须为以下之一：一类、二类、三类。"]
    sheet = load_workbook(io.BytesIO(client.get(f"/assets/imports/{record.pk}/problems.xlsx").content)).active
    assert [c.value for c in sheet[3]] == [4, "A 编号", "编号与第 2 行重复。"]


def test_keeping_the_valid_rows_imports_them(client, office, geography, django_capture_on_commit_callbacks):
    lon, lat = geography.inside_a
    client.force_login(office)
    _page, record = upload(client, django_capture_on_commit_callbacks, csv_file([
        HEADER, ["GC1", "好公厕", lon, lat, "一类", "是"], ["GC2", "坏", lon, lat, "五星", ""]]), keep_valid="on")
    assert (record.created_count, record.problem_count) == (1, 1)
    assert list(Asset.objects.values_list("code", "attributes")) == [("GC1", {"toilet_class": "一类", "open_24h": True})]


def test_a_gcj02_file_lands_in_the_right_grid(client, office, geography, django_capture_on_commit_callbacks):
    # inside_b in GCJ-02 is ~500 m east-north-east: read as WGS84 it would land in other grids.
    gcj_lon, gcj_lat = (float(v) for v in wgs84_to_gcj02(*geography.inside_b))
    client.force_login(office)
    upload(client, django_capture_on_commit_callbacks,
           xlsx_file([HEADER, ["GC9", "乙区公厕", gcj_lon, gcj_lat, "二类", True]]), coord_system="gcj02")
    asset = Asset.objects.get(code="GC9")
    assert asset.grid_id == geography.grid_code_b and asset.district.code == "419902"
    assert abs(float(asset.lon) - geography.inside_b[0]) < 2e-7 and abs(float(asset.lat) - geography.inside_b[1]) < 2e-7
    assert asset.attributes == {"toilet_class": "二类", "open_24h": True}


def test_each_row_may_name_its_coordinate_system(client, office, geography, django_capture_on_commit_callbacks):
    bd_lon, bd_lat = (float(v) for v in wgs84_to_bd09(*geography.inside_a))
    gcj_lon, gcj_lat = (float(v) for v in wgs84_to_gcj02(*geography.inside_b))
    client.force_login(office)
    upload(client, django_capture_on_commit_callbacks, csv_file([
        [*HEADER, "坐标系"], ["A", "百度点", bd_lon, bd_lat, "一类", "", "百度"],
        ["B", "高德点", gcj_lon, gcj_lat, "一类", "", "GCJ-02"]]))
    grids = dict(Asset.objects.values_list("code", "grid_id"))
    assert grids == {"A": geography.grid_code_a, "B": geography.grid_code_b}


def test_a_bad_header_fails_the_file_naming_the_columns(client, office, geography, django_capture_on_commit_callbacks):
    client.force_login(office)
    page, record = upload(client, django_capture_on_commit_callbacks, csv_file([["编号", "名字", "经度", "纬度"]]))
    assert record.status == ImportStatus.FAILED
    assert "B 列“名字”不是公共厕所台账的列" in record.error and "缺少“名称”列" in record.error
    assert "缺少“公厕等级”列" in page.content.decode()


def test_not_a_spreadsheet_fails_cleanly(client, office, geography, django_capture_on_commit_callbacks):
    client.force_login(office)
    fake = io.BytesIO(b"PK\x03\x04 not really a zip")
    fake.name = "x.xlsx"
    _page, record = upload(client, django_capture_on_commit_callbacks, fake)
    assert record.status == ImportStatus.FAILED and "Excel" in record.error


def test_files_over_the_bounds_are_refused(client, office, geography, settings, django_capture_on_commit_callbacks):
    settings.ASSET_IMPORT_MAX_ROWS = 3
    lon, lat = geography.inside_a
    client.force_login(office)
    _page, record = upload(client, django_capture_on_commit_callbacks,
                           csv_file([HEADER] + [[f"G{i}", "公厕", lon, lat, "一类", ""] for i in range(6)]))
    assert record.status == ImportStatus.FAILED and "3 行" in record.error
    settings.ASSET_IMPORT_MAX_BYTES = 100
    response = client.post("/assets/toilet/import/", {"file": csv_file([HEADER] * 20), "coord_system": "wgs84"})
    assert response.status_code == 400 and "文件不能超过" in response.content.decode()
    assert not Asset.objects.exists()


def test_only_the_office_imports_and_reports_are_private(client, office, district_a_reporter, make_user,
                                                         geography, django_capture_on_commit_callbacks):
    client.force_login(district_a_reporter)
    assert client.get("/assets/toilet/import/").status_code == 403
    client.force_login(office)
    _page, record = upload(client, django_capture_on_commit_callbacks, csv_file([HEADER]))
    client.force_login(make_user(Role.DISPATCHER))
    assert client.get(f"/assets/imports/{record.pk}/").status_code == 404
    assert client.get(f"/assets/imports/{record.pk}/progress.json").status_code == 404


def test_the_progress_record_is_polled_as_json(client, office, geography, django_capture_on_commit_callbacks):
    client.force_login(office)
    lon, lat = geography.inside_a
    _page, record = upload(client, django_capture_on_commit_callbacks,
                           csv_file([HEADER, ["GC1", "公厕", lon, lat, "一类", ""]]))
    assert client.get(f"/assets/imports/{record.pk}/progress.json").json() == {
        "status": "done", "status_label": "已完成", "processed": 1, "total": 1, "percent": 100, "finished": True}


def test_the_command_imports_with_a_report(tmp_path, geography, capsys):
    lon, lat = geography.inside_a
    path = tmp_path / "t.csv"
    path.write_bytes(csv_file([HEADER, ["GC1", "公厕", lon, lat, "一类", ""], ["GC2", "公厕", lon, lat, "", ""]]).read())
    with pytest.raises(CommandError, match="未导入任何记录"):
        call_command("import_assets", "toilet", str(path), verbosity=0)
    assert "第 3 行 E 公厕等级：必填。" in capsys.readouterr().err and not Asset.objects.exists()
    call_command("import_assets", "toilet", str(path), "--keep-valid", verbosity=0)
    assert list(Asset.objects.values_list("code", flat=True)) == ["GC1"]
