"""Writes of the inspections: plan and cancel rounds, submit an inspection, report its failures.

``inspection_submit`` scores the recorded values with the template (``scoring``, pure), writes the
inspection, its results and photos, and reports every failed item as a case through the one
reporting service (``cases.reporting.case_report``), on the asset, in the item's category, source
检查考核发现. A failure of the same item at the same asset within the template's
``repeat_window_days`` of an earlier failure is reported as urgent (紧急): it was reported before
and is back. Refusals: ``errors`` (role, assignment, round state) and Django ``ValidationError``
per field (bad values, wrong asset, photos).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jingzhi.assets.models import Asset
from jingzhi.cases.models import Case, Source, Urgency
from jingzhi.cases.reporting import case_report
from jingzhi.cases.selectors import category_by_code, location_of
from jingzhi.core.uploads import uploads_prepare
from jingzhi.geo.coords import CoordSystem
from jingzhi.org.models import Role, User
from jingzhi.org.selectors import user_has_role, user_roles

from .checklists import Template, template_get
from .errors import InspectionForbidden, RoundConflict, RoundNotVisible
from .lifecycle import OPEN_ROUND_STATES, PLANNER_ROLES, SYSTEM, RoundAction, RoundState, round_transition
from .models import Inspection, InspectionPhoto, InspectionResult, InspectionRound, RoundStop
from .scoring import ItemValueError, figure_text, inspection_evaluate
from .selectors import failed_before, round_visible

#: The most assets one round may visit (a day's route).
MAX_STOPS = 100


def _template(code: str, field: str = "template_code") -> Template:
    template = template_get(code)
    if template is None:
        raise ValidationError({field: [_("没有这个检查模板。")]})
    return template


def round_plan(*, planner: User, name: str, template_code: str, date: dt.date, inspector: User,
               assets: Sequence[Asset], note: str = "", now: dt.datetime | None = None) -> InspectionRound:
    """Plan a round (日督查): ``assets`` in route order, all of the template's asset kind."""
    if not user_has_role(user=planner, roles=PLANNER_ROLES):
        raise InspectionForbidden(_("只有精细办工作人员可以安排检查。"))
    template = _template(template_code)
    if not user_has_role(user=inspector, roles=(Role.INSPECTOR,)):
        raise ValidationError({"inspector": [_("检查人员须是监督员。")]})
    if not assets or len(assets) > MAX_STOPS:
        raise ValidationError({"assets": [_("请选择 1 到 %(most)s 个检查点。") % {"most": MAX_STOPS}]})
    if len({asset.pk for asset in assets}) != len(assets):
        raise ValidationError({"assets": [_("检查点不能重复。")]})
    wrong = [asset.name for asset in assets if asset.kind != template.asset_kind]
    if wrong:
        message = _("这些设施不属于本模板的检查对象：%(names)s") % {"names": "、".join(wrong)}
        raise ValidationError({"assets": [message]})
    with transaction.atomic():
        inspection_round = InspectionRound.objects.create(
            name=name, template_code=template.code, date=date, unit=planner.unit, inspector=inspector, note=note,
            planned_by=planner, created_at=now or timezone.now())
        RoundStop.objects.bulk_create(RoundStop(round=inspection_round, asset=asset, order=order)
                                      for order, asset in enumerate(assets, start=1))
    return inspection_round


def _round_move(inspection_round: InspectionRound, action: str, roles) -> None:
    transition = round_transition(state=inspection_round.state, action=action, roles=roles)
    if transition is None:
        raise RoundConflict(_("检查轮次当前状态为“%(state)s”，不能%(action)s。") % {
            "state": RoundState(inspection_round.state).label, "action": RoundAction(action).label})
    inspection_round.state = transition.target
    inspection_round.save(update_fields=["state"])


