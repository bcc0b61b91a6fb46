"""The 督办 table (plans/notice_workflow.py) drives the notice: every row is taken by its actor from
its source status; every action the table does not list from a status, and every row by anyone but
its actor, is refused and changes nothing. The pages' forms and the API's ``actions`` read the same table."""
from collections import deque
from datetime import date

import pytest
from django.core.exceptions import ValidationError

from jingzhi.plans.errors import Forbidden, NotVisible
from jingzhi.plans.models import NOTICE_EVENT_KINDS, SupervisionNotice, Task
from jingzhi.plans.notice_workflow import (
    NOTICE_STEPS,
    NoticeAction,
    NoticeActor,
    NoticeStatus,
    action_actor,
    step_find,
)
from jingzhi.plans.selectors import notice_actions_for, notice_may_issue, task_is_visible, task_state
from jingzhi.plans.services import notice_issue, notice_reply, notice_review

from .conftest import REVIEW_DATE

#: The user who acts as each actor on task 2 (lead 市园林局).
ACTORS = {NoticeActor.OFFICE: "office", NoticeActor.ADDRESSEE: "yuanlin"}


def _paths() -> dict:
    """The shortest run of table rows that brings a new notice to each status (found in the table)."""
    paths, queue = {None: ()}, deque([None])
    while queue:
        source = queue.popleft()
        for step in (s for s in NOTICE_STEPS if s.source == source):
            if step.target not in paths:
                paths[step.target] = (*paths[source], step)
                queue.append(step.target)
    return paths


PATHS = _paths()


@pytest.fixture
def task2(progress):
    """Lagging at the review date (2018-09-30), so a notice may be issued on it."""
    return Task.objects.get(number="2")


def take(action, *, user, task, notice, units):
    if action == NoticeAction.ISSUE:
        return notice_issue(user=user, task=task, to_unit=units["市园林局"], text="请说明原因。",
                            reply_due=date(2018, 10, 10), on=REVIEW_DATE)
    if action == NoticeAction.REPLY:
        return notice_reply(user=user, notice=notice, text="已整改。", on=REVIEW_DATE)
    return notice_review(user=user, notice=notice, accept=action == NoticeAction.ACCEPT, text="请补充。",
                         on=REVIEW_DATE)


def walk(status, *, task, people, units):
    notice = None
    for step in PATHS[status]:
        notice = take(step.action, user=people[ACTORS[step.actor]], task=task, notice=notice, units=units)
    return notice


def may_act(user, action, *, task, notice) -> bool:
    if action == NoticeAction.ISSUE:
        return notice_may_issue(user=user, state=task_state(user=user, task=task, on=REVIEW_DATE))
    return action in notice_actions_for(user=user, notice=notice)


def test_the_table_reaches_every_status_and_names_one_actor_per_action():
    assert set(PATHS) == {None, *NoticeStatus.values}
    for action in NoticeAction:
        assert len({step.actor for step in NOTICE_STEPS if step.action == action}) == 1, action
    # after issuing, each action is kept as an event of the same kind
    assert {value for value, _label in NOTICE_EVENT_KINDS} == set(NoticeAction.values) - {NoticeAction.ISSUE}


@pytest.mark.parametrize("step", NOTICE_STEPS, ids=lambda s: f"{s.source}-{s.action}")
def test_every_row_is_taken_by_its_actor(step, task2, people, units):
    notice = walk(step.source, task=task2, people=people, units=units)
    actor = people[ACTORS[step.actor]]
    assert may_act(actor, step.action, task=task2, notice=notice)
    notice = take(step.action, user=actor, task=task2, notice=notice, units=units)
    notice.refresh_from_db()
    assert notice.status == step.target
    if step.action != NoticeAction.ISSUE:
        event = notice.events.last()
        assert (event.kind, event.by) == (step.action, actor)


REFUSED = [(status, action) for status in NoticeStatus for action in NoticeAction
           if action != NoticeAction.ISSUE and step_find(source=status, action=action) is None]


@pytest.mark.parametrize(("status", "action"), REFUSED, ids=lambda v: str(v))
def test_an_action_the_table_does_not_list_is_refused(status, action, task2, people, units):
    notice = walk(status, task=task2, people=people, units=units)
    actor = people[ACTORS[action_actor(action)]]
    events = notice.events.count()
    assert not may_act(actor, action, task=task2, notice=notice)
    with pytest.raises(ValidationError):
        take(action, user=actor, task=task2, notice=notice, units=units)
    notice.refresh_from_db()
    assert (notice.status, notice.events.count()) == (status, events)


#: For a notice on task 2: who is refused how. A role that never takes the action: 403 (before any
#: lookup); the right role but task 2 out of sight (no part in it): 404.
OTHERS = {
    NoticeActor.OFFICE: {"yuanlin": Forbidden, "cgj": Forbidden, "jinshui": Forbidden, "leader": Forbidden},
    NoticeActor.ADDRESSEE: {"office": Forbidden, "leader": Forbidden, "cgj": NotVisible, "jinshui": NotVisible},
}


@pytest.mark.parametrize("step", NOTICE_STEPS, ids=lambda s: f"{s.source}-{s.action}")
def test_only_the_rows_actor_takes_it(step, task2, people, units):
    notice = walk(step.source, task=task2, people=people, units=units)
    for who, error in OTHERS[step.actor].items():
        if task_is_visible(user=people[who], task=task2):  # the page and the API offer nothing
            assert not may_act(people[who], step.action, task=task2, notice=notice), who
        with pytest.raises(error):
            take(step.action, user=people[who], task=task2, notice=notice, units=units)
    assert SupervisionNotice.objects.count() == (0 if notice is None else 1)
    if notice is not None:
        notice.refresh_from_db()
        assert notice.status == step.source and notice.events.count() == len(PATHS[step.source]) - 1


def test_a_visible_notice_to_another_unit_is_refused_with_403(progress, people, units):
    """金水区 is responsible for task 1 and sees its notices, but one addressed to the lead is not its to answer."""
    notice = SupervisionNotice.objects.create(
        task=Task.objects.get(number="1"), to_unit=units["市城管局"], text="请说明原因。",
        reply_due=date(2018, 10, 10), issued_by=people["office"], issued_on=date(2018, 9, 20))
    assert notice_actions_for(user=people["jinshui"], notice=notice) == []
    assert notice_actions_for(user=people["cgj"], notice=notice) == [NoticeAction.REPLY]
    with pytest.raises(Forbidden):
        notice_reply(user=people["jinshui"], notice=notice, text="x", on=REVIEW_DATE)
    with pytest.raises(NotVisible):
        notice_reply(user=people["police"], notice=notice, text="x", on=REVIEW_DATE)


def test_the_api_lists_what_the_user_may_do_now(task2, people, units, api_client_for):
    notice = walk(NoticeStatus.OPEN, task=task2, people=people, units=units)
    url = f"/api/plans/notices/{notice.pk}/"

    def actions(who):
        return api_client_for(people[who]).get(url).json()["actions"]

    assert (actions("yuanlin"), actions("office"), actions("leader")) == (["reply"], [], [])
    take(NoticeAction.REPLY, user=people["yuanlin"], task=task2, notice=notice, units=units)
    assert (actions("yuanlin"), actions("office")) == ([], ["accept", "return"])
