"""REST API of `org`: the unit directory (readable by staff, not citizens), "who am I", and the
token sign-in and sign-out of API clients (the inspectors' and citizens' phone apps)."""
from axes.helpers import get_cool_off
from django.contrib.auth.signals import user_logged_in
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, viewsets
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from .models import Unit
from .permissions import role_required
from .selectors import STAFF_ROLES, token_expires_at
from .serializers import CredentialsSerializer, MeSerializer, TokenSerializer, UnitSerializer
from .services import token_issue, token_revoke


class UnitViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [IsAuthenticated, role_required(*STAFF_ROLES)]
    queryset = Unit.objects.select_related("parent").order_by("kind", "code", "name")
    serializer_class = UnitSerializer


@extend_schema(responses=MeSerializer)
@api_view(["GET"])
def me(request):
    return Response(MeSerializer(request.user).data)


class LoginLocked(exceptions.Throttled):
    default_detail = _("登录失败次数过多，该账户已暂时锁定。")


@extend_schema(
    summary=_("令牌登录"), request=CredentialsSerializer, auth=[], responses={200: TokenSerializer},
    description=_("用户名或密码错误时答 400（计入登录失败次数）；失败次数过多而锁定时答 429，Retry-After 给出等待秒数。"),  # noqa: E501 (one translated message)
)
@api_view(["POST"])
@authentication_classes([])
@permission_classes([AllowAny])
def token_login(request):
    """Sign in with username and password: a new API token, which ends the user's previous one.

    Wrong passwords count towards the same lockout as the login page (django-axes); a locked
    username is answered 429 with ``Retry-After``, even with the right password.
    """
    credentials = CredentialsSerializer(data=request.data, context={"request": request})
    if not credentials.is_valid():
        if getattr(request, "axes_locked_out", False):
            cool_off = get_cool_off(request)
            raise LoginLocked(wait=cool_off.total_seconds() if cool_off else None)
        raise exceptions.ValidationError(credentials.errors)
    user = credentials.validated_data["user"]
    token = token_issue(user=user)
    user_logged_in.send(sender=type(user), request=request, user=user)  # last_login, axes' access log
    return Response(TokenSerializer({"token": token.key, "expires_at": token_expires_at(token=token)}).data)


@extend_schema(summary=_("令牌注销"), request=None, responses={204: OpenApiResponse(description=_("令牌已注销"))})
@api_view(["POST"])
def token_logout(request):
    """Sign out: the user's API token stops working at once."""
    token_revoke(user=request.user)
    return Response(status=204)
