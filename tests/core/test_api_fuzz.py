"""schemathesis over the whole API: every operation of /api/schema/, on the live test server with
demo-like data (units, a category catalogue, cases in several states, a small plan with reports),
as a staff member and as a citizen, with every check on. No 5xx, no answer that breaks the schema.

The run is bounded (examples per operation, no stateful phase) to stay inside the suite's time
budget; its figures are printed and recorded in docs/api-errors.md. A deeper run, e.g.
``JINGZHI_FUZZ_EXAMPLES=50 JINGZHI_FUZZ_SEED=3 JINGZHI_FUZZ_STATEFUL=true``.
"""
import json
import os
import socket
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token

from jingzhi.cases.models import Case, Notification
from jingzhi.cases.notifications import notifications_send
from jingzhi.cases.workflow import CaseAction, State
from jingzhi.org.models import Role, Unit
from jingzhi.plans.models import ChecklistItem, ProgressReport, SupervisionNotice, Task
from jingzhi.plans.services import notice_issue
from tests.plans.conftest import REVIEW_DATE

pytestmark = pytest.mark.django_db(transaction=True)

ST = Path(sys.executable).with_name("st")
MAX_EXAMPLES = int(os.environ.get("JINGZHI_FUZZ_EXAMPLES", "10"))  # per operation and phase
SEED = int(os.environ.get("JINGZHI_FUZZ_SEED", "7"))
STATEFUL = os.environ.get("JINGZHI_FUZZ_STATEFUL", "false")


@pytest.fixture
def api_data(staff, make_case, make_category, progress, people, units, make_user):
    """Cases in several states (one with the 双十 on-site steps), a plan with progress, a notice and
    notifications; two callers: a staff member holding every desk role (so every write path is open
    to the fuzzer) and a citizen; and the ids that exist, for the fuzzer to try in URLs."""
    vending = make_category("0501", "无照经营游商", on_site_steps=[
        {"name": "管理人员到场劝导", "value": 10, "unit": "natural_minutes"}])
    make_category("0101", "上水井盖", kind="component")
    for state in (State.REPORTED, State.ACCEPTED, State.DISPATCHED, State.HANDLING, State.VERIFYING, State.CLOSED):
        make_case(state)
    on_site = make_case(State.DISPATCHED, category=vending, reporter=staff.other_citizen)
    desk = make_user(Role.PLAN_OFFICE, Role.UNIT_REPORTER, Role.INTAKE_OPERATOR, Role.SHIFT_CHIEF, Role.DISPATCHER,
                     Role.INSPECTOR, Role.HANDLER, unit=units["市城管局"], username="desk")
    notifications_send(recipients=[desk, staff.citizen], case=on_site, kind=CaseAction.CLOSE, message="测试通知",
                       now=timezone.now())
    notice_issue(user=people["office"], task=Task.objects.get(number="2"), to_unit=units["市园林局"],
                 text="进度滞后，请说明原因。", reply_due=date(2018, 10, 10), on=REVIEW_DATE)
    ids = {pk for model in (Case, Notification, Unit, Task, ChecklistItem, ProgressReport, SupervisionNotice)
           for pk in model.objects.values_list("pk", flat=True)}
    return {"staff": Token.objects.create(user=desk).key, "citizen": Token.objects.create(user=staff.citizen).key,
            "ids": sorted(ids)}


@pytest.fixture
def no_throttling(settings):
    """Throttles (per user and IP) and login lockouts would answer the fuzzer's bursts with 429s:
    off for this test, whatever the settings name (DummyCache keeps no request history)."""
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    settings.AXES_ENABLED = False
    # The citizens' SMS sign-in codes have limits of their own (per phone, per address, resend); the
    # texts go to the log instead of a gateway.
    settings.CITIZEN_CODE_RESEND_SECONDS = 0
    settings.CITIZEN_CODES_PER_PHONE_HOUR = settings.CITIZEN_CODES_PER_IP_HOUR = 10**9
    settings.SMS_BACKEND = "jingzhi.core.sms.LogBackend"


CONFIG = """
seed = {seed}
workers = 1
request-timeout = 20
# Django's test server sometimes closes a kept-alive connection the client is about to reuse.
request-retries = 2

[generation]
max-examples = {max_examples}

[phases.stateful]
enabled = {stateful}

[checks.positive_data_acceptance]
# Well-formed requests that a rule the schema cannot state refuses: 400 for an id that does not
# exist, a point outside the city, an arrival before the dispatch, a comment of spaces; 422 for an
# Idempotency-Key the fuzzer happened to reuse with another body.
expected-statuses = ["2xx", "400", "401", "403", "404", "409", "422"]

[auth.openapi.tokenAuth]
api_key = "Token {token}"

[dictionaries.ids]
values = {ids}

[parameters]
"path.id" = {{ dictionary = "ids", probability = 0.6 }}
"""


@pytest.fixture
def fast_live_server(live_server):
    """The live server with Nagle's algorithm off on its connections.

    Django's test server writes a response's headers and body separately; on a kept-alive
    connection (schemathesis reuses one) the body then waits for the client's delayed ACK, 40 ms a
    request. Each accepted socket gets TCP_NODELAY: 3 ms a request."""
    server = live_server.thread.httpd
    accept = server.get_request

    def get_request():
        connection, address = accept()
        connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return connection, address

    server.get_request = get_request
    yield live_server
    del server.get_request


def schemathesis(url: str, token: str, ids: list[int], tmp_path: Path,
                 exclude: tuple[str, ...] = ()) -> tuple[subprocess.CompletedProcess, dict]:
    config, report = tmp_path / "schemathesis.toml", tmp_path / "report.json"
    config.write_text(CONFIG.format(seed=SEED, max_examples=MAX_EXAMPLES, stateful=STATEFUL, token=token, ids=ids))
    command = [str(ST), "--config-file", str(config), "run", f"{url}/api/schema/", "--checks", "all",
               "--report", "json", "--report-json-path", str(report),
               *(argument for path in exclude for argument in ("--exclude-path", path))]
    # In tmp_path, where schemathesis and Hypothesis keep their caches.
    done = subprocess.run(command, capture_output=True, text=True, timeout=600, cwd=tmp_path)
    return done, json.loads(report.read_text()) if report.exists() else {}


@pytest.mark.parametrize("caller", ["staff", "citizen"])
def test_schemathesis_finds_no_server_error_and_no_schema_violation(caller, api_data, no_throttling,
                                                                     fast_live_server, tmp_path):
    started = time.monotonic()
    # The citizen deleting their own account would leave the rest of the run signed out (all 401s).
    exclude = ("/api/citizens/account/",) if caller == "citizen" else ()
    done, report = schemathesis(fast_live_server.url, api_data[caller], api_data["ids"], tmp_path, exclude)
    figures = report.get("operations", {}), report.get("test_cases", {})
    print(f"schemathesis as {caller}: {figures[0].get('tested')} operations, {figures[1].get('generated')} "
          f"test cases, {len(report.get('failures', []))} failures, {time.monotonic() - started:.0f} s")
    assert done.returncode == 0 and report["failures"] == [] and report["errors"] == [], (
        done.stdout[-20000:] + done.stderr[-3000:])
    assert report["stop_reason"] == "completed" and figures[0]["tested"] == figures[0]["total"] - len(exclude) >= 60
