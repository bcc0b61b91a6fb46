"""The audit trail: one append-only ``CaseEvent`` per row of the table taken."""
from __future__ import annotations

from jingzhi.org.models import User

from .models import Case, CaseEvent
from .workflow import Transition


def event_append(*, case: Case, transition: Transition, actor: User | None, now, comment: str = "",
                 data: dict | None = None, done_in_time: bool | None = None) -> CaseEvent:
    """Record ``transition`` taken on ``case`` (after the case moved: the event keeps its deadline)."""
    return CaseEvent.objects.create(
        case=case, action=transition.action, from_state=transition.source or "", to_state=transition.target,
        actor=actor, actor_role=transition.role, created_at=now, comment=comment, data=data or {},
        stage_deadline=case.stage_deadline, done_in_time=done_in_time,
    )
