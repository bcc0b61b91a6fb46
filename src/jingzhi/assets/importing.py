"""Importing a registry file: every row checked, then all written at once — or nothing.

A file is a header and rows (`tables`). The header names the columns (Chinese labels or code names,
see `COLUMNS` and the kind's attributes); each data row becomes an `AssetInput` or problems
``(row, column, message)`` numbered as the spreadsheet shows them (the header is row 1). Coordinates
are converted to WGS84 per coordinate system in one numpy pass, and `services.assets_create` locates
all points in one routing pass and writes them in bulk. When any row has a problem nothing is written,
unless the caller keeps the valid rows.
"""
from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
from django.utils import timezone
from django.utils.translation import gettext as _

from jingzhi.geo.coords import CoordSystem, to_wgs84_arrays
from jingzhi.org.models import Unit, User

from .attributes import AttributeInvalid, attribute_value, attributes_parse
from .geometry import GeometryInvalid, geometry_clean, point_geometry
from .kinds import AssetKind, AttributeSpec
from .models import Asset
from .services import AssetInput, assets_create
from .tables import TableInvalid, column_letter

#: The fixed columns: key → the header words accepted for it (the first is what templates and exports write).
COLUMNS = {
    "code": ("编号", "code"),
    "name": ("名称", "name"),
    "lon": ("经度", "lon", "lng", "longitude"),
    "lat": ("纬度", "lat", "latitude"),
    "geometry": ("几何（GeoJSON）", "几何", "geometry", "geojson"),
    "coord_system": ("坐标系", "coord_system"),
    "built_on": ("建成日期", "built_on"),
    "department": ("管养单位", "department"),
}
#: Words for each coordinate system accepted in the 坐标系 column (case-insensitive).
COORD_SYSTEM_WORDS = {
    CoordSystem.WGS84: ("wgs84", "wgs-84", "gps"),
    CoordSystem.GCJ02: ("gcj02", "gcj-02", "高德", "腾讯", "火星坐标"),
    CoordSystem.BD09: ("bd09", "bd-09", "百度"),
}
CODE_MAX, NAME_MAX = 50, 100
PROGRESS_EVERY = 5000  # rows between progress reports


@dataclass(frozen=True)
class Problem:
    row: int  # as the spreadsheet numbers it: the header is row 1
    column: str  # the header as written in the file (with its letter), or "" for the whole row
    message: str


@dataclass
class ImportOutcome:
    total: int  # data rows read
    created: int
    problems: list[Problem] = field(default_factory=list)


Progress = Callable[[int, int], None]  # (rows done, rows in all)


def _no_progress(done: int, total: int) -> None:
    return None


def import_columns(kind: AssetKind) -> list[tuple[str, str]]:
    """(key, header) of every column a file of ``kind`` may have, in template order."""
    place = ["lon", "lat"] if kind.geometry == "point" else ["geometry"]
    fixed = ["code", "name", *place, "coord_system", "built_on", "department"]
    return ([(key, COLUMNS[key][0]) for key in fixed]
            + [(f"a.{spec.name}", spec.label) for spec in kind.attributes if not spec.derived])


def _header_keys(kind: AssetKind, header: Sequence[str]) -> dict[int, str]:
    """Column index → key; TableInvalid naming unknown, repeated or missing columns."""
    words = {word.lower(): key for key, accepted in COLUMNS.items() for word in accepted}
    for spec in kind.attributes:
        if not spec.derived:
            words[spec.label.lower()] = words[spec.name.lower()] = f"a.{spec.name}"
    keys, problems = {}, []
    for index, text in enumerate(header):
        if not text.strip():
            continue
        key = words.get(text.strip().lower())
        if key is None:
            problems.append(_("%(letter)s 列“%(header)s”不是%(kind)s台账的列")
                            % {"letter": column_letter(index), "header": text, "kind": kind.label})
        elif key in keys.values():
            problems.append(_("%(letter)s 列“%(header)s”重复") % {"letter": column_letter(index), "header": text})
        else:
            keys[index] = key
    present = set(keys.values())
    needed = ["code", "name"] + ([] if "geometry" in present else ["lon", "lat"] if kind.geometry == "point"
                                 else ["geometry"])
    needed += [f"a.{spec.name}" for spec in kind.attributes if spec.required and not spec.derived]
    labels = dict(import_columns(kind)) | {"lon": COLUMNS["lon"][0], "lat": COLUMNS["lat"][0]}
    problems += [_("缺少“%(header)s”列") % {"header": labels[key]} for key in needed if key not in present]
    if problems:
        raise TableInvalid(_("表头有误：") + "；".join(problems) + "。")
    return keys


