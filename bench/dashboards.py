#!/usr/bin/env python
"""Leader dashboard benchmark on PostgreSQL: the page's queries at a large city's volume.

It reads the cases another benchmark generated (by default ``bench10m``, the 10-million-case decade of
``bench/assessment.py``; ``BENCH_DATABASE_URL`` picks another, e.g. the year of ``bench/cases.py``) and
times, with the clock set to the last report's time:

* the whole leader dashboard (``GET /dashboards/`` through Django's test client, as a leader): p50/p95,
  with the city-wide figures shared between views (``LIVE_CACHE_SECONDS``) and counted afresh;
* each of its parts counted afresh (the month's tally behind the headline figures and both tables, the
  12-week trend, the grid density map): p50/p95;
* a raw-SQL floor: the headline figures in one statement, with no ORM.

    .venv/bin/python bench/dashboards.py --runs 30
"""
from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import os
import statistics
import sys
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench10m")
_spec = importlib.util.spec_from_file_location("bench_cases", ROOT / "bench" / "cases.py")
bench_cases = importlib.util.module_from_spec(_spec)
sys.modules["bench_cases"] = bench_cases
_spec.loader.exec_module(bench_cases)

FLOOR_SQL = """
SELECT count(*) FILTER (WHERE created_at >= %(month)s AND created_at < %(end)s),
       count(*) FILTER (WHERE created_at >= %(today)s AND created_at < %(end)s)
FROM cases_case WHERE created_at >= %(month)s AND created_at < %(end)s;
SELECT count(*) FROM cases_case WHERE state = ANY(%(open)s);
SELECT count(*) FROM cases_case WHERE stage_deadline < %(now)s;
SELECT count(DISTINCT case_id), count(DISTINCT case_id) FILTER (WHERE NOT done_in_time)
FROM cases_caseevent WHERE action = 'handle' AND done_in_time IS NOT NULL
  AND created_at >= %(month)s AND created_at < %(end)s;
"""


timed = bench_cases.timed


def line(name: str, times: list[float]) -> str:
    return (f"| {name} | {statistics.median(times):.0f} | {bench_cases.percentile(times, 0.95):.0f} | "
            f"{len(times)} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--at", help="the clock (local ISO time, e.g. 2026-05-31T23:00: a month's last day that is "
                                     "a Sunday counts a whole month and a whole week); default: the last report")
    args = parser.parse_args()
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("HTTPS", "0")
    bench_cases.django_setup()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from jingzhi.cases.models import Case
    from jingzhi.cases.workflow import OPEN_STATES
    from jingzhi.dashboards import selectors
    from jingzhi.dashboards.periods import day_of, month_to_date
    from jingzhi.org.models import Role, User
    from jingzhi.org.services import user_create

    now = Case.objects.order_by("-created_at").values_list("created_at", flat=True).first()
    if args.at:
        now = timezone.make_aware(dt.datetime.fromisoformat(args.at))
    if now is None:
        sys.exit(f"no cases in {bench_cases.BENCH_DB}: generate them first (bench/assessment.py or bench/cases.py)")
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM cases_case")
        total = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM cases_caseevent")
        events = cursor.fetchone()[0]
    print(f"{bench_cases.BENCH_DB}: {total:,} cases, {events:,} events; clock set to {now:%Y-%m-%d %H:%M}")
    leader = User.objects.filter(username="bench_leader").first() or user_create(
        username="bench_leader", password=os.urandom(12).hex(), roles=(Role.LEADER,))
    client = Client()
    client.force_login(leader)

    with mock.patch.object(timezone, "now", lambda: now):
        today = timezone.localdate()
        month, day = month_to_date(today), day_of(today)
        cases = Case.objects.all()
        params = {"month": month.bounds[0], "today": day.bounds[0], "end": day.bounds[1], "now": now,
                  "open": list(OPEN_STATES)}

        def page():
            response = client.get("/dashboards/", HTTP_HOST="127.0.0.1")
            assert response.status_code == 200, response.status_code

        def floor():
            with connection.cursor() as cursor:
                for statement in FLOOR_SQL.strip().split(";\n"):
                    cursor.execute(statement, params)
                    cursor.fetchall()

        parts = {
            "month tally (headline figures, district and department tables)":
                lambda: selectors.month_tally(cases=cases, today=today, now=now),
            "12-week trend": lambda: selectors.weekly_trend(cases=cases, today=today),
            "grid density": lambda: selectors.grid_density(cases=cases, period=month),
        }
        def cold(function):
            def run():
                cache.clear()  # the shared city-wide figures and the finished weeks counted afresh
                function()
            return run

        page()  # warm: templates, the plan, the caches of the database
        print("| what | p50 ms | p95 ms | runs |\n|---|---:|---:|---:|")
        print(line("**leader dashboard** `GET /dashboards/`, figures shared (≤ 60 s old)", timed(page, args.runs)))
        print(line("leader dashboard, counted afresh (cache cleared)", timed(cold(page), max(3, args.runs // 4))))
        for name, function in parts.items():
            print(line(f"{name}, counted afresh", timed(cold(function), max(3, args.runs // 4))))
        print(line("raw-SQL floor: the headline figures", timed(floor, args.runs)))


if __name__ == "__main__":
    main()
