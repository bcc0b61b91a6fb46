"""The OpenAPI 3 schema stays complete: it generates without a warning (every view's serializer
and parameters are known to drf-spectacular) and validates against the OpenAPI specification."""
import io

import yaml
from django import forms
from django.core.management import call_command
from django.urls import path
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.throttling import UserRateThrottle
from rest_framework.views import APIView

from jingzhi.cases import forms as case_forms
from jingzhi.cases.models import Case
from jingzhi.cases.serializers import CaseCreateSerializer
from jingzhi.core.limits import LONG_TEXT, SHORT_TEXT
from jingzhi.plans import forms as plan_forms
from jingzhi.plans.models import Indicator
from jingzhi.plans.serializers import ProgressReportCreateSerializer


def test_the_schema_generates_cleanly_and_validates(tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target), stderr=io.StringIO())
    schema = yaml.safe_load(target.read_text(encoding="utf-8"))
    assert schema["openapi"].startswith("3.")
    paths = schema["paths"]
    assert {"/api/cases/cases/", "/api/geo/locate", "/api/plans/notices/"} <= set(paths)
    create = paths["/api/cases/cases/"]["post"]
    assert any(p["name"] == "Idempotency-Key" and p["in"] == "header" for p in create["parameters"])


def _schema() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


def _operations(schema):
    for url, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield f"{method.upper()} {url}", operation


def test_every_operation_documents_its_error_answers():
    """Not only 200/201: the errors each operation can give, with one body schema for each kind."""
    schema = _schema()
    errors = {"$ref": "#/components/schemas/Error"}
    missing = []
    for name, operation in _operations(schema):
        parameters = operation.get("parameters", [])
        public = not operation.get("security")  # the token sign-in: open to anyone
        expected = set() if public else {"401", "403"}
        if "requestBody" in operation or any(p["in"] in ("query", "header") for p in parameters):
            expected.add("400")
        if "requestBody" in operation:
            expected.add("415")
        if any(p["in"] == "path" for p in parameters):
            expected.add("404")
        if any(p["name"] == "Idempotency-Key" for p in parameters):
            expected.add("422")
        if "/api/cases/cases/{id}/" in name and name.startswith("POST"):
            expected.add("409")  # a case action the case's state does not allow
        responses = operation["responses"]
        missing += [f"{name} {status}" for status in expected - set(responses)]
        for status in expected - {"400"}:
            if status in responses:
                assert responses[status]["content"]["application/json"]["schema"] == errors, (name, status)
        if "400" in responses:
            assert responses["400"]["content"]["application/json"]["schema"] == {
                "$ref": "#/components/schemas/ValidationError"}
        if not public:
            assert responses["401"]["headers"]["WWW-Authenticate"]["required"] is True
    assert missing == []
    assert schema["components"]["schemas"]["Error"]["required"] == ["detail"]


def _resolved(schema, node):
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    return node


def _unbounded_strings(schema, node, where):
    """Free-text string properties (not a file, a date, a choice or a pattern) without maxLength."""
    node = _resolved(schema, node)
    if node.get("type") == "array":
        yield from _unbounded_strings(schema, node["items"], f"{where}[]")
    for name, prop in node.get("properties", {}).items():
        yield from _unbounded_strings(schema, prop, f"{where}.{name}")
    if node.get("type") == "string" and not node.get("readOnly") and "maxLength" not in node and not (
            node.get("format") in ("binary", "date", "date-time") or "enum" in node or "pattern" in node):
        yield where


def test_every_free_text_input_has_a_documented_limit():
    """Request bodies and query parameters: every free-text string says its maximum length, so a
    client knows it and the API refuses anything longer (a 5 MB comment was accepted)."""
    schema = _schema()
    unbounded = []
    for name, operation in _operations(schema):
        for content in operation.get("requestBody", {}).get("content", {}).values():
            unbounded += _unbounded_strings(schema, content["schema"], name)
        for parameter in operation.get("parameters", []):
            if parameter["in"] == "query":
                unbounded += _unbounded_strings(schema, parameter["schema"], f"{name} ?{parameter['name']}")
    assert unbounded == []


def test_every_form_text_field_has_a_limit():
    """The staff pages' forms too (the case pages post through the API serializers, checked above)."""
    forms_found = [form for module in (case_forms, plan_forms) for form in vars(module).values()
                   if isinstance(form, type) and issubclass(form, forms.Form) and form.__module__ == module.__name__]
    assert len(forms_found) >= 6
    unbounded = [f"{form.__name__}.{name}" for form in forms_found for name, field in form.base_fields.items()
                 if type(field) in (forms.CharField,) and field.max_length is None]
    assert unbounded == []


def test_the_text_limits_fit_their_columns():
    """A limit never exceeds the database column it is stored in (TextFields have none)."""
    create = CaseCreateSerializer().fields
    for name in ("address", "reporter_name", "reporter_phone"):
        assert create[name].max_length <= Case._meta.get_field(name).max_length
    assert ProgressReportCreateSerializer().fields["unit"].max_length <= Indicator._meta.get_field("unit").max_length
    assert LONG_TEXT <= 2000 and Case._meta.get_field("address").max_length >= SHORT_TEXT


class _ThrottledView(APIView):
    throttle_classes = [UserRateThrottle]

    @extend_schema(responses={200: None})
    def get(self, request):
        return Response()


def test_a_throttled_operation_documents_its_429():
    """Throttles are set on another branch; an operation under one says so, with Retry-After."""
    schema = SchemaGenerator(patterns=[path("api/throttled/", _ThrottledView.as_view())]).get_schema(public=True)
    responses = schema["paths"]["/api/throttled/"]["get"]["responses"]
    assert set(responses) == {"200", "401", "403", "429"}
    assert "Retry-After" in responses["429"]["headers"]
