"""Demo geography: Zhengzhou's real district boundaries, generated sub-districts, ~40k unit grids
over the central built-up area, and a few responsibility zones. Idempotent; runs after org's demo."""
import time

from django.conf import settings

from .coords import CoordSystem
from .models import Area, AreaLevel
from .parsing import subdistrict_codes_read
from .services import boundaries_load, grids_generate, subdistricts_generate, zones_load

DATA = settings.DATA_DIR / "geo"
#: 中原区, 二七区, 管城回族区, 金水区, 惠济区: the central districts that get sub-districts and grids.
CENTRAL_DISTRICTS = ["410102", "410103", "410104", "410105", "410108"]
#: Grids only over the central built-up extent (WGS84) to keep the demo at tens of thousands of cells.
CENTRAL_BBOX = (113.55, 34.70, 113.80, 34.85)

#: 金水路 (路长, 养护), 金水河 (河长), 紫荆山公园: hand-drawn approximations in GCJ-02, demo only.
DEMO_ZONES = DATA / "zhengzhou_demo_zones.geojson"


def load_demo(*, stdout):
    started = time.monotonic()
    counts = boundaries_load(path=DATA / "zhengzhou_410100_full.geojson", coord_system=CoordSystem.GCJ02)
    stdout.write(f"districts: {counts['created']} created, {counts['updated']} updated")
    entries = subdistrict_codes_read(DATA / "zhengzhou_4101_subdistricts.csv")
    districts = Area.objects.filter(level=AreaLevel.DISTRICT, code__in=CENTRAL_DISTRICTS).order_by("code")
    grid_total = 0
    for district in districts:
        subdistricts_generate(district=district, entries=entries[district.code])
        grids_generate(district=district, size_m=100, bbox=CENTRAL_BBOX)
        grid_total += district.district_grids.count()
    stdout.write(f"grids: {grid_total} over {len(CENTRAL_DISTRICTS)} central districts")
    counts = zones_load(path=DEMO_ZONES, coord_system=CoordSystem.GCJ02)
    stdout.write(f"responsibility zones: {counts['created']} created, {counts['updated']} updated")
    stdout.write(f"geo demo loaded in {time.monotonic() - started:.0f} s")
