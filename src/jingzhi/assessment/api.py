"""REST API of the assessment (/api/assessment/…): assessments, their results (scoped), the
drill-down (paginated), the bulletins, and the office's compute / commentary / publish. There is
no update or delete of results: a published assessment is frozen (409 on every write)."""
from __future__ import annotations

from django.db.models import F
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from jingzhi.org.permissions import role_required

from . import selectors, services
from .access import OFFICE_ROLES
from .bulletin import bulletin_pdf, bulletin_xlsx
from .counting import BACKLOG_COUNTERS, COUNTER_FAMILY, KINDS
from .serializers import (
    AssessmentSerializer,
    CommentarySerializer,
    ComputeSerializer,
    DrilldownRowSerializer,
    ResultSerializer,
)

KIND_PARAMETER = OpenApiParameter("kind", str, enum=list(KINDS), description="考核对象类型")



class AssessmentViewSet(viewsets.ReadOnlyModelViewSet):
    """月考核 and 季点评: drafts for the office and leaders, published ones for everyone on staff."""

    serializer_class = AssessmentSerializer
    lookup_field = "period"
    lookup_value_converter = "str"

    def get_queryset(self):
        return selectors.assessments_visible(user=self.request.user)

    def get_permissions(self):
        office = ("compute", "commentary", "publish")
        return [*super().get_permissions(), *([role_required(*OFFICE_ROLES)()] if self.action in office else [])]

    @extend_schema(parameters=[KIND_PARAMETER], responses=ResultSerializer(many=True))
    @action(detail=True, methods=["get"])
    def results(self, request, period=None):
        """The results the user may see, ranked within each kind (unranked ones last)."""
        results = selectors.results_visible(user=request.user, assessment=self.get_object())
        kind = request.query_params.get("kind")
        if kind:
            if kind not in KINDS:
                raise serializers.ValidationError({"kind": [f"{kind!r} ∉ {', '.join(KINDS)}"]})
            results = results.filter(kind=kind)
        page = self.paginate_queryset(results.order_by("kind", F("rank").asc(nulls_last=True), "-volume", "name"))
        return self.get_paginated_response(ResultSerializer(page, many=True).data)

    @extend_schema(request=ComputeSerializer, responses={201: AssessmentSerializer, 409: OpenApiResponse()})
    @action(detail=False, methods=["post"])
    def compute(self, request):
        """Compute (or recompute, while unpublished) a month or a quarter; 409 once published."""
        data = ComputeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        assessment = services.assessment_month_compute(period=data.validated_data["period"])
        return Response(AssessmentSerializer(assessment).data, status=201)

    @extend_schema(request=CommentarySerializer, responses={200: AssessmentSerializer, 409: OpenApiResponse()})
    @action(detail=True, methods=["post"])
    def commentary(self, request, period=None):
        """The office's commentary, praise and criticism before publishing; 409 once published."""
        data = CommentarySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        assessment = services.assessment_comment(assessment=self.get_object(), **data.validated_data)
        return Response(AssessmentSerializer(assessment).data)

    @extend_schema(request=None, responses={200: AssessmentSerializer, 409: OpenApiResponse()})
    @action(detail=True, methods=["post"])
    def publish(self, request, period=None):
        """Publish: the results, scheme version and bulletin are frozen from now on."""
        assessment = services.assessment_publish(assessment=self.get_object(), user=request.user)
        return Response(AssessmentSerializer(assessment).data)

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], url_path="bulletin/pdf")
    def bulletin_pdf(self, request, period=None):
        """The bulletin (通报) as a PDF."""
        assessment = self.get_object()
        response = HttpResponse(bulletin_pdf(assessment), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="bulletin-{assessment.period}.pdf"'
        return response

    @extend_schema(responses={(200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"):
                              OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], url_path="bulletin/xlsx")
    def bulletin_xlsx(self, request, period=None):
        """The bulletin's tables as Excel."""
        assessment = self.get_object()
        response = HttpResponse(bulletin_xlsx(assessment),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f'attachment; filename="bulletin-{assessment.period}.xlsx"'
        return response


class ResultViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """One stored score and its drill-down (scoped: a unit sees its own)."""

    serializer_class = ResultSerializer

    def get_queryset(self):
        return selectors.results_visible_anywhere(user=self.request.user)

    @extend_schema(parameters=[OpenApiParameter("counter", str, required=True,
                                                enum=sorted([*COUNTER_FAMILY, *BACKLOG_COUNTERS]))],
                   responses=DrilldownRowSerializer(many=True))
    @action(detail=True, methods=["get"])
    def drilldown(self, request, pk=None):
        """The rows one counter of this score counted, oldest first, paginated."""
        result = self.get_object()
        counter = request.query_params.get("counter", "")
        if counter not in COUNTER_FAMILY and counter not in BACKLOG_COUNTERS:
            raise serializers.ValidationError({"counter": [f"{counter!r} ∉ counters"]})
        page = self.paginate_queryset(selectors.drilldown_rows(result=result, counter=counter))
        return self.get_paginated_response(DrilldownRowSerializer(
            [selectors.drilldown_row(r) for r in page], many=True).data)
