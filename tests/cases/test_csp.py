"""Real browser: every case page and the maps run under the Content-Security-Policy without a
violation (``browse_as`` fails the test on any; see tests/conftest.py)."""
import pytest

from jingzhi.cases.workflow import State

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_case_pages_and_the_maps_obey_the_policy(browse_as, staff, make_case):
    filed, closed = make_case(State.FILED), make_case(State.CLOSED)  # the closed one has an after photo
    make_case(State.DISPATCHED)
    drawn = "#case-map[data-points='1']"  # the map's script ran, started by the markup alone
    browse_as(staff.chief, {"/cases/overview/": None, "/cases/intake/": None, "/cases/search/": None,
                            f"/cases/{closed.pk}/": drawn})
    browse_as(staff.dispatcher, {"/cases/dispatch/": drawn, f"/cases/{filed.pk}/": drawn})
    browse_as(staff.handler_a, {"/cases/worklist/": None})
    page = browse_as(staff.inspector, {"/cases/tasks/": None, "/geo/": "#geo-map[data-areas='2']",
                                       "/cases/new/": "#case-map[data-areas='2']"})
    # The report form's location picker, started from its data- attributes, fills the coordinates.
    box = page.locator("#case-map").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    assert page.input_value("#id_lon") and page.input_value("#id_lat")
