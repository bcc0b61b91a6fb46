"""Uploaded photos and evidence files: checked, cleaned and made ready to store *before* any write.

An upload is untrusted until its content shows it is one of the accepted formats; its name and
declared content type are ignored. Preparing an upload does all of the expensive work:
- the whole image is decoded (a truncated or corrupt file fails here, as a field error, rather
  than later as a 500), after its pixel count has been read from the header (a decompression
  bomb is refused without being decoded);
- the image is re-encoded from its pixels in its own format without any metadata (EXIF carries
  the GPS position of whoever took the photo), turned upright first as its EXIF orientation says.
So the services' transactions only write prepared bytes and never hold the database's write
lock (on SQLite one lock for the whole database) while an image is decoded.

Accepted formats (docs/uploads.md): JPEG (with the multi-picture JPEG, MPO, that some phones
write), PNG and WEBP; evidence may also be a PDF. The stored file gets the extension of its real
format and is served with that format's content type. Limits (settings): ``UPLOAD_MAX_BYTES`` per
file (a bigger file is not even kept while the request is read: ``UploadSizeLimitHandler``),
``UPLOAD_MAX_PIXELS`` per image, ``UPLOAD_MAX_FILES`` per request.
"""
from __future__ import annotations

import contextlib
import io
import os
import struct
import uuid
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.http import FileResponse
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError


@dataclass(frozen=True)
class FileFormat:
    extension: str
    content_type: str
    pillow: str = ""  # Pillow's name for writing it; empty for documents


JPEG = FileFormat(".jpg", "image/jpeg", "JPEG")
PNG = FileFormat(".png", "image/png", "PNG")
WEBP = FileFormat(".webp", "image/webp", "WEBP")
PDF = FileFormat(".pdf", "application/pdf")
#: Pillow's format name → how it is stored. Pillow reports a phone's multi-picture JPEG as MPO;
#: its first picture is stored as a plain JPEG.
IMAGE_FORMATS = {"JPEG": JPEG, "MPO": JPEG, "PNG": PNG, "WEBP": WEBP}
#: The only decoders an upload ever reaches (MPO is opened by the JPEG plugin). Limiting them
#: means an EPS file is never handed to Ghostscript, nor a GIF, BMP or TIFF accepted as a photo.
PILLOW_OPENERS = ("JPEG", "PNG", "WEBP")
#: Pillow's decoders signal bad data with any of these.
DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, IndexError, TypeError, struct.error, zlib.error)
#: The longest side of a thumbnail in pixels: sharp on a phone's list at twice the CSS size.
THUMBNAIL_SIZE = 320
#: Where a prepared upload (or why it was refused) is remembered on the upload object.
_MEMO = "_jingzhi_prepared"


@dataclass(frozen=True)
class PreparedUpload:
    """An accepted upload, cleaned, whose bytes only remain to be written."""

    name: str  # as the client sent it: shown to people, never used as a storage path
    content: bytes
    format: FileFormat
    #: A small JPEG of an image (``THUMBNAIL_SIZE``), made with the cleaned pixels; empty for a PDF.
    thumbnail: bytes = b""

    @property
    def is_image(self) -> bool:
        return self.format is not PDF

    @property
    def size(self) -> int:
        return len(self.content)

    def file(self) -> ContentFile:
        """A new file for a FileField: a random name (uploads are never guessed) with the real extension."""
        return ContentFile(self.content, name=f"{uuid.uuid4().hex}{self.format.extension}")

    def thumbnail_file(self) -> ContentFile | None:
        """The thumbnail as a new file for a FileField (random name), or None for a document."""
        return ContentFile(self.thumbnail, name=f"{uuid.uuid4().hex}{JPEG.extension}") if self.thumbnail else None


def sniffed_format(head: bytes) -> FileFormat | None:
    """The accepted format whose signature starts ``head`` (at least 12 bytes), else None."""
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(b"%PDF-"):
        return PDF
    return None


