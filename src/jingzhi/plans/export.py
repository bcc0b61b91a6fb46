"""The plan as an Excel workbook for the review date: every task, every indicator (with where its value
comes from), every requirement and every 督办 notice the user may see; numbers as numbers.

Task numbers are written zero-padded ("01" … "09(1)" … "20"), so sorting a column puts 9(1) after 9
and 10 after 9(3), as in the plan, instead of "10" before "2".
"""
from __future__ import annotations

import io
import re
from datetime import date

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from jingzhi.core.spreadsheets import safe_row

from .models import Plan, Responsibility, SupervisionNotice
from .selectors import IndicatorState, TaskState, notice_is_late

STATUS_FILLS = {"done": "C6EFCE", "on_track": "DDEBF7", "lagging": "FFEB9C", "overdue": "FFC7CE",
                "not_started": "EDEDED"}
DATE_FORMAT = "yyyy-mm-dd"


def task_number_sortable(number: str) -> str:
    """"9(1)" → "09(1)", "12" → "12": text that sorts in the plan's order."""
    return re.sub(r"^\d+", lambda match: match.group().zfill(2), number)


def export_columns() -> list[str]:
    return [_("任务编号"), _("任务"), _("指标"), _("类型"), _("计量单位"), _("方向"), _("目标值"), _("截止日期"),
            _("最新值"), _("截至"), _("数据来源"), _("应达值"), _("完成度（%）"), _("状态"), _("牵头单位")]


def _value_source(state: IndicatorState) -> str:
    if state.live is not None:
        count, source = state.live.count, state.live.source
        if not state.live.has_standard:
            return _("%(label)s（计入 %(counted)s %(noun)s）") % {
                "label": source.label, "counted": count.counted, "noun": source.noun}
        return _("%(label)s（计入 %(counted)s %(noun)s，达标 %(met)s %(noun)s）") % {
            "label": source.label, "counted": count.counted, "met": count.met, "noun": source.noun}
    if state.latest is not None:
        return _("%(unit)s填报") % {"unit": state.latest.unit.name}
    return ""


def _header(sheet, columns: list[str], widths: tuple[int, ...]) -> None:
    sheet.append(columns)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[sheet.cell(1, index).column_letter].width = width
    sheet.freeze_panes = "A2"


def _finish(sheet, *, date_columns: tuple[int, ...] = (), status_column: int | None = None, statuses=()) -> None:
    for row, status in zip(sheet.iter_rows(min_row=2), statuses or [None] * (sheet.max_row - 1), strict=False):
        for index in date_columns:
            row[index - 1].number_format = DATE_FORMAT
        if status_column and status:
            row[status_column - 1].fill = PatternFill("solid", fgColor=STATUS_FILLS[status.value])


def _lead_names(state: TaskState) -> str:
    return "、".join(unit.name for unit in state.lead_units)


def _indicator_sheet(book, leaves: list[TaskState]) -> None:
    sheet = book.active
    sheet.title = _("指标进度")
    _header(sheet, export_columns(), (8, 22, 36, 10, 10, 8, 10, 12, 10, 12, 40, 10, 12, 10, 24))
    statuses = []
    for leaf in leaves:
        for state in leaf.indicators:
            indicator = state.indicator
            sheet.append(safe_row(sheet=sheet, values=[
                task_number_sortable(leaf.task.number), leaf.task.title, indicator.name,
                indicator.get_kind_display(), indicator.unit, indicator.get_direction_display(), indicator.target,
                indicator.deadline, state.value, state.measured_on, _value_source(state),
                state.assessment.expected, state.assessment.completion, str(state.status.label), _lead_names(leaf),
            ]))
            statuses.append(state.status)
    _finish(sheet, date_columns=(8, 10), status_column=14, statuses=statuses)


