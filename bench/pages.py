#!/usr/bin/env python
"""Page weight of the heaviest pages, as Debian chromium loads them from a running server.

For each page, signed in as the role that uses it:

* **cold**: the browser cache emptied, the page loaded until the network is idle (the map's GeoJSON
  included): bytes over the wire (headers and bodies, as chromium counts them), the same bodies
  decoded, and the number of requests;
* **warm**: the same page opened again in the same browser: what is downloaded a second time
  (static files with hashed names and a GeoJSON layer that revalidates to 304 cost nearly nothing);
* the HTML document alone: as served, decoded, and gzipped here at level 6 (the floor compression of
  that document could reach), and its element count.

Run it against the demo (``bin/demo``, or gunicorn with ``DEBUG=0 HTTPS=0`` after ``collectstatic``)::

    .venv/bin/python bench/pages.py --base-url http://127.0.0.1:8000

Nothing leaves the given server: every other request is aborted (and counted as a failure).
"""
from __future__ import annotations

import argparse
import gzip
import http.client
import sys
from dataclasses import dataclass, field
from urllib.parse import urlsplit

PASSWORD = "jingzhi2018"
#: (label, path, demo user who opens it). Paths that answer a list page 1 when paging exists.
PAGES = [
    ("shift-chief overview", "/cases/overview/", "chief"),
    ("report form (staff)", "/cases/new/", "inspector1"),
    ("report form (portal)", "/p/report/", "citizen"),
    ("dispatch console", "/cases/dispatch/", "dispatcher"),
    ("intake queue", "/cases/intake/", "intake"),
    ("leader dashboard", "/dashboards/", "leader"),
]
#: The districts layer every staff map fetches, asked for as the map's script asks (JSON, gzip accepted).
GEOJSON = ("districts GeoJSON", "/api/geo/areas.geojson?level=district", "chief")


@dataclass
class Load:
    transferred: int = 0
    decoded: int = 0
    requests: int = 0
    document_transferred: int = 0
    document_decoded: int = 0
    statuses: dict[int, int] = field(default_factory=dict)


def load(page, cdp, url: str) -> Load:
    """Open ``url`` and count, per request, chromium's encoded length (what came over the wire) and
    the decoded body."""
    seen: dict[str, dict] = {}

    def on_response(event):
        seen.setdefault(event["requestId"], {}).update(
            url=event["response"]["url"], status=event["response"]["status"], type=event["type"])

    def on_data(event):
        entry = seen.setdefault(event["requestId"], {})
        entry["decoded"] = entry.get("decoded", 0) + event["dataLength"]

    def on_finished(event):
        seen.setdefault(event["requestId"], {})["encoded"] = event["encodedDataLength"]

    cdp.on("Network.responseReceived", on_response)
    cdp.on("Network.dataReceived", on_data)
    cdp.on("Network.loadingFinished", on_finished)
    page.goto(url, wait_until="networkidle")
    page.wait_for_timeout(300)  # a map's fetch started on load may still be finishing
    result = Load()
    for entry in seen.values():
        if "url" not in entry:
            continue
        result.requests += 1
        result.transferred += entry.get("encoded", 0)
        result.decoded += entry.get("decoded", 0)
        result.statuses[entry["status"]] = result.statuses.get(entry["status"], 0) + 1
        if entry["type"] == "Document" or entry["url"] == url:
            result.document_transferred += entry.get("encoded", 0)
            result.document_decoded += entry.get("decoded", 0)
    for name in ("Network.responseReceived", "Network.dataReceived", "Network.loadingFinished"):
        cdp.remove_listener(name, {"Network.responseReceived": on_response, "Network.dataReceived": on_data,
                                   "Network.loadingFinished": on_finished}[name])
    return result


