"""The admin's read-only case lists: a page costs the same number of queries however many rows it shows."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jingzhi.cases.workflow import State

pytestmark = pytest.mark.django_db

LISTS = ["/admin/cases/case/", "/admin/cases/caseevent/", "/admin/cases/category/"]


def _queries(client) -> list[int]:
    counts = []
    for url in LISTS:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        counts.append(len(captured.captured_queries))
    return counts


def test_admin_lists_do_not_query_per_row(make_case, client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("root", "root@example.cn", "pw"))
    make_case(State.DISPATCHED)
    one = _queries(client)
    for _ in range(3):
        make_case(State.DISPATCHED)
    assert _queries(client) == one
