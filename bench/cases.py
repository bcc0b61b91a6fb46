#!/usr/bin/env python
"""Case-loop benchmark on PostgreSQL: a year of cases (≥ 1,000,000) with full histories, then

* the department work-list and the overdue queries (p50/p95 ms, through the real selectors),
* intake through the HTTP API under gunicorn (requests/s, p50/p99, cases lost = 0, CPU per request
  of gunicorn, PostgreSQL and wrk: the load generator shares the machine).

It uses its own database (``jingzhi_bench``), never the test database::

    .venv/bin/python bench/cases.py setup                 # createdb, migrate, org + geo demo, catalogue, users
    .venv/bin/python bench/cases.py generate --cases 1000000 --processes 2   # COPY; several minutes
    .venv/bin/python bench/cases.py queries               # work-list / overdue p95
    .venv/bin/python bench/cases.py intake --seconds 30   # gunicorn on 127.0.0.1 + wrk (apt-get install wrk)
    .venv/bin/python bench/cases.py floor --seconds 30    # the same server on the login page and GET /api/org/me/
    .venv/bin/python bench/cases.py all --cases 1000000   # the four in a row

Bulk cases are simulated with the same stage-clock rule and working calendar as the services
(``clock.stage_move``), and written with COPY while foreign-key triggers are off for the
session (``session_replication_role = replica``; rows are consistent by construction).
"""
from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import multiprocessing
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/jingzhi_bench")
BENCH_DB = DATABASE_URL.rsplit("/", 1)[1]
PORT = 8765
SEED = 2018


