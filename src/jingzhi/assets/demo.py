"""Demo registries: the demo city's assets with their 2018 history, generated (``generated=True``).

No real asset list of Zhengzhou is public, so the registries are generated: realistic counts for the
city (the work plan's own base: the 2018 targets are city-wide), placed in the demo's unit grids
(geo's central districts) and dated so that the plan's review date 2018-09-30 shows realistic
progress — most 2018 targets on track, a few lagging (rest places, transfer stations, class-2
toilets, black-odorous water bodies, old compounds), as a real mid-year review would. The
``SPECS`` below are the whole story: the stock before the plan, the 2018 work and how much of it was
done by the review date; docs/assets.md lists the resulting values.

Writes are bulk: ``services.assets_create`` writes every asset in its current state (located in one
pass), then the assets that changed in 2018 get their history in one ``bulk.rows_insert`` (COPY on
PostgreSQL): the ``built``
event with their first state and every later event — the same rows ``asset_change`` writes one at a
time, without a row-by-row update. Idempotent: a database that already holds generated assets is left as it is.
"""
from __future__ import annotations

import datetime as dt
import math
import random
import time
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from jingzhi.geo.demo import CENTRAL_BBOX
from jingzhi.geo.models import Grid

from .bulk import BATCH_SIZE, rows_insert
from .models import Asset, AssetChange, AssetEvent, AssetStatus
from .services import EVENT_COLUMNS, AssetInput, assets_create

SEED = 2018
PLAN_START = dt.date(2018, 4, 2)
REVIEW = dt.date(2018, 9, 30)
YEAR_END = dt.date(2018, 12, 28)
#: The stock's build dates, when known (the rest predate the registry: ``built_on`` null).
STOCK_FROM, STOCK_TO = dt.date(2005, 1, 1), dt.date(2017, 12, 31)
STOCK_DATED = 0.4

RIVERS = ["金水河", "熊耳河", "七里河", "东风渠", "索须河", "贾鲁河", "魏河", "潮河"]
ROADS = ["金水路", "花园路", "文化路", "经三路", "农业路", "东风路", "黄河路", "纬五路", "建设路", "中原路", "嵩山路",
         "大学路", "航海路", "陇海路", "紫荆山路", "城东路", "未来路", "商都路", "郑汴路", "京广路", "桐柏路", "秦岭路",
         "伊河路", "淮河路", "政七街", "纬一路", "经七路", "丰产路", "红旗路", "北三环", "南三环", "西三环", "东三环",
         "工人路", "互助路", "长江路", "兴华街", "康复街", "优胜路", "解放路", "二七路", "人民路", "顺河路", "货栈街"]


@dataclass(frozen=True)
class Work:
    """Assets of a kind changed in 2018: ``total`` by the year's end, ``by_review`` of them by 2018-09-30."""

    total: int
    by_review: int


@dataclass
class Planned:
    """One generated asset before it is written: its first state and its later changes."""

    code: str
    name: str
    lon: float
    lat: float
    geometry: dict
    attributes: dict
    built_on: dt.date | None
    changes: list[tuple[str, dt.date, dict, str]] = field(default_factory=list)  # (change, on, attributes, note)