def signed_in(browser, base_url: str, username: str):
    """A fresh browser context signed in as ``username``, and its page. (No request interception:
    Playwright's routing would switch chromium's HTTP cache off.)"""
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{base_url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/")
    return context, page


def measure(browser, base_url: str, path: str, username: str) -> dict:
    host = urlsplit(base_url).netloc
    context, page = signed_in(browser, base_url, username)
    outside = []
    page.on("request", lambda request: urlsplit(request.url).netloc != host and outside.append(request.url))
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.clearBrowserCache")
    url = f"{base_url}{path}"
    cold = load(page, cdp, url)
    elements = page.evaluate("document.getElementsByTagName('*').length")
    document = page.request.get(url, headers={"Accept-Encoding": "identity"}).body()
    warm = load(page, cdp, url)
    context.close()
    return {"cold": cold, "warm": warm, "elements": elements, "raw": len(document),
            "gzip6": len(gzip.compress(document, 6)), "outside": outside}


def fetch(base_url: str, path: str, cookies: str, headers: dict) -> tuple[int, int, dict]:
    """One GET over a plain connection: the status, the bytes received (head and body, undecoded)
    and the response headers."""
    parts = urlsplit(base_url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=30)
    connection.request("GET", path, headers={"Cookie": cookies, **headers})
    response = connection.getresponse()
    body = response.read()
    head = sum(len(f"{name}: {value}\r\n") for name, value in response.getheaders()) + 20
    connection.close()
    return response.status, head + len(body), {name.lower(): value for name, value in response.getheaders()}


def measure_geojson(browser, base_url: str, path: str, username: str) -> dict:
    """The layer as the map's script asks for it, then asked again as a browser revalidates it."""
    context, _page = signed_in(browser, base_url, username)
    cookies = "; ".join(f"{c['name']}={c['value']}" for c in context.cookies())
    context.close()
    asked = {"Accept": "application/json", "Accept-Encoding": "gzip, deflate, br"}
    _status, raw, _headers = fetch(base_url, path, cookies, {"Accept": "application/json"})
    status, sent, headers = fetch(base_url, path, cookies, asked)
    again = {name: headers[key] for name, key in (("If-None-Match", "etag"), ("If-Modified-Since", "last-modified"))
             if key in headers}
    cacheable = "no-store" not in headers.get("cache-control", "no-store")
    status_again, sent_again, _ = fetch(base_url, path, cookies, {**asked, **again}) if cacheable else (
        status, 0, None)
    return {"raw": raw, "sent": sent, "again": sent_again if cacheable else sent, "status_again": status_again,
            "headers": {key: headers.get(key, "—") for key in ("content-encoding", "cache-control", "etag")}}


def kb(value: int) -> str:
    return f"{value / 1024:.1f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    failures = 0
    print(f"{'page':24} {'elements':>8} {'doc raw':>8} {'doc gz6':>8} {'doc sent':>8} "
          f"{'cold KB':>8} {'decoded':>8} {'reqs':>5} {'warm KB':>8} {'warm 304':>8}")
    with sync_playwright() as playwright:
        # Any host but the server's resolves nowhere: nothing leaves this machine (and would be listed).
        browser = playwright.chromium.launch(executable_path=args.chromium, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            f"--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE {urlsplit(args.base_url).hostname}"])
        for label, path, username in PAGES:
            figures = measure(browser, args.base_url.rstrip("/"), path, username)
            cold, warm = figures["cold"], figures["warm"]
            failures += len(figures["outside"])
            print(f"{label:24} {figures['elements']:>8} {kb(figures['raw']):>8} {kb(figures['gzip6']):>8} "
                  f"{kb(cold.document_transferred):>8} {kb(cold.transferred):>8} {kb(cold.decoded):>8} "
                  f"{cold.requests:>5} {kb(warm.transferred):>8} {warm.statuses.get(304, 0):>8}")
            for url in figures["outside"]:
                print(f"  ! request leaving the server: {url}")
        label, path, username = GEOJSON
        layer = measure_geojson(browser, args.base_url.rstrip("/"), path, username)
        print(f"\n{label} ({path}): {kb(layer['raw'])} KB as identity, {kb(layer['sent'])} KB sent with gzip "
              f"accepted; asked again: {kb(layer['again'])} KB (HTTP {layer['status_again']})")
        print("  " + ", ".join(f"{key}: {value}" for key, value in layer["headers"].items()))
        browser.close()
    print("KB = 1024 bytes. 'doc gz6' is the floor: the page's own HTML gzipped at level 6 in this script.")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
