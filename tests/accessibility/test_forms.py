"""A refused form names each wrong field in a summary at the top (role=alert, links to the fields), shows each
message next to its field, marked aria-invalid and aria-describedby it; required fields say so in their label
and carry ``required`` (core.form_errors, core/_error_summary.html)."""
import re

import pytest
from bs4 import BeautifulSoup

from jingzhi.org.models import Role

pytestmark = pytest.mark.django_db


def soup(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


def summary_links(page):
    summary = page.select_one("[data-error-summary]")
    assert summary is not None and summary["role"] == "alert" and summary["tabindex"] == "-1"
    return [(link["href"], link.get_text()) for link in summary.select("a")]


def test_the_login_error_is_announced(client, make_user):
    make_user(Role.LEADER, username="leader-a11y")
    page = soup(client.post("/login/", {"username": "leader-a11y", "password": "wrong"}))
    summary = page.select_one("[data-error-summary]")
    assert summary["role"] == "alert" and "请输入一个正确的" in summary.get_text()
    for name in ("username", "password"):
        field = page.select_one(f"input[name={name}]")
        assert field.has_attr("required")
        assert "（必填）" in page.select_one(f"label[for={field['id']}]").get_text()


def test_a_refused_django_form_links_each_field_and_marks_it(client, make_user):
    client.force_login(make_user(Role.DISPATCHER, username="dispatcher-a11y"))
    page = soup(client.post("/password/", {"old_password": "not-mine", "new_password1": "a", "new_password2": "b"}))
    links = summary_links(page)
    assert [href for href, _text in links] == ["#id_old_password", "#id_new_password2"]
    assert links[0][1].startswith("旧密码：")
    field = page.select_one("#id_old_password")
    assert field["aria-invalid"] == "true"
    message = page.select_one(f"#{field['aria-describedby'].split()[-1]}")
    assert message is not None and "旧密码不正确" in message.get_text()
    # The field without an error is not marked.
    assert not page.select_one("#id_new_password1").has_attr("aria-invalid")


def test_an_accepted_page_has_no_summary(client):
    assert soup(client.get("/login/")).select_one("[data-error-summary]") is None


def test_messages_in_the_summary_are_escaped(client, make_user):
    client.force_login(make_user(Role.DISPATCHER))
    page = client.post("/password/", {"old_password": "<b>x</b>"}).content.decode()
    assert "<b>x</b>" not in page and re.search(r"data-error-summary", page)


@pytest.mark.parametrize("path", ["/p/report/", "/cases/new/"])
def test_the_report_form_ties_each_server_error_to_its_field(client, staff, geography, category, path):
    if path == "/cases/new/":
        client.force_login(staff.inspector)
    lon, lat = geography.outside
    page = soup(client.post(path, {"category": "", "description": "", "lon": lon, "lat": lat,
                                   "coord_system": "wgs84", "source": "inspector"}))
    links = dict(summary_links(page))
    assert links["#id_category"].startswith("小类：") and links["#id_description"].startswith("问题描述：")
    for field_id in ("id_category", "id_description"):
        field = page.select_one(f"#{field_id}")
        assert field["aria-invalid"] == "true"
        assert page.select_one(f"#{field['aria-describedby']}").get_text().strip() != ""
    # Every link of the summary leads to an element of the page.
    assert [href for href in links if page.select_one(href) is None] == []
    assert page.select_one("#id_address").get("aria-invalid") is None
