"""Fixtures of the Open311 tests: the case fixtures, a registered client app with its key, and
helpers that read both formats."""
import json
import xml.etree.ElementTree as ET

import pytest

from jingzhi.open311.answers import answers_forget
from jingzhi.open311.services import client_app_create
from tests.cases.conftest import (  # noqa: F401  (fixtures, re-exported)
    _fast_password_hashing,
    category,
    geography,
    make_case,
    make_category,
    photo,
    staff,
)

BASE = "/open311/v2/"


@pytest.fixture(autouse=True)
def _answers_forgotten():
    """Each test's database starts again from the same data version: the lists a process kept for
    an earlier test must not answer this one."""
    answers_forget()


@pytest.fixture
def app_key(db):
    """A registered client app and its key."""
    app, key = client_app_create(name="市民城管通", contact="app@example.cn")
    return app, key


@pytest.fixture
def manhole(make_category):  # noqa: F811  (the fixture re-exported above)
    """A small class with attributes in data/open311/attributes.yaml (C0101: condition required)."""
    return make_category("0101", "上水井盖", kind="component")


def parsed(response):
    """The answer's data in either format: JSON as is; XML as (root tag, element)."""
    if response["Content-Type"].startswith("application/json"):
        return json.loads(response.content)
    return ET.fromstring(response.content)


def xml_items(root, item: str) -> list[dict]:
    """The flat items of an XML list answer: element → {child tag: text or ""}."""
    return [{child.tag: child.text or "" for child in element} for element in root.findall(item)]
