"""Public pages (no login; mobile first) and the staff moderation page. Thin: every fact shown to the
public comes from ``selectors`` (the one home of what is public); the rating goes through the same
service as the API's 回访评价 (``cases.acting.case_act``)."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from jingzhi.cases.acting import case_act
from jingzhi.cases.errors import CaseActionError, CaseActionForbidden, CaseTransitionIllegal
from jingzhi.cases.form_fields import FIELD_LABELS
from jingzhi.cases.models import Case, CasePhoto, Satisfaction
from jingzhi.cases.reporter_keys import reporter_key_valid
from jingzhi.cases.rules import case_action_decide
from jingzhi.cases.serializers import action_arguments, action_serializer_class
from jingzhi.cases.workflow import TERMINAL_STATES, CaseAction, State
from jingzhi.core.errors import DomainError
from jingzhi.core.form_errors import field_errors
from jingzhi.core.idempotency import idempotent_form
from jingzhi.core.limits import SEARCH_TEXT
from jingzhi.core.paging import list_page
from jingzhi.core.uploads import upload_response
from jingzhi.geo.layers import geography_layer
from jingzhi.geo.views import public_map_options
from jingzhi.org.models import Role
from jingzhi.org.selectors import user_has_role

from . import selectors, services
from .forms import PhotoDecisionForm, TextDecisionForm
from .models import ReviewStatus, TextReview

#: Seconds the public map's points and the statistics are cached (they are the same for everyone).
PUBLIC_CACHE_SECONDS = 60
MODERATION_PAGE_SIZE = 20
#: Citizens sign in with a one-time SMS code (the ``citizens`` app), then come back to the rating.
CITIZEN_LOGIN = "citizens:login"


def _case_or_404(number: str) -> Case:
    try:
        return selectors.public_case_get(number)
    except Case.DoesNotExist:
        raise Http404(_("没有这个编号的案件。")) from None


@require_GET
def track(request):
    """查询进度: a report number leads to its public page."""
    number = request.GET.get("number", "").strip().upper()[:SEARCH_TEXT]
    error = ""
    if "number" in request.GET:
        if not number:
            error = _("请输入案件编号。")
        elif selectors.public_case_exists(number):
            return redirect("disclosure:case", number=number)
        else:
            error = _("没有找到编号为 %(number)s 的案件，请核对回执上的编号。") % {"number": number}
    return render(request, "disclosure/track.html", {"number": number, "error": error},
                  status=404 if error and number else 400 if error else 200)


def _rating_refusal(case: Case, *, user) -> CaseActionError | None:
    """Why ``user`` may not rate this case on the page now (None: they may). ``user`` None is the
    anonymous reporter holding the receipt's key.

    Only the citizen who reported it: a 受理员 records a phone call-back on the staff page instead."""
    if user is not None and (case.reporter_id != user.pk or not user_has_role(user=user, roles=(Role.CITIZEN,))):
        return CaseActionForbidden(_("只有上报该案件的市民可以评价。"))
    if case.state != State.CLOSED:  # in the public's words, not the workflow's
        stage = selectors.public_stage(case.state)
        if case.state in TERMINAL_STATES:
            return CaseTransitionIllegal(_("案件没有办理（%(stage)s），无需评价。") % {"stage": stage})
        return CaseTransitionIllegal(_("案件还在办理中（%(stage)s），办结后才能评价。") % {"stage": stage})
    decision = case_action_decide(case=case, action=CaseAction.EVALUATE, user=user)
    return decision if isinstance(decision, CaseActionError) else None


@require_GET
def case_page(request, number: str):
    case = _case_or_404(number)
    may_rate = request.user.is_authenticated and _rating_refusal(case, user=request.user) is None
    return render(request, "disclosure/case.html", {"case": selectors.public_case(case), "may_rate": may_rate})


@idempotent_form
def rate(request, number: str, key: str = ""):
    """回访评价 by the reporting citizen, signed in, or holding the private link of an anonymous
    report's receipt (``key``, ``cases.reporter_keys``); 不满意 reaches the 值班长, who may reopen the
    case. Refused: not signed in (401, with the way to sign in), not the reporter (403), a wrong key
    (404), not closed or already rated (409); bad input (400) keeps what was typed."""
    case = _case_or_404(number)
    context = {"case": selectors.public_case(case), "choices": Satisfaction.choices, "values": request.POST}
    if key:
        if not reporter_key_valid(case=case, key=key):
            raise Http404(_("评价链接无效：请使用上报回执上的链接。"))
        actor = None
    elif not request.user.is_authenticated:
        context["login_url"] = f"{reverse(CITIZEN_LOGIN)}?next={request.path}"
        return render(request, "disclosure/rate.html", context, status=401 if request.method == "POST" else 200)
    else:
        actor = request.user
    refusal = _rating_refusal(case, user=actor)
    if refusal is None and request.method == "POST":
        serializer = action_serializer_class(CaseAction.EVALUATE)(data=request.POST)
        if serializer.is_valid():
            try:
                case_act(case=case, action=CaseAction.EVALUATE, actor=actor, reporter_key=key,
                         **action_arguments(CaseAction.EVALUATE, serializer.validated_data))
            except CaseActionError as error:  # a race: rated meanwhile in another tab
                refusal = error
            else:
                messages.success(request, _("感谢您的评价。"))
                return redirect("disclosure:case", number=case.number)
        else:
            errors = field_errors(serializer.errors, labels=FIELD_LABELS, ids={"satisfaction": "id_satisfaction_0"})
            return render(request, "disclosure/rate.html", {**context, "errors": errors}, status=400)
    if refusal is not None:
        return render(request, "disclosure/rate.html", {**context, "refusal": str(refusal)},
                      status=refusal.status_code)
    return render(request, "disclosure/rate.html", {**context, "may_rate": True})


@require_GET
def photo(request, pk: int):
    """A photo the public may see: its original or its redacted copy (``selectors.photo_disclosed``)."""
    found = get_object_or_404(CasePhoto.objects.select_related("review", "event", "case"), pk=pk)
    file = selectors.photo_disclosed(found, case_state=found.case.state)
    if file is None:
        raise Http404
    return upload_response(file)


def _cached(key: str, compute):
    """Public figures are the same for everyone: computed once per language and minute."""
    return cache.get_or_set(f"disclosure:{key}:{get_language()}", compute, PUBLIC_CACHE_SECONDS)


@require_GET
def stats(request):
    summary = _cached("summary", lambda: selectors.public_summary(now=timezone.now()))
    top = summary.by_category[0][1] if summary.by_category else 0
    return render(request, "disclosure/stats.html", {"summary": summary, "top": top})


def _map_points() -> selectors.PublicMapPoints:
    return _cached("map", lambda: selectors.public_map_points(now=timezone.now()))


@require_GET
def map_page(request):
    """The map, and under it the same points as a list of links (keyboard and screen readers reach
    every point there), a page at a time."""
    points = _map_points()
    return render(request, "disclosure/map.html", {
        "map_options": public_map_options(request, areas_url=reverse("disclosure:areas")),
        "points_url": reverse("disclosure:map-points"), "points": points,
        "page": list_page(request, points.points, anchor="map-list")})


@require_GET
def map_points(request):
    """The public map's points as JSON (no personal data; cached)."""
    points = _map_points()
    return JsonResponse({"points": points.points, "days": points.days, "limit": points.limit,
                         "truncated": points.truncated})


