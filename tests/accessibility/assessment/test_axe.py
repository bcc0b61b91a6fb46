"""axe-core over the assessment's pages (pages.PAGES_ASSESSMENT) as the office and a leader, at desktop and
phone size, over the hand-worked March computed by the office: see tests/accessibility/test_axe.py."""
import pytest
from django.test import Client
from django.urls import reverse

from jingzhi.assessment.models import Result
from jingzhi.org.models import Role

from ..axe import axe_walk
from ..pages import PAGES_ASSESSMENT

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_assessment_pages_pass_axe(browser_context, live_server, world, make_user):
    users = {"office": make_user(Role.PLAN_OFFICE, username="office-a11y"),
             "leader": make_user(Role.LEADER, username="leader-a11y")}
    office = Client()
    office.force_login(users["office"])
    assert office.post(reverse("assessment:compute"), {"period": "2026-03"}).status_code == 302
    district = world.districts["乙区"]
    pages = {"users": users, "district": district.pk,
             "district_result": Result.objects.get(kind="district", name="乙区").pk}
    found, external = axe_walk(browser_context, live_server.url, PAGES_ASSESSMENT, pages)
    assert external == []
    assert found == [], "axe-core violations:\n" + "\n".join(found)