def django_setup() -> None:
    os.environ["DATABASE_URL"] = DATABASE_URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jingzhi.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def timed(function, runs: int) -> list[float]:
    """Milliseconds of each of ``runs`` calls of ``function`` (for ``percentile``)."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return times


# ── setup ──────────────────────────────────────────────────────────────────────────────


def create_database() -> None:
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [BENCH_DB]).fetchone():
            connection.execute(f"CREATE DATABASE {BENCH_DB}")
            print(f"created database {BENCH_DB}")


class _Quiet:
    def write(self, *_args, **_kwargs):
        pass


def setup() -> None:
    create_database()
    django_setup()
    from django.conf import settings
    from django.core.management import call_command

    from jingzhi.cases.catalogue import catalogue_load
    from jingzhi.geo import demo as geo_demo
    from jingzhi.org import demo as org_demo

    call_command("migrate", verbosity=0)
    org_demo.load_demo(stdout=_Quiet())
    started = time.monotonic()
    geo_demo.load_demo(stdout=_Quiet())
    print(f"geography loaded in {time.monotonic() - started:.0f} s")
    print("catalogue:", catalogue_load(path=settings.DATA_DIR / "cases" / "catalogue.yaml"))
    cast = bench_users()
    print(f"users: {sum(len(v) for v in cast.values())} bench accounts")


def bench_users() -> dict[str, list]:
    """Command-centre staff, inspectors and one handler per department a case can be sent to."""
    from rest_framework.authtoken.models import Token

    from jingzhi.cases.models import Category
    from jingzhi.org.models import Role, Unit, UnitKind, User
    from jingzhi.org.services import user_create

    def make(username, role, unit=None):
        user = User.objects.filter(username=username).first()
        if user is None:
            user = user_create(username=username, password=os.urandom(12).hex(), unit=unit, roles=(role,))
        return user

    departments = set(Unit.objects.filter(kind=UnitKind.DISTRICT).values_list("pk", flat=True))
    departments |= set(Category.objects.exclude(department_unit=None).values_list("department_unit", flat=True))
    from jingzhi.geo.models import ResponsibilityZone

    departments |= set(ResponsibilityZone.objects.values_list("unit_id", flat=True))
    cast = {
        "intake": [make(f"bench_intake{i}", Role.INTAKE_OPERATOR) for i in range(4)],
        "chief": [make(f"bench_chief{i}", Role.SHIFT_CHIEF) for i in range(2)],
        "dispatcher": [make(f"bench_dispatcher{i}", Role.DISPATCHER) for i in range(3)],
        "inspector": [make(f"bench_inspector{i}", Role.INSPECTOR) for i in range(20)],
        "handler": [make(f"bench_handler{pk}", Role.HANDLER, Unit.objects.get(pk=pk)) for pk in sorted(departments)],
    }
    for user in cast["intake"]:
        Token.objects.get_or_create(user=user)
    return cast


# ── generation ─────────────────────────────────────────────────────────────────────────

CASE_COLUMNS = (
    "id", "number", "category_id", "source", "urgency", "description", "address", "lon", "lat", "coord_system",
    "district_id", "subdistrict_id", "grid_code", "state", "department_id", "suggested_department_id", "stage",
    "stage_started_at", "stage_deadline", "escalated_at", "reporter_id", "reporter_name", "reporter_phone",
    "inspector_id", "duplicate_of_id", "reject_reason", "rework_count", "satisfaction", "created_at", "updated_at",
    "closed_at", "outcome", "outcome_reason", "reporter_email", "device_id", "attributes",
)
EVENT_COLUMNS = ("case_id", "action", "from_state", "to_state", "actor_id", "actor_role", "created_at", "comment",
                 "data", "stage_deadline", "done_in_time")
STEP_COLUMNS = ("case_id", "order", "name", "limit_value", "limit_unit", "due_at", "arrived_at", "done_in_time")


@dataclass
class World:
    """Everything a generator process needs, built once in the parent (inherited by fork)."""

    categories: list
    weights: list[float]
    places: list[tuple]  # (lon, lat, district_id, subdistrict_id, grid_code, road_maintainer_id)
    users: dict[str, list[int]]
    handlers: dict[int, int]  # department unit id -> handler user id
    now: dt.datetime


WORLD: World | None = None
STAGE_MOVE = None  # clock.stage_move, bound once Django is set up


def world_build(now: dt.datetime) -> World:
    from jingzhi.cases.models import Category
    from jingzhi.geo.demo import CENTRAL_BBOX
    from jingzhi.geo.selectors import locate_points

    rng = random.Random(SEED)
    west, south, east, north = CENTRAL_BBOX
    points = [(rng.uniform(west, east), rng.uniform(south, north)) for _ in range(300_000)]
    places = [(loc.lon, loc.lat, loc.district.pk, loc.subdistrict.pk if loc.subdistrict else None, loc.grid_code,
               loc.responsible_units["road_maintainer"].pk if "road_maintainer" in loc.responsible_units else None)
              for loc in locate_points(points=points) if loc.inside and loc.grid_code]
    categories = list(Category.objects.select_related("category_class", "department_unit"))
    common = {"0501", "0102", "0505", "0506", "0504", "0201", "0103", "0109", "0302"}
    cast = bench_users()
    return World(
        categories=categories, weights=[6 if c.code in common else 1 for c in categories], places=places,
        users={role: [user.pk for user in users] for role, users in cast.items()},
        handlers={user.unit_id: user.pk for user in cast["handler"]}, now=now,
    )


class Simulated:
    """One case's life in memory, moving the stage clock with the services' own rule."""

    def __init__(self, case, rng: random.Random, now: dt.datetime):
        self.case, self.rng, self.now, self.at = case, rng, now, case.created_at
        self.events: list[tuple] = []
        self.steps: list[tuple] = []

    def act(self, action: str, actor: int | None, role: str, target: str, minutes: tuple[float, float],
            data: str = "{}", comment: str = "") -> bool:
        moment = self.at + dt.timedelta(minutes=self.rng.uniform(*minutes))
        if moment > self.now:
            return False
        source = self.case.state
        done = STAGE_MOVE(self.case, target, moment)
        self.case.state = target
        self.at = self.case.updated_at = moment
        self.events.append((self.case.pk, action, source, target, actor, role, moment, comment, data,
                            self.case.stage_deadline, done))
        return True

    def stage_share(self, low: float, high: float) -> tuple[float, float]:
        limit = (self.case.stage_deadline - self.at).total_seconds() / 60
        return limit * low, limit * high


def _life(sim: Simulated, world: World, budget: int | None) -> None:
    """The bench's mix: most closed (some late, 10 % reworked), a few rejected, voided or suspended;
    recent cases stop after ``budget`` steps, so every open state is present."""
    rng, case, users = sim.rng, sim.case, world.users
    intake, chief = rng.choice(users["intake"]), rng.choice(users["chief"])
    dispatcher, inspector = rng.choice(users["dispatcher"]), rng.choice(users["inspector"])
    handler = world.handlers[case.suggested_department_id]

    def late() -> tuple[float, float]:  # 12 % of stages finish after their deadline
        return sim.stage_share(1.05, 1.8) if rng.random() < 0.12 else sim.stage_share(0.05, 0.9)

    def checked() -> tuple[float, float]:
        return sim.stage_share(0.2, 0.9)

    roll = rng.random()
    plan: list[tuple] = [("accept", intake, "intake_operator", "accepted", (3, 40))]
    if roll < 0.03:
        plan = [("reject", intake, "intake_operator", "rejected", (5, 60))]
    else:
        plan.append(("file", chief, "shift_chief", "filed", (3, 25)))
        if roll > 0.995:
            plan.append(("void", chief, "shift_chief", "voided", (5, 60)))
        else:
            plan.append(("dispatch", dispatcher, "dispatcher", "dispatched", late))
            if case.category.on_site_steps:
                plan.append(("on_site_arrive", handler, "handler", "handling", lambda: sim.stage_share(0.1, 0.6)))
            else:
                plan.append(("receive", handler, "handler", "handling", (5, 90)))
            suspended = roll < 0.035  # 挂账 (0.5 %): a backlog that stays on the department's list
            if suspended:
                plan += [("suspend_request", handler, "handler", "suspend_requested", (30, 480)),
                         ("suspend_approve", dispatcher, "dispatcher", "suspended", (10, 120))]
            rounds = 0 if suspended else 2 if rng.random() < 0.1 else 1
            for attempt in range(rounds):
                plan += [("handle", handler, "handler", "handled", late),
                         ("verify_assign", intake, "intake_operator", "verifying", (3, 20))]
                if attempt < rounds - 1:
                    plan += [("verify_fail", inspector, "inspector", "verify_failed", checked),
                             ("rework", dispatcher, "dispatcher", "handling", (5, 40))]
            if rounds:
                plan += [("verify_pass", inspector, "inspector", "verified", late),
                         ("close", chief, "shift_chief", "closed", (5, 60))]
    effects = {
        "reject": lambda: setattr(case, "reject_reason", "invalid"),
        "dispatch": lambda: setattr(case, "department_id", case.suggested_department_id),
        "verify_assign": lambda: setattr(case, "inspector_id", inspector),
        "rework": lambda: setattr(case, "rework_count", case.rework_count + 1),
        "close": lambda: setattr(case, "closed_at", sim.at),
    }
    for action, actor, role, target, minutes in plan:
        if budget is not None:
            if budget == 0:
                return
            budget -= 1
        if not sim.act(action, actor, role, target, minutes() if callable(minutes) else minutes):
            return
        effects.get(action, lambda: None)()
        if action == "dispatch" and case.category.on_site_steps:
            first = case.category.on_site_steps[0]
            sim.steps.append((case.pk, 1, first["name"], first["value"], first["unit"],
                              sim.at + dt.timedelta(minutes=first["value"]), None, None))
        if action == "on_site_arrive" and sim.steps:
            step = sim.steps[-1]
            sim.steps[-1] = (*step[:6], sim.at, sim.at <= step[5])


def _case_row(case) -> tuple:
    return tuple(json.dumps(value) if isinstance(value := getattr(case, column), dict) else value
                 for column in CASE_COLUMNS)


def generate_days(task: tuple[list[tuple[int, int, int]], int]) -> dict[str, int]:
    """Generate and COPY the cases of some days: [(day offset, first case id, count)]."""
    from django.db import connection
    from django.utils import timezone

    from jingzhi.cases import clock
    from jingzhi.cases.models import Case
    from jingzhi.cases.selectors import working_calendar

    global STAGE_MOVE
    STAGE_MOVE = clock.stage_move
    days, seed = task
    world = WORLD
    calendar = working_calendar()
    clock.working_calendar = lambda: calendar  # one calendar for the whole run, no query per deadline
    rng = random.Random(seed)
    counters: dict[str, int] = {}
    totals = {"cases": 0, "events": 0}
    cases, events, steps = [], [], []

    def flush():
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = replica")
            raw = cursor.cursor
            for table, columns, rows in (("cases_case", CASE_COLUMNS, cases),
                                         ("cases_caseevent", EVENT_COLUMNS, events),
                                         ("cases_onsitestep", STEP_COLUMNS, steps)):
                names = ", ".join(f'"{c}"' for c in columns)
                with raw.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
        totals["cases"] += len(cases)
        totals["events"] += len(events)
        cases.clear(), events.clear(), steps.clear()

    for offset, first_id, count in days:
        day = timezone.localdate(world.now) - dt.timedelta(days=offset)
        for i in range(count):
            category = rng.choices(world.categories, weights=world.weights)[0]
            lon, lat, district, subdistrict, grid, maintainer = rng.choice(world.places)
            rule = category.department_rule
            department = {"district": district, "road_maintainer": maintainer or category.department_unit_id}.get(
                rule, category.department_unit_id)
            hour = rng.choices(range(24), weights=[1] * 7 + [6] * 12 + [2] * 5)[0]
            created = timezone.make_aware(dt.datetime.combine(day, dt.time(hour, rng.randrange(60),
                                                                           rng.randrange(60))))
            if created > world.now or department not in world.handlers:
                continue
            prefix = category.number_prefix + f"{day:%Y%m%d}"
            counters[prefix] = counters.get(prefix, 0) + 1
            source = rng.choices(["inspector", "hotline_12345", "citizen", "hotline_12319", "sensor"],
                                 weights=[60, 22, 10, 5, 3])[0]
            case = Case(
                id=first_id + i, number=f"{prefix}{counters[prefix]:02d}", category=category, source=source,
                urgency="urgent" if rng.random() < 0.08 else "normal", description=f"{category.name}（压测数据）",
                address="", lon=lon, lat=lat, coord_system="wgs84", district_id=district, subdistrict_id=subdistrict,
                grid_code=grid, state="reported", department_id=None, suggested_department_id=department,
                stage="", reporter_id=rng.choice(world.users["inspector" if source == "inspector" else "intake"]),
                reporter_name="", reporter_phone="", reject_reason="", rework_count=0, created_at=created,
                updated_at=created,
            )
            sim = Simulated(case, rng, world.now)
            STAGE_MOVE(case, "reported", created)  # the 受理立案 clock starts with the report
            sim.events.append((case.pk, "report", "", "reported", case.reporter_id,
                               "inspector" if source == "inspector" else "intake_operator", created, "",
                               json.dumps({"source": source}), case.stage_deadline, None))
            recent = world.now - created < dt.timedelta(days=7)
            _life(sim, world, rng.randint(0, 12) if recent else None)
            cases.append(_case_row(case))
            events.extend(sim.events)
            steps.extend(sim.steps)
        if len(cases) >= 20_000:
            flush()
    flush()
    connection.close()
    return {"counters": counters, **totals}


def generate(*, count: int, days: int, processes: int) -> None:
    django_setup()
    from django.db import connection
    from django.utils import timezone

    from jingzhi.cases.models import Case, CaseNumberCounter

    global WORLD
    if Case.objects.exists():
        print(f"{Case.objects.count():,} cases already present; drop the database to regenerate "
              f"(dropdb {BENCH_DB}) or run the other steps")
        return
    started = time.monotonic()
    WORLD = world_build(timezone.now())
    print(f"world: {len(WORLD.places):,} routed places, {len(WORLD.categories)} categories, "
          f"{len(WORLD.handlers)} departments ({time.monotonic() - started:.0f} s)")
    rng = random.Random(SEED)
    per_day = [max(1, int(count / days * rng.uniform(0.8, 1.2))) for _ in range(days)]
    per_day[0] += count - sum(per_day)
    plan, next_id = [], 1
    for offset, n in enumerate(per_day):
        plan.append((offset, next_id, n))
        next_id += n
    tasks = [(plan[p::processes], SEED + p) for p in range(processes)]
    connection.close()
    started = time.monotonic()
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        results = pool.map(generate_days, tasks)
    counters = {k: v for result in results for k, v in result["counters"].items()}
    CaseNumberCounter.objects.bulk_create([CaseNumberCounter(prefix=k, last=v) for k, v in counters.items()],
                                          batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("SELECT setval(pg_get_serial_sequence('cases_case', 'id'), (SELECT max(id) FROM cases_case))")
        cursor.execute("ANALYZE cases_case; ANALYZE cases_caseevent; ANALYZE cases_onsitestep")
    cases, events = sum(r["cases"] for r in results), sum(r["events"] for r in results)
    elapsed = time.monotonic() - started
    print(f"generated {cases:,} cases and {events:,} events in {elapsed:.0f} s "
          f"({cases / elapsed:,.0f} cases/s) with {processes} processes")


# ── queries ────────────────────────────────────────────────────────────────────────────


def queries(*, runs: int) -> dict:
    django_setup()
    from django.db import connection
    from django.utils import timezone

    from jingzhi.cases.models import DEPARTMENT_STATES, Case
    from jingzhi.cases.selectors import cases_overdue, cases_with_related, cases_worklist
    from jingzhi.org.models import Role, User

    total = Case.objects.count()
    handlers = list(User.objects.filter(role_grants__role=Role.HANDLER, username__startswith="bench_handler")
                    .select_related("unit"))
    sizes = {h.pk: Case.objects.filter(department_id=h.unit_id, state__in=DEPARTMENT_STATES).count() for h in handlers}
    now = timezone.now()
    timings: dict[str, list[float]] = {"worklist": [], "overdue": [], "overdue_count": []}
    for i in range(runs):
        handler = handlers[i % len(handlers)]
        handler._jingzhi_roles = None
        started = time.perf_counter()
        list(cases_worklist(user=handler)[:50])
        timings["worklist"].append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        list(cases_overdue(cases_with_related(Case.objects.all()), now=now)[50 * (i % 5):50 * (i % 5 + 1)])
        timings["overdue"].append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        cases_overdue(Case.objects.all(), now=now).count()
        timings["overdue_count"].append((time.perf_counter() - started) * 1000)
    biggest = max(handlers, key=lambda h: sizes[h.pk])
    with connection.cursor() as cursor:
        sql, params = cases_worklist(user=biggest)[:50].query.sql_with_params()
        cursor.execute("EXPLAIN ANALYZE " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    result = {
        "cases": total, "departments": len(handlers), "largest_worklist": sizes[biggest.pk],
        "overdue_cases": cases_overdue(Case.objects.all(), now=now).count(),
    }
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM cases_caseevent")
        result["events"] = cursor.fetchone()[0]
    print(f"{total:,} cases, {result['events']:,} events; {len(handlers)} departments, largest work list "
          f"{result['largest_worklist']:,} cases; {result['overdue_cases']:,} overdue")
    for name, values in timings.items():
        result[name] = {"p50": percentile(values, 0.5), "p95": percentile(values, 0.95), "runs": len(values)}
        print(f"  {name:14} p50 {result[name]['p50']:6.2f} ms   p95 {result[name]['p95']:6.2f} ms   ({runs} runs)")
    print("work-list plan (largest department):\n" + plan)
    return result


# ── intake over HTTP ────────────────────────────────────────────────────────────────────

LUA = """
local points = {%(points)s}
local categories = {%(categories)s}
local counter = 0
local ids = 0
setup = function(thread) ids = ids + 1; thread:set("tid", ids) end
request = function()
  counter = counter + 1
  local p = points[(counter * 7919 + tid * 104729) %% #points + 1]
  local c = categories[(counter + tid) %% #categories + 1]
  local body = string.format(
    '{"category":"%%s","source":"hotline_12345","description":"压测 %%d-%%d","lon":%%.6f,"lat":%%.6f,' ..
    '"reporter_name":"王先生","reporter_phone":"13800001111"}', c, tid, counter, p[1], p[2])
  return wrk.format("POST", "/api/cases/cases/", {["Content-Type"] = "application/json",
    ["Authorization"] = "Token %(token)s"}, body)
end
"""


def _wait_for_server(timeout: float = 30) -> None:
    import urllib.error
    import urllib.request

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/login/", timeout=2)
            return
        except (urllib.error.URLError, OSError):  # refused, reset or timed out while workers boot
            time.sleep(0.3)
    raise RuntimeError("gunicorn did not start")


def _wrk_figures(output: str) -> dict:
    def number(pattern):
        match = re.search(pattern, output, re.MULTILINE)
        return match.group(1) if match else None

    def ms(text):
        value, unit = re.match(r"([\d.]+)(us|ms|s|m)", text).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60_000}[unit]

    return {
        "requests": int(number(r"(\d+) requests in")),
        "rps": float(number(r"Requests/sec:\s+([\d.]+)")),
        "p50_ms": ms(number(r"^\s+50%\s+(\S+)")), "p99_ms": ms(number(r"^\s+99%\s+(\S+)")),
        "non_2xx": int(number(r"Non-2xx or 3xx responses: (\d+)") or 0),
        "socket_errors": number(r"Socket errors: (.*)") or "",
    }


def _cpu_seconds(pids) -> dict[int, float]:
    """user + system CPU seconds of each live process (``/proc/<pid>/stat``)."""
    tick = os.sysconf("SC_CLK_TCK")
    seconds = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        seconds[pid] = (int(fields[11]) + int(fields[12])) / tick
    return seconds


def _processes() -> list[tuple[int, int, str]]:
    """(pid, parent pid, command name) of every process."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                head, tail = (entry / "stat").read_text().rsplit(")", 1)
            except OSError:
                continue
            found.append((int(entry.name), int(tail.split()[1]), head.split("(", 1)[1]))
    return found


def _cpu_split(server_pid: int) -> dict[str, float]:
    """CPU seconds used so far by the gunicorn workers and by PostgreSQL, and the machine's total."""
    processes = _processes()
    workers = [pid for pid, parent, _name in processes if parent == server_pid] + [server_pid]
    postgres = [pid for pid, _parent, name in processes if name == "postgres"]
    stat = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    busy = sum(int(value) for value in stat[:8]) - int(stat[3]) - int(stat[4])  # all but idle and iowait
    return {"gunicorn": sum(_cpu_seconds(workers).values()), "postgres": sum(_cpu_seconds(postgres).values()),
            "machine": busy / os.sysconf("SC_CLK_TCK")}


@contextlib.contextmanager
def _server(*, workers: int, threads: int, worker_class: str = "gthread"):
    """gunicorn on 127.0.0.1 with the production settings the README gives (persistent
    database connections, keep-alive) but plain http, stopped on exit."""
    env = {**os.environ, "DATABASE_URL": DATABASE_URL, "DEBUG": "0", "SECRET_KEY": "bench-only-secret",
           "ALLOWED_HOSTS": "127.0.0.1", "DB_CONN_MAX_AGE": "600", "LOG_LEVEL": "ERROR",
           "HTTPS": "0",  # plain http on the loopback, as bin/demo (docs/production.md)
           # One token stands for the whole intake desk: the throttle still runs, without biting.
           "API_THROTTLE_USER": "100000/second"}
    # Without DEBUG the pages name the hashed static files that collectstatic writes (quick when current).
    subprocess.run([str(ROOT / ".venv/bin/python"), "manage.py", "collectstatic", "--noinput", "-v", "0"],
                   env=env, cwd=ROOT, check=True)
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "jingzhi.wsgi:application", "--bind", f"127.0.0.1:{PORT}",
         "--workers", str(workers), "--worker-class", worker_class, "--threads", str(threads),
         "--keep-alive", "30", "--log-level", "error", "--chdir", str(ROOT / "src")],
        env=env, cwd=ROOT)
    try:
        _wait_for_server()
        yield server
    finally:
        server.terminate()
        server.wait(timeout=30)


