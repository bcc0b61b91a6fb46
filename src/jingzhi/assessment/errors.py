"""Refusals of the assessment app (``core.errors`` domain errors, one exception handler)."""
from __future__ import annotations

from django.utils.translation import gettext as _

from jingzhi.core.errors import Conflict, DomainError


class AssessmentFrozen(Conflict):
    """A published assessment is final: nothing may change its results or commentary (409)."""

    code = "assessment_published"

    def __init__(self, message: str | None = None):
        super().__init__(message or _("该考核已发布，结果不能再修改。"))


class PeriodInvalid(DomainError):
    """A period that is not ``YYYY-MM`` or ``YYYY-Qn`` (400)."""

    code = "invalid_period"
