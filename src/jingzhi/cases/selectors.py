"""Read-side rules of the case loop: who sees which cases, the queues, filters, suggestions.

Scoping (``cases_visible_to``) is the one place that says what a user may read:
command-centre roles (受理员, 值班长, 派遣员) and global readers (leaders, admins) see all;
a department sees the cases dispatched to its unit (or units below it); a district, street
or community sees the cases located in its area; an inspector sees their own reports and the
tasks sent to them; a citizen sees their own reports.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import BooleanField, Count, Exists, F, OuterRef, Q, QuerySet, When
from django.db.models import Case as Cond
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jingzhi.geo.models import DutyKind
from jingzhi.geo.selectors import Location, locate_point
from jingzhi.geo.spatial import metres_per_degree
from jingzhi.org.models import Role, Unit, UnitKind, User
from jingzhi.org.privacy import mask_name
from jingzhi.org.selectors import user_reads_everything, user_roles, user_unit_ids

from .calendar import WorkingCalendar, calendar_with_days
from .models import (
    DEPARTMENT_STATES,
    PUBLIC_SOURCES,
    CalendarDay,
    Case,
    CaseEvent,
    CaseFollower,
    CasePhoto,
    Category,
    CategoryClass,
    CategoryKind,
    DepartmentRule,
    Notification,
    OnSiteStep,
    Satisfaction,
)
from .plan_sources import cases_measured
from .rules import states_worked_by
from .workflow import OPEN_STATES, CaseAction, Stage, State

COMMAND_CENTRE_ROLES = frozenset({Role.INTAKE_OPERATOR, Role.SHIFT_CHIEF, Role.DISPATCHER})
#: Roles that see cases dispatched to their own unit.
UNIT_ROLES = frozenset({Role.HANDLER, Role.UNIT_REPORTER})
AREA_UNIT_KINDS = frozenset({UnitKind.DISTRICT, UnitKind.SUBDISTRICT, UnitKind.COMMUNITY})


def location_of(*, lon: float, lat: float, coord_system: str) -> Location:
    """The routed location of a report; refuses points outside the service area."""
    try:
        location = locate_point(lon=lon, lat=lat, coord_system=coord_system)
    except ValueError:
        raise ValidationError({"lon": [_("坐标无效。")]}) from None
    if not location.inside:
        raise ValidationError({"lon": [_("该位置不在本市服务范围内。")]})
    return location


def category_by_code(code: str) -> Category | None:
    """A small class by its code with the kind letter, as in case numbers (C0101, E0501)."""
    kind = {"C": CategoryKind.COMPONENT, "E": CategoryKind.EVENT}.get(code[:1].upper())
    if kind is None:
        return None
    # The department unit too: reporting suggests it as the department (no extra query).
    return (Category.objects.select_related("category_class", "department_unit")
            .filter(category_class__kind=kind, code=code[1:]).first())


def department_suggest(*, category: Category, location: Location) -> Unit | None:
    """The department the category's rule points to at this place (fallback: the category's unit)."""
    if category.department_rule == DepartmentRule.DISTRICT:
        return location.district or category.department_unit
    if category.department_rule == DepartmentRule.ROAD_MAINTAINER:
        return location.responsible_units.get(DutyKind.ROAD_MAINTAINER) or category.department_unit
    return category.department_unit


def user_reads_all_cases(user: User) -> bool:
    return user_reads_everything(user=user) or bool(user_roles(user=user) & COMMAND_CENTRE_ROLES)


def user_sees_contact(*, user: User, case: Case) -> bool:
    """Reporters' names and phones are for the command centre (call-backs) and the reporter."""
    return bool(user_roles(user=user) & COMMAND_CENTRE_ROLES) or case.reporter_id == user.pk


def event_actor_name(*, event: CaseEvent, user: User) -> str:
    """Who acted, as ``user`` may see it: a citizen's name (reporting, 回访评价) is personal
    data, masked like the reporter's contact; staff act under their own names."""
    if not event.actor_id:
        return ""
    name = str(event.actor)
    if event.actor_role == Role.CITIZEN and not user_sees_contact(user=user, case=event.case):
        return mask_name(name)
    return name