def _wrk(server, *, script: str, path: str, seconds: int, connections: int, on_start=lambda: None) -> dict:
    """A 5 s warm-up (caches, connections), then ``seconds`` measured: wrk's figures and the CPU
    each process group used per request (the load generator shares the machine's cores)."""
    script_path = Path(tempfile.mkdtemp()) / "bench.lua"
    script_path.write_text(script, encoding="utf-8")
    wrk = ["wrk", "-t2", f"-c{connections}", "-d5s", "-s", str(script_path), f"http://127.0.0.1:{PORT}{path}"]
    subprocess.run(wrk, check=True, capture_output=True)
    on_start()
    wrk[3] = f"-d{seconds}s"
    cpu_before, wrk_before = _cpu_split(server.pid), resource.getrusage(resource.RUSAGE_CHILDREN)
    output = subprocess.run([*wrk[:4], "--latency", *wrk[4:]], check=True, capture_output=True, text=True).stdout
    cpu_after, wrk_after = _cpu_split(server.pid), resource.getrusage(resource.RUSAGE_CHILDREN)
    figures = _wrk_figures(output)
    cpu = {name: cpu_after[name] - cpu_before[name] for name in cpu_before}
    cpu["wrk"] = (wrk_after.ru_utime + wrk_after.ru_stime) - (wrk_before.ru_utime + wrk_before.ru_stime)
    cpu["other"] = cpu["machine"] - cpu["gunicorn"] - cpu["postgres"] - cpu["wrk"]
    figures["cpu_ms_per_request"] = {name: round(value * 1000 / figures["requests"], 2) for name, value in cpu.items()}
    figures["cores_busy"] = round(cpu["machine"] / seconds, 2)
    figures.update(connections=connections, seconds=seconds, output=output)
    return figures


