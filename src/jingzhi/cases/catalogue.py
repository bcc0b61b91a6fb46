"""Loading the 部件/事件 catalogue (data/cases/catalogue.yaml) into the database.

The file is the city's editable source of truth: classes, small classes, filing and closing
criteria, the responsible-department rule, stage time limits and the duplicate radius. Loading is idempotent (a
re-run changes nothing) and refuses a file naming a unit that is not in the unit directory.
"""
from __future__ import annotations

import re
from pathlib import Path

import yaml
from django.db import transaction

from jingzhi.org.models import Unit

from .calendar import TimeUnit
from .models import Category, CategoryClass, CategoryKind, DepartmentRule, Urgency
from .workflow import Stage


class CatalogueError(ValueError):
    """The catalogue file is inconsistent; the message says where."""


def _merged_time_limits(defaults: dict, overrides: dict | None, where: str) -> dict:
    limits = {}
    for urgency in Urgency.values:
        limits[urgency] = {}
        for stage in Stage.values:
            limit = ((overrides or {}).get(urgency) or {}).get(stage) or defaults[urgency][stage]
            if limit["unit"] not in TimeUnit.values or not limit["value"] > 0:
                raise CatalogueError(f"{where}: bad time limit {urgency}/{stage}: {limit}")
            limits[urgency][stage] = {"value": limit["value"], "unit": limit["unit"]}
    return limits


def _on_site_steps(steps: list | None, where: str) -> list[dict]:
    result = []
    for step in steps or []:
        if step["unit"] not in (TimeUnit.NATURAL_MINUTES, TimeUnit.NATURAL_HOURS) or not step["value"] > 0:
            raise CatalogueError(f"{where}: on-site steps count natural minutes or hours: {step}")
        result.append({"name": step["name"], "value": step["value"], "unit": step["unit"]})
    return result


def _department(entry: dict, units: dict[str, Unit], where: str) -> tuple[str, Unit | None]:
    rule = entry["department"]["rule"]
    if rule not in DepartmentRule.values:
        raise CatalogueError(f"{where}: unknown department rule {rule!r}")
    name = entry["department"].get("unit") or entry["department"].get("fallback")
    if rule == DepartmentRule.FIXED and not name:
        raise CatalogueError(f"{where}: a fixed department needs a unit")
    if name and name not in units:
        raise CatalogueError(f"{where}: unknown unit {name!r} (not in data/org/zhengzhou-units.yaml; load units first)")
    return rule, units.get(name) if name else None


def _duplicate_radius(value, where: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 5000:
        raise CatalogueError(f"{where}: duplicate_radius_m is a whole number of metres from 1 to 5000: {value!r}")
    return value


def catalogue_read(path: Path) -> dict:
    document = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    kinds = {entry["kind"] for entry in document["classes"]}
    if kinds != set(CategoryKind.values):
        raise CatalogueError(f"{path}: the catalogue must have both kinds {CategoryKind.values}, found {kinds}")
    return document


def _save(model, lookup: dict, fields: dict) -> str:
    """Create or update one row; returns 'created', 'updated' or 'unchanged'."""
    instance = model.objects.filter(**lookup).first()
    if instance is None:
        model.objects.create(**lookup, **fields)
        return "created"
    changed = [name for name, value in fields.items() if getattr(instance, name) != value]
    if not changed:
        return "unchanged"
    for name in changed:
        setattr(instance, name, fields[name])
    instance.save(update_fields=changed)
    return "updated"


@transaction.atomic
def catalogue_load(*, path: Path) -> dict[str, int]:
    """Create or update every class and small class of the file; idempotent."""
    document = catalogue_read(path)
    defaults = document["defaults"]["time_limits"]
    default_radius = _duplicate_radius(document["defaults"].get("duplicate_radius_m", 250), "defaults")
    units = {unit.name: unit for unit in Unit.objects.all()}
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    for class_entry in document["classes"]:
        kind, class_code = class_entry["kind"], str(class_entry["code"])
        if not re.fullmatch(r"\d{2}", class_code):
            raise CatalogueError(f"{kind} {class_code}: a class code has 2 digits")
        counts[_save(CategoryClass, {"kind": kind, "code": class_code},
                     {"name": class_entry["name"], "name_en": class_entry.get("name_en", "")})] += 1
        category_class = CategoryClass.objects.get(kind=kind, code=class_code)
        for entry in class_entry["subclasses"]:
            code = str(entry["code"])
            where = f"{kind} {code} {entry['name']}"
            if not re.fullmatch(rf"{class_code}\d{{2}}", code):
                raise CatalogueError(f"{where}: a small-class code is the class code + 2 digits")
            rule, unit = _department(entry, units, where)
            fields = {
                "name": entry["name"],
                "name_en": entry.get("name_en", ""),
                "filing_criteria": entry.get("filing_criteria", ""),
                "closing_criteria": entry.get("closing_criteria", ""),
                "department_rule": rule,
                "department_unit": unit,
                "plan_tasks": [str(task) for task in entry.get("plan_tasks") or []],
                "time_limits": _merged_time_limits(defaults, entry.get("time_limits"), where),
                "on_site_steps": _on_site_steps(entry.get("on_site_steps"), where),
                "seed_quote": entry.get("seed_quote", ""),
                "duplicate_radius_m": _duplicate_radius(entry.get("duplicate_radius_m", default_radius), where),
            }
            counts[_save(Category, {"category_class": category_class, "code": code}, fields)] += 1
    return counts
