"""Intake through the API, the platform's hottest write path: the receipt it answers and the
queries it costs (each one is a database round trip on every report)."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from jingzhi.cases.models import Case, CaseEvent
from jingzhi.cases.serializers import CaseReceiptSerializer

pytestmark = pytest.mark.django_db


@pytest.fixture
def intake_client(staff):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=staff.intake).key}")
    return client


def _report(client, geography, **changes):
    lon, lat = geography.inside_a
    data = {"category": "E0102", "source": "hotline_12345", "description": "暴露垃圾", "lon": lon, "lat": lat,
            "reporter_name": "王先生", "reporter_phone": "13800001111", **changes}
    return client.post("/api/cases/cases/", data, format="json")


def test_the_receipt_is_what_drf_renders_from_the_declared_fields(intake_client, geography, category):
    response = _report(intake_client, geography)
    assert response.status_code == 201
    case = Case.objects.select_related("category__category_class").get(number=response.json()["number"])
    serializer = CaseReceiptSerializer(case)
    generic = serializers.Serializer.to_representation(serializer, case)
    assert serializer.data == generic and response.json() == generic
    assert generic["subdistrict"] == geography.subdistrict_a1.pk and generic["grid_code"] == geography.grid_code_a
    assert set(generic) == set(CaseReceiptSerializer().fields)
    # No sub-district, grid or suggested department: the nulls and blanks render alike too.
    case.subdistrict = case.suggested_department = None
    case.grid_code = ""
    assert CaseReceiptSerializer(case).data == serializers.Serializer.to_representation(serializer, case)


def test_a_token_authenticated_report_costs_a_fixed_set_of_queries(intake_client, staff, geography, category):
    _report(intake_client, geography)  # the routing index is built on first use
    with CaptureQueriesContext(connection) as captured:
        response = _report(intake_client, geography, description="第二次")
    assert response.status_code == 201
    # token + user + roles, category + department, geography token, area units, calendar overrides
    # (the intake clock), then the transaction: savepoint, case number, case, audit event, the
    # assessment's daily rollup of units and of posts (counted in place), the public data version
    # (core.versions: last, so its row is locked only for the commit), release.
    statements = [query["sql"] for query in captured.captured_queries]
    assert len(statements) == 13, [sql[:80] for sql in statements]
    # The case number's counter row is locked until commit: nothing but the writes runs meanwhile.
    begin = next(i for i, sql in enumerate(statements) if sql.startswith("SAVEPOINT"))
    assert [sql.split("(")[0].split()[2].strip('"') for sql in statements[begin + 1:begin + 6]] == [
        "cases_casenumbercounter", "cases_case", "cases_caseevent", "assessment_dailycount",
        "assessment_dailypostcount"]
    assert statements[begin + 6].startswith('UPDATE "core_dataversion"')
    assert statements[begin + 7].startswith("RELEASE SAVEPOINT")
    event = CaseEvent.objects.get(case__number=response.json()["number"])
    assert (event.action, event.actor, event.data) == ("report", staff.intake, {"source": "hotline_12345"})
