"""The asset kinds (台账类型) as data: ``data/assets/kinds.yaml`` read once into frozen dataclasses.

A kind says what a registry of that kind holds: its geometry type, the attributes the plan's targets
need (with type, choices and whether required), what its keepers are called, which responsibility
zone answers for it and in which case small classes a problem on it is reported. Everything else in
the app (validation, import columns, filters, pages) reads these definitions, so a new kind or field
is a change to the file, not to code.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

import yaml
from django.conf import settings

KINDS_FILE = Path(settings.DATA_DIR) / "assets" / "kinds.yaml"

GEOMETRY_TYPES = {
    "point": ("Point",),
    "line": ("LineString", "MultiLineString"),
    "polygon": ("Polygon", "MultiPolygon"),
}
ATTRIBUTE_TYPES = ("text", "int", "decimal", "bool", "date", "choice", "multichoice")
CATEGORY_CODE_LENGTH = 5  # C/E + 4 digits


class KindsFileError(ValueError):
    """kinds.yaml is inconsistent; the message says where."""


@dataclass(frozen=True)
class Derived:
    """An attribute computed from another: true when ``source`` is at least ``at_least``."""

    source: str
    at_least: float


@dataclass(frozen=True)
class AttributeSpec:
    name: str
    label: str
    type: str
    required: bool = False
    choices: tuple[str, ...] = ()
    choice_labels: tuple[tuple[str, str], ...] = ()
    unit: str = ""
    derived: Derived | None = None

    def choice_label(self, value: str) -> str:
        return dict(self.choice_labels).get(value, value)


@dataclass(frozen=True)
class AssetKind:
    code: str
    label: str
    label_en: str
    geometry: str  # point | line | polygon
    keeper_role: str
    duty: str  # a geo DutyKind value, or ""
    categories: tuple[str, ...]  # case small classes as C0301 / E0104
    plan_quote: str
    attributes: tuple[AttributeSpec, ...]

    @property
    def geometry_types(self) -> tuple[str, ...]:
        """The GeoJSON geometry types an asset of this kind may have."""
        return GEOMETRY_TYPES[self.geometry]

    def attribute(self, name: str) -> AttributeSpec | None:
        return self._by_name.get(name)

    @cached_property
    def _by_name(self) -> dict[str, AttributeSpec]:
        return {spec.name: spec for spec in self.attributes}


def _attribute(entry: dict, where: str) -> AttributeSpec:
    name, kind = entry.get("name"), entry.get("type")
    if not name or kind not in ATTRIBUTE_TYPES:
        raise KindsFileError(f"{where}: attribute {name!r} has unknown type {kind!r}")
    choices = tuple(str(choice) for choice in entry.get("choices") or ())
    if (kind in ("choice", "multichoice")) != bool(choices):
        raise KindsFileError(f"{where}.{name}: choices are for (and required by) choice types")
    labels = entry.get("choice_labels") or {}
    if set(labels) - set(choices):
        raise KindsFileError(f"{where}.{name}: labels for unknown choices {sorted(set(labels) - set(choices))}")
    derived = entry.get("derived")
    return AttributeSpec(
        name=name, label=entry["label"], type=kind, required=bool(entry.get("required", False)),
        choices=choices, choice_labels=tuple((str(k), str(v)) for k, v in labels.items()),
        unit=entry.get("unit", ""),
        derived=Derived(source=derived["from"], at_least=float(derived["at_least"])) if derived else None,
    )


def kinds_parse(document: dict) -> tuple[AssetKind, ...]:
    """The kinds of a kinds.yaml document, checked (KindsFileError names the kind and field)."""
    kinds = []
    for entry in document["kinds"]:
        where = entry.get("code", "?")
        if entry.get("geometry") not in GEOMETRY_TYPES:
            raise KindsFileError(f"{where}: geometry must be one of {sorted(GEOMETRY_TYPES)}")
        categories = tuple(str(code) for code in entry.get("categories") or ())
        if not categories or any(len(code) != CATEGORY_CODE_LENGTH or code[0] not in "CE" for code in categories):
            raise KindsFileError(f"{where}: categories are C/E + 4 digits, at least one")
        attributes = tuple(_attribute(item, where) for item in entry.get("attributes") or ())
        names = [spec.name for spec in attributes]
        if len(set(names)) != len(names):
            raise KindsFileError(f"{where}: duplicate attribute names")
        for spec in attributes:
            if spec.derived and (spec.type != "bool" or spec.derived.source not in names):
                raise KindsFileError(f"{where}.{spec.name}: a derived attribute is a bool from another attribute")
        kinds.append(AssetKind(
            code=entry["code"], label=entry["label"], label_en=entry.get("label_en", ""),
            geometry=entry["geometry"], keeper_role=entry["keeper_role"], duty=entry.get("duty", ""),
            categories=categories, plan_quote=entry.get("plan_quote", ""), attributes=attributes,
        ))
    codes = [kind.code for kind in kinds]
    if len(set(codes)) != len(codes):
        raise KindsFileError("duplicate kind codes")
    return tuple(kinds)


@cache
def asset_kinds() -> tuple[AssetKind, ...]:
    """Every kind, in the file's order (read once per process)."""
    return kinds_parse(yaml.safe_load(KINDS_FILE.read_text(encoding="utf-8")))


def asset_kind(code: str) -> AssetKind:
    """The kind with this code; KeyError for an unknown one."""
    for kind in asset_kinds():
        if kind.code == code:
            return kind
    raise KeyError(code)


def kind_choices() -> list[tuple[str, str]]:
    """(code, label) of every kind, for model and form choices."""
    return [(kind.code, kind.label) for kind in asset_kinds()]