def coord_system_parse(value, default: str) -> str:
    """The coordinate system a cell names (blank: ``default``); ValueError for an unknown one."""
    if value is None or not str(value).strip():
        return default
    word = str(value).strip().lower()
    for system, words in COORD_SYSTEM_WORDS.items():
        if word == system.value or word in words:
            return system
    raise ValueError(_("坐标系须为 WGS84、GCJ-02 或 BD-09。"))


def _float(value) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        return float(str(value).strip()) if not isinstance(value, int | float) else float(value)
    except ValueError:
        return None


class _RowChecker:
    """Checks one data row after another, collecting problems; holds what the rows share."""

    def __init__(self, kind: AssetKind, header: Sequence[str], keys: dict[int, str], coord_system: str):
        self.kind, self.coord_system = kind, coord_system
        self.columns = {key: f"{column_letter(index)} {header[index]}" for index, key in keys.items()}
        self.keys = keys
        self.specs: dict[str, AttributeSpec] = {f"a.{spec.name}": spec for spec in kind.attributes}
        self.existing = set(Asset.objects.filter(kind=kind.code).values_list("code", flat=True))
        self.units = dict(Unit.objects.values_list("name", "pk"))
        self.seen: dict[str, int] = {}
        self.today = timezone.localdate()
        self.problems: list[Problem] = []

    def problem(self, row: int, key: str, message: str) -> None:
        self.problems.append(Problem(row=row, column=self.columns.get(key, ""), message=message))

    def check(self, number: int, cells: list) -> dict | None:
        """The row's values by key, or None when the row has a problem (recorded)."""
        values = {key: cells[index] if index < len(cells) else None for index, key in self.keys.items()}
        before = len(self.problems)
        code = self._text(number, "code", values.get("code"), CODE_MAX)
        if code:
            if code in self.existing:
                self.problem(number, "code", _("编号 %(code)s 已在台账中。") % {"code": code})
            elif code in self.seen:
                self.problem(number, "code", _("编号与第 %(row)d 行重复。") % {"row": self.seen[code]})
            else:
                self.seen[code] = number
        name = self._text(number, "name", values.get("name"), NAME_MAX)
        try:
            system = coord_system_parse(values.get("coord_system"), self.coord_system)
        except ValueError as error:
            self.problem(number, "coord_system", str(error))
            system = None
        built_on = self._date(number, values.get("built_on"))
        department = self._department(number, values.get("department"))
        raw = {key[2:]: value for key, value in values.items() if key.startswith("a.")}
        attributes, errors = attributes_parse(self.kind, raw)
        for error in errors:
            self.problem(number, f"a.{error.name}", str(error))
        place = self._place(number, values, system) if system else None
        if len(self.problems) > before:
            return None
        return {"code": code, "name": name, "built_on": built_on, "department": department,
                "attributes": attributes, **place}

    def _text(self, number: int, key: str, value, limit: int) -> str:
        text = "" if value is None else str(value).strip()
        if isinstance(value, float) and value.is_integer():
            text = str(int(value))  # an Excel number typed as a code: 1001.0 → "1001"
        if not text:
            self.problem(number, key, _("必填。"))
        elif len(text) > limit:
            self.problem(number, key, _("不能超过 %(limit)d 个字符。") % {"limit": limit})
            return ""
        return text

    def _date(self, number: int, value) -> dt.date | None:
        try:
            text = attribute_value(AttributeSpec(name="built_on", label="", type="date"), value)
        except AttributeInvalid as error:
            self.problem(number, "built_on", str(error))
            return None
        if text is None:
            return None
        built_on = dt.date.fromisoformat(text)
        if built_on > self.today:
            self.problem(number, "built_on", _("日期不能晚于今天。"))
        return built_on

    def _department(self, number: int, value) -> int | None:
        name = "" if value is None else str(value).strip()
        if not name:
            return None
        if name not in self.units:
            self.problem(number, "department", _("单位“%(name)s”不在单位名录中。") % {"name": name})
        return self.units.get(name)

    def _place(self, number: int, values: dict, system: str) -> dict:
        geometry = values.get("geometry")
        if geometry not in (None, ""):
            try:
                cleaned, lon, lat = geometry_clean(self.kind, str(geometry), coord_system=system)
            except GeometryInvalid as error:
                self.problem(number, "geometry", str(error))
                return {}
            return {"geometry": cleaned, "lon": lon, "lat": lat, "system": CoordSystem.WGS84}
        if "lon" not in self.columns or "lat" not in self.columns:
            self.problem(number, "geometry", _("必填。"))
            return {}
        lon, lat = _float(values.get("lon")), _float(values.get("lat"))
        for key, value in (("lon", lon), ("lat", lat)):
            if value is None:
                self.problem(number, key, _("须为数字。") if values.get(key) not in (None, "") else _("必填。"))
        if lon is None or lat is None:
            return {}
        if not (math.isfinite(lon) and math.isfinite(lat) and abs(lon) <= 180 and abs(lat) <= 90):
            self.problem(number, "lon", _("坐标超出经纬度范围。"))
            return {}
        return {"lon": lon, "lat": lat, "system": system}


