"""Real browser: an office user opens a registry, imports a broken file and reads the row/column report
(nothing imported), then a good GCJ-02 file whose toilet lands in the right grid; the record's map draws."""
import csv

import pytest

from jingzhi.assets.models import Asset
from jingzhi.geo.coords import wgs84_to_gcj02
from jingzhi.org.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
HEADER = ["编号", "名称", "经度", "纬度", "公厕等级"]


def write_csv(path, rows):
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def test_office_imports_a_broken_then_a_good_gcj02_file(geography, browser_login, make_user, live_server, tmp_path):
    gcj_lon, gcj_lat = (round(float(v), 7) for v in wgs84_to_gcj02(*geography.inside_b))
    broken = write_csv(tmp_path / "broken.csv", [HEADER, ["GC1", "公厕", gcj_lon, gcj_lat, "五星"],
                                                 ["GC2", "", gcj_lon, gcj_lat, "一类"]])
    good = write_csv(tmp_path / "good.csv", [HEADER, ["GC1", "乙区公厕", gcj_lon, gcj_lat, "一类"]])
    page = browser_login(make_user(Role.PLAN_OFFICE))
    external = []
    page.on("request", lambda request: None if request.url.startswith(live_server.url) else external.append(request.url))

    page.get_by_role("link", name="设施台账").click()
    page.get_by_role("link", name="公共厕所").click()
    page.get_by_role("link", name="导入").click()
    page.set_input_files("input[name=file]", str(broken))
    page.get_by_label("坐标系（文件无“坐标系”列时）").select_option("gcj02")
    page.get_by_role("button", name="上传并导入").click()
    page.wait_for_selector("#import-problems")
    rows = page.locator("#import-problems tbody tr")
    assert [rows.nth(i).inner_text().split("\t") for i in range(rows.count())] == [
        ["2", "E 公厕等级", "须为以下之一：一类、二类、三类。"], ["3", "B 名称", "必填。"]]
    assert "未导入任何记录" in page.locator("#import-status").inner_text()
    assert not Asset.objects.exists()
    page.screenshot(path=str(tmp_path / "import-report.png"), full_page=True)

    with page.expect_navigation():
        page.get_by_role("link", name="再导入一个文件").click()
    page.set_input_files("input[name=file]", str(good))
    page.get_by_label("坐标系（文件无“坐标系”列时）").select_option("gcj02")
    page.get_by_role("button", name="上传并导入").click()
    page.wait_for_selector("text=已导入 1 条记录。")
    assert page.locator("#import-bar").get_attribute("value") == "100"
    with page.expect_navigation():
        page.get_by_role("link", name="查看台账").click()
    assert geography.grid_code_b in page.locator("table").inner_text()
    page.get_by_role("link", name="GC1").click()
    page.wait_for_selector("#asset-map[data-shapes='1']")
    assert "测试乙区" in page.locator(".facts").inner_text()
    assert Asset.objects.get().grid_id == geography.grid_code_b
    assert external == []
