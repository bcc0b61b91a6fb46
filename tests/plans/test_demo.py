"""The demo: the seed plan with realistic progress as of 2018-09-30, loaded idempotently."""
import io
from collections import Counter
from datetime import date

import pytest

from jingzhi.org import demo as org_demo
from jingzhi.org.models import User
from jingzhi.plans import demo
from jingzhi.plans.models import Plan, ProgressReport, SupervisionNotice
from jingzhi.plans.selectors import notice_is_late, plan_states


@pytest.mark.django_db
def test_the_demo_shows_a_mix_of_statuses_and_reruns_cleanly():
    org_demo.load_demo(stdout=io.StringIO())
    demo.load_demo(stdout=io.StringIO())
    plan = Plan.objects.get()
    assert plan.as_of == date(2018, 9, 30)
    leader = User.objects.get(username="leader")
    leaves = [leaf for state in plan_states(user=leader, plan=plan, on=plan.as_of) for leaf in state.leaves()]
    counts = Counter(leaf.status.value for leaf in leaves)
    assert len(leaves) == 23 and counts["done"] >= 1 and counts["on_track"] >= 3 and counts["lagging"] >= 3
    by_number = {leaf.task.number: leaf.status.value for leaf in leaves}
    assert (by_number["3"], by_number["12"], by_number["15"]) == ("lagging", "done", "lagging")
    notices = {n.task.number: n for n in SupervisionNotice.objects.all()}
    assert notices["3"].status == "replied" and not notice_is_late(notices["3"], on=plan.as_of)
    assert notices["15"].status == "open" and notice_is_late(notices["15"], on=plan.as_of)

    reports = ProgressReport.objects.count()
    output = io.StringIO()
    demo.load_demo(stdout=output)
    assert ProgressReport.objects.count() == reports and SupervisionNotice.objects.count() == 2
    assert "plan: 0 created, 0 updated, 0 deleted" in output.getvalue()
