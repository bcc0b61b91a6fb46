"""Real browser over the hand-worked March of conftest.py: the office computes the month,
recomputes it, writes the commentary, publishes and downloads the PDF bulletin (read back); a
leader opens the ranking and drills down from a score to the cases one counter counted; a unit
user on a phone sees its own dashboard with its rank. Nothing is fetched from outside 127.0.0.1."""
import io
import re

import pytest
from pypdf import PdfReader

from jingzhi.assessment.models import Assessment, Result
from jingzhi.assessment.services import assessment_month_compute, assessment_publish
from jingzhi.org.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, user):
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", "pw-test-123")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def offline(page, live_server) -> list:
    outside = []
    page.on("request", lambda request: request.url.startswith(live_server.url) or outside.append(request.url))
    return outside


def test_the_office_computes_recomputes_comments_publishes_and_downloads_the_pdf(
        world, make_user, browser_context, live_server):
    office = make_user(Role.PLAN_OFFICE, username="office")
    page = browser_context().new_page()
    outside = offline(page, live_server)
    sign_in(page, live_server, office)
    page.click(".mainnav a:text-is('考核')")
    page.fill("input[name=period]", "2026-03")
    page.click("button:text-is('计算')")
    page.wait_for_url("**/assessment/2026-03/")
    assert page.locator("[data-status]").first.inner_text() == "未发布"
    first = Assessment.objects.get(period="2026-03").computed_at

    page.click("[data-action=recompute]")
    page.wait_for_selector(".messages li.success")
    assert Assessment.objects.get(period="2026-03").computed_at > first
    page.fill("#f-commentary", "本月甲区成绩突出，乙区、丙区解决率偏低，要限期整改。")
    page.fill("#f-office", "郑州市城市精细化管理服务办公室")
    page.click("[data-action=comment]")
    page.wait_for_selector(".messages li.success")
    page.click("[data-action=publish]")
    page.wait_for_selector("[data-status=published]")
    assert page.locator("[data-action]").count() == 0  # no button to change it any more
    assert "本月甲区成绩突出" in page.locator("[data-text=commentary]").inner_text()

    with page.expect_download() as download:
        page.click("[data-download=pdf]")
    pdf = open(download.value.path(), "rb").read()
    text = re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))
    assert "数字城管考核月度通报（2026年3月）" in text and "本月甲区成绩突出" in text
    section = text[text.index("区域（区）综合排名"):]
    assert [section.index(n) for n in ("甲区", "丙区", "乙区", "丁区")] == sorted(
        section.index(n) for n in ("甲区", "丙区", "乙区", "丁区"))
    with page.expect_navigation():
        page.click(".subnav a:text-is('通报')")
    assert page.locator("[data-table=bulletins] tr[data-period='2026-03']").count() == 1
    assert outside == []


def test_a_leader_opens_the_ranking_and_drills_down_to_the_cases(world, make_user, browser_context, live_server):
    assessment_month_compute(period="2026-03")
    leader = make_user(Role.LEADER, username="leader")
    page = browser_context().new_page()
    outside = offline(page, live_server)
    sign_in(page, live_server, leader)
    page.goto(f"{live_server.url}/assessment/")
    with page.expect_navigation():
        page.click("[data-table=assessments] a:text-is('2026-03')")
    ranks = page.locator("[data-table=district] td[data-rank]").all_inner_texts()
    assert ranks == ["1", "2", "2", "列出不排名（不足 5 件）"]
    page.click("[data-table=district] tr[data-name='乙区'] a[data-figure=composite]")
    page.wait_for_url("**/assessment/results/**")
    assert page.locator("strong[data-figure=composite]").inner_text() == "83.33"
    page.click("[data-term=closing_rate] a[data-counter=filed]")
    page.wait_for_selector("[data-table=counted]")
    filed = Result.objects.get(kind="district", name="乙区").counters["filed"]
    assert page.locator("[data-table=counted] tr[data-case]").count() == filed == 6
    assert page.locator("strong[data-total]").inner_text() == "6"
    number = page.locator("[data-table=counted] tr[data-case] a").first.inner_text()
    page.locator("[data-table=counted] tr[data-case] a").first.click()
    page.wait_for_url("**/cases/**")
    assert number in page.content()
    assert outside == []


def test_a_unit_user_sees_its_own_dashboard_with_its_rank_on_a_phone(world, make_user, browser_context, live_server):
    assessment_publish(assessment=assessment_month_compute(period="2026-03"), user=world.users["C1"])
    jia = make_user(Role.UNIT_REPORTER, unit=world.districts["甲区"], username="jia")
    page = browser_context(viewport={"width": 390, "height": 844}).new_page()
    outside = offline(page, live_server)
    sign_in(page, live_server, jia)
    assert "2026-03 月考核：第 1 名 / 3" in page.locator("[data-panel-rank]").inner_text()
    page.goto(f"{live_server.url}/dashboards/unit/")
    page.wait_for_selector("[data-chart='trend'][data-drawn='true'] canvas")
    assert page.locator("#ranking strong[data-figure=rank]").inner_text() == "1"
    assert page.locator("#ranking [data-table=district] tr[data-result]").all_inner_texts()[0].split()[:2] == [
        "1", "甲区"]
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert outside == []
