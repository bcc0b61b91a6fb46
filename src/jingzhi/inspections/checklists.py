"""Inspection templates (检查模板) as data: ``data/inspections/<code>.yaml``.

A template is a checklist of scored items. Each item says what the inspector records, its limit
where it has one, the asset kind it is about (the template's) and the catalogue small class a
failure of it becomes (``category``, a 案卷号 prefix such as ``C0301``). Four kinds of item:

- ``check``: 合格 / 不合格 (true / false);
- ``measure``: one number against a limit (≤ or ≥), e.g. hoarding height ≥ 1.8 m;
- ``ratio``: a count over a count against a limit, e.g. 亮灯率 = lit ÷ should be lit;
- ``samples``: several sample points (net grams over frame area, g/m²) aggregated by the template's
  ``aggregate`` (mean or median) and the result against a limit, e.g. one lane class of 以克论净.

A limit may depend on an attribute of the asset (the toilet's class, the road's class):
``limit: {at_most: {by: road_class, values: {主干: 5, …}, default: 5}}``; ``default`` applies when the
asset does not say (or there is no asset). Limits are Decimals, compared without rounding.

Pure: reads files, touches no table (the scoring is ``scoring.py``). A changed template is a new
``version`` in its file; inspections keep the code and version they were filled with.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import yaml
from django.conf import settings

TEMPLATE_DIR = Path(settings.DATA_DIR) / "inspections"
ITEM_KINDS = ("check", "measure", "ratio", "samples")
LIMIT_OPS = ("at_most", "at_least")
AGGREGATES = ("mean", "median")


class TemplateError(ValueError):
    """A template file contradicts itself (unknown kind, a limit missing, a duplicate item …)."""


@dataclass(frozen=True)
class Limit:
    op: str  # at_most | at_least
    default: Decimal
    by: str = ""  # the asset attribute the limit depends on, if any
    values: tuple[tuple[str, Decimal], ...] = ()

    def bound(self, attributes: dict | None) -> Decimal:
        """The limit for an asset with these attributes (``default`` when they do not say)."""
        if self.by and attributes:
            return dict(self.values).get(str(attributes.get(self.by, "")), self.default)
        return self.default

    def holds(self, value: Decimal, bound: Decimal) -> bool:
        return value <= bound if self.op == "at_most" else value >= bound


@dataclass(frozen=True)
class Item:
    code: str
    label: str
    kind: str
    category: str  # 案卷号 prefix of the small class a failure becomes (C0301, E0104 …)
    points: int = 10
    limit: Limit | None = None
    unit: str = ""
    #: May be left "not applicable" (a lane class the road does not have, a demolition-only step).
    optional: bool = False
    section: str = ""
    hint: str = ""


@dataclass(frozen=True)
class Template:
    code: str
    version: int
    name: str
    asset_kind: str
    items: tuple[Item, ...]
    #: The inspection passes when its score reaches this (100: every applicable item must pass).
    pass_score: Decimal = Decimal(100)
    #: How sample points become one figure per item (``samples`` items).
    aggregate: str = "mean"
    #: The fewest sample points an inspection must record over all its ``samples`` items.
    min_samples: int = 0
    #: A failure of the same item at the same asset within this many days of the last failed
    #: one is a repeat: its case is reported as urgent.
    repeat_window_days: int = 7
    description: str = ""

    def item(self, code: str) -> Item:
        return next(item for item in self.items if item.code == code)


def _decimal(value, where: str) -> Decimal:
    try:
        return Decimal(str(value))
    except ArithmeticError as error:
        raise TemplateError(f"{where}: {value!r} is not a number") from error


def _limit(raw, where: str) -> Limit | None:
    if raw is None:
        return None
    (op,) = raw.keys() if len(raw) == 1 else (None,)
    if op not in LIMIT_OPS:
        raise TemplateError(f"{where}: a limit is one of {LIMIT_OPS}, got {list(raw)}")
    spec = raw[op]
    if not isinstance(spec, dict):
        return Limit(op=op, default=_decimal(spec, where))
    values = tuple((str(key), _decimal(value, where)) for key, value in spec["values"].items())
    return Limit(op=op, default=_decimal(spec["default"], where), by=str(spec["by"]), values=values)


def _item(raw: dict, where: str) -> Item:
    where = f"{where}:{raw.get('code')}"
    kind = raw.get("kind")
    if kind not in ITEM_KINDS:
        raise TemplateError(f"{where}: kind {kind!r} is not one of {ITEM_KINDS}")
    limit = _limit(raw.get("limit"), where)
    if (kind == "check") != (limit is None):
        raise TemplateError(f"{where}: a check has no limit, every other kind has one")
    category = str(raw.get("category", ""))
    if len(category) != 5 or category[0] not in "CE" or not category[1:].isdigit():
        raise TemplateError(f"{where}: category {category!r} is not a 案卷号 prefix such as C0301")
    points = int(raw.get("points", 10))
    if points <= 0:
        raise TemplateError(f"{where}: points must be positive")
    return Item(code=str(raw["code"]), label=str(raw["label"]), kind=kind, category=category, points=points,
                limit=limit, unit=str(raw.get("unit", "")), optional=bool(raw.get("optional", False)),
                section=str(raw.get("section", "")), hint=str(raw.get("hint", "")))


def template_parse(raw: dict) -> Template:
    """A ``Template`` from the YAML mapping; ``TemplateError`` when it does not hold together."""
    code = str(raw["code"])
    items = tuple(_item(item, code) for item in raw["items"])
    codes = [item.code for item in items]
    if len(set(codes)) != len(codes) or not items:
        raise TemplateError(f"{code}: items must be present and their codes unique")
    aggregate = str(raw.get("aggregate", "mean"))
    if aggregate not in AGGREGATES:
        raise TemplateError(f"{code}: aggregate {aggregate!r} is not one of {AGGREGATES}")
    pass_score = _decimal(raw.get("pass_score", 100), code)
    if not 0 <= pass_score <= 100:
        raise TemplateError(f"{code}: pass_score must be within 0–100")
    return Template(code=code, version=int(raw["version"]), name=str(raw["name"]),
                    asset_kind=str(raw["asset_kind"]), items=items, pass_score=pass_score,
                    aggregate=aggregate, min_samples=int(raw.get("min_samples", 0)),
                    repeat_window_days=int(raw.get("repeat_window_days", 7)),
                    description=str(raw.get("description", "")).strip())


@functools.cache
def templates_all() -> dict[str, Template]:
    """Every shipped template by code, in file order (cached: the files change with a release)."""
    templates = {}
    for path in sorted(TEMPLATE_DIR.glob("*.yaml")):
        with path.open(encoding="utf-8") as handle:
            template = template_parse(yaml.safe_load(handle))
        if template.code != path.stem:
            raise TemplateError(f"{path.name} says code {template.code}")
        templates[template.code] = template
    return templates


def template_get(code: str) -> Template | None:
    """The current version of the template ``code``, or None when there is no such template."""
    return templates_all().get(code)
