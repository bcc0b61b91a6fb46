"""REST API of the registries (``/api/assets/``): the kinds, the assets (scoped like the pages) with
the list page's filters, and — for the plan office — creating assets and recording their changes."""
from __future__ import annotations

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.settings import api_settings

from jingzhi.core.idempotency import IDEMPOTENCY_PARAMETER, idempotent
from jingzhi.core.limits import SEARCH_TEXT
from jingzhi.org.permissions import role_required
from jingzhi.org.selectors import STAFF_ROLES, user_has_role

from .forms import AssetFilterForm
from .kinds import asset_kind, asset_kinds
from .models import Asset
from .selectors import IMPORT_ROLES, assets_filter, assets_visible
from .serializers import (
    AssetChangeSerializer,
    AssetCreateSerializer,
    AssetDetailSerializer,
    AssetEventSerializer,
    AssetKindSerializer,
    AssetSerializer,
)
from .services import asset_change, asset_create


def _parameter(name: str, description: str, *, date: bool = False) -> OpenApiParameter:
    schema = {"type": "string", "format": "date"} if date else {"type": "string", "maxLength": SEARCH_TEXT}
    return OpenApiParameter(name, schema, OpenApiParameter.QUERY, required=False, description=description)


FILTER_PARAMETERS = [
    _parameter("kind", "台账类型（使用其余筛选条件时必填）"),
    *(_parameter(name, str(field.label), date=isinstance(field, forms.DateField))
      for name, field in AssetFilterForm.base_fields.items()),
    _parameter("a.<属性>", "按属性筛选，如 a.toilet_class=一类（须给 kind）"),
    _parameter("not.<属性>", "按属性排除：该属性不是此值（或未填）的设施，如 not.toilet_class=一类（须给 kind）"),
]


class AssetKindViewSet(viewsets.ViewSet):
    permission_classes = [IsAuthenticated, role_required(*STAFF_ROLES)]

    @extend_schema(responses=AssetKindSerializer(many=True))
    def list(self, request):
        """Every asset kind (data/assets/kinds.yaml) with its attributes."""
        return Response(AssetKindSerializer(asset_kinds(), many=True).data)


class AssetViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                   viewsets.GenericViewSet):
    permission_classes = [IsAuthenticated, role_required(*STAFF_ROLES)]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Asset.objects.none()
        assets = assets_visible(user=self.request.user).select_related("district", "subdistrict", "department")
        if self.action == "retrieve":
            return assets.select_related("zone").prefetch_related("keepers__user", "events")
        return assets.order_by("kind", "code")

    def get_serializer_class(self):
        return {"retrieve": AssetDetailSerializer, "create": AssetCreateSerializer}.get(self.action, AssetSerializer)

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        query = self.request.query_params
        kind_code = query.get("kind")
        if not kind_code:
            if set(query) - {"limit", "offset"}:
                raise ValidationError({"kind": [_("按条件筛选时须给出台账类型。")]})
            return queryset
        try:
            kind = asset_kind(kind_code)
        except KeyError:
            raise ValidationError({"kind": [_("未知的台账类型：%(kind)s") % {"kind": kind_code}]}) from None
        form = AssetFilterForm(query, kind=kind)
        if not form.is_valid():
            raise ValidationError({api_settings.NON_FIELD_ERRORS_KEY if field == NON_FIELD_ERRORS else field:
                                   [error["message"] for error in errors]
                                   for field, errors in form.errors.get_json_data().items()})
        return assets_filter(queryset, kind=kind.code, filters=form.filters())

    @extend_schema(parameters=FILTER_PARAMETERS)
    def list(self, request, *args, **kwargs):
        """Assets the user may see, by kind and code; with ``kind``, the registry page's filters."""
        return super().list(request, *args, **kwargs)

    def _require_keeper_of_registries(self):
        if not user_has_role(user=self.request.user, roles=IMPORT_ROLES):
            self.permission_denied(self.request, message=_("只有精细办和平台管理员可以维护台账。"))

    @extend_schema(request=AssetCreateSerializer, responses={201: AssetDetailSerializer},
                   parameters=[IDEMPOTENCY_PARAMETER])
    @idempotent
    def create(self, request, *args, **kwargs):
        """Create an asset: its attributes are checked against the kind and its place located."""
        self._require_keeper_of_registries()
        serializer = AssetCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        asset = asset_create(actor=request.user, **serializer.validated_data)
        return Response(AssetDetailSerializer(asset).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=AssetChangeSerializer, responses={201: AssetEventSerializer},
                   parameters=[IDEMPOTENCY_PARAMETER])
    @action(detail=True, methods=["post"])
    @idempotent
    def changes(self, request, pk=None):
        """Record a change (upgraded, repaired, removed …) on a date; the history keeps the state after it."""
        self._require_keeper_of_registries()
        asset = self.get_object()
        serializer = AssetChangeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        event = asset_change(asset=asset, actor=request.user, **serializer.validated_data)
        return Response(AssetEventSerializer(event).data, status=status.HTTP_201_CREATED)
