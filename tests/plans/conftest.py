"""Plans fixtures: a small plan (fast) and the seed plan (complete), units and users."""
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from jingzhi.org.models import Role, UnitKind
from jingzhi.org.services import units_load
from jingzhi.plans.models import Indicator, Plan
from jingzhi.plans.services import plan_load, progress_report_create

SMALL_PLAN = Path(__file__).with_name("small_plan.yaml")
REVIEW_DATE = date(2018, 9, 30)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Creating six users per test with the production hasher costs seconds."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def units(make_unit):
    names = {"市城管局": UnitKind.CITY_BUREAU, "市园林局": UnitKind.CITY_BUREAU, "市公安局": UnitKind.CITY_BUREAU,
             "金水区": UnitKind.DISTRICT, "中原区": UnitKind.DISTRICT}
    return {name: make_unit(name, kind=kind) for name, kind in names.items()}


@pytest.fixture
def small_plan(units):
    """The small plan, reviewed as of 2018-09-30."""
    plan_load(path=SMALL_PLAN)
    plan = Plan.objects.get(document_number="测试〔2018〕1号")
    plan.as_of = REVIEW_DATE
    plan.save()
    return plan


@pytest.fixture
def seed_plan(db):
    units_load(path=settings.DATA_DIR / "org" / "zhengzhou-units.yaml")
    plan_load(path=settings.DATA_DIR / "plans" / "zhengzhou-2018.yaml")
    return Plan.objects.get()


@pytest.fixture
def people(make_user, units):
    """One user per role: reporters of 市城管局, 金水区 and 市园林局, the office and a leader."""
    return {
        "cgj": make_user(Role.UNIT_REPORTER, unit=units["市城管局"], username="cgj"),
        "jinshui": make_user(Role.UNIT_REPORTER, unit=units["金水区"], username="jinshui"),
        "yuanlin": make_user(Role.UNIT_REPORTER, unit=units["市园林局"], username="yuanlin"),
        "police": make_user(Role.UNIT_REPORTER, unit=units["市公安局"], username="police"),
        "office": make_user(Role.PLAN_OFFICE, username="office"),
        "leader": make_user(Role.LEADER, username="leader"),
    }


def png_bytes(size=(8, 8), exif=False) -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    image = Image.new("RGB", size, (200, 30, 30))
    if exif:
        data = Image.Exif()
        data[0x010F] = "CameraMaker"  # Make
        image.save(buffer, format="JPEG", exif=data)
    else:
        image.save(buffer, format="PNG")
    return buffer.getvalue()


PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def stored_files(settings) -> list:
    """Every file under MEDIA_ROOT (evidence must not be left behind by a refused request)."""
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def report(user, code, value, measured_on, evidence=()):
    indicator = Indicator.objects.get(code=code)
    return progress_report_create(user=user, indicator=indicator, value=Decimal(value), measure_unit=indicator.unit,
                                  measured_on=date.fromisoformat(measured_on), evidence=list(evidence))


@pytest.fixture
def progress(small_plan, people):
    """Toilets 850 ≥ 803 expected (1210 × 181 / 273 = 802.23 whole: on track), class-1 share 31 ≥ 30 (done), old areas 9 < 13.26 (lagging)."""
    photo = SimpleUploadedFile("toilet.png", png_bytes(), "image/png")
    report(people["cgj"], "toilets", "850", "2018-09-20", evidence=[photo])
    report(people["cgj"], "class1-share", "31", "2018-09-20")
    report(people["yuanlin"], "old-areas", "9", "2018-09-20")
    return small_plan