def _type_error(*, documents: bool) -> ValidationError:
    if documents:
        return ValidationError(_("文件不是 JPG、PNG、WEBP 图片或 PDF。"), code="file_type")
    return ValidationError(_("文件不是 JPG、PNG 或 WEBP 图片。"), code="file_type")


def _pixels_error() -> ValidationError:
    return ValidationError(_("图片像素过多，上限 %(megapixels)s 百万像素。"), code="image_too_large",
                           params={"megapixels": f"{settings.UPLOAD_MAX_PIXELS / 1_000_000:g}"})


def _corrupt_error() -> ValidationError:
    return ValidationError(_("图片文件不完整或已损坏。"), code="file_corrupt")


def _image_prepare(upload) -> PreparedUpload | None:
    try:
        opened = Image.open(upload, formats=PILLOW_OPENERS)
    except UnidentifiedImageError:
        return None
    except Image.DecompressionBombError:  # Pillow's own bound (far above ours) refused it on opening
        raise _pixels_error() from None
    except DECODE_ERRORS:
        raise _corrupt_error() from None
    with opened as image:
        width, height = image.size
        if width * height > settings.UPLOAD_MAX_PIXELS:  # from the header: nothing decoded yet
            raise _pixels_error()
        stored = IMAGE_FORMATS[image.format]
        try:
            image.load()
            # Upright as the camera meant it: the orientation tag goes with the rest of the EXIF.
            ImageOps.exif_transpose(image, in_place=True)
            # Written from the pixels with no metadata (EXIF, XMP, ICC, text); palette transparency is
            # pixels. In place: one decoded copy of the image in memory, not two.
            image.info = {key: image.info[key] for key in ("transparency",) if key in image.info}
            buffer = io.BytesIO()
            image.save(buffer, format=stored.pillow)
            thumbnail = _thumbnail(image)
        except DECODE_ERRORS:
            raise _corrupt_error() from None
    return PreparedUpload(name=upload.name, content=buffer.getvalue(), format=stored, thumbnail=thumbnail)


def _thumbnail(image: Image.Image) -> bytes:
    """A JPEG no larger than ``THUMBNAIL_SIZE`` on its longest side, transparency on white."""
    small = image.copy()
    small.thumbnail((THUMBNAIL_SIZE, THUMBNAIL_SIZE))
    if small.mode in ("RGBA", "LA", "P"):
        small = small.convert("RGBA")
        background = Image.new("RGB", small.size, "white")
        background.paste(small, mask=small.getchannel("A"))
        small = background
    elif small.mode != "RGB":
        small = small.convert("RGB")
    buffer = io.BytesIO()
    small.save(buffer, format="JPEG", quality=80)
    return buffer.getvalue()


