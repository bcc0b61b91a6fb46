"""The action forms of the case page are drawn from the action request serializers (issue 8): each
shows exactly its spec's fields with the serializer's bounds, and a refused action shows each
message next to its field, with the values the user typed."""
from html.parser import HTMLParser
from types import SimpleNamespace

import pytest
from django.template.loader import render_to_string

from jingzhi.cases.form_fields import action_form
from jingzhi.cases.rules import MAX_POSTPONE_DAYS
from jingzhi.cases.serializers import action_serializer_class
from jingzhi.cases.workflow import ACTION_SPECS, CaseAction, State

pytestmark = pytest.mark.django_db

CONTROLS = ("input", "select", "textarea")


class Forms(HTMLParser):
    """The controls of each action form (by its data-action) and the elements by id."""

    def __init__(self, html: str):
        super().__init__()
        self.forms: dict[str, dict[str, dict]] = {}
        self.by_id: dict[str, str] = {}
        self._form = self._id = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and "data-action" in attrs:
            self._form = self.forms.setdefault(attrs["data-action"], {})
        elif tag in CONTROLS and self._form is not None and attrs.get("type") not in ("hidden",):
            self._form[attrs["name"]] = {"tag": tag, **attrs}
        if "id" in attrs:
            self._id = attrs["id"]
            self.by_id[self._id] = ""

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None

    def handle_data(self, data):
        if self._id is not None:
            self.by_id[self._id] += data


@pytest.mark.parametrize("action", list(ACTION_SPECS))
def test_each_action_form_shows_exactly_its_specs_fields(action):
    form = action_form(action=action, label=CaseAction(action).label, danger=ACTION_SPECS[action].danger,
                       serializer_class=action_serializer_class(action), initial={})
    html = render_to_string("cases/_action_form.html", {"form": form, "case": SimpleNamespace(pk=1)})
    controls = Forms(html).forms[action]
    assert set(controls) == {*ACTION_SPECS[action].fields, "comment"}
    assert ("required" in controls["comment"]) == ACTION_SPECS[action].comment_required
    for name in set(controls) & {"photos", "before_photos", "after_photos"}:
        assert controls[name]["type"] == "file" and controls[name]["accept"] == "image/*"
        assert "multiple" in controls[name]


def test_the_postponement_bounds_come_from_the_serializer(staff, make_case, client):
    case = make_case(State.HANDLING)
    client.force_login(staff.handler_a)
    days = Forms(client.get(f"/cases/{case.pk}/").content.decode()).forms["postpone_request"]["extra_working_days"]
    assert (days["type"], days["min"], days["max"]) == ("number", "1", str(MAX_POSTPONE_DAYS)) == ("number", "1", "30")
    assert "required" in days


def test_the_choices_are_the_serializers(staff, make_case, client, geography):
    case = make_case(State.FILED)
    client.force_login(staff.dispatcher)
    html = client.get(f"/cases/{case.pk}/").content.decode()
    form = html[html.index('data-action="dispatch"'):]
    form = form[:form.index("</form>")]
    assert f'<option value="{geography.district_a.pk}" selected>{geography.district_a.name}</option>' in form
    assert Forms(html).forms["dispatch"]["override_reason"]["tag"] == "textarea"


def test_a_refused_action_shows_its_error_next_to_its_field(staff, make_case, client):
    case = make_case(State.HANDLING)
    client.force_login(staff.handler_a)
    response = client.post(f"/cases/{case.pk}/act/postpone_request/",
                           {"extra_working_days": "31", "comment": "材料未到"})
    assert response.status_code == 400
    page = Forms(response.content.decode())
    days = page.forms["postpone_request"]["extra_working_days"]
    assert days["aria-invalid"] == "true" and days["value"] == "31"
    assert "act-postpone_request-extra_working_days-errors" in days["aria-describedby"].split()
    assert "30" in page.by_id["act-postpone_request-extra_working_days-errors"]
    assert "材料未到" in page.by_id["act-postpone_request-comment"]  # what was typed stays
    assert "aria-invalid" not in page.forms["postpone_request"]["comment"]
    assert 'id="act-postpone_request" open' in response.content.decode()


def test_a_service_refusal_is_shown_next_to_its_field(staff, make_case, client):
    """The service's own check (handle needs an after photo) lands on the field it names."""
    case = make_case(State.HANDLING)
    client.force_login(staff.handler_a)
    response = client.post(f"/cases/{case.pk}/act/handle/", {"comment": ""})
    assert response.status_code == 400
    page = Forms(response.content.decode())
    assert page.forms["handle"]["after_photos"]["aria-invalid"] == "true"
    assert "处置后照片" in page.by_id["act-handle-after_photos-errors"]
    assert "aria-invalid" not in page.forms["handle"]["before_photos"]
