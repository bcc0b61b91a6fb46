"""The case fixtures (test geography, categories, one user per role, cases driven through the
services) are the cases tests' own; the public pages are tried on the same cases."""
from tests.cases.conftest import (  # noqa: F401  (helpers the tests import from here)  # noqa: F401  (fixtures)
    _fast_password_hashing,
    at,
    category,
    clock,
    geography,
    jpeg_with_gps,
    make_case,
    make_category,
    photo,
    staff,
)

#: Everything personal the fixtures hold: reporter and citizen names and phones, staff names, a comment.
PERSONAL = ("王五", "13700002222", "张三丰", "13812345678", "受理员小王", "值班长老李", "派遣员小赵", "监督员小孙",
            "测试改派", "handler_a", "inspector")


def assert_nothing_personal(text: str) -> None:
    found = [item for item in PERSONAL if item in text]
    assert found == [], f"personal data on a public page: {found}"


photo_upload = jpeg_with_gps
