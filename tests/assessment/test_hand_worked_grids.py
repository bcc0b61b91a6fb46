"""What test_hand_worked.py leaves out, worked by hand on the same fixed March: 立案数分值（每网格）
scored with known 万米单元网格 (not dropped), which reorders the tie; and every grade band at its
edges (A–E), from the scheme file's bands."""
import pytest

from jingzhi.assessment.models import Result
from jingzhi.assessment.scheme import scheme_load
from jingzhi.assessment.scoring import grade_of
from jingzhi.assessment.services import assessment_month_compute
from jingzhi.geo.models import Area, AreaLevel, Grid

approx = pytest.approx
BOX = {"geometry": "{}", "min_lon": 113.6, "min_lat": 34.7, "max_lon": 113.601, "max_lat": 34.701}


def grids(unit, count: int, code: str):
    area = Area.objects.create(level=AreaLevel.DISTRICT, code=code, name=unit.name, unit=unit, **BOX)
    for n in range(count):
        Grid.objects.create(code=f"{code}{n:04d}", district=area, area_m2=10_000, **BOX)


def test_the_per_grid_filing_score_with_known_grids(world):
    d = world.districts
    grids(d["甲区"], 3, "419801")  # 6 filed ÷ 3 grids = 2 < 3 → 90
    grids(d["乙区"], 1, "419802")  # 6 filed ÷ 1 grid = 6 < 7 → 60
    march = {r.name: r for r in Result.objects.filter(assessment=assessment_month_compute(period="2026-03"),
                                                      kind="district")}
    jia, yi, bing = march["甲区"], march["乙区"], march["丙区"]
    assert jia.counters["grids"] == 3 and yi.counters["grids"] == 1 and "grids" not in bing.counters
    assert jia.terms["region_filed_score"]["score"] == 90 and yi.terms["region_filed_score"]["score"] == 60
    # 甲区, every weight kept: 10 × (1 − 1/6) × 100 + 20 × 90 + 30 × 100 + 10 × 100 + 20 × 100 + 10 × 100, ÷ 100.
    assert jia.composite == approx((10 * (5 / 6) * 100 + 20 * 90 + 3000 + 1000 + 2000 + 1000) / 100)
    assert jia.composite == approx(96.3333, abs=1e-4) and jia.grade == "A"
    # 乙区: no public report (监督举报率 0 → 100), 60 per grid, 结案率 100 %, 按期结案率 5/6, 解决率 50 %;
    # nobody rated (满意率 dropped): ÷ 90.
    assert yi.composite == approx((10 * 100 + 20 * 60 + 30 * 100 + 10 * (5 / 6) * 100 + 20 * 50) / 90)
    assert yi.composite == approx(78.1481, abs=1e-4) and yi.grade == "B"
    # 丙区 has no grids: the term is dropped as before (83.33), so the tie is gone: 丙区 2nd, 乙区 3rd.
    assert bing.composite == approx(83.3333, abs=1e-4)
    assert [(r.name, r.rank) for r in Result.objects.filter(assessment=jia.assessment, kind="district")] == [
        ("甲区", 1), ("丙区", 2), ("乙区", 3), ("丁区", None)]


@pytest.mark.parametrize(("composite", "grade"), [
    (100, "A"), (90, "A"), (89.99, "B"), (75, "B"), (74.99, "C"), (60, "C"), (59.99, "D"), (40, "D"),
    (39.99, "E"), (0, "E"), (None, ""),
])
def test_every_grade_band_at_its_edges(composite, grade):
    assert grade_of(scheme_load("2026.1"), composite) == grade
