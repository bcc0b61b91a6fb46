"""REST API of citizens' accounts (the citizen app): a code by SMS, the code for a token, my reports,
deleting my account. Rules in ``services``; limits and answers in docs/citizens.md."""
from django.contrib.auth.signals import user_logged_in
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from jingzhi.cases.selectors import cases_followed_by
from jingzhi.core.schema import ErrorSerializer
from jingzhi.org.authentication import client_ip
from jingzhi.org.models import Role
from jingzhi.org.permissions import role_required
from jingzhi.org.selectors import token_expires_at
from jingzhi.org.serializers import TokenSerializer
from jingzhi.org.services import token_issue

from .selectors import citizen_reports
from .serializers import (
    CodeSentSerializer,
    FollowedCaseSerializer,
    MyReportSerializer,
    PhoneSerializer,
    SignInSerializer,
)
from .services import citizen_delete, citizen_sign_in, sms_code_send


@extend_schema(
    summary=_("获取短信验证码"), request=PhoneSerializer, auth=[],
    responses={202: CodeSentSerializer, 503: OpenApiResponse(ErrorSerializer, description=_("短信发送失败"))},
    description=_("向手机号发送 6 位登录验证码。同一手机号再次获取须等待 resend_after 秒；"
                  "每个手机号和每个网络地址每小时次数有限，超过时答 429，Retry-After 给出等待秒数。"),
)
@api_view(["POST"])
@authentication_classes([])
@permission_classes([AllowAny])
def code_request(request):
    body = PhoneSerializer(data=request.data)
    body.is_valid(raise_exception=True)
    code = sms_code_send(phone=body.validated_data["phone"], ip=client_ip(request))
    return Response(CodeSentSerializer(CodeSentSerializer.for_code(code)).data, status=202)


@extend_schema(
    summary=_("验证码登录"), request=SignInSerializer, auth=[],
    responses={200: TokenSerializer, 403: OpenApiResponse(ErrorSerializer, description=_("工作人员或已停用的账号"))},
    description=_("用短信验证码换取 API 令牌；首次登录即创建市民账号。验证码错误、过期或已用时答 400（code 字段）；"
                  "工作人员的手机号答 403，须用密码登录。"),
)
@api_view(["POST"])
@authentication_classes([])
@permission_classes([AllowAny])
def token_exchange(request):
    body = SignInSerializer(data=request.data)
    body.is_valid(raise_exception=True)
    user = citizen_sign_in(phone=body.validated_data["phone"], code=body.validated_data["code"])
    token = token_issue(user=user)
    user_logged_in.send(sender=type(user), request=request, user=user)  # last_login
    return Response(TokenSerializer({"token": token.key, "expires_at": token_expires_at(token=token)}).data)


@extend_schema(summary=_("我的上报"))
class MyReportList(generics.ListAPIView):
    """The signed-in citizen's own reports, newest first."""

    permission_classes = [IsAuthenticated, role_required(Role.CITIZEN)]
    serializer_class = MyReportSerializer

    def get_queryset(self):
        return citizen_reports(user=self.request.user)


@extend_schema(summary=_("我关注的案件"))
class FollowedList(generics.ListAPIView):
    """The cases the signed-in citizen follows ("我也遇到了"), most recently followed first."""

    permission_classes = [IsAuthenticated, role_required(Role.CITIZEN)]
    serializer_class = FollowedCaseSerializer

    def get_queryset(self):
        return cases_followed_by(user=self.request.user)


@extend_schema(summary=_("注销我的账号"), request=None,
               responses={204: OpenApiResponse(description=_("账号已注销；上报的案件保留但不再关联本人"))})
@api_view(["DELETE"])
@permission_classes([IsAuthenticated, role_required(Role.CITIZEN)])
def account_delete(request):
    citizen_delete(user=request.user)
    return Response(status=204)
