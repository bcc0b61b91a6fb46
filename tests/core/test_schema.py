"""The OpenAPI 3 schema stays complete: it generates without a warning (every view's serializer
and parameters are known to drf-spectacular) and validates against the OpenAPI specification."""
import io

import yaml
from django.core.management import call_command


def test_the_schema_generates_cleanly_and_validates(tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target), stderr=io.StringIO())
    schema = yaml.safe_load(target.read_text(encoding="utf-8"))
    assert schema["openapi"].startswith("3.")
    paths = schema["paths"]
    assert {"/api/cases/cases/", "/api/geo/locate", "/api/plans/notices/"} <= set(paths)
    create = paths["/api/cases/cases/"]["post"]
    assert any(p["name"] == "Idempotency-Key" and p["in"] == "header" for p in create["parameters"])