@require_GET
@geography_layer(public=True)
def areas(request):
    """District boundaries for the public map (public geography: versioned, revalidated, compressed)."""
    return JsonResponse(_cached("areas", selectors.public_areas))


# ── staff: the moderation queue ─────────────────────────────────────────────────────────


def _require_moderator(request) -> None:
    if not selectors.user_moderates(user=request.user):
        raise PermissionDenied(_("此页面仅对受理员、值班长和平台管理员开放。"))


@login_required
def moderation(request):
    """待审核: held citizen texts and citizen photos, oldest first; or one case's items by its number."""
    _require_moderator(request)
    services.reviews_screen()
    tab = "photos" if request.GET.get("tab") == "photos" else "texts"
    number = request.GET.get("number", "").strip().upper()[:SEARCH_TEXT]
    context = {"tab": tab, "number": number, "box_form": PhotoDecisionForm()}
    if number:
        case = Case.objects.filter(number=number).first()
        if case is None:
            context["error"] = _("没有找到编号为 %(number)s 的案件。") % {"number": number}
        else:
            context["case"] = case
            context["texts"] = [services.description_review(case=case),
                                *TextReview.objects.filter(case=case, event__isnull=False).select_related("event")]
            context["photos"] = list(selectors.case_photos_for_moderation(case))
    else:
        queue = selectors.texts_held() if tab == "texts" else selectors.photos_held()
        after = request.GET.get("after", "")
        page = selectors.queue_page(queue, after=int(after) if after.isdigit() and len(after) < 19 else None,
                                    size=MODERATION_PAGE_SIZE)
        context["page"] = page
        context["texts" if tab == "texts" else "photo_reviews"] = page.items
        context[f"{'text' if tab == 'texts' else 'photo'}_count"] = page.total  # counted once
    if "text_count" not in context:
        context["text_count"] = selectors.texts_held().count()
    if "photo_count" not in context:
        context["photo_count"] = selectors.photos_held().count()
    return render(request, "disclosure/moderation.html", context)


def _back(request):
    target = request.POST.get("next", "")
    return redirect(target if target.startswith("/disclosure/moderation/") else "moderation:queue")


@login_required
@require_POST
@idempotent_form
def text_decide(request, pk: int):
    _require_moderator(request)
    form = TextDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择审核结果。"))
        return _back(request)
    review = get_object_or_404(TextReview, pk=pk)
    services.text_review_decide(review=review, status=form.cleaned_data["status"], user=request.user)
    messages.success(request, _("已审核：%(status)s。") % {"status": ReviewStatus(form.cleaned_data["status"]).label})
    return _back(request)


@login_required
@require_POST
@idempotent_form
def photo_decide(request, pk: int):
    _require_moderator(request)
    found = get_object_or_404(CasePhoto, pk=pk)
    form = PhotoDecisionForm(request.POST)
    if not form.is_valid():
        for message in form.error_messages():
            messages.error(request, message)
        return _back(request)
    try:
        services.photo_review_decide(photo=found, status=form.cleaned_data["status"], box=form.box(),
                                     user=request.user)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        status = ReviewStatus(form.cleaned_data["status"]).label
        messages.success(request, _("已审核：%(status)s。") % {"status": status})
    return _back(request)
