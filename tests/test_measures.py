"""Measures that mean what they say, and the region's edge (issue 13, items 3 and 4).

Against the synthetic set of conftest.py; every expected number follows from the shapes drawn.
"""

from __future__ import annotations

import math

import pytest
import shapely
import yaml
from pandas.testing import assert_frame_equal

from chuannan_gis.engine.counties import OUTSIDE_COUNTY
from chuannan_gis.result import FINDING_COLUMNS, Result
from chuannan_gis.rules import bundled_rules_path
from conftest import KM, REGION_EAST_X, YANGTZE_EDGE_X, box_km, fired, frame

PARK_Y = 3230  # km: empty ground in 沿滩区 (x 530–570), far from every river but the region's edge


def proposal(result, proposal_id=0):
    return result.proposals.set_index("proposal_id").loc[proposal_id]


def fragmented_farmland():
    """Farmland as 750 parcels of 40 m × 40 m (x 550–551.2 km, y 3230–3231 km: 120 ha) and one
    named parcel of 16 ha beside them (x 551.2–551.36 km): 136 ha in 751 adjacent features."""
    size = 0.04
    parcels = [
        {
            "name_zh": None,
            "accuracy_m": 5.0,
            "data_status": "official",
            "geometry": box_km(550 + i * size, PARK_Y + j * size, 550 + (i + 1) * size, PARK_Y + (j + 1) * size),
        }
        for i in range(30)
        for j in range(25)
    ]
    parcels.append(
        {
            "name_zh": "大坝田",
            "accuracy_m": 5.0,
            "data_status": "official",
            "geometry": box_km(551.2, PARK_Y, 551.36, PARK_Y + 1),
        }
    )
    return frame(parcels)


# --- inside rules measure the union of the qualifying features --------------------------------------


def test_fragmented_layer_reports_the_whole_overlap(run, make_constraints):
    park = box_km(550, PARK_Y, 552, PARK_Y + 1)  # 200 ha; 136 ha of it on farmland: 68 %
    result = run(
        (park, "industrial_park", "liquor", "new"), constraint_set=make_constraints(farmland=fragmented_farmland())
    )
    finding = fired(result)["farmland"]
    assert (finding.unit, finding.measured, finding.overlap_pct) == ("ha", pytest.approx(136), pytest.approx(68))
    assert finding.feature_count == 751
    # still names the feature it overlaps most: the 16 ha parcel (the last, fid 750), not a 0.16 ha one
    assert finding.feature_id == 750
    assert "136.0 ha, 68.0 %, across 751 features" in finding.message_en
    assert "重叠136.0公顷，占68.0%，共751个要素" in finding.message_zh
    assert finding.certainty == "certain"  # 5 m accuracy, 1 km deep inside
    assert proposal(result).verdict == "prohibited"


def test_overlapping_features_are_not_counted_twice(run, make_constraints):
    half = box_km(550, PARK_Y, 551, PARK_Y + 1)
    farmland = frame([{"accuracy_m": 5.0, "geometry": half}, {"accuracy_m": 5.0, "geometry": half}])
    result = run(
        (box_km(550, PARK_Y, 552, PARK_Y + 1), "industrial_park", "liquor", "new"),
        constraint_set=make_constraints(farmland=farmland),
    )
    finding = fired(result)["farmland"]
    assert (finding.measured, finding.overlap_pct, finding.feature_count) == (pytest.approx(100), pytest.approx(50), 2)


def test_one_feature_keeps_its_overlap_and_message(run):
    park = box_km(514, 3162, 516, 3163)  # 200 ha, half inside the red line (one block)
    finding = fired(run((park, "industrial_park", "liquor", "new")))["redline_production"]
    assert (finding.measured, finding.overlap_pct, finding.feature_count) == (pytest.approx(100), pytest.approx(50), 1)
    assert "across" not in finding.message_en and "个要素" not in finding.message_zh


def test_within_holds_on_the_union_of_adjacent_features(run, make_constraints, tmp_path):
    raw = yaml.safe_load(bundled_rules_path().read_text("utf-8"))
    next(r for r in raw["rules"] if r["id"] == "farmland")["condition"]["predicate"] = "within"
    rules = tmp_path / "rules.yaml"
    rules.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    farmland = frame(
        [
            {"accuracy_m": 0.0, "geometry": box_km(550, PARK_Y, 551, PARK_Y + 1)},
            {"accuracy_m": 0.0, "geometry": box_km(551, PARK_Y, 552, PARK_Y + 1)},
        ]
    )
    inside_both = box_km(550.5, PARK_Y + 0.2, 551.5, PARK_Y + 0.8)  # no single parcel covers it
    sticking_out = box_km(551.5, PARK_Y + 0.2, 552.5, PARK_Y + 0.8)
    result = run(
        (inside_both, "industrial_park", "liquor", "new"),
        (sticking_out, "industrial_park", "liquor", "new"),
        constraint_set=make_constraints(farmland=farmland),
        rules=rules,
    )
    finding = fired(result, 0)["farmland"]
    assert (finding.verdict, finding.measured, finding.overlap_pct) == (
        "prohibited",
        pytest.approx(60),
        pytest.approx(100),
    )
    assert "farmland" not in fired(result, 1)