class Generator:
    """Deterministic places and dates for one kind: two seeded streams per kind, so a kind's figures
    (dates, classes) depend neither on the geography the places are drawn from nor on the other kinds."""

    def __init__(self, kind: str, cells: list[tuple[float, float, float, float]]):
        self.rng = random.Random(f"{SEED}-{kind}")
        self.places = random.Random(f"{SEED}-{kind}-places")
        self.cells = cells or [CENTRAL_BBOX]  # the demo's unit grids (west, south, east, north)

    def point(self) -> tuple[float, float]:
        west, south, east, north = self.places.choice(self.cells)
        return (round(self.places.uniform(west, east), 6), round(self.places.uniform(south, north), 6))

    def geometry(self, kind_geometry: str, lon: float, lat: float, size_m: float = 60.0) -> dict:
        """A point, a straight line of ``size_m`` or a square of ``size_m`` around the point (WGS84)."""
        dlon = size_m / (111_320 * math.cos(math.radians(lat))) / 2
        dlat = size_m / 110_574 / 2
        if kind_geometry == "point":
            return {"type": "Point", "coordinates": [lon, lat]}
        if kind_geometry == "line":
            if self.places.random() < 0.5:
                return {"type": "LineString", "coordinates": [[round(lon - dlon, 6), lat], [round(lon + dlon, 6), lat]]}
            return {"type": "LineString", "coordinates": [[lon, round(lat - dlat, 6)], [lon, round(lat + dlat, 6)]]}
        ring = [[lon - dlon, lat - dlat], [lon + dlon, lat - dlat], [lon + dlon, lat + dlat], [lon - dlon, lat + dlat]]
        ring = [[round(x, 6), round(y, 6)] for x, y in ring]
        return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}

    def day(self, start: dt.date, end: dt.date) -> dt.date:
        return start + dt.timedelta(days=self.rng.randrange((end - start).days + 1))

    def work_days(self, work: Work) -> list[dt.date]:
        """``work.total`` dates in 2018: ``by_review`` of them up to the review date, the rest after it."""
        early = [self.day(PLAN_START + dt.timedelta(days=5), REVIEW) for _ in range(work.by_review)]
        late = [self.day(REVIEW + dt.timedelta(days=1), YEAR_END) for _ in range(work.total - work.by_review)]
        return sorted(early + late)

    def stock_day(self) -> dt.date | None:
        return self.day(STOCK_FROM, STOCK_TO) if self.rng.random() < STOCK_DATED else None

    def pick(self, weights: dict):
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]


def _asset(gen: Generator, *, prefix: str, number: int, name: str, geometry: str, attributes: dict,
           built_on: dt.date | None, size_m: float = 60.0) -> Planned:
    lon, lat = gen.point()
    return Planned(code=f"{prefix}-{number:06d}", name=name, lon=lon, lat=lat,
                   geometry=gen.geometry(geometry, lon, lat, size_m), attributes=attributes, built_on=built_on)


def _changed(planned: Planned, change: str, on: dt.date, note: str = "", **new) -> None:
    state = dict(planned.changes[-1][2] if planned.changes else planned.attributes)
    state.update(new)
    planned.changes.append((change, on, state, note))


# ── Kinds ──────────────────────────────────────────────────────────────────────
# Counts are the city's. Toilets: 1,850 before the plan, 1,245 built in 2018 (868 by the review
# date: the 1,210 target's path wants 803 then), 790 of the stock upgraded (530; path 508).

def _toilets(gen: Generator) -> list[Planned]:
    stock_classes = {"一类": 24, "二类": 44, "三类": 32}
    new_classes = {"一类": 45, "二类": 50, "三类": 5}

    def attributes(classes, third, open_24h):
        always = gen.rng.random() < open_24h
        return {"toilet_class": gen.pick(classes), "third_restroom": gen.rng.random() < third,
                "open_24h": always, "opening_hours": "00:00-24:00" if always else "06:00-22:00",
                "inside_third_ring": gen.rng.random() < 0.65}

    def name(number):
        return f"{gen.rng.choice(ROADS)}公厕{number}号"

    stock = [_asset(gen, prefix="GC", number=i, name=name(i), geometry="point", built_on=gen.stock_day(),
                    attributes=attributes(stock_classes, 0.05, 0.08)) for i in range(1, 1851)]
    # Third restrooms came late (space is short in old toilets): 8 % of the new ones and 10 % of the
    # upgrades by the review date (about 120, where the 200's path wants 133: lagging), then 20 % and 25 %.
    new = [_asset(gen, prefix="GC", number=1850 + i, name=name(1850 + i), geometry="point", built_on=day,
                  attributes=attributes(new_classes, 0.08 if day <= REVIEW else 0.20, 0.03))
           for i, day in enumerate(gen.work_days(Work(1245, 868)), start=1)]
    upgradable = [t for t in stock if t.attributes["toilet_class"] != "一类"]
    for toilet, day in zip(gen.rng.sample(upgradable, 790), gen.work_days(Work(790, 530)), strict=True):
        better = "二类" if toilet.attributes["toilet_class"] == "三类" and gen.rng.random() < 0.6 else "一类"
        extra = {}
        if not toilet.attributes["third_restroom"] and gen.rng.random() < (0.10 if day <= REVIEW else 0.25):
            extra["third_restroom"] = True
        if not toilet.attributes["open_24h"] and gen.rng.random() < 0.02:
            extra.update(open_24h=True, opening_hours="00:00-24:00")
        _changed(toilet, AssetChange.UPGRADED, day, "厕所革命改造提升", toilet_class=better, **extra)
    old = [t for t in stock if not t.changes]
    for toilet, day in zip(gen.rng.sample(old, 30), gen.work_days(Work(30, 20)), strict=True):
        _changed(toilet, AssetChange.REMOVED, day, "道路拓宽拆除")
    return stock + new


