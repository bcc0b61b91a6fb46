"""Reads of the inspections, scoped by role and unit (``org.selectors``), and the figures other
apps read: inspections of a template in a window, 以克论净 compliance per road and lane class, and
the mean inspection score per district (the assessment's term source, ``apps``).

Scoping: the plan office, leaders and the platform admin read everything; an inspector reads the
rounds assigned to them and their own inspections; other staff read the rounds of their unit (or
below) and the inspections in their district (or below).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Avg, Count, Q, QuerySet
from django.urls import reverse

from jingzhi.assets.models import Asset, AssetStatus
from jingzhi.org.models import Role, User
from jingzhi.org.selectors import user_has_role, user_reads_everything, user_unit_ids

from .checklists import templates_all
from .models import Inspection, InspectionPhoto, InspectionResult, InspectionRound, RoundStop

DUST_TEMPLATE = "dust_sampling"


def rounds_visible(*, user: User) -> QuerySet[InspectionRound]:
    rounds = InspectionRound.objects.select_related("inspector", "unit")
    if user_reads_everything(user=user):
        return rounds
    if user_has_role(user=user, roles=(Role.INSPECTOR,)):
        return rounds.filter(Q(inspector=user) | Q(unit__in=user_unit_ids(user=user)))
    return rounds.filter(unit__in=user_unit_ids(user=user))


def round_visible(*, inspection_round: InspectionRound, user: User) -> bool:
    return rounds_visible(user=user).filter(pk=inspection_round.pk).exists()


def inspections_visible(*, user: User) -> QuerySet[Inspection]:
    inspections = Inspection.objects.select_related("asset", "inspector", "district", "round")
    if user_reads_everything(user=user):
        return inspections
    units = user_unit_ids(user=user)
    mine = Q(district__in=units) | Q(round__unit__in=units)
    if user_has_role(user=user, roles=(Role.INSPECTOR,)):
        mine |= Q(inspector=user)
    return inspections.filter(mine)


def photos_visible(*, user: User) -> QuerySet[InspectionPhoto]:
    return InspectionPhoto.objects.filter(inspection__in=inspections_visible(user=user).values("pk"))


def inspectors_to_assign() -> QuerySet[User]:
    """The 监督员 a round may be given to, by name."""
    return User.objects.filter(role_grants__role=Role.INSPECTOR, is_active=True).order_by("display_name", "username")


@dataclass(frozen=True)
class Stop:
    order: int
    asset: Asset
    inspection: Inspection | None


def round_stops(*, inspection_round: InspectionRound) -> list[Stop]:
    """The round's route in order, each stop with its inspection if it has one (its progress)."""
    done = {inspection.asset_id: inspection for inspection in inspection_round.inspections.all()}
    return [Stop(order=stop.order, asset=stop.asset, inspection=done.get(stop.asset_id))
            for stop in RoundStop.objects.filter(round=inspection_round).select_related("asset")]


def rounds_with_progress(rounds: QuerySet[InspectionRound]) -> QuerySet[InspectionRound]:
    """Each round with ``stop_count`` and ``done_count`` (stops inspected), for the round list."""
    return rounds.annotate(stop_count=Count("stops", distinct=True),
                           done_count=Count("inspections", distinct=True))


def failed_before(*, asset: Asset, template_code: str, item_code: str, before: dt.datetime, days: int,
                  exclude: Inspection | None = None) -> bool:
    """Whether the item failed at the asset in the ``days`` before ``before`` (a repeat failure)."""
    results = InspectionResult.objects.filter(
        passed=False, item_code=item_code, inspection__asset=asset, inspection__template_code=template_code,
        inspection__submitted_at__gte=before - dt.timedelta(days=days), inspection__submitted_at__lte=before)
    if exclude is not None:
        results = results.exclude(inspection=exclude)
    return results.exists()


