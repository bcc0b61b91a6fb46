#!/usr/bin/env python
"""Assessment benchmark on PostgreSQL: a decade of a large city's cases (≥ 10,000,000), then

* the back-fill of the daily rollup (日汇总, ``manage.py assessment_rollup``) over the last months;
* the monthly assessment (月考核) of every unit and post, read from the rollup, against a raw-SQL
  floor summing the same rollup rows (and, for scale, counting the month from its events as before
  the rollup, and the raw one-pass floor of that);
* the quarterly review (季点评), its months computed first, then from the stored months;
* the first page of a drill-down (the API's count and 50 rows, p50/p95 ms), in the selector and
  through ``GET /api/assessment/results/<id>/drilldown/``, against a raw-SQL page and the
  framework's cheapest authenticated answer (``GET /api/org/me/``).

It uses its own database (``bench10m``; the dashboards benchmark reads it too); a generated dataset
is kept and reused by later runs (``generate`` returns at once when it is complete, resumes when not;
``dropdb bench10m`` frees the disk)::

    .venv/bin/python bench/assessment.py setup            # createdb, migrate, org + geo demo, catalogue, users
    .venv/bin/python bench/assessment.py generate --cases 10000000   # server-side SQL (generate_series)
    .venv/bin/python bench/assessment.py rollup --months 13          # back-fill the daily rollup
    .venv/bin/python bench/assessment.py assess           # 月考核 + floors, 季点评, drill-down p95
    .venv/bin/python bench/assessment.py all --cases 10000000

Every step prints the database's size on disk and the disk's free space.
Generation runs inside PostgreSQL: ``INSERT … SELECT`` over ``generate_series`` for the cases and a
``CROSS JOIN LATERAL (VALUES …)`` over the cases for their history, with every random draw a hash of
the case id (``bench_u(id, k)``), so a case and its events agree without a staging table. Secondary
indexes are dropped for the load and rebuilt after; foreign-key triggers are off for the session
(rows are consistent by construction). The distributions: volume grows over the decade, reports
fall in working hours, categories follow a skewed catalogue mix (nine common classes six times as
likely), places are the demo's 100 m grids (so districts weigh by area), sources are 70 %
inspectors; stage times are drawn around the catalogue's default limits (about 12–15 % of stages
late); 3 % of reports are refused, 1 % voided after 立案, 9 % of closures not fixed, 6 % reworked,
70 % of public reports rated. Stage deadlines use natural time (the services use the working
calendar; the counting does not care).
"""
from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import multiprocessing
import os
import random
import shutil
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench10m")
_spec = importlib.util.spec_from_file_location("bench_cases", ROOT / "bench" / "cases.py")
bench_cases = importlib.util.module_from_spec(_spec)
sys.modules["bench_cases"] = bench_cases
_spec.loader.exec_module(bench_cases)
BENCH_DB = bench_cases.BENCH_DB
SEED = 2018
YEARS = 10

#: The bench's staff beyond bench/cases.py's: a big city's command centre over a decade.
POSTS = {"inspector": 120, "intake_operator": 12, "shift_chief": 6, "dispatcher": 8}


percentile = bench_cases.percentile
timed = bench_cases.timed


def setup() -> None:
    bench_cases.setup()
    from jingzhi.org.models import Role, User
    from jingzhi.org.services import user_create

    for role, count in POSTS.items():
        for i in range(count):
            username = f"bench_{role}{i}"
            if not User.objects.filter(username=username).exists():
                user_create(username=username, password=os.urandom(12).hex(), roles=(Role(role),))
    print("bench posts:", POSTS)


def _disk(cursor) -> str:
    cursor.execute("SELECT pg_database_size(current_database()), pg_total_relation_size('cases_case'), "
                   "pg_total_relation_size('cases_caseevent'), pg_total_relation_size('assessment_dailycount') "
                   "+ pg_total_relation_size('assessment_dailypostcount')")
    total, cases, events, rollup = cursor.fetchone()
    free = shutil.disk_usage("/").free
    return (f"database {total / 2**30:.1f} GiB (cases {cases / 2**30:.1f} GiB, events {events / 2**30:.1f} GiB, "
            f"rollup {rollup / 2**20:.0f} MiB); {free / 2**30:.0f} GiB free on the disk")


