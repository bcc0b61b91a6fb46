#!/usr/bin/env python
"""The registries' point layer on the staff map with 100,000 points: server and browser, against floors
measured in the same run.

Server (``assets.map_layers``): building the compact points answer from the database (ids, lon, lat of
the active assets in scope), its size raw and gzipped, and answering it again from the cache.

Browser (Debian chromium, no request leaves 127.0.0.1): switching the layer on in the layer control of
/geo/ → the clustering script loaded, the points fetched and every chunk of the cluster group drawn
(``data-layer-<kind>-ms``, set by geo/point_layers.js), the first time and again from the browser's
cache; then fluidity: the longest main-thread task while zooming in and out and panning over the
clusters (Long Tasks API). Floors in the same page: ``JSON.parse`` of the same answer, and indexing the
100,000 points alone (``Supercluster.load``).

It uses its own SQLite database and server (nothing else is touched)::

    .venv/bin/python bench/asset_layers.py --points 100000
"""
from __future__ import annotations

import argparse
import gzip
import os
import random
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DB = Path("/tmp/jingzhi-bench-asset-layers.sqlite3")
PORT = 8139
EXTENT = (113.56, 34.71, 113.79, 34.84)  # the demo's gridded extent (WGS84)
KIND = "street_light"


def django_setup() -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{DB}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jingzhi.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


def prepare(points: int) -> None:
    """A fresh database with ``points`` street lights and the office login."""
    from django.core.management import call_command

    from jingzhi.assets.services import AssetInput, assets_create
    from jingzhi.org.models import Role
    from jingzhi.org.services import user_create

    call_command("migrate", verbosity=0)
    user_create(username="bench", password="bench-pass-123", roles=(Role.PLAN_OFFICE,))
    rng = random.Random(2018)
    rows = []
    for number in range(points):
        lon, lat = rng.uniform(EXTENT[0], EXTENT[2]), rng.uniform(EXTENT[1], EXTENT[3])
        rows.append(AssetInput(code=f"LD-{number:06d}", name=f"路灯{number}", lon=lon, lat=lat,
                               geometry={"type": "Point", "coordinates": [lon, lat]},
                               attributes={"road_code": f"R{number // 40:05d}", "led": False}))
    assets_create(kind=KIND, rows=rows, generated=True)


def server_figures() -> dict:
    from django.core.cache import cache

    from jingzhi.assets.map_layers import points_payload
    from jingzhi.org.models import User

    user = User.objects.get(username="bench")
    started = time.perf_counter()
    raw = points_payload(user=user, kind=KIND)
    built = time.perf_counter() - started
    started = time.perf_counter()
    packed = gzip.compress(raw, compresslevel=6)
    zipped = time.perf_counter() - started
    cache.clear()
    return {"build_s": built, "gzip_s": zipped, "raw_bytes": len(raw), "gzip_bytes": len(packed)}


