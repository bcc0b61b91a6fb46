"""Data versions: one counter per body of data, read by every process to tell whether an answer it
built from that data still holds (``DataVersion``).

The writers of that data (services, never signals) call ``data_version_bump`` as the last write of
their transaction, so the new number and the new rows become visible together: a reader that sees
the number sees the rows, and a rolled-back change moves nothing. The counter's row stays locked
from that write to the commit, so it is the last one (concurrent writers queue only for the commit).
A reader (``data_version``) pays one primary-key read, sent as plain SQL:
cheaper than the ORM on the hot path of a cached public answer (Open311 ``GET requests``).
"""
from __future__ import annotations

from django.db import connection
from django.db.models import F

from .models import DataVersion

#: The public view of cases (``disclosure.selectors``): a case reported or moved, a moderation decision.
PUBLIC_CASES = "public_cases"

_TABLE = DataVersion._meta.db_table


def data_version(name: str) -> int:
    """The current number of ``name`` (0 before its first change)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT version FROM {_TABLE} WHERE name = %s", [name])
        row = cursor.fetchone()
    return row[0] if row else 0


def data_version_bump(name: str) -> None:
    """``name`` changed in the current transaction (call it last: it locks the counter's row until commit)."""
    if not DataVersion.objects.filter(pk=name).update(version=F("version") + 1):
        # The first change: a concurrent first change may insert it too; either way the number moved.
        DataVersion.objects.bulk_create([DataVersion(name=name, version=1)], ignore_conflicts=True)