def _simple(gen: Generator, *, prefix: str, label: str, geometry: str, stock: int, new: Work,
            removed: Work | None = None, attributes=lambda gen: {}, size_m: float = 60.0) -> list[Planned]:
    """A kind whose 2018 work is building new ones (and removing a few old ones)."""
    def make(number, built_on):
        return _asset(gen, prefix=prefix, number=number, name=f"{gen.rng.choice(ROADS)}{label}{number}号",
                      geometry=geometry, attributes=attributes(gen), built_on=built_on, size_m=size_m)

    old = [make(i, gen.stock_day()) for i in range(1, stock + 1)]
    built = [make(stock + i, day) for i, day in enumerate(gen.work_days(new), start=1)]
    if removed:
        for planned, day in zip(gen.rng.sample(old, removed.total), gen.work_days(removed), strict=True):
            _changed(planned, AssetChange.REMOVED, day, "更新撤除")
    return old + built


def _street_lights(gen: Generator) -> list[Planned]:
    """130 roads of about 35 lights, 35 m apart; all lights of 31 roads upgraded to LED in 2018 (22 by
    the review date: the 30 roads' path wants 20 then)."""
    lights, number = [], 0
    roads = []
    for road_number in range(1, 131):
        road_code = f"DL-{road_number:06d}"  # the road's code in the road registry
        road_name = f"{ROADS[road_number % len(ROADS)]}（{road_number}段）"
        lon, lat = gen.point()
        east = gen.places.random() < 0.5
        step_lon = 35 / (111_320 * math.cos(math.radians(lat)))
        step_lat = 35 / 110_574
        poles = []
        built = gen.stock_day()
        for pole in range(gen.rng.randint(25, 45)):
            number += 1
            x = round(lon + (step_lon * pole if east else 0), 6)
            y = round(lat + (0 if east else step_lat * pole), 6)
            poles.append(Planned(
                code=f"LD-{number:06d}", name=f"{road_name}路灯{pole + 1}号", lon=x, lat=y,
                geometry={"type": "Point", "coordinates": [x, y]}, built_on=built,
                attributes={"road_code": road_code, "pole_code": f"{road_code}-{pole + 1:03d}", "led": False,
                            "controller": gen.rng.choice(["单灯控制器", "集中控制箱", "时控开关"])}))
        roads.append(poles)
        lights += poles
    for poles, day in zip(gen.rng.sample(roads, 31), gen.work_days(Work(31, 22)), strict=True):
        for light in poles:
            _changed(light, AssetChange.UPGRADED, day, "超期运行路灯设施提升改造（LED）", led=True)
    return lights


def _rivers(gen: Generator) -> list[Planned]:
    """28 rivers and water bodies; 14 black-odorous on the plan's first day, 9 eliminated by the
    review date (5 left: the path from 14 to 0 wants at most 4 then), the rest by the year's end."""
    rivers = []
    for i in range(1, 29):
        rivers.append(_asset(gen, prefix="HD", number=i, name=f"{gen.rng.choice(RIVERS)}（{i}段）",
                             geometry="line", built_on=None, size_m=1500,
                             attributes={"black_odorous": i <= 14}))
    for river in rivers[14:18]:  # eliminated before the plan
        river.attributes.update(black_odorous=False, eliminated_on="2017-11-30")
    for river, day in zip(rivers[:14], gen.work_days(Work(14, 9)), strict=True):
        _changed(river, AssetChange.ATTRIBUTES_CHANGED, day, "黑臭水体整治完成", black_odorous=False,
                 eliminated_on=day.isoformat())
    return rivers


