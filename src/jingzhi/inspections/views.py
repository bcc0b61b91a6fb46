"""Pages of the inspections. Thin: parse the request, ask a selector or service, render.

- 检查轮次 (``rounds``): the office's list with progress and the planning form (desktop); an
  inspector's own rounds, open ones first, and the templates for an ad hoc check (phone);
- a round (``round``): its route, each stop inspected (score, passed) or to inspect;
- the fill page (``fill``, phone): one template's items, a photo per item, "use my location";
- an inspection (``detail``): results per item, photos and the case each failure became.
"""
from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jingzhi.assets.models import Asset
from jingzhi.core.errors import DomainError, NotVisible, validation_messages
from jingzhi.core.fields import parse_iso_date
from jingzhi.core.idempotency import idempotent_form
from jingzhi.core.uploads import upload_response
from jingzhi.org.models import Role
from jingzhi.org.selectors import user_has_role

from . import selectors
from .checklists import template_get, templates_all
from .forms import fill_fields, fill_photos, fill_values
from .lifecycle import OPEN_ROUND_STATES, PLANNER_ROLES
from .models import InspectionRound
from .services import inspection_submit, round_cancel, round_plan

#: Rounds listed on one page (newest first); older ones through the API.
ROUNDS_SHOWN = 100
#: Latest inspections listed under the rounds.
RECENT_SHOWN = 20
#: Assets offered on the planning page for one search.
ASSETS_SHOWN = 200


def _require(request, *roles) -> None:
    if not user_has_role(user=request.user, roles=roles):
        raise PermissionDenied(_("此页面仅对相应岗位开放。"))


def _visible_round(request, pk: int) -> InspectionRound:
    return get_object_or_404(selectors.rounds_visible(user=request.user), pk=pk)


@login_required
def rounds(request):
    """The office's rounds with progress and the latest inspections; an inspector's own rounds (open
    first), own latest inspections and the templates for an ad hoc check."""
    _require(request, Role.INSPECTOR, Role.PLAN_OFFICE, Role.LEADER, Role.PLATFORM_ADMIN)
    visible = selectors.rounds_visible(user=request.user)
    inspector = user_has_role(user=request.user, roles=(Role.INSPECTOR,))
    if inspector:
        visible = visible.filter(inspector=request.user)
    listed = selectors.rounds_with_progress(visible)
    open_rounds = listed.filter(state__in=OPEN_ROUND_STATES).order_by("date", "id")
    closed_rounds = listed.exclude(state__in=OPEN_ROUND_STATES)
    recent = selectors.inspections_visible(user=request.user)
    if inspector:
        recent = recent.filter(inspector=request.user)
    return render(request, "inspections/rounds.html", {
        "open_rounds": open_rounds[:ROUNDS_SHOWN], "closed_rounds": closed_rounds[:ROUNDS_SHOWN],
        "recent": recent[:RECENT_SHOWN],
        "templates": templates_all().values(), "inspector": inspector,
        "may_plan": user_has_role(user=request.user, roles=PLANNER_ROLES),
    })


def _plan_form(request) -> dict:
    """The planning page's choices: template, matching assets (searched), inspectors."""
    template = template_get(request.GET.get("template", "")) or next(iter(templates_all().values()))
    query = request.GET.get("q", "").strip()[:50]
    assets = selectors.assets_to_inspect(template=template.code)
    if query:
        assets = assets.filter(name__icontains=query) | assets.filter(code__icontains=query)
    return {"template": template, "templates": templates_all().values(), "query": query,
            "assets": assets[:ASSETS_SHOWN], "inspectors": selectors.inspectors_to_assign()}


@login_required
@idempotent_form
def round_new(request):
    """The office plans a round (日督查): template, date, inspector and the route's assets."""
    _require(request, *PLANNER_ROLES)
    context, errors, status = _plan_form(request), {}, 200
    if request.method == "POST":
        ids = [value for value in request.POST.getlist("assets") if value.isdigit()][:101]
        chosen = {asset.pk: asset for asset in Asset.objects.filter(pk__in=ids)}
        inspector = selectors.inspectors_to_assign().filter(pk=request.POST.get("inspector") or 0).first()
        try:
            day = parse_iso_date(request.POST.get("date", ""))
        except (ValueError, DjangoValidationError):
            errors["date"] = [_("请填写检查日期（YYYY-MM-DD，2000–2099 年）。")]
        name = request.POST.get("name", "").strip()
        if not name or len(name) > 100:
            errors["name"] = [_("请填写名称（最多 100 字）。")]
        if inspector is None:
            errors["inspector"] = [_("请选择检查人员。")]
        if not errors:
            try:
                route = [chosen[int(i)] for i in ids if int(i) in chosen]
                planned = round_plan(planner=request.user, name=name, template_code=request.POST.get("template", ""),
                                     date=day, inspector=inspector, assets=route,
                                     note=request.POST.get("note", "").strip()[:200])
            except DjangoValidationError as error:
                errors = validation_messages(error)
            else:
                messages.success(request, _("已安排检查轮次“%(name)s”。") % {"name": planned.name})
                return redirect(planned)
        status = 400
    return render(request, "inspections/round_new.html", {
        **context, "errors": errors, "values": request.POST, "chosen": request.POST.getlist("assets"),
        "today": timezone.localdate()}, status=status)


