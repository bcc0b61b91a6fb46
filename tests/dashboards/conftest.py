"""The case tests' fixtures (geography, categories, staff, frozen clock, ``make_case``) reused here."""
from tests.cases.conftest import category, clock, geography, make_case, make_category, staff  # noqa: F401
