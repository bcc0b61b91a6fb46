"""REST API of the inspections (``/api/inspections/``): templates, rounds (plan, cancel) and
inspections (list, detail, submit). Scoped like the pages (``selectors``); refusals of the
services become 400 / 403 / 409 answers in ``core.errors.exception_handler``.

Submitting through the API takes JSON, or ``multipart/form-data`` with photos: the same fields as
form fields (``values`` as JSON text) and the files as ``photo_<item code>``, read by the phone
page's ``forms.fill_photos``. The scoring, the photos' checks and storage, the cases of failed items
(with their photos) and the repeat-failure urgency are the same service as the page's.
"""
from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from jingzhi.assets.models import Asset
from jingzhi.core.idempotency import IDEMPOTENCY_PARAMETER, idempotent
from jingzhi.core.multipart import serializer_data
from jingzhi.core.schema import ErrorSerializer

from . import selectors
from .checklists import template_get, templates_all
from .forms import fill_photos, fill_photos_unknown
from .models import Inspection, InspectionRound
from .serializers import (
    InspectionSerializer,
    InspectionSubmitFormSerializer,
    InspectionSubmitSerializer,
    RoundPlanSerializer,
    RoundSerializer,
    TemplateSerializer,
)
from .services import inspection_submit, round_cancel, round_plan

CONFLICT = OpenApiResponse(ErrorSerializer, description="检查轮次当前状态不允许（已完成、已取消，或该检查点已检查）")


class TemplateViewSet(viewsets.ViewSet):
    """The inspection templates shipped as data (data/inspections/*.yaml)."""

    @extend_schema(responses=TemplateSerializer(many=True))
    def list(self, request):
        return Response(TemplateSerializer(list(templates_all().values()), many=True).data)


class RoundViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = RoundSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return InspectionRound.objects.none()
        return selectors.rounds_visible(user=self.request.user).prefetch_related("stops", "inspections")

    @extend_schema(request=RoundPlanSerializer, responses={201: RoundSerializer}, parameters=[IDEMPOTENCY_PARAMETER])
    @idempotent
    def create(self, request):
        """Plan a round (日督查): the plan office only."""
        serializer = RoundPlanSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        inspector = selectors.inspectors_to_assign().filter(pk=data["inspector"]).first()
        if inspector is None:
            raise ValidationError({"inspector": ["没有这个监督员。"]})
        found = Asset.objects.in_bulk(data["assets"])
        missing = [pk for pk in data["assets"] if pk not in found]
        if missing:
            raise ValidationError({"assets": [f"没有这些设施：{missing[:10]}"]})
        planned = round_plan(planner=request.user, name=data["name"], template_code=data["template_code"],
                             date=data["date"], inspector=inspector, assets=[found[pk] for pk in data["assets"]],
                             note=data["note"])
        return Response(RoundSerializer(planned).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: RoundSerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Cancel a round that is not done (the plan office)."""
        cancelled = round_cancel(inspection_round=self.get_object(), user=request.user)
        return Response(RoundSerializer(cancelled).data)


class InspectionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = InspectionSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Inspection.objects.none()
        return selectors.inspections_visible(user=self.request.user).prefetch_related(
            "results__case", "results__photos")

    @extend_schema(request={"application/json": InspectionSubmitSerializer,
                            "multipart/form-data": InspectionSubmitFormSerializer},
                   responses={201: InspectionSerializer, 409: CONFLICT}, parameters=[IDEMPOTENCY_PARAMETER])
    @idempotent
    def create(self, request):
        """Submit an inspection (监督员): scored by its template; every failed item becomes a case on the
        asset (urgent when the item failed there within the template's repeat window). As
        ``multipart/form-data``, with photos per item (``photo_<item code>``), kept on the result and
        on the case its failure becomes."""
        serializer = InspectionSubmitSerializer(data=serializer_data(request, InspectionSubmitSerializer))
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        template = template_get(data["template_code"])
        unknown = fill_photos_unknown(template, request.FILES)
        if unknown:
            message = _("模板“%(template)s”没有这个检查项，照片须以 photo_<检查项代码> 为字段名。") % {
                "template": template.name}
            raise ValidationError({name: [message] for name in unknown})
        inspection_round = asset = None
        if data.get("round"):
            inspection_round = InspectionRound.objects.filter(pk=data["round"], inspector=request.user).first()
            if inspection_round is None:
                raise ValidationError({"round": ["没有这个检查轮次，或不是派给您的。"]})
        if data.get("asset"):
            asset = Asset.objects.filter(pk=data["asset"]).first()
            if asset is None:
                raise ValidationError({"asset": ["没有这个设施。"]})
        inspection = inspection_submit(
            inspector=request.user, template_code=data["template_code"], values=data["values"], asset=asset,
            inspection_round=inspection_round, lon=data.get("lon"), lat=data.get("lat"),
            started_at=data.get("started_at"), note=data["note"], photos=fill_photos(template, request.FILES))
        return Response(InspectionSerializer(inspection, context={"request": request}).data,
                        status=status.HTTP_201_CREATED)
