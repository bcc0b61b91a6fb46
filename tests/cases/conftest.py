"""Fixtures for the case tests: the geo test geography, categories with explicit time limits,
one user per case role, a frozen clock and photos carrying EXIF GPS."""
import datetime as dt
import io
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from jingzhi.cases.models import Category, CategoryClass, CategoryKind, DepartmentRule
from jingzhi.geo.testing import build_test_geography
from jingzhi.org.models import Role, User

DEFAULT_LIMITS = {"intake": (4, "working_hours"), "dispatch": (30, "natural_minutes"),
                  "handle": (2, "working_days"), "verify": (1, "working_hours")}


def at(text: str) -> dt.datetime:
    """A Beijing-time instant: at("2024-06-07 15:00")."""
    return timezone.make_aware(dt.datetime.fromisoformat(text))


@pytest.fixture
def geography(db):
    return build_test_geography()


@pytest.fixture
def make_category(db):
    def make(code="0102", name="暴露垃圾", *, kind=CategoryKind.EVENT, rule=DepartmentRule.DISTRICT, unit=None,
             on_site_steps=(), **limits):
        category_class, _ = CategoryClass.objects.get_or_create(kind=kind, code=code[:2], defaults={"name": "测试大类"})
        table = {stage: {"value": value, "unit": unit_name}
                 for stage, (value, unit_name) in {**DEFAULT_LIMITS, **limits}.items()}
        return Category.objects.create(
            category_class=category_class, code=code, name=name, department_rule=rule, department_unit=unit,
            time_limits={"normal": table, "urgent": table}, on_site_steps=list(on_site_steps),
        )
    return make


@pytest.fixture
def category(make_category):
    return make_category()


@dataclass
class Staff:
    intake: User
    chief: User
    dispatcher: User
    inspector: User
    other_inspector: User
    handler_a: User  # of district A (the test geography's 测试甲区)
    handler_b: User
    citizen: User
    other_citizen: User
    leader: User


@pytest.fixture
def staff(geography, make_user):
    return Staff(
        intake=make_user(Role.INTAKE_OPERATOR, username="intake", display_name="受理员小王"),
        chief=make_user(Role.SHIFT_CHIEF, username="chief", display_name="值班长老李"),
        dispatcher=make_user(Role.DISPATCHER, username="dispatcher", display_name="派遣员小赵"),
        inspector=make_user(Role.INSPECTOR, username="inspector", display_name="监督员小孙"),
        other_inspector=make_user(Role.INSPECTOR, username="inspector2"),
        handler_a=make_user(Role.HANDLER, unit=geography.district_a, username="handler_a"),
        handler_b=make_user(Role.HANDLER, unit=geography.district_b, username="handler_b"),
        citizen=make_user(Role.CITIZEN, username="citizen", display_name="张三丰", phone="13812345678"),
        other_citizen=make_user(Role.CITIZEN, username="citizen2", display_name="李四", phone="13900001111"),
        leader=make_user(Role.LEADER, username="leader"),
    )


@pytest.fixture
def clock(monkeypatch):
    """Freeze ``timezone.now``: ``clock.set("2024-06-07 15:00")``."""

    class Clock:
        now = timezone.now()

        def set(self, text):
            self.now = at(text)
            return self.now

    frozen = Clock()
    monkeypatch.setattr(timezone, "now", lambda: frozen.now)
    return frozen


def jpeg_with_gps(name="photo.jpg") -> SimpleUploadedFile:
    """A small JPEG whose EXIF carries a GPS position (what phones write)."""
    image = Image.new("RGB", (32, 24), (200, 80, 40))
    exif = Image.Exif()
    exif[0x010F] = "TestPhone"
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (34.0, 45.0, 30.0), 3: "E", 4: (113.0, 36.0, 18.0)})
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def photo():
    return jpeg_with_gps


@pytest.fixture
def make_case(staff, geography, category):
    """A case driven through the services to state ``until`` along the happy path.

    ``where`` is "a" or "b" (the test geography's districts); the department is the suggested
    one unless ``department`` is given, and its handler acts.
    """
    from jingzhi.cases.acting import case_act
    from jingzhi.cases.reporting import case_report
    from jingzhi.cases.workflow import CaseAction, State

    handlers = {geography.district_a.pk: staff.handler_a, geography.district_b.pk: staff.handler_b}

    def make(until=State.REPORTED, *, where="a", reporter=None, category=category, now=None, department=None,
             description="测试案件"):
        now = now or timezone.now()
        reporter = reporter or staff.citizen
        source = {"citizen": "citizen", "inspector": "inspector"}.get(reporter.username.rstrip("2"), "hotline_12345")
        lon, lat = geography.inside_a if where == "a" else geography.inside_b
        case = case_report(reporter=reporter, source=source, category=category, description=description,
                           lon=lon, lat=lat, reporter_name="王五", reporter_phone="13700002222", now=now)
        steps = [
            (CaseAction.ACCEPT, staff.intake, {}),
            (CaseAction.FILE, staff.chief, {}),
            (CaseAction.DISPATCH, staff.dispatcher, {"department": department, "override_reason": "测试改派"}),
            (CaseAction.RECEIVE, None, {}),
            (CaseAction.HANDLE, None, {"photos": [("after", jpeg_with_gps())]}),
            (CaseAction.VERIFY_ASSIGN, staff.intake, {"inspector": staff.inspector}),
            (CaseAction.VERIFY_PASS, staff.inspector, {}),
            (CaseAction.CLOSE, staff.chief, {}),
        ]
        for action, actor, params in steps:
            if case.state == until:
                break
            case = case_act(case=case, action=action, actor=actor or handlers[case.department_id], now=now, **params)
        assert case.state == until
        return case

    return make


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """The staff fixture creates ten users; PBKDF2 would spend seconds hashing their passwords."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


