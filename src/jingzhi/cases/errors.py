"""Why a case action is refused: the errors ``rules`` raises and the pages and the API report."""
from __future__ import annotations


class CaseActionError(Exception):
    """A refused action; ``str(error)`` is a message for the user."""


class CaseActionForbidden(CaseActionError):
    """The actor's role, unit or assignment does not allow the action (HTTP 403)."""


class CaseTransitionIllegal(CaseActionError):
    """The action is not allowed from the case's current state (HTTP 409)."""
