"""axe-core over the registries' and inspections' pages (pages.PAGES_REGISTRIES) as the office and an
inspector, at desktop and phone size: see tests/accessibility/test_axe.py."""
import pytest

from jingzhi.assets.models import AssetImport
from jingzhi.inspections.services import inspection_submit
from tests.inspections.conftest import TOILET_FAILING_FLOOR

from ..axe import axe_walk
from ..pages import PAGES_REGISTRIES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_registry_and_inspection_pages_pass_axe(browser_context, live_server, people, toilet, toilet_round,
                                                     categories):
    inspection = inspection_submit(inspector=people["inspector"], template_code="toilet_check",
                                   values=TOILET_FAILING_FLOOR, asset=toilet, inspection_round=toilet_round)
    asset_import = AssetImport.objects.create(
        kind="toilet", file_name="公厕.xlsx", coord_system="wgs84", status="done", total=3, processed=3,
        created_count=2, problem_count=1, created_by=people["office"],
        problems=[[3, "公厕等级", "请选择一类、二类或三类。"]])
    pages = {"users": {"office": people["office"], "inspector": people["inspector"]}, "toilet": toilet.pk,
             "round": toilet_round.pk, "inspection": inspection.pk, "asset_import": asset_import.pk}
    found, external = axe_walk(browser_context, live_server.url, PAGES_REGISTRIES, pages)
    assert external == []
    assert found == [], "axe-core violations:\n" + "\n".join(found)
