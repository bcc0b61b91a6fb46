"""The assessment API: the office computes, comments and publishes; leaders read everything; a
unit reads only its own published results and drill-down; a published assessment cannot be
changed through any endpoint (409 or 405); the drill-down pages add up to the counter."""

from jingzhi.assessment.models import Assessment, Result

API = "/api/assessment"


def test_office_computes_comments_publishes_and_then_nothing_changes(people, api_client_for, world):
    office, leader, jia = (api_client_for(people[k]) for k in ("office", "leader", "jia"))
    assert jia.post(f"{API}/assessments/compute/", {"period": "2026-03"}, format="json").status_code == 403
    for period in ("2026-3", "1999-01"):
        bad = office.post(f"{API}/assessments/compute/", {"period": period}, format="json")
        assert bad.status_code == 400 and "period" in bad.json()
    assert office.post(f"{API}/assessments/compute/", {"period": "2026-03"}, format="json").status_code == 201
    # A draft: the leader sees it, the unit does not.
    assert leader.get(f"{API}/assessments/2026-03/").json()["status"] == "draft"
    assert jia.get(f"{API}/assessments/2026-03/").status_code == 404
    comment = {"commentary": "本月总体平稳。", "praise": "", "criticism": "", "issuing_office": "郑州市精细办"}
    assert office.post(f"{API}/assessments/2026-03/commentary/", comment, format="json").status_code == 200
    assert office.post(f"{API}/assessments/2026-03/publish/").status_code == 200
    frozen = list(Result.objects.values_list("pk", "composite", "rank").order_by("pk"))

    # Every way to change it now is refused, and nothing changed.
    assert office.post(f"{API}/assessments/compute/", {"period": "2026-03"}, format="json").status_code == 409
    assert office.post(f"{API}/assessments/2026-03/commentary/", comment, format="json").status_code == 409
    assert office.post(f"{API}/assessments/2026-03/publish/").status_code == 409
    for method in ("put", "patch", "delete"):
        assert getattr(office, method)(f"{API}/assessments/2026-03/", {}, format="json").status_code == 405
        assert getattr(office, method)(f"{API}/results/{frozen[0][0]}/", {}, format="json").status_code == 405
    assert office.post(f"{API}/results/", {}, format="json").status_code in (404, 405)
    assert list(Result.objects.values_list("pk", "composite", "rank").order_by("pk")) == frozen
    assert Assessment.objects.get(period="2026-03").commentary == "本月总体平稳。"

    # Published: the unit sees its own results only, and its drill-down.
    mine = jia.get(f"{API}/assessments/2026-03/results/").json()["results"]
    assert [(r["kind"], r["name"]) for r in mine] == [("district", "甲区")]
    everything = leader.get(f"{API}/assessments/2026-03/results/?kind=district").json()
    assert [r["name"] for r in everything["results"]] == ["甲区", "丙区", "乙区", "丁区"]
    other = Result.objects.get(kind="district", name="乙区")
    assert jia.get(f"{API}/results/{other.pk}/drilldown/?counter=filed").status_code == 404
    assert leader.get(f"{API}/assessments/2026-03/results/?kind=nonsense").status_code == 400


def test_drilldown_pages_add_up(people, api_client_for):
    office = api_client_for(people["office"])
    office.post(f"{API}/assessments/compute/", {"period": "2026-03"}, format="json")
    chief = Result.objects.get(kind="shift_chief")
    rows, url = [], f"{API}/results/{chief.pk}/drilldown/?counter=filed&limit=5"
    while url:
        page = office.get(url).json()
        rows += page["results"]
        url = page["next"]
    assert len(rows) == chief.counters["filed"] == 21
    assert {r["action"] for r in rows} == {"file"} and len({r["case"] for r in rows}) == 21
    assert office.get(f"{API}/results/{chief.pk}/drilldown/?counter=bogus").status_code == 400
    overdue = Result.objects.get(kind="district", name="乙区")
    page = office.get(f"{API}/results/{overdue.pk}/drilldown/?counter=overdue").json()
    assert [r["case_number"] for r in page["results"]] == ["T0999"]
