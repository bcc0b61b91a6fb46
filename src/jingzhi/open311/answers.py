"""The public lists (``GET services``, ``GET requests``) rendered once per data version and kept in
every worker.

``GET requests`` of the default window is the interface's hot path (target: ≥ 1,000 requests/s on
two cores, docs/benchmarks.md): the same answer for everyone (public data only), about 0.6 MB for
1,000 requests, and costly to build (the SQL and the public view of 1,000 cases). So a rendered
body, its gzip copy and its ETag are kept per query and format in the process, and in the shared
cache for the other workers, under the number of ``core.versions.PUBLIC_CASES``: the cases and
moderation services move it when a public case changes, so the next request builds afresh and a
change is visible at once. A request pays one primary-key read for that number.

Besides changes, the default window moves with the clock (a case older than 90 days leaves it): an
answer is rebuilt when ``OPEN311_CACHE_SECONDS`` old, which bounds how late a case leaves the list.
One thread per process builds a given answer while the others wait for it (a burst of requests
after a change builds it once, not once each).
"""
from __future__ import annotations

import gzip
import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

from jingzhi.core.versions import PUBLIC_CASES, data_version

#: How many answers (query × format × language × site) a process keeps; the least recently used go.
KEPT = 64


@dataclass(frozen=True)
class Answer:
    body: bytes
    gzipped: bytes
    #: A weak validator, the same for both encodings of one body.
    etag: str
    version: int
    #: When it was built (``time.time()``), for its age.
    built: float


_kept: OrderedDict[str, Answer] = OrderedDict()
_lock = threading.Lock()
#: One thread builds a given answer at a time (a fixed pool of locks, whatever the number of queries).
_building = tuple(threading.Lock() for _ in range(16))


def _fresh(answer: Answer | None, version: int) -> bool:
    return (answer is not None and answer.version == version
            and time.time() - answer.built < settings.OPEN311_CACHE_SECONDS)


def _keep(key: str, answer: Answer) -> None:
    with _lock:
        _kept[key] = answer
        _kept.move_to_end(key)
        while len(_kept) > KEPT:
            _kept.popitem(last=False)


def _build(key: str, version: int, render: Callable[[], bytes]) -> Answer:
    shared = f"open311:answer:{key}:{version}"
    answer = cache.get(shared)
    if not _fresh(answer, version):
        body = render()
        answer = Answer(body=body, gzipped=gzip.compress(body, compresslevel=6, mtime=0),
                        etag=f'W/"{version}-{hashlib.sha256(body).hexdigest()[:24]}"', version=version,
                        built=time.time())
        cache.set(shared, answer, settings.OPEN311_CACHE_SECONDS)
    _keep(key, answer)
    return answer


def answer_get(key: str, render: Callable[[], bytes]) -> Answer:
    """The answer ``key`` names, rendered by ``render()`` unless this process or the shared cache
    holds one of the current data version that is young enough."""
    version = data_version(PUBLIC_CASES)
    answer = _kept.get(key)
    if _fresh(answer, version):
        return answer
    with _building[hash(key) % len(_building)]:  # another thread may have built it meanwhile
        answer = _kept.get(key)
        if _fresh(answer, version):
            return answer
        return _build(key, version, render)


def answers_forget() -> None:
    """Drop what this process keeps (tests that change settings or data behind the services' back)."""
    with _lock:
        _kept.clear()
