"""The one exception handler: domain errors of any app answer with their status and one body shape."""
import pytest
from django.core.exceptions import ValidationError

from jingzhi.core.errors import Conflict, DomainError, Forbidden, NotVisible, Unprocessable, exception_handler


@pytest.mark.parametrize(("error", "status", "code"), [
    (Forbidden("不能"), 403, "permission_denied"), (NotVisible("不存在"), 404, "not_found"),
    (Conflict("状态不对"), 409, "conflict"), (Unprocessable("键已用"), 422, "unprocessable"),
    (DomainError("有误"), 400, "invalid"),
])
def test_domain_errors_answer_with_their_status_and_one_body_shape(error, status, code):
    response = exception_handler(error, {})
    assert (response.status_code, response.data) == (status, {"detail": str(error), "code": code})


def test_a_subclass_keeps_its_base_status_and_may_name_its_code():
    class TransitionIllegal(Conflict):
        code = "illegal_transition"

    response = exception_handler(TransitionIllegal("已结案"), {})
    assert (response.status_code, response.data["code"]) == (409, "illegal_transition")


def test_a_django_validation_error_answers_400_per_field():
    response = exception_handler(ValidationError({"step": ["请先登记到场时间。"]}), {})
    assert (response.status_code, response.data) == (400, {"step": ["请先登记到场时间。"]})
