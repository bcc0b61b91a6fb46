"""Demo of the case loop: the catalogue, case-role logins and a realistic month of cases.

Cases are generated through the same services as real use (``case_report``, ``case_act``),
with explicit times, so every case has a proper history and stage deadlines. A seeded random
walk decides each case's fate: most are closed, some rejected, merged or voided, some returned
and re-dispatched, some failed verification and were reworked, some postponed or suspended,
and the recent ones are still open — several of them overdue, then escalated by the job.
Idempotent: a second run loads nothing new.
"""
from __future__ import annotations

import datetime as dt
import io
import random
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from jingzhi.geo.demo import CENTRAL_BBOX
from jingzhi.geo.selectors import locate_points
from jingzhi.geo.spatial import metres_per_degree
from jingzhi.org.demo import demo_user_create, print_logins
from jingzhi.org.models import Role, Unit, User

from .acting import case_act
from .catalogue import catalogue_load
from .demo_history import VOLUMES, plan_year_cases_write
from .errors import CaseActionError
from .escalation import cases_escalate_overdue
from .models import PUBLIC_SOURCES, Case, Category, RejectReason, Satisfaction, Source
from .reporting import case_report
from .selectors import department_suggest
from .workflow import CaseAction, State

CASE_COUNT = 900
DAYS = 30
#: Cases reported in the last days stop at a random step: the open work of the command centre.
RECENT_DAYS = 3
#: Recent cases stop after 0, 1, … RECENT_BUDGETS - 1 steps in turn.
RECENT_BUDGETS = 10
#: One older case in so many stalls the same way: the overdue backlog the escalation job finds.
STALLED_EVERY = 25
SEED = 2018

#: Case-role logins: (username, display name, unit, roles).
STAFF = [
    ("inspector1", "监督员 孙磊", "金水区", (Role.INSPECTOR,)),
    ("inspector2", "监督员 周敏", "二七区", (Role.INSPECTOR,)),
    ("intake", "受理员 吴芳", "市城管局", (Role.INTAKE_OPERATOR,)),
    ("chief", "值班长 郑刚", "市城管局", (Role.SHIFT_CHIEF,)),
    ("dispatcher", "派遣员 冯洁", "市城管局", (Role.DISPATCHER,)),
    ("citizen", "市民 王小明", None, (Role.CITIZEN,)),
]
#: One handler login per department the demo dispatches to.
HANDLERS = {
    "市城管局": "h_cgj", "金水区": "h_jinshui", "中原区": "h_zhongyuan", "二七区": "h_erqi",
    "管城回族区": "h_guancheng", "惠济区": "h_huiji", "市园林局": "h_yuanlin", "市交警支队": "h_jiaojing",
    "市交通委": "h_jiaotong", "市供电公司": "h_gongdian", "市公安局": "h_gongan", "市城建委": "h_chengjian",
    "市水务局": "h_shuiwu", "郑州市自来水投资控股有限公司": "h_water", "郑州市华润燃气股份有限公司": "h_gas",
    "郑州市热力总公司": "h_heat",
}
CALLERS = ["王先生", "李女士", "张先生", "刘女士", "陈先生", "杨女士", "赵先生", "黄女士"]
#: Problems reported most often get more weight (street order, garbage, parking, lights).
#: Citizens' reports of problems already reported, a few tens of metres from an open case of the same small
#: class and left 待受理: the intake page's 疑似重复 and the portal's "我也遇到了" have something to show.
DUPLICATE_REPORTS = 4
COMMON = {"0501", "0102", "0505", "0506", "0504", "0201", "0103", "0109", "0302"}


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (90, 140, 90)).save(buffer, format="JPEG")
    return buffer.getvalue()


@dataclass
class Cast:
    inspectors: list[User]
    intake: User
    chief: User
    dispatcher: User
    citizen: User
    handlers: dict[int, User]  # department unit id -> handler


def _staff_rows() -> list[tuple]:
    rows = list(STAFF)
    for unit_name, username in HANDLERS.items():
        if Unit.objects.filter(name=unit_name).exists():
            rows.append((username, f"{unit_name} 处置员", unit_name, (Role.HANDLER,)))
    return rows


def _logins_print(stdout, rows) -> None:
    stdout.write("案件演示账号 / case-role demo logins:")
    print_logins(stdout, rows)


def _staff_create(stdout) -> Cast:
    rows = _staff_rows()
    users = {row[0]: demo_user_create(*row) for row in rows}
    _logins_print(stdout, rows)
    return Cast(
        inspectors=[users["inspector1"], users["inspector2"]], intake=users["intake"], chief=users["chief"],
        dispatcher=users["dispatcher"], citizen=users["citizen"],
        handlers={users[row[0]].unit_id: users[row[0]] for row in rows if Role.HANDLER in row[3]},
    )


