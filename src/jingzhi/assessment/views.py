"""The assessment's staff pages: 月考核 and 季点评 with their rankings, a score's indicators and the
rows behind each counter (the drill-down), 日督查 sheets, the bulletins; the office computes,
comments and publishes here. Thin: selectors read, services write and refuse (a published
assessment answers 409 to every write, the buttons are not even shown)."""
from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jingzhi.cases.workflow import CaseAction, State
from jingzhi.core.idempotency import idempotent_form
from jingzhi.org.selectors import user_has_role

from . import selectors, services
from .access import OFFICE_ROLES, READER_ROLES
from .bulletin import BULLETIN_KINDS, DEFAULT_OFFICE
from .errors import AssessmentFrozen
from .explain import COUNTER_LABELS, counter_drillable, result_counts, result_lines
from .models import Assessment, PeriodKind, Status
from .scheme import scheme_load
from .serializers import CommentarySerializer, ComputeSerializer
from .supervision import daily_sheet

#: Rows of a drill-down list per page.
PAGE_SIZE = 50
#: Ranking tables shown unfolded on an assessment's page (the others fold, unless this short).
OPEN_KINDS = ("district", "department")
OPEN_ROWS = 12


def _reader(request):
    if not user_has_role(user=request.user, roles=READER_ROLES):
        raise PermissionDenied(_("考核评价仅对工作人员开放。"))


def _office(request):
    if not user_has_role(user=request.user, roles=OFFICE_ROLES):
        raise PermissionDenied(_("只有精细办可以计算、点评和发布考核。"))


def _assessment(request, period: str) -> Assessment:
    return get_object_or_404(selectors.assessments_visible(user=request.user), period=period)


@login_required
def index(request, *, errors=None, status=200):
    """月考核 and 季点评 the user may see; the office computes a period here."""
    _reader(request)
    assessments = list(selectors.assessments_visible(user=request.user))
    return render(request, "assessment/index.html", {
        "months": [a for a in assessments if a.period_kind == PeriodKind.MONTH],
        "quarters": [a for a in assessments if a.period_kind == PeriodKind.QUARTER],
        "office": user_has_role(user=request.user, roles=OFFICE_ROLES), "errors": errors or {},
        "values": request.POST if request.method == "POST" else {},
    }, status=status)


@login_required
@require_POST
@idempotent_form
def compute(request):
    """Compute or recompute an unpublished month or quarter (409 once published)."""
    _office(request)
    data = ComputeSerializer(data=request.POST)
    if not data.is_valid():
        return index(request, errors=data.errors, status=400)
    try:
        assessment = services.assessment_month_compute(period=data.validated_data["period"])
    except AssessmentFrozen as error:
        return index(request, errors={"period": [str(error)]}, status=error.status_code)
    messages.success(request, _("已计算 %(period)s。") % {"period": assessment.period})
    return redirect("assessment:detail", period=assessment.period)


def _kind_tables(request, assessment: Assessment) -> list[dict]:
    """The ranking of every kind (the bulletin's tables: every staff reader of the assessment sees
    them); a name links to its score only where the user may open it (``results_visible``)."""
    scheme = scheme_load(assessment.scheme_version)
    openable = set(selectors.results_visible(user=request.user, assessment=assessment).values_list("pk", flat=True))
    tables = []
    for kind in BULLETIN_KINDS:
        results = selectors.ranking(period=assessment.period, kind=kind)
        if not results:
            continue
        best, worst = (selectors.best_and_worst(assessment=assessment, kind=kind)
                       if assessment.period_kind == PeriodKind.QUARTER else ([], []))
        tables.append({"kind": kind, "name": scheme.kinds[kind].name, "results": results, "openable": openable,
                       "best": best, "worst": worst, "open": kind in OPEN_KINDS or len(results) <= OPEN_ROWS})
    return tables


@login_required
def detail(request, period: str, *, errors=None, status=200):
    """One 月考核 or 季点评: its rankings per kind, the office's commentary, and (a draft, for the
    office) recompute, commentary and publish."""
    _reader(request)
    assessment = _assessment(request, period)
    scheme = scheme_load(assessment.scheme_version)
    editable = not assessment.published and user_has_role(user=request.user, roles=OFFICE_ROLES)
    return render(request, "assessment/detail.html", {
        "assessment": assessment, "scheme": scheme, "tables": _kind_tables(request, assessment),
        "quarter": assessment.period_kind == PeriodKind.QUARTER, "editable": editable,
        "errors": errors or {}, "values": request.POST if errors else assessment.__dict__,
        "min_volume": scheme.min_volume,
    }, status=status)