def rollup(*, months: int) -> dict:
    """Back-fill the daily rollup (``rollup_rebuild``, what ``manage.py assessment_rollup`` runs) over
    the last ``months`` months, timed: the rebuild is per month, so the decade costs ~120× a month."""
    bench_cases.django_setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from jingzhi.assessment.rollup import rollup_rebuild

    call_command("migrate", verbosity=0)
    end = timezone.localdate() + dt.timedelta(days=1)
    start = end.replace(day=1)
    for _ in range(months - 1):
        start = (start - dt.timedelta(days=1)).replace(day=1)
    started = time.perf_counter()
    rows = rollup_rebuild(start=start, end=end)
    seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE assessment_dailycount; ANALYZE assessment_dailypostcount")
        disk = _disk(cursor)
    print(f"rollup {start}–{end} ({months} months): {rows:,} rows in {seconds:.0f} s "
          f"({seconds / months:.1f} s a month); {disk}")
    return {"rollup_rows": rows, "rollup_s": seconds}


def _times(case_id: str, created: str) -> str:
    """Lateral columns of a case's step times (inline: a function per row costs 10×). The report
    time grows denser over the decade (sqrt) and follows the id (ids grow with time, as in the
    application), in working hours; each stage takes a skewed draw around its limit (受理立案 4 h,
    派遣 30 min, 处置 48 h, 核查 1 h)."""
    u = f"bench_u({case_id}, {{}})".format
    steps = [("t_created", created), ("t_filed", f"t_created + interval '1 minute' * (12 + 260 * {u(1)})"),
             ("t_dispatched", f"t_filed + interval '1 minute' * (2 + 34 * {u(2)})"),
             ("t_handled", f"t_dispatched + interval '1 minute' * (60 + 3300 * {u(3)} ^ 1.6::float8)"),
             ("t_verified", f"t_handled + interval '1 minute' * (8 + 60 * {u(4)})"),
             ("t_closed", f"t_verified + interval '1 minute' * (5 + 115 * {u(5)})")]
    return "\n".join(f"CROSS JOIN LATERAL (SELECT {expression} AS {name}) {name}_" for name, expression in steps)


CREATED = ("date_trunc('day', %(start)s::timestamptz + interval '1 second' * %(span)s::float8"
           " * sqrt((g.id - 1 + bench_u(g.id, 0)) / %(count)s::float8))"
           " + interval '7 hours' + interval '1 minute' * 720 * bench_u(g.id, 14)")

