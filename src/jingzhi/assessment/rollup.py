"""The daily rollup (日汇总) of the indicator counters, kept as cases move; what the 月考核 reads.

A month of a large city is about 1.1 M case events: counting them for every assessment took 15 s
(docs/benchmarks.md), while the month's rollup rows number a few tens of thousands. Two tables hold,
per local day, every event counter of ``counting.FAMILIES`` (and each family's event count):
``DailyCount`` per district × sub-district × department × category, ``DailyPostCount`` per post
(the role acted in) × person. Summing a period's days gives exactly ``counting.period_counters``
(tested after sequences of transitions, back-dated events and a rebuild), because the rollup is
counted by the same definitions:

- **incrementally**: the case loop's writes run inside ``cases.watch.cases_changing``; this module's
  watcher counts the changed cases' contributions before and after the write (one grouped query
  each) and upserts the difference into the rows it touches. A counter of an event depends on the
  case's state now (the 立案 cohort's 结案, 解决, 满意 …) and on later events (a 退回, a late stage),
  so a case's contributions are recounted whole, on whatever days they fall (a back-dated event
  lands on its own day).
- **in bulk**: ``rollup_rebuild`` recounts a range of days from the events (``manage.py
  assessment_rollup``), after a back-fill that bypassed the services (demo history, imports,
  generated benchmark data).
Published snapshots never read the rollup again: they store their counters.
"""
from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Collection, Iterable

from django.db import connection, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, TruncDate, TruncMonth, TruncWeek
from django.utils import timezone

from jingzhi.cases.models import CaseEvent
from jingzhi.cases.selectors import TIMED_HANDLE

from .counters import ROLLUP_COLUMNS
from .counting import FAMILIES, KINDS, POST_KINDS, UNIT_KINDS, levels_add, period_bounds
from .models import DailyCount, DailyPostCount

COLUMNS = ROLLUP_COLUMNS
_ACTIONS = tuple({action for family in FAMILIES for action in family.actions})
_UNIT_DIMS = {"day": TruncDate("created_at"), "district": Coalesce("case__district_id", Value(0)),
              "subdistrict": Coalesce("case__subdistrict_id", Value(0)),
              "department": Coalesce("case__department_id", Value(0)), "category": F("case__category_id")}
_POST_DIMS = {"day": TruncDate("created_at"), "role": F("actor_role"), "user": F("actor_id")}
_POSTS = Q(actor_role__in=POST_KINDS, actor__isnull=False)


def _handling_aggregates() -> dict:
    """The dashboards' 处置反馈 cases (``HANDLING_COUNTERS``): a timed 处置反馈 counts when it is the
    case's first in its calendar month (week), late when any of the case's ones in that month (week)
    is; so the days of a month (week) to date add up to its distinct cases and their late ones."""
    aggregates = {}
    for span, trunc in (("month", TruncMonth), ("week", TruncWeek)):
        same = (CaseEvent.objects.filter(TIMED_HANDLE, case=OuterRef("case")).annotate(span=trunc("created_at"))
                .filter(span=OuterRef(f"{span}_start")))
        earlier = same.filter(Q(created_at__lt=OuterRef("created_at"))
                              | Q(created_at=OuterRef("created_at"), pk__lt=OuterRef("pk")))
        first = TIMED_HANDLE & ~Q(Exists(earlier))
        aggregates[f"handled_cases_{span}"] = Count("id", filter=first)
        late = Q(Exists(same.filter(done_in_time=False)))
        aggregates[f"handled_cases_{span}_late"] = Count("id", filter=first & late)
    return aggregates


def _contributions(events: QuerySet[CaseEvent], dims: dict) -> QuerySet:
    """One row per ``dims`` of ``events``: each counter of every family over the family's rows,
    and the handling counters."""
    aggregates = _handling_aggregates()
    annotations = {}
    for family in FAMILIES:
        annotations.update(family.annotations)
        aggregates[family.events_counter] = Count("id", filter=family.membership)
        for name, condition in family.counters.items():
            aggregates[name] = Count("id", filter=family.membership & condition)
    annotations.update(month_start=TruncMonth("created_at"), week_start=TruncWeek("created_at"))
    return (events.filter(action__in=_ACTIONS).annotate(**annotations).values(**dims)
            .annotate(**aggregates).order_by())


