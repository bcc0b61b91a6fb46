"""Celery tasks of the registries."""
from celery import shared_task
from django.db import transaction

from .imports import asset_import_run, asset_import_start
from .models import AssetImport


@shared_task(name="assets.tasks.run_import")
def run_import(import_id: int) -> int:
    """Run a queued registry import to its end."""
    return asset_import_run(import_id=import_id).created_count


def import_queue(**arguments) -> AssetImport:
    """Record an import (`imports.asset_import_start`, same arguments) and run it once the transaction
    commits, so a worker finds the record (eagerly, in-process, in the embedded default)."""
    record = asset_import_start(**arguments)
    transaction.on_commit(lambda: run_import.delay(record.pk))
    return record
