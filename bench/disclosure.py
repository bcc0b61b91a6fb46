#!/usr/bin/env python
"""Public-disclosure benchmark on PostgreSQL, on the cases that ``bench/cases.py`` generates:

* ``reviews_screen``: how fast the automatic check screens a backlog of descriptions (rows/s);
* ``public_case`` (one case with its timeline), ``public_cases`` (the latest 1,000: Open311's list size),
  ``public_summary`` (30 days), ``public_map_points`` (90 days, 2,000 points): p50/p95 ms through the
  real selectors, each next to a raw-SQL floor reading the same rows in the same run;
* the moderation queue (count + first page of held texts) with 5 % of the descriptions held.

Run it on the bench database (never the test database)::

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/jingzhi_bench .venv/bin/python bench/cases.py setup
    BENCH_DATABASE_URL=… .venv/bin/python bench/cases.py generate --cases 200000 --processes 1
    BENCH_DATABASE_URL=… .venv/bin/python bench/disclosure.py
"""
from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/jingzhi_bench")
HELD_SHARE = 0.05
SEED = 2018


def django_setup() -> None:
    os.environ["DATABASE_URL"] = DATABASE_URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jingzhi.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


def timed(function, repeat: int) -> tuple[float, float]:
    """p50 and p95 of ``repeat`` calls, in ms."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]


def raw(sql: str, params=()):
    from django.db import connection

    def run():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
    return run


def report(name: str, ours: tuple[float, float], floor: tuple[float, float] | None = None) -> None:
    line = f"{name:<44} p50 {ours[0]:8.1f} ms  p95 {ours[1]:8.1f} ms"
    if floor:
        line += f"   raw SQL floor p50 {floor[0]:7.1f} ms  p95 {floor[1]:7.1f} ms"
    print(line, flush=True)


def main() -> None:
    django_setup()
    from django.db import connection
    from django.utils import timezone

    from jingzhi.cases.models import Case
    from jingzhi.disclosure import selectors
    from jingzhi.disclosure.models import PhotoReview, ScreenMark, TextReview
    from jingzhi.disclosure.services import reviews_screen

    random.seed(SEED)
    total = Case.objects.count()
    print(f"cases: {total:,}", flush=True)
    TextReview.objects.all().delete()
    PhotoReview.objects.all().delete()
    ScreenMark.objects.all().delete()

    started, screened = time.perf_counter(), 0
    while done := reviews_screen():
        screened += done
    seconds = time.perf_counter() - started
    print(f"reviews_screen: {screened:,} decisions in {seconds:.1f} s = {screened / seconds:,.0f} rows/s", flush=True)
    missed = Case.objects.exclude(pk__in=TextReview.objects.filter(subject="description").values("case_id")).count()
    print(f"cases left without a decision: {missed:,} (must be 0)", flush=True)
    with connection.cursor() as cursor:  # hold a share of them, as the check would for offensive text
        cursor.execute("UPDATE disclosure_textreview SET status = 'pending', reasons = 'bench' "
                       "WHERE random() < %s", [HELD_SHARE])
        cursor.execute("ANALYZE disclosure_textreview")

    now = Case.objects.order_by("-created_at").values_list("created_at", flat=True).first() or timezone.now()
    closed = list(Case.objects.filter(state="closed").values_list("pk", "number")[:5000])
    sample = random.sample(closed, min(200, len(closed)))
    picks = iter(sample * 2)
    report("public_case (one closed case, timeline)", timed(lambda: selectors.public_case(next(picks)[1]), len(sample)),
           timed(raw("SELECT c.*, e.* FROM cases_case c JOIN cases_caseevent e ON e.case_id = c.id "
                     "WHERE c.number = %s ORDER BY e.created_at", [sample[0][1]]), 50))
    latest = Case.objects.order_by("-created_at", "-id")[:1000]
    report("public_cases (latest 1,000)", timed(lambda: selectors.public_cases(latest), 20),
           timed(raw("SELECT c.*, k.name, d.name FROM cases_case c JOIN cases_category k ON k.id = c.category_id "
                     "LEFT JOIN org_unit d ON d.id = c.district_id ORDER BY c.created_at DESC, c.id DESC "
                     "LIMIT 1000"), 20))
    report("public_summary (30 days)", timed(lambda: selectors.public_summary(now=now), 10),
           timed(raw("SELECT category_id, district_id, count(*) FROM cases_case WHERE created_at >= %s "
                     "GROUP BY 1, 2", [now - dt.timedelta(days=30)]), 10))
    report("public_map_points (90 days, 2,000)", timed(lambda: selectors.public_map_points(now=now), 20),
           timed(raw("SELECT number, state, lon, lat FROM cases_case WHERE created_at >= %s "
                     "ORDER BY created_at DESC LIMIT 2000", [now - dt.timedelta(days=90)]), 20))
    held = selectors.texts_held()
    print(f"held texts: {held.count():,}", flush=True)
    report("moderation queue (count + first 20)", timed(lambda: (held.count(), list(held[:20])), 50),
           timed(lambda: (raw("SELECT count(*) FROM disclosure_textreview WHERE status = 'pending'")(),
                          raw("SELECT r.*, c.* FROM disclosure_textreview r JOIN cases_case c ON c.id = r.case_id "
                              "WHERE r.status = 'pending' ORDER BY r.created_at, r.id LIMIT 20")()), 50))


if __name__ == "__main__":
    main()
