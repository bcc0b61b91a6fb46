"""A registry as a file: the assets a list page shows, in the import's columns (so an export edited
and imported into another registry reads back) plus where they are; and the import template and the
import report as files. Strings typed by people stay text in Excel and CSV (`tables`)."""
from __future__ import annotations

import json
from collections.abc import Iterable

from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from jingzhi.core.errors import DomainError

from .importing import import_columns
from .kinds import AssetKind
from .models import Asset, AssetImport
from .tables import csv_bytes, xlsx_bytes


class ExportTooLarge(DomainError):
    code = "export_too_large"


def _write(fmt: str, *, title: str, header: list[str], rows: Iterable) -> bytes:
    if fmt == "csv":
        return csv_bytes(header=header, rows=rows)
    return xlsx_bytes(title=title, header=header, rows=rows)


def _asset_row(kind: AssetKind, asset: Asset, keys: list[str]) -> list:
    values = {"code": asset.code, "name": asset.name, "lon": float(asset.lon), "lat": float(asset.lat),
              "geometry": json.dumps(asset.geometry, ensure_ascii=False), "coord_system": "wgs84",
              "built_on": asset.built_on, "department": asset.department.name if asset.department else ""}
    row = [values[key] if not key.startswith("a.") else asset.attributes.get(key[2:]) for key in keys]
    return row + [asset.district.name if asset.district else "", asset.grid_id or "", asset.get_status_display()]


def assets_file(*, kind: AssetKind, assets: QuerySet[Asset], fmt: str) -> bytes:
    """The assets as .xlsx or .csv; ExportTooLarge beyond ``ASSET_IMPORT_MAX_ROWS`` (filter first)."""
    if assets.count() > settings.ASSET_IMPORT_MAX_ROWS:
        raise ExportTooLarge(_("记录超过 %(rows)d 条，请先筛选再导出。") % {"rows": settings.ASSET_IMPORT_MAX_ROWS})
    columns = import_columns(kind)
    keys = [key for key, _header in columns]
    header = [header for _key, header in columns] + [_("所在区"), _("单元网格"), _("状态")]
    rows = (_asset_row(kind, asset, keys)
            for asset in assets.select_related("district", "department").iterator(chunk_size=2000))
    return _write(fmt, title=kind.label, header=header, rows=rows)


def template_file(*, kind: AssetKind, fmt: str) -> bytes:
    """An empty import file of ``kind``: the header row only."""
    return _write(fmt, title=kind.label, header=[header for _key, header in import_columns(kind)], rows=())


def problems_file(*, record: AssetImport, fmt: str) -> bytes:
    """The import's report: one line per problem (row, column, message)."""
    return _write(fmt, title=_("导入问题"), header=[_("行"), _("列"), _("问题")], rows=record.problems)
