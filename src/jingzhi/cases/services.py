"""Write-side rules of the case loop.

``case_report`` creates a case; ``case_act`` performs any other action of the workflow table
(``workflow.TRANSITIONS``) on one case: it locks the case row, checks the table and the
actor's unit or assignment, applies the action's effect, moves the stage clock and appends
the audit event, all in one transaction. ``cases_escalate_overdue`` is the periodic job.

Times: every function takes an optional ``now`` so tests and the demo can replay history;
by default it is ``django.utils.timezone.now()``.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from django.core.exceptions import ValidationError
from django.db import OperationalError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jingzhi.core.uploads import PreparedUpload, uploads_prepare
from jingzhi.geo.coords import CoordSystem
from jingzhi.org.models import Role, User
from jingzhi.org.selectors import user_has_role, user_roles, user_unit_ids

from .calendar import TimeUnit, working_calendar
from .models import (
    PUBLIC_SOURCES, Case, CaseEvent, CaseNumberCounter, CasePhoto, Category, OnSiteStep, PhotoKind, RejectReason,
    Satisfaction, Urgency,
)
from .notifications import notifications_send
from .selectors import department_suggest, dispatch_units, location_of
from .workflow import (
    ACTION_SPECS, REPORT_SOURCES, SYSTEM, TERMINAL_STATES, TRANSITIONS, Action, Stage, State, Transition,
    stage_of, transition_find,
)

MAX_POSTPONE_DAYS = 30
#: PostgreSQL's SQLSTATE for a row lock refused by NOWAIT (lock_not_available).
LOCK_NOT_AVAILABLE = "55P03"


class CaseActionError(Exception):
    """A refused action; ``str(error)`` is a message for the user."""


class CaseActionForbidden(CaseActionError):
    """The actor's role, unit or assignment does not allow the action (HTTP 403)."""


class CaseTransitionIllegal(CaseActionError):
    """The action is not allowed from the case's current state (HTTP 409)."""


# ── photos ──────────────────────────────────────────────────────────────────────────────


#: The request field each kind of photo comes in (its errors are keyed by it).
PHOTO_KIND_FIELDS = {PhotoKind.BEFORE: "before_photos", PhotoKind.AFTER: "after_photos"}


def _photos_prepare(photos: Iterable[tuple[str, object]]) -> list[tuple[str, PreparedUpload]]:
    """Check, decode and clean every upload before the transaction opens: the transaction then only
    writes prepared bytes, and no image is decoded while the database's write lock is held."""
    photos = [(kind, upload) for kind, upload in photos if upload]
    prepared = uploads_prepare([(PHOTO_KIND_FIELDS.get(kind, "photos"), upload) for kind, upload in photos])
    return [(kind, ready) for (kind, _upload), ready in zip(photos, prepared)]


def _photos_store(*, case: Case, event: CaseEvent, photos: list[tuple[str, PreparedUpload]], user: User | None,
                  now):
    for kind, ready in photos:
        CasePhoto.objects.create(case=case, event=event, kind=kind, image=ready.file(), uploaded_by=user,
                                 created_at=now)


# ── numbering ───────────────────────────────────────────────────────────────────────────


def case_number_next(*, category: Category, when: dt.datetime) -> str:
    """案卷号 ``C|E`` + 大类 + 小类 + yyyyMMdd + 序号 (at least two digits), e.g. C01012019041101.

    One atomic upsert per number, so concurrent reports never get the same 序号.
    """
    prefix = category.number_prefix + timezone.localtime(when).strftime("%Y%m%d")
    table = CaseNumberCounter._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (prefix, last) VALUES (%s, 1) "
            f"ON CONFLICT (prefix) DO UPDATE SET last = {table}.last + 1 RETURNING last",
            [prefix],
        )
        (sequence,) = cursor.fetchone()
    return f"{prefix}{sequence:02d}"


# ── events, stages, notifications ───────────────────────────────────────────────────────


def _stage_limit_deadline(case: Case, stage: str, start: dt.datetime) -> dt.datetime:
    limit = case.category.time_limit(urgency=case.urgency, stage=stage)
    return working_calendar().deadline(start, value=limit["value"], unit=limit["unit"])


