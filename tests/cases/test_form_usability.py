"""What walking the loop in a browser showed on the staff forms (issue 7 §1): errors name their
field, required inputs say so, and the report form's button comes after every input."""
import pytest

pytestmark = pytest.mark.django_db


def test_a_page_error_names_its_field(client, staff, geography, category):
    client.force_login(staff.inspector)
    response = client.post("/cases/new/", {"category": category.number_prefix, "source": "inspector",
                                           "description": "井盖破损", "lon": "500", "lat": "34.75"})
    assert response.status_code == 400 and "经度：" in response.content.decode()


def test_the_report_form_marks_required_inputs_and_ends_with_its_button(client, staff):
    client.force_login(staff.inspector)
    html = client.get("/cases/new/").content.decode()
    assert "问题描述（必填）" in html and "问题位置（必填）" in html
    form = html[html.index('<form method="post" enctype'):]
    form = form[:form.index("</form>")]
    assert form.index('name="lat"') < form.index('<button class="primary">')


def test_only_the_intake_operator_is_asked_for_the_callers_contact(client, staff):
    client.force_login(staff.inspector)
    assert 'name="reporter_phone"' not in client.get("/cases/new/").content.decode()
    client.force_login(staff.intake)
    assert 'name="reporter_phone"' in client.get("/cases/new/").content.decode()
