"""The task page's forms act once per rendered form (the form token, issue 7 §1)."""
import re

from jingzhi.plans.models import Indicator, ProgressReport, Task


def test_the_progress_report_form_sent_twice_files_one_report(small_plan, client, people):
    client.force_login(people["cgj"])
    task = Task.objects.get(number="1")
    html = client.get(f"/plans/tasks/{task.pk}/").content.decode()
    form = html[html.index(f'action="/plans/tasks/{task.pk}/reports/'):]
    token = re.search(r'name="form_token" value="([0-9a-f]{32})"', form).group(1)
    indicator = Indicator.objects.get(code="toilets")
    data = {"indicator": indicator.pk, "value": "846", "unit": indicator.unit, "measured_on": "2018-09-20",
            "form_token": token}
    responses = [client.post(f"/plans/tasks/{task.pk}/reports/", data) for _ in range(2)]
    assert [(r.status_code, r.url) for r in responses] == [(302, f"/plans/tasks/{task.pk}/")] * 2
    assert ProgressReport.objects.count() == 1