def cases_visible_to(user: User) -> QuerySet[Case]:
    cases = Case.objects.all()
    if user_reads_all_cases(user):
        return cases
    roles = user_roles(user=user)
    conditions = []
    units = user_unit_ids(user=user)
    if units and roles & UNIT_ROLES:
        conditions.append(Q(department_id__in=units))
        if user.unit.kind in AREA_UNIT_KINDS:
            conditions += [Q(district_id__in=units), Q(subdistrict_id__in=units)]
    if Role.INSPECTOR in roles:
        conditions += [Q(reporter=user), Q(inspector=user)]
    if Role.CITIZEN in roles:
        conditions.append(Q(reporter=user))
    if not conditions:
        return cases.none()
    return cases.filter(reduce(or_, conditions))


def photos_visible_to(user: User) -> QuerySet[CasePhoto]:
    """Photos of the cases ``user`` may see: the only way a photo file is served."""
    return CasePhoto.objects.filter(case__in=cases_visible_to(user))


def cases_with_related(cases: QuerySet[Case]) -> QuerySet[Case]:
    """What a case list shows. Kept to few joins: at a million cases the planner's time for a
    wide join is a large part of a work-list query."""
    return cases.select_related("category__category_class", "district", "subdistrict", "department")


def cases_queue(*, user: User, role: str) -> QuerySet[Case]:
    """A command-centre role's queue: cases waiting for it, nearest deadline first, then the
    untimed ones (suspended cases) oldest first."""
    return cases_with_related(cases_visible_to(user).filter(state__in=states_worked_by(role))) \
        .select_related("suggested_department").order_by(F("stage_deadline").asc(nulls_last=True), "created_at", "id")


def cases_worklist(*, user: User) -> QuerySet[Case]:
    """A department's work list: cases with its units, overdue (earliest deadline) first."""
    cases = Case.objects.filter(department_id__in=user_unit_ids(user=user), state__in=DEPARTMENT_STATES)
    return cases_with_related(cases).order_by(F("stage_deadline").asc(nulls_last=True), "id")


def cases_inspector_tasks(*, user: User) -> QuerySet[Case]:
    return cases_with_related(Case.objects.filter(inspector=user, state__in=states_worked_by(Role.INSPECTOR))) \
        .order_by(F("stage_deadline").asc(nulls_last=True), "created_at")


def cases_reported_by(*, user: User) -> QuerySet[Case]:
    """An inspector's (or a citizen's) own reports, newest first: "我的上报"."""
    return cases_with_related(Case.objects.filter(reporter=user)).order_by("-created_at", "-id")


def overdue_condition(*, now: dt.datetime) -> Q:
    """The one definition of an overdue case: its running stage passed its deadline, or, in the
    handle stage, an on-site step (e.g. a 双十 arrival) passed its due time with nobody arrived.

    A missed arrival is late before the stage's own limit is; the escalation job, the list
    filter, the overview and the API's ``overdue`` all read this, so a case escalated for it
    shows as overdue everywhere. A stopped clock (no stage: 挂账, finished) is never late."""
    late_step = OnSiteStep.objects.filter(case=OuterRef("pk"), arrived_at__isnull=True, due_at__lt=now)
    return Q(stage_deadline__lt=now) | (Q(stage=Stage.HANDLE) & Exists(late_step))


def cases_with_overdue(cases: QuerySet[Case], *, now: dt.datetime) -> QuerySet[Case]:
    """``cases`` with ``overdue`` (``overdue_condition`` at ``now``) read along, for answers per case."""
    return cases.annotate(overdue=Cond(When(overdue_condition(now=now), then=True), default=False,
                                       output_field=BooleanField()))


def cases_overdue(cases: QuerySet[Case], *, now: dt.datetime) -> QuerySet[Case]:
    """Overdue cases (``overdue_condition``), the earliest stage deadline first."""
    return cases.filter(overdue_condition(now=now)).order_by("stage_deadline", "id")


def cases_dissatisfied(cases: QuerySet[Case]) -> QuerySet[Case]:
    """Closed cases whose reporter was 不满意 at the 回访: the 值班长 decides on reopening."""
    return cases.filter(state=State.CLOSED, satisfaction=Satisfaction.DISSATISFIED).order_by("-closed_at", "-id")