CASE_SQL = """
INSERT INTO cases_case (id, number, category_id, source, urgency, description, address, lon, lat, coord_system,
    district_id, subdistrict_id, grid_code, state, department_id, suggested_department_id, stage, stage_started_at,
    stage_deadline, escalated_at, reporter_id, reporter_name, reporter_phone, reporter_email, device_id, attributes,
    inspector_id, duplicate_of_id,
    reject_reason, rework_count, satisfaction, created_at, updated_at, closed_at, outcome, outcome_reason)
SELECT g.id, 'B' || g.id, cat.id, src.source, 'normal', '巡查发现问题', '', p.lon, p.lat, 'wgs84',
    p.district_id, p.subdistrict_id, p.grid_code,
    CASE WHEN fate < 0.03 THEN 'rejected' WHEN fate < 0.04 THEN 'voided'
         WHEN t_closed > %(now)s THEN 'handling' ELSE 'closed' END,
    CASE WHEN fate < 0.04 THEN NULL ELSE dep.department_id END,
    CASE WHEN fate < 0.03 THEN NULL ELSE dep.department_id END,
    CASE WHEN fate >= 0.04 AND t_closed > %(now)s THEN 'handle' ELSE '' END,
    CASE WHEN fate >= 0.04 AND t_closed > %(now)s THEN t_dispatched END,
    CASE WHEN fate >= 0.04 AND t_closed > %(now)s THEN t_dispatched + interval '48 hours' END,
    NULL,
    CASE WHEN src.source = 'inspector' THEN bench_pick(%(inspectors)s, g.id) END,
    '', '', '', '', '{}'::jsonb, NULL, NULL,
    CASE WHEN fate < 0.03 THEN 'invalid' ELSE '' END,
    CASE WHEN bench_u(g.id, 8) < 0.06 AND fate >= 0.04 THEN 1 ELSE 0 END,
    CASE WHEN src.source IN ('citizen', 'hotline_12345', 'hotline_12319') AND fate >= 0.04
              AND t_closed <= %(now)s AND bench_u(g.id, 9) < 0.7
         THEN (ARRAY['satisfied','satisfied','satisfied','satisfied','satisfied','satisfied','satisfied',
                     'satisfied','fairly_satisfied','dissatisfied'])[1 + floor(bench_u(g.id, 10) * 10)::int]
         ELSE '' END,
    t_created, t_created,
    CASE WHEN fate >= 0.04 AND t_closed <= %(now)s THEN t_closed END,
    CASE WHEN fate < 0.04 THEN 'not_fixed' WHEN t_closed > %(now)s THEN ''
         WHEN bench_u(g.id, 7) < 0.91 THEN 'fixed' ELSE 'not_fixed' END,
    CASE WHEN fate < 0.03 THEN 'invalid' WHEN fate < 0.04 THEN 'voided' WHEN t_closed > %(now)s THEN ''
         WHEN bench_u(g.id, 7) < 0.91 THEN ''
         WHEN bench_u(g.id, 7) < 0.96 THEN 'not_feasible' ELSE 'out_of_scope' END
FROM generate_series(%(first)s::bigint, %(last)s::bigint) AS g(id)
CROSS JOIN LATERAL (SELECT bench_u(g.id, 6) AS fate) f
""" + _times("g.id", CREATED) + """
JOIN bench_places p ON p.i = 1 + floor(bench_u(g.id, 11) * %(places)s)::int
JOIN bench_categories cat ON cat.slot = 1 + floor(bench_u(g.id, 12) * 1000)::int
CROSS JOIN LATERAL (SELECT CASE WHEN bench_u(g.id, 13) < 0.70 THEN 'inspector'
                               WHEN bench_u(g.id, 13) < 0.85 THEN 'hotline_12345'
                               WHEN bench_u(g.id, 13) < 0.93 THEN 'citizen'
                               WHEN bench_u(g.id, 13) < 0.97 THEN 'hotline_12319' ELSE 'sensor' END AS source) src
CROSS JOIN LATERAL (SELECT CASE cat.rule WHEN 'fixed' THEN coalesce(cat.department_id, p.district_id)
                                         WHEN 'road_maintainer' THEN coalesce(p.maintainer_id, p.district_id)
                                         ELSE p.district_id END AS department_id) dep
"""