def browser_figures(points: int) -> dict:
    from playwright.sync_api import sync_playwright

    base = f"http://127.0.0.1:{PORT}"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{DB}", "PYTHONPATH": str(ROOT / "src"), "HTTPS": "0", "DEBUG": "1"}
    server = subprocess.Popen([sys.executable, "manage.py", "runserver", f"127.0.0.1:{PORT}", "--noreload"],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/login/", timeout=1)
                break
            except OSError:
                time.sleep(0.3)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            outside = []
            page.on("request", lambda request: None if request.url.startswith(base) else outside.append(request.url))
            page.goto(f"{base}/login/")
            page.fill("input[name=username]", "bench")
            page.fill("input[name=password]", "bench-pass-123")
            page.click("button[type=submit]")
            page.wait_for_url(f"{base}/")
            page.goto(f"{base}/geo/")
            page.wait_for_selector("#geo-map[data-areas]")
            page.evaluate("""() => { window.benchLongTasks = [];
                new PerformanceObserver(list => list.getEntries().forEach(e => window.benchLongTasks.push(e.duration)))
                  .observe({entryTypes: ["longtask"]}); }""")
            page.get_by_label("路灯").check()
            page.wait_for_selector(f"#geo-map[data-layer-{KIND}='{points}']", timeout=120_000)
            drawn_ms = int(page.get_attribute("#geo-map", f"data-layer-{KIND}-ms"))
            load_tasks = page.evaluate("() => window.benchLongTasks.splice(0)")
            box = page.locator("#geo-map").bounding_box()
            middle = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
            page.mouse.move(*middle)
            started = time.perf_counter()
            for _ in range(3):  # zoom in three steps, pan, zoom back out
                page.mouse.wheel(0, -300)
                page.wait_for_timeout(600)
            page.mouse.down()
            page.mouse.move(middle[0] - 300, middle[1] - 200, steps=20)
            page.mouse.up()
            page.wait_for_timeout(600)
            for _ in range(3):
                page.mouse.wheel(0, 300)
                page.wait_for_timeout(600)
            interaction_s = time.perf_counter() - started
            tasks = page.evaluate("() => window.benchLongTasks")
            url = page.evaluate(f"() => JSON.parse(document.getElementById('geo-map-options').textContent)"
                                f".pointLayers.find(l => l.key === '{KIND}').url")
            floors = page.evaluate("""async (url) => {
                const text = await (await fetch(url)).text();
                let t = performance.now(); const data = JSON.parse(text); const parse = performance.now() - t;
                t = performance.now();
                const features = data.ids.map((id, i) => ({type: "Feature", properties: {id: id},
                    geometry: {type: "Point", coordinates: [data.lons[i], data.lats[i]]}}));
                new Supercluster({radius: 70, maxZoom: 17}).load(features);
                return {parse_ms: parse, index_ms: performance.now() - t, n: data.ids.length};
            }""", url)
            page.goto(f"{base}/geo/")  # again: the answer from the browser's cache (versioned URL)
            page.wait_for_selector("#geo-map[data-areas]")
            page.get_by_label("路灯").check()
            page.wait_for_selector(f"#geo-map[data-layer-{KIND}='{points}']", timeout=120_000)
            cached_ms = int(page.get_attribute("#geo-map", f"data-layer-{KIND}-ms"))
            clusters = page.locator(".jingzhi-cluster").count()
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
    return {"drawn_ms": drawn_ms, "load_longest_task_ms": max(load_tasks, default=0),
            "interaction_longest_task_ms": max(tasks, default=0), "interaction_tasks_over_50ms": len(tasks),
            "interaction_s": interaction_s, "clusters_in_view": clusters,
            "cached_ms": cached_ms, "outside_requests": outside, **floors}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--points", type=int, default=100_000)
    args = parser.parse_args()
    DB.unlink(missing_ok=True)
    django_setup()
    started = time.perf_counter()
    prepare(args.points)
    print(f"setup: {args.points:,} street lights written in {time.perf_counter() - started:.1f} s")
    server = server_figures()
    print(f"server: points answer built in {server['build_s'] * 1000:.0f} ms, "
          f"{server['raw_bytes'] / 1e6:.2f} MB raw, {server['gzip_bytes'] / 1e6:.2f} MB gzipped "
          f"(gzip {server['gzip_s'] * 1000:.0f} ms, once per version: then from the cache)")
    browser = browser_figures(args.points)
    print(f"browser: switched on → {args.points:,} points fetched, indexed and the first view drawn in "
          f"{browser['drawn_ms']} ms (the server building the answer first); again on a new page, the answer "
          f"from the browser's cache: {browser['cached_ms']} ms, {browser['clusters_in_view']} clusters in view")
    print(f"browser: longest main-thread task while loading {browser['load_longest_task_ms']:.0f} ms; "
          f"zoom in ×3, pan, zoom out ×3: longest task {browser['interaction_longest_task_ms']:.0f} ms, "
          f"{browser['interaction_tasks_over_50ms']} tasks over 50 ms")
    print(f"floors: JSON.parse of the answer {browser['parse_ms']:.0f} ms; "
          f"indexing the {browser['n']:,} points alone (Supercluster.load) {browser['index_ms']:.0f} ms")
    print(f"requests leaving 127.0.0.1: {len(browser['outside_requests'])}")
    DB.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
