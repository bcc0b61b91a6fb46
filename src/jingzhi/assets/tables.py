"""Spreadsheet files in and out: read a CSV or Excel file into a header and rows, write rows as CSV or
Excel with every user-typed string kept as text (never a formula, see `core.spreadsheets`).

Bounded: a file over ``ASSET_IMPORT_MAX_BYTES`` (and an Excel file unpacking to more than
``UNPACKED_MAX_BYTES``: a zip bomb), more than ``ASSET_IMPORT_MAX_ROWS`` rows or ``MAX_COLUMNS``
columns is refused as a whole before anything is validated.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from jingzhi.core.spreadsheets import is_formula_like, safe_row

MAX_COLUMNS = 60
#: An .xlsx is a zip: the sum of its members' unpacked sizes may be at most this (a 200,000-row sheet
#: of a dozen columns unpacks to about 60 MB).
UNPACKED_MAX_BYTES = 300 * 1024 * 1024
XLSX_MAGIC = b"PK\x03\x04"
CSV_ENCODINGS = ("utf-8-sig", "gb18030")  # Excel in China saves CSV in GBK unless told otherwise


class TableInvalid(ValueError):
    """The file as a whole is unusable (format, size, encoding, header); the message says why."""


def _max_rows() -> int:
    return settings.ASSET_IMPORT_MAX_ROWS


def _cell(value):
    if isinstance(value, str):
        return value.strip()
    return value


def table_read(content: bytes, *, max_bytes: int | None = None) -> tuple[list[str], list[list]]:
    """(header, data rows) of a CSV or .xlsx file (told apart by content, not name); trailing blank
    rows dropped, cells as typed (Excel) or text (CSV). ``max_bytes`` defaults to the page's limit
    (the command, reading a server-side file, may allow more)."""
    limit = max_bytes or settings.ASSET_IMPORT_MAX_BYTES
    if len(content) > limit:
        raise TableInvalid(_("文件不能超过 %(mb)d MB。") % {"mb": limit // 2**20})
    rows = _xlsx_rows(content) if content.startswith(XLSX_MAGIC) else _csv_rows(content)
    table = []
    for row in rows:
        if len(table) > _max_rows() + 1:
            raise TableInvalid(_("文件不能超过 %(rows)d 行。") % {"rows": _max_rows()})
        if len(row) > MAX_COLUMNS and any(value not in (None, "") for value in row[MAX_COLUMNS:]):
            raise TableInvalid(_("文件不能超过 %(columns)d 列。") % {"columns": MAX_COLUMNS})
        table.append([_cell(value) for value in row[:MAX_COLUMNS]])
    while table and all(value in (None, "") for value in table[-1]):
        table.pop()
    if not table:
        raise TableInvalid(_("文件是空的。"))
    header = ["" if value is None else str(value) for value in table[0]]
    return header, table[1:]


def _csv_rows(content: bytes) -> Iterable[list]:
    for encoding in CSV_ENCODINGS:
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise TableInvalid(_("无法识别文件编码（请用 UTF-8 或 GBK 保存 CSV）。"))
    if "\x00" in text:
        raise TableInvalid(_("文件不是 CSV 或 Excel（.xlsx）格式。"))
    try:
        return list(csv.reader(io.StringIO(text)))
    except csv.Error:
        raise TableInvalid(_("CSV 格式有误。")) from None


def _xlsx_rows(content: bytes) -> Iterable[list]:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            if sum(member.file_size for member in archive.infolist()) > UNPACKED_MAX_BYTES:
                raise TableInvalid(_("Excel 文件解压后过大。"))
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except TableInvalid:
        raise
    except Exception:  # openpyxl raises many kinds (KeyError, InvalidFileException, zipfile errors …)
        raise TableInvalid(_("无法读取 Excel 文件（须为 .xlsx 格式）。")) from None
    try:
        sheet = workbook.worksheets[0]
        for count, row in enumerate(sheet.iter_rows(values_only=True)):
            if count > _max_rows() + 1:
                raise TableInvalid(_("文件不能超过 %(rows)d 行。") % {"rows": _max_rows()})
            yield list(row)
    finally:
        workbook.close()


def column_letter(index: int) -> str:
    """Spreadsheet column letters of a 0-based index: 0 → A, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _plain(value):
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, list):
        return "、".join(str(item) for item in value)
    return value


def csv_bytes(*, header: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    """UTF-8 CSV with a BOM (so Excel in China opens it right); a formula-like string gets a leading
    apostrophe, the CSV way of saying "text" (OWASP)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow(["'" + value if is_formula_like(value) else value
                         for value in (_plain(cell) for cell in row)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def xlsx_bytes(*, title: str, header: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    """A one-sheet workbook (write-only: 100,000 rows in constant memory); user text stays text."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append(list(header))
    for row in rows:
        sheet.append(safe_row(sheet=sheet, values=[
            value.isoformat() if isinstance(value, dt.date) else value for value in (_plain(c) for c in row)]))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
