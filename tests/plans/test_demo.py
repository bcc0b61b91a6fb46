"""The demo: the seed plan with realistic progress as of 2018-09-30, loaded idempotently."""
import io
from collections import Counter
from datetime import date

import pytest

from jingzhi.assets import demo as assets_demo
from jingzhi.assets.models import Asset
from jingzhi.org import demo as org_demo
from jingzhi.org.models import User
from jingzhi.plans import demo
from jingzhi.plans.models import Plan, ProgressReport, SupervisionNotice
from jingzhi.plans.selectors import notice_is_late, plan_states


@pytest.mark.django_db
def test_the_demo_shows_a_mix_of_statuses_and_reruns_cleanly():
    org_demo.load_demo(stdout=io.StringIO())
    # The registries the live indicators below count (the others' are left out: they take time).
    assets_demo.load_demo(stdout=io.StringIO(), kinds={"toilet", "bin", "river", "old_compound"})
    demo.load_demo(stdout=io.StringIO())
    plan = Plan.objects.get()
    assert plan.as_of == date(2018, 9, 30)
    leader = User.objects.get(username="leader")
    leaves = [leaf for state in plan_states(user=leader, plan=plan, on=plan.as_of) for leaf in state.leaves()]
    counts = Counter(leaf.status.value for leaf in leaves)
    assert len(leaves) == 23 and counts["done"] >= 1 and counts["on_track"] >= 3 and counts["lagging"] >= 3
    by_number = {leaf.task.number: leaf.status.value for leaf in leaves}
    assert (by_number["3"], by_number["12"], by_number["15"]) == ("lagging", "done", "lagging")
    # The registries' figures on 2018-09-30 (assets/demo.py): built and upgraded toilets ahead of their
    # paths (803, 508), third restrooms and class-2 toilets behind, black-odorous water bodies 5 of 14 left.
    states = {item.indicator.code: item for leaf in leaves for item in leaf.indicators}
    assert [states[code].value for code in ("new-public-toilets", "upgraded-public-toilets", "third-restrooms",
                                            "new-litter-bins", "black-odorous-water-bodies")] == [
        868, 530, 122, 4150, 5]
    assert [states[code].status.value for code in ("new-public-toilets", "upgraded-public-toilets", "third-restrooms",
                                                   "class2-toilet-share", "black-odorous-water-bodies")] == [
        "on_track", "on_track", "lagging", "lagging", "lagging"]
    assert states["black-odorous-water-bodies"].target.baseline == 14
    notices = {n.task.number: n for n in SupervisionNotice.objects.all()}
    assert notices["3"].status == "replied" and not notice_is_late(notices["3"], on=plan.as_of)
    assert notices["15"].status == "open" and notice_is_late(notices["15"], on=plan.as_of)

    reports, assets = ProgressReport.objects.count(), Asset.objects.count()
    output = io.StringIO()
    assets_demo.load_demo(stdout=io.StringIO(), kinds={"toilet"})
    demo.load_demo(stdout=output)
    assert Asset.objects.count() == assets
    assert ProgressReport.objects.count() == reports and SupervisionNotice.objects.count() == 2
    assert "plan: 0 created, 0 updated, 0 deleted" in output.getvalue()