def _task_sheet(book, states: list[TaskState]) -> None:
    sheet = book.create_sheet(_("任务"))
    _header(sheet, [_("任务编号"), _("行动"), _("任务"), _("上级任务"), _("牵头单位"), _("责任单位"), _("指标数"),
                    _("工作要求（完成/总数）"), _("完成度（%）"), _("状态")], (8, 8, 24, 8, 24, 50, 8, 14, 12, 10))
    statuses = []
    for parent in states:
        for state in (parent, *parent.subtasks):
            task = state.task
            responsible = "、".join(dict.fromkeys(
                tu.collective or tu.unit.name for tu in task.task_units.all() if tu.role == Responsibility.RESPONSIBLE))
            sheet.append(safe_row(sheet=sheet, values=[
                task_number_sortable(task.number), task.action.name, task.title,
                task_number_sortable(task.parent.number) if task.parent_id else "", _lead_names(state), responsible,
                len(state.indicators), f"{state.checklist_done}/{len(state.checklist)}" if state.checklist else "",
                state.completion, str(state.status.label),
            ]))
            statuses.append(state.status)
    _finish(sheet, status_column=10, statuses=statuses)


def _checklist_sheet(book, leaves: list[TaskState]) -> None:
    sheet = book.create_sheet(_("工作要求"))
    _header(sheet, [_("任务编号"), _("任务"), _("工作要求"), _("截止日期"), _("状态"), _("完成日期"), _("确认人"),
                    _("完成情况")], (8, 22, 44, 12, 10, 12, 12, 40))
    statuses = []
    for leaf in leaves:
        for state in leaf.checklist:
            item = state.item
            done = state.status.value == "done"
            sheet.append(safe_row(sheet=sheet, values=[
                task_number_sortable(leaf.task.number), leaf.task.title, item.text, item.deadline,
                str(state.status.label), item.done_on if done else None,
                str(item.done_by) if done and item.done_by else "", item.evidence_note if done else "",
            ]))
            statuses.append(state.status)
    _finish(sheet, date_columns=(4, 6), status_column=5, statuses=statuses)


def _notice_sheet(book, notices: list[SupervisionNotice], on: date) -> None:
    sheet = book.create_sheet(_("督办"))
    _header(sheet, [_("任务编号"), _("任务"), _("督办对象"), _("督办内容"), _("督办日期"), _("回复期限"), _("状态"),
                    _("回复内容"), _("回复日期"), _("逾期")], (8, 22, 16, 40, 12, 12, 10, 40, 12, 6))
    for notice in notices:
        sheet.append(safe_row(sheet=sheet, values=[
            task_number_sortable(notice.task.number), notice.task.title, notice.to_unit.name, notice.text,
            notice.issued_on, notice.reply_due, notice.get_status_display(), notice.reply_text, notice.replied_on,
            _("是") if notice_is_late(notice, on=on) else _("否"),
        ]))
    _finish(sheet, date_columns=(5, 6, 9))


def plan_workbook(*, plan: Plan, states: list[TaskState], notices: list[SupervisionNotice], on: date) -> bytes:
    """``notices``: the plan's notices the user may see, in the order to list them."""
    book = Workbook()
    leaves = [leaf for state in states for leaf in state.leaves()]
    _indicator_sheet(book, leaves)
    _task_sheet(book, states)
    _checklist_sheet(book, leaves)
    _notice_sheet(book, notices, on)
    about = book.create_sheet(_("说明"))
    about.append(safe_row(sheet=about, values=[_("工作方案"), plan.title]))
    about.append(safe_row(sheet=about, values=[_("文号"), plan.document_number]))
    about.append([_("评估日期"), on])
    about.append([_("说明"), _(
        "应达值按指标类型推算：累计完成类自基数线性推进到节点和截止日期，保持水平类自方案印发起即为目标值，"
        "限期达到类自基数推进到截止日期；计数类取整。实时指标由平台记录计算。状态按评估日期计算。")])
    about["B3"].number_format = DATE_FORMAT
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
