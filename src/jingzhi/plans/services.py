"""Write-side rules of `plans`: loading the plan, filing progress, checklist, 督办.

Every write checks who may make it (``errors``: Forbidden → 403, NotVisible → 404) and validates all input
before touching the database or the file storage, so a refused or invalid request
writes nothing. Validation errors are keyed by field name for the form or API.
Evidence files are decoded and cleaned before a transaction opens (``jingzhi.core.uploads``):
the transactions hold only the writes.
"""
from __future__ import annotations

from collections import Counter
from datetime import date
from decimal import Decimal
from pathlib import Path

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jingzhi.core.uploads import PreparedUpload, uploads_prepare
from jingzhi.org.models import Unit, UnitKind
from jingzhi.org.selectors import user_has_role

from .errors import Forbidden, NotVisible
from .live import live_source_get, live_source_keys
from .measures import measure_validate
from .models import (
    Action,
    ChecklistItem,
    Indicator,
    Milestone,
    NoticeEvent,
    Plan,
    ProgressReport,
    ReportEvidence,
    Responsibility,
    SupervisionNotice,
    Task,
    TaskUnit,
)
from .notice_workflow import NoticeAction, NoticeStep, action_actor, action_roles, step_find
from .selectors import (
    REPORTER_ROLES,
    notice_actor_is,
    task_is_visible,
    task_state,
    user_may_mark_checklist,
    user_may_report,
)
from .status import IndicatorKind

ALL_DISTRICTS = "各区（管委会）"
TELECOM_OPERATORS = "各通讯运营商"
#: The units "各通讯运营商" stands for, where the unit directory has them.
TELECOM_OPERATOR_UNITS = ("中国移动郑州分公司", "中国联通郑州分公司", "中国电信郑州分公司")


# ── Loading the plan from data/plans/*.yaml ────────────────────────────────────

def is_district_or_committee(unit: Unit) -> bool:
    """What "各区（管委会）" covers: districts and administrative committees.

    Counties and county-level cities (县、市) are district-level units too, but the plan
    names them apart ("县（市、区）"), so they are not in the expansion.
    """
    return unit.kind == UnitKind.DISTRICT and unit.name.endswith(("区", "管委会"))


