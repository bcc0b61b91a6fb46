"""The demo fills the moderation queue once: held texts and pending photos; a re-run adds nothing."""
import io

import pytest

from jingzhi.disclosure import demo
from jingzhi.disclosure.selectors import photos_held, texts_held

pytestmark = pytest.mark.django_db


def test_the_demo_fills_the_queue_once(staff, make_category, geography, monkeypatch):
    make_category("0102")
    make_category("0501", "占道经营")
    monkeypatch.setattr(demo, "POINTS", [geography.inside_a] * 3)
    staff.citizen.username = "citizen"
    out = io.StringIO()
    demo.load_demo(stdout=out)
    demo.load_demo(stdout=out)
    assert out.getvalue().splitlines()[-1] == "moderation: 0 citizen reports added, 0 decisions screened"
    assert [review.case.description[:4] for review in texts_held()] == ["小区门口", "路口有人"]
    assert photos_held().count() == 2
