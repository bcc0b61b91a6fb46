"""超时升级: the periodic job flags each case past a stage or on-site limit to the 值班长, once."""
from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jingzhi.org.models import Role

from .events import event_append
from .models import Case, OnSiteStep
from .notifications import notifications_send
from .rules import transition_find
from .selectors import users_with_role
from .workflow import SYSTEM, Action, Stage


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
        event_append(case=case, transition=transition, actor=None, now=now, data=data)
        message = _("案件 %(number)s（%(category)s）%(stage)s环节已超时，已升级至值班长。") % {
            "number": case.number, "category": case.category.name, "stage": Stage(case.stage).label,
        }
        notifications_send(recipients=users_with_role(Role.SHIFT_CHIEF), case=case, kind=Action.ESCALATE,
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
