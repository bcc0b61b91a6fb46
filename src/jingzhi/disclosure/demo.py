"""Demo: a few citizen reports for the moderation queue — text the automatic check holds (an insult,
a phone number) and photos waiting for a moderator — then the screening run. Safe to re-run."""
from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from jingzhi.cases.models import Case, Category
from jingzhi.cases.reporting import case_report
from jingzhi.org.models import User

from .services import reviews_screen

#: (small-class code, description, with a photo) — each is reported once by the demo citizen.
REPORTS = [
    ("0102", "小区门口垃圾堆了三天没人管，物业都是饭桶", False),
    ("0501", "路口有人摆摊占道，有事打我电话13812345678", True),
    ("0102", "人行道上的垃圾桶满溢，气味很大", True),
]
#: Points in central Zhengzhou (WGS84), one per report.
POINTS = [(113.6602, 34.7541), (113.6721, 34.7603), (113.6489, 34.7488)]


def _photo(number: int) -> SimpleUploadedFile:
    """A picture a phone might send: a street with a plate-like box to redact."""
    image = Image.new("RGB", (640, 480), (150, 160, 170))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 300, 640, 480), fill=(90, 90, 90))
    draw.rectangle((250 + number * 20, 380, 390 + number * 20, 420), fill=(20, 60, 160))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG")
    return SimpleUploadedFile(f"demo-{number}.jpg", buffer.getvalue(), content_type="image/jpeg")


def load_demo(*, stdout) -> None:
    citizen = User.objects.filter(username="citizen").first()
    made = 0
    for index, ((code, description, with_photo), (lon, lat)) in enumerate(zip(REPORTS, POINTS, strict=True)):
        category = Category.objects.filter(code=code, category_class__kind="event").first()
        if citizen is None or category is None or Case.objects.filter(description=description).exists():
            continue
        case_report(reporter=citizen, source="citizen", category=category, description=description, lon=lon, lat=lat,
                    photos=[_photo(index)] if with_photo else [])
        made += 1
    stdout.write(f"moderation: {made} citizen reports added, {reviews_screen()} decisions screened\n")
