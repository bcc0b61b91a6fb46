"""Read API: plans, tasks with nested indicators, indicators; scoping and review dates."""
import pytest
from django.core.management import call_command

from jingzhi.plans.models import Task


def results(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_plans_carry_their_review_date(small_plan, api_client_for, people):
    client = api_client_for(people["leader"])
    [plan] = results(client, "/api/plans/plans/")
    assert (plan["document_number"], plan["as_of"], plan["review_date"]) == ("测试〔2018〕1号", "2018-09-30",
                                                                            "2018-09-30")
    assert results(client, "/api/plans/plans/?as_of=2018-12-01")[0]["review_date"] == "2018-12-01"
    response = client.get("/api/plans/plans/?as_of=tomorrow")
    assert response.status_code == 400 and "as_of" in response.json()


def test_tasks_nest_indicators_with_progress(progress, api_client_for, people):
    tasks = {t["number"]: t for t in results(api_client_for(people["leader"]), "/api/plans/tasks/")}
    assert list(tasks) == ["1", "2", "3", "3(1)", "3(2)"]
    one = tasks["1"]
    assert (one["action"], one["status"], one["completion"]) == ("refine", "on_track", "42.6")
    # completion: mean of toilets 70.25, class-1 share 100, dust 0 and one open checklist item 0 = 42.56
    toilets = one["indicators"][0]
    assert (toilets["code"], toilets["latest_value"], toilets["latest_measured_on"], toilets["expected"],
            toilets["completion"], toilets["status"]) == ("toilets", "850.00", "2018-09-20", "803", "70.25",
                                                           "on_track")
    assert [(u["name"], u["role"], u["collective"]) for u in one["units"]][:2] == [
        ("市城管局", "lead", ""), ("市园林局", "responsible", "")]
    assert tasks["3"]["subtasks"] == [Task.objects.get(number="3(1)").pk, Task.objects.get(number="3(2)").pk]
    assert tasks["2"]["checklist"][0]["status"] == "overdue"
    old = tasks["2"]["indicators"][0]
    assert [m["target"] for m in old["milestones"]] == ["20.00", "60.00", "100.00"]
    assert (old["expected"], old["status"]) == ("13.26", "lagging")


def test_tasks_are_scoped(progress, api_client_for, people):
    client = api_client_for(people["jinshui"])
    assert [t["number"] for t in results(client, "/api/plans/tasks/")] == ["1", "3", "3(2)"]
    assert client.get(f"/api/plans/tasks/{Task.objects.get(number='3(1)').pk}/").status_code == 404
    assert client.get(f"/api/plans/tasks/{Task.objects.get(number='2').pk}/").status_code == 404


def test_indicators_are_scoped_and_follow_the_review_date(progress, api_client_for, people):
    client = api_client_for(people["yuanlin"])
    codes = [i["code"] for i in results(client, "/api/plans/indicators/")]
    assert codes == ["toilets", "class1-share", "dust", "old-areas"]
    late = {i["code"]: i for i in results(client, "/api/plans/indicators/?as_of=2019-01-05")}
    assert (late["toilets"]["expected"], late["toilets"]["status"]) == ("1210", "overdue")
    early = {i["code"]: i for i in results(client, "/api/plans/indicators/?as_of=2018-06-01")}
    assert (early["toilets"]["latest_value"], early["toilets"]["status"]) == (None, "not_started")
    assert client.get("/api/plans/indicators/?task=abc").status_code == 400
    assert client.get("/api/plans/tasks/?plan=²").status_code == 400  # a digit to str.isdigit, not to int()


def test_the_api_needs_a_login(client, small_plan):
    assert client.get("/api/plans/tasks/").status_code in (401, 403)


def test_leaders_write_nothing(progress, api_client_for, people):
    client = api_client_for(people["leader"])
    assert client.delete(f"/api/plans/tasks/{Task.objects.first().pk}/").status_code == 405
    assert client.post("/api/plans/tasks/", {}).status_code == 405


@pytest.mark.django_db
def test_the_plans_endpoints_are_in_the_schema(tmp_path):
    """The project's schema validates and holds the plans paths and the one progress-status enum."""
    path = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--file", str(path))
    schema = path.read_text(encoding="utf-8")
    for endpoint in ("/api/plans/plans/", "/api/plans/tasks/{id}/", "/api/plans/indicators/",
                     "/api/plans/progress-reports/", "/api/plans/notices/{id}/reply/",
                     "/api/plans/notices/{id}/review/", "/api/plans/checklist-items/{id}/mark/"):
        assert f"  {endpoint}:" in schema, endpoint
    assert "ProgressStatusEnum:" in schema and "StatusDbaEnum" not in schema


def test_a_parent_task_lists_only_the_subtasks_the_user_may_see(progress, api_client_for, people):
    """金水区 has a part in 3(2) only (all districts), not in 3(1): task 3 lists 3(2) alone."""
    tasks = {t["number"]: t for t in results(api_client_for(people["jinshui"]), "/api/plans/tasks/")}
    assert list(tasks) == ["1", "3", "3(2)"]
    assert tasks["3"]["subtasks"] == [Task.objects.get(number="3(2)").pk]
