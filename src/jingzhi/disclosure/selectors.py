"""What of a case may be public: THE one home of the rule. Every public page and answer reads it.

* ``public_case(case)``: one case as the public may see it, with its public timeline;
* ``public_cases(cases)``: many cases at once (a list, a map, Open311 ``GET requests``), without
  timelines, in a fixed number of queries whatever their number;
* ``public_summary(...)``: the public statistics (reports by category and district, the share closed
  on time, recent fixes).
* ``public_map_points(...)``: the public map's points (the map and the list under it).

The rule: no person appears — no reporter name or phone, no staff name, no comment staff wrote,
no inspector — only the category, the place (district, sub-district, the point rounded to about
10 m), a public stage per state with its time, the department (a unit, as Open311's
``agency_responsible``) and the deadline of the current stage. Citizen text (the description, a
rating's comment) is public once approved by a moderator or passed by the automatic check
(``screening``); citizen photos only once a moderator approved or redacted them (a redacted photo
shows its redacted copy); staff photos unless a moderator withheld or redacted them. Photos of the
report are shown from the start, photos of the result (处置后) only once the case is closed.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.fields.files import FieldFile
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from jingzhi.cases.models import Case, CaseEvent, CasePhoto, PhotoKind, RejectReason, Satisfaction
from jingzhi.cases.workflow import CaseAction, State
from jingzhi.geo.models import AreaLevel
from jingzhi.geo.selectors import areas_feature_collection
from jingzhi.org.models import Role, User
from jingzhi.org.selectors import user_has_role

from .models import PhotoReview, ReviewStatus, TextReview, TextSubject
from .screening import text_screen

#: Decimal places of a public point: 4 places are about 10 m, enough to find the problem on a map,
#: too coarse to point at one doorway.
POINT_DECIMALS = 4
#: Photos of the report (shown from the start) and of the result (shown once closed).
BEFORE_KINDS = (PhotoKind.REPORT, PhotoKind.BEFORE)
AFTER_KINDS = (PhotoKind.AFTER,)


class PublicStage:
    """The stages the public sees: the internal states folded into what a citizen understands
    (a department's 退回 and the dispatcher's re-dispatch are all still 处置中)."""

    RECEIVED = gettext_lazy("已收到")
    ACCEPTED = gettext_lazy("已受理")
    FILED = gettext_lazy("已立案")
    HANDLING = gettext_lazy("处置中")
    PAUSED = gettext_lazy("暂缓处置")
    CHECKING = gettext_lazy("核查中")
    CLOSED = gettext_lazy("已办结")
    REJECTED = gettext_lazy("不予受理")
    VOIDED = gettext_lazy("已撤销")


#: Every state's public stage (a test checks that none is missing).
PUBLIC_STAGE_OF = {
    State.REPORTED: PublicStage.RECEIVED, State.SELF_HANDLED: PublicStage.RECEIVED,
    State.CONFIRMING: PublicStage.RECEIVED, State.ACCEPTED: PublicStage.ACCEPTED, State.FILED: PublicStage.FILED,
    State.DISPATCHED: PublicStage.HANDLING, State.HANDLING: PublicStage.HANDLING,
    State.RETURNED: PublicStage.HANDLING, State.POSTPONE_REQUESTED: PublicStage.HANDLING,
    State.SUSPEND_REQUESTED: PublicStage.HANDLING, State.VERIFY_FAILED: PublicStage.HANDLING,
    State.SUSPENDED: PublicStage.PAUSED, State.HANDLED: PublicStage.CHECKING, State.VERIFYING: PublicStage.CHECKING,
    State.VERIFIED: PublicStage.CHECKING, State.CLOSED: PublicStage.CLOSED, State.REJECTED: PublicStage.REJECTED,
    State.VOIDED: PublicStage.VOIDED,
}
#: Open311's two statuses.
CLOSED_STATES = (State.CLOSED, State.REJECTED, State.VOIDED)
#: Cases that are on the public map and in the statistics: not refused, not voided.
LISTED_EXCLUDED_STATES = (State.REJECTED, State.VOIDED)


@dataclass(frozen=True)
class PublicStep:
    """One step of the public timeline: a public stage (or a rating) and when it began."""

    label: str
    at: dt.datetime
    note: str = ""


@dataclass(frozen=True)
class PublicPhoto:
    url: str
    kind: str


@dataclass(frozen=True)
class PublicCase:
    """A case as the public may see it (see the module docstring for what is left out)."""

    number: str
    url: str
    category: str
    category_class: str
    category_code: str
    status: str  # "open" or "closed" (Open311)
    stage: str
    district: str
    subdistrict: str
    lon: float
    lat: float
    description: str  # "" while not public
    description_public: bool
    department: str
    created_at: dt.datetime
    updated_at: dt.datetime
    closed_at: dt.datetime | None
    expected_at: dt.datetime | None  # the current stage's deadline, while a clock runs
    rejected_reason: str = ""
    satisfaction: str = ""
    rating_comment: str = ""
    photos_before: tuple[PublicPhoto, ...] = ()
    photos_after: tuple[PublicPhoto, ...] = ()
    steps: tuple[PublicStep, ...] = field(default=())

    def as_dict(self) -> dict:
        """JSON-ready: times in ISO 8601 with the local offset (W3C datetimes, as Open311 has them)."""
        data = asdict(self)
        for key, value in data.items():
            if isinstance(value, dt.datetime):
                data[key] = timezone.localtime(value).isoformat()
        data["steps"] = [{**step, "at": timezone.localtime(step["at"]).isoformat()} for step in data["steps"]]
        return data


def public_stage(state: str) -> str:
    return str(PUBLIC_STAGE_OF[state])


def _text_public(text: str, review: TextReview | None) -> bool:
    """A citizen text is public once approved, or, before any decision, if the automatic check passes."""
    if not text:
        return False
    if review is None:
        return not text_screen(text).held
    return review.status == ReviewStatus.APPROVED


def _is_citizen_photo(photo: CasePhoto) -> bool:
    """Taken by a citizen (or an anonymous reporter): public only after a moderator's approval."""
    return photo.uploaded_by_id is None or (photo.event is not None and photo.event.actor_role == Role.CITIZEN)


