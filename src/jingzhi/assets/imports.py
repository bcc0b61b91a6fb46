"""The import record's lifecycle: start an import from an uploaded file, run it (in a Celery task,
eager in the embedded default) and keep its progress and report on an `AssetImport`.

Progress is written with single-row UPDATEs outside the import's own transaction, so a page polling
the record sees the rows counted while the checks run; the writing itself is one transaction, all
rows or none.
"""
from __future__ import annotations

import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError
from django.utils import timezone
from django.utils.translation import gettext as _

from jingzhi.geo.coords import CoordSystem
from jingzhi.org.models import User

from .errors import field_error
from .importing import ImportOutcome, assets_import
from .kinds import asset_kind
from .models import AssetImport, ImportStatus
from .tables import TableInvalid, table_read

logger = logging.getLogger(__name__)


def asset_import_start(*, kind: str, content: bytes, file_name: str, coord_system: str, keep_valid: bool,
                       actor: User) -> AssetImport:
    """Record an import; `tasks.import_queue` starts it and queues its run."""
    asset_kind(kind)
    if coord_system not in CoordSystem.values:
        raise field_error("coord_system", _("坐标系须为 WGS84、GCJ-02 或 BD-09。"))
    if len(content) > settings.ASSET_IMPORT_MAX_BYTES:
        raise field_error("file", _("文件不能超过 %(mb)d MB。") % {"mb": settings.ASSET_IMPORT_MAX_BYTES // 2**20})
    record = AssetImport(kind=kind, file_name=file_name[:200], coord_system=coord_system, keep_valid=keep_valid,
                         created_by=actor)
    record.file.save("upload", ContentFile(content), save=False)
    record.save()
    return record


def _progress(record_id: int):
    def report(done: int, total: int) -> None:
        AssetImport.objects.filter(pk=record_id).update(processed=done, total=total)
    return report


def asset_import_run(*, import_id: int) -> AssetImport:
    """Run a queued import to its end; whatever happens, the record ends ``done`` or ``failed``."""
    record = AssetImport.objects.select_related("created_by").get(pk=import_id)
    if record.status != ImportStatus.QUEUED:
        return record  # a redelivered task: it ran already
    AssetImport.objects.filter(pk=record.pk).update(status=ImportStatus.CHECKING)
    try:
        with record.file.open("rb") as handle:
            content = handle.read()
        header, rows = table_read(content)
        AssetImport.objects.filter(pk=record.pk).update(total=len(rows))
        outcome = assets_import(kind=asset_kind(record.kind), header=header, rows=rows,
                                coord_system=record.coord_system, keep_valid=record.keep_valid,
                                actor=record.created_by, progress=_progress(record.pk))
    except TableInvalid as error:
        return _finish(record, error=str(error))
    except IntegrityError:  # another import took a code meanwhile
        return _finish(record, error=_("导入时台账已有同编号记录（可能同时有另一次导入），"
                                       "未写入任何记录，请重新导入。"))
    except Exception:
        logger.exception("asset import %s failed", record.pk)
        return _finish(record, error=_("导入失败，未写入任何记录。"))
    return _finish(record, outcome=outcome)


def _finish(record: AssetImport, *, outcome: ImportOutcome | None = None, error: str = "") -> AssetImport:
    record.refresh_from_db()
    record.status = ImportStatus.FAILED if error else ImportStatus.DONE
    record.error = error[:1000]
    if outcome is not None:
        record.total = record.processed = outcome.total
        record.created_count = outcome.created
        record.problem_count = len(outcome.problems)
        record.problems = [[p.row, p.column, p.message]
                           for p in outcome.problems[:settings.ASSET_IMPORT_MAX_PROBLEMS]]
    record.finished_at = timezone.now()
    if record.file:
        record.file.delete(save=False)  # the upload is not kept: the registry and the report are
    record.save()
    return record
