"""Upload validation refuses bad files with a ValidationError (a 400 upstream), never an exception."""
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def _png(size) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("1", size).save(buffer, format="PNG")
    return SimpleUploadedFile("photo.png", buffer.getvalue(), content_type="image/png")


def test_small_png_is_accepted():
    from jingzhi.core.uploads import validate_evidence

    validate_evidence(_png((4, 4)))


def test_decompression_bomb_is_refused_as_invalid_image():
    """A ~50 KB PNG declaring 20000×20000 pixels: Pillow raises DecompressionBombError on open."""
    from jingzhi.core.uploads import validate_image

    with pytest.raises(ValidationError) as refused:
        validate_image(_png((20000, 20000)))
    assert refused.value.code == "file_corrupt"


def test_pdf_without_signature_is_refused():
    from jingzhi.core.uploads import validate_evidence

    with pytest.raises(ValidationError) as refused:
        validate_evidence(SimpleUploadedFile("report.pdf", b"not a pdf"))
    assert refused.value.code == "file_corrupt"
