"""Staff pages of the case loop. Thin: parse the request, ask a selector or service, render.

Each role has its page (受理/立案 queue, dispatch console, department work list, inspector
tasks, shift-chief overview); ``cases:list`` sends a user to theirs. Action buttons and forms
come from ``rules.case_actions_for`` (the workflow table), and a submitted action goes
through the same request serializer as the API.
"""
from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from jingzhi.assets.kinds import asset_kind
from jingzhi.assets.selectors import assets_visible
from jingzhi.core.errors import validation_messages
from jingzhi.core.form_errors import field_errors
from jingzhi.core.idempotency import idempotent_form
from jingzhi.core.multipart import serializer_data
from jingzhi.core.paging import list_page
from jingzhi.core.uploads import upload_response
from jingzhi.geo.views import map_options
from jingzhi.org.models import Role
from jingzhi.org.privacy import mask_name, mask_phone
from jingzhi.org.selectors import user_has_role, user_roles

from . import selectors
from .acting import case_act
from .errors import CaseActionError
from .export import ExportTooLarge, cases_workbook
from .form_fields import FIELD_LABELS, ActionForm, action_form, labelled_messages
from .forms import CaseFilterForm
from .models import PhotoKind, Source, Urgency
from .reporting import case_report
from .rules import case_actions_for, case_may_create, report_sources
from .serializers import CaseCreateSerializer, action_arguments, action_serializer_class
from .workflow import ACTION_SPECS, CaseAction, State

#: Rows of each list on the shift chief's overview (four lists on one page; "全部" leads to the search).
OVERVIEW_PAGE_SIZE = 20
#: Rows of the dispatch console (each row is a dispatch form with the departments' list).
DISPATCH_PAGE_SIZE = 25

#: Each role's own page, in the order ``cases:list`` tries them (labels lazy: read per request language).
#: The intake queue serves the 受理员 (accept, reject) and the 值班长 (file, void).
INTAKE_ROLES = (Role.INTAKE_OPERATOR, Role.SHIFT_CHIEF)
OVERVIEW_ROLES = (Role.SHIFT_CHIEF, Role.LEADER, Role.PLATFORM_ADMIN)
ROLE_PAGES = [
    (OVERVIEW_ROLES, "cases:overview", gettext_lazy("总览")),
    ((Role.DISPATCHER,), "cases:dispatch", gettext_lazy("派遣台")),
    (INTAKE_ROLES, "cases:intake", gettext_lazy("受理立案")),
    ((Role.HANDLER,), "cases:worklist", gettext_lazy("部门待办")),
    ((Role.INSPECTOR,), "cases:tasks", gettext_lazy("监督员任务")),
]
REPORT_ROLES = (Role.INSPECTOR, Role.INTAKE_OPERATOR)
#: Who works with cases (the menu's 案件, see ``apps.CasesConfig.navigation``): every role page, the report
#: form, and the unit reporters, who follow their unit's cases in the search.
CASE_PAGE_ROLES = frozenset({role for roles, _url, _label in ROLE_PAGES for role in roles}
                            | set(REPORT_ROLES) | {Role.UNIT_REPORTER})


def _tabs(request) -> list[tuple[str, str]]:
    tabs = [(url, label) for roles, url, label in ROLE_PAGES if user_has_role(user=request.user, roles=roles)]
    if user_has_role(user=request.user, roles=REPORT_ROLES):
        tabs.append(("cases:report", _("登记案件")))
    return [*tabs, ("cases:search", _("案件查询"))]


def _render(request, template: str, context: dict, status: int = 200) -> HttpResponse:
    return render(request, template, {"tabs": _tabs(request), "now": timezone.now(), **context}, status=status)


def _require(request, *roles) -> None:
    if not user_has_role(user=request.user, roles=roles):
        raise PermissionDenied(_("此页面仅对相应岗位开放。"))


@login_required
def case_list(request):
    """The entry page: each user lands on their role's page."""
    for roles, url, _label in ROLE_PAGES:
        if user_has_role(user=request.user, roles=roles):
            return redirect(url)
    return redirect("cases:search")


