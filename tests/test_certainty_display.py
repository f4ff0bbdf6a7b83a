"""Certainty shown wherever a person sees a verdict (issue 13 item 1): the summary, the report and
the web map's data, all worded from the one table in ``chuannan_gis/verdicts.py``.

The three proposals are the engine's known answers (tests/test_engine.py): a heavy-chemical park
200 m from a ±486 m water edge is certainly within 1 km (prohibited, certain), one 800 m from it is
prohibited on the data only (within accuracy), one 1,200 m from it is in the near band (review,
within accuracy).  A farmland parcel without an accuracy gives a prohibited verdict whose certainty is ``unstated``.
"""

from __future__ import annotations

import re

import pytest

from chuannan_gis import check, decision
from chuannan_gis.report import render_report
from chuannan_gis.verdicts import CERTAINTY, certainty_of, verdict_text
from conftest import KM, YANGTZE_EDGE_X, box_km, frame, point, synthetic_frames


def water_at(accuracy_m: float):
    water = synthetic_frames()["water"]
    water.loc[water["river_id"] == "yangtze", "accuracy_m"] = accuracy_m
    return water


@pytest.fixture
def result(make_constraints, proposals):
    farmland = frame([{"geometry": box_km(550, 3230, 552, 3232)}])  # no accuracy_m: unstated
    rows = [(point(YANGTZE_EDGE_X + d), "industrial_park", "heavy_chemical", "new") for d in (200.0, 800.0, 1200.0)]
    rows.append((point(551 * KM, 3231 * KM), "industrial_park", "liquor", "new"))
    return check(proposals(*rows), constraints=make_constraints(water=water_at(486.0), farmland=farmland))


def test_the_certainty_table_covers_the_decision_cores_codes():
    assert set(CERTAINTY) == set(decision.CERTAINTIES) | {decision.NO_MEASURE}
    assert certainty_of(None) is CERTAINTY[""] and certainty_of(float("nan")) is CERTAINTY[""]
    assert verdict_text("prohibited", "within_accuracy") == "禁止（数据精度内，须核实）"
    assert verdict_text("prohibited", "within_accuracy", "en") == "prohibited (within the data's accuracy: confirm)"
    assert verdict_text("prohibited", "within_accuracy", "zh", short=True) == "禁止（数据精度内）"
    assert verdict_text("restricted", "unstated", "en") == "restricted (accuracy not stated)"
    assert verdict_text("prohibited", "certain") == verdict_text("prohibited", "") == "禁止"


def test_summary_says_when_a_verdict_rests_on_the_datas_accuracy(result):
    proposals = result.proposals
    assert proposals[["verdict", "certainty"]].values.tolist() == [
        ["prohibited", "certain"],
        ["prohibited", "within_accuracy"],
        ["review", "within_accuracy"],
        ["prohibited", "unstated"],
    ]
    zh, en = proposals["summary_zh"].tolist(), proposals["summary_en"].tolist()
    assert zh[0].startswith("禁止：") and en[0].startswith("prohibited: ")  # certain: the verdict alone
    assert zh[1].startswith("禁止（数据精度内，须核实）：")
    assert en[1].startswith("prohibited (within the data's accuracy: confirm): ")
    assert zh[2].startswith("需审查（数据精度内，须核实）：")
    assert zh[3].startswith("禁止（精度未注明）：") and en[3].startswith("prohibited (accuracy not stated): ")


def test_report_shows_certainty_per_proposal_per_finding_and_in_the_counts(result):
    html = render_report(result)
    counts = re.search(r'<tr data-verdict="prohibited">.*?</tr>', html, re.S).group(0)
    assert "<td>3</td>" in counts  # prohibited: 3 (certain 1, within accuracy 1, accuracy not stated 1)
    assert re.search(r'data-certainty="certain">确定 <span class="en">certain</span> 1<', counts)
    assert re.search(r'data-certainty="within_accuracy">数据精度内 <span class="en">within accuracy</span> 1<', counts)
    assert re.search(r'data-certainty="unstated">精度未注明 <span class="en">accuracy not stated</span> 1<', counts)
    assert "数据精度内，须核实" in html and "accuracy_m" in html  # the sentence saying what it means
    sections = re.findall(r'<div class="proposal" id="p(\d+)">(.*?)</table>', html, re.S)
    heads = {int(pid): body.split("</h3>")[0] for pid, body in sections}
    assert "badge within" not in heads[0] and "data-certainty" not in heads[0]
    assert "badge within" in heads[1] and "（数据精度内，须核实）" in heads[1]
    assert "(within the data&#39;s accuracy: confirm)" in heads[1]  # escaped
    assert "（精度未注明）" in heads[3] and "badge within" not in heads[3]
    cells = re.findall(r'<td class="finding-certainty">(.*?)</td>', html)
    assert (
        "确定 certain" in cells and "数据精度内 within accuracy" in cells and "精度未注明 accuracy not stated" in cells
    )
