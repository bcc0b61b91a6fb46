"""The inspections tests' toilet, people and round (tests/inspections/conftest.py), for the axe-core walk of
the registries' and inspections' pages."""
from tests.cases.conftest import _fast_password_hashing  # noqa: F401 (fixtures)
from tests.inspections.conftest import categories, geography, people, toilet, toilet_round  # noqa: F401
