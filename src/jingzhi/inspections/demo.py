"""Demo inspections: 日督查 rounds on the demo registries, in September 2018 and in the last two weeks.

The plan's review date is 2018-09-30, so the month before it is inspected: every working day the
office plans three rounds and the demo's 监督员 fill them through the same services as the phone page
(``round_plan``, ``inspection_submit``): 以克论净 dust sampling on six roads, the road facility
survey on four and the toilet check on two. Figures are drawn around realistic levels (most roads
within the lane limits, about one in eight weighings over; intact rates around 97–98 %), so the
plan's dust and intact-rate indicators show real values, and each failed item becomes a case on
its asset in the right category, as in real use. The ten working days before today are inspected
the same way, so this month's 月考核 (assessment scheme 2026.2 weights the districts' inspection
scores) has scores to weight. Idempotent: a database with inspections is left as it is. Needs the
registries (``assets.demo``), the case catalogue and the inspectors (``cases.demo``).
"""
from __future__ import annotations

import datetime as dt
import random
import time

from django.utils import timezone

from jingzhi.assets.models import Asset, AssetStatus
from jingzhi.org.models import Role, User

from .models import Inspection
from .services import inspection_submit, round_plan

SEED = 2018
MONTH = (dt.date(2018, 9, 1), dt.date(2018, 9, 30))
RECENT_WORKING_DAYS = 10
#: Stops per working day, per template.
DAILY = {"dust_sampling": 6, "road_facility": 4, "toilet_check": 2}
#: A lane's typical dust (g/m²) and the share of weighings far above it (a dirty road).
DUST = {"fast_lane": 3.2, "slow_lane": 3.6, "sidewalk": 9.5}
DIRTY = 0.12
#: A road's lane classes (its ``lanes`` attribute) → the dust template's items.
LANE_ITEMS = {"fast": "fast_lane", "slow": "slow_lane", "sidewalk": "sidewalk"}


def _samples(rng: random.Random, lane: str, road_class: str) -> list[dict]:
    typical = DUST[lane] * (1.6 if road_class in ("支路", "背街小巷") and lane == "fast_lane" else 1.0)
    if rng.random() < DIRTY:
        typical *= 2.0
    return [{"net_g": round(max(0.2, rng.gauss(typical, typical * 0.25)), 1), "frame_m2": 1} for _ in range(3)]


def _values(rng: random.Random, template: str, asset: Asset) -> dict:
    attributes = asset.attributes
    if template == "dust_sampling":
        return {LANE_ITEMS[lane]: _samples(rng, LANE_ITEMS[lane], attributes.get("road_class", ""))
                for lane in attributes.get("lanes", [])}
    if template == "road_facility":
        total = rng.randint(80, 400)
        broken = sum(1 for _ in range(total) if rng.random() < rng.choice((0.01, 0.02, 0.03, 0.05)))
        return {"intact_rate": {"numerator": total - broken, "denominator": total},
                "no_potholes": rng.random() > 0.08, "sidewalk_intact": rng.random() > 0.1,
                "manholes_level": rng.random() > 0.06}
    values = {"open_as_posted": rng.random() > 0.03, "hours_posted": rng.random() > 0.05,
              "floor_clean": rng.random() > 0.1, "cleaning_log": rng.random() > 0.08,
              "odour_grade": rng.choice((0, 0, 1, 1, 2)), "flies": rng.choice((0, 0, 0, 1, 2, 4)),
              "facilities_intact": rng.random() > 0.07}
    if attributes.get("third_restroom"):
        values["third_restroom"] = rng.random() > 0.05
    return values


def _days(today: dt.date) -> list[dt.date]:
    """The working days inspected: September 2018's, and the last ``RECENT_WORKING_DAYS`` before today."""
    september = [MONTH[0] + dt.timedelta(days=n) for n in range((MONTH[1] - MONTH[0]).days + 1)]
    recent, day = [], today
    while len(recent) < RECENT_WORKING_DAYS:
        day -= dt.timedelta(days=1)
        if day.weekday() < 5:
            recent.append(day)
    return [day for day in september if day.weekday() < 5] + sorted(recent)


def load_demo(*, stdout):
    started = time.monotonic()
    if Inspection.objects.exists():
        stdout.write("inspections: already loaded")
        return
    office = User.objects.filter(role_grants__role=Role.PLAN_OFFICE).order_by("pk").first()
    inspectors = list(User.objects.filter(role_grants__role=Role.INSPECTOR, username__startswith="inspector")
                      .order_by("username"))
    if office is None or not inspectors:
        stdout.write("inspections: skipped (needs the plan office and the inspectors of the org and case demos)")
        return
    rng = random.Random(SEED)
    kinds = {"dust_sampling": "road", "road_facility": "road", "toilet_check": "toilet"}
    pools = {template: list(Asset.objects.filter(kind=kind, status=AssetStatus.ACTIVE).order_by("pk"))
             for template, kind in kinds.items()}
    count = 0
    for day in _days(timezone.localdate()):
        for number, (template, stops) in enumerate(DAILY.items()):
            if len(pools[template]) < stops:
                continue
            inspector = inspectors[(day.day + number) % len(inspectors)]
            at = timezone.make_aware(dt.datetime.combine(day, dt.time(9 + 2 * number, 0)))
            assets = rng.sample(pools[template], stops)
            inspection_round = round_plan(planner=office, name=f"{day:%m月%d日} 日督查", template_code=template,
                                          date=day, inspector=inspector, assets=assets, now=at)
            for order, asset in enumerate(assets):
                inspection_submit(inspector=inspector, template_code=template, values=_values(rng, template, asset),
                                  asset=asset, inspection_round=inspection_round,
                                  started_at=at + dt.timedelta(minutes=20 * order),
                                  now=at + dt.timedelta(minutes=20 * order + 12))
                count += 1
    failed = Inspection.objects.filter(passed=False).count()
    stdout.write(f"inspections: {count} in September 2018 and the last {RECENT_WORKING_DAYS} working days "
                 f"({failed} failed, each failed item a case) in {time.monotonic() - started:.1f} s")