def photo_disclosed(photo: CasePhoto, *, case_state: str) -> FieldFile | None:
    """The file the public may see of ``photo`` (the original or its redacted copy), or None."""
    if photo.kind in AFTER_KINDS and case_state != State.CLOSED:
        return None
    if photo.kind not in BEFORE_KINDS + AFTER_KINDS:
        return None
    review = getattr(photo, "review", None)
    if review is None:
        return None if _is_citizen_photo(photo) else photo.image
    if review.status == ReviewStatus.APPROVED:
        return photo.image
    if review.status == ReviewStatus.REDACTED and review.redacted:
        return review.redacted
    return None


_PHOTO_COLUMNS = ("id", "case_id", "kind", "image", "uploaded_by_id", "event__actor_role", "review__status",
                  "review__redacted")


def _photos_query() -> QuerySet[CasePhoto]:
    return (CasePhoto.objects.filter(kind__in=BEFORE_KINDS + AFTER_KINDS).select_related("review", "event")
            .only(*_PHOTO_COLUMNS).order_by("created_at", "id"))


def _public_photos(photos: Iterable[CasePhoto], *, case_state: str) -> tuple[tuple, tuple]:
    before, after = [], []
    for photo in photos:
        if photo_disclosed(photo, case_state=case_state) is not None:
            target = after if photo.kind in AFTER_KINDS else before
            target.append(PublicPhoto(url=reverse("disclosure:photo", args=[photo.pk]), kind=photo.kind))
    return tuple(before), tuple(after)


