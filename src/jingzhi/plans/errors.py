"""The refusals of `plans`, each with its one HTTP answer (policy: docs/plans.md, "Refusals").

- ``NotVisible`` (404): the object is outside the user's scope. It is answered as if it did not
  exist, so a unit cannot learn that another unit's task, indicator, notice or file exists.
- ``Forbidden`` (403): the user may see the object but may not act on it (a leader, a responsible
  unit confirming the lead's requirement, a unit that is not the notice's addressee), or the
  action needs a role the user does not hold — decided before any object is looked up, so a 403
  reveals nothing either.
- Invalid input, and a notice not in a status the action starts from, stay Django
  ``ValidationError``\\ s keyed by field (400): the page shows them on the form's field.

Both classes subclass Django's own exceptions, so Django answers them on the pages and DRF's
default handling answers them in the API, with no translation in any view. The one remaining
mapping, a service's ``ValidationError`` to the API's field-keyed 400, is ``api_exception_handler``.

Integration with ``core/errors.py`` (one domain error family, one DRF exception handler): make
``Forbidden`` and ``NotVisible`` subclass core's ``Forbidden`` and ``NotVisible`` (or import them
from there under these names), and delete ``api_exception_handler`` and the
``get_exception_handler`` override in ``api.PlansAPIMixin``.
"""
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework.exceptions import ValidationError
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler


class Forbidden(PermissionDenied):
    """403: a visible object the user may not act on, or an action the user's roles never allow."""


class NotVisible(Http404):
    """404: outside the user's scope; the same answer as for an object that does not exist."""


def api_exception_handler(exc, context):
    """DRF's handler, plus a service's Django ``ValidationError`` → 400 with the errors keyed by field."""
    if isinstance(exc, DjangoValidationError):
        exc = ValidationError(as_serializer_error(exc))
    return exception_handler(exc, context)