# --- distance rules report a distance and the share within the threshold -----------------------------


def test_touching_park_reads_zero_metres_and_its_share_within(run):
    # x 499.5–501.5 km: half a kilometre in the Yangtze; within 1 km of its edge (x = 500) up to x = 501
    park = box_km(499.5, 3210, 501.5, 3211)
    finding = fired(run((park, "industrial_park", "chemical", "new")))["yrpl26_chemical_1km"]
    assert (finding.unit, finding.measured) == ("m", 0.0)
    assert math.isnan(finding.overlap_pct)  # the overlap with the water is no distance
    assert finding.share_within_pct == pytest.approx(75)
    assert finding.message_zh.startswith("距长江水边0米，") and "重叠" not in finding.message_zh
    assert finding.message_zh.endswith("（场地75.0%位于水边1公里内）")
    assert finding.message_en.startswith("0 m from the water edge") and "overlap" not in finding.message_en
    assert finding.message_en.endswith(" (75.0 % of the site within 1 km of the water edge)")


def test_share_within_for_a_site_short_of_the_water_and_for_a_line(run):
    park = box_km(500.5, 3210, 502.5, 3211)  # 500 m from the edge; x 500.5–501 within 1 km: 25 %
    line = shapely.LineString([(500.5 * KM, 3215 * KM), (502.5 * KM, 3215 * KM)])
    site = shapely.Point(YANGTZE_EDGE_X + 300, 3220 * KM)
    result = run(*((geom, "industrial_park", "chemical", "new") for geom in (park, line, site)))
    by_site = fired(result, 0)["yrpl26_chemical_1km"]
    assert (by_site.measured, by_site.share_within_pct) == (pytest.approx(500), pytest.approx(25))
    assert "（场地25.0%位于水边1公里内）" in by_site.message_zh
    by_line = fired(result, 1)["yrpl26_chemical_1km"]
    assert by_line.share_within_pct == pytest.approx(25)
    assert "（线路25.0%位于水边1公里内）" in by_line.message_zh and "25.0 % of the line" in by_line.message_en
    assert math.isnan(fired(result, 2)["yrpl26_chemical_1km"].share_within_pct)  # a point has no share


def test_near_distance_finding_has_no_share(run):
    park = box_km(501.02, 3210, 502, 3211)  # 1,020 m: beyond 1 km, within the edge's ±50 m
    finding = fired(run((park, "industrial_park", "chemical", "new")))["yrpl26_chemical_1km"]
    assert finding.near and math.isnan(finding.share_within_pct)


# --- the region's edge --------------------------------------------------------------------------


def test_park_partly_outside_gets_a_finding_for_the_part_outside(run):
    park = box_km(568.9, 3240, 570.9, 3241)  # 200 ha; the region ends at x = 570: 90 ha (45 %) beyond
    result = run((park, "industrial_park", "liquor", "new"))
    finding = fired(result)["region_partly_outside"]
    assert (finding.verdict, finding.unit, finding.measured, finding.overlap_pct) == (
        "unknown",
        "ha",
        pytest.approx(90),
        pytest.approx(45),
    )
    assert finding.certainty == "certain"  # it reaches 900 m beyond an edge stated at ±100 m
    assert finding.message_zh == "90.0公顷（占场地45.0%）位于川南经济区以外，本工具的约束未覆盖该部分，该部分无法判定"
    assert finding.message_en.startswith("90.0 ha (45.0 % of the site) lies outside 川南经济区")
    assert "region_outside" not in fired(result)
    row = proposal(result)
    assert (row.verdict, row.county, row.rule_ids) == ("unknown", "沿滩区", "region_partly_outside")


def test_park_mostly_outside_is_counted_outside(run):
    result = run((box_km(569.5, 3240, 571.5, 3241), "industrial_park", "liquor", "new"))  # 75 % outside
    assert fired(result)["region_partly_outside"].overlap_pct == pytest.approx(75)
    row = proposal(result)
    assert (row.county, row.city, row.district) == (OUTSIDE_COUNTY, None, None)


def test_part_outside_within_the_edge_accuracy_may_lie_inside(run):
    park = box_km(568, 3240, REGION_EAST_X / KM + 0.05, 3241)  # 50 m past an edge stated at ±100 m
    finding = fired(run((park, "industrial_park", "liquor", "new")))["region_partly_outside"]
    assert (finding.verdict, finding.near, finding.certainty) == ("unknown", True, "within_accuracy")
    assert "可能全部位于区内" in finding.message_zh and "it may lie wholly inside" in finding.message_en