def _stage_move(case: Case, target: str, now: dt.datetime) -> bool | None:
    """Move the stage clock into ``target``; returns whether an ending stage was in time."""
    old_stage, new_stage = case.stage, stage_of(target)
    if old_stage == new_stage:
        return None
    done_in_time = (now <= case.stage_deadline) if old_stage and case.stage_deadline else None
    case.stage = new_stage
    case.escalated_at = None
    if new_stage:
        case.stage_started_at = now
        case.stage_deadline = _stage_limit_deadline(case, new_stage, now)
    else:
        case.stage_started_at = case.stage_deadline = None
    return done_in_time


def _event_append(*, case: Case, transition: Transition, actor: User | None, now, comment: str = "",
                  data: dict | None = None, done_in_time: bool | None = None) -> CaseEvent:
    return CaseEvent.objects.create(
        case=case, action=transition.action, from_state=transition.source or "", to_state=transition.target,
        actor=actor, actor_role=transition.role, created_at=now, comment=comment, data=data or {},
        stage_deadline=case.stage_deadline, done_in_time=done_in_time,
    )


def _department_handlers(unit_id: int) -> list[User]:
    return list(User.objects.filter(unit_id=unit_id, role_grants__role=Role.HANDLER, is_active=True))


def _role_holders(role: str) -> list[User]:
    return list(User.objects.filter(role_grants__role=role, is_active=True))


def _notify_next(case: Case, transition: Transition, now) -> None:
    """Tell whoever must act next when that is a named person or unit (the command centre
    works from its queues), and tell a citizen when their report is finished."""
    next_roles = {t.role for t in TRANSITIONS if t.source == case.state and t.action in ACTION_SPECS}
    recipients: list[User] = []
    if Role.HANDLER in next_roles and case.department_id and transition.role != Role.HANDLER:
        recipients += _department_handlers(case.department_id)
    if Role.INSPECTOR in next_roles and case.inspector_id and transition.role != Role.INSPECTOR:
        recipients.append(case.inspector)
    finished = case.state in TERMINAL_STATES and transition.source != transition.target
    if finished and case.reporter_id and user_has_role(case.reporter, Role.CITIZEN):
        recipients.append(case.reporter)
    if transition.action == Action.EVALUATE and case.satisfaction == Satisfaction.DISSATISFIED:
        recipients += _role_holders(Role.SHIFT_CHIEF)
    if recipients:
        message = _("案件 %(number)s（%(category)s）%(action)s，当前状态：%(state)s") % {
            "number": case.number, "category": case.category.name,
            "action": Action(transition.action).label, "state": State(case.state).label,
        }
        notifications_send(recipients=recipients, case=case, kind=transition.action, message=message, now=now)


# ── reporting ───────────────────────────────────────────────────────────────────────────


def case_report(
    *, reporter: User, source: str, category: Category, description: str, lon: float, lat: float,
    coord_system: str = CoordSystem.WGS84, urgency: str = Urgency.NORMAL, address: str = "", reporter_name: str = "",
    reporter_phone: str = "", photos: Iterable = (), self_handled: bool = False, before_photos: Iterable = (),
    after_photos: Iterable = (), now: dt.datetime | None = None,
) -> Case:
    """Register a reported problem (信息收集). ``photos`` are uploads kept as report photos.

    ``self_handled``: an inspector's 自处理 — the problem was already handled on the spot, shown
    by ``before_photos`` and ``after_photos`` (both required); the case waits for the 值班长's 审核.
    """
    now = now or timezone.now()
    roles = user_roles(reporter)
    action = Action.SELF_HANDLE if self_handled else Action.REPORT
    transition = transition_find(source=None, action=action, roles=roles)
    if transition is None:
        raise CaseActionForbidden(_("您的角色不能执行“%(action)s”。") % {"action": Action(action).label})
    allowed_sources = {s for role in ({transition.role} if self_handled else roles)
                       for s in REPORT_SOURCES.get(role, ())}
    if source not in allowed_sources:
        raise ValidationError({"source": [_("您的角色不能登记该来源的案件。")]})
    location = location_of(lon=lon, lat=lat, coord_system=coord_system)
    photos = [*((PhotoKind.REPORT, upload) for upload in photos),
              *((PhotoKind.BEFORE, upload) for upload in before_photos),
              *((PhotoKind.AFTER, upload) for upload in after_photos)]
    kinds = {kind for kind, upload in photos if upload}
    if self_handled and not {PhotoKind.BEFORE, PhotoKind.AFTER} <= kinds:
        raise ValidationError({"after_photos": [_("自处理须上传处置前和处置后照片。")]})
    if not self_handled and kinds - {PhotoKind.REPORT}:
        raise ValidationError({"self_handled": [_("处置前后照片只用于自处理上报。")]})
    photos = _photos_prepare(photos)
    if user_has_role(reporter, Role.CITIZEN) and transition.role == Role.CITIZEN:
        reporter_name = reporter_name or reporter.display_name
        reporter_phone = reporter_phone or reporter.phone
    case = Case(
        category=category, source=source, urgency=urgency, description=description, address=address,
        lon=location.lon, lat=location.lat, coord_system=coord_system,
        district=location.district, subdistrict=location.subdistrict, grid_code=location.grid_code or "",
        suggested_department=department_suggest(category=category, location=location),
        state=transition.target, reporter=reporter, reporter_name=reporter_name,
        reporter_phone=reporter_phone, created_at=now, updated_at=now,
    )
    _stage_move(case, transition.target, now)  # the 受理立案 clock starts with the report
    # The number's counter row stays locked until commit (concurrent reports of the same category
    # and day wait on it), so the transaction starts there and holds only the writes.
    with transaction.atomic():
        case.number = case_number_next(category=category, when=now)
        case.save(force_insert=True)
        event = _event_append(case=case, transition=transition, actor=reporter, now=now, data={"source": source})
        _photos_store(case=case, event=event, photos=photos, user=reporter, now=now)
    return case