def cases_awaiting_call_back(cases: QuerySet[Case]) -> QuerySet[Case]:
    """Closed public reports nobody has rated yet: the 受理员's 回访 list, longest waiting first.
    Hotline callers are rung back; a citizen who has not rated in the app may be too."""
    return cases_with_related(cases.filter(state=State.CLOSED, source__in=PUBLIC_SOURCES, satisfaction="")) \
        .order_by("closed_at", "id")


def cases_escalated(cases: QuerySet[Case]) -> QuerySet[Case]:
    return cases.filter(escalated_at__isnull=False, stage_deadline__isnull=False).order_by("escalated_at", "id")


class Handling(models.TextChoices):
    """Whether a case's 处置反馈 came within the handle stage's limit (``CaseEvent.done_in_time``)."""

    IN_TIME = "in_time", gettext_lazy("按期处置")
    LATE = "late", gettext_lazy("超期处置")


#: A 处置反馈 event whose stage clock was running (``handle_events``).
TIMED_HANDLE = Q(action=CaseAction.HANDLE, done_in_time__isnull=False)


def handle_events(*, date_from: dt.date | None = None, date_to: dt.date | None = None) -> QuerySet[CaseEvent]:
    """处置反馈 events whose stage clock was running (their ``done_in_time`` says if they were on
    time), reported between the two local dates. The one definition the case search and the
    dashboards' 按期处置率 share."""
    events = CaseEvent.objects.filter(TIMED_HANDLE)
    if date_from:
        events = events.filter(created_at__date__gte=date_from)
    if date_to:
        events = events.filter(created_at__date__lte=date_to)
    return events


def cases_filter(cases: QuerySet[Case], *, now: dt.datetime, state: str = "", category: Category | None = None,
                 district: Unit | None = None, grid: str = "", source: str = "", overdue: bool = False,
                 date_from: dt.date | None = None, date_to: dt.date | None = None, q: str = "",
                 department: Unit | None = None, open: bool = False, handled_from: dt.date | None = None,
                 handled_to: dt.date | None = None, handling: str = "", measure: str = "",
                 measure_outcome: str = "") -> QuerySet[Case]:
    """Apply the search filters of the case list, the API and the Excel export.

    ``handled_from``/``handled_to``/``handling`` keep the cases with a timed 处置反馈 in those days
    (``handle_events``); ``handling`` ``late`` those with a late one among them, ``in_time`` the rest."""
    if measure:
        cases = cases_measured(cases, key=measure, outcome=measure_outcome, now=now)
    if state:
        cases = cases.filter(state=state)
    if category is not None:
        cases = cases.filter(category=category)
    if district is not None:
        cases = cases.filter(district=district)
    if department is not None:
        cases = cases.filter(department=department)
    if grid:
        cases = cases.filter(grid_code__startswith=grid)
    if source:
        cases = cases.filter(source=source)
    if overdue:
        cases = cases.filter(overdue_condition(now=now))
    if date_from:
        cases = cases.filter(created_at__date__gte=date_from)
    if date_to:
        cases = cases.filter(created_at__date__lte=date_to)
    if q:
        cases = cases.filter(Q(number__startswith=q.upper()) | Q(description__contains=q) | Q(address__contains=q))
    if open:
        cases = cases.filter(state__in=OPEN_STATES)
    if handled_from or handled_to or handling:
        events = handle_events(date_from=handled_from, date_to=handled_to).filter(case=OuterRef("pk"))
        late = events.filter(done_in_time=False)
        if handling == Handling.LATE:
            cases = cases.filter(Exists(late))
        elif handling == Handling.IN_TIME:
            cases = cases.filter(Exists(events)).exclude(Exists(late))
        else:
            cases = cases.filter(Exists(events))
    return cases


def case_state_counts(cases: QuerySet[Case]) -> dict[str, int]:
    counts = dict(cases.order_by().values("state").annotate(n=Count("id")).values_list("state", "n"))
    return {state: counts.get(state, 0) for state in State.values}


def working_calendar() -> WorkingCalendar:
    """The calendar in force: the data file plus the admin's day overrides (``CalendarDay``)."""
    return calendar_with_days(CalendarDay.objects.values_list("date", "is_workday"))


def users_with_role(role: str, *, unit_id: int | None = None) -> list[User]:
    """The active holders of ``role`` (of one unit if given): whom a notice goes to."""
    users = User.objects.filter(role_grants__role=role, is_active=True)
    return list(users.filter(unit_id=unit_id) if unit_id is not None else users)


