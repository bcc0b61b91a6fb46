"""REST API of the case loop: cases (list, detail, create), one route per workflow action,
categories and the caller's notifications. Scoped exactly like the staff pages; refusals of the
services become 400 / 403 / 409 answers in ``core.errors.exception_handler``."""
from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView, get_object_or_404
from rest_framework.response import Response

from jingzhi.core.fields import StrictBooleanField
from jingzhi.core.idempotency import IDEMPOTENCY_PARAMETER, idempotent
from jingzhi.core.multipart import serializer_data
from jingzhi.core.schema import ErrorSerializer

from .acting import case_act
from .forms import CaseFilterForm
from .inbox import notification_mark_read, notifications_mark_all_read
from .models import Case, Category, Notification
from .reporting import case_report
from .selectors import cases_filter, cases_visible_to, cases_with_overdue, cases_with_related, notifications_of
from .serializers import (
    CaseCreateSerializer,
    CaseDetailSerializer,
    CaseReceiptSerializer,
    CaseSerializer,
    CategorySerializer,
    NotificationSerializer,
    NotificationsMarkedSerializer,
    action_arguments,
    action_serializer_class,
)
from .workflow import CaseAction

#: An API list filter given without a value.
BLANK_FILTER = _("筛选参数不能为空；不按此项筛选时请省略该参数。")

#: The schema's description of a case action's 409.
CONFLICT = _("该动作在案件当前状态下不可执行（例如已被他人先处理）")


def _filter_parameter(name, field) -> OpenApiParameter:
    """A list filter documented from its CaseFilterForm field: type, choices, length and pattern
    (never empty: the page's "all" choice is the parameter left out)."""
    if isinstance(field, forms.BooleanField):
        schema = {"type": "boolean"}
    elif isinstance(field, forms.DateField):
        schema = {"type": "string", "format": "date"}
    elif isinstance(field, forms.ModelChoiceField):
        schema = {"type": "integer"}
    elif isinstance(field, forms.ChoiceField):
        schema = {"type": "string", "enum": [str(value) for value, _label in field.choices if value]}
    else:
        schema = {"type": "string", "minLength": 1}
        if field.max_length is not None:
            schema["maxLength"] = field.max_length
        if isinstance(field, forms.RegexField):
            schema["pattern"] = field.regex.pattern
    return OpenApiParameter(name, schema, OpenApiParameter.QUERY, required=False, description=str(field.label))


FILTER_PARAMETERS = [_filter_parameter(name, field) for name, field in CaseFilterForm.base_fields.items()]


def _cases_detailed(cases):
    """What a case's detail answer reads, in a fixed number of queries."""
    cases = cases_with_overdue(cases_with_related(cases), now=timezone.now())
    return cases.select_related("suggested_department").prefetch_related(
        "events__actor", "photos", "on_site_steps")


class CaseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                  viewsets.GenericViewSet):
    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no real user
            return Case.objects.none()
        cases = cases_visible_to(self.request.user)
        if self.action == "retrieve":
            return _cases_detailed(cases)
        return cases_with_overdue(cases_with_related(cases), now=timezone.now()).select_related("suggested_department")

    def get_serializer_class(self):
        return {"retrieve": CaseDetailSerializer, "create": CaseCreateSerializer}.get(self.action, CaseSerializer)

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        query = self.request.query_params
        # The search page sends every filter, empty ones too; an API client leaves out those it
        # does not use, so an empty one is a mistake (as the schema says), not "all".
        blank = {name: [BLANK_FILTER] for name in CaseFilterForm.base_fields if query.get(name) == ""}
        form = CaseFilterForm(query)
        if blank or not form.is_valid():
            raise ValidationError({**{field: [error["message"] for error in errors]
                                      for field, errors in form.errors.get_json_data().items()}, **blank})
        return cases_filter(queryset, now=timezone.now(), **form.cleaned_data)

    @extend_schema(parameters=FILTER_PARAMETERS)
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=CaseCreateSerializer, responses={201: CaseReceiptSerializer},
                   parameters=[IDEMPOTENCY_PARAMETER])
    @idempotent
    def create(self, request, *args, **kwargs):
        """Report a case (multipart with ``photos``, or JSON); answers with a receipt (number,
        state, routing). Intake is the platform's hottest write path, so nothing is re-read."""
        serializer = CaseCreateSerializer(data=serializer_data(request, CaseCreateSerializer),
                                          context={"request": request})
        serializer.is_valid(raise_exception=True)
        case = case_report(reporter=request.user, **serializer.validated_data)
        return Response(CaseReceiptSerializer(case).data, status=status.HTTP_201_CREATED)


class CaseActionView(GenericAPIView):
    """POST one workflow action on one case; the table decides whether it is allowed."""

    workflow_action: str = ""

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Case.objects.none()
        return cases_visible_to(self.request.user)

    def get_serializer_class(self):
        return action_serializer_class(self.workflow_action)

    @idempotent  # an inspector's phone retrying 核查通过 gets its first answer, not a 409
    def post(self, request, pk: int):
        case = get_object_or_404(self.get_queryset(), pk=pk)
        serializer = self.get_serializer(data=serializer_data(request, self.get_serializer_class()))
        serializer.is_valid(raise_exception=True)
        case_act(case=case, action=self.workflow_action, actor=request.user,
                 **action_arguments(self.workflow_action, serializer.validated_data))
        case = _cases_detailed(self.get_queryset()).get(pk=pk)
        return Response(CaseDetailSerializer(case, context={"request": request}).data)


def case_action_view(workflow_action: str):
    """A view class for one action, with its own schema entry."""
    label = CaseAction(workflow_action).label
    view = type(f"Case{workflow_action.title().replace('_', '')}View", (CaseActionView,),
                {"workflow_action": workflow_action})
    return extend_schema_view(post=extend_schema(
        summary=str(label), operation_id=f"cases_{workflow_action}",
        responses={200: CaseDetailSerializer, 409: OpenApiResponse(ErrorSerializer, description=CONFLICT)},
        parameters=[IDEMPOTENCY_PARAMETER],
    ))(view)


class CategoryViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = CategorySerializer
    queryset = Category.objects.select_related("category_class", "department_unit").order_by(
        "category_class__kind", "code")
    pagination_class = None


UNREAD_PARAMETER = OpenApiParameter(
    "unread", {"type": "boolean"}, OpenApiParameter.QUERY, required=False,
    description=str(_("true：只列未读通知；false：只列已读通知")))


class NotificationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The caller's own notifications, newest first; read and read-all touch only theirs."""

    serializer_class = NotificationSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Notification.objects.none()
        return notifications_of(self.request.user)

    def filter_queryset(self, queryset):
        if self.action != "list" or "unread" not in self.request.query_params:
            return queryset
        field = StrictBooleanField()
        try:
            unread = field.run_validation(self.request.query_params["unread"])
        except ValidationError as error:
            raise ValidationError({"unread": error.detail}) from None
        return queryset.filter(read_at__isnull=unread)

    @extend_schema(parameters=[UNREAD_PARAMETER])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        """Mark one of the caller's notifications read (again: no change)."""
        notification = notification_mark_read(notification=self.get_object(), now=timezone.now())
        return Response(NotificationSerializer(notification).data)

    @extend_schema(request=None, responses=NotificationsMarkedSerializer)
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        """Mark all the caller's unread notifications read."""
        marked = notifications_mark_all_read(user=request.user, now=timezone.now())
        return Response({"marked": marked})
