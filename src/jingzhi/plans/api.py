"""REST API of `plans`: the same scoping and services as the pages.

Lists and details take ``?as_of=YYYY-MM-DD`` (the review date, see selectors.plan_review_date).
Refusals (docs/plans.md): objects outside the user's scope are 404, also when named in the body (the
indicator of a report, the task of a notice); writes the user may not make are 403. The services raise
them (``errors``); ``core.errors.exception_handler`` answers them, with their field-keyed ValidationErrors.
"""
from datetime import date

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from jingzhi.core.fields import parse_iso_date
from jingzhi.core.idempotency import IDEMPOTENCY_PARAMETER, idempotent
from jingzhi.core.limits import ID_MAX
from jingzhi.core.multipart import serializer_data
from jingzhi.core.rest import JSONParser
from jingzhi.org.permissions import role_required

from . import selectors, services
from .models import Plan
from .notice_workflow import NoticeAction, action_roles
from .serializers import (
    ChecklistItemSerializer,
    ChecklistMarkSerializer,
    IndicatorSerializer,
    NoticeCreateSerializer,
    NoticeReplySerializer,
    NoticeReviewSerializer,
    NoticeSerializer,
    PlanSerializer,
    ProgressReportCreateSerializer,
    ProgressReportSerializer,
    TaskSerializer,
)

AS_OF = OpenApiParameter("as_of", OpenApiTypes.DATE, OpenApiParameter.QUERY,
                         description="评估日期（默认：方案设定的评估日期，否则今天）")
ID_SCHEMA = {"type": "integer", "minimum": 1, "maximum": ID_MAX}
PLAN = OpenApiParameter("plan", ID_SCHEMA, OpenApiParameter.QUERY, description="只看该方案")
TASK = OpenApiParameter("task", ID_SCHEMA, OpenApiParameter.QUERY, description="只看该任务")
INDICATOR = OpenApiParameter("indicator", ID_SCHEMA, OpenApiParameter.QUERY, description="只看该指标")


def _requested_as_of(request) -> date | None:
    raw = request.query_params.get("as_of")
    if raw is None:
        return None
    try:
        return parse_iso_date(raw)
    except ValueError:
        raise ValidationError({"as_of": [_("日期格式应为 YYYY-MM-DD。")]}) from None
    except DjangoValidationError as error:
        raise ValidationError({"as_of": error.messages}) from None


def _filtered(request, queryset, **lookups):
    """Apply ``?name=<id>`` filters named in ``lookups`` (name → ORM lookup). An id is checked
    against the id range first: SQLite cannot even compare a column with a larger integer."""
    for name, lookup in lookups.items():
        value = request.query_params.get(name)
        if value is not None:
            try:
                value = serializers.IntegerField(min_value=1, max_value=ID_MAX).run_validation(value)
            except ValidationError as error:
                raise ValidationError({name: error.detail}) from None
            queryset = queryset.filter(**{lookup: value})
    return queryset


class ReviewMixin:
    """Gives serializers the request's PlanReview."""

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["review"] = selectors.PlanReview(user=self.request.user, requested=_requested_as_of(self.request))
        return context

    def object_action(self, request, body_class, service, *, arguments):
        """A POST on one object: find it in scope (404), parse the body (400), run the service, show the result.

        ``arguments(obj, data, review)`` returns the service's keyword arguments besides the user.
        """
        obj = self.get_object()
        body = body_class(data=serializer_data(request, body_class))
        body.is_valid(raise_exception=True)
        context = self.get_serializer_context()
        service(user=request.user, **arguments(obj, body.validated_data, context["review"]))
        return Response(self.get_serializer_class()(self.get_queryset().get(pk=obj.pk), context=context).data)


class WriterRolesMixin:
    """Refuses a write action (403) to users without one of its roles, before the input is read.

    The services check the finer rule (which unit, which task) again.
    """

    writer_roles: dict[str, tuple[str, ...]] = {}

    def get_permissions(self):
        roles = self.writer_roles.get(self.action)
        return [*super().get_permissions(), *([role_required(*roles)()] if roles else [])]


