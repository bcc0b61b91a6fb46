"""The admin lists of the plan stay usable with the whole seed loaded: every list opens, and the
number of queries does not grow with the rows shown (no query per row for a task's parent)."""
import pytest
from django.contrib import admin

from jingzhi.plans import models

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", [models.Plan, models.Task, models.Indicator, models.ProgressReport,
                                   models.SupervisionNotice, models.Action])
def test_each_plan_list_opens_with_a_bounded_number_of_queries(seed_plan, admin_client, model,
                                                              django_assert_max_num_queries):
    assert model in admin.site._registry
    url = f"/admin/plans/{model._meta.model_name}/"
    with django_assert_max_num_queries(12):
        response = admin_client.get(url)
    assert response.status_code == 200
