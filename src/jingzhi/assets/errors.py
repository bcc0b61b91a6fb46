"""Refusals of the registries (see `core.errors` for which base answers which HTTP status)."""
from django.core.exceptions import ValidationError

from jingzhi.core.errors import Conflict


class AssetChangeRefused(Conflict):
    """The change does not fit the asset's history (removed already, dated before its last change …)."""

    code = "asset_change_refused"


def field_error(field: str, message: str) -> ValidationError:
    """A refusal naming one input field, answered 400 ``{field: [message]}`` by the API handler."""
    return ValidationError({field: [message]})
