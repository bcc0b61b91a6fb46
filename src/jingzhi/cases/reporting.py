"""信息收集: a reported problem becomes a case (``case_report``), on the table's creation rows."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jingzhi.core.versions import PUBLIC_CASES, data_version_bump
from jingzhi.geo.coords import CoordSystem
from jingzhi.org.models import Role, User
from jingzhi.org.selectors import user_has_role, user_roles

from .clock import stage_move
from .errors import CaseActionForbidden
from .events import event_append
from .models import Case, Category, PhotoKind, Urgency
from .numbering import case_number_next
from .photos import photos_prepare, photos_store
from .rules import report_sources, transition_find
from .selectors import department_suggest, location_of
from .watch import cases_changing
from .workflow import CaseAction


def case_report(
    *, reporter: User | None, source: str, category: Category, description: str, lon: float, lat: float,
    coord_system: str = CoordSystem.WGS84, urgency: str = Urgency.NORMAL, address: str = "", reporter_name: str = "",
    reporter_phone: str = "", reporter_email: str = "", device_id: str = "", attributes: dict | None = None,
    photos: Iterable = (), self_handled: bool = False, before_photos: Iterable = (),
    after_photos: Iterable = (), asset=None, now: dt.datetime | None = None,
) -> Case:
    """Register a reported problem (信息收集). ``photos`` are uploads kept as report photos.

    ``reporter`` None: a member of the public who did not sign in (the citizen portal); they
    report as a citizen, with the contact they chose to give (or none).

    ``reporter_email``, ``device_id`` and ``attributes`` (the category's extra fields) come from
    apps (Open311); like the name and phone they are kept for the staff who need them.

    ``asset``: the registry asset the problem is on (``assets.Asset``), e.g. the toilet whose
    inspection failed (``inspections.services``) or one reported from its registry page; its
    maintaining unit, when it has one, is the suggested department, and its keepers hear of the
    case when it is filed (``notify``).

    ``self_handled``: an inspector's 自处理 — the problem was already handled on the spot, shown
    by ``before_photos`` and ``after_photos`` (both required); the case waits for the 值班长's 审核.
    """
    now = now or timezone.now()
    roles = user_roles(user=reporter) if reporter is not None else {Role.CITIZEN}
    action = CaseAction.SELF_HANDLE if self_handled else CaseAction.REPORT
    transition = transition_find(source=None, action=action, roles=roles)
    if transition is None:
        raise CaseActionForbidden(_("您的角色不能执行“%(action)s”。") % {"action": CaseAction(action).label})
    if source not in report_sources({transition.role} if self_handled else roles):
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
    photos = photos_prepare(photos)
    if reporter is not None and transition.role == Role.CITIZEN and user_has_role(user=reporter, roles=(Role.CITIZEN,)):
        reporter_name = reporter_name or reporter.display_name
        reporter_phone = reporter_phone or reporter.phone
    case = Case(
        category=category, source=source, urgency=urgency, description=description, address=address,
        lon=location.lon, lat=location.lat, coord_system=coord_system,
        district=location.district, subdistrict=location.subdistrict, grid_code=location.grid_code or "",
        suggested_department=(asset.department if asset is not None and asset.department_id
                              else department_suggest(category=category, location=location)),
        state=transition.target, reporter=reporter, reporter_name=reporter_name,
        reporter_phone=reporter_phone, reporter_email=reporter_email, device_id=device_id,
        attributes=attributes or {}, asset=asset, created_at=now, updated_at=now,
    )
    stage_move(case, transition.target, now)  # the 受理立案 clock starts with the report
    # The number's counter row stays locked until commit (concurrent reports of the same category
    # and day wait on it), so the transaction starts there and holds only the writes.
    with transaction.atomic():
        with cases_changing() as created:
            case.number = case_number_next(category=category, when=now)
            case.save(force_insert=True)
            event = event_append(case=case, transition=transition, actor=reporter, now=now,
                                 data={"source": source})
            created.add(case.pk)
            photos_store(case=case, event=event, photos=photos, user=reporter, now=now)
        data_version_bump(PUBLIC_CASES)
    return case
