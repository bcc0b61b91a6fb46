"""Photos of a case action: checked and prepared before the transaction, stored inside it."""
from __future__ import annotations

from collections.abc import Iterable

from jingzhi.core.uploads import PreparedUpload, uploads_prepare
from jingzhi.org.models import User

from .models import Case, CaseEvent, CasePhoto, PhotoKind

#: The request field each kind of photo comes in (its errors are keyed by it).
PHOTO_KIND_FIELDS = {PhotoKind.BEFORE: "before_photos", PhotoKind.AFTER: "after_photos"}


def photos_prepare(photos: Iterable[tuple[str, object]]) -> list[tuple[str, PreparedUpload]]:
    """Check, decode and clean every upload before the transaction opens: the transaction then only
    writes prepared bytes, and no image is decoded while the database's write lock is held."""
    photos = [(kind, upload) for kind, upload in photos if upload]
    prepared = uploads_prepare([(PHOTO_KIND_FIELDS.get(kind, "photos"), upload) for kind, upload in photos])
    return [(kind, ready) for (kind, _upload), ready in zip(photos, prepared)]


def photos_store(*, case: Case, event: CaseEvent, photos: list[tuple[str, PreparedUpload]], user: User | None,
                 now) -> None:
    """Keep prepared photos on the case, attached to the event that brought them."""
    for kind, ready in photos:
        CasePhoto.objects.create(case=case, event=event, kind=kind, image=ready.file(),
                                 thumbnail=ready.thumbnail_file() or "", uploaded_by=user, created_at=now)