def _places(rng: random.Random, count: int):
    """Random routed points inside the demo's gridded districts."""
    west, south, east, north = CENTRAL_BBOX
    points = [(rng.uniform(west, east), rng.uniform(south, north)) for _ in range(count * 3)]
    return [loc for loc in locate_points(points=points) if loc.inside and loc.grid_code][:count]


class _Odds:
    """The demo's dice, loaded so that every fate shows up even in a small run: a fate whose
    action has not happened yet is taken at its first chance, later ones follow their odds."""

    def __init__(self, rng: random.Random):
        self.rng, self.seen = rng, set()

    def chance(self, action: str, probability: float) -> bool:
        return action not in self.seen or self.rng.random() < probability


class _Walk:
    """One case's history: each step happens some minutes after the previous one, unless that
    would be after ``now`` or the case's ``budget`` of steps is spent — then the case stays where
    it is (still open, maybe overdue). Recent cases and a few stalled older ones get a budget."""

    def __init__(self, *, case: Case, at: dt.datetime, now: dt.datetime, cast: Cast, odds: _Odds,
                 budget: int | None):
        self.case, self.at, self.now, self.cast, self.budget = case, at, now, cast, budget
        self.odds, self.rng = odds, odds.rng

    def step(self, action, actor, minutes: tuple[float, float], **params) -> bool:
        moment = self.at + dt.timedelta(minutes=self.rng.uniform(*minutes))
        if moment > self.now or self.budget == 0:
            return False
        if self.budget is not None:
            self.budget -= 1
        self.case = case_act(case=self.case, action=action, actor=actor, now=moment, **params)
        self.at = moment
        self.odds.seen.add(action)
        return True

    def stage_minutes(self, share: tuple[float, float]) -> tuple[float, float]:
        """Minutes until a share of the current stage's time limit (1.0 = exactly on the deadline)."""
        limit = (self.case.stage_deadline - self.at).total_seconds() / 60
        return limit * share[0], limit * share[1]

    def late_or_not(self) -> tuple[float, float]:
        return (1.05, 1.6) if self.rng.random() < 0.15 else (0.1, 0.9)


def _upload(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, _jpeg(), content_type="image/jpeg")


def _photo():
    return [("after", _upload("after.jpg"))]


def _handle(walk: _Walk, handler: User) -> bool:
    steps = list(walk.case.on_site_steps.order_by("order"))
    if steps and steps[0].arrived_at is None:
        if not walk.step(CaseAction.ON_SITE_ARRIVE, handler, walk.stage_minutes((0.1, 0.55))):
            return False
    elif walk.case.state == State.DISPATCHED and not walk.step(CaseAction.RECEIVE, handler, (5, 60)):
        return False
    return walk.step(CaseAction.HANDLE, handler, walk.stage_minutes(walk.late_or_not()), photos=_photo(),
                     comment="已处置")