def _cases_related(cases: QuerySet[Case]) -> QuerySet[Case]:
    return cases.select_related("category__category_class", "district", "subdistrict", "department")


def _public(case: Case, *, description_review, photos, steps=(), rating=None) -> PublicCase:
    before, after = _public_photos(photos, case_state=case.state)
    public_text = _text_public(case.description, description_review)
    closed = case.state in CLOSED_STATES
    rating_event, rating_review = rating or (None, None)
    return PublicCase(
        number=case.number, url=reverse("disclosure:case", args=[case.number]),
        category=case.category.label, category_class=case.category.category_class.label,
        category_code=case.category.number_prefix, status="closed" if closed else "open",
        stage=public_stage(case.state),
        district=case.district.name if case.district else "",
        subdistrict=case.subdistrict.name if case.subdistrict else "",
        lon=round(case.lon, POINT_DECIMALS), lat=round(case.lat, POINT_DECIMALS),
        description=case.description if public_text else "", description_public=public_text,
        department=case.department.name if case.department else "",
        created_at=case.created_at, updated_at=case.updated_at, closed_at=case.closed_at,
        expected_at=None if closed or case.state == State.SUSPENDED else case.stage_deadline,
        rejected_reason=str(RejectReason(case.reject_reason).label) if case.reject_reason else "",
        satisfaction=str(Satisfaction(case.satisfaction).label) if case.satisfaction else "",
        rating_comment=(rating_event.comment if rating_event is not None
                        and _text_public(rating_event.comment, rating_review) else ""),
        photos_before=before, photos_after=after, steps=tuple(steps),
    )


def _timeline(case: Case, events: list[CaseEvent]) -> list[PublicStep]:
    """A step per change of public stage, and one per rating; nothing of who did it or what they wrote."""
    steps, current = [], None
    for event in events:
        if event.action == CaseAction.EVALUATE:
            label = Satisfaction(event.data.get("satisfaction")).label if event.data.get("satisfaction") else ""
            steps.append(PublicStep(label=_("市民评价"), at=event.created_at, note=str(label)))
            continue
        stage = PUBLIC_STAGE_OF[event.to_state]
        if stage == current:
            continue
        current = stage
        note = ""
        if event.action == CaseAction.REOPEN:
            note = _("评价不满意，重新处置")
        elif event.to_state == State.REJECTED and case.reject_reason:
            note = str(RejectReason(case.reject_reason).label)
        steps.append(PublicStep(label=str(stage), at=event.created_at, note=note))
    return steps


def public_case(case: Case | str) -> PublicCase:
    """One case as the public sees it, with its timeline; ``case`` may be its 案卷号.

    Raises ``Case.DoesNotExist`` for an unknown number."""
    if not isinstance(case, Case):
        case = public_case_get(case)
    events = list(case.events.only("action", "to_state", "created_at", "data", "comment", "actor_role")
                  .order_by("created_at", "id"))

    reviews = {(review.subject, review.event_id): review
               for review in TextReview.objects.filter(case=case).only("subject", "event_id", "status")}
    ratings = [event for event in events if event.action == CaseAction.EVALUATE and event.actor_role == Role.CITIZEN]
    rating = (ratings[-1], reviews.get((TextSubject.RATING_COMMENT, ratings[-1].pk))) if ratings else None
    return _public(case, description_review=reviews.get((TextSubject.DESCRIPTION, None)),
                   photos=_photos_query().filter(case=case), steps=_timeline(case, events), rating=rating)


def public_case_get(number: str) -> Case:
    """The case of a 案卷号 with what ``public_case`` reads; ``Case.DoesNotExist`` if none."""
    return _cases_related(Case.objects.all()).get(number=number)


def public_case_exists(number: str) -> bool:
    return Case.objects.filter(number=number).exists()


