"""The real production path, not the eager in-process default: gunicorn serves the pages and the
static files, Celery beat schedules the escalation job through Redis, a Celery worker process runs
it on an overdue case and delivers the notice to the shift chief's phone."""
import gzip
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
import uuid

import pytest
import redis
from django.conf import settings
from django.db import connection

from jingzhi.cases.models import CaseEvent, Notification
from jingzhi.cases.workflow import State

from .conftest import at

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

REDIS_URL = "redis://127.0.0.1:6379/13"  # a database of its own; each run also has its own queue
TILES = "https://tiles.example.gov.cn/{z}/{x}/{y}.png"


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("the production path runs on PostgreSQL: separate processes cannot share the test's "
                    "SQLite database (.ci/run runs this test in its PostgreSQL pass)")


@pytest.fixture
def redis_broker():
    """Redis at 127.0.0.1:6379 (.ci/run starts it): a developer without it skips, CI fails."""
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError as error:
        if os.environ.get("CI"):
            pytest.fail(f"Redis is not reachable under CI: {error}")
        pytest.skip(f"Redis is not reachable at 127.0.0.1:6379 ({error})")
    return REDIS_URL


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url() -> str:
    """The test database, which the processes must share with this test."""
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def wait_for(condition, *, seconds: float, what: str, logs):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if result := condition():
            return result
        time.sleep(0.2)
    pytest.fail(f"{what} within {seconds} s\n" + "\n".join(
        f"--- {log.name}\n{log.read_text(errors='replace')[-3000:]}" for log in logs))


def get(url: str):
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request, timeout=5) as response:
        return response.status, response.headers, response.read()


def test_beat_and_a_worker_escalate_through_redis_and_gunicorn_serves(staff, make_case, sms_gateway, redis_broker,
                                                                        tmp_path):
    staff.chief.phone = "13800138000"
    staff.chief.save()
    case = make_case(State.FILED, now=at("2024-06-11 09:00"))  # its 30-minute dispatch limit is long past
    port = free_port()
    env = {
        "PATH": f"{os.path.dirname(sys.executable)}:/usr/bin:/bin", "HOME": str(tmp_path), "LANG": "C.UTF-8",
        "DEBUG": "0", "HTTPS": "0", "SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url(), "REDIS_URL": redis_broker, "CELERY_QUEUE": f"test-{uuid.uuid4().hex}",
        "ESCALATION_INTERVAL_SECONDS": "2", "NOTIFICATION_CHANNELS": "jingzhi.cases.notifications.SmsChannel",
        "SMS_GATEWAY_URL": sms_gateway.url, "SMS_GATEWAY_TOKEN": "t0ken", "MAP_TILE_URL": TILES,
        "JINGZHI_VAR_DIR": str(tmp_path / "var"), "MEDIA_ROOT": str(tmp_path / "media"), "LOG_LEVEL": "INFO",
    }
    commands = {
        "worker": ["-m", "celery", "-A", "jingzhi", "worker", "--pool", "solo", "-n", f"{env['CELERY_QUEUE']}@%h",
                   "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "info"],
        "beat": ["-m", "celery", "-A", "jingzhi", "beat", "-s", str(tmp_path / "beat-schedule"), "-l", "info"],
        "gunicorn": ["-m", "gunicorn", "jingzhi.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1",
                     "--no-control-socket"],
    }
    processes, logs = [], []
    try:
        for name in ("worker", "beat"):
            logs.append(tmp_path / f"{name}.log")
            processes.append(subprocess.Popen([sys.executable, *commands[name]], cwd=settings.PROJECT_DIR, env=env,
                                              stdout=logs[-1].open("w"), stderr=subprocess.STDOUT))
        # While Celery starts: the static files as a deployment collects them, then the web server.
        collected = subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
                                   cwd=settings.PROJECT_DIR, env=env, capture_output=True, text=True, timeout=60)
        assert collected.returncode == 0, collected.stderr
        logs.append(tmp_path / "gunicorn.log")
        processes.append(subprocess.Popen([sys.executable, *commands["gunicorn"]], cwd=settings.PROJECT_DIR,
                                          env=env, stdout=logs[-1].open("w"), stderr=subprocess.STDOUT))

        # The worker delivered the notice it made: the text reached the SMS gateway from its process.
        [(authorization, body)] = wait_for(lambda: sms_gateway.received, seconds=25, logs=logs,
                                           what="no escalation notice reached the SMS gateway")
        assert authorization == "Bearer t0ken" and body["phone"] == "13800138000" and case.number in body["text"]
        assert CaseEvent.objects.filter(case=case, action="escalate", actor_role="system").count() == 1
        assert Notification.objects.filter(recipient=staff.chief, case=case, kind="escalate").count() == 1

        # gunicorn answers the login page under the policy, and WhiteNoise the hashed, compressed CSS.
        def login_page():
            try:
                return get(f"http://127.0.0.1:{port}/login/")
            except OSError:
                return None
        status, headers, html = wait_for(login_page, seconds=15, what="gunicorn did not answer", logs=logs)
        assert status == 200 and "no-store" in headers["Cache-Control"]
        assert "img-src 'self' https://tiles.example.gov.cn" in headers["Content-Security-Policy"]
        stylesheet = re.search(rb'href="(/static/core/jingzhi\.[0-9a-f]{12}\.css)"', html).group(1).decode()
        status, headers, _ = get(f"http://127.0.0.1:{port}{stylesheet}")
        assert status == 200 and headers["Content-Encoding"] == "gzip" and "immutable" in headers["Cache-Control"]
        # /favicon.ico leads to the icon under its hashed name (urllib follows the redirect).
        icon = re.search(rb'<link rel="icon" href="(/static/core/favicon\.[0-9a-f]{12}\.ico)">', html).group(1)
        status, headers, body = get(f"http://127.0.0.1:{port}/favicon.ico")
        assert status == 200 and body == get(f"http://127.0.0.1:{port}{icon.decode()}")[2]
        body = gzip.decompress(body) if headers["Content-Encoding"] == "gzip" else body
        assert body[:4] == b"\0\0\1\0"  # the ICO header
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
