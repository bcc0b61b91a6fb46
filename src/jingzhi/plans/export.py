"""The plan status as an Excel workbook: one row per indicator, numbers as numbers."""
from __future__ import annotations

import io
from datetime import date

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from jingzhi.core.spreadsheets import safe_row

from .models import Plan
from .selectors import TaskState

STATUS_FILLS = {"done": "C6EFCE", "on_track": "DDEBF7", "lagging": "FFEB9C", "overdue": "FFC7CE",
                "not_started": "EDEDED"}


def export_columns() -> list[str]:
    return [_("任务编号"), _("任务"), _("指标"), _("计量单位"), _("方向"), _("目标值"), _("截止日期"),
            _("最新值"), _("填报截至"), _("应达值"), _("完成度（%）"), _("状态"), _("牵头单位")]


def plan_workbook(*, plan: Plan, states: list[TaskState], on: date) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("指标进度")
    sheet.append(export_columns())
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for state in states:
        for leaf in state.leaves():
            for indicator_state in leaf.indicators:
                indicator, latest = indicator_state.indicator, indicator_state.latest
                status = indicator_state.status
                sheet.append(safe_row(sheet=sheet, values=[
                    leaf.task.number, leaf.task.title, indicator.name, indicator.unit,
                    indicator.get_direction_display(), indicator.target, indicator.deadline,
                    latest.value if latest else None, latest.measured_on if latest else None,
                    indicator_state.assessment.expected, indicator_state.assessment.completion,
                    str(status.label), "、".join(unit.name for unit in leaf.lead_units),
                ]))
                sheet.cell(sheet.max_row, 12).fill = PatternFill("solid", fgColor=STATUS_FILLS[status.value])
    for row in sheet.iter_rows(min_row=2):
        for cell in (row[6], row[8]):
            cell.number_format = "yyyy-mm-dd"
    for column, width in zip("ABCDEFGHIJKLM", (8, 22, 36, 10, 8, 10, 12, 10, 12, 10, 12, 10, 24)):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    about = book.create_sheet(_("说明"))
    about.append(safe_row(sheet=about, values=[_("工作方案"), plan.title]))
    about.append(safe_row(sheet=about, values=[_("文号"), plan.document_number]))
    about.append([_("评估日期"), on])
    about.append([_("说明"), _("应达值按方案印发日至截止日期（或节点）线性推算；状态按评估日期计算。")])
    about["B3"].number_format = "yyyy-mm-dd"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
