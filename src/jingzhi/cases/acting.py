"""Acting on a case: ``case_act`` performs any action of the workflow table but creation.

It locks the case row, asks ``rules`` whether the actor may act now, applies the action's
effect (``effects``), moves the stage clock (``clock``), appends the audit event with its
photos and tells the next actor (``notify``), all in one transaction, with the views derived
from the case kept in step (``watch.cases_changing``).

Times: every function takes an optional ``now`` so tests and the demo can replay history;
by default it is ``django.utils.timezone.now()``.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jingzhi.core.versions import PUBLIC_CASES, data_version_bump
from jingzhi.org.models import User

from .clock import stage_move
from .effects import EFFECTS
from .errors import CaseActionForbidden, CaseTransitionIllegal
from .events import event_append
from .models import Case
from .notify import next_actor_notify
from .photos import photos_prepare, photos_store
from .reporter_keys import reporter_key_valid
from .rules import case_action_check
from .watch import cases_changing
from .workflow import ACTION_SPECS


def case_act(
    *, case: Case | int, action: str, actor: User | None, comment: str = "", photos: Iterable = (),
    now: dt.datetime | None = None, reporter_key: str = "", **params,
) -> Case:
    """Perform ``action`` on the case as ``actor``; atomic with its audit event.

    ``actor`` None: the member of the public who reported the case without signing in, proved by
    ``reporter_key`` (``reporter_keys``: the portal receipt's private link); they act as a citizen.

    ``photos`` is an iterable of ``(PhotoKind, upload)``; ``params`` are the action's fields
    (see ``workflow.ACTION_SPECS``). Whether the actor may is ``rules.case_action_check``'s answer:
    ``CaseActionForbidden``, ``CaseTransitionIllegal`` or ``ValidationError``; on any of them
    nothing is changed.
    """
    if action not in ACTION_SPECS:
        raise CaseTransitionIllegal(_("未知的动作。"))
    now = now or timezone.now()
    comment = (comment or "").strip()
    if ACTION_SPECS[action].comment_required and not comment:
        raise ValidationError({"comment": [_("请填写意见或理由。")]})
    photos = photos_prepare(photos)
    case_id = case.pk if isinstance(case, Case) else case
    with transaction.atomic():
        # Lock the case row only (not the joined category), so unrelated cases never wait.
        case = (Case.objects.select_for_update(of=("self",)).select_related("category__category_class")
                .get(pk=case_id))
        if actor is None and not reporter_key_valid(case=case, key=reporter_key):
            raise CaseActionForbidden(_("评价链接无效：请使用上报回执上的链接。"))
        transition = case_action_check(case=case, action=action, user=actor)
        effect = EFFECTS.get(action)
        with cases_changing(case_ids=(case.pk,)):
            data = effect(case, now=now, photos=photos, actor=actor, **params) if effect else {}
            done_in_time = stage_move(case, transition.target, now)
            case.state = transition.target
            case.updated_at = now
            case.save()
            event = event_append(case=case, transition=transition, actor=actor, now=now, comment=comment,
                                  data=data, done_in_time=done_in_time)
        photos_store(case=case, event=event, photos=photos, user=actor, now=now)
        next_actor_notify(case=case, transition=transition, now=now)
        data_version_bump(PUBLIC_CASES)
    return case