# ── the actions' own effects ────────────────────────────────────────────────────────────
# Each effect validates its parameters (ValidationError keyed by field), changes the case in
# memory and returns the data recorded on the event. It runs inside case_act's transaction.


def _inspector_get(inspector) -> User:
    if inspector is None or not user_has_role(inspector, Role.INSPECTOR):
        raise ValidationError({"inspector": [_("请选择一名监督员。")]})
    return inspector


def _assign_inspector(case: Case, *, inspector=None, **_ignored) -> dict:
    case.inspector = _inspector_get(inspector)
    return {"inspector": case.inspector.pk, "inspector_name": str(case.inspector)}


def _confirm(case: Case, *, problem_exists=True, **_ignored) -> dict:
    return {"problem_exists": bool(problem_exists)}


def _reject(case: Case, *, reason="", **_ignored) -> dict:
    if reason not in (RejectReason.INVALID, RejectReason.OUT_OF_SCOPE):
        raise ValidationError({"reason": [_("请选择不予受理原因（重复上报请用“合并重复”）。")]})
    case.reject_reason = reason
    return {"reason": reason}


def _merge(case: Case, *, duplicate_of=None, actor, now, **_ignored) -> dict:
    """Mark the case a duplicate and record the merge in the original's history too (its
    state does not change, so the event's from and to states are equal). The original is
    locked and read afresh, so it cannot be voided or merged away while it gains a duplicate;
    without waiting (NOWAIT), since a merge holds the duplicate's lock already and two opposite
    merges waiting on each other would deadlock."""
    if duplicate_of is not None:
        try:
            duplicate_of = (Case.objects.select_for_update(of=("self",), nowait=True)
                            .filter(pk=duplicate_of.pk).first())
        except OperationalError as error:
            if getattr(error.__cause__, "sqlstate", None) != LOCK_NOT_AVAILABLE:
                raise
            raise ValidationError({"duplicate_of": [_("原案件正在被他人处理，请稍后重试。")]}) from None
    if duplicate_of is None or duplicate_of.pk == case.pk or duplicate_of.state in (State.REJECTED, State.VOIDED):
        raise ValidationError({"duplicate_of": [_("请选择一个有效的原案件。")]})
    case.duplicate_of = duplicate_of
    case.reject_reason = RejectReason.DUPLICATE
    CaseEvent.objects.create(
        case=duplicate_of, action=Action.MERGE, from_state=duplicate_of.state, to_state=duplicate_of.state,
        actor=actor, actor_role=Role.INTAKE_OPERATOR, created_at=now, stage_deadline=duplicate_of.stage_deadline,
        data={"merged_case": case.pk, "merged_case_number": case.number},
    )
    return {"duplicate_of": duplicate_of.pk, "duplicate_of_number": duplicate_of.number}


