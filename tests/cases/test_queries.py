"""Query counts of the case list: the ``actions`` of each row must not query per case."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jingzhi.cases.workflow import State

pytestmark = pytest.mark.django_db


def _list_queries(api_client_for, user) -> int:
    """Queries of one list request, as a fresh request's user (nothing cached on it yet)."""
    client = api_client_for(type(user).objects.get(pk=user.pk))
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/api/cases/cases/")
    assert response.status_code == 200
    assert all("receive" in row["actions"] for row in response.json()["results"])
    return len(captured.captured_queries)


def test_handler_case_list_does_not_query_per_case(make_case, staff, api_client_for):
    make_case(State.DISPATCHED)
    one = _list_queries(api_client_for, staff.handler_a)
    for _ in range(3):
        make_case(State.DISPATCHED)
    assert _list_queries(api_client_for, staff.handler_a) == one
