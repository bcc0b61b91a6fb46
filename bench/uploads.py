#!/usr/bin/env python
"""Uploads on the embedded SQLite default: many inspectors send photos at once, and one intake report
arrives meanwhile. Prints each request's status and time (issue 7 §2: "20 inspectors each sending
nine 8 MB photos produced 4 × 500 of 20", and an intake report waiting behind a large upload).

It builds its own SQLite database in a temporary directory (migrations, the test geography, one
category, the users) and serves it with gunicorn as the README's production line does::

    .venv/bin/python bench/uploads.py                          # 20 inspectors × 9 photos of ≈8 MB
    .venv/bin/python bench/uploads.py --threads 4                # 12 requests at a time

The photos are 12-megapixel JPEGs (a phone's default) of noise, so the server decodes and
re-encodes about 8 MB each.
"""
from __future__ import annotations

import argparse
import io
import os
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PORT = 8766


def django_setup(database: Path, var: Path) -> None:
    os.environ.update(DATABASE_URL=f"sqlite:///{database}", JINGZHI_VAR_DIR=str(var),
                      DJANGO_SETTINGS_MODULE="jingzhi.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


def world_build(inspectors: int) -> dict:
    """Migrate, then the test geography, one category and the users; returns their API tokens."""
    from django.core.management import call_command
    from rest_framework.authtoken.models import Token

    from jingzhi.cases.models import Category, CategoryClass, CategoryKind, DepartmentRule
    from jingzhi.geo.testing import build_test_geography
    from jingzhi.org.models import Role
    from jingzhi.org.services import user_create

    call_command("migrate", verbosity=0)
    geography = build_test_geography()
    category_class = CategoryClass.objects.create(kind=CategoryKind.EVENT, code="01", name="市容环境")
    limits = {stage: {"value": 4, "unit": "working_hours"} for stage in ("intake", "dispatch", "handle", "verify")}
    Category.objects.create(category_class=category_class, code="0102", name="暴露垃圾",
                            department_rule=DepartmentRule.DISTRICT, time_limits={"normal": limits, "urgent": limits})
    users = [user_create(username=f"inspector{n}", password=os.urandom(8).hex(), roles=(Role.INSPECTOR,))
             for n in range(inspectors)]
    users.append(user_create(username="intake", password=os.urandom(8).hex(), roles=(Role.INTAKE_OPERATOR,)))
    return {"point": geography.inside_a, "tokens": {u.username: Token.objects.create(user=u).key for u in users}}


def photo_bytes(megapixels: float = 12) -> bytes:
    from PIL import Image

    width = int((megapixels * 1e6 * 4 / 3) ** 0.5)
    size = (width, width * 3 // 4)
    gradient = Image.linear_gradient("L").resize(size)
    image = Image.merge("RGB", (gradient, Image.effect_noise(size, 40), gradient.rotate(180)))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=92)
    return buffer.getvalue()


def post(url: str, fields: dict, files: list[tuple[str, bytes]], token: str) -> tuple[int, float, str]:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

    data = {**fields, "photos": [SimpleUploadedFile(name, content, "image/jpeg") for name, content in files]}
    request = urllib.request.Request(url, data=encode_multipart(BOUNDARY, data), method="POST", headers={
        "Content-Type": MULTIPART_CONTENT, "Authorization": f"Token {token}"})
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=300) as response:
            return response.status, time.monotonic() - started, ""
    except urllib.error.HTTPError as error:
        return error.code, time.monotonic() - started, error.read()[:200].decode(errors="replace")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--inspectors", type=int, default=20)
    parser.add_argument("--photos", type=int, default=9, help="photos per inspector's report")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn gthread workers (README: cores + 1)")
    parser.add_argument("--threads", type=int, default=1, help="threads per worker")
    parser.add_argument("--busy-timeout", type=float, default=20, help="SQLITE_BUSY_TIMEOUT, seconds")
    parser.add_argument("--report-after", type=float, default=2, help="seconds until the intake report is sent")
    arguments = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="jingzhi-bench-uploads-"))
    database, var = work / "jingzhi.sqlite3", work / "var"
    django_setup(database, var)
    world = world_build(arguments.inspectors)
    content = photo_bytes()
    print(f"database {database}; photo {len(content) / 1e6:.1f} MB; {arguments.inspectors} inspectors × "
          f"{arguments.photos} photos; gunicorn {arguments.workers} workers × {arguments.threads} threads; "
          f"busy timeout {arguments.busy_timeout} s")

    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "JINGZHI_VAR_DIR": str(var), "DEBUG": "0",
           "MEDIA_ROOT": str(work / "media"), "ALLOWED_HOSTS": "127.0.0.1", "REDIS_URL": "",
           "SQLITE_BUSY_TIMEOUT": str(arguments.busy_timeout), "LOG_LEVEL": "ERROR"}
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "jingzhi.wsgi", "--bind", f"127.0.0.1:{PORT}", "--workers",
         str(arguments.workers), "--worker-class", "gthread", "--threads", str(arguments.threads),
         "--timeout", "300", "--log-level", "error",
         "--no-control-socket"], env=env, cwd=ROOT)
    url = f"http://127.0.0.1:{PORT}/api/cases/cases/"
    try:
        for _attempt in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{PORT}/login/", timeout=2)
                break
            except OSError:
                time.sleep(0.3)
        lon, lat = world["point"]
        report = {"category": "E0102", "description": "井盖缺失", "lon": lon, "lat": lat}
        photos = [(f"photo{n}.jpg", content) for n in range(arguments.photos)]
        results: dict[str, tuple[int, float, str]] = {}

        def inspector(name: str) -> None:
            results[name] = post(url, {**report, "source": "inspector"}, photos, world["tokens"][name])

        threads = [threading.Thread(target=inspector, args=(f"inspector{n}",)) for n in range(arguments.inspectors)]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        time.sleep(arguments.report_after)
        results["intake"] = post(url, {**report, "source": "hotline_12345"}, [], world["tokens"]["intake"])
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
    finally:
        server.terminate()
        server.wait(timeout=30)
    uploads = [results[f"inspector{n}"] for n in range(arguments.inspectors)]
    statuses = sorted({status for status, _seconds, _body in uploads})
    print(f"uploads: {', '.join(f'{sum(s == status for s, *_ in uploads)} × {status}' for status in statuses)}; "
          f"slowest {max(seconds for _s, seconds, _b in uploads):.1f} s; all done in {elapsed:.1f} s")
    status, seconds, body = results["intake"]
    print(f"intake report sent {arguments.report_after:.0f} s in: {status} after {seconds:.2f} s")
    for name, (status, _seconds, body) in results.items():
        if status >= 500:
            print(f"  {name}: {status} {body[:120]!r}")
            break


if __name__ == "__main__":
    main()