def _filtered(request):
    form = CaseFilterForm(request.GET or None)
    cases = selectors.cases_with_related(selectors.cases_visible_to(request.user))
    if form.is_bound and form.is_valid():
        cases = selectors.cases_filter(cases, now=timezone.now(), **form.cleaned_data)
    return form, cases


@login_required
def search(request):
    form, cases = _filtered(request)
    page = list_page(request, cases)
    query = request.GET.copy()
    query.pop("page", None)
    return _render(request, "cases/search.html", {"form": form, "page": page, "query": query.urlencode()})


@login_required
def export(request):
    form, cases = _filtered(request)
    back = redirect(f"{reverse('cases:search')}?{request.GET.urlencode()}")
    if form.is_bound and not form.is_valid():
        messages.error(request, _("筛选条件有误，请修正后再导出。"))
        return back
    try:
        content = cases_workbook(cases=cases, now=timezone.now())
    except ExportTooLarge as error:
        messages.error(request, str(error))
        return back
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="cases-{timezone.localdate():%Y%m%d}.xlsx"'
    return response


@login_required
def intake(request):
    _require(request, *INTAKE_ROLES)
    queues = [(role.label, list_page(request, selectors.cases_queue(user=request.user, role=role),
                                     param=f"{role}_page", anchor=f"queue-{role}"), role)
              for role in INTAKE_ROLES if user_has_role(user=request.user, roles=(role,))]
    call_backs = duplicates = None
    if user_has_role(user=request.user, roles=(Role.INTAKE_OPERATOR,)):
        call_backs = list_page(request, selectors.cases_awaiting_call_back(selectors.cases_visible_to(request.user)),
                               param="call_backs_page", anchor="call-backs")
        duplicates = _possible_duplicates(request)
    return _render(request, "cases/intake.html", {"queues": queues, "call_backs": call_backs,
                                                  "duplicates": duplicates})


#: New reports checked for possible duplicates on one intake page (the oldest first, as they are worked).
DUPLICATE_CHECKS_MAX = 50


def _possible_duplicates(request) -> list[tuple]:
    """New reports (待受理) with the open cases of their category within its radius: 合并重复 in one click."""
    reported = selectors.cases_queue(user=request.user, role=Role.INTAKE_OPERATOR).filter(state=State.REPORTED)
    found = []
    for case in reported[:DUPLICATE_CHECKS_MAX]:
        candidates = selectors.duplicate_candidates(category=case.category, lon=case.lon, lat=case.lat,
                                                    exclude_id=case.pk)
        if candidates:
            found.append((case, candidates))
    return found


@login_required
def dispatch_console(request):
    _require(request, Role.DISPATCHER)
    page = list_page(request, selectors.cases_queue(user=request.user, role=Role.DISPATCHER), size=DISPATCH_PAGE_SIZE)
    cases = page.object_list
    rows = []
    for case in cases:
        actions = case_actions_for(case=case, user=request.user)
        rows.append({"case": case, "can_dispatch": CaseAction.DISPATCH in actions,
                     "labels": "、".join(str(CaseAction(action).label) for action in actions
                                        if action != CaseAction.VOID)})
    points = [{"id": case.pk, "number": case.number, "category": case.category.label, "lon": case.lon,
               "lat": case.lat, "state": case.get_state_display(), "url": reverse("cases:detail", args=[case.pk])}
              for case in cases]
    return _render(request, "cases/dispatch.html", {
        "rows": rows, "page": page, "points": points, "units": selectors.dispatch_units(),
        "map_options": map_options(request),
    })


@login_required
def worklist(request):
    _require(request, Role.HANDLER)
    return _render(request, "cases/worklist.html",
                   {"page": list_page(request, selectors.cases_worklist(user=request.user))})


#: "我的上报" on the inspector's page, per page.
REPORTS_PAGE_SIZE = 20