class _Loader:
    """Create or update rows from the YAML document, counting what changed."""

    def __init__(self):
        self.changes = Counter()
        self.units = {unit.name: unit for unit in Unit.objects.all()}
        self.task_position = 0

    def upsert(self, model, lookup: dict, fields: dict):
        obj = model.objects.filter(**lookup).first()
        if obj is None:
            self.changes["created"] += 1
            return model.objects.create(**lookup, **fields)
        if any(getattr(obj, key) != value for key, value in fields.items()):
            for key, value in fields.items():
                setattr(obj, key, value)
            obj.save()
            self.changes["updated"] += 1
        return obj

    def prune(self, queryset) -> None:
        """Delete rows the file no longer lists (only for rows that hold no reported data)."""
        deleted, _ = queryset.delete()
        self.changes["deleted"] += deleted

    def plan(self, document: dict) -> Plan:
        meta = document["plan"]
        plan = self.upsert(Plan, {"document_number": meta["document_number"]}, {
            "year": meta["year"], "title": meta["title"], "issued_on": meta["issued_on"],
            "issuer": meta.get("issuer", ""), "source": meta.get("source", ""),
        })
        for position, entry in enumerate(document["actions"], start=1):
            action = self.upsert(Action, {"plan": plan, "code": entry["code"]}, {
                "number": entry["number"], "name": entry["name"], "title": entry["title"], "position": position,
            })
            for task_entry in entry["tasks"]:
                self.task(plan, action, task_entry, parent=None)
        return plan

    def task(self, plan: Plan, action: Action, entry: dict, parent: Task | None) -> None:
        self.task_position += 1
        task = self.upsert(Task, {"plan": plan, "number": entry["number"]}, {
            "action": action, "parent": parent, "title": entry["title"], "summary": entry.get("summary", ""),
            "position": self.task_position,
        })
        for sub_entry in entry.get("subtasks", []):
            self.task(plan, action, sub_entry, parent=task)
        if "lead_units" in entry:
            self.task_units(task, entry)
        for position, item in enumerate(entry.get("indicators", []), start=1):
            self.indicator(task, item, position)
        for position, item in enumerate(entry.get("checklist", []), start=1):
            self.upsert(ChecklistItem, {"task": task, "text": item["text"]},
                        {"deadline": item["deadline"], "position": position})

    def unit(self, name: str) -> Unit:
        try:
            return self.units[name]
        except KeyError:
            raise ValueError(f"unknown unit {name!r}: load the unit directory first (manage.py load_units)") from None

    def task_units(self, task: Task, entry: dict) -> None:
        wanted = [(self.unit(name), Responsibility.LEAD, "") for name in entry["lead_units"]]
        wanted += [(self.unit(name), Responsibility.RESPONSIBLE, "") for name in entry["responsible_units"]]
        if entry.get("all_districts"):
            districts = sorted((u for u in self.units.values() if is_district_or_committee(u)),
                               key=lambda u: (u.code, u.name))
            wanted += [(unit, Responsibility.RESPONSIBLE, ALL_DISTRICTS) for unit in districts]
        if entry.get("telecom_operators"):
            wanted += [(self.units[name], Responsibility.RESPONSIBLE, TELECOM_OPERATORS)
                       for name in TELECOM_OPERATOR_UNITS if name in self.units]
        kept = []
        for position, (unit, role, collective) in enumerate(wanted, start=1):
            if (unit.pk, role) in kept:
                continue
            kept.append((unit.pk, role))
            self.upsert(TaskUnit, {"task": task, "unit": unit, "role": role},
                        {"collective": collective, "position": position})
        stale = task.task_units.all()
        for unit_id, role in kept:
            stale = stale.exclude(unit_id=unit_id, role=role)
        self.prune(stale)

    def indicator(self, task: Task, entry: dict, position: int) -> None:
        source = entry.get("source", "")
        live = live_source_get(source) if source else None
        if source and live is None:
            raise ValueError(f"indicator {entry['code']!r}: unknown live source {source!r} "
                             f"(registered: {', '.join(live_source_keys()) or 'none'})")
        if live is not None and live.unit != entry["unit"]:
            raise ValueError(f"indicator {entry['code']!r} is in {entry['unit']!r}, "
                             f"its live source {source!r} in {live.unit!r}")
        baseline = entry.get("baseline")
        indicator = self.upsert(Indicator, {"task": task, "code": entry["code"]}, {
            "name": entry["name"], "unit": entry["unit"], "kind": IndicatorKind(entry["kind"]),
            "direction": entry["direction"], "target": Decimal(str(entry["target"])),
            "baseline": None if baseline is None else Decimal(str(baseline)),
            "baseline_note": entry.get("baseline_note", ""), "source": source,
            "deadline": entry["deadline"], "quote": entry.get("quote", ""), "position": position,
        })
        dues = []
        for milestone in entry.get("milestones", []):
            dues.append(milestone["due"])
            self.upsert(Milestone, {"indicator": indicator, "due": milestone["due"]},
                        {"target": Decimal(str(milestone["target"])), "label": milestone.get("label", "")})
        self.prune(indicator.milestones.exclude(due__in=dues))


@transaction.atomic
def plan_load(*, path: Path) -> dict[str, int]:
    """Create or update a plan from its YAML transcription; a re-run changes nothing.

    Indicators, tasks and checklist items are matched by their code, number and
    text; progress, checklist completion and notices are never touched. Returns
    counts of created, updated and deleted rows.
    """
    document = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    loader = _Loader()
    loader.plan(document)
    return {key: loader.changes[key] for key in ("created", "updated", "deleted")}


# ── Who may write (the pages check before reading a form; each service checks again) ──
#
# Every write refuses in the same order (docs/plans.md, "Refusals"): a user without a role that may
# ever make it (Forbidden, 403, before anything is looked up); a task or notice outside the user's
# scope (NotVisible, 404, as if it did not exist); a visible one the user's unit has no such part
# in (Forbidden, 403).

def _check_allowed(*, user, roles: tuple[str, ...], task: Task, may, refusal: str) -> None:
    """The refusal order above; ``may()`` answers the last question once the task is known visible."""
    if not user_has_role(user=user, roles=roles):
        raise Forbidden(refusal)
    if not task_is_visible(user=user, task=task):
        raise NotVisible
    if not may():
        raise Forbidden(refusal)


def report_check_allowed(*, user, task: Task) -> None:
    """Lead or responsible units file progress."""
    _check_allowed(user=user, roles=REPORTER_ROLES, task=task, may=lambda: user_may_report(user=user, task=task),
                   refusal=_("您的单位不是该任务的牵头或责任单位，不能填报。"))


