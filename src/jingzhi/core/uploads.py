"""Validation of uploaded evidence files (photos, PDFs, spreadsheets).

Checks size, declared extension *and* content: an image must open in Pillow,
a PDF must start with the PDF signature. EXIF (which carries GPS) can be
stripped from images before storage.
"""
from __future__ import annotations

import io
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

IMAGE_EXTENSIONS = {".jpg", ".jpeg", ".png", ".webp"}
DOCUMENT_EXTENSIONS = {".pdf"}


def _check_size(upload) -> None:
    limit = settings.UPLOAD_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("文件过大：%(size).1f MB，上限 %(limit).0f MB。"),
            code="file_too_large",
            params={"size": upload.size / 1024 / 1024, "limit": limit / 1024 / 1024},
        )


def validate_image(upload) -> None:
    _check_size(upload)
    if Path(upload.name).suffix.lower() not in IMAGE_EXTENSIONS:
        raise ValidationError(_("只接受 JPG、PNG、WEBP 图片。"), code="file_type")
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
        # A small file declaring a huge canvas (a decompression bomb) is refused like a corrupt one.
        raise ValidationError(_("文件不是有效的图片。"), code="file_corrupt")
    finally:
        upload.seek(0)


def validate_evidence(upload) -> None:
    """Evidence for progress reports: an image or a PDF."""
    suffix = Path(upload.name).suffix.lower()
    if suffix in IMAGE_EXTENSIONS:
        validate_image(upload)
        return
    _check_size(upload)
    if suffix not in DOCUMENT_EXTENSIONS:
        raise ValidationError(_("只接受图片（JPG/PNG/WEBP）或 PDF 文件。"), code="file_type")
    upload.seek(0)
    head = upload.read(5)
    upload.seek(0)
    if head != b"%PDF-":
        raise ValidationError(_("文件不是有效的 PDF。"), code="file_corrupt")


def image_without_exif(upload) -> SimpleUploadedFile:
    """A copy of a validated image with all metadata (EXIF, GPS) dropped."""
    upload.seek(0)
    with Image.open(upload) as image:
        image.load()
        image_format = image.format or "JPEG"
        # Rebuilding from raw pixels guarantees no metadata block survives.
        clean = Image.frombytes(image.mode, image.size, image.tobytes())
        if image.mode == "P":
            clean.putpalette(image.getpalette())
    buffer = io.BytesIO()
    clean.save(buffer, format=image_format)
    return SimpleUploadedFile(upload.name, buffer.getvalue(), content_type=getattr(upload, "content_type", None))