def inspectors() -> QuerySet[User]:
    return User.objects.filter(role_grants__role=Role.INSPECTOR, is_active=True).order_by("username")


def dispatch_units() -> QuerySet[Unit]:
    """The units a case may be dispatched to (处置部门): every unit but the 社区.

    A community is a residents' self-governing body, not a handling department; street-level
    work goes to its 办事处 or district. The only statement of the rule: the dispatch console
    and the action form list these units, the API accepts only these, and ``services`` refuses
    any other unit whoever calls it."""
    return Unit.objects.exclude(kind=UnitKind.COMMUNITY).order_by("kind", "code", "name")


def categories_grouped() -> list[tuple[CategoryClass, list[Category]]]:
    """Every 大类 with its 小类, in catalogue order: the report form's grouped category picker."""
    groups: dict[int, tuple[CategoryClass, list[Category]]] = {}
    for category in Category.objects.select_related("category_class").order_by("category_class__kind",
                                                                                "category_class__code", "code"):
        groups.setdefault(category.category_class_id, (category.category_class, []))[1].append(category)
    return list(groups.values())


# ── duplicates and followers ────────────────────────────────────────────────────────────

#: The most duplicate candidates shown for one report (the nearest ones).
DUPLICATE_CANDIDATES_MAX = 10


@dataclass(frozen=True)
class DuplicateCandidate:
    case: Case
    distance_m: float


def distance_m(*, lon: float, lat: float, to_lon: float, to_lat: float) -> float:
    """Metres between two nearby WGS84 points, on the plane tangent at their mean latitude (at a
    few kilometres the error is far below a metre, like the routing's own scale)."""
    per_lon, per_lat = metres_per_degree((lat + to_lat) / 2)
    return float(((to_lon - lon) * per_lon) ** 2 + ((to_lat - lat) * per_lat) ** 2) ** 0.5


def duplicate_candidates(*, category: Category, lon: float, lat: float, exclude_id: int | None = None,
                         limit: int = DUPLICATE_CANDIDATES_MAX) -> list[DuplicateCandidate]:
    """Open cases of ``category`` within its ``duplicate_radius_m`` of a WGS84 point, nearest
    first: what a reporter is shown before sending ("我也遇到了") and the 受理员 beside a new
    report (合并重复). A bounding box in SQL, the exact distance here."""
    radius = category.duplicate_radius_m
    per_lon, per_lat = metres_per_degree(lat)
    span_lon, span_lat = radius / float(per_lon), radius / float(per_lat)
    cases = (Case.objects.filter(category=category, state__in=OPEN_STATES, lon__range=(lon - span_lon, lon + span_lon),
                                 lat__range=(lat - span_lat, lat + span_lat))
             .select_related("category__category_class").order_by("id"))
    if exclude_id is not None:
        cases = cases.exclude(pk=exclude_id)
    found = [DuplicateCandidate(case=case, distance_m=distance_m(lon=lon, lat=lat, to_lon=case.lon, to_lat=case.lat))
             for case in cases[:500]]
    found = sorted((c for c in found if c.distance_m <= radius), key=lambda c: (c.distance_m, c.case.pk))
    return found[:limit]


def case_followers(case: Case) -> list[User]:
    """The active users following ``case`` (whom its public milestones are told)."""
    return [follower.user for follower in CaseFollower.objects.filter(case=case, user__is_active=True)
            .select_related("user")]


def cases_followed_by(*, user: User) -> QuerySet[Case]:
    """The cases ``user`` follows, most recently followed first (their 我的上报 lists them)."""
    return cases_with_related(Case.objects.filter(followers__user=user)).order_by("-followers__created_at", "-id")


def user_follows(*, user: User, case: Case) -> bool:
    return user.is_authenticated and CaseFollower.objects.filter(case=case, user=user).exists()


def notifications_of(user: User) -> QuerySet[Notification]:
    """A user's own inbox, newest first (index ``notification_inbox``): nobody reads, or marks,
    another's notifications, so every inbox page and API call starts here."""
    return Notification.objects.filter(recipient=user).select_related("case").order_by("-created_at", "-id")


def notifications_unread_count(user: User) -> int:
    """The header's count: one indexed count (``notification_unread``)."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
