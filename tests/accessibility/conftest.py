"""The accessibility tests reuse the case and plan tests' fixtures: the test geography, categories, one
user per role, cases driven through the services, a small plan."""
from tests.cases.conftest import (  # noqa: F401 (fixtures)
    _fast_password_hashing,
    category,
    clock,
    geography,
    make_case,
    make_category,
    photo,
    staff,
)
from tests.plans.conftest import people, progress, small_plan, units  # noqa: F401 (fixtures)
