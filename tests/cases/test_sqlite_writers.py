"""On the embedded SQLite default, a large photo upload does not make a concurrent report fail.

SQLite has one write lock for the whole database. Photos used to be decoded and re-encoded inside
the write transaction, so a report with many large photos held the lock for seconds and a second
report meanwhile got a 500 ("database is locked") once the busy timeout ran out (issue 7, §2).

The test runs the production server (gunicorn, two worker processes, so two SQLite connections)
on a file copy of the test database: pytest-django's in-memory SQLite database shares one
connection's cache between threads and cannot show the lock. The busy timeout is cut to half a
second so that the old behaviour fails fast: the second report must get the lock while the
upload's photos are being prepared, and both must succeed.
"""
import io
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from PIL import Image

from jingzhi.cases.models import Case, CasePhoto
from tests.upload_samples import upload

pytestmark = pytest.mark.django_db(transaction=True)

BUSY_TIMEOUT = 0.5  # seconds; the production default is 20 (SQLITE_BUSY_TIMEOUT)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _post(url: str, data: dict, session: str) -> tuple[int, bytes]:
    """A multipart POST with a session cookie and its CSRF token, as a browser sends it."""
    csrf = "c" * 32
    request = urllib.request.Request(url, data=encode_multipart(BOUNDARY, data), method="POST", headers={
        "Content-Type": MULTIPART_CONTENT, "X-CSRFToken": csrf,
        "Cookie": f"{settings.SESSION_COOKIE_NAME}={session}; {settings.CSRF_COOKIE_NAME}={csrf}"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
    except urllib.error.URLError as error:  # e.g. refused before the body was sent
        return 0, str(error).encode()


@pytest.fixture
def sessions(staff):
    """A signed-in browser session for each of the two reporters, as the API accepts it."""
    cookies = {}
    for user in (staff.inspector, staff.intake):
        client = Client()
        client.force_login(user)
        cookies[user.username] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return cookies


@pytest.fixture
def database_file(tmp_path, staff, category, sessions):
    """The test database (committed: a transactional test) copied to a WAL-mode file."""
    if connection.vendor != "sqlite":
        pytest.skip("the database-wide write lock is SQLite's")
    path = tmp_path / "jingzhi.sqlite3"
    connection.ensure_connection()
    with sqlite3.connect(path) as copy:
        connection.connection.backup(copy)
        copy.execute("PRAGMA journal_mode=WAL")
    copy.close()
    return path


@pytest.fixture
def server(database_file, tmp_path):
    """gunicorn as in production (gthread workers) on the database file; yields its URL."""
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database_file}", "SQLITE_BUSY_TIMEOUT": str(BUSY_TIMEOUT),
           "MEDIA_ROOT": str(tmp_path / "media"), "JINGZHI_VAR_DIR": str(tmp_path / "var"),
           # DEBUG serves static files from the source tree (no collectstatic); the locking is the same.
           "DEBUG": "1", "ALLOWED_HOSTS": "127.0.0.1", "REDIS_URL": "", "DJANGO_SETTINGS_MODULE": "jingzhi.settings",
           "SECRET_KEY": settings.SECRET_KEY}  # the sessions are signed with it
    log = open(tmp_path / "gunicorn.log", "wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "jingzhi.wsgi", "--preload", "--workers", "2", "--worker-class",
         "gthread", "--threads", "2", "--no-control-socket", "--bind", f"127.0.0.1:{port}"],
        cwd=settings.PROJECT_DIR, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{url}/login/", timeout=5):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"gunicorn did not start: {(tmp_path / 'gunicorn.log').read_text()}")
                time.sleep(0.1)
        yield url
    finally:
        process.send_signal(signal.SIGQUIT)  # gunicorn's quick shutdown
        process.wait(timeout=20)
        log.close()


def _large_png() -> bytes:
    """1200×900 with noise: ≈1.5 MB, and a few tenths of a second to decode and re-encode."""
    size = (1200, 900)
    gradient = Image.linear_gradient("L").resize(size)
    image = Image.merge("RGB", (gradient, Image.effect_noise(size, 40), gradient.rotate(180)))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()


def test_a_large_upload_and_a_second_report_at_the_same_time_both_succeed(server, database_file, sessions, geography):
    lon, lat = geography.inside_a
    report = {"category": "E0102", "description": "井盖缺失", "lon": lon, "lat": lat}
    png = _large_png()
    photos = [upload(f"photo{number}.png", png, "image/png") for number in range(4)]
    answers, finished = {}, {}

    def large_upload():
        answers["upload"] = _post(f"{server}/api/cases/cases/", {**report, "source": "inspector", "photos": photos},
                                  sessions["inspector"])
        finished["upload"] = time.monotonic()

    uploading = threading.Thread(target=large_upload)
    uploading.start()
    time.sleep(0.6)  # the upload has arrived and its photos are being worked on
    answers["report"] = _post(f"{server}/api/cases/cases/", {**report, "source": "hotline_12345"}, sessions["intake"])
    finished["report"] = time.monotonic()
    uploading.join(timeout=60)
    statuses = {name: status for name, (status, _body) in answers.items()}
    assert statuses == {"upload": 201, "report": 201}, (answers["report"][1][:300], answers["upload"][1][:300])
    assert finished["report"] < finished["upload"], "the two requests did not overlap: the test proves nothing"
    with sqlite3.connect(database_file) as written:
        cases = written.execute(f"SELECT count(*) FROM {Case._meta.db_table}").fetchone()[0]
        photos = written.execute(f"SELECT count(*) FROM {CasePhoto._meta.db_table}").fetchone()[0]
    written.close()
    assert (cases, photos) == (2, 4)


def test_sqlite_writers_wait_for_the_lock_rather_than_fail():
    """BEGIN IMMEDIATE takes the write lock at once and waits for it up to the busy timeout (a
    deferred transaction that read first cannot wait: it fails when it comes to write), in WAL mode
    so that readers never wait for a writer."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite options")
    options = connection.settings_dict["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE" and "journal_mode=WAL" in options["init_command"]
    assert options["timeout"] >= 20
