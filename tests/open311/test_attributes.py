"""data/open311/attributes.yaml against its source, the case catalogue, and the loader's refusals."""
import pytest
import yaml
from django.conf import settings
from django.core.exceptions import ValidationError

from jingzhi.open311.attributes import (
    AttributesFileError,
    attribute_values_clean,
    attributes_read,
    service_attributes,
)


def _catalogue_codes() -> set[str]:
    document = yaml.safe_load((settings.DATA_DIR / "cases" / "catalogue.yaml").read_text(encoding="utf-8"))
    return {("C" if entry["kind"] == "component" else "E") + str(sub["code"])
            for entry in document["classes"] for sub in entry["subclasses"]}


def test_every_service_with_attributes_is_a_small_class_of_the_catalogue():
    services = service_attributes()
    assert set(services) <= _catalogue_codes()
    assert {"C0101", "C0109", "E0401", "E0505"} <= set(services)
    assert [a.code for a in services["C0101"]] == ["condition", "asset_number"]
    for attributes in services.values():
        assert [a.order for a in attributes] == sorted(a.order for a in attributes)
        assert all(a.description_en for a in attributes)  # English is the second language


@pytest.mark.parametrize("entry, message", [
    ({"code": "a", "datatype": "colour", "order": 1, "description": "x"}, "datatype"),
    ({"code": "a", "datatype": "string", "order": 0, "description": "x"}, "order"),
    ({"code": "a", "datatype": "singlevaluelist", "order": 1, "description": "x"}, "values"),
    ({"code": "a", "datatype": "string", "order": 1, "description": "x", "values": [{"key": "k", "name": "n"}]},
     "values"),
])
def test_a_bad_file_is_refused_with_where(tmp_path, entry, message):
    path = tmp_path / "attributes.yaml"
    path.write_text(yaml.safe_dump({"services": {"E0102": [entry]}}, allow_unicode=True), encoding="utf-8")
    with pytest.raises(AttributesFileError, match=message):
        attributes_read(path)


def test_repeated_codes_are_refused(tmp_path):
    entry = {"code": "a", "datatype": "string", "order": 1, "description": "x"}
    path = tmp_path / "attributes.yaml"
    path.write_text(yaml.safe_dump({"services": {"E0102": [entry, {**entry, "order": 2}]}}), encoding="utf-8")
    with pytest.raises(AttributesFileError, match="codes repeat"):
        attributes_read(path)


def test_values_are_checked_by_datatype():
    depth = service_attributes()["E0407"]
    assert attribute_values_clean(depth, {"depth_cm": ["12.5"]}) == {"depth_cm": 12.5}
    assert attribute_values_clean(depth, {}) == {}
    for bad in (["deep"], ["300"], ["nan"], ["1", "2"]):
        with pytest.raises(ValidationError) as error:
            attribute_values_clean(depth, {"depth_cm": bad})
        assert "attribute[depth_cm]" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        attribute_values_clean(depth, {"colour": ["red"]})
    assert "attribute[colour]" in error.value.message_dict
    plate = service_attributes()["E0505"]
    with pytest.raises(ValidationError):
        attribute_values_clean(plate, {"plate_number": ["豫A" + "1" * 20]})
