"""Views other apps derive from cases and keep in step as cases move (the assessment's daily rollup).

The case loop's writes (a report, every ``case_act``, an escalation) run inside ``cases_changing``:
each registered watcher reads its view of the changed cases before the write and brings it up to
date after it, in the same transaction, so the derived view never disagrees with the cases. The
cases app names no watcher (no import of the apps built on it); they register in their
``AppConfig.ready``. A bulk write that bypasses the services (demo history, generated data) must
rebuild the derived views instead (e.g. ``manage.py assessment_rollup``).
"""
from __future__ import annotations

from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager

#: A watcher is called with the ids of the cases about to change (read before the write) and
#: returns the function to call, with every changed id, once the write is done.
Watcher = Callable[[Collection[int]], Callable[[Collection[int]], None]]
_WATCHERS: list[Watcher] = []


def case_watcher_register(watcher: Watcher) -> None:
    if watcher not in _WATCHERS:
        _WATCHERS.append(watcher)


@contextmanager
def cases_changing(*, case_ids: Collection[int] = ()) -> Iterator[set[int]]:
    """Around a write to ``case_ids`` (locked by the caller); the yielded set takes the ids of cases
    created by the write (they had nothing to read before). Call inside the write's transaction."""
    changed = set(case_ids)
    finishers = [watcher(tuple(changed)) for watcher in _WATCHERS]
    yield changed
    for finish in finishers:
        finish(tuple(changed))
