"""Staff pages of the work plan. Thin: parse the request, ask a selector or a service, render.

Pages show only what the user may see (404 otherwise); a write the user may not
make is refused (``errors``: 403, or 404 outside the user's scope) before anything is read from the form.

Every page is computed for a review date (评估日期): ``?as_of=YYYY-MM-DD`` if given,
else the plan's own review date, else today (see ``selectors.plan_review_date``).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from itertools import groupby
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jingzhi.core.fields import parse_iso_date
from jingzhi.core.idempotency import idempotent_form
from jingzhi.core.uploads import upload_response

from . import selectors, services
from .charts import trend_chart
from .export import plan_workbook
from .forms import ChecklistMarkForm, NoticeForm, NoticeReplyForm, NoticeReviewForm, ProgressReportForm
from .models import ChecklistItem, Plan, Responsibility, SupervisionNotice, Task
from .notice_workflow import REVIEW_ACTIONS, NoticeAction


@dataclass(frozen=True)
class Review:
    """The plan being looked at and the date it is reviewed at."""

    plan: Plan
    on: date
    query: str  # "?as_of=…" when the request chose the date, to carry it along links

    @property
    def source(self) -> str:
        if self.query:
            return _("页面指定")
        return _("方案设定") if self.plan.as_of else _("今天")


def _review(request, plan: Plan | None = None) -> Review:
    if plan is None:
        chosen = request.GET.get("plan", "")
        plan = (get_object_or_404(Plan, pk=chosen) if chosen.isascii() and chosen.isdigit()  # "²".isdigit() is True
                else selectors.plan_current())
        if plan is None:
            raise Http404(_("尚未导入工作方案。"))
    raw, requested = request.GET.get("as_of", ""), None
    if raw:
        try:
            requested = parse_iso_date(raw)
        except ValueError:
            messages.error(request, _("评估日期格式应为 YYYY-MM-DD，已按默认日期计算。"))
        except ValidationError as error:
            messages.error(request, _("评估日期无效：%(error)s已按默认日期计算。") % {"error": error.messages[0]})
    query = "?" + urlencode({"as_of": requested.isoformat()}) if requested else ""
    return Review(plan, selectors.plan_review_date(plan=plan, requested=requested), query)


def _visible_task(request, pk: int) -> Task:
    return get_object_or_404(selectors.task_list_visible(user=request.user), pk=pk)


@login_required
def overview(request):
    review = _review(request)
    states = selectors.plan_states(user=request.user, plan=review.plan, on=review.on)
    actions = [(action, list(group)) for action, group in groupby(states, key=lambda s: s.task.action)]
    return render(request, "plans/overview.html", {
        "review": review, "actions": actions, "counts": selectors.status_counts(states),
    })


def _notice_form(forms: dict, name: str, form_class, notice, failed_pk):
    """The reply or review form of one notice: the submitted one (with its errors) for the notice
    that failed, a blank one for the others; field ids carry the notice so labels stay unique."""
    form = forms.pop(name) if failed_pk == notice.pk and name in forms else form_class()
    form.auto_id = f"id_{name}{notice.pk}_%s"
    return form


def _task_page(request, task: Task, *, status: int = 200, **forms) -> HttpResponse:
    review = _review(request, task.plan)
    state = selectors.task_state(user=request.user, task=task, on=review.on)
    user = request.user
    first = task.indicators.filter(source="").first()  # live indicators are computed, never filed
    may_report = first is not None and not state.subtasks and selectors.user_may_report(user=user, task=task)
    may_issue = selectors.notice_may_issue(user=user, state=state)
    if may_report and "report_form" not in forms:
        forms["report_form"] = ProgressReportForm(task=task, initial={
            "measured_on": min(review.on, timezone.localdate()), "unit": first.unit if first else None,
        })
    if may_issue and "notice_form" not in forms:
        forms["notice_form"] = NoticeForm(task=task, initial={"text": _("该任务进度滞后，请说明原因并提出整改措施。")})
    failed = forms.pop("failed_notice", None)
    notices = []  # (notice, late, its reply form or None, its review form or None)
    for notice in task.notices.select_related("to_unit", "issued_by", "replied_by").prefetch_related("events__by"):
        actions = selectors.notice_actions_for(user=user, notice=notice)
        may_reply = NoticeAction.REPLY in actions
        may_close = any(action in actions for action in REVIEW_ACTIONS)
        notices.append((
            notice, selectors.notice_is_late(notice, on=review.on),
            _notice_form(forms, "reply_form", NoticeReplyForm, notice, failed) if may_reply else None,
            _notice_form(forms, "review_form", NoticeReviewForm, notice, failed) if may_close else None,
        ))
    task_units = state.task.task_units.all()  # prefetched with their units
    reports = sorted((r for i in state.indicators for r in i.reports), key=lambda r: (r.measured_on, r.pk),
                     reverse=True)
    return render(request, "plans/task_detail.html", {
        "review": review, "state": state, "task": task,
        "indicators": [(i, trend_chart(i, on=review.on)) for i in state.indicators],
        "reports": reports, "notices": notices,
        "responsible_units": [tu for tu in task_units
                              if tu.role == Responsibility.RESPONSIBLE and not tu.collective],
        "collectives": sorted({tu.collective for tu in task_units if tu.collective}),
        "may_report": may_report, "may_issue": may_issue,
        "may_mark": not state.subtasks and selectors.user_may_mark_checklist(user=user, task=task),
        "failed_notice": failed, "failed_review": forms.pop("review_form", None) if failed else None,
        # The refused form, whichever it is, for the error summary at the top of the page.
        "refused_forms": [form for form in (*forms.values(), *(form for notice in notices for form in notice[2:]))
                          if form is not None and form.is_bound],
        "checklist_form": ChecklistMarkForm(initial={"done_on": min(review.on, timezone.localdate())}),
        **forms,
    }, status=status)


@login_required
def task_detail(request, pk: int):
    return _task_page(request, _visible_task(request, pk))


def _apply(request, task: Task, form, service, *, form_name: str, done: str, **page):
    """Run ``service(cleaned_data)`` for a valid form; otherwise show the task page with the errors."""
    if form.is_valid():
        try:
            service(form.cleaned_data)
        except ValidationError as error:
            for field, field_errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, field_errors)
        else:
            messages.success(request, done)
            return redirect(reverse("plans:task-detail", args=[task.pk]) + _review(request, task.plan).query)
    return _task_page(request, task, status=400, **{form_name: form}, **page)


@login_required
@require_POST
@idempotent_form
def report_create(request, pk: int):
    task = get_object_or_404(Task, pk=pk)  # another unit's task: NotVisible (404) from the check
    services.report_check_allowed(user=request.user, task=task)
    form = ProgressReportForm(request.POST, request.FILES, task=task)
    return _apply(request, task, form, lambda data: services.progress_report_create(
        user=request.user, indicator=data["indicator"], value=data["value"], measure_unit=data["unit"],
        measured_on=data["measured_on"], comment=data["comment"], evidence=data["evidence"],
    ), form_name="report_form", done=_("进度已填报。"))


@login_required
@require_POST
@idempotent_form
def checklist_mark(request, pk: int):
    item = get_object_or_404(ChecklistItem.objects.select_related("task"), pk=pk)
    services.checklist_check_allowed(user=request.user, task=item.task)
    form = ChecklistMarkForm(request.POST, request.FILES)
    return _apply(request, item.task, form, lambda data: services.checklist_item_mark(
        user=request.user, item=item, done=data["done"], done_on=data["done_on"], note=data["note"],
        evidence=data["evidence"],
    ), form_name="checklist_form", done=_("工作要求状态已更新。"))


@login_required
@require_POST
@idempotent_form
def notice_create(request, pk: int):
    task = get_object_or_404(Task, pk=pk)
    services.notice_issue_check_allowed(user=request.user, task=task)
    on = _review(request, task.plan).on
    form = NoticeForm(request.POST, task=task)
    return _apply(request, task, form, lambda data: services.notice_issue(
        user=request.user, task=task, to_unit=data["to_unit"], text=data["text"], reply_due=data["reply_due"], on=on,
    ), form_name="notice_form", done=_("督办已发出。"))


@login_required
@require_POST
@idempotent_form
def notice_reply(request, pk: int):
    notice = get_object_or_404(SupervisionNotice.objects.select_related("task"), pk=pk)
    services.notice_check_allowed(user=request.user, notice=notice, actions=(NoticeAction.REPLY,))
    on = _review(request, notice.task.plan).on
    form = NoticeReplyForm(request.POST, request.FILES)
    return _apply(request, notice.task, form, lambda data: services.notice_reply(
        user=request.user, notice=notice, text=data["text"], evidence=data["evidence"], on=on,
    ), form_name="reply_form", done=_("督办已回复。"), failed_notice=notice.pk)


@login_required
@require_POST
@idempotent_form
def notice_review(request, pk: int):
    notice = get_object_or_404(SupervisionNotice.objects.select_related("task"), pk=pk)
    services.notice_check_allowed(user=request.user, notice=notice, actions=REVIEW_ACTIONS)
    on = _review(request, notice.task.plan).on
    form = NoticeReviewForm(request.POST)
    return _apply(request, notice.task, form, lambda data: services.notice_review(
        user=request.user, notice=notice, accept=data["decision"] == "accept", text=data["text"], on=on,
    ), form_name="review_form", done=_("督办已处理。"), failed_notice=notice.pk)


@login_required
def my_tasks(request):
    review = _review(request)
    parts = list(selectors.my_task_units(user=request.user, plan=review.plan))
    tasks = Task.objects.filter(pk__in=[p.task_id for p in parts])
    states = selectors.states_by_task(selectors.task_states(tasks=tasks, on=review.on))
    notices = selectors.notice_list_visible(user=request.user).filter(task__plan=review.plan,
                                                                   to_unit__in=[p.unit_id for p in parts])
    return render(request, "plans/my_tasks.html", {
        "review": review, "rows": [(p, states[p.task_id]) for p in parts],
        "notices": [(n, selectors.notice_is_late(n, on=review.on)) for n in notices],
    })


@login_required
def lagging(request):
    review = _review(request)
    states = selectors.lagging_states(user=request.user, plan=review.plan, on=review.on)
    notices = selectors.notice_list_visible(user=request.user).filter(task__plan=review.plan)
    return render(request, "plans/lagging.html", {
        "review": review, "states": states,
        "notices": [(n, selectors.notice_is_late(n, on=review.on)) for n in notices],
        "may_issue": selectors.user_holds_notice_role(user=request.user, action=NoticeAction.ISSUE),
    })


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def export(request):
    review = _review(request)
    states = selectors.plan_states(user=request.user, plan=review.plan, on=review.on)
    notices = (selectors.notice_list_visible(user=request.user).filter(task__plan=review.plan)
               .order_by("task__position", "issued_on", "id"))
    content = plan_workbook(plan=review.plan, states=states, notices=list(notices), on=review.on)
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="plan-{review.plan.year}-{review.on}.xlsx"'
    return response


@login_required
def evidence(request, kind: str, pk: int):
    """Evidence files are served only to users who may see their task (never from a public URL)."""
    found = selectors.evidence_file(user=request.user, kind=kind, pk=pk)
    if found is None:
        raise Http404
    file, name = found
    return upload_response(file, name=name)
