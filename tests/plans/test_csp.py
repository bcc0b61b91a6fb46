"""Real browser: the plan pages run under the Content-Security-Policy without a violation
(``browse_as`` fails the test on any; see tests/conftest.py)."""
import pytest

from jingzhi.plans.models import Task

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_plan_pages_obey_the_policy(browse_as, people, progress):
    task = Task.objects.get(number="1")
    page = browse_as(people["office"], {"/plans/": None, f"/plans/tasks/{task.pk}/": None, "/plans/lagging/": None})
    browse_as(people["cgj"], {"/plans/mine/": None, f"/plans/tasks/{task.pk}/": None})
    # The completion bars are <progress> elements now (a style attribute would be blocked): still drawn.
    bar = page.locator("progress.progress").first
    assert bar.bounding_box()["width"] >= 80 and bar.bounding_box()["height"] == 8