def asset_rows_check(*, kind: AssetKind, header: Sequence[str], rows: Sequence[list], coord_system: str,
                     progress: Progress = _no_progress) -> tuple[list[tuple[int, AssetInput]], list[Problem]]:
    """Every row of a file checked: (row number, AssetInput) of the good rows, in WGS84, and the problems."""
    keys = _header_keys(kind, header)
    checker = _RowChecker(kind, header, keys, CoordSystem(coord_system))
    good: list[tuple[int, dict]] = []
    for offset, cells in enumerate(rows):
        number = offset + 2
        if all(value in (None, "") for value in cells):
            continue
        checked = checker.check(number, cells)
        if checked is not None:
            good.append((number, checked))
        if offset % PROGRESS_EVERY == 0:
            progress(offset, len(rows))
    _to_wgs84(good)
    inputs = [(number, AssetInput(
        code=row["code"], name=row["name"], geometry=row.get("geometry") or point_geometry(row["lon"], row["lat"]),
        lon=row["lon"], lat=row["lat"], attributes=row["attributes"], built_on=row["built_on"],
        department_id=row["department"])) for number, row in good]
    progress(len(rows), len(rows))
    return inputs, checker.problems


def _to_wgs84(rows: list[tuple[int, dict]]) -> None:
    """Convert the point rows' lon/lat to WGS84 in place, one numpy pass per coordinate system."""
    for system in (CoordSystem.GCJ02, CoordSystem.BD09):
        chosen = [row for _number, row in rows if row["system"] == system]
        if not chosen:
            continue
        lons, lats = to_wgs84_arrays(np.array([r["lon"] for r in chosen]), np.array([r["lat"] for r in chosen]), system)
        for row, lon, lat in zip(chosen, lons, lats, strict=True):
            row["lon"], row["lat"] = round(float(lon), 7), round(float(lat), 7)


def assets_import(*, kind: AssetKind, header: Sequence[str], rows: Sequence[list], coord_system: str,
                  keep_valid: bool = False, actor: User | None = None, generated: bool = False,
                  progress: Progress = _no_progress) -> ImportOutcome:
    """Check every row, then write the good ones — all of them, or none when any row has a problem and
    ``keep_valid`` is false. TableInvalid when the file as a whole is unusable (its header)."""
    checked, problems = asset_rows_check(kind=kind, header=header, rows=rows, coord_system=coord_system,
                                         progress=progress)
    total = sum(1 for cells in rows if not all(value in (None, "") for value in cells))
    if problems and not keep_valid:
        return ImportOutcome(total=total, created=0, problems=problems)
    created = assets_create(kind=kind.code, rows=[row for _number, row in checked], actor=actor, generated=generated)
    return ImportOutcome(total=total, created=len(created), problems=problems)