def checklist_check_allowed(*, user, task: Task) -> None:
    """The lead unit confirms qualitative requirements."""
    _check_allowed(user=user, roles=REPORTER_ROLES, task=task,
                   may=lambda: user_may_mark_checklist(user=user, task=task),
                   refusal=_("只有牵头单位可以确认工作要求的完成情况。"))


def notice_issue_check_allowed(*, user, task: Task) -> None:
    """The table's issuer (the plan office) issues 督办 notices on the tasks it sees."""
    _check_allowed(user=user, roles=action_roles(NoticeAction.ISSUE), task=task, may=lambda: True,
                   refusal=_("只有精细办可以发出督办。"))


def notice_check_allowed(*, user, notice: SupervisionNotice, actions: tuple[str, ...]) -> None:
    """Whether the user is the table's actor for one of ``actions`` on this notice (the review form
    offers two). Whether the notice's status allows the action is the service's question: it is
    answered on the form (400), once the user may see the form at all."""
    roles = tuple({role for action in actions for role in action_roles(action)})
    refusal = (_("只有被督办单位可以回复。") if NoticeAction.REPLY in actions
               else _("只有精细办可以办结或退回督办。"))
    _check_allowed(user=user, roles=roles, task=notice.task, refusal=refusal, may=lambda: any(
        notice_actor_is(user=user, notice=notice, actor=action_actor(action)) for action in actions))


# ── Shared checks ──────────────────────────────────────────────────────────────

def _evidence_prepare(files, errors: dict) -> list[PreparedUpload]:
    """Evidence (images or PDFs) checked and made ready before the transaction opens, so no
    image is decoded while the write lock is held. Images lose their EXIF (GPS)."""
    try:
        return uploads_prepare((("evidence", upload) for upload in files), documents=True)
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, []).extend(messages)
        return []


def _check_date_in_plan(*, plan: Plan, value: date, field: str, errors: dict) -> None:
    """Not in the future, not before the plan's year (some deadlines precede the issue date)."""
    if value > timezone.localdate():
        errors.setdefault(field, []).append(_("日期不能晚于今天。"))
    elif value.year < plan.year:
        errors.setdefault(field, []).append(_("日期不能早于 %(year)d 年。") % {"year": plan.year})