@extend_schema_view(list=extend_schema(parameters=[AS_OF]), retrieve=extend_schema(parameters=[AS_OF]))
class PlanViewSet(ReviewMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = PlanSerializer
    queryset = Plan.objects.all()


@extend_schema_view(list=extend_schema(parameters=[AS_OF, PLAN]), retrieve=extend_schema(parameters=[AS_OF]))
class TaskViewSet(ReviewMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = TaskSerializer

    def get_queryset(self):
        tasks = selectors.task_list_visible(user=self.request.user).select_related("plan", "action")
        tasks = tasks.prefetch_related("task_units__unit", "indicators__milestones",
                                       "checklist_items__done_by")
        return _filtered(self.request, tasks, plan="plan_id").order_by("plan", "position")


@extend_schema_view(list=extend_schema(parameters=[AS_OF, PLAN, TASK]), retrieve=extend_schema(parameters=[AS_OF]))
class IndicatorViewSet(ReviewMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = IndicatorSerializer

    def get_queryset(self):
        indicators = selectors.indicator_list_visible(user=self.request.user).prefetch_related("milestones")
        return _filtered(self.request, indicators, plan="task__plan_id", task="task_id").order_by(
            "task__plan", "task__position", "position")


@extend_schema_view(list=extend_schema(parameters=[AS_OF, PLAN, TASK]), retrieve=extend_schema(parameters=[AS_OF]))
class ChecklistItemViewSet(WriterRolesMixin, ReviewMixin, viewsets.ReadOnlyModelViewSet):
    """Qualitative requirements (工作要求); the task's lead unit confirms them done or not done."""

    serializer_class = ChecklistItemSerializer
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    writer_roles = {"mark": selectors.REPORTER_ROLES}

    def get_queryset(self):
        items = selectors.checklist_list_visible(user=self.request.user)
        return _filtered(self.request, items, plan="task__plan_id", task="task_id").order_by(
            "task__plan", "task__position", "position")

    @extend_schema(request={"multipart/form-data": ChecklistMarkSerializer,
                            "application/json": ChecklistMarkSerializer},
                   responses={200: ChecklistItemSerializer}, parameters=[AS_OF, IDEMPOTENCY_PARAMETER])
    @action(detail=True, methods=["post"])
    @idempotent
    def mark(self, request, pk=None):
        """Confirm done (date, note, optional evidence) or reopen. 403 unless the user's unit leads the task."""
        return self.object_action(request, ChecklistMarkSerializer, services.checklist_item_mark,
                                  arguments=lambda item, data, review: {"item": item, **data})


@extend_schema_view(list=extend_schema(parameters=[TASK, INDICATOR]))
class ProgressReportViewSet(WriterRolesMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                            viewsets.GenericViewSet):
    serializer_class = ProgressReportSerializer
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    writer_roles = {"create": selectors.REPORTER_ROLES}

    def get_queryset(self):
        reports = selectors.report_list_visible(user=self.request.user)
        return _filtered(self.request, reports, task="indicator__task_id", indicator="indicator_id").order_by(
            "-measured_on", "-id")

    @extend_schema(request={"multipart/form-data": ProgressReportCreateSerializer,
                            "application/json": ProgressReportCreateSerializer},
                   responses={201: ProgressReportSerializer}, parameters=[IDEMPOTENCY_PARAMETER])
    @idempotent
    def create(self, request, *args, **kwargs):
        """File a progress report (multipart for evidence files). 403 outside the reporter's tasks."""
        data = ProgressReportCreateSerializer(data=serializer_data(request, ProgressReportCreateSerializer))
        data.is_valid(raise_exception=True)
        report = services.progress_report_create(user=request.user, **data.validated_data)
        return Response(ProgressReportSerializer(report, context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED)


@extend_schema_view(list=extend_schema(parameters=[AS_OF, TASK]), retrieve=extend_schema(parameters=[AS_OF]))
class NoticeViewSet(WriterRolesMixin, ReviewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                    mixins.CreateModelMixin, viewsets.GenericViewSet):
    serializer_class = NoticeSerializer
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    writer_roles = {"create": action_roles(NoticeAction.ISSUE), "reply": action_roles(NoticeAction.REPLY),
                    "review": action_roles(NoticeAction.ACCEPT)}  # accept and return: one actor (the table's test)

    def get_queryset(self):
        notices = selectors.notice_list_visible(user=self.request.user)
        return _filtered(self.request, notices, task="task_id")

    @extend_schema(request=NoticeCreateSerializer, responses={201: NoticeSerializer},
                   parameters=[AS_OF, IDEMPOTENCY_PARAMETER])
    @idempotent
    def create(self, request, *args, **kwargs):
        """Issue a 督办 notice (plan office) on a lagging task, dated on the review date."""
        data = NoticeCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        context = self.get_serializer_context()
        on = context["review"].on(data.validated_data["task"].plan_id)
        notice = services.notice_issue(user=request.user, on=on, **data.validated_data)
        return Response(NoticeSerializer(notice, context=context).data, status=status.HTTP_201_CREATED)

    @extend_schema(request={"multipart/form-data": NoticeReplySerializer, "application/json": NoticeReplySerializer},
                   responses={200: NoticeSerializer}, parameters=[AS_OF, IDEMPOTENCY_PARAMETER])
    @action(detail=True, methods=["post"])
    @idempotent
    def reply(self, request, pk=None):
        """The lead unit replies to an open or returned 督办 notice, with optional evidence."""
        return self.object_action(request, NoticeReplySerializer, services.notice_reply,
                                  arguments=lambda notice, data, review: {
                                      "notice": notice, "on": review.on(notice.task.plan_id), **data})

    @extend_schema(request=NoticeReviewSerializer, responses={200: NoticeSerializer},
                   parameters=[AS_OF, IDEMPOTENCY_PARAMETER])
    @action(detail=True, methods=["post"])
    @idempotent
    def review(self, request, pk=None):
        """The plan office closes a replied notice (accept) or sends it back (return, with a reason)."""
        return self.object_action(request, NoticeReviewSerializer, services.notice_review,
                                  arguments=lambda notice, data, review: {
                                      "notice": notice, "accept": data["decision"] == "accept", "text": data["text"],
                                      "on": review.on(notice.task.plan_id)})
