"""The shipped scheme against its source (reference §4): every weight and band the reference
gives is in the file, the completions are the documented ones, and a broken file is refused."""
import copy
import re

import pytest
import yaml
from django.conf import settings

from jingzhi.assessment.scheme import SchemeError, scheme_load, scheme_parse

REFERENCE_WEIGHTS = {  # digital-city-management-reference.md §4, transcribed
    "inspector": {"valid_report_rate": 40, "missed_report_rate": 20, "confirm_on_time_rate": 20,
                  "verify_on_time_rate": 20},
    "intake_operator": {"intake_volume_score": 25, "confirm_assign_on_time_rate": 40,
                        "verify_assign_on_time_rate": 35},
    "shift_chief": {"filing_on_time_rate": 25, "filing_accuracy_rate": 40, "chief_closing_on_time_rate": 35},
    "dispatcher": {"dispatch_volume_score": 20, "dispatch_on_time_rate": 40, "dispatch_accuracy_rate": 40},
    "department": {"department_filed_score": 10, "closing_rate": 30, "handling_on_time_rate": 30,
                   "rework_rate": 30},
    # The reference's 70 %; docs/assessment.md completes it with 解决率 20 and 满意率 10.
    "district": {"public_report_rate": 10, "region_filed_score": 20, "closing_rate": 30,
                 "closing_on_time_rate": 10, "solving_rate": 20, "satisfaction_rate": 10},
}


def test_weights_and_bands_match_the_reference():
    scheme = scheme_load("2026.1")
    for kind, weights in REFERENCE_WEIGHTS.items():
        assert {t.score: t.weight for t in scheme.kinds[kind].terms} == weights
    assert scheme.grades == (("A", 90), ("B", 75), ("C", 60), ("D", 40), ("E", 0))
    intake = scheme.count_scores["intake_volume_score"].bands
    assert [(b.op, b.bound, b.score) for b in intake] == [
        ("at_least", 2001, 100), ("at_least", 1201, 90), ("at_least", 501, 75), ("at_least", 301, 60),
        ("at_least", 101, 40)]
    assert scheme.indicators["rework_rate"].lower_is_better


REFERENCE_LINES = {"inspector": "监督员", "intake_operator": "受理员", "shift_chief": "值班长", "dispatcher": "派遣员",
                   "department": "专业部门", "district": "区域 (per grid)"}


def test_the_transcription_follows_the_reference_text():
    """The weights of each role's line in the reference, in order, are the scheme's (区域: its first four)."""
    text = (settings.SHARED_DIR / "docs" / "digital-city-management-reference.md").read_text(encoding="utf-8")
    scheme = scheme_load("2026.1")
    for kind, label in REFERENCE_LINES.items():
        line = next(line for line in text.splitlines() if line.startswith(f"- **{label}:**"))
        weights = [float(w) for w in re.findall(r"×\s*(\d+)%", line)]
        assert [t.weight for t in scheme.kinds[kind].terms][:len(weights)] == weights, kind
    assert "sum to 70%" in text and sum(t.weight for t in scheme.kinds["district"].terms) == 100


def test_a_broken_scheme_is_refused():
    raw = yaml.safe_load((settings.DATA_DIR / "assessment" / "2026.1.yaml").read_text(encoding="utf-8"))
    bad = copy.deepcopy(raw)
    bad["kinds"]["district"]["terms"].pop()
    with pytest.raises(SchemeError, match="weights"):
        scheme_parse(bad)
    bad = copy.deepcopy(raw)
    bad["kinds"]["dispatcher"]["terms"][0]["score"] = "nonsense"
    with pytest.raises(SchemeError, match="unknown"):
        scheme_parse(bad)
    with pytest.raises(SchemeError):
        scheme_load("../plans/zhengzhou-2018")