#: One row per history event: (action, from, to, role, actor, time, deadline after, done in time, condition).
EVENT_SQL = """
INSERT INTO cases_caseevent (case_id, action, from_state, to_state, actor_id, actor_role, created_at, comment, data,
                             stage_deadline, done_in_time)
SELECT c.id, e.action, e.from_state, e.to_state, e.actor_id, e.role, e.at, '', '{}'::jsonb, e.deadline, e.in_time
FROM cases_case c
""" + _times("c.id", "c.created_at") + """
CROSS JOIN LATERAL (VALUES
    ('report', '', 'reported', coalesce(c.reporter_id, bench_pick(%(intake)s, c.id)),
     CASE WHEN c.source = 'inspector' THEN 'inspector' ELSE 'intake_operator' END,
     t_created, t_created + interval '4 hours', NULL::boolean, true),
    ('reject', 'reported', 'rejected', bench_pick(%(intake)s, c.id), 'intake_operator',
     t_filed, NULL, t_filed <= t_created + interval '4 hours', c.state = 'rejected'),
    ('accept', 'reported', 'accepted', bench_pick(%(intake)s, c.id), 'intake_operator',
     t_filed - interval '5 minutes', t_created + interval '4 hours', NULL, c.state <> 'rejected'),
    ('file', 'accepted', 'filed', bench_pick(%(chiefs)s, c.id), 'shift_chief',
     t_filed, t_filed + interval '30 minutes', t_filed <= t_created + interval '4 hours',
     c.state <> 'rejected'),
    ('void', 'filed', 'voided', bench_pick(%(chiefs)s, c.id), 'shift_chief',
     t_dispatched, NULL, NULL, c.state = 'voided'),
    ('dispatch', 'filed', 'dispatched', bench_pick(%(dispatchers)s, c.id), 'dispatcher',
     t_dispatched, t_dispatched + interval '48 hours', t_dispatched <= t_filed + interval '30 minutes',
     c.state IN ('closed', 'handling')),
    ('handle', 'handling', 'handled', NULL, 'handler', t_handled, t_handled + interval '1 hour',
     t_handled <= t_dispatched + interval '48 hours', c.state = 'closed'),
    ('verify_pass', 'verifying', 'verified', bench_pick(%(inspectors)s, c.id), 'inspector',
     t_verified, NULL, t_verified <= t_handled + interval '1 hour', c.state = 'closed'),
    ('close', 'verified', 'closed', bench_pick(%(chiefs)s, c.id), 'shift_chief',
     t_closed, NULL, NULL, c.state = 'closed')
) AS e(action, from_state, to_state, actor_id, role, at, deadline, in_time, happened)
WHERE c.id BETWEEN %(first)s AND %(last)s AND e.happened
"""

FUNCTIONS_SQL = """
CREATE OR REPLACE FUNCTION bench_pick(ids bigint[], id bigint) RETURNS bigint LANGUAGE sql IMMUTABLE AS
$$ SELECT ids[1 + mod(id, cardinality(ids))] $$;
CREATE OR REPLACE FUNCTION bench_u(id bigint, k int) RETURNS float8 LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$ SELECT (hashint8(id * 64 + k)::float8 + 2147483648) / 4294967296 $$;
"""


def _user_ids(role: str) -> list[int]:
    from jingzhi.org.models import RoleGrant

    return list(RoleGrant.objects.filter(role=role).order_by("user_id").values_list("user_id", flat=True))


def _staging(cursor) -> int:
    """The places (the demo's grids with their district, sub-district, road maintainer) and the
    category mix as 1,000 slots; returns the number of places."""
    from jingzhi.cases.models import Category

    cursor.execute("""
        DROP TABLE IF EXISTS bench_places;
        CREATE UNLOGGED TABLE bench_places AS
        SELECT row_number() OVER (ORDER BY g.code)::int AS i, d.unit_id AS district_id, s.unit_id AS subdistrict_id,
               g.code AS grid_code, (g.min_lon + g.max_lon) / 2 AS lon, (g.min_lat + g.max_lat) / 2 AS lat,
               NULL::bigint AS maintainer_id
        FROM geo_grid g JOIN geo_area d ON d.id = g.district_id LEFT JOIN geo_area s ON s.id = g.subdistrict_id
        WHERE d.unit_id IS NOT NULL;
        ALTER TABLE bench_places ADD PRIMARY KEY (i);
        UPDATE bench_places p SET maintainer_id = z.unit_id FROM (
            SELECT DISTINCT ON (d.unit_id) d.unit_id AS district_id, z.unit_id FROM geo_responsibilityzone z
            JOIN geo_area d ON z.min_lon <= d.max_lon AND z.max_lon >= d.min_lon AND z.min_lat <= d.max_lat
                           AND z.max_lat >= d.min_lat AND d.level = 'district'
            WHERE d.unit_id IS NOT NULL ORDER BY d.unit_id, z.id) z
        WHERE z.district_id = p.district_id;
    """)
    cursor.execute("SELECT count(*) FROM bench_places")
    places = cursor.fetchone()[0]
    categories = list(Category.objects.select_related("category_class").order_by("id"))
    common = {"0501", "0102", "0505", "0506", "0504", "0201", "0103", "0109", "0302"}
    weights = [6 if c.code in common else 1 for c in categories]
    total, slots, acc = sum(weights), [], 0.0
    for category, weight in zip(categories, weights, strict=True):
        acc += weight
        slots += [category] * (round(acc / total * 1000) - len(slots))
    cursor.execute("DROP TABLE IF EXISTS bench_categories; CREATE UNLOGGED TABLE bench_categories "
                   "(slot int PRIMARY KEY, id bigint, rule text, department_id bigint)")
    cursor.executemany("INSERT INTO bench_categories VALUES (%s, %s, %s, %s)",
                       [(i + 1, c.pk, c.department_rule, c.department_unit_id) for i, c in enumerate(slots)])
    return places