def _life(walk: _Walk, earlier: list[Case]) -> None:
    """Drive one case as far as its age allows, with the demo's mix of fates."""
    rng, cast, odds = walk.rng, walk.cast, walk.odds
    if walk.case.state == State.SELF_HANDLED:  # 自处理: the 值班长 审核; a refusal takes the normal path
        if odds.chance(CaseAction.SELF_APPROVE, 0.8):
            walk.step(CaseAction.SELF_APPROVE, cast.chief, (5, 60), comment="已现场处置，准予结案")
            return
        if not walk.step(CaseAction.SELF_REFUSE, cast.chief, (5, 60), comment="处置后照片不清晰，按正常流程办理"):
            return
    if odds.chance(CaseAction.REJECT, 0.04):
        walk.step(CaseAction.REJECT, cast.intake, (5, 60), reason=rng.choice([RejectReason.INVALID,
                                                                          RejectReason.OUT_OF_SCOPE]),
                  comment="经核实不属于城市管理问题")
        return
    # The demo drives one case's whole life at a time, so an original must have no steps after
    # the duplicate's report: its history (which records the merge too) stays in time order.
    originals = [case for case in earlier[-50:] if case.updated_at < walk.case.created_at
                 and case.category_id == walk.case.category_id and case.state not in (State.REJECTED, State.VOIDED)]
    if originals and odds.chance(CaseAction.MERGE, 0.02):
        walk.step(CaseAction.MERGE, cast.intake, (5, 60), duplicate_of=rng.choice(originals), comment="重复上报")
        return
    if walk.case.source != Source.INSPECTOR and odds.chance(CaseAction.CONFIRM, 0.3):
        inspector = rng.choice(cast.inspectors)
        if not (walk.step(CaseAction.CONFIRM_ASSIGN, cast.intake, (5, 30), inspector=inspector)
                and walk.step(CaseAction.CONFIRM, inspector, (15, 90), comment="现场确认")):
            return
    if not (walk.step(CaseAction.ACCEPT, cast.intake, (3, 40)) and walk.step(CaseAction.FILE, cast.chief, (3, 30))):
        return
    if odds.chance(CaseAction.VOID, 0.01):
        walk.step(CaseAction.VOID, cast.chief, (5, 60), comment="案件重复立案，作废")
        return
    if not walk.step(CaseAction.DISPATCH, cast.dispatcher, walk.stage_minutes(walk.late_or_not())):
        return
    if odds.chance(CaseAction.RETURN, 0.08):  # wrongly dispatched: the department returns it, the dispatcher re-routes
        wrong = walk.cast.handlers[walk.case.department_id]
        others = [unit for unit in walk.cast.handlers if unit != walk.case.department_id]
        if not (walk.step(CaseAction.RETURN, wrong, (20, 240), comment="不属于本单位职责")
                and walk.step(CaseAction.DISPATCH, cast.dispatcher, (5, 40), department=Unit.objects.get(
                    pk=rng.choice(others)), override_reason="按权属改派")):
            return
    handler = walk.cast.handlers[walk.case.department_id]
    on_site = bool(walk.case.category.on_site_steps)  # 双十 cases are never postponed nor suspended
    if not on_site and odds.chance(CaseAction.POSTPONE_APPROVE, 0.05):
        if walk.step(CaseAction.RECEIVE, handler, (5, 60)) and walk.step(
                CaseAction.POSTPONE_REQUEST, handler, (30, 240), extra_working_days=2, comment="需协调产权单位"):
            walk.step(CaseAction.POSTPONE_APPROVE, cast.dispatcher, (10, 60))
    elif not on_site and odds.chance(CaseAction.SUSPEND_APPROVE, 0.03):
        if walk.step(CaseAction.RECEIVE, handler, (5, 60)) and walk.step(
                CaseAction.SUSPEND_REQUEST, handler, (30, 240), comment="需列入年度维修计划"):
            walk.step(CaseAction.SUSPEND_APPROVE, cast.dispatcher, (10, 60))
        return
    reworks = 1 if odds.chance(CaseAction.REWORK, 0.12) else 0
    inspector = rng.choice(cast.inspectors)
    for attempt in range(reworks + 1):
        if not (_handle(walk, handler)
                and walk.step(CaseAction.VERIFY_ASSIGN, cast.intake, (3, 20), inspector=inspector)):
            return
        if attempt < reworks and not (
                walk.step(CaseAction.VERIFY_FAIL, inspector, walk.stage_minutes((0.2, 0.9)), comment="仍未整改到位")
                and walk.step(CaseAction.REWORK, cast.dispatcher, (5, 40))):
            return
    if (walk.step(CaseAction.VERIFY_PASS, inspector, walk.stage_minutes(walk.late_or_not()))
            and walk.step(CaseAction.CLOSE, cast.chief, (5, 60))):
        _call_back(walk)


def _call_back(walk: _Walk) -> None:
    """回访评价 of most public reports; a few 不满意 ones are reopened by the 值班长."""
    rng, cast, odds = walk.rng, walk.cast, walk.odds
    if walk.case.source not in PUBLIC_SOURCES or not odds.chance(CaseAction.EVALUATE, 0.7):
        return
    rater = cast.citizen if walk.case.source == Source.CITIZEN else cast.intake
    satisfaction = (Satisfaction.DISSATISFIED if CaseAction.REOPEN not in odds.seen
                    else rng.choices(Satisfaction.values, weights=[75, 17, 8])[0])
    comment = "问题已解决" if satisfaction != Satisfaction.DISSATISFIED else "处理不彻底，问题仍在"
    if (walk.step(CaseAction.EVALUATE, rater, (60, 24 * 60), satisfaction=satisfaction, comment=comment)
            and satisfaction == Satisfaction.DISSATISFIED and odds.chance(CaseAction.REOPEN, 0.6)):
        walk.step(CaseAction.REOPEN, cast.chief, (10, 120), comment="回访不满意，重办")


