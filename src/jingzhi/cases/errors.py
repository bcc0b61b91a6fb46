"""Why a case action is refused: the errors ``rules`` raises. They are ``core.errors`` domain
errors, so the API answers them through the one exception handler and the pages use their
``status_code``."""
from __future__ import annotations

from jingzhi.core.errors import Conflict, DomainError, Forbidden


class CaseActionError(DomainError):
    """A refused action; ``str(error)`` is a message for the user."""


class CaseActionForbidden(CaseActionError, Forbidden):
    """The actor's role, unit or assignment does not allow the action (HTTP 403)."""


class CaseTransitionIllegal(CaseActionError, Conflict):
    """The action is not allowed from the case's current state, or another user's action
    changed it first (HTTP 409)."""

    code = "illegal_transition"