def _secondary_indexes(cursor) -> list[str]:
    """Drop the case tables' indexes that back no constraint, for the load; their definitions are
    kept in ``bench_indexes`` so an interrupted load resumes and still rebuilds them."""
    cursor.execute("SELECT to_regclass('bench_indexes') IS NOT NULL")
    if not cursor.fetchone()[0]:
        cursor.execute("""
            CREATE TABLE bench_indexes AS SELECT indexname AS name, indexdef AS definition FROM pg_indexes i
            WHERE tablename IN ('cases_case', 'cases_caseevent') AND NOT EXISTS (
                SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)""")
    cursor.execute("SELECT name, definition FROM bench_indexes")
    indexes = cursor.fetchall()
    for name, _definition in indexes:
        cursor.execute(f'DROP INDEX IF EXISTS "{name}"')
    return [definition for _name, definition in indexes]


def _load_chunks(task) -> int:
    """One worker: load its share of the chunks (a chunk whose last case has its history is done;
    a half-loaded one is cleared and loaded again). Returns the events written."""
    chunks, params = task
    import psycopg

    events = 0
    with psycopg.connect(bench_cases.DATABASE_URL.replace("postgres://", "postgresql://"), autocommit=True) as db:
        db.execute("SET session_replication_role = replica; SET synchronous_commit = off")
        for first, last in chunks:
            if db.execute("SELECT EXISTS (SELECT 1 FROM cases_caseevent WHERE case_id = %s)", [last]).fetchone()[0]:
                continue
            db.execute("DELETE FROM cases_caseevent WHERE case_id BETWEEN %s AND %s", [first, last])
            db.execute("DELETE FROM cases_case WHERE id BETWEEN %s AND %s", [first, last])
            t0 = time.monotonic()
            db.execute(CASE_SQL, {**params, "first": first, "last": last})
            t1 = time.monotonic()
            events += db.execute(EVENT_SQL, {**params, "first": first, "last": last}).rowcount
            print(f"  cases {first:,}–{last:,}: cases {t1 - t0:.0f} s, events {time.monotonic() - t1:.0f} s",
                  flush=True)
    return events