def public_cases(cases: QuerySet[Case] | Iterable[Case]) -> list[PublicCase]:
    """Many cases as the public sees them, in their order, without timelines or rating comments:
    three queries whatever their number (cases, description decisions, photos)."""
    if isinstance(cases, QuerySet):
        cases = _cases_related(cases)
    cases = list(cases)
    ids = [case.pk for case in cases]
    reviews = {review.case_id: review for review in TextReview.objects.filter(
        case_id__in=ids, subject=TextSubject.DESCRIPTION).only("case_id", "status")}
    photos: dict[int, list[CasePhoto]] = {}
    for photo in _photos_query().filter(case_id__in=ids):
        photos.setdefault(photo.case_id, []).append(photo)
    return [_public(case, description_review=reviews.get(case.pk), photos=photos.get(case.pk, ()))
            for case in cases]


def cases_listed() -> QuerySet[Case]:
    """The cases the public map and statistics count: every case but the refused and the voided."""
    return Case.objects.exclude(state__in=LISTED_EXCLUDED_STATES)


# ── statistics ──────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class PublicSummary:
    since: dt.datetime
    until: dt.datetime
    reports: int
    by_category: list[tuple[str, int]]  # 大类, most reported first
    by_district: list[tuple[str, int]]
    closed: int
    closed_on_time: int
    recent_fixes: list[PublicCase]

    @property
    def on_time_share(self) -> float | None:
        """Share of the cases closed in the period whose every stage ended by its deadline."""
        return self.closed_on_time / self.closed if self.closed else None


def public_summary(*, now: dt.datetime, days: int = 30, recent: int = 6) -> PublicSummary:
    """Reports of the last ``days`` by 大类 and district; cases closed in them, how many with every
    stage on time (no stage-ending event late); the ``recent`` latest closed with a public 处置后 photo."""
    since = now - dt.timedelta(days=days)
    reports = cases_listed().filter(created_at__gte=since, created_at__lt=now)
    by_class: Counter[str] = Counter()
    for row in reports.values("category__category_class__name", "category__category_class__name_en",
                              "category__category_class__kind").annotate(n=Count("id")):
        name = _bilingual(row["category__category_class__name"], row["category__category_class__name_en"])
        by_class[name] += row["n"]
    by_district = Counter({row["district__name"] or _("其他"): row["n"]
                           for row in reports.values("district__name").annotate(n=Count("id"))})
    closed = Case.objects.filter(state=State.CLOSED, closed_at__gte=since, closed_at__lt=now)
    late = CaseEvent.objects.filter(case=OuterRef("pk"), done_in_time=False)
    counts = closed.aggregate(closed=Count("id"), on_time=Count("id", filter=~Q(Exists(late))))
    with_after_photo = CasePhoto.objects.filter(case=OuterRef("pk"), kind__in=AFTER_KINDS)
    fixes = public_cases(closed.filter(Exists(with_after_photo)).order_by("-closed_at", "-id")[:recent * 3])
    return PublicSummary(
        since=since, until=now, reports=sum(by_class.values()),
        by_category=by_class.most_common(), by_district=by_district.most_common(),
        closed=counts["closed"], closed_on_time=counts["on_time"],
        recent_fixes=[fix for fix in fixes if fix.photos_after][:recent],
    )


def _bilingual(name: str, name_en: str) -> str:
    return name_en if name_en and (get_language() or "").startswith("en") else name


# ── the public map ──────────────────────────────────────────────────────────────────────


#: The public map's window and bound: the cases reported in the last 90 days, the latest 2,000.
PUBLIC_MAP_DAYS = 90
PUBLIC_MAP_LIMIT = 2000


@dataclass(frozen=True)
class PublicMapPoints:
    """The public map's points, newest first (the map draws them, the list under it links each to its
    page), the window and bound they were cut to, and whether the bound left older cases out."""

    points: list[dict]
    days: int
    limit: int
    truncated: bool


