"""Writing many rows fast: PostgreSQL ``COPY`` (ids drawn from the table's sequence first), Django's
``bulk_create`` on other databases. Rows are plain tuples, not model instances: building 100,000
instances costs more than the database's whole write (see docs/benchmarks.md, registries)."""
from __future__ import annotations

import json
from collections.abc import Sequence

from django.db import connection, models

#: Rows per INSERT where COPY is not available: big enough to amortise round trips, small enough for
#: SQLite's variable limit (20 columns × 500 rows < 32,766).
BATCH_SIZE = 500


def rows_insert(model: type[models.Model], attnames: Sequence[str], rows: Sequence[Sequence]) -> list[int]:
    """Insert ``rows`` (values in ``attnames`` order; JSON fields as Python values) into ``model``'s
    table and return their new primary keys in order. Defaults and ``auto_now`` are not applied: give
    every column. Call inside a transaction."""
    if not rows:
        return []
    if connection.vendor != "postgresql":
        objects = [model(**dict(zip(attnames, row, strict=True))) for row in rows]
        model.objects.bulk_create(objects, batch_size=BATCH_SIZE)
        return [instance.pk for instance in objects]
    fields = [model._meta.get_field(name.removesuffix("_id")) if name.endswith("_id") and name != "id"
              else model._meta.get_field(name) for name in attnames]
    json_positions = [i for i, field in enumerate(fields) if isinstance(field, models.JSONField)]
    table, quote = model._meta.db_table, connection.ops.quote_name
    columns = ", ".join(quote(column) for column in [model._meta.pk.column, *(f.column for f in fields)])
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                       [quote(table), model._meta.pk.column, len(rows)])
        ids = [row[0] for row in cursor.fetchall()]
        with cursor.connection.cursor().copy(f"COPY {quote(table)} ({columns}) FROM STDIN") as copy:
            for pk, row in zip(ids, rows, strict=True):
                values = [pk, *row]
                for i in json_positions:
                    values[i + 1] = json.dumps(values[i + 1], ensure_ascii=False)  # jsonb's text input
                copy.write_row(values)
    return ids