def generate(*, count: int, chunk: int, processes: int) -> None:
    bench_cases.django_setup()
    from django.db import connection

    from jingzhi.cases.models import Case

    if Case.objects.filter(pk=count).exists() and not Case.objects.filter(pk=count + 1).exists():
        with connection.cursor() as cursor:
            cursor.execute("SELECT to_regclass('bench_indexes') IS NULL")
            if cursor.fetchone()[0]:
                print(f"{count:,} cases already present; dropdb {BENCH_DB} to regenerate")
                return
    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute(FUNCTIONS_SQL)
        cursor.execute("SELECT to_regclass('bench_now') IS NULL")
        if cursor.fetchone()[0]:  # the decade ends now; a resumed load keeps the first run's now
            cursor.execute("CREATE TABLE bench_now AS SELECT date_trunc('second', now()) AS now")
        cursor.execute("SELECT now FROM bench_now")
        now = cursor.fetchone()[0]
        places = _staging(cursor)
        indexes = _secondary_indexes(cursor)
    start = now - dt.timedelta(days=365 * YEARS)
    span = (now - start).total_seconds() - 3 * 86400  # the last report three days ago
    params = {"now": now, "start": start, "span": span, "places": places, "count": count,
              "inspectors": _user_ids("inspector"), "intake": _user_ids("intake_operator"),
              "chiefs": _user_ids("shift_chief"), "dispatchers": _user_ids("dispatcher")}
    print(f"staging: {places:,} places, {len(indexes)} secondary indexes dropped "
          f"({time.monotonic() - started:.0f} s)", flush=True)
    chunks = [(first, min(count, first + chunk - 1)) for first in range(1, count + 1, chunk)]
    connection.close()
    with multiprocessing.get_context("spawn").Pool(processes) as pool:
        events = sum(pool.map(_load_chunks, [(chunks[p::processes], params) for p in range(processes)]))
    loaded = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '512MB'")
        for definition in indexes:
            cursor.execute(definition)
        indexed = time.monotonic()
        cursor.execute("SELECT setval(pg_get_serial_sequence('cases_case', 'id'), %s)", [count])
        cursor.execute("ANALYZE cases_case; ANALYZE cases_caseevent")
        cursor.execute("DROP TABLE bench_places, bench_categories, bench_indexes")
        cursor.execute("SELECT count(*) FROM cases_caseevent")
        total = cursor.fetchone()[0]
        print(f"generated {count:,} cases and {total:,} events ({events:,} in this run) in "
              f"{time.monotonic() - started:.0f} s with {processes} processes (load {loaded - started:.0f} s, "
              f"indexes {indexed - loaded:.0f} s); {_disk(cursor)}")


# ── timing ─────────────────────────────────────────────────────────────────────────────

FLOOR_SQL = """
SELECT grouping(c.district_id, c.subdistrict_id, c.department_id, e.actor_id) AS g,
       c.district_id, c.subdistrict_id, c.department_id, e.actor_role, e.actor_id,
       count(*) FILTER (WHERE e.action IN ('report', 'self_handle')) AS reports,
       count(*) FILTER (WHERE e.action = 'file') AS filed,
       count(*) FILTER (WHERE e.action = 'file' AND c.state = 'closed') AS closed,
       count(*) FILTER (WHERE e.action = 'file' AND c.outcome = 'fixed') AS fixed,
       count(*) FILTER (WHERE e.action = 'dispatch' AND e.done_in_time) AS dispatched_on_time,
       count(*) FILTER (WHERE e.action = 'handle' AND e.done_in_time) AS handled_on_time,
       count(*) FILTER (WHERE e.action IN ('verify_pass', 'verify_fail') AND e.done_in_time) AS verified_on_time,
       count(*) FILTER (WHERE e.action = 'close') AS closings
FROM cases_caseevent e JOIN cases_case c ON c.id = e.case_id
WHERE e.created_at >= %s AND e.created_at < %s
  AND e.action IN ('report', 'self_handle', 'file', 'dispatch', 'handle', 'verify_pass', 'verify_fail', 'close',
                   'accept', 'reject', 'merge', 'confirm', 'confirm_assign', 'verify_assign', 'self_approve')
GROUP BY GROUPING SETS ((c.district_id), (c.subdistrict_id), (c.department_id), (e.actor_role, e.actor_id))
"""

def _rollup_floor_sql() -> list[str]:
    """The least reading the month's rollup can cost: the same sums in raw SQL, units in one
    ``GROUPING SETS`` pass, posts in another."""
    from jingzhi.assessment.rollup import COLUMNS

    sums = ", ".join(f'sum("{name}")' for name in COLUMNS)
    return [f"SELECT district, subdistrict, department, {sums} FROM assessment_dailycount "
            "WHERE day >= %s AND day < %s GROUP BY GROUPING SETS ((district), (subdistrict), (department))",
            f'SELECT role, "user", {sums} FROM assessment_dailypostcount WHERE day >= %s AND day < %s '
            'GROUP BY role, "user"']


