"""A redacted copy of a photo: the chosen area (or the whole picture) blurred past recognition. Pure:
bytes in, bytes out; the original is never touched (``services.photo_review_decide`` keeps both)."""
from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, ImageFilter, ImageOps

#: The blur radius as a share of the picture's longer side: faces and number plates become unreadable.
BLUR_SHARE = 0.04


@dataclass(frozen=True)
class Box:
    """An area in percent of the picture: left, top, width, height (0–100)."""

    left: float
    top: float
    width: float
    height: float

    def pixels(self, size: tuple[int, int]) -> tuple[int, int, int, int]:
        w, h = size
        left, top = int(w * self.left / 100), int(h * self.top / 100)
        right = min(w, max(left + 1, round(w * (self.left + self.width) / 100)))
        bottom = min(h, max(top + 1, round(h * (self.top + self.height) / 100)))
        return left, top, right, bottom


WHOLE = Box(0, 0, 100, 100)


def image_redact(content: bytes, *, box: Box = WHOLE) -> tuple[bytes, str]:
    """The JPEG bytes of ``content`` with ``box`` blurred, and their extension. The photo was checked and
    cleaned when uploaded (``core.uploads``), so it decodes; the copy carries no metadata either."""
    with Image.open(io.BytesIO(content)) as source:
        image = ImageOps.exif_transpose(source).convert("RGB")
    area = box.pixels(image.size)
    radius = max(4, int(max(image.size) * BLUR_SHARE))
    image.paste(image.crop(area).filter(ImageFilter.GaussianBlur(radius)), area[:2])
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    return out.getvalue(), ".jpg"