def _prepare(upload) -> PreparedUpload | None:
    """The upload ready to store, None when its content is no accepted format; or ValidationError."""
    if upload.size > settings.UPLOAD_MAX_BYTES:
        raise ValidationError(
            _("文件过大：%(size).1f MB，上限 %(limit).0f MB。"), code="file_too_large",
            params={"size": upload.size / 1024 / 1024, "limit": settings.UPLOAD_MAX_BYTES / 1024 / 1024},
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    try:
        if sniffed_format(head) is PDF:
            return PreparedUpload(name=upload.name, content=upload.read(), format=PDF)
        return _image_prepare(upload)
    finally:
        upload.seek(0)


def upload_prepare(upload, *, documents: bool = False) -> PreparedUpload:
    """Check one upload and prepare it for storage; ``documents``: a PDF is accepted too.

    Raises ValidationError (code ``file_too_large``, ``file_type``, ``image_too_large`` or
    ``file_corrupt``). The outcome depends on the content only and is remembered on the upload,
    so a file prepared ahead (``uploads_prepare_ahead``) is not decoded twice.
    """
    outcome = getattr(upload, _MEMO, None)
    if outcome is None:
        try:
            outcome = _prepare(upload) or _type_error(documents=documents)
        except ValidationError as error:
            outcome = error
        setattr(upload, _MEMO, outcome)
    if isinstance(outcome, PreparedUpload) and (outcome.is_image or documents):
        return outcome
    if isinstance(outcome, PreparedUpload) or outcome.code == "file_type":
        raise _type_error(documents=documents)  # worded for what this caller accepts
    raise outcome


def uploads_count_check(uploads: Iterable[tuple[str, object]]) -> None:
    """At most ``UPLOAD_MAX_FILES`` files in one request, all fields together.

    ``uploads`` are ``(field, upload)`` pairs; the error is keyed by the field of the first file
    over the limit. Forms and serializers call it at the edge, before any file is read.
    """
    limit = settings.UPLOAD_MAX_FILES
    for count, (field, _upload) in enumerate(((f, u) for f, u in uploads if u), start=1):
        if count > limit:
            raise ValidationError({field: [ValidationError(
                _("每次最多上传 %(count)d 个文件。"), code="too_many_files", params={"count": limit})]})


def uploads_in(values: Mapping) -> list[tuple[str, File]]:
    """The ``(field, file)`` pairs among a form's or serializer's validated values."""
    return [(field, upload) for field, value in values.items()
            for upload in (value if isinstance(value, (list, tuple)) else [value]) if isinstance(upload, File)]


class UploadLimitMixin:
    """A DRF serializer that refuses more than ``UPLOAD_MAX_FILES`` files at the edge, before any is read."""

    def validate(self, attrs):
        uploads_count_check(uploads_in(attrs))
        return super().validate(attrs)


def uploads_prepare(uploads: Iterable[tuple[str, object]], *, documents: bool = False) -> list[PreparedUpload]:
    """Prepare ``(field, upload)`` pairs, in order; empty entries are skipped.

    Every file is checked before anything is refused, so the answer lists all bad files: a
    ValidationError keyed by field, each message naming its file.
    """
    uploads = [(field, upload) for field, upload in uploads if upload]
    uploads_count_check(uploads)
    prepared, errors = [], {}
    for field, upload in uploads:
        try:
            prepared.append(upload_prepare(upload, documents=documents))
        except ValidationError as error:
            errors.setdefault(field, []).extend(f"{upload.name}：{message}" for message in error.messages)
    if errors:
        raise ValidationError(errors)
    return prepared


def uploads_prepare_ahead(uploads: Iterable) -> None:
    """Prepare a request's files now, for code that runs its service inside a transaction.

    The outcome (or refusal) is remembered on each upload, and raised where the service asks for
    it; nothing is raised here. A request over the file limit is left alone: it will be refused.
    """
    uploads = [upload for upload in uploads if upload]
    if len(uploads) > settings.UPLOAD_MAX_FILES:
        return
    for upload in uploads:
        with contextlib.suppress(ValidationError):  # remembered; the service reports it under the file's field
            upload_prepare(upload, documents=True)


class UploadSizeLimitHandler(FileUploadHandler):
    """The first of ``FILE_UPLOAD_HANDLERS``: a file over ``UPLOAD_MAX_BYTES`` is read to its end
    but not kept (Django would write any size to a temporary file, and fill the disk); it arrives
    as an empty upload of its real size, which ``upload_prepare`` refuses as too large."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        return raw_data if self.received <= settings.UPLOAD_MAX_BYTES else None  # None: the next handlers skip it

    def file_complete(self, file_size):
        if self.received <= settings.UPLOAD_MAX_BYTES:
            return None  # the next handler (memory or temporary file) holds it
        return InMemoryUploadedFile(io.BytesIO(), self.field_name, self.file_name, self.content_type,
                                    self.received, self.charset)


def upload_response(file, *, name: str = "") -> FileResponse:
    """Serve a stored upload inline with the content type its bytes show (never its name's).

    ``name``: the download name; its extension is replaced by the real format's. A file stored
    before formats were checked and of no accepted format is served as ``application/octet-stream``.
    """
    handle = file.open("rb")
    found = sniffed_format(handle.read(16))
    handle.seek(0)
    content_type = found.content_type if found else "application/octet-stream"
    if name and found:
        name = os.path.splitext(name)[0] + found.extension
    return FileResponse(handle, content_type=content_type, filename=name)