def _old_compounds(gen: Generator) -> list[Planned]:
    """1,200 compounds in the database (surveyed by 2018-03-31, task 3's deadline); 246 renovated in 2018
    (143 by the review date: 11.9 %, where the path to 20 % by the year's end wants 13.26 %)."""
    compounds = [_asset(gen, prefix="LJXQ", number=i, name=f"{gen.rng.choice(ROADS)}{i}号院", geometry="polygon",
                        built_on=None, size_m=150,
                        attributes={"survey_date": gen.day(dt.date(2018, 1, 8), dt.date(2018, 3, 30)).isoformat(),
                                    "renovation_status": "planned", "renovation_year": 2018 + i % 3})
                 for i in range(1, 1201)]
    started = gen.rng.sample(compounds, 450)
    done_days = gen.work_days(Work(246, 143))
    for index, compound in enumerate(started):
        if index < len(done_days):
            done = done_days[index]
            begun = max(PLAN_START, done - dt.timedelta(days=gen.rng.randint(30, 120)))
        else:
            done, begun = None, gen.day(PLAN_START, dt.date(2018, 8, 31))
        _changed(compound, AssetChange.ATTRIBUTES_CHANGED, begun, "开工整治",
                 renovation_status="in_progress", renovation_year=2018)
        if done:
            _changed(compound, AssetChange.UPGRADED, done, "整治提升完成", renovation_status="done")
    return compounds


def _parking_lots(gen: Generator) -> list[Planned]:
    """530 lots before the plan (380 public); 320 new public lots in 2018, 224 by the review date."""
    def lot(number, built_on, public):
        return _asset(gen, prefix="TCC", number=number, name=f"{gen.rng.choice(ROADS)}停车场{number}号",
                      geometry="polygon", built_on=built_on, size_m=80,
                      attributes={"public": public, "spaces": int(gen.rng.triangular(40, 350, 120)),
                                  "smart_guidance": gen.rng.random() < (0.5 if built_on and built_on.year == 2018
                                                                        else 0.1)})
    old = [lot(i, gen.stock_day(), i <= 380) for i in range(1, 531)]
    return old + [lot(530 + i, day, True) for i, day in enumerate(gen.work_days(Work(320, 224)), start=1)]


def _manholes(gen: Generator) -> list[Planned]:
    """8,600 manholes; 8,150 rectified in 2018 (5,600 by the review date; the 8,000's path wants 5,304)."""
    types = {"water": 20, "sewage": 25, "rain": 30, "power": 10, "telecom": 10, "gas": 3, "heat": 2}
    manholes = [_asset(gen, prefix="JG", number=i, name=f"{gen.rng.choice(ROADS)}窨井{i}号", geometry="point",
                       built_on=None, attributes={"manhole_type": gen.pick(types)}) for i in range(1, 8601)]
    for manhole, day in zip(gen.rng.sample(manholes, 8150), gen.work_days(Work(8150, 5600)), strict=True):
        _changed(manhole, AssetChange.REPAIRED, day, "窨井整治：更换井盖、调平")
    return manholes


def _roads(gen: Generator) -> list[Planned]:
    """300 roads by class, with the lane classes 以克论净 weighs."""
    classes = {"主干路": 40, "次干路": 60, "支路": 120, "背街小巷": 80}
    lanes = {"主干路": ["fast", "slow", "sidewalk"], "次干路": ["fast", "slow", "sidewalk"],
             "支路": ["fast", "sidewalk"], "背街小巷": ["fast"]}
    roads, number = [], 0
    for road_class, count in classes.items():
        for _ in range(count):
            number += 1
            major = road_class in ("主干路", "次干路")
            length = round(gen.rng.uniform(300, 3000) if major else gen.rng.uniform(100, 900))
            width = {"主干路": 40, "次干路": 28, "支路": 14, "背街小巷": 7}[road_class]
            roads.append(_asset(gen, prefix="DL", number=number, name=f"{ROADS[number % len(ROADS)]}（{number}段）",
                                geometry="line", built_on=None, size_m=min(length, 800),
                                attributes={"road_class": road_class, "length_m": length, "area_m2": length * width,
                                            "lanes": lanes[road_class],
                                            "machine_sweepable": road_class != "背街小巷"}))
    return roads


