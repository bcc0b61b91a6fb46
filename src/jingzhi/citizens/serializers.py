from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from jingzhi.cases.models import Case
from jingzhi.disclosure.selectors import public_stage
from jingzhi.org.privacy import mask_phone

from .phones import MAX_INPUT_LENGTH


class PhoneSerializer(serializers.Serializer):
    phone = serializers.CharField(label=_("手机号"), max_length=MAX_INPUT_LENGTH,
                                  help_text=_("11 位中国大陆手机号，可带 +86、空格或短横线"))


class SignInSerializer(PhoneSerializer):
    code = serializers.CharField(label=_("验证码"), max_length=12, help_text=_("短信中的 6 位数字验证码"))


class CodeSentSerializer(serializers.Serializer):
    """The answer to a code request: where it went (masked) and the two clocks the page shows."""

    phone = serializers.CharField(help_text=_("收到验证码的手机号（已打码）"))
    expires_in = serializers.IntegerField(help_text=_("验证码有效的秒数"))
    resend_after = serializers.IntegerField(help_text=_("可重新获取验证码前需等待的秒数"))

    @staticmethod
    def for_code(code) -> dict:
        return {"phone": mask_phone(code.phone), "expires_in": settings.CITIZEN_CODE_TTL_SECONDS,
                "resend_after": settings.CITIZEN_CODE_RESEND_SECONDS}


class FollowedCaseSerializer(serializers.ModelSerializer):
    """A case in a citizen's lists: its stage as the public pages name it (``disclosure``) and the
    address of its public page. For a case someone else reported ("我也遇到了") nothing more: its
    description and photos are public only as the public page shows them (after moderation)."""

    category_name = serializers.CharField(source="category.name", read_only=True)
    stage = serializers.SerializerMethodField(help_text=_("公开的办理阶段（如 处置中、已办结）"))
    url = serializers.SerializerMethodField(help_text=_("该案件的公开页面"))

    class Meta:
        model = Case
        fields = ["id", "number", "category_name", "state", "stage", "url", "created_at", "closed_at"]
        read_only_fields = fields

    def get_stage(self, case) -> str:
        return public_stage(case.state)

    def get_url(self, case) -> str:
        return reverse("disclosure:case", args=[case.number])


class MyReportSerializer(FollowedCaseSerializer):
    """One of the citizen's own reports, as "我的上报" lists it: also what they wrote and their rating."""

    class Meta(FollowedCaseSerializer.Meta):
        fields = [*FollowedCaseSerializer.Meta.fields, "description", "address", "satisfaction"]
        read_only_fields = fields