#: Stand-ins for case ids while a statement is compiled: no case has a negative id.
_ID_STAND_IN = -(10**12)
#: The statements the watcher runs for a set of cases: read their contributions; add those of new cases.
_READ, _ADD_UNITS, _ADD_POSTS = "read", "add-units", "add-posts"


@functools.lru_cache(maxsize=64)
def _watch_sql(statement: str, size: int, vendor: str, zone: str) -> tuple[str, tuple, frozenset[int]]:
    """A watcher statement for ``size`` case ids, compiled once (per database and time zone): building
    the contributions query, some sixty conditional aggregates, took about 50 ms of CPU, paid two or
    three times on every write of the case loop. Returns the SQL, its parameters with stand-ins for the
    ids, and the positions of the stand-ins."""
    stand_ins = [_ID_STAND_IN - n for n in range(size)]
    events = CaseEvent.objects.filter(case_id__in=stand_ins)
    if statement == _READ:
        dims = {**_UNIT_DIMS, "role": F("actor_role"), "user": Coalesce("actor_id", Value(0))}
        sql, params = _contributions(events, dims).query.sql_with_params()
    elif statement == _ADD_UNITS:
        sql, params = _add_counted_sql(DailyCount, events, _UNIT_DIMS)
    else:
        sql, params = _add_counted_sql(DailyPostCount, events.filter(_POSTS), _POST_DIMS)
    slots = frozenset(index for index, value in enumerate(params) if value in stand_ins)
    if len(slots) != size:
        raise RuntimeError("a watcher statement must take each case id once")
    return sql, tuple(params), slots


def _watch_execute(cursor, statement: str, case_ids: Collection[int]) -> None:
    ids = sorted(case_ids)
    sql, params, slots = _watch_sql(statement, len(ids), connection.vendor, timezone.get_current_timezone_name())
    values = iter(ids)
    cursor.execute(sql, [next(values) if index in slots else value for index, value in enumerate(params)])


def _case_rows_fetch(case_ids: Collection[int]) -> list[dict]:
    with connection.cursor() as cursor:
        _watch_execute(cursor, _READ, case_ids)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _case_rows(case_ids: Collection[int]) -> tuple[dict, dict]:
    """The cases' contributions as ({unit key: counters}, {post key: counters}), one query. The keys
    are as the database gives them (a day as text on SQLite): they only meet keys read the same way
    and go back to the database as parameters."""
    units: dict = defaultdict(lambda: dict.fromkeys(COLUMNS, 0))
    posts: dict = defaultdict(lambda: dict.fromkeys(COLUMNS, 0))
    if not case_ids:
        return units, posts
    for row in _case_rows_fetch(case_ids):
        unit = tuple(row[name] for name in DailyCount.KEY)
        post = (row["day"], row["role"], row["user"]) if row["role"] in POST_KINDS and row["user"] else None
        for name in COLUMNS:
            units[unit][name] += row[name]
            if post:
                posts[post][name] += row[name]
    return units, posts


def _upsert(model, key: tuple[str, ...], deltas: dict) -> None:
    """Add ``deltas`` ({key: {column: change}}) to the model's rows, creating missing ones; keys in
    order, so two transactions touching the same rows lock them in the same order."""
    changes = [(k, d) for k, d in sorted(deltas.items(), key=lambda item: tuple(map(str, item[0])))
               if any(d.values())]
    if not changes:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    quoted = [connection.ops.quote_name(name) for name in (*key, *COLUMNS)]
    sets = ", ".join(f"{q} = {table}.{q} + excluded.{q}" for q in quoted[len(key):])
    sql = (f"INSERT INTO {table} ({', '.join(quoted)}) VALUES ({', '.join(['%s'] * len(quoted))}) "
           f"ON CONFLICT ({', '.join(quoted[:len(key)])}) DO UPDATE SET {sets}")
    with connection.cursor() as cursor:
        cursor.executemany(sql, [(*k, *(d[name] for name in COLUMNS)) for k, d in changes])