@login_required
def round_detail(request, pk: int):
    inspection_round = _visible_round(request, pk)
    return render(request, "inspections/round.html", {
        "round": inspection_round, "stops": selectors.round_stops(inspection_round=inspection_round),
        "template": template_get(inspection_round.template_code),
        "may_fill": inspection_round.inspector_id == request.user.pk and inspection_round.state in OPEN_ROUND_STATES,
        "may_cancel": user_has_role(user=request.user, roles=PLANNER_ROLES)
        and inspection_round.state in OPEN_ROUND_STATES,
    })


@login_required
@require_POST
@idempotent_form
def round_cancel_view(request, pk: int):
    inspection_round = _visible_round(request, pk)
    try:
        round_cancel(inspection_round=inspection_round, user=request.user)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("已取消检查轮次。"))
    return redirect(inspection_round)


def _fill_target(request, template_code: str):
    """The template, round and asset a fill page is about (404 when not the user's to see)."""
    template = template_get(template_code)
    if template is None:
        raise Http404(_("没有这个检查模板。"))
    inspection_round = asset = None
    round_id, asset_id = request.GET.get("round", ""), request.GET.get("asset", "")
    if round_id:
        if not round_id.isdigit():
            raise Http404
        inspection_round = get_object_or_404(InspectionRound, pk=round_id, inspector=request.user)
    if asset_id:
        if not asset_id.isdigit():
            raise Http404
        asset = get_object_or_404(Asset, pk=asset_id, kind=template.asset_kind)
    return template, inspection_round, asset


def _started_at(text: str) -> dt.datetime | None:
    """When the form was opened (its hidden field), if it is a plausible time."""
    started = parse_datetime(text or "") if len(text or "") <= 40 else None
    if started is None or timezone.is_naive(started):
        return None
    now = timezone.now()
    return started if now - dt.timedelta(days=2) <= started <= now else None


def _coordinate(text: str, bound: float) -> float | None:
    try:
        value = float(text)
    except (TypeError, ValueError):
        return None
    return value if -bound <= value <= bound else None


@login_required
@idempotent_form
def fill(request, template_code: str):
    """The inspector fills one template at one stop (or ad hoc, at their location) on a phone."""
    _require(request, Role.INSPECTOR)
    template, inspection_round, asset = _fill_target(request, template_code)
    errors, status = {}, 200
    if request.method == "POST":
        try:
            inspection = inspection_submit(
                inspector=request.user, template_code=template.code, values=fill_values(template, request.POST),
                asset=asset, inspection_round=inspection_round,
                lon=_coordinate(request.POST.get("lon"), 180), lat=_coordinate(request.POST.get("lat"), 90),
                started_at=_started_at(request.POST.get("started_at")), note=request.POST.get("note", "")[:2000],
                photos=fill_photos(template, request.FILES))
        except DjangoValidationError as error:
            errors = validation_messages(error)
        except NotVisible as error:
            raise Http404(str(error)) from None
        except DomainError as error:
            errors = {"__all__": [str(error)]}
            status = error.status_code
        else:
            failed = inspection.results.filter(passed=False).count()
            messages.success(request, _("检查已提交：得分 %(score)s，%(verdict)s。") % {
                "score": inspection.score, "verdict": _("合格") if inspection.passed else
                _("不合格，%(count)s 项已生成案件") % {"count": failed}})
            return redirect(inspection)
        status = status if status != 200 else 400
    shown_by_item = {"results", "photos",
                     *(f"{prefix}{item.code}" for item in template.items for prefix in ("", "photo_"))}
    item_errors = {field: texts for field, texts in errors.items() if field in shown_by_item}
    return render(request, "inspections/fill.html", {
        "template": template, "round": inspection_round, "asset": asset,
        "fields": fill_fields(template, request.POST, item_errors, attributes=asset.attributes if asset else None),
        "errors": [text for field, texts in errors.items() if field not in item_errors for text in texts],
        "values": request.POST, "started_at": request.POST.get("started_at") or timezone.now().isoformat()},
        status=status)


@login_required
def detail(request, pk: int):
    inspection = get_object_or_404(selectors.inspections_visible(user=request.user), pk=pk)
    results = inspection.results.select_related("case").prefetch_related("photos")
    return render(request, "inspections/detail.html", {
        "inspection": inspection, "results": results, "template": template_get(inspection.template_code)})


@login_required
def photo(request, pk: int):
    """An inspection photo, served only to users who may see its inspection."""
    found = get_object_or_404(selectors.photos_visible(user=request.user), pk=pk)
    return upload_response(found.thumbnail if request.GET.get("size") == "thumb" and found.thumbnail
                           else found.image)