def _on_site_steps_reset(case: Case, now) -> None:
    """(Re)start the category's on-site steps for the department just dispatched."""
    OnSiteStep.objects.filter(case=case).delete()
    due = now
    for order, step in enumerate(case.category.on_site_steps, start=1):
        due = working_calendar().deadline(due, value=step["value"], unit=step["unit"]) if order == 1 else None
        OnSiteStep.objects.create(
            case=case, order=order, name=step["name"], limit_value=step["value"], limit_unit=step["unit"],
            due_at=due,
        )


def _dispatch(case: Case, *, department=None, override_reason="", now, **_ignored) -> dict:
    department = department or case.suggested_department
    if department is None:
        raise ValidationError({"department": [_("没有建议部门，请选择处置部门。")]})
    if not dispatch_units().filter(pk=department.pk).exists():
        raise ValidationError({"department": [_("%(unit)s 不能作为处置部门（社区不接受派遣）。") % {"unit": department.name}]})
    if department.pk != case.suggested_department_id and not override_reason.strip():
        raise ValidationError({"override_reason": [_("改派到建议部门以外的单位时，必须说明理由。")]})
    case.department = department
    _on_site_steps_reset(case, now)
    return {
        "department": department.pk, "department_name": department.name,
        "suggested_department": case.suggested_department_id, "override_reason": override_reason.strip(),
    }


def _on_site_arrive(case: Case, *, step=None, arrived_at=None, now, **_ignored) -> dict:
    steps = list(case.on_site_steps.order_by("order"))
    pending = [s for s in steps if s.arrived_at is None]
    if not pending:
        raise ValidationError({"step": [_("本案件没有待登记的到场环节。")]})
    current = pending[0]
    if step is not None and step != current.order:
        raise ValidationError({"step": [_("请按顺序登记到场环节，下一个是第 %(order)s 步。") % {"order": current.order}]})
    arrived_at = arrived_at or now
    earliest = case.stage_started_at or case.created_at
    if arrived_at > now or arrived_at < earliest:
        raise ValidationError({"arrived_at": [_("到场时间须在派遣之后、当前时间之前。")]})
    current.arrived_at = arrived_at
    current.done_in_time = arrived_at <= current.due_at
    current.save(update_fields=["arrived_at", "done_in_time"])
    following = next((s for s in steps if s.order == current.order + 1), None)
    if following is not None:
        following.due_at = working_calendar().deadline(arrived_at, value=following.limit_value,
                                                       unit=following.limit_unit)
        following.save(update_fields=["due_at"])
    return {
        "step": current.order, "name": current.name, "arrived_at": arrived_at.isoformat(),
        "due_at": current.due_at.isoformat(), "done_in_time": current.done_in_time,
    }


def _handle(case: Case, *, photos, **_ignored) -> dict:
    if not any(kind == PhotoKind.AFTER for kind, _upload in photos):
        raise ValidationError({"after_photos": [_("处置反馈须上传至少一张处置后照片。")]})
    first_step = case.on_site_steps.order_by("order").first()
    if first_step is not None and first_step.arrived_at is None:
        raise ValidationError({"step": [_("请先登记“%(name)s”的到场时间。") % {"name": first_step.name}]})
    return {}


def _postpone_request(case: Case, *, extra_working_days=None, **_ignored) -> dict:
    if not isinstance(extra_working_days, int) or not 1 <= extra_working_days <= MAX_POSTPONE_DAYS:
        raise ValidationError({"extra_working_days": [
            _("延期天数须为 1 到 %(max)s 个工作日。") % {"max": MAX_POSTPONE_DAYS}]})
    return {"extra_working_days": extra_working_days}


def _postpone_approve(case: Case, **_ignored) -> dict:
    request = case.events.filter(action=Action.POSTPONE_REQUEST).order_by("-created_at", "-id").first()
    days = request.data["extra_working_days"]
    old_deadline = case.stage_deadline
    case.stage_deadline = working_calendar().deadline(old_deadline, value=days, unit=TimeUnit.WORKING_DAYS)
    case.escalated_at = None
    return {"extra_working_days": days, "old_deadline": old_deadline.isoformat()}


def _rework(case: Case, **_ignored) -> dict:
    case.rework_count += 1
    return {"rework_count": case.rework_count}


def _close(case: Case, *, now, **_ignored) -> dict:
    case.closed_at = now
    return {}