DRILL_FLOOR_SQL = """
SELECT e.id, e.created_at, e.done_in_time, c.id, c.number, c.state, c.outcome
FROM cases_caseevent e JOIN cases_case c ON c.id = e.case_id
WHERE e.action = 'file' AND e.created_at >= %s AND e.created_at < %s AND c.district_id = %s
ORDER BY e.created_at, e.id LIMIT 50
"""


def assess(*, month: str | None, runs: int) -> dict:
    bench_cases.django_setup()
    from django.db import connection
    from django.utils import timezone

    from jingzhi.assessment.counting import period_bounds, period_counters
    from jingzhi.assessment.models import DailyCount, Result
    from jingzhi.assessment.periods import month_before, period_parse
    from jingzhi.assessment.selectors import drilldown_rows
    from jingzhi.assessment.services import assessment_month_compute

    figures = {}
    period = period_parse(month) if month else month_before(timezone.localdate() - dt.timedelta(days=31))
    quarter = f"{period.start.year}-Q{(period.start.month - 1) // 3 + 1}"
    since, until = period_bounds(period.start, period.end)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM cases_case")
        figures["cases"] = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM cases_caseevent WHERE created_at >= %s AND created_at < %s",
                       [since, until])
        figures["month_events"] = cursor.fetchone()[0]
        figures["disk"] = _disk(cursor)
    print(f"{figures['cases']:,} cases; {period.code} has {figures['month_events']:,} events; {figures['disk']}")
    rows = DailyCount.objects.filter(day__gte=period.start, day__lt=period.end).count()
    if not rows:
        sys.exit(f"no daily rollup for {period.code}: run `bench/assessment.py rollup` first")
    print(f"{period.code} has {rows:,} rollup rows (units)")

    def floor():
        with connection.cursor() as cursor:
            for sql in _rollup_floor_sql():
                cursor.execute(sql, [period.start, period.end])
                cursor.fetchall()

    def events_floor():
        with connection.cursor() as cursor:
            cursor.execute(FLOOR_SQL, [since, until])
            return cursor.fetchall()

    started = time.perf_counter()
    period_counters(since, until)
    figures["direct_s"] = time.perf_counter() - started
    figures["events_floor_s"] = timed(events_floor, 1)[0] / 1000
    print(f"counting {period.code} from its events (the definition, before the rollup): "
          f"{figures['direct_s']:.2f} s; raw-SQL one-pass floor over the events {figures['events_floor_s']:.2f} s")

    month_times = []
    for _ in range(runs):
        started = time.perf_counter()
        assessment = assessment_month_compute(period=period.code)
        month_times.append(time.perf_counter() - started)
    floor_times = [t / 1000 for t in timed(floor, runs)]
    results = Result.objects.filter(assessment=assessment).count()
    figures["month_s"] = statistics.median(month_times)
    figures["floor_s"] = statistics.median(floor_times)
    print(f"月考核 {period.code}: {results} results; median {figures['month_s']:.3f} s over {runs} runs "
          f"(runs {', '.join(f'{t:.3f}' for t in month_times)}); raw-SQL floor (the month's rollup sums) "
          f"{figures['floor_s']:.3f} s; ratio {figures['month_s'] / figures['floor_s']:.1f}")

    started = time.perf_counter()
    assessment_month_compute(period=quarter)
    figures["quarter_s"] = time.perf_counter() - started
    started = time.perf_counter()
    assessment_month_compute(period=quarter)
    figures["quarter_again_s"] = time.perf_counter() - started
    print(f"季点评 {quarter}: {figures['quarter_s']:.2f} s (computing missing months first), "
          f"{figures['quarter_again_s']:.2f} s from stored months")

    # Drill-down first pages: a random unit and counter of the month, as the page asks for them.
    rng = random.Random(SEED)
    stored = list(Result.objects.filter(assessment=assessment).exclude(counters={}))
    picks = []
    for _ in range(runs * 20):
        result = rng.choice(stored)
        counter = rng.choice([name for name, value in result.counters.items() if value and name != "grids"])
        picks.append((result, counter))
    drill, slowest = [], []
    for result, counter in picks:
        started = time.perf_counter()
        rows = drilldown_rows(result=result, counter=counter)
        rows.count()  # what the API's pagination asks first
        list(rows[:50])
        drill.append((time.perf_counter() - started) * 1000)
        slowest.append((drill[-1], result.kind, counter, result.counters.get(counter)))
    districts = [r.unit_id for r in stored if r.kind == "district"]

    def drill_floor():
        with connection.cursor() as cursor:
            cursor.execute(DRILL_FLOOR_SQL, [since, until, rng.choice(districts)])
            return cursor.fetchall()

    drill_floor_times = timed(drill_floor, runs * 20)
    figures["drill_p50"], figures["drill_p95"] = percentile(drill, 0.5), percentile(drill, 0.95)
    figures["drill_floor_p95"] = percentile(drill_floor_times, 0.95)
    print(f"drill-down first page (count + 50 rows; {len(drill)} random unit × counter): p50 "
          f"{figures['drill_p50']:.1f} ms, p95 {figures['drill_p95']:.1f} ms, max {max(drill):.1f} ms; raw-SQL floor "
          f"(district 立案 list) p95 {figures['drill_floor_p95']:.1f} ms; slowest: "
          + ", ".join(f"{kind} {counter} ({value}) {ms:.0f} ms" for ms, kind, counter, value in sorted(slowest)[-3:]))
    figures.update(_drilldown_http(picks, runs))
    return figures