def round_cancel(*, inspection_round: InspectionRound, user: User) -> InspectionRound:
    """The office cancels a round that is not done (its inspections so far are kept)."""
    if not round_visible(inspection_round=inspection_round, user=user):
        raise RoundNotVisible(_("没有这个检查轮次。"))
    if not user_has_role(user=user, roles=PLANNER_ROLES):
        raise InspectionForbidden(_("只有精细办工作人员可以取消检查轮次。"))
    with transaction.atomic():
        locked = InspectionRound.objects.select_for_update().get(pk=inspection_round.pk)
        _round_move(locked, RoundAction.CANCEL, user_roles(user=user))
    return locked


def _round_check(*, inspection_round: InspectionRound, inspector: User, template: Template,
                 asset: Asset | None) -> None:
    if inspection_round.inspector_id != inspector.pk:
        raise RoundNotVisible(_("没有这个检查轮次。"))
    if inspection_round.state not in OPEN_ROUND_STATES:
        raise RoundConflict(_("检查轮次当前状态为“%(state)s”，不能再提交检查。") % {
            "state": RoundState(inspection_round.state).label})
    if inspection_round.template_code != template.code:
        raise ValidationError({"template_code": [_("本轮次使用的是另一个检查模板。")]})
    if asset is None or not inspection_round.stops.filter(asset=asset).exists():
        raise ValidationError({"asset": [_("请选择本轮次的检查点。")]})
    if inspection_round.inspections.filter(asset=asset).exists():
        raise RoundConflict(_("本轮次已检查过这个检查点。"))


def _evaluate(template: Template, values: Mapping, attributes: Mapping):
    try:
        return inspection_evaluate(template, values, attributes=attributes)
    except ItemValueError as error:
        raise ValidationError({error.field: [error.message]}) from None


def _photos_prepare(template: Template, photos: Mapping[str, Sequence]) -> dict[str, list]:
    """Check and clean every photo before the transaction opens (``core.uploads``)."""
    codes = {item.code for item in template.items}
    unknown = sorted(set(photos) - codes)
    if unknown:
        raise ValidationError({"photos": [_("模板中没有这些检查项：%(codes)s") % {"codes": "、".join(unknown)}]})
    pairs = [(code, upload) for code, uploads in photos.items() for upload in uploads if upload]
    grouped: dict[str, list] = {}
    for (code, _upload), ready in zip(pairs, uploads_prepare([(f"photo_{code}", u) for code, u in pairs])):
        grouped.setdefault(code, []).append(ready)
    return grouped


def inspection_submit(*, inspector: User, template_code: str, values: Mapping, asset: Asset | None = None,
                      inspection_round: InspectionRound | None = None, lon: float | None = None,
                      lat: float | None = None, started_at: dt.datetime | None = None, note: str = "",
                      photos: Mapping[str, Sequence] | None = None, now: dt.datetime | None = None) -> Inspection:
    """Score and keep one inspection, and report each failed item as a case on the asset.

    ``values``: item code → recorded value (see ``scoring``); ``photos``: item code → uploads.
    ``lon``/``lat``: the inspector's WGS84 position (required when there is no asset).
    """
    now = now or timezone.now()
    if not user_has_role(user=inspector, roles=(Role.INSPECTOR,)):
        raise InspectionForbidden(_("只有监督员可以提交检查。"))
    template = _template(template_code)
    if inspection_round is not None:
        _round_check(inspection_round=inspection_round, inspector=inspector, template=template, asset=asset)
    if asset is not None and asset.kind != template.asset_kind:
        raise ValidationError({"asset": [_("这个设施不属于本模板的检查对象。")]})
    if asset is None and (lon is None or lat is None):
        raise ValidationError({"lon": [_("临时检查须提供位置（使用我的位置）。")]})
    evaluation = _evaluate(template, values, asset.attributes if asset else {})
    place = (float(asset.lon), float(asset.lat)) if asset is not None else (lon, lat)
    location = location_of(lon=place[0], lat=place[1], coord_system=CoordSystem.WGS84)
    if lon is not None and lat is not None and asset is not None:
        location_of(lon=lon, lat=lat, coord_system=CoordSystem.WGS84)  # the inspector's position is checked too
    prepared = _photos_prepare(template, photos or {})
    uploads = {code: [upload for upload in ups if upload] for code, ups in (photos or {}).items()}
    with transaction.atomic():
        inspection = Inspection.objects.create(
            round=inspection_round, template_code=template.code, template_version=template.version, asset=asset,
            inspector=inspector, lon=lon, lat=lat, district=location.district, started_at=started_at or now,
            submitted_at=now, score=evaluation.score, passed=evaluation.passed, note=note)
        for outcome in evaluation.items:
            item = template.item(outcome.code)
            result = InspectionResult.objects.create(
                inspection=inspection, item_code=item.code, label=item.label, value=values.get(item.code),
                figure=outcome.figure, bound=outcome.bound, unit=item.unit, passed=outcome.passed)
            for ready in prepared.get(item.code, []):
                InspectionPhoto.objects.create(inspection=inspection, result=result, image=ready.file(),
                                               thumbnail=ready.thumbnail_file() or "", created_at=now)
        inspection_cases_report(inspection=inspection, template=template, photos=uploads, now=now)
        if inspection_round is not None:
            _round_progress(inspection_round)
    return inspection