def _evaluate(case: Case, *, satisfaction="", **_ignored) -> dict:
    if satisfaction not in Satisfaction.values:
        raise ValidationError({"satisfaction": [_("请选择满意度。")]})
    case.satisfaction = satisfaction
    return {"satisfaction": satisfaction}


def _reopen(case: Case, **_ignored) -> dict:
    case.satisfaction = ""  # the next closure gets its own 回访评价
    case.closed_at = None
    return _rework(case)


EFFECTS: dict[str, Callable[..., dict]] = {
    Action.CONFIRM_ASSIGN: _assign_inspector,
    Action.CONFIRM: _confirm,
    Action.REJECT: _reject,
    Action.MERGE: _merge,
    Action.DISPATCH: _dispatch,
    Action.ON_SITE_ARRIVE: _on_site_arrive,
    Action.HANDLE: _handle,
    Action.POSTPONE_REQUEST: _postpone_request,
    Action.POSTPONE_APPROVE: _postpone_approve,
    Action.VERIFY_ASSIGN: _assign_inspector,
    Action.REWORK: _rework,
    Action.CLOSE: _close,
    Action.SELF_APPROVE: _close,
    Action.EVALUATE: _evaluate,
    Action.REOPEN: _reopen,
}


# ── acting on a case ────────────────────────────────────────────────────────────────────


def _evaluate_refusal(case: Case) -> str:
    if case.source not in PUBLIC_SOURCES:
        return _("只有市民或热线来源的案件需要回访评价。")
    if case.satisfaction:
        return _("本次结案已回访评价，不能重复评价。")
    return ""


def _reopen_refusal(case: Case) -> str:
    return "" if case.satisfaction == Satisfaction.DISSATISFIED else _("只有回访评价为“不满意”的案件才能重办。")


def _on_site_arrive_refusal(case: Case) -> str:
    return "" if case.category.on_site_steps else _("本案件的类别没有到场环节，无需到场登记。")


#: Conditions beyond the state that an action needs (checked without queries, so the action
#: buttons of a list stay cheap); each returns why the action is refused, or "".
PRECONDITIONS: dict[str, Callable[[Case], str]] = {
    Action.EVALUATE: _evaluate_refusal,
    Action.REOPEN: _reopen_refusal,
    Action.ON_SITE_ARRIVE: _on_site_arrive_refusal,  # else a button that can only be refused
}


def _precondition_refusal(case: Case, action: str) -> str:
    check = PRECONDITIONS.get(action)
    return check(case) if check else ""


def actor_may_act(*, case: Case, role: str, user: User) -> bool:
    """Within a role, who may act: the handlers of the assigned department (or a unit above
    it), the inspector the 核实/核查 task was sent to, and the citizen who reported."""
    if role == Role.HANDLER:
        return case.department_id is not None and case.department_id in user_unit_ids(user)
    if role == Role.INSPECTOR:
        return case.inspector_id == user.pk
    if role == Role.CITIZEN:
        return case.reporter_id == user.pk
    return True


def case_actions_for(*, case: Case, user: User) -> list[str]:
    """The actions ``user`` may take on ``case`` now: what the UI shows as buttons."""
    roles = user_roles(user)
    allowed = []
    for transition in TRANSITIONS:
        if (transition.source == case.state and transition.action in ACTION_SPECS and transition.role in roles
                and transition.action not in allowed and actor_may_act(case=case, role=transition.role, user=user)
                and not _precondition_refusal(case, transition.action)):
            allowed.append(transition.action)
    return allowed


def _transition_check(case: Case, action: str, actor: User) -> Transition:
    roles = user_roles(actor)
    label = Action(action).label
    if not any(t.action == action and t.role in roles for t in TRANSITIONS):
        raise CaseActionForbidden(_("您的角色不能执行“%(action)s”。") % {"action": label})
    candidates = [t for t in TRANSITIONS if t.source == case.state and t.action == action and t.role in roles]
    if not candidates:
        raise CaseTransitionIllegal(_("案件当前状态为“%(state)s”，不能执行“%(action)s”。") % {
            "state": State(case.state).label, "action": label})
    for transition in candidates:
        if actor_may_act(case=case, role=transition.role, user=actor):
            refusal = _precondition_refusal(case, action)
            if refusal:
                raise CaseTransitionIllegal(refusal)
            return transition
    raise CaseActionForbidden(_("本案件不属于您的单位或不是派给您的任务，不能执行“%(action)s”。") % {"action": label})