def inspections_between(*, template: str, start: dt.date, end: dt.date, district=None) -> QuerySet[Inspection]:
    """The submitted inspections of ``template`` from ``start`` to ``end`` (local dates, both
    inclusive), optionally of one district (a Unit or its id), oldest first."""
    inspections = Inspection.objects.filter(template_code=template, submitted_at__date__gte=start,
                                            submitted_at__date__lte=end)
    if district is not None:
        inspections = inspections.filter(district=district)
    return inspections.select_related("asset", "district").order_by("submitted_at", "id")


@dataclass(frozen=True)
class LaneDust:
    figure: Decimal  # the aggregate g/m² of the lane class's sample points
    bound: Decimal  # the limit for this road's class
    passed: bool


@dataclass(frozen=True)
class RoadDust:
    """以克论净 of one road: its latest dust inspection in the window, per lane class."""

    asset_id: int
    name: str
    road_class: str
    district_id: int | None
    inspection_id: int
    submitted_at: dt.datetime
    lanes: dict[str, LaneDust]  # lane item code (fast_lane, slow_lane, sidewalk) → figure

    @property
    def passed(self) -> bool:
        return all(lane.passed for lane in self.lanes.values())


def dust_compliance_by_lane(*, start: dt.date, end: dt.date, district=None) -> list[RoadDust]:
    """Per road inspected for 以克论净 from ``start`` to ``end`` (inclusive), the latest inspection's
    aggregate per lane class against its limit (lane classes the road lacks are absent)."""
    latest = {}
    for inspection in inspections_between(template=DUST_TEMPLATE, start=start, end=end, district=district) \
            .filter(asset__isnull=False):
        latest[inspection.asset_id] = inspection  # oldest first: the last one wins
    results = InspectionResult.objects.filter(inspection__in=latest.values(), passed__isnull=False)
    lanes: dict[int, dict[str, LaneDust]] = {}
    for result in results:
        lanes.setdefault(result.inspection_id, {})[result.item_code] = LaneDust(
            figure=result.figure, bound=result.bound, passed=result.passed)
    return [RoadDust(asset_id=inspection.asset_id, name=inspection.asset.name,
                     road_class=str(inspection.asset.attributes.get("road_class", "")),
                     district_id=inspection.district_id, inspection_id=inspection.pk,
                     submitted_at=inspection.submitted_at, lanes=lanes.get(inspection.pk, {}))
            for inspection in latest.values()]


def district_inspections(*, start: dt.date, end: dt.date, district=None) -> QuerySet[Inspection]:
    """The inspections located in a district (a Unit or its id; any district when None) submitted from
    ``start`` to ``end`` (local dates, inclusive): what a district's inspection score is the mean of."""
    inspections = Inspection.objects.filter(submitted_at__date__gte=start, submitted_at__date__lte=end,
                                            district__isnull=False)
    return inspections if district is None else inspections.filter(district=district)


def district_inspection_scores(*, start: dt.date, end: dt.date, template: str | None = None) -> dict[int, float]:
    """{district unit id: mean score of its inspections from ``start`` to ``end`` (inclusive)}, of one
    template or of all; districts without an inspection are absent."""
    inspections = district_inspections(start=start, end=end)
    if template:
        inspections = inspections.filter(template_code=template)
    return {row["district"]: float(row["mean"])
            for row in inspections.values("district").annotate(mean=Avg("score")).order_by()}


def district_score_source(*, kind: str, start: dt.date, end: dt.date) -> dict[int, float]:
    """The assessment's term source ``inspections.district_score`` over [start, end): districts only."""
    if kind != "district":
        return {}
    return district_inspection_scores(start=start, end=end - dt.timedelta(days=1))


def district_score_records_url(*, unit_id: int, start: dt.date, end: dt.date) -> str:
    """The records page of the inspections behind a district's score over [start, end)."""
    query = {"district": unit_id, "start": start.isoformat(), "end": (end - dt.timedelta(days=1)).isoformat()}
    return f"{reverse('inspections:records')}?{urlencode(query)}"


def assets_to_inspect(*, template: str) -> QuerySet[Asset]:
    """The active assets a template is about (for planning a round), by name."""
    kind = templates_all()[template].asset_kind
    return Asset.objects.filter(kind=kind, status=AssetStatus.ACTIVE).order_by("name", "code")