@login_required
def tasks(request):
    """The inspector's phone page: 核查 and 核实 tasks (nearest deadline first, with a photo each),
    then their own reports in pages."""
    _require(request, Role.INSPECTOR)
    tasks = list(selectors.cases_inspector_tasks(user=request.user).prefetch_related("photos"))
    reports = list_page(request, selectors.cases_reported_by(user=request.user), size=REPORTS_PAGE_SIZE,
                        anchor="my-reports")
    return _render(request, "cases/tasks.html", {
        "verify_tasks": [case for case in tasks if case.state == State.VERIFYING],
        "confirm_tasks": [case for case in tasks if case.state != State.VERIFYING],
        "reports": reports,
    })


@login_required
def overview(request):
    _require(request, *OVERVIEW_ROLES)
    now = timezone.now()
    visible = selectors.cases_with_related(selectors.cases_visible_to(request.user))
    counts = selectors.case_state_counts(selectors.cases_visible_to(request.user))
    return _render(request, "cases/overview.html", {
        "counts": [(state, State(state).label, count) for state, count in counts.items()],
        **{name: list_page(request, cases, param=f"{name}_page", size=OVERVIEW_PAGE_SIZE, anchor=name)
           for name, cases in (
               ("queue", selectors.cases_queue(user=request.user, role=Role.SHIFT_CHIEF)),
               ("dissatisfied", selectors.cases_dissatisfied(visible)),
               ("escalated", selectors.cases_escalated(visible)),
               ("overdue", selectors.cases_overdue(visible, now=now)))},
    })


def _reporter_contact(request, case) -> str:
    if selectors.user_sees_contact(user=request.user, case=case):  # an app's report may add email and device
        return " ".join(part for part in (case.reporter_name, case.reporter_phone, case.reporter_email,
                                          case.device_id) if part)
    return f"{mask_name(case.reporter_name)} {mask_phone(case.reporter_phone)}".strip()


def _action_forms(request, case, *, refused: str, values, errors) -> list[ActionForm]:
    """The forms of the actions the user may take now, each drawn from its request serializer;
    the ``refused`` one with the ``values`` sent and the ``errors`` by field."""
    initial = {"inspector": case.reporter_id, "department": case.suggested_department_id}  # proposed
    return [action_form(action=action, label=CaseAction(action).label, danger=ACTION_SPECS[action].danger,
                        serializer_class=action_serializer_class(action), initial=initial,
                        **({"values": values, "errors": errors} if action == refused else {}))
            for action in case_actions_for(case=case, user=request.user)]


def _detail_context(request, case, *, refused: str = "", values=None, errors=None) -> dict:
    photos = list(case.photos.all())
    events = list(case.events.select_related("actor").prefetch_related("photos"))
    for event in events:
        event.case = case
        event.actor_label = selectors.event_actor_name(event=event, user=request.user)
    return {
        "case": case,
        "events": events,
        "photos": photos,
        "steps": case.on_site_steps.all(),
        "reporter_contact": _reporter_contact(request, case),
        "actions": _action_forms(request, case, refused=refused, values=values, errors=errors),
        "map_options": {**map_options(request), "center": [case.lat, case.lon], "zoom": 16},
        "point": {"lon": case.lon, "lat": case.lat, "number": case.number,
                  "photo": photos[0].get_absolute_url() if photos else ""},
        "photo_kinds": {kind: [p for p in photos if p.kind == kind] for kind in PhotoKind.values},
    }


def _visible_case(request, pk: int):
    cases = selectors.cases_with_related(selectors.cases_visible_to(request.user))
    return get_object_or_404(cases.select_related("suggested_department", "inspector", "duplicate_of"), pk=pk)


@login_required
def photo(request, pk: int):
    """A case photo, served only to users who may see its case."""
    found = get_object_or_404(selectors.photos_visible_to(request.user), pk=pk)
    return upload_response(found.image)


@login_required
def detail(request, pk: int):
    case = _visible_case(request, pk)
    return _render(request, "cases/detail.html", _detail_context(request, case))


