#!/usr/bin/env python
"""Open311 throughput on PostgreSQL under gunicorn (the production server), in one run:

* ``POST /open311/v2/requests.json`` (a citizen report with name and phone, form-encoded, api_key),
  against today's staff intake ``POST /api/cases/cases/`` (the same case_report behind it);
* ``GET /open311/v2/requests.json`` with no argument (the spec's default window: the last 90 days,
  the newest 1000), as a client without a cached copy asks it, and with ``If-None-Match`` (304);
* floors: the same server's cheapest Open311 answer (``GET discovery.json``: no database, no cache)
  and the default window's SQL alone on one connection (psycopg, the query the selector sends).

It uses the case benchmark's database and data (``bench/cases.py setup`` and ``generate``)::

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/NAME .venv/bin/python bench/cases.py setup
    BENCH_DATABASE_URL=… .venv/bin/python bench/cases.py generate --cases 1000000
    BENCH_DATABASE_URL=… .venv/bin/python bench/open311.py --seconds 20     # needs wrk (Debian)

Throttles stay on, set high enough not to bite (the check still runs on every request). The machine
is shared (about nine agents on two cores): the script prints the CPU each process group used per
request, and identical runs differ by 20 % or more.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import cases as case_bench

case_bench.PORT = 8791  # not the case benchmark's port: another may run on the same machine

POST_LUA = """
local points = {%(points)s}
local codes = {%(codes)s}
local counter = 0
local ids = 0
setup = function(thread) ids = ids + 1; thread:set("tid", ids) end
request = function()
  counter = counter + 1
  local p = points[(counter * 7919 + tid * 104729) %% #points + 1]
  local c = codes[(counter + tid) %% #codes + 1]
  local body = string.format("api_key=%(key)s&service_code=%%s&lat=%%.6f&long=%%.6f" ..
    "&description=bench+%%d-%%d&first_name=xian&last_name=wang&phone=13800001111", c, p[2], p[1], tid, counter)
  return wrk.format("POST", "/open311/v2/requests.json",
    {["Content-Type"] = "application/x-www-form-urlencoded"}, body)
end
"""


def _key() -> str:
    from jingzhi.open311.selectors import client_app_named
    from jingzhi.open311.services import client_app_create, client_app_rotate

    app = client_app_named(name="bench")
    return client_app_rotate(app=app) if app else client_app_create(name="bench")[1]


def _sql_floor(runs: int) -> dict:
    """The default window's query alone, as the selector sends it, on one connection: per second."""
    from django.db import connection
    from django.utils import timezone

    from jingzhi.open311.selectors import RequestQuery, requests_matching

    sql, params = requests_matching(RequestQuery(), now=timezone.now()).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = len(cursor.fetchall())
        started = time.perf_counter()
        for _ in range(runs):
            cursor.execute(sql, params)
            cursor.fetchall()
        elapsed = time.perf_counter() - started
    return {"rows": rows, "ms_per_query": round(elapsed * 1000 / runs, 2), "queries_per_s": round(runs / elapsed)}


def _line(name: str, figures: dict) -> str:
    return (f"{name}: {figures['rps']:,.0f} req/s, p50 {figures['p50_ms']:.1f} ms, p99 {figures['p99_ms']:.1f} ms, "
            f"non-2xx {figures['non_2xx']}; {case_bench._cpu_line(figures)}")


def run(*, seconds: int, workers: int, threads: int, connections: int, only: tuple[str, ...] = ()) -> dict:
    import os

    case_bench.django_setup()
    from django.db import connection

    from jingzhi.cases.models import Case, Category

    os.environ.update(OPEN311_THROTTLE_KEY="100000/second", OPEN311_THROTTLE_IP="100000/second",
                      # the production cache (throttles, kept answers shared between workers), a database
                      # number of its own on the machine's Redis
                      REDIS_URL=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/7"))
    places = Case.objects.order_by().values_list("lon", "lat")[:5000]
    points = ",".join(f"{{{lon:.6f},{lat:.6f}}}" for lon, lat in places)
    codes = ",".join(f'"{c.number_prefix}"' for c in Category.objects.select_related("category_class")
                     if not c.number_prefix.startswith(("C010", "C0109", "E0401")))  # no required attributes
    intake_script = case_bench.LUA % {"points": points, "categories": codes, "token": case_bench._intake_token()}
    post_script = POST_LUA % {"points": points, "codes": codes, "key": _key()}
    results = {"cases": Case.objects.count(), "sql_floor": _sql_floor(200)}
    print(f"{results['cases']:,} cases; default-window SQL alone: {results['sql_floor']}")
    connection.close()
    with case_bench._server(workers=workers, threads=threads) as server:
        get = {"path": "/open311/v2/requests.json", "script": ""}
        runs = [
            ("floor_discovery", {"path": "/open311/v2/discovery.json", "script": ""}),
            ("get_requests_default_window", get),
            ("get_requests_gzip", {**get, "script": 'wrk.headers["Accept-Encoding"] = "gzip"\n'}),
            ("get_requests_not_modified", {**get, "etag": True}),
            ("post_staff_intake", {"path": "/", "script": intake_script}),
            ("post_open311_requests", {"path": "/", "script": post_script}),
        ]
        for name, spec in runs:
            if only and not any(name.startswith(prefix) for prefix in only):
                continue
            script = spec.get("script", "")
            if spec.get("etag"):  # a client revalidating its copy: If-None-Match with the current ETag
                import urllib.request

                with urllib.request.urlopen(f"http://127.0.0.1:{case_bench.PORT}{get['path']}") as answer:
                    etag = answer.headers["ETag"].replace('"', '\\"')
                script = f'wrk.headers["If-None-Match"] = "{etag}"\n'
            figures = case_bench._wrk(server, script=script, path=spec["path"], seconds=seconds,
                                      connections=connections)
            figures.pop("output")
            results[name] = figures
            print(_line(name, figures))
    if "post_open311_requests" in results and "post_staff_intake" in results:
        ratio = results["post_open311_requests"]["rps"] / results["post_staff_intake"]["rps"]
        print(f"Open311 POST / staff intake POST: {ratio:.2f}")
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=20)
    # README's production line: gunicorn --workers 3 --worker-class gthread --threads 4 --keep-alive 30.
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--connections", type=int, default=12)
    parser.add_argument("--only", nargs="*", default=(), help="run only these (name prefixes: floor, get, post)")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    figures = run(seconds=args.seconds, workers=args.workers, threads=args.threads, connections=args.connections,
                  only=tuple(args.only))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2, default=str), encoding="utf-8")


if __name__ == "__main__":
    main()
