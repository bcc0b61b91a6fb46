"""REST API of `org`: the unit directory (readable by staff, not citizens) and "who am I"."""
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import api_view
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from .models import Unit
from .permissions import role_required
from .selectors import STAFF_ROLES
from .serializers import MeSerializer, UnitSerializer


class UnitViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [IsAuthenticated, role_required(*STAFF_ROLES)]
    queryset = Unit.objects.select_related("parent").order_by("kind", "code", "name")
    serializer_class = UnitSerializer


@extend_schema(responses=MeSerializer)
@api_view(["GET"])
def me(request):
    return Response(MeSerializer(request.user).data)
