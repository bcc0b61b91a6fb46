"""The assessment's hand-worked March (tests/assessment/conftest.py), for the axe-core walk of its pages."""
from tests.assessment.conftest import _fast_password_hashing, world  # noqa: F401 (fixtures)
