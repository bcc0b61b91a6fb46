"""Preparing uploads (jingzhi.core.uploads): refusals are ValidationErrors with a code, never an
exception; what is accepted is decoded, cleaned and stored in its real format."""
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, ImageFile

from jingzhi.core.uploads import (
    JPEG,
    PDF,
    PNG,
    WEBP,
    UploadSizeLimitHandler,
    upload_prepare,
    upload_response,
    uploads_count_check,
    uploads_prepare,
    uploads_prepare_ahead,
)
from tests.upload_samples import BAD_FILES, BOMB_WARNING, image_bytes, jpeg, png_bomb, upload

pytestmark = BOMB_WARNING
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def refusal(make, **options) -> ValidationError:
    with pytest.raises(ValidationError) as refused:
        upload_prepare(make(), **options)
    return refused.value


@pytest.mark.parametrize(("label", "make", "words"), BAD_FILES, ids=[label for label, *_ in BAD_FILES])
def test_bad_files_are_refused_with_a_code(label, make, words):
    error = refusal(make)
    assert error.code in {"file_corrupt", "file_type", "image_too_large"} and words in error.messages[0]


def test_a_bomb_is_refused_from_its_header_without_decoding(monkeypatch):
    """12000×12000 blank PNG, 18 KB: refused before any pixel is decoded."""
    def no_decoding(image):
        raise AssertionError("decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", no_decoding)
    error = refusal(lambda: upload("blank.png", png_bomb(), "image/png"))
    assert error.code == "image_too_large" and error.messages == ["图片像素过多，上限 40 百万像素。"]


def test_pillows_own_bomb_bound_is_a_refusal_too():
    """Beyond twice Pillow's MAX_IMAGE_PIXELS, Image.open itself raises DecompressionBombError."""
    assert refusal(lambda: upload("huge.png", png_bomb(20_000, 20_000), "image/png")).code == "image_too_large"


def test_the_pixel_limit_is_a_setting(settings):
    settings.UPLOAD_MAX_PIXELS = 48 * 32
    assert upload_prepare(jpeg(size=(48, 32))).format is JPEG
    assert refusal(lambda: jpeg(size=(48, 33))).code == "image_too_large"


def test_the_byte_limit_is_checked_first(settings):
    settings.UPLOAD_MAX_BYTES = 100
    assert refusal(jpeg).code == "file_too_large"


def test_a_file_over_the_byte_limit_is_not_kept_while_the_request_is_read(settings):
    """The first upload handler passes a file's chunks on (to memory or a temporary file) only up to
    the limit; the file then arrives empty, with its real size, and is refused as too large."""
    settings.UPLOAD_MAX_BYTES = 100_000
    handler = UploadSizeLimitHandler()
    handler.new_file("photos", "big.jpg", "image/jpeg", None)
    chunk = b"x" * 65_536
    assert [handler.receive_data_chunk(chunk, start) for start in range(0, 4 * 65_536, 65_536)] == [
        chunk, None, None, None]
    arrived = handler.file_complete(65_536)
    assert arrived.size == 4 * 65_536 and arrived.read() == b""
    with pytest.raises(ValidationError) as refused:
        upload_prepare(arrived)
    assert refused.value.messages == ["文件过大：0.2 MB，上限 0 MB。"]
    handler.new_file("photos", "small.jpg", "image/jpeg", None)
    assert handler.receive_data_chunk(chunk, 0) == chunk and handler.file_complete(65_536) is None


@pytest.mark.parametrize(("image_format", "expected"), [("JPEG", JPEG), ("PNG", PNG), ("WEBP", WEBP)])
def test_the_stored_format_is_the_content_not_the_name(image_format, expected):
    ready = upload_prepare(upload("photo.jpg", image_bytes(image_format)))
    assert ready.format is expected and ready.file().name.endswith(expected.extension)
    with Image.open(io.BytesIO(ready.content)) as stored:
        assert stored.format == image_format and stored.size == (48, 32)


