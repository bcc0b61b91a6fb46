"""The filtered case list as an Excel workbook (streamed row by row, times in Beijing time)."""
from __future__ import annotations

import io

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from jingzhi.core.spreadsheets import safe_row

from .models import Case
from .selectors import cases_with_overdue, cases_with_related

#: A spreadsheet is for people; larger extracts belong to the reporting database. Asking for more
#: is refused with a message rather than cut short: a truncated file would pass for the whole list.
EXPORT_LIMIT = 100_000


class ExportTooLarge(Exception):
    def __init__(self, count: int):
        super().__init__(_("筛选结果共 %(count)s 件，超过导出上限 %(limit)s 件，请缩小筛选范围（如日期区间）后再导出。")
                         % {"count": count, "limit": EXPORT_LIMIT})


def export_columns() -> list[str]:
    return [_("案卷号"), _("类型"), _("大类"), _("小类"), _("来源"), _("紧急程度"), _("状态"), _("区"), _("街道"),
            _("网格"), _("处置部门"), _("上报时间"), _("当前环节"), _("环节时限"), _("超时"), _("返工次数"),
            _("结案时间"), _("地址"), _("问题描述")]


def _local(moment):
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


def cases_workbook(*, cases: QuerySet[Case], now) -> bytes:
    """The workbook of ``cases``; raises ``ExportTooLarge`` above ``EXPORT_LIMIT`` rows."""
    count = cases.count()
    if count > EXPORT_LIMIT:
        raise ExportTooLarge(count)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("案件"))
    sheet.freeze_panes = "A2"
    for column, width in zip("ABCDEFGHIJKLMNOPQRS", (18, 6, 10, 16, 12, 8, 10, 10, 14, 17, 16, 17, 8, 17, 6, 8,
                                                      17, 24, 40)):
        sheet.column_dimensions[column].width = width
    header = []
    for title in export_columns():
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for case in cases_with_overdue(cases_with_related(cases), now=now).iterator(chunk_size=2000):
        category_class = case.category.category_class
        sheet.append(safe_row(sheet=sheet, values=[
            case.number, category_class.get_kind_display(), category_class.name, case.category.name,
            case.get_source_display(), case.get_urgency_display(), case.get_state_display(),
            case.district.name if case.district else "", case.subdistrict.name if case.subdistrict else "",
            case.grid_code, case.department.name if case.department else "", _local(case.created_at),
            case.get_stage_display(), _local(case.stage_deadline), _("是") if case.overdue else "",
            case.rework_count, _local(case.closed_at), case.address, case.description,
        ]))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