def _write(request, period: str, write, done: str):
    """Run an office write on a visible assessment; a published one answers 409 with the page."""
    _office(request)
    assessment = _assessment(request, period)
    try:
        write(assessment)
    except AssessmentFrozen as error:
        messages.error(request, str(error))
        return detail(request, period, status=error.status_code)
    messages.success(request, done)
    return redirect("assessment:detail", period=period)


@login_required
@require_POST
@idempotent_form
def commentary(request, period: str):
    """The office's commentary, praise, criticism and issuing office before publishing (a field
    error on a draft; a published assessment refuses whatever was sent)."""
    data = CommentarySerializer(data=request.POST)
    if not data.is_valid():
        _office(request)
        if not _assessment(request, period).published:
            return detail(request, period, errors=data.errors, status=400)
    return _write(request, period, lambda a: services.assessment_comment(assessment=a, **data.validated_data),
                  _("点评已保存。"))


@login_required
@require_POST
@idempotent_form
def publish(request, period: str):
    return _write(request, period, lambda a: services.assessment_publish(assessment=a, user=request.user),
                  _("已发布，结果和通报从此不再改变。"))


@login_required
def result(request, pk: int):
    """One score: its terms and rates, each counter linking to the rows it counted."""
    _reader(request)
    found = get_object_or_404(selectors.results_visible_anywhere(user=request.user), pk=pk)
    terms, others = result_lines(found)
    scheme = scheme_load(found.assessment.scheme_version)
    return render(request, "assessment/result.html", {
        "result": found, "assessment": found.assessment, "kind_name": scheme.kinds[found.kind].name,
        "terms": terms, "others": others, "counts": result_counts(found), "min_volume": scheme.min_volume,
    })


@login_required
def counted(request, pk: int, counter: str):
    """The rows one counter of a score counted, oldest first; as many as the counter says."""
    _reader(request)
    found = get_object_or_404(selectors.results_visible_anywhere(user=request.user), pk=pk)
    if not counter_drillable(counter):
        raise Http404
    page = Paginator(selectors.drilldown_rows(result=found, counter=counter), PAGE_SIZE).get_page(
        request.GET.get("page"))
    return render(request, "assessment/counted.html", {
        "result": found, "assessment": found.assessment, "counter": counter,
        "label": COUNTER_LABELS.get(counter, counter), "value": found.counters.get(counter, 0),
        "page": page, "rows": [_labelled(selectors.drilldown_row(row)) for row in page],
    })


def _labelled(row: dict) -> dict:
    return {**row, "action": CaseAction(row["action"]).label if row["action"] else "",
            "state": State(row["state"]).label}


@login_required
def bulletins(request):
    """Published bulletins (通报), newest first, with their PDF and Excel."""
    _reader(request)
    published = selectors.assessments_visible(user=request.user).filter(status=Status.PUBLISHED)
    return render(request, "assessment/bulletins.html", {"assessments": published.order_by("-published_at"),
                                                          "default_office": DEFAULT_OFFICE})


def _day(request) -> dt.date | None:
    text = request.GET.get("day", "")
    if not text:
        return timezone.localdate() - dt.timedelta(days=1)
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


@login_required
def daily(request):
    """日督查: the sheet of each district the user reads, for a day (yesterday by default)."""
    _reader(request)
    day = _day(request)
    if day is None:
        return render(request, "assessment/daily.html", {"error": _("日期格式应为 YYYY-MM-DD。"), "sheets": []},
                      status=400)
    now = timezone.now()
    sheets = [daily_sheet(district=district, day=day, now=now)
              for district in selectors.daily_sheet_districts(user=request.user)]
    return render(request, "assessment/daily.html", {"day": day, "sheets": sheets})


@login_required
def daily_detail(request, district: int, day: str):
    """One district's sheet: the day's reports (a link to them) and the two lists of late cases."""
    _reader(request)
    unit = get_object_or_404(selectors.daily_sheet_districts(user=request.user), pk=district)
    try:
        on = dt.date.fromisoformat(day)
    except ValueError:
        raise Http404 from None
    sheet = daily_sheet(district=unit, day=on, now=timezone.now())
    reports_url = f"{reverse('cases:search')}?{urlencode({'date_from': on, 'date_to': on, 'district': unit.pk})}"
    return render(request, "assessment/daily_detail.html", {"sheet": sheet, "reports_url": reports_url})
