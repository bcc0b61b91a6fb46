"""The portal's tests reuse the case tests' fixtures: the test geography, a category, one user
per role, photos with EXIF GPS and cases driven through the services."""
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