def _raise_if(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


# ── Progress reports ───────────────────────────────────────────────────────────

def progress_report_create(
    *, user, indicator: Indicator, value: Decimal, measure_unit: str, measured_on: date, comment: str = "", evidence=(),
) -> ProgressReport:
    """File the indicator's value as of a date for the reporter's unit, with evidence files.

    ``measure_unit`` is the unit of measure the reporter states (计量单位, e.g. 座); it must be the
    indicator's. The report's ``unit`` is the organisation filing it, the reporter's ``org.Unit``.
    The form and API call the measure's field ``unit``, so its errors are keyed ``unit``.
    """
    task = indicator.task
    report_check_allowed(user=user, task=task)
    errors: dict[str, list] = {}
    if indicator.source:
        errors["indicator"] = [_("该指标由平台按自身记录计算，不接受填报。")]
    if measure_unit != indicator.unit:
        errors["unit"] = [_("计量单位应为“%(expected)s”，收到的是“%(given)s”。")
                          % {"expected": indicator.unit, "given": measure_unit}]
    try:
        measure_validate(unit=indicator.unit, value=value)
    except ValidationError as error:
        errors["value"] = error.messages
    _check_date_in_plan(plan=task.plan, value=measured_on, field="measured_on", errors=errors)
    evidence = _evidence_prepare(evidence, errors)
    _raise_if(errors)
    with transaction.atomic():
        report = ProgressReport.objects.create(
            indicator=indicator, unit=user.unit, reported_by=user, value=value, measured_on=measured_on,
            comment=comment,
        )
        for ready in evidence:
            ReportEvidence.objects.create(report=report, file=ready.file(), original_name=ready.name[:200],
                                          size=ready.size)
    return report


# ── Checklist ──────────────────────────────────────────────────────────────────

def checklist_item_mark(
    *, user, item: ChecklistItem, done: bool, done_on: date | None = None, note: str = "", evidence=None,
) -> ChecklistItem:
    """Confirm a qualitative requirement as done (with date, note and evidence) or reopen it."""
    checklist_check_allowed(user=user, task=item.task)
    if not done:
        item.done_on, item.done_by, item.evidence_note, item.evidence = None, None, "", None
        item.save()
        return item
    errors: dict[str, list] = {}
    if done_on is None:
        errors["done_on"] = [_("请填写完成日期。")]
    else:
        _check_date_in_plan(plan=item.task.plan, value=done_on, field="done_on", errors=errors)
    if not note.strip():
        errors["note"] = [_("请说明完成情况。")]
    prepared = _evidence_prepare([evidence], errors)
    _raise_if(errors)
    item.done_on, item.done_by, item.evidence_note = done_on, user, note.strip()
    if prepared:
        item.evidence = prepared[0].file()
    item.save()
    return item


# ── 督办 ───────────────────────────────────────────────────────────────────────

@transaction.atomic
def notice_issue(*, user, task: Task, to_unit: Unit, text: str, reply_due: date, on: date) -> SupervisionNotice:
    """Issue a 督办 notice on a lagging or overdue task to one of its lead units.

    ``on`` is the plan's review date: the task must be lagging then, and the
    notice is dated on it, so a plan reviewed at a past date stays consistent.
    """
    notice_issue_check_allowed(user=user, task=task)
    errors: dict[str, list] = {}
    state = task_state(user=user, task=task, on=on)
    if task.subtasks.exists():
        errors["task"] = [_("请对具体的子任务督办。")]
    elif not state.needs_notice:
        errors["task"] = [_("只能对滞后或逾期的任务督办（当前状态：%(status)s）。") % {"status": state.status.label}]
    if not task.task_units.filter(unit=to_unit, role=Responsibility.LEAD).exists():
        errors["to_unit"] = [_("督办对象必须是该任务的牵头单位。")]
    if not text.strip():
        errors["text"] = [_("请填写督办内容。")]
    if reply_due < on:
        errors["reply_due"] = [_("回复期限不能早于督办日期（%(date)s）。") % {"date": on.isoformat()}]
    _raise_if(errors)
    step = step_find(source=None, action=NoticeAction.ISSUE)
    return SupervisionNotice.objects.create(
        task=task, to_unit=to_unit, text=text.strip(), reply_due=reply_due, issued_by=user, issued_on=on,
        status=step.target,
    )


def _notice_step_record(*, notice: SupervisionNotice, step: NoticeStep, by, on: date, text: str,
                        evidence="") -> None:
    """Move the notice along a row of the table and keep the step as an event (its kind is the action)."""
    notice.status = step.target
    notice.save()
    NoticeEvent.objects.create(notice=notice, kind=step.action, by=by, on=on, text=text,
                               evidence=evidence)


def notice_reply(*, user, notice: SupervisionNotice, text: str, on: date, evidence=None) -> SupervisionNotice:
    """The lead unit answers an open or returned 督办 notice; every reply is kept as an event."""
    notice_check_allowed(user=user, notice=notice, actions=(NoticeAction.REPLY,))
    errors: dict[str, list] = {}
    step = step_find(source=notice.status, action=NoticeAction.REPLY)
    if step is None:
        errors["text"] = [_("该督办已回复。")]
    elif not text.strip():
        errors["text"] = [_("请填写回复内容。")]
    prepared = _evidence_prepare([evidence], errors)
    _raise_if(errors)
    notice.reply_text, notice.replied_by = text.strip(), user
    notice.replied_on = max(on, notice.issued_on)
    notice.reply_evidence = prepared[0].file() if prepared else ""
    with transaction.atomic():
        _notice_step_record(notice=notice, step=step, by=user, on=notice.replied_on, text=notice.reply_text,
                            evidence=notice.reply_evidence)
    return notice


@transaction.atomic
def notice_review(*, user, notice: SupervisionNotice, accept: bool, text: str, on: date) -> SupervisionNotice:
    """The plan office closes a replied notice (accepted) or sends it back for a new reply.

    Sending back needs a reason; the returned reply stays in the notice's events.
    """
    action = NoticeAction.ACCEPT if accept else NoticeAction.RETURN
    notice_check_allowed(user=user, notice=notice, actions=(action,))
    errors: dict[str, list] = {}
    step = step_find(source=notice.status, action=action)
    if step is None:
        errors["decision"] = [_("只能办结或退回已回复的督办（当前状态：%(status)s）。")
                              % {"status": notice.get_status_display()}]
    elif not accept and not text.strip():
        errors["text"] = [_("退回时请说明理由。")]
    _raise_if(errors)
    _notice_step_record(notice=notice, step=step, by=user, on=max(on, notice.replied_on), text=text.strip())
    return notice