def _cpu_line(figures: dict) -> str:
    return (f"CPU per request (ms): {figures['cpu_ms_per_request']}; {figures['cores_busy']} of "
            f"{os.cpu_count()} cores busy")


def _intake_token() -> str:
    """A fresh token (tokens expire) for the intake operator whose reports the load generator sends."""
    from jingzhi.org.models import User
    from jingzhi.org.services import token_issue

    return token_issue(user=User.objects.get(username="bench_intake0")).key


def intake(*, seconds: int, workers: int, threads: int, connections: int, worker_class: str = "gthread") -> dict:
    django_setup()
    from django.db import connection

    from jingzhi.cases.models import Case, Category

    places = Case.objects.order_by().values_list("lon", "lat")[:5000]
    points = ",".join(f"{{{lon:.6f},{lat:.6f}}}" for lon, lat in places)
    categories = ",".join(f'"{c.number_prefix}"' for c in Category.objects.select_related("category_class"))
    script = LUA % {"points": points, "categories": categories, "token": _intake_token()}
    counts = {}
    with _server(workers=workers, threads=threads, worker_class=worker_class) as server:
        figures = _wrk(server, script=script, path="/", seconds=seconds, connections=connections,
                       on_start=lambda: counts.update(before=Case.objects.count()))
        time.sleep(1)
        counts["after"] = Case.objects.count()
    connection.close()
    acknowledged = figures["requests"] - figures["non_2xx"]
    created = counts["after"] - counts["before"]
    figures.update(counts, created=created, acknowledged=acknowledged, lost=max(0, acknowledged - created),
                   workers=workers, threads=threads, worker_class=worker_class)
    print(figures.pop("output"))
    print(f"intake: {figures['rps']:,.0f} req/s, p50 {figures['p50_ms']:.1f} ms, p99 {figures['p99_ms']:.1f} ms; "
          f"{acknowledged:,} acknowledged, {figures['created']:,} created, lost {figures['lost']}, "
          f"non-2xx {figures['non_2xx']}")
    print(_cpu_line(figures))
    return figures


