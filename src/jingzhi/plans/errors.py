"""The refusals of `plans`, each with its one HTTP answer (policy: docs/plans.md, "Refusals").

- ``NotVisible`` (404): the object is outside the user's scope. It is answered as if it did not
  exist, so a unit cannot learn that another unit's task, indicator, notice or file exists.
- ``Forbidden`` (403): the user may see the object but may not act on it (a leader, a responsible
  unit confirming the lead's requirement, a unit that is not the notice's addressee), or the
  action needs a role the user does not hold — decided before any object is looked up, so a 403
  reveals nothing either.
- Invalid input, and a notice not in a status the action starts from, stay Django
  ``ValidationError``\\ s keyed by field (400): the page shows them on the form's field.

Both classes are core's domain errors (``core.errors``: one family, one DRF exception handler that
also turns a service's field-keyed ``ValidationError`` into a 400) and Django's own exceptions, so
Django answers them on the pages too, with no translation in any view.
"""
from django.core.exceptions import PermissionDenied
from django.http import Http404

from jingzhi.core import errors


class Forbidden(errors.Forbidden, PermissionDenied):
    """403: a visible object the user may not act on, or an action the user's roles never allow."""


class NotVisible(errors.NotVisible, Http404):
    """404: outside the user's scope; the same answer as for an object that does not exist."""