@login_required
@require_POST
@idempotent_form
def act(request, pk: int, action: str):
    if action not in ACTION_SPECS:
        raise Http404
    case = _visible_case(request, pk)
    serializer_class = action_serializer_class(action)
    serializer = serializer_class(data=serializer_data(request, serializer_class))
    status, page_errors = 400, []
    if not serializer.is_valid():
        errors = serializer.errors
    else:
        try:
            case_act(case=case, action=action, actor=request.user,
                     **action_arguments(action, serializer.validated_data))
        except DjangoValidationError as error:
            errors = validation_messages(error)
        except CaseActionError as error:
            status, errors, page_errors = error.status_code, None, [str(error)]
        else:
            messages.success(request, _("已%(action)s。") % {"action": CaseAction(action).label})
            return redirect("cases:detail", pk=case.pk)
    context = _detail_context(request, _visible_case(request, pk), refused=action, values=request.POST,
                              errors=errors)
    refused = next((form for form in context["actions"] if form.failed), None)
    if refused is None and errors:  # not the user's to take (now): the messages go to the top of the page
        page_errors += labelled_messages(errors)
    return _render(request, "cases/detail.html", {
        **context, "refused": refused if errors else None, "errors": page_errors}, status=status)


@login_required
@idempotent_form
def report(request):
    """Staff entry of a case: an inspector's find or a hotline call taken by the 受理员. A citizen
    reports on the portal (the same form), where a signed-in citizen is sent."""
    if not user_has_role(user=request.user, roles=REPORT_ROLES) and user_has_role(user=request.user,
                                                                                   roles=(Role.CITIZEN,)):
        return redirect("portal:report")
    _require(request, *REPORT_ROLES)
    errors, status = [], 200
    asset = _reported_asset(request)
    if request.method == "POST":
        serializer = CaseCreateSerializer(data=serializer_data(request, CaseCreateSerializer),
                                          context={"request": request})
        if serializer.is_valid():
            try:
                case = case_report(reporter=request.user, **serializer.validated_data)
            except DjangoValidationError as error:
                errors = field_errors(error.message_dict, labels=FIELD_LABELS)
            else:
                messages.success(request, _("已登记案件 %(number)s。") % {"number": case.number})
                return redirect("cases:detail", pk=case.pk)
        else:
            errors = field_errors(serializer.errors, labels=FIELD_LABELS)
        status = 400
    roles = user_roles(user=request.user)
    sources = [choice for choice in Source.choices if choice[0] in report_sources(roles)]
    options, values, groups = map_options(request), request.POST, selectors.categories_grouped()
    if asset is not None:  # 上报问题 from an asset's record: its place, and its kind's categories
        options.update(center=[float(asset.lat), float(asset.lon)], zoom=17)
        codes = set(asset_kind(asset.kind).categories)
        groups = [(group, kept) for group, categories in groups
                  if (kept := [category for category in categories if category.number_prefix in codes])]
        if request.method != "POST":
            values = {"lon": asset.lon, "lat": asset.lat, "address": f"{asset.name}（{asset.code}）"}
    return _render(request, "cases/report.html", {
        "errors": errors, "sources": sources, "urgencies": Urgency.choices, "values": values,
        "may_self_handle": case_may_create(action=CaseAction.SELF_HANDLE, roles=roles),
        "takes_calls": user_has_role(user=request.user, roles=(Role.INTAKE_OPERATOR,)),  # the caller's name and phone
        "categories_grouped": groups, "map_options": options, "asset": asset,
        "max_photos": settings.UPLOAD_MAX_FILES,
    }, status=status)


def _reported_asset(request):
    """The registry asset a report is on (``?asset=`` from its record, or the form's hidden field), if
    the user may see it."""
    asset_id = request.POST.get("asset") or request.GET.get("asset")
    if not asset_id or not str(asset_id).isdigit():
        return None
    return assets_visible(user=request.user).filter(pk=int(asset_id)).first()