def _report(*, odds: _Odds, cast: Cast, category: Category, location, at: dt.datetime) -> Case:
    rng = odds.rng
    source = rng.choices([Source.INSPECTOR, Source.HOTLINE_12345, Source.CITIZEN, Source.HOTLINE_12319,
                          Source.SENSOR, Source.LEADER_INSTRUCTION], weights=[60, 20, 10, 5, 3, 2])[0]
    reporter = {Source.INSPECTOR: rng.choice(cast.inspectors), Source.CITIZEN: cast.citizen}.get(source, cast.intake)
    caller = source in (Source.HOTLINE_12345, Source.HOTLINE_12319)
    self_handled = source == Source.INSPECTOR and odds.chance(CaseAction.SELF_APPROVE, 0.05)
    photos = ({"before_photos": [_upload("before.jpg")], "after_photos": [_upload("after.jpg")]}
              if self_handled else {})
    urgency = "urgent" if rng.random() < 0.1 else "normal"
    return case_report(
        reporter=reporter, source=source, category=category, lon=location.lon, lat=location.lat, now=at,
        description=f"{category.name}：{category.filing_criteria[:40]}", urgency=urgency,
        reporter_name=rng.choice(CALLERS) if caller else "",
        reporter_phone=f"13{rng.randint(100000000, 999999999)}" if caller else "", self_handled=self_handled,
        **photos,
    )


def cases_generate(*, count: int, now: dt.datetime, cast: Cast, stdout) -> int:
    odds = _Odds(random.Random(SEED))
    rng = odds.rng
    categories = list(Category.objects.select_related("category_class", "department_unit"))
    weights = [5 if category.code in COMMON else 1 for category in categories]
    earlier: list[Case] = []
    recent = 0
    for location in _places(rng, count):
        category = rng.choices(categories, weights=weights)[0]
        suggested = department_suggest(category=category, location=location)
        if suggested is None or suggested.pk not in cast.handlers:
            continue
        day = now - dt.timedelta(days=rng.uniform(0, DAYS))
        at = timezone.localtime(day).replace(hour=rng.randint(7, 19), minute=rng.randint(0, 59))
        if at > now:
            continue
        budget = None
        if now - at < dt.timedelta(days=RECENT_DAYS) or len(earlier) % STALLED_EVERY == 0:
            budget, recent = recent % RECENT_BUDGETS, recent + 1  # budgets cycle: each open state shows
        walk = _Walk(case=_report(odds=odds, cast=cast, category=category, location=location, at=at),
                     at=at, now=now, cast=cast, odds=odds, budget=budget)
        try:
            _life(walk, earlier)
        except CaseActionError as error:  # a generated step the rules refuse is a demo bug: say so
            stdout.write(f"  {walk.case.number}: {error}")
        earlier.append(walk.case)
    return len(earlier) + duplicates_report(cast=cast, now=now, rng=rng)


def duplicates_report(*, cast: Cast, now: dt.datetime, rng: random.Random) -> int:
    """Report again, as the demo citizen, a few open cases from nearby (see ``DUPLICATE_REPORTS``)."""
    originals = Case.objects.filter(state__in=(State.ACCEPTED, State.FILED, State.HANDLING)).select_related(
        "category__category_class").order_by("id")[:DUPLICATE_REPORTS]
    reported = 0
    for original in originals:
        per_lon, per_lat = metres_per_degree(original.lat)
        north, east = rng.uniform(-60, 60), rng.uniform(-60, 60)
        try:
            case_report(reporter=cast.citizen, source=Source.CITIZEN, category=original.category,
                        lon=original.lon + east / float(per_lon), lat=original.lat + north / float(per_lat),
                        description=f"{original.category.name}：路过看到，还没处理",
                        now=now - dt.timedelta(minutes=rng.randint(5, 120)))
        except ValidationError:  # the point fell outside the city: skip it
            continue
        reported += 1
    return reported


def load_demo(*, stdout, now: dt.datetime | None = None):
    """Load the catalogue and, once, a month of cases ending at ``now`` (default: the present), and the
    2018 plan year's street-vending and small-ad cases (``demo_history``)."""
    started = time.monotonic()
    counts = catalogue_load(path=settings.DATA_DIR / "cases" / "catalogue.yaml")
    stdout.write(f"catalogue: {counts['created']} created, {counts['updated']} updated")
    if Case.objects.exists():
        _logins_print(stdout, _staff_rows())
        stdout.write(f"cases: {Case.objects.count()} already loaded")
        return
    now = now or timezone.now()
    cast = _staff_create(stdout)
    created = cases_generate(count=CASE_COUNT, now=now, cast=cast, stdout=stdout)
    escalated = cases_escalate_overdue(now=now)
    plan_year = plan_year_cases_write(cast=cast, places=_places(random.Random(SEED + 1), sum(VOLUMES.values())))
    states = Case.objects.values_list("state", flat=True)
    open_cases = sum(state not in (State.CLOSED, State.REJECTED, State.VOIDED) for state in states)
    stdout.write(f"cases: {created} over {DAYS} days ({open_cases} open, {escalated} overdue escalated) "
                 f"in {time.monotonic() - started:.0f} s")
    stdout.write(f"cases: {plan_year} finished street-vending and small-ad cases of the 2018 plan year "
                 f"(the plan's live indicators count them)")