def floor(*, seconds: int, workers: int, threads: int, connections: int) -> dict:
    """What the same server answers without the intake work: the unauthenticated login page and a
    trivial token-authenticated endpoint (``GET /api/org/me/``), for scale."""
    django_setup()
    from django.db import connection

    token = _intake_token()
    connection.close()
    results = {}
    with _server(workers=workers, threads=threads) as server:
        for name, path, script in (
            ("login_page", "/login/", ""),
            ("api_me", "/api/org/me/", f'wrk.headers["Authorization"] = "Token {token}"\n'),
        ):
            figures = _wrk(server, script=script, path=path, seconds=seconds, connections=connections)
            figures.pop("output")
            results[name] = figures
            print(f"{name} (GET {path}): {figures['rps']:,.0f} req/s, p50 {figures['p50_ms']:.1f} ms, "
                  f"p99 {figures['p99_ms']:.1f} ms, non-2xx {figures['non_2xx']}; {_cpu_line(figures)}")
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("step", choices=["setup", "generate", "queries", "intake", "floor", "all"])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--worker-class", default="gthread", choices=["gthread", "sync"],
                        help="gunicorn worker class (sync: no keep-alive, one connection per request)")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    figures = {}
    if args.step in ("setup", "all"):
        setup()
    if args.step in ("generate", "all"):
        generate(count=args.cases, days=args.days, processes=args.processes)
    if args.step in ("queries", "all"):
        figures["queries"] = queries(runs=args.runs)
    if args.step in ("intake", "all"):
        figures["intake"] = intake(seconds=args.seconds, workers=args.workers, threads=args.threads,
                                   connections=args.connections, worker_class=args.worker_class)
    if args.step == "floor":
        figures["floor"] = floor(seconds=args.seconds, workers=args.workers, threads=args.threads,
                                 connections=args.connections)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2, default=str), encoding="utf-8")


if __name__ == "__main__":
    main()