def _generators() -> dict:
    def site(gen):
        area = round(gen.rng.triangular(2000, 150000, 12000))
        return {"floor_area_m2": area, "video_required": area >= 10000,
                "hoarding_state": gen.pick({"closed": 80, "partial": 15, "none": 5})}

    def ad(gen):
        return {"ad_type": gen.pick({"billboard": 20, "signboard": 70, "light_box": 10}),
                "permit_no": f"郑户广许{gen.rng.randint(10000, 99999)}", "width_m": round(gen.rng.uniform(2, 12), 1),
                "height_m": round(gen.rng.uniform(0.8, 4), 1),
                "ad_status": gen.pick({"permitted": 85, "unpermitted": 10, "to_remove": 5})}

    return {
        "toilet": _toilets,
        # 5,000 bins in the demo districts before the plan; 5,910 set up in 2018 (4,150 by the review date;
        # the 5,825's path wants 3,862), 250 old ones removed.
        "bin": lambda gen: _simple(gen, prefix="GPX", label="果皮箱", geometry="point", stock=5000,
                                   new=Work(5910, 4150), removed=Work(250, 160)),
        # 60 before; 138 new in 2018 (92 by the review date, where the 150's path wants 100: lagging).
        "rest_place": lambda gen: _simple(gen, prefix="ZX", label="环卫作息点", geometry="point", stock=60,
                                          new=Work(138, 92),
                                          attributes=lambda g: {"floor_area_m2": round(g.rng.uniform(20, 60))}),
        # 42 small stations; 7 large ones started in 2018 (4 by the review date; the path wants 5: lagging).
        "transfer_station": lambda gen: _simple(
            gen, prefix="ZYZ", label="垃圾转运站", geometry="point", stock=42, new=Work(7, 4),
            attributes=lambda g: {"capacity_t_per_day": round(g.rng.uniform(30, 80))}),
        "street_light": _street_lights,
        "river": _rivers,
        "old_compound": _old_compounds,
        "parking_lot": _parking_lots,
        "manhole": _manholes,
        "road": _roads,
        "construction_site": lambda gen: _simple(gen, prefix="GD", label="建筑工地", geometry="polygon", stock=160,
                                                 new=Work(0, 0), attributes=site, size_m=120),
        "market": lambda gen: _simple(gen, prefix="SC", label="集贸市场", geometry="polygon", stock=60, new=Work(0, 0),
                                      attributes=lambda g: {"stalls": g.rng.randint(40, 400)}, size_m=90),
        "outdoor_ad": lambda gen: _simple(gen, prefix="GG", label="户外广告", geometry="point", stock=800,
                                          new=Work(0, 0), attributes=ad),
    }


def _write(kind: str, planned: list[Planned]) -> int:
    """Create the assets in their current state, then give the changed ones their history: the
    ``built`` event with the first state, and every later event (as ``asset_change`` writes them)."""
    def current(plan: Planned) -> dict:
        return plan.changes[-1][2] if plan.changes else plan.attributes

    rows = [AssetInput(code=p.code, name=p.name, geometry=p.geometry, lon=p.lon, lat=p.lat,
                       attributes=current(p), built_on=p.built_on) for p in planned]
    ids = assets_create(kind=kind, rows=rows, generated=True)
    history = [(pk, plan) for pk, plan in zip(ids, planned, strict=True) if plan.changes]
    now = timezone.now()
    events, removed = [], defaultdict(list)
    for pk, plan in history:
        events.append((pk, AssetChange.BUILT, plan.built_on, plan.attributes, "", None, now))
        for change, on, attributes, note in plan.changes:
            events.append((pk, change, on, attributes, note, None, now))
            if change == AssetChange.REMOVED:
                removed[on].append(pk)
    changed_ids = [pk for pk, _ in history]
    with transaction.atomic():
        for start in range(0, len(changed_ids), BATCH_SIZE):
            AssetEvent.objects.filter(asset_id__in=changed_ids[start:start + BATCH_SIZE],
                                      change=AssetChange.BUILT).delete()
        rows_insert(AssetEvent, EVENT_COLUMNS, events)
        for on, removed_ids in removed.items():
            Asset.objects.filter(pk__in=removed_ids).update(status=AssetStatus.REMOVED, removed_on=on)
    return len(ids)


def load_demo(*, stdout, kinds: Collection[str] | None = None):
    """Generate the registries (or only ``kinds``: tests that need a few skip the large ones; each kind
    has its own figures whichever others are generated)."""
    started = time.monotonic()
    if Asset.objects.filter(generated=True).exists():
        stdout.write("registries: generated assets already loaded")
        return
    cells = list(Grid.objects.values_list("min_lon", "min_lat", "max_lon", "max_lat"))
    counts = defaultdict(int)
    for kind, make in _generators().items():
        if kinds is None or kind in kinds:
            counts[kind] = _write(kind, make(Generator(kind, cells)))
    total = sum(counts.values())
    stdout.write(f"registries: {total} generated assets ({', '.join(f'{k} {n}' for k, n in counts.items())}) "
                 f"in {time.monotonic() - started:.1f} s")