def _drilldown_http(picks: list, runs: int) -> dict:
    """The same first pages through the API (``GET /api/assessment/results/<id>/drilldown/``, as a
    leader), against the framework's cheapest authenticated answer (``GET /api/org/me/``)."""
    from django.test import Client

    from jingzhi.org.models import Role, User
    from jingzhi.org.services import user_create

    leader = User.objects.filter(username="bench_leader").first() or user_create(
        username="bench_leader", password=os.urandom(12).hex(), roles=(Role.LEADER,))
    client = Client()
    client.force_login(leader)

    def get(url):
        started = time.perf_counter()
        response = client.get(url, HTTP_HOST="127.0.0.1")
        assert response.status_code == 200, (url, response.status_code)
        return (time.perf_counter() - started) * 1000

    get("/api/org/me/")
    pages = [get(f"/api/assessment/results/{result.pk}/drilldown/?counter={counter}") for result, counter in picks]
    floor = [get("/api/org/me/") for _ in range(runs * 20)]
    figures = {"drill_http_p50": percentile(pages, 0.5), "drill_http_p95": percentile(pages, 0.95),
               "http_floor_p95": percentile(floor, 0.95)}
    print(f"drill-down first page through the API: p50 {figures['drill_http_p50']:.1f} ms, p95 "
          f"{figures['drill_http_p95']:.1f} ms; floor GET /api/org/me/ p50 {percentile(floor, 0.5):.1f} ms, p95 "
          f"{figures['http_floor_p95']:.1f} ms")
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("step", choices=["setup", "generate", "rollup", "assess", "all"])
    parser.add_argument("--cases", type=int, default=10_000_000)
    parser.add_argument("--chunk", type=int, default=250_000)
    parser.add_argument("--processes", type=int, default=3)
    parser.add_argument("--month", help="YYYY-MM to assess (default: the month before last)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--months", type=int, default=13, help="months of daily rollup to back-fill")
    args = parser.parse_args()
    os.environ.setdefault("DEBUG", "0")  # as in production: no query log, no debug pages
    os.environ.setdefault("HTTPS", "0")
    if args.step in ("setup", "all"):
        setup()
    if args.step in ("generate", "all"):
        generate(count=args.cases, chunk=args.chunk, processes=args.processes)
    if args.step in ("rollup", "all"):
        rollup(months=args.months)
    if args.step in ("assess", "all"):
        assess(month=args.month, runs=args.runs)


if __name__ == "__main__":
    sys.exit(main())