def _add_counted_sql(model, events: QuerySet[CaseEvent], dims: dict) -> tuple[str, tuple]:
    """INSERT … SELECT … ON CONFLICT adding the contributions of ``events`` to the model's rows: the
    database counts and adds, no row travels (a back-fill, a new case)."""
    inner, params = _contributions(events, dims).query.sql_with_params()
    quote = connection.ops.quote_name
    table, key, columns = quote(model._meta.db_table), [quote(n) for n in model.KEY], [quote(n) for n in COLUMNS]
    counted = " + ".join(f"c.{quote(family.events_counter)}" for family in FAMILIES)
    sets = ", ".join(f"{q} = {table}.{q} + excluded.{q}" for q in columns)
    return (f"INSERT INTO {table} ({', '.join(key + columns)}) SELECT {', '.join(f'c.{q}' for q in key + columns)} "
            f"FROM ({inner}) c WHERE {counted} > 0 ORDER BY {', '.join(f'c.{q}' for q in key)} "
            f"ON CONFLICT ({', '.join(key)}) DO UPDATE SET {sets}", params)


def _add_counted(model, events: QuerySet[CaseEvent], dims: dict) -> None:
    with connection.cursor() as cursor:
        cursor.execute(*_add_counted_sql(model, events, dims))


def _difference(before: dict, after: dict) -> dict:
    keys = set(before) | set(after)
    zero = dict.fromkeys(COLUMNS, 0)
    return {k: {name: after.get(k, zero)[name] - before.get(k, zero)[name] for name in COLUMNS} for k in keys}


def rollup_watch(case_ids: Collection[int]):
    """``cases.watch`` watcher: count the cases' contributions now; after the write, add the change.
    New cases alone (a report) had none: their contributions are added in place, two statements."""
    if not case_ids:
        def added(changed: Collection[int]) -> None:
            if changed:
                with connection.cursor() as cursor:
                    _watch_execute(cursor, _ADD_UNITS, changed)
                    _watch_execute(cursor, _ADD_POSTS, changed)

        return added
    before = _case_rows(case_ids)

    def finish(changed: Collection[int]) -> None:
        after = _case_rows(changed)
        _upsert(DailyCount, DailyCount.KEY, _difference(before[0], after[0]))
        _upsert(DailyPostCount, DailyPostCount.KEY, _difference(before[1], after[1]))

    return finish


