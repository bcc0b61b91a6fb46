"""A scheme version may weight a score another app measures (a term source, e.g. 检查考核得分 per
district): parsed from data, merged per unit over the period, scored by hand."""
import copy
import datetime as dt

import pytest
import yaml
from django.conf import settings

from jingzhi.assessment.scheme import SchemeError, scheme_parse
from jingzhi.assessment.scoring import unit_score
from jingzhi.assessment.sources import ScoreSource, score_source_register, source_scores_merge


def _scheme_with_inspection_score(weight=10):
    raw = yaml.safe_load((settings.DATA_DIR / "assessment" / "2026.1.yaml").read_text(encoding="utf-8"))
    raw = copy.deepcopy(raw)
    raw["source_scores"] = {"inspection_score": {"name": "检查考核得分", "source": "test.scores"}}
    terms = raw["kinds"]["district"]["terms"]
    next(t for t in terms if t["score"] == "closing_rate")["weight"] -= weight
    terms.append({"score": "inspection_score", "weight": weight})
    return scheme_parse(raw)


def test_a_district_scores_its_inspection_term_by_hand():
    """Counters: 10 filed, 8 closed (80), 6 on time (60), 7 fixed (70), 1 public report (90),
    2 rated 2 satisfied (100), 20 grids → 0.5 filed per grid (band < 3: 90); inspection score 72.5.
    10×90 + 20×90 + 20×80 + 10×60 + 20×70 + 10×100 + 10×72.5 = 8025 → 80.25."""
    scheme = _scheme_with_inspection_score()
    counters = {"filed": 10, "closed": 8, "closed_on_time": 6, "fixed": 7, "public_reports": 1, "rated": 2,
                "satisfied": 2, "grids": 20, "inspection_score": 72.5}
    score = unit_score(scheme, "district", counters)
    assert {t.code: t.score for t in score.terms}["inspection_score"] == 72.5
    assert score.composite == pytest.approx(80.25)
    without = unit_score(scheme, "district", {k: v for k, v in counters.items() if k != "inspection_score"})
    # No inspection in the period: the term is dropped and the other 90 % rescaled: 7300 / 90.
    assert without.composite == pytest.approx(7300 / 90)


def test_the_registered_source_fills_each_unit_over_the_period():
    calls = []

    def scores(*, kind, start, end):
        calls.append((kind, start, end))
        return {7: 88.0, 9: 130.0}

    score_source_register(ScoreSource(key="test.scores", label="test", scores=scores))
    scheme = _scheme_with_inspection_score()
    counters = {7: {"filed": 3, "inspection_score": 1.0}}
    merged = source_scores_merge(scheme=scheme, kind="district", counters=counters,
                                 start=dt.date(2018, 7, 1), end=dt.date(2018, 10, 1))
    assert merged == {7: {"filed": 3, "inspection_score": 88.0}, 9: {"inspection_score": 130.0}}
    assert counters == {7: {"filed": 3, "inspection_score": 1.0}}  # the caller's counters are not changed
    assert calls == [("district", dt.date(2018, 7, 1), dt.date(2018, 10, 1))]
    assert unit_score(scheme, "district", merged[9]).terms[-1].score == 100.0  # clamped to 0–100
    assert source_scores_merge(scheme=scheme, kind="department", counters=counters, start=dt.date(2018, 7, 1),
                               end=dt.date(2018, 10, 1)) is counters  # not a term of departments


def test_an_unknown_source_score_in_a_term_is_refused():
    raw = yaml.safe_load((settings.DATA_DIR / "assessment" / "2026.1.yaml").read_text(encoding="utf-8"))
    raw["kinds"]["district"]["terms"][0]["score"] = "inspection_score"
    with pytest.raises(SchemeError, match="unknown"):
        scheme_parse(raw)