def test_a_phones_multi_picture_jpeg_is_stored_as_jpeg():
    buffer = io.BytesIO()
    first, second = Image.new("RGB", (40, 30), "red"), Image.new("RGB", (40, 30), "blue")
    first.save(buffer, format="MPO", save_all=True, append_images=[second])
    ready = upload_prepare(upload("phone.jpg", buffer.getvalue()))
    with Image.open(io.BytesIO(ready.content)) as stored:
        assert ready.format is JPEG and stored.format == "JPEG" and stored.size == (40, 30)


def test_metadata_is_dropped_and_the_photo_turned_upright():
    """EXIF (GPS, camera, orientation), XMP and the ICC profile are dropped; a portrait photo
    stored landscape with orientation 6 (rotate 90° clockwise to view) is stored upright."""
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x010F] = "TestPhone"
    exif.get_ifd(0x8825).update({1: "N", 2: (34.0, 45.0, 30.0)})
    buffer = io.BytesIO()
    Image.new("RGB", (60, 20), "red").save(buffer, format="JPEG", exif=exif, xmp=b"<x:xmpmeta/>",
                                           icc_profile=b"\0" * 128)
    ready = upload_prepare(upload("portrait.jpg", buffer.getvalue()))
    with Image.open(io.BytesIO(ready.content)) as stored:
        assert stored.size == (20, 60)
        assert not stored.getexif() and not {"exif", "xmp", "icc_profile"} & set(stored.info)


def test_palette_transparency_is_kept():
    image = Image.new("P", (8, 8), 1)
    image.putpalette([0, 0, 0, 255, 0, 0])
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", transparency=1)
    with Image.open(io.BytesIO(upload_prepare(upload("icon.png", buffer.getvalue())).content)) as stored:
        assert stored.info.get("transparency") == 1


def test_a_pdf_is_evidence_but_not_a_photo():
    assert upload_prepare(upload("minutes.pdf", PDF_BYTES), documents=True).format is PDF
    error = refusal(lambda: upload("minutes.pdf", PDF_BYTES))
    assert error.code == "file_type" and error.messages == ["文件不是 JPG、PNG 或 WEBP 图片。"]
    error = refusal(lambda: upload("minutes.pdf", b"not a pdf"), documents=True)
    assert error.messages == ["文件不是 JPG、PNG、WEBP 图片或 PDF。"]


def test_too_many_files_are_refused_on_the_field_of_the_first_file_over():
    uploads = [("before_photos", jpeg())] * 5 + [("after_photos", jpeg())] * 5
    with pytest.raises(ValidationError) as refused:
        uploads_count_check(uploads)
    assert refused.value.message_dict == {"after_photos": ["每次最多上传 9 个文件。"]}
    uploads_count_check(uploads[:9])


def test_every_bad_file_is_named_in_its_fields_errors():
    good, cut, gif = jpeg(), BAD_FILES[0][1](), BAD_FILES[2][1]()
    with pytest.raises(ValidationError) as refused:
        uploads_prepare([("photos", good), ("photos", cut), ("after_photos", gif)])
    assert refused.value.message_dict == {"photos": ["cut.jpg：图片文件不完整或已损坏。"],
                                          "after_photos": ["photo.jpg：文件不是 JPG、PNG 或 WEBP 图片。"]}


def test_a_file_prepared_ahead_is_not_decoded_again(monkeypatch):
    good, bad = jpeg(), BAD_FILES[0][1]()
    uploads_prepare_ahead([good, bad, None])

    def no_opening(*args, **kwargs):
        raise AssertionError("opened again")

    monkeypatch.setattr(Image, "open", no_opening)
    assert upload_prepare(good).format is JPEG
    assert refusal(lambda: bad).code == "file_corrupt"


@pytest.mark.parametrize(("content", "name", "content_type", "download_name"), [
    (image_bytes("PNG"), "site.jpg", "image/png", "site.png"),
    (image_bytes("WEBP"), "site.webp", "image/webp", "site.webp"),
    (PDF_BYTES, "minutes.pdf", "application/pdf", "minutes.pdf"),
    (image_bytes("GIF"), "old.jpg", "application/octet-stream", "old.jpg"),  # stored before formats were checked
])
def test_stored_files_are_served_with_the_type_of_their_content(content, name, content_type, download_name):
    response = upload_response(ContentFile(content, name="stored.jpg"), name=name)
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'inline; filename="{download_name}"'
    assert b"".join(response.streaming_content) == content