def _round_progress(inspection_round: InspectionRound) -> None:
    """Start the round with its first inspection; finish it when every stop has one."""
    locked = InspectionRound.objects.select_for_update().get(pk=inspection_round.pk)
    remaining = locked.stops.exclude(asset__in=locked.inspections.values("asset")).exists()
    if not remaining:
        _round_move(locked, RoundAction.FINISH, {SYSTEM})
    elif locked.state == RoundState.PLANNED:
        _round_move(locked, RoundAction.START, {SYSTEM})
    inspection_round.state = locked.state


def _description(template: Template, result: InspectionResult, asset: Asset | None) -> str:
    where = f"{asset.name}（{asset.code}）" if asset else ""
    text = _("%(template)s：%(where)s“%(label)s”不合格") % {"template": template.name, "where": where,
                                                          "label": result.label}
    if result.figure is not None:
        text += _("（测得 %(figure)s%(unit)s，限值 %(bound)s%(unit)s）") % {
            "figure": figure_text(result.figure), "bound": figure_text(result.bound), "unit": result.unit}
    return text + "。"


def inspection_cases_report(*, inspection: Inspection, template: Template | None = None,
                            photos: Mapping[str, Sequence] | None = None,
                            now: dt.datetime | None = None) -> list[Case]:
    """Report a case for every failed item of ``inspection`` that has none yet (so running it again
    reports nothing twice), through ``case_report``: on the asset, at the asset's point (else the
    inspection's), category from the item, urgent when the item failed at this asset within the
    template's repeat window before. ``photos``: item code → uploads, kept as the case's photos."""
    template = template or template_get(inspection.template_code)
    asset = inspection.asset
    place = (float(asset.lon), float(asset.lat)) if asset else (inspection.lon, inspection.lat)
    cases = []
    for result in inspection.results.filter(passed=False, case__isnull=True).order_by("id"):
        item = template.item(result.item_code)
        repeat = asset is not None and failed_before(
            asset=asset, template_code=template.code, item_code=item.code, before=inspection.submitted_at,
            days=template.repeat_window_days, exclude=inspection)
        category = category_by_code(item.category)
        if category is None:
            raise ValidationError({"results": [_("案件类别 %(code)s 不在分类目录中。") % {"code": item.category}]})
        case = case_report(
            reporter=inspection.inspector, source=Source.INSPECTION_FAILURE, category=category,
            description=_description(template, result, asset), lon=place[0], lat=place[1],
            urgency=Urgency.URGENT if repeat else Urgency.NORMAL, address=asset.name if asset else "",
            photos=(photos or {}).get(item.code, ()), asset=asset, now=now or inspection.submitted_at)
        result.case = case
        result.save(update_fields=["case"])
        cases.append(case)
    return cases
