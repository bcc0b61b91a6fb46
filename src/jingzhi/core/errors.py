"""Domain errors, and the one DRF exception handler that turns them into HTTP answers.

Services of every app refuse by raising a subclass of one of these classes, never an HTTP
exception: the same refusal then reads right in a staff page (``error.status_code`` picks the
page's status, ``str(error)`` its message) and in the API. Which base to subclass:

========================  ======  ==========================================================
class                     status  use for
========================  ======  ==========================================================
``Forbidden``             403     the user's role (or unit, or assignment) may not do this
``NotVisible``            404     the object is outside what the user may see (do not reveal it)
``Conflict``              409     not from the object's current state: an illegal transition,
                                  or a race lost to another user who acted first
``Unprocessable``         422     the request is well formed but cannot be taken as it stands
                                  (e.g. an idempotency key reused for another request)
``TooManyRequests``       429     a limit of the domain (e.g. sign-in codes per phone and hour);
                                  ``retry_after`` seconds become the ``Retry-After`` header
``Unavailable``           503     a service the request needs is down (e.g. the SMS gateway)
``DomainError``           400     anything else the user can put right
========================  ======  ==========================================================

An app subclasses them once per kind of refusal (e.g. ``cases.errors.CaseTransitionIllegal``
is a ``Conflict``) and may set ``code``, a stable machine-readable word.

``exception_handler`` is ``REST_FRAMEWORK["EXCEPTION_HANDLER"]``. A domain error answers
``{"detail": "<message for the user>", "code": "<code>"}`` with its status; a Django
``ValidationError`` (what services raise for bad parameters) answers 400 with the messages per
field, like a serializer's; everything else is DRF's own answer (``{"detail": …}``). Views and
viewsets therefore call services directly, without try/except adapters.
"""
from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


class DomainError(Exception):
    """A refusal of the domain; ``str(error)`` is a message for the user."""

    status_code = status.HTTP_400_BAD_REQUEST
    code = "invalid"


class Forbidden(DomainError):
    status_code = status.HTTP_403_FORBIDDEN
    code = "permission_denied"


class NotVisible(DomainError):
    status_code = status.HTTP_404_NOT_FOUND
    code = "not_found"


class Conflict(DomainError):
    status_code = status.HTTP_409_CONFLICT
    code = "conflict"


class Unprocessable(DomainError):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    code = "unprocessable"


class TooManyRequests(DomainError):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    code = "throttled"

    def __init__(self, message: str, *, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


class Unavailable(DomainError):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    code = "unavailable"


def validation_messages(error: DjangoValidationError) -> dict | list:
    """A Django ValidationError's messages: per field when it has fields, else a flat list."""
    return error.message_dict if hasattr(error, "error_dict") else error.messages


def exception_handler(exc, context):
    """Domain errors and Django validation errors as HTTP answers; DRF's handler for the rest."""
    if isinstance(exc, DomainError):
        retry_after = getattr(exc, "retry_after", None)
        headers = {"Retry-After": str(retry_after)} if retry_after is not None else None
        return Response({"detail": str(exc), "code": exc.code}, status=exc.status_code, headers=headers)
    if isinstance(exc, DjangoValidationError):
        exc = ValidationError(validation_messages(exc))
    return drf_exception_handler(exc, context)