def test_line_partly_outside_and_sites_wholly_inside(run):
    line = shapely.LineString([(569 * KM, 3245 * KM), (571 * KM, 3245 * KM)])
    inside = box_km(560, 3240, 562, 3241)
    result = run((line, "project", "other", "new"), (inside, "industrial_park", "liquor", "new"))
    finding = fired(result, 0)["region_partly_outside"]
    assert (finding.unit, finding.measured, finding.overlap_pct) == ("m", pytest.approx(1000), pytest.approx(50))
    assert finding.message_zh.startswith("1000米（占线路50.0%）位于川南经济区以外")
    assert "region_partly_outside" not in fired(result, 1)


def test_proposal_spanning_counties_says_so(run):
    park = box_km(529.4, PARK_Y, 531, PARK_Y + 1)  # 0.6 km in 江阳区, 1 km in 沿滩区
    site = shapely.Point(560 * KM, PARK_Y * KM)
    result = run((park, "industrial_park", "liquor", "new"), (site, "industrial_park", "liquor", "new"))
    row = proposal(result, 0)
    assert (row.county, row.counties) == ("沿滩区", "沿滩区、江阳区")
    assert row.summary_zh.endswith("；跨2个县区：沿滩区、江阳区")
    assert row.summary_en.endswith("; spans 2 counties: Yantan, Jiangyang")
    assert row.verdict == "clear"  # spanning counties is said, not judged
    one = proposal(result, 1)
    assert one.counties == "沿滩区" and "跨" not in one.summary_zh


# --- the Result ---------------------------------------------------------------------------------


def test_result_written_before_the_new_columns_reads(run, tmp_path):
    result = run((box_km(499.5, 3210, 501.5, 3211), "industrial_park", "chemical", "new"))
    old = Result(
        result.proposals,
        result.findings.drop(columns=["share_within_pct", "feature_count"]),
        result.not_checked,
        result.run_info,
    )
    read = Result.read(old.write(tmp_path / "old.gpkg"))
    assert list(read.findings.columns[-2:]) == ["share_within_pct", "feature_count"]
    assert set(FINDING_COLUMNS) <= set(read.findings.columns)
    assert read.findings["share_within_pct"].isna().all() and read.findings["feature_count"].isna().all()


# --- layer notes: incomplete_layers (a planner's imported layer: tests/test_layer_notes.py) ----


def incomplete_set(make_constraints, **notes):
    """The synthetic set (every layer covering the region) with completeness notes on the layers named."""
    constraints = make_constraints()
    metadata = constraints.metadata.copy()
    for column in ("completeness_zh", "completeness_en"):
        metadata[column] = metadata[column].astype(object) if column in metadata else None
    for layer, (zh, en) in notes.items():
        metadata.loc[metadata["layer"] == layer, ["completeness_zh", "completeness_en"]] = [zh, en]
    constraints.metadata = metadata
    return constraints


def test_incomplete_layers_are_said_per_proposal_and_never_change_anything(run, make_constraints, constraints):
    rows = (
        (box_km(514, 3162, 516, 3163), "industrial_park", "liquor", "new"),  # half in the red line
        (shapely.Point(560 * KM, PARK_Y * KM), "industrial_park", "liquor", "new"),  # nothing nearby, 沿滩区
        (shapely.Point(560 * KM, PARK_Y * KM), "port", "general_cargo_port", "new"),
    )
    plain = run(*rows)
    noted = run(
        *rows,
        constraint_set=incomplete_set(
            make_constraints,
            eco_redlines=("仅两块示意红线", "only two indicative red-line blocks"),
            shoreline_zones=("仅干流有岸线分区", "zones on the mainstream only"),
        ),
    )
    # every proposal the red-line rules checked; the shoreline rules check ports only
    assert noted.proposals["incomplete_layers"].tolist() == [
        "eco_redlines",
        "eco_redlines",
        "eco_redlines,shoreline_zones",
    ]
    assert plain.proposals["incomplete_layers"].tolist() == ["", "", ""]
    assert not noted.findings["rule_id"].str.endswith("_incomplete").any()  # said once, in run_info
    record = {r.name: r for r in noted.run_info.layers}["eco_redlines"]
    assert (record.completeness_zh, record.completeness_en) == ("仅两块示意红线", "only two indicative red-line blocks")
    notes = noted.layer_notes()
    note = notes[(notes["proposal_id"] == 0) & (notes["layer"] == "eco_redlines")].iloc[0]
    assert (note.rule_id, note.verdict, note.advisory, note.certainty, note.citation) == (
        "eco_redlines_incomplete",
        "clear",
        True,
        "",
        "",
    )
    assert (note.message_zh, note.message_en) == ("仅两块示意红线", "only two indicative red-line blocks")
    assert math.isnan(note.measured) and note.title_en.startswith("Layer known to be incomplete")
    assert_frame_equal(noted.findings, plain.findings)
    for column in ("verdict", "summary_zh", "summary_en", "rule_ids", "certainty", "indicative", "citations"):
        assert noted.proposals[column].tolist() == plain.proposals[column].tolist(), column
