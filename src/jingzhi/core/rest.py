"""The DRF classes the settings name, so that bad input is a 400, never a 500.

- ``Pagination`` (``DEFAULT_PAGINATION_CLASS``): ``?limit=`` and ``?offset=`` are validated integers
  within ``limits``; a value out of range is a 400 naming the parameter (a limit of 2⁶³ was a 500
  from the database).
- ``JSONParser`` (first of ``DEFAULT_PARSER_CLASSES``): a body nested deeper than
  ``limits.JSON_MAX_DEPTH`` is a 400 ParseError (100,000 nested brackets were a RecursionError).

This module must not import ``rest_framework.views`` (nor routers, viewsets, generics): those read
these settings while they are being imported.
"""
from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import exceptions, parsers, serializers
from rest_framework.pagination import LimitOffsetPagination

from .limits import JSON_MAX_DEPTH, MAX_OFFSET, MAX_PAGE_SIZE


class Pagination(LimitOffsetPagination):
    """Limit/offset pagination whose parameters are checked, not silently clamped or ignored."""

    max_limit = MAX_PAGE_SIZE

    def _parameter(self, request, name: str, *, default: int, minimum: int, maximum: int) -> int:
        raw = request.query_params.get(name)
        if raw is None:
            return default
        field = serializers.IntegerField(min_value=minimum, max_value=maximum)
        try:
            return field.run_validation(raw)
        except exceptions.ValidationError as error:
            raise exceptions.ValidationError({name: error.detail}) from None

    def get_limit(self, request) -> int:
        return self._parameter(request, self.limit_query_param, default=self.default_limit, minimum=1,
                               maximum=self.max_limit)

    def get_offset(self, request) -> int:
        return self._parameter(request, self.offset_query_param, default=0, minimum=0, maximum=MAX_OFFSET)

    def get_schema_operation_parameters(self, view):
        bounds = {self.limit_query_param: {"minimum": 1, "maximum": self.max_limit, "default": self.default_limit},
                  self.offset_query_param: {"minimum": 0, "maximum": MAX_OFFSET, "default": 0}}
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"].update(bounds[parameter["name"]])
        return parameters


def json_depth(value) -> int:
    """How deeply lists and objects nest in ``value`` (a scalar is 0), without recursion."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            item = list(item.values())
        if isinstance(item, list):
            deepest = max(deepest, depth + 1)
            stack.extend((child, depth + 1) for child in item)
    return deepest


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser with a bounded nesting depth.

    Python's decoder recurses once per level: a body deeper than the interpreter's recursion limit
    raises RecursionError, and one just under it would make every later walk of the data (the
    serializer, the idempotency fingerprint) recurse as deep. Both are refused as a ParseError."""

    max_depth = JSON_MAX_DEPTH

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            data, too_deep = None, True
        else:
            too_deep = json_depth(data) > self.max_depth
        if too_deep:
            raise exceptions.ParseError(_("JSON 嵌套过深：最多 %(limit)d 层。") % {"limit": self.max_depth})
        return data
