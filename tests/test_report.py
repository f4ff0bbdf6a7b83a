"""The HTML report: self-contained, escaped, bilingual, with maps, usable for many proposals."""

import re

import geopandas as gpd
import pandas as pd
import pytest
from shapely import Point, Polygon

from chuannan_gis.layers import ConstraintSet
from chuannan_gis.report import accuracy_label, render_report, write_report
from chuannan_gis.result import Result
from chuannan_gis.verdicts import VERDICTS

WATER = Polygon([(105.40, 28.85), (105.50, 28.85), (105.50, 28.86), (105.40, 28.86)])


def constraint_set():
    water = gpd.GeoDataFrame(
        {"river_id": ["yangtze"], "river_class": ["mainstream"], "data_status": ["indicative"], "accuracy_m": [200.0]},
        geometry=[WATER],
        crs=4490,
        index=pd.Index([7], name="fid"),
    )
    return ConstraintSet.from_frames({"water": water})


def make_result(n=3, verdicts=("prohibited", "clear", "unknown"), names=None):
    """A Result built by hand, with a prohibited finding 450 m from the water feature fid 7."""
    names = names or [f"项目{i}" for i in range(n)]
    verdict = [verdicts[i % len(verdicts)] for i in range(n)]
    geoms = [Point(105.45, 28.865 + 0.001 * i) for i in range(n)]
    if n > 2:
        geoms[2] = None
    proposals = gpd.GeoDataFrame(
        {
            "proposal_id": range(n),
            "name": names,
            "kind": ["industrial_park"] * n,
            "industry": ["chemical"] * n,
            "status": ["new"] * n,
            "verdict": verdict,
            "verdict_zh": [VERDICTS[v].zh for v in verdict],
            "county": ["江阳区"] * n,
            "city": ["泸州市"] * n,
            "district": ["泸州都市区"] * n,
            "rule_ids": ["yrpl26_chemical_1km" if v == "prohibited" else "" for v in verdict],
            "summary_zh": ["距长江 450 m" if v == "prohibited" else "" for v in verdict],
            "summary_en": ["450 m from the Yangtze" if v == "prohibited" else "" for v in verdict],
            "citations": ["长江保护法 第二十六条" if v == "prohibited" else "" for v in verdict],
            "indicative": [v == "prohibited" for v in verdict],
        },
        geometry=geoms,
        crs=4490,
    )
    fired = [i for i, v in enumerate(verdict) if v == "prohibited"]
    findings = pd.DataFrame(
        {
            "proposal_id": fired,
            "rule_id": "yrpl26_chemical_1km",
            "verdict": "prohibited",
            "measured": 450.0,
            "unit": "m",
            "threshold": 1000.0,
            "layer": "water",
            "feature_id": 7,
            "data_status": "indicative",
            "accuracy_m": 200.0,
            "citation": "长江保护法 第二十六条",
            "message_zh": "距长江岸线 450 m",
            "message_en": "450 m from the Yangtze shoreline",
        }
    )
    not_checked = pd.DataFrame(
        {
            "rule_id": ["farmland"],
            "layer": ["farmland"],
            "title_zh": ["永久基本农田"],
            "title_en": ["Permanent basic farmland"],
            "reason_zh": ["未提供图层"],
            "reason_en": ["layer not supplied"],
        }
    )
    run_info = {
        "time": "2026-11-26T13:00:00",
        "rules_path": "catalog.yaml",
        "rules_sha256": "ab" * 32,
        "rules_text": "rules:\n- id: yrpl26_chemical_1km\n  title: {zh: 岸线一公里内化工, en: Chemical within 1 km}\n",
        "constraints_path": "/nonexistent/constraints.gpkg",
        "constraints_fingerprint": "cd" * 32,
        "indicative_layers": ["water"],
        "input_path": "parks.csv",
    }
    return Result(proposals, findings, not_checked, run_info)


def test_report_is_written_atomically_and_self_contained(tmp_path):
    path = write_report(make_result(), tmp_path / "r.html", constraints=constraint_set())
    html = path.read_text("utf-8")
    assert list(tmp_path.iterdir()) == [path]  # no temporary file left behind
    assert "<script" not in html and "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in html and "<link" not in html


def test_report_has_notice_counts_run_info_and_not_checked():
    html = render_report(make_result(), constraints=constraint_set())
    assert "筛查结果，不作为审批依据" in html and "not a permit" in html
    assert "未发现冲突" in html and "no conflict was found with the constraints checked" in html
    for verdict in VERDICTS.values():
        assert verdict.colour in html and verdict.zh in html
    assert "ab" * 32 in html and "catalog.yaml" in html and "parks.csv" in html
    assert "rules:\n- id" not in html  # the catalog's text stays in the Result, not the header
    assert "永久基本农田" in html and "layer not supplied" in html


def test_proposal_section_shows_reasons_with_rule_titles_from_the_run():
    html = render_report(make_result(), constraints=constraint_set())
    assert "岸线一公里内化工" in html and "Chemical within 1 km" in html
    assert "450 m" in html and "1,000 m" in html and "±200 m" in html
    assert "长江保护法 第二十六条" in html and "450 m from the Yangtze shoreline" in html
    assert "产业园区 industrial park" in html and "江阳区 / 泸州市 / 泸州都市区" in html


def test_indicative_layers_are_listed_with_the_warning():
    html = render_report(make_result(), constraints=constraint_set())
    section = html.split("Indicative layers")[1].split("Not checked")[0]
    assert "water" in section and "水面" in section and "confirmed with the official layers" in section


