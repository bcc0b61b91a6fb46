"""案卷号: the case number, unique per category and day without a lock held across requests."""
from __future__ import annotations

import datetime as dt

from django.db import connection
from django.utils import timezone

from .models import CaseNumberCounter, Category


def case_number_next(*, category: Category, when: dt.datetime) -> str:
    """案卷号 ``C|E`` + 大类 + 小类 + yyyyMMdd + 序号 (at least two digits), e.g. C01012019041101.

    One atomic upsert per number, so concurrent reports never get the same 序号.
    """
    prefix = category.number_prefix + timezone.localtime(when).strftime("%Y%m%d")
    table = CaseNumberCounter._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (prefix, last) VALUES (%s, 1) "
            f"ON CONFLICT (prefix) DO UPDATE SET last = {table}.last + 1 RETURNING last",
            [prefix],
        )
        (sequence,) = cursor.fetchone()
    return f"{prefix}{sequence:02d}"