def _months(start: dt.date, end: dt.date) -> Iterable[tuple[dt.date, dt.date]]:
    while start < end:
        following = (start.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
        yield start, min(following, end)
        start = following


#: PostgreSQL settings of a rebuild's transaction. A month is a thin slice of the event table (1.1 M
#: of 68 M rows in the benchmark) that its (action, created_at) index finds; the planner, expecting
#: more, scanned every event and hashed every case (60 s a month). Index lookups of the month's
#: cases, sorts in memory and no JIT compilation (2 s of the statement) make it 13 s.
_REBUILD_SETTINGS = ("SET LOCAL enable_seqscan = off", "SET LOCAL enable_hashjoin = off",
                     "SET LOCAL enable_mergejoin = off", "SET LOCAL work_mem = '256MB'", "SET LOCAL jit = off")


def rollup_rebuild(*, start: dt.date, end: dt.date) -> int:
    """Recount the rollup of the days [start, end) from the case events, a month per transaction;
    returns the rows written. While a month is recounted, the case loop's upserts to the rollup
    wait (PostgreSQL: a lock that only blocks writers), so none is lost or counted twice."""
    written = 0
    for first, last in _months(start, end):
        since, until = period_bounds(first, last)
        events = CaseEvent.objects.filter(created_at__gte=since, created_at__lt=until)
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute(f"LOCK TABLE {DailyCount._meta.db_table}, {DailyPostCount._meta.db_table} "
                                   "IN SHARE ROW EXCLUSIVE MODE")
                    for setting in _REBUILD_SETTINGS:
                        cursor.execute(setting)
            for model, rows, dims in ((DailyCount, events, _UNIT_DIMS),
                                      (DailyPostCount, events.filter(_POSTS), _POST_DIMS)):
                model.objects.filter(day__gte=first, day__lt=last).delete()
                _add_counted(model, rows, dims)
                written += model.objects.filter(day__gte=first, day__lt=last).count()
    return written


def rollup_period_counters(start: dt.date, end: dt.date, *,
                           now: dt.datetime | None = None) -> dict[str, dict[int, dict[str, int]]]:
    """``counting.period_counters`` of the days [start, end), summed from the rollup: the same
    answer (a unit lists a family's counters only when it had events of that family), from two
    grouped queries over the period's rollup rows instead of ten over its events."""
    counters: dict[str, dict[int, dict[str, int]]] = {kind: defaultdict(dict) for kind in KINDS}
    sums = {name: Sum(name) for name in COLUMNS}
    days = Q(day__gte=start, day__lt=end)
    for kind in UNIT_KINDS:
        for row in DailyCount.objects.filter(days).exclude(**{kind: 0}).values(kind).annotate(**sums).order_by():
            _families_add(counters[kind][row[kind]], row)
    for row in DailyPostCount.objects.filter(days).values("role", "user").annotate(**sums).order_by():
        _families_add(counters[row["role"]][row["user"]], row)
    return levels_add(counters, period_bounds(start, end)[1], now=now)


def _families_add(target: dict, row: dict) -> None:
    for family in FAMILIES:
        if row[family.events_counter]:
            target.update({name: row[name] for name in family.counters})


def rollup_days(*, kind: str, unit_id: int, counter: str, start: dt.date, end: dt.date) -> list[tuple[dt.date, int]]:
    """[(day, rows)] of the days [start, end) on which ``counter`` of one unit (or post holder)
    counted anything, in order: what a drill-down page needs to know where its rows are."""
    if kind in UNIT_KINDS:
        rows = DailyCount.objects.filter(**{kind: unit_id})
    else:
        rows = DailyPostCount.objects.filter(role=kind, user=unit_id)
    return list(rows.filter(day__gte=start, day__lt=end).values("day").annotate(n=Sum(counter))
                .filter(n__gt=0).order_by("day").values_list("day", "n"))


def rollup_case_tally(*, start: dt.date, end: dt.date, span: str) -> dict[tuple, dict[str, int]]:
    """The dashboards' case figures of the days [start, end), which lie within one calendar month
    (``span`` "month") or week ("week"), per (district, department) of the case (None: none):
    ``reports`` (cases reported: each has one 上报 or 自处理上报 event), ``handled`` (cases with a timed
    处置反馈) and ``late`` (those with a late one among them). Sums of the period's rollup rows."""
    rows = _case_tally_rows(start, end, span, "district", "department")
    return {(row.pop("district") or None, row.pop("department") or None): row for row in rows}


def rollup_case_days(*, start: dt.date, end: dt.date, span: str) -> dict[dt.date, dict[str, int]]:
    """``rollup_case_tally``'s figures per day of [start, end), over every unit: a week's (``span``
    "week") or a month's figures are the sums of its days."""
    return {row.pop("day"): row for row in _case_tally_rows(start, end, span, "day")}


def _case_tally_rows(start: dt.date, end: dt.date, span: str, *groups: str) -> list[dict]:
    handled, late = f"handled_cases_{span}", f"handled_cases_{span}_late"
    return list(DailyCount.objects.filter(day__gte=start, day__lt=end).values(*groups)
                .annotate(reports=Sum("reports"), handled=Sum(handled), late=Sum(late)).order_by())