def public_map_points(*, now: dt.datetime, days: int = PUBLIC_MAP_DAYS, limit: int = PUBLIC_MAP_LIMIT
                      ) -> PublicMapPoints:
    """The points of the public map: listed cases reported in the last ``days``, the latest ``limit``,
    each with its number, category, public stage, date reported (local) and rounded point. One query."""
    rows = list(cases_listed().filter(created_at__gte=now - dt.timedelta(days=days))
                .order_by("-created_at", "-id")
                .values("number", "state", "lon", "lat", "created_at", name=F("category__name"),
                        name_en=F("category__name_en"))
                [:limit + 1])
    points = [{"number": row["number"], "category": _bilingual(row["name"], row["name_en"]),
               "stage": public_stage(row["state"]), "status": "closed" if row["state"] in CLOSED_STATES else "open",
               "reported_on": timezone.localdate(row["created_at"]),
               "lon": round(row["lon"], POINT_DECIMALS), "lat": round(row["lat"], POINT_DECIMALS),
               "url": reverse("disclosure:case", args=[row["number"]])}
              for row in rows[:limit]]
    return PublicMapPoints(points=points, days=days, limit=limit, truncated=len(rows) > limit)


def public_areas() -> dict:
    """The districts' boundaries (public geography) for the public map."""
    return areas_feature_collection(level=AreaLevel.DISTRICT)


# ── moderation ──────────────────────────────────────────────────────────────────────────

#: Who moderates: the command centre's desk (受理员, 值班长) and the platform's administrators.
MODERATOR_ROLES = (Role.INTAKE_OPERATOR, Role.SHIFT_CHIEF, Role.PLATFORM_ADMIN)


def user_moderates(*, user: User) -> bool:
    return user_has_role(user=user, roles=MODERATOR_ROLES)



def texts_held() -> QuerySet[TextReview]:
    """Citizen texts waiting for a moderator, oldest first (the partial index ``text_review_pending``)."""
    return (TextReview.objects.filter(status=ReviewStatus.PENDING).select_related("case", "event")
            .order_by("created_at", "id"))


def photos_held() -> QuerySet[PhotoReview]:
    """Citizen photos waiting for a moderator, oldest first (the partial index ``photo_review_pending``)."""
    return (PhotoReview.objects.filter(status=ReviewStatus.PENDING).select_related("photo__case")
            .order_by("created_at", "id"))


@dataclass(frozen=True)
class QueuePage:
    """A page of a moderation queue: its items, the id to continue after (None: the last page), how
    many items wait in all and how many of them come before this page."""

    items: list
    next_after: int | None
    total: int
    before: int

    @property
    def last(self) -> int:
        """The position of the page's last item in the queue (its first is ``before + 1``)."""
        return self.before + len(self.items)


def queue_page(queue: QuerySet, *, after: int | None, size: int) -> QueuePage:
    """The ``size`` items of ``queue`` (ordered by ``created_at``, ``id``) that follow the item ``after``
    (an id, decided since or not). Pages continue from an item, not from an offset: items decided
    meanwhile, by this moderator or another, leave without shifting the rest, so a moderator who
    walks the pages in order misses none."""
    rest = queue
    if after is not None:
        mark = queue.model.objects.filter(pk=after).values_list("created_at", flat=True).first()
        if mark is not None:
            rest = queue.filter(Q(created_at__gt=mark) | Q(created_at=mark, pk__gt=after))
    items = list(rest[:size + 1])
    total = queue.count()
    return QueuePage(items=items[:size], next_after=items[size - 1].pk if len(items) > size else None,
                     total=total, before=total - rest.count() if rest is not queue else 0)


def case_photos_for_moderation(case: Case) -> QuerySet[CasePhoto]:
    """Every photo of a case the public could see, with its decision, for a moderator looking it up."""
    return _photos_query().filter(case=case).only(*_PHOTO_COLUMNS, "created_at", "review__decided_at")
