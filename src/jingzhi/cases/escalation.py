"""超时升级: the periodic job flags each case past a stage or on-site limit to the 值班长, once."""
from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jingzhi.org.models import Role

from .events import event_append
from .models import Case
from .notifications import notifications_send
from .rules import transition_find
from .selectors import overdue_condition, users_with_role
from .watch import cases_changing
from .workflow import SYSTEM, CaseAction, Stage


def overdue_case_ids(*, now: dt.datetime) -> list[int]:
    """Overdue cases (``selectors.overdue_condition``) not yet escalated in their stage."""
    return list(_unescalated_overdue(Case.objects.all(), now=now).order_by("pk").values_list("pk", flat=True))


def case_escalate(*, case_id: int, now: dt.datetime) -> bool:
    """Escalate one overdue case to the shift chiefs, once per stage. Returns whether it did."""
    with transaction.atomic():
        case = Case.objects.select_for_update(of=("self",)).select_related("category").get(pk=case_id)
        if not _unescalated_overdue(Case.objects.filter(pk=case.pk), now=now).exists():
            return False
        transition = transition_find(source=case.state, action=CaseAction.ESCALATE, roles={SYSTEM})
        late_step = case.on_site_steps.filter(arrived_at__isnull=True, due_at__lt=now).first()
        data = {"deadline": case.stage_deadline.isoformat(), "stage": case.stage}
        if late_step is not None:
            data.update(step=late_step.order, step_name=late_step.name, step_due_at=late_step.due_at.isoformat())
        with cases_changing(case_ids=(case.pk,)):
            case.escalated_at = now
            case.save(update_fields=["escalated_at"])
            event_append(case=case, transition=transition, actor=None, now=now, data=data)
        message = _("案件 %(number)s（%(category)s）%(stage)s环节已超时，已升级至值班长。") % {
            "number": case.number, "category": case.category.name, "stage": Stage(case.stage).label,
        }
        notifications_send(recipients=users_with_role(Role.SHIFT_CHIEF), case=case, kind=CaseAction.ESCALATE,
                           message=message, now=now)
    return True


def _unescalated_overdue(cases, *, now: dt.datetime):
    return cases.filter(overdue_condition(now=now), escalated_at__isnull=True)


def cases_escalate_overdue(*, now: dt.datetime | None = None) -> int:
    """Escalate every overdue case once; safe to run as often as wanted. Returns the count."""
    now = now or timezone.now()
    return sum(case_escalate(case_id=case_id, now=now) for case_id in overdue_case_ids(now=now))
