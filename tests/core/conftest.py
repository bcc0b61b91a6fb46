"""The case and plan fixtures, for the core tests that exercise the whole API (test_api_fuzz.py)."""
from tests.cases.conftest import (  # noqa: F401  (fixtures, re-exported)
    _fast_password_hashing,
    category,
    geography,
    make_case,
    make_category,
    staff,
)
from tests.plans.conftest import people, progress, small_plan, units  # noqa: F401  (fixtures, re-exported)