def test_map_draws_proposal_and_the_finding_feature_with_a_scale_bar():
    html = render_report(make_result(), constraints=constraint_set())
    first = html.split('id="p0"')[1].split('id="p')[0]
    assert first.count("<svg") == 1 and "<path" in first and "<circle" in first
    assert re.search(r">\d+(\.\d+)? k?m</text>", first)  # the scale bar's label
    assert "#d7191c" in first  # the proposal in its verdict's colour


def test_null_geometry_has_no_map_and_missing_constraints_draw_the_proposal_alone():
    html = render_report(make_result())  # the recorded constraint set does not exist
    unknown = html.split('id="p2"')[1].split('id="p')[0]
    assert "No geometry to map" in unknown
    first = html.split('id="p0"')[1].split('id="p')[0]
    assert "<circle" in first and "<path" not in first


def test_every_data_string_is_escaped():
    result = make_result(names=["<script>alert(1)</script>", "a&b", "<img src=x>"])
    result.findings["message_en"] = "<b>bold</b>"
    html = render_report(result, constraints=constraint_set())
    assert "<script>" not in html and "<img" not in html and "<b>bold" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "a&amp;b" in html


def test_many_proposals_get_sections_up_to_the_limit_then_a_table(tmp_path):
    result = make_result(n=60, verdicts=("clear", "clear", "review", "prohibited"))
    html = render_report(result, constraints=constraint_set(), max_sections=10)
    assert html.count('class="proposal"') == 10
    assert html.count("<svg") <= 10
    assert "Remaining proposals" in html and html.count("<tr><td>") >= 50
    sections = re.findall(r'class="proposal" id="p(\d+)"', html)
    worst = {str(i) for i in range(60) if i % 4 == 3}  # the 15 prohibited come first
    assert set(sections) <= worst


NOT_STATED = "精度未注明 accuracy not stated"  # the engine's messages use the same words (chuannan_gis.labels)


@pytest.mark.parametrize(
    "value, label", [(None, NOT_STATED), (float("nan"), NOT_STATED), (0, NOT_STATED), (50.0, "±50 m")]
)
def test_accuracy_label(value, label):
    assert accuracy_label(value) == label


def test_verdict_text_on_white_uses_the_readable_text_colour():
    html = render_report(
        make_result(n=4, verdicts=("review", "prohibited")), constraints=constraint_set(), max_sections=1
    )
    review = VERDICTS["review"]
    assert f'<span style="color: {review.text_colour}">{review.zh} {review.en}</span>' in html  # the counts
    remaining = html.split("Remaining proposals")[1]
    assert f'<span style="color: {review.text_colour}">{review.zh} review</span>' in remaining
    assert f"color: {review.colour}" not in html  # the light fill is never used for text


def _advisory_rows(result, pids, layer="water"):
    """Older Results' advisory rows: one `<layer>_incomplete` row per proposal, the same message."""
    rows = pd.DataFrame(
        {
            "proposal_id": pids,
            "rule_id": f"{layer}_incomplete",
            "verdict": "clear",
            "layer": layer,
            "advisory": True,
            "message_zh": "水面图层仅含五条河流",
            "message_en": "the water layer maps five rivers only",
        }
    )
    return pd.concat([result.findings.assign(advisory=False), rows], ignore_index=True)


def test_report_is_a_document_conclusions_first_and_the_record_last_and_folded():
    html = render_report(make_result())
    counts, sections = html.index("结论统计"), html.index('class="proposal"')
    record = html.index("<details")
    assert counts < sections < html.index("数据来源") < html.index("Method") < record
    assert "ab" * 32 in html[record:] and "ab" * 32 not in html[:record]  # hashes only in the folded record
    assert "EPSG:4544" in html[html.index("Method") :] and "1 公顷 = 15 亩" in html and "1 ha = 15 mu" in html
    assert "@media print" in html and "table-layout: fixed" in html  # printing keeps 依据 and 说明


def test_advisory_rows_of_an_older_result_are_said_once_per_layer():
    result = make_result(n=3)
    result.findings = _advisory_rows(result, [0, 1, 2])
    html = render_report(result)
    assert html.count("水面图层仅含五条河流") == 1  # once, in 图层完整性
    assert html.count('data-limit="incomplete"') == 3  # each proposal names the layer
    assert "water_incomplete" not in html  # never a findings row


def test_lean_result_columns_name_the_layers_per_proposal():
    result = make_result(n=2)
    result.proposals["incomplete_layers"] = ["water,eco_redlines", ""]
    result.proposals["not_covered_layers"] = ["", "farmland"]
    html = render_report(result)
    assert html.count('data-limit="incomplete"') == 1 and html.count('data-limit="not_covered"') == 1
    assert "水面 (water)、生态保护红线 (eco_redlines)" in html and "永久基本农田 (farmland)" in html


def test_report_sections_show_the_overlaps():
    result = make_result(n=1, verdicts=("prohibited",))
    result.overlaps = pd.DataFrame(
        {
            "proposal_id": [0],
            "layer": ["landuse"],
            "class_field": ["dlbm"],
            "class_value": ["0103"],
            "class_label": ["旱地"],
            "feature_ids": ["3"],
            "area_ha": [1.23456],
            "area_mu": [18.5184],
            "share_pct": [40.0],
        }
    )
    html = render_report(result)
    assert "0103 旱地" in html and "1.2346" in html and "18.52" in html
