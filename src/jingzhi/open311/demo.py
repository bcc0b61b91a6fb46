"""Demo of the Open311 interface: one registered client app, whose key is printed on every run
(only a digest is stored, so each run issues a fresh key and the previous one stops)."""
from __future__ import annotations

from .selectors import client_app_named
from .services import client_app_create, client_app_rotate

DEMO_APP = "演示客户端"


def load_demo(*, stdout):
    app = client_app_named(name=DEMO_APP)
    key = client_app_rotate(app=app) if app else client_app_create(name=DEMO_APP, contact="demo")[1]
    stdout.write(f"Open311 GeoReport v2: /open311/v2/discovery.json  demo api_key ({DEMO_APP}): {key}")
