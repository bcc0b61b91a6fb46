"""The OpenAPI schema documents every operation's error answers, not only its 200/201.

``AutoSchema`` (settings: ``DEFAULT_SCHEMA_CLASS``) adds to each operation the errors it can give,
from what the operation is rather than from a list per view:

- 400 ``ValidationError`` when it reads a body, a query or a header parameter;
- 401 (with ``WWW-Authenticate``) and 403 ``Error`` when it needs a signed-in user;
- 404 ``Error`` when its path names an object;
- 415 ``Error`` when it reads a body (a media type no parser accepts);
- 422 ``Error`` when it honours ``Idempotency-Key`` (a key reused for another request);
- 429 ``Error`` (with ``Retry-After``) when a throttle applies to it.

A view declares any other answer itself, e.g. the case actions' 409 with ``ErrorSerializer``.
"""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular import openapi
from drf_spectacular.extensions import OpenApiSerializerExtension
from rest_framework import serializers
from rest_framework.permissions import AllowAny

from .idempotency import HEADER as IDEMPOTENCY_HEADER


class ErrorSerializer(serializers.Serializer):
    """The body of every error answer but a 400: one message for the whole request."""

    detail = serializers.CharField(help_text=_("错误说明（按请求的语言）"))
    code = serializers.CharField(required=False, help_text=_("领域拒绝的机器可读代码（如 illegal_transition）"))


class ValidationErrorSerializer(serializers.Serializer):
    """The body of a 400; its schema is written out by ``ValidationErrorExtension``."""


class ValidationErrorExtension(OpenApiSerializerExtension):
    """A 400 body: each refused field's name → its messages, or ``detail`` when the body could not be read."""

    target_class = ValidationErrorSerializer

    def map_serializer(self, auto_schema, direction):
        messages = {"type": "array", "items": {"type": "string"}}
        return {
            "type": "object",
            "description": str(_("字段名 → 该字段的错误信息（non_field_errors：整个请求的错误；列表或嵌套字段的错误按下标或字段名嵌套）；"  # noqa: E501 (one translated message)
                                 "请求体无法解析时为 detail。")),
            "properties": {"detail": {"type": "string"}, "non_field_errors": messages},
            "additionalProperties": {"oneOf": [messages, {"type": "object", "additionalProperties": {}}]},
            "example": {"description": ["请确保这个字段不能超过 2000 个字符。"]},
        }


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's AutoSchema plus the error answers (see the module docstring)."""

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        responses = operation["responses"]
        for status, (serializer, description, headers) in self._error_responses(operation).items():
            if str(status) not in responses:
                responses[str(status)] = self._error_response(serializer, description, headers)
        return operation

    def _error_responses(self, operation: dict) -> dict:
        parameters = operation.get("parameters", [])
        reads_input = "requestBody" in operation or any(p["in"] in ("query", "header") for p in parameters)
        signed_in = any(not isinstance(permission, AllowAny) for permission in self.view.get_permissions())
        errors = {}
        if reads_input:
            errors[400] = (ValidationErrorSerializer, _("输入有误：按字段列出的错误信息"), {})
        if signed_in:
            errors[401] = (ErrorSerializer, _("未登录或凭据无效"), {"WWW-Authenticate": {
                "required": True, "description": str(_("应使用的认证方式")), "schema": {"type": "string"}}})
            errors[403] = (ErrorSerializer, _("无权执行此操作（角色或单位不符）"), {})
        if any(p["in"] == "path" for p in parameters):
            errors[404] = (ErrorSerializer, _("对象不存在或不在用户的可见范围内"), {})
        if "requestBody" in operation:
            errors[415] = (ErrorSerializer, _("不支持的请求体类型"), {})
        if any(p["in"] == "header" and p["name"] == IDEMPOTENCY_HEADER for p in parameters):
            errors[422] = (ErrorSerializer, _("该 Idempotency-Key 已用于另一个请求"), {})
        if getattr(self.view, "throttle_classes", ()):  # the classes: instances would read their rates
            errors[429] = (ErrorSerializer, _("请求过于频繁"), {"Retry-After": {
                "description": str(_("可再次请求前需等待的秒数")), "schema": {"type": "integer"}}})
        return errors

    def _error_response(self, serializer, description, headers: dict) -> dict:
        schema = self.resolve_serializer(serializer, "response").ref
        response = {"description": str(description),
                    "content": {media_type: {"schema": schema} for media_type in self.map_renderers("media_type")}}
        if headers:
            response["headers"] = headers
        return response