def case_act(
    *, case: Case | int, action: str, actor: User, comment: str = "", photos: Iterable = (),
    now: dt.datetime | None = None, **params,
) -> Case:
    """Perform ``action`` on the case as ``actor``; atomic with its audit event.

    ``photos`` is an iterable of ``(PhotoKind, upload)``; ``params`` are the action's fields
    (see ``workflow.ACTION_SPECS``). Raises ``CaseActionForbidden``, ``CaseTransitionIllegal``
    or ``ValidationError``; on any of them nothing is changed.
    """
    if action not in ACTION_SPECS:
        raise CaseTransitionIllegal(_("未知的动作。"))
    now = now or timezone.now()
    comment = (comment or "").strip()
    if ACTION_SPECS[action].comment_required and not comment:
        raise ValidationError({"comment": [_("请填写意见或理由。")]})
    photos = _photos_prepare(photos)
    case_id = case.pk if isinstance(case, Case) else case
    with transaction.atomic():
        # Lock the case row only (not the joined category), so unrelated cases never wait.
        case = (Case.objects.select_for_update(of=("self",)).select_related("category__category_class")
                .get(pk=case_id))
        transition = _transition_check(case, action, actor)
        effect = EFFECTS.get(action)
        data = effect(case, now=now, photos=photos, actor=actor, **params) if effect else {}
        done_in_time = _stage_move(case, transition.target, now)
        case.state = transition.target
        case.updated_at = now
        case.save()
        event = _event_append(case=case, transition=transition, actor=actor, now=now, comment=comment,
                              data=data, done_in_time=done_in_time)
        _photos_store(case=case, event=event, photos=photos, user=actor, now=now)
        _notify_next(case, transition, now)
    return case


# ── the periodic job ────────────────────────────────────────────────────────────────────


def overdue_case_ids(*, now: dt.datetime) -> list[int]:
    """Open cases past a stage deadline or an on-site step's limit, not yet escalated."""
    late_stage = Case.objects.filter(stage_deadline__lt=now, escalated_at__isnull=True)
    late_step = OnSiteStep.objects.filter(
        arrived_at__isnull=True, due_at__lt=now, case__stage=Stage.HANDLE, case__escalated_at__isnull=True,
    )
    return sorted(set(late_stage.values_list("pk", flat=True)) | set(late_step.values_list("case_id", flat=True)))


def case_escalate(*, case_id: int, now: dt.datetime) -> bool:
    """Escalate one overdue case to the shift chiefs, once per stage. Returns whether it did."""
    with transaction.atomic():
        case = Case.objects.select_for_update(of=("self",)).select_related("category").get(pk=case_id)
        if not _case_is_overdue(case, now=now):
            return False
        transition = transition_find(source=case.state, action=Action.ESCALATE, roles={SYSTEM})
        late_step = case.on_site_steps.filter(arrived_at__isnull=True, due_at__lt=now).first()
        case.escalated_at = now
        case.save(update_fields=["escalated_at"])
        data = {"deadline": case.stage_deadline.isoformat(), "stage": case.stage}
        if late_step is not None:
            data.update(step=late_step.order, step_name=late_step.name, step_due_at=late_step.due_at.isoformat())
        _event_append(case=case, transition=transition, actor=None, now=now, data=data)
        message = _("案件 %(number)s（%(category)s）%(stage)s环节已超时，已升级至值班长。") % {
            "number": case.number, "category": case.category.name, "stage": Stage(case.stage).label,
        }
        notifications_send(recipients=_role_holders(Role.SHIFT_CHIEF), case=case, kind=Action.ESCALATE,
                           message=message, now=now)
    return True


def _case_is_overdue(case: Case, *, now: dt.datetime) -> bool:
    if case.escalated_at is not None or not case.stage:
        return False
    if case.stage_deadline is not None and case.stage_deadline < now:
        return True
    return case.stage == Stage.HANDLE and case.on_site_steps.filter(arrived_at__isnull=True, due_at__lt=now).exists()


def cases_escalate_overdue(*, now: dt.datetime | None = None) -> int:
    """Escalate every overdue case once; safe to run as often as wanted. Returns the count."""
    now = now or timezone.now()
    return sum(case_escalate(case_id=case_id, now=now) for case_id in overdue_case_ids(now=now))

