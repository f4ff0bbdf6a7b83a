"""The engine against the synthetic set of conftest.py, with answers worked out by hand."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely
import yaml

from chuannan_gis import check
from chuannan_gis.engine.geometry import GEOMETRY_RULE_ID
from chuannan_gis.errors import LayerError
from chuannan_gis.rules import bundled_rules_path, load_rules
from conftest import KM, REGION_EAST_X, TUO_EDGE_X, YANGTZE_EDGE_X, box_km, fired, frame, point

YANGTZE_ACCURACY = 50.0
TUO_ACCURACY = 20.0


def verdict(result, proposal_id=0) -> str:
    return result.proposals.loc[result.proposals["proposal_id"] == proposal_id, "verdict"].item()


# --- distance rules on both sides of each threshold and in the accuracy band --------------------------

DISTANCE_CASES = [
    # rule, (kind, industry, status), water edge x, threshold, accuracy of that water feature, rule verdict
    (
        "yrpl26_chemical_1km",
        ("industrial_park", "chemical", "new"),
        YANGTZE_EDGE_X,
        1000,
        YANGTZE_ACCURACY,
        "prohibited",
    ),
    ("yrpl26_chemical_1km", ("project", "pesticide", "expansion"), TUO_EDGE_X, 1000, TUO_ACCURACY, "prohibited"),
    (
        "c24_heavy_chemical_park_1km",
        ("industrial_park", "heavy_chemical", "new"),
        YANGTZE_EDGE_X,
        1000,
        YANGTZE_ACCURACY,
        "prohibited",
    ),
    (
        "c24_chemical_enterprise_1km",
        ("enterprise", "chemical", "existing"),
        YANGTZE_EDGE_X,
        1000,
        YANGTZE_ACCURACY,
        "review",
    ),
    (
        "yrpl26_tailings_mainstream_3km",
        ("project", "tailings_pond", "new"),
        YANGTZE_EDGE_X,
        3000,
        YANGTZE_ACCURACY,
        "prohibited",
    ),
    (
        "yrpl26_tailings_tributary_1km",
        ("project", "tailings_pond", "expansion"),
        TUO_EDGE_X,
        1000,
        TUO_ACCURACY,
        "prohibited",
    ),
]


@pytest.mark.parametrize("rule_id, proposal, edge_x, threshold, accuracy, rule_verdict", DISTANCE_CASES)
def test_inside_threshold_fires_with_rule_verdict(run, rule_id, proposal, edge_x, threshold, accuracy, rule_verdict):
    result = run((point(edge_x + threshold - 10), *proposal))
    finding = fired(result)[rule_id]
    assert finding.verdict == rule_verdict
    assert finding.measured == pytest.approx(threshold - 10, abs=0.01)
    assert (finding.unit, finding.threshold, finding.layer) == ("m", threshold, "water")
    assert not finding.near
    assert verdict(result) == rule_verdict


@pytest.mark.parametrize("rule_id, proposal, edge_x, threshold, accuracy, rule_verdict", DISTANCE_CASES)
def test_within_accuracy_beyond_threshold_is_review(run, rule_id, proposal, edge_x, threshold, accuracy, rule_verdict):
    result = run((point(edge_x + threshold + accuracy / 2), *proposal))
    finding = fired(result)[rule_id]
    assert finding.verdict == "review"
    assert finding.near
    assert f"±{accuracy:.0f} m" in finding.message_en and f"±{accuracy:.0f}米" in finding.message_zh
    assert finding.accuracy_m == accuracy


@pytest.mark.parametrize("rule_id, proposal, edge_x, threshold, accuracy, rule_verdict", DISTANCE_CASES)
def test_beyond_accuracy_band_no_finding(run, rule_id, proposal, edge_x, threshold, accuracy, rule_verdict):
    result = run((point(edge_x + threshold + 2 * accuracy), *proposal))
    assert rule_id not in fired(result)


def test_distance_is_measured_from_the_water_edge_and_names_the_river(run):
    result = run((point(YANGTZE_EDGE_X + 620), "industrial_park", "chemical", "new"))
    summary = result.proposals["summary_zh"].item()
    assert summary.startswith("禁止：距长江水边620米，位于岸线1公里范围内")
    assert summary.endswith("（长江保护法 第二十六条）")
    assert result.proposals["summary_en"].item().startswith("prohibited: 620 m from the water edge of the Yangtze")


def test_tailings_3km_rule_is_mainstream_only(run):
    result = run((point(TUO_EDGE_X + 2000), "project", "tailings_pond", "new"))
    assert not {"yrpl26_tailings_mainstream_3km", "yrpl26_tailings_tributary_1km"} & set(fired(result))


def test_hierarchy_petrochemical_caught_by_chemical_rule(run):
    result = run((point(YANGTZE_EDGE_X + 500), "project", "petrochemical", "new"))
    assert fired(result)["yrpl26_chemical_1km"].verdict == "prohibited"
    assert fired(result)["c24_petro_coal_chemical"].verdict == "restricted"
    assert verdict(result) == "prohibited"
    assert result.proposals["rule_ids"].item() == "c24_petro_coal_chemical,yrpl26_chemical_1km"


@pytest.mark.parametrize(
    "status, expected", [("new", "prohibited"), ("expansion", "prohibited"), ("existing", "clear")]
)
def test_status_decides_the_chemical_rule(run, status, expected):
    result = run((point(YANGTZE_EDGE_X + 500), "industrial_park", "chemical", status))
    assert verdict(result) == expected


@pytest.mark.parametrize(
    "industry, status, expected",
    [
        # Art. 26's chemical sentence bans 新建、扩建 only; its tailings sentence 新建、改建、扩建.
        ("chemical", "rebuild", "clear"),
        ("chemical", "expansion", "prohibited"),
        ("tailings_pond", "rebuild", "prohibited"),
        ("tailings_pond", "existing", "clear"),
    ],
)
def test_rebuild_follows_each_rules_text(run, industry, status, expected):
    result = run((point(YANGTZE_EDGE_X + 500), "project", industry, status))
    assert verdict(result) == expected


def test_key_project_is_carried_into_the_result(constraints):
    source = frame(
        [
            {
                "name": "国道",
                "kind": "project",
                "industry": "linear_infrastructure",
                "key_project": "国家重大项目",
                "geometry": point(560 * KM, 3240 * KM),
            },
            {
                "name": "园区",
                "kind": "industrial_park",
                "industry": "electronics",
                "geometry": point(560 * KM, 3240 * KM),
            },
        ]
    )
    assert check(source, constraints=constraints).proposals["key_project"].tolist() == ["national", ""]


def test_existing_enterprise_message_says_inspection_only(run):
    result = run((point(YANGTZE_EDGE_X + 500), "enterprise", "chemical", "existing"))
    finding = fired(result)["c24_chemical_enterprise_1km"]
    assert finding.verdict == "review"
    assert "listed for inspection" in finding.message_en and "not itself one" in finding.message_en


def test_new_coal_chemical_anywhere_is_restricted(run):
    result = run(
        (point(560 * KM, 3240 * KM), "project", "coal_chemical", "new"),
        (point(560 * KM, 3240 * KM), "project", "coal_chemical", "existing"),
    )
    assert verdict(result, 0) == "restricted"
    assert verdict(result, 1) == "clear"


# --- polygon rules ------------------------------------------------------------------------------------

REDLINE_INSIDE = point(512 * KM, 3162 * KM)


@pytest.mark.parametrize(
    "proposal, rule_id, expected",
    [
        (("industrial_park", "liquor", "new"), "redline_production", "prohibited"),
        (("port", "general_cargo_port", "new"), "redline_production", "prohibited"),
        (("project", "linear_infrastructure", "new"), "redline_limited_activity", "review"),
        (("project", "water_works", "expansion"), "redline_limited_activity", "review"),
        (("enterprise", "electronics", "existing"), "redline_existing", "review"),
    ],
)
def test_redline(run, proposal, rule_id, expected):
    result = run((REDLINE_INSIDE, *proposal))
    assert fired(result)[rule_id].verdict == expected
    assert verdict(result) == expected


def test_redline_near_edge_within_accuracy_is_review(run):
    result = run((point(515 * KM + 50, 3162 * KM), "industrial_park", "liquor", "new"))
    finding = fired(result)["redline_production"]
    assert (finding.verdict, finding.near, finding.measured) == ("review", True, pytest.approx(50))
    assert "±100 m" in finding.message_en


def test_redline_beyond_accuracy_no_finding(run):
    result = run((point(515 * KM + 250, 3162 * KM), "industrial_park", "liquor", "new"))
    assert "redline_production" not in fired(result)
    assert verdict(result) == "clear"


def test_polygon_overlap_is_reported_in_hectares_and_percent(run):
    park = shapely.box(514 * KM, 3162 * KM, 516 * KM, 3163 * KM)  # 200 ha, half inside the red line
    finding = fired(run((park, "industrial_park", "liquor", "new")))["redline_production"]
    assert (finding.unit, finding.measured, finding.overlap_pct) == ("ha", pytest.approx(100), pytest.approx(50))
    assert "100.0 ha, 50.0 %" in finding.message_en and "重叠100.0公顷，占50.0%" in finding.message_zh


def test_indicative_data_is_marked(run):
    result = run((REDLINE_INSIDE, "industrial_park", "liquor", "new"))
    assert fired(result)["redline_production"].data_status == "indicative"
    assert bool(result.proposals["indicative"].item())
    assert "基于示意数据，须以官方图层核实" in result.proposals["summary_zh"].item()
    assert "based on indicative data: confirm with the official layer" in result.proposals["summary_en"].item()
    assert result.run_info["indicative_layers"] == ["eco_redlines"]


@pytest.mark.parametrize(
    "where, status, rule_id, expected",
    [
        (point(506 * KM, 3171 * KM), "new", "reserve_core_buffer", "prohibited"),
        (point(506 * KM, 3175 * KM), "new", "reserve_other_zone", "review"),
        (point(506 * KM, 3171 * KM), "existing", "reserve_existing", "review"),
    ],
)
def test_nature_reserve(run, where, status, rule_id, expected):
    result = run((where, "project", "other", status))
    assert fired(result)[rule_id].verdict == expected
    assert verdict(result) == expected


@pytest.mark.parametrize(
    "zone, status, rule_id, expected",
    [
        ("core_protection", "rebuild", "reserve_core_buffer", "prohibited"),
        ("缓冲区", "new", "reserve_core_buffer", "prohibited"),  # old name → core_protection
        ("实验区", "new", "reserve_other_zone", "review"),  # old name → general_control
        # Old Art. 30: a reserve without internal zoning was managed as core + buffer, never review.
        ("unzoned", "new", "reserve_unzoned", "prohibited"),
        ("general_control", "new", "reserve_other_zone", "review"),
        ("unzoned", "existing", "reserve_existing", "review"),
        ("zoning_unknown", "expansion", "reserve_zoning_unknown", "review"),
    ],
)
def test_nature_reserve_zones_of_the_regulation_in_force(run, make_constraints, zone, status, rule_id, expected):
    reserves = frame(
        [
            {
                "reserve_id": "R9",
                "name_zh": "某自然保护区",
                "zone": zone,
                "accuracy_m": 30.0,
                "geometry": box_km(540, 3200, 545, 3205),
            }
        ]
    )
    result = run(
        (point(542 * KM, 3202 * KM), "project", "other", status),
        constraint_set=make_constraints(nature_reserves=reserves),
    )
    assert set(fired(result)) == {rule_id} and verdict(result) == expected


def test_a_catalog_with_the_old_zone_names_still_loads(tmp_path):
    raw = yaml.safe_load(bundled_rules_path().read_text("utf-8"))
    next(r for r in raw["rules"] if r["id"] == "reserve_core_buffer")["condition"]["filter"] = {
        "zone": ["core", "buffer"]
    }
    path = tmp_path / "old.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    assert load_rules(path).get("reserve_core_buffer").condition.filter == {"zone": ["core_protection"]}


@pytest.mark.parametrize(
    "y_km, rule_id, expected, overall",
    [
        # Outside the one port area (P1, y 3192–3193) a new port is also listed under the port plans.
        (3182, "port_shoreline_protected", "prohibited", "prohibited"),
        (3187, "port_shoreline_controlled", "review", "review"),
        (3192.5, "port_shoreline_development", "clear", "clear"),
        (3197, "port_shoreline_protected", "prohibited", "prohibited"),
        (3220, "port_shoreline_unzoned", "unknown", "review"),
    ],
)
def test_port_shoreline_zones(run, y_km, rule_id, expected, overall):
    result = run((point(500.5 * KM, y_km * KM), "port", "general_cargo_port", "new"))
    assert fired(result)[rule_id].verdict == expected
    assert verdict(result) == overall


def test_port_in_development_zone_says_the_port_plan_decides(run):
    result = run((point(500.5 * KM, 3192.5 * KM), "port", "general_cargo_port", "new"))
    assert result.proposals["rule_ids"].item() == ""
    assert "not a permit" in result.proposals["summary_en"].item()
    assert "port plan still decides" in result.proposals["summary_en"].item()


def test_hazardous_chemical_port_is_reviewed_even_in_development_zone(run):
    result = run((point(500.5 * KM, 3191 * KM), "port", "hazardous_chemical_port", "new"))
    assert verdict(result) == "review"
    assert "c24_hazardous_chemical_port" in result.proposals["rule_ids"].item()


# --- zoning (十一) and advisory (七) -------------------------------------------------------------------


def test_county_city_district_from_largest_overlap(run):
    park = shapely.box(528 * KM, 3240 * KM, 533 * KM, 3241 * KM)  # 2 km in 江阳区, 3 km in 沿滩区
    result = run(
        (park, "industrial_park", "electronics", "new"), (point(505 * KM, 3240 * KM), "project", "other", "new")
    )
    rows = result.proposals.set_index("proposal_id")
    assert tuple(rows.loc[0, ["county", "city", "district"]]) == ("沿滩区", "自贡市", "内自都市区")
    assert tuple(rows.loc[1, ["county", "city", "district"]]) == ("江阳区", "泸州市", "泸州都市区")


def test_outside_region_is_unknown(run):
    result = run((point(REGION_EAST_X + 5000, 3240 * KM), "project", "other", "new"))
    finding = fired(result)["region_outside"]
    assert (finding.verdict, finding.measured) == ("unknown", pytest.approx(5000))
    assert "不在川南经济区范围内" in finding.message_zh and "outside 川南经济区" in finding.message_en
    # SCHEMA.md: a proposal (most of which lies) outside the region has the county "川南以外 outside"
    assert result.proposals["county"].item() == "川南以外 outside"
    assert result.proposals[["city", "district"]].isna().all(axis=None)
    assert verdict(result) == "unknown"


def test_advisory_note_never_changes_the_verdict(run):
    result = run(
        (point(560 * KM, 3240 * KM), "industrial_park", "liquor", "new"),
        (REDLINE_INSIDE, "industrial_park", "liquor", "new"),
    )
    assert fired(result, 0)["c7_cluster_fit"].advisory
    assert verdict(result, 0) == "clear" and result.proposals.loc[0, "rule_ids"] == ""
    assert verdict(result, 1) == "prohibited"
    assert "c7_cluster_fit" not in result.proposals.loc[1, "rule_ids"]


# --- fail-safe ----------------------------------------------------------------------------------------


def test_unrepairable_geometry_is_unknown(run):
    flat = shapely.Polygon([(510 * KM, 3240 * KM), (511 * KM, 3240 * KM), (512 * KM, 3240 * KM)])
    result = run((flat, "industrial_park", "liquor", "new"))
    assert verdict(result) == "unknown"
    finding = fired(result)[GEOMETRY_RULE_ID]
    assert "cannot be repaired" in finding.message_en
    assert set(fired(result)) == {GEOMETRY_RULE_ID}  # no rule ran on it, so none could say clear


def test_repairable_geometry_is_checked(run):
    x, y = 512 * KM, 3162 * KM  # a bow-tie inside the red line
    bowtie = shapely.Polygon([(x, y), (x + 200, y + 200), (x + 200, y), (x, y + 200)])
    result = run((bowtie, "industrial_park", "liquor", "new"))
    assert verdict(result) == "prohibited"


@pytest.mark.parametrize("geometry", [shapely.Polygon(), None])
def test_empty_or_missing_geometry_is_unknown(run, geometry):
    result = run((geometry, "industrial_park", "liquor", "new"), (point(560 * KM), "project", "other", "new"))
    assert verdict(result, 0) == "unknown"
    assert verdict(result, 1) == "clear"
    assert fired(result, 0)[GEOMETRY_RULE_ID].verdict == "unknown"


def test_missing_required_layer_makes_applicable_proposals_unknown(run, make_constraints):
    without_water = make_constraints(water=None)
    result = run(
        (point(YANGTZE_EDGE_X + 5000), "industrial_park", "chemical", "new"),
        (point(YANGTZE_EDGE_X + 5000), "industrial_park", "electronics", "new"),
        constraint_set=without_water,
    )
    finding = fired(result, 0)["yrpl26_chemical_1km"]
    assert finding.verdict == "unknown" and "required layer water missing" in finding.message_en
    assert verdict(result, 0) == "unknown"
    assert verdict(result, 1) == "clear"  # no water rule applies to electronics


def test_missing_counties_layer_leaves_no_proposal_clear(run, make_constraints):
    result = run((point(560 * KM), "project", "other", "new"), constraint_set=make_constraints(counties=None))
    assert verdict(result) == "unknown"


def test_missing_optional_layer_is_listed_not_checked(run):
    result = run((point(560 * KM), "industrial_park", "chemical", "new"))
    assert {"farmland", "urban_boundary_outside", "chemical_outside_recognised_park", "water_source_first"} <= set(
        result.not_checked["rule_id"]
    )
    assert (result.not_checked["reason_en"].str.contains("not supplied")).all()


# --- optional layers supplied --------------------------------------------------------------------------


def test_farmland_without_accuracy_says_accuracy_not_stated(run, make_constraints):
    farmland = frame([{"geometry": box_km(550, 3230, 552, 3232)}])  # no accuracy_m, no data_status
    result = run(
        (point(551 * KM, 3231 * KM), "industrial_park", "liquor", "new"),
        (point(552 * KM + 10, 3231 * KM), "industrial_park", "liquor", "new"),
        constraint_set=make_constraints(farmland=farmland),
    )
    finding = fired(result, 0)["farmland"]
    assert finding.verdict == "prohibited" and math.isnan(finding.accuracy_m)
    assert "accuracy not stated" in finding.message_en and "精度未注明" in finding.message_zh
    assert "farmland" not in fired(result, 1)  # missing accuracy counts as 0: 10 m off is off
    assert "farmland" not in set(result.not_checked["rule_id"])


def test_chemical_project_outside_recognised_park(run, make_constraints):
    parks = frame([{"name_zh": "川南新材料化工园区", "accuracy_m": 10.0, "geometry": box_km(550, 3230, 552, 3232)}])
    result = run(
        (point(551 * KM, 3231 * KM), "project", "chemical", "new"),
        (point(560 * KM, 3231 * KM), "project", "chemical", "new"),
        constraint_set=make_constraints(chemical_parks=parks),
    )
    assert "chemical_outside_recognised_park" not in fired(result, 0)
    finding = fired(result, 1)["chemical_outside_recognised_park"]
    assert (finding.verdict, finding.measured) == ("prohibited", pytest.approx(8000))


def test_park_outside_urban_boundary_is_review(run, make_constraints):
    boundary = frame([{"accuracy_m": 10.0, "geometry": box_km(550, 3230, 552, 3232)}])
    result = run(
        (point(560 * KM, 3231 * KM), "industrial_park", "electronics", "new"),
        constraint_set=make_constraints(urban_boundary=boundary),
    )
    assert fired(result)["urban_boundary_outside"].verdict == "review"


@pytest.mark.parametrize(
    "level, industry, expected",
    [
        ("first", "electronics", "prohibited"),
        ("first", "water_works", "clear"),
        ("second", "liquor", "prohibited"),
        ("second", "electronics", "review"),
        ("quasi", "pesticide", "prohibited"),
        ("quasi", "liquor", "clear"),
    ],
)
def test_water_source_zones(run, make_constraints, level, industry, expected):
    zones = frame([{"level": level, "accuracy_m": 10.0, "geometry": box_km(550, 3230, 552, 3232)}])
    result = run(
        (point(551 * KM, 3231 * KM), "project", industry, "new"),
        constraint_set=make_constraints(water_source_zones=zones),
    )
    assert verdict(result) == expected


# --- rules as data ---------------------------------------------------------------------------------


def edited_catalog(tmp_path, rule_id, **condition):
    raw = yaml.safe_load(bundled_rules_path().read_text("utf-8"))
    rule = next(r for r in raw["rules"] if r["id"] == rule_id)
    rule["condition"].update(condition)
    path = tmp_path / "rules.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


def test_custom_catalog_changes_the_distance(run, tmp_path):
    row = (point(YANGTZE_EDGE_X + 1500), "industrial_park", "chemical", "new")
    assert verdict(run(row)) == "clear"
    custom = edited_catalog(tmp_path, "yrpl26_chemical_1km", distance_m=2000)
    result = run(row, rules=custom)
    assert verdict(result) == "prohibited"
    assert "2 km" in fired(result)["yrpl26_chemical_1km"].message_en
    assert result.run_info["rules_path"] == str(custom)
    assert result.run_info["rules_text"] == custom.read_text("utf-8")


def test_centreline_baseline_measures_from_the_centreline(run, tmp_path):
    row = (point(YANGTZE_EDGE_X + 700), "industrial_park", "chemical", "new")  # 1,200 m from the centreline
    custom = edited_catalog(tmp_path, "yrpl26_chemical_1km", layer="rivers", baseline="centreline")
    assert verdict(run(row)) == "prohibited"
    result = run(row, rules=custom)
    assert "yrpl26_chemical_1km" not in fired(result)


def test_within_predicate_needs_the_whole_proposal_inside(run, tmp_path):
    custom = edited_catalog(tmp_path, "redline_production", predicate="within")
    inside = shapely.box(511 * KM, 3161 * KM, 512 * KM, 3162 * KM)
    straddling = shapely.box(514 * KM, 3162 * KM, 516 * KM, 3163 * KM)
    result = run(
        (inside, "industrial_park", "liquor", "new"), (straddling, "industrial_park", "liquor", "new"), rules=custom
    )
    assert fired(result, 0)["redline_production"].verdict == "prohibited"
    partly = fired(result, 1)["redline_production"]
    assert (partly.verdict, partly.near) == ("review", True)


def test_outside_within_accuracy_of_the_region_keeps_unknown_with_note(run):
    result = run((point(REGION_EAST_X + 50, 3240 * KM), "project", "other", "new"))
    finding = fired(result)["region_outside"]
    assert (finding.verdict, finding.near) == ("unknown", True)
    assert "it may lie inside" in finding.message_en


def test_filter_on_a_field_the_layer_lacks_names_layer_and_field(run, make_constraints):
    zones = frame([{"accuracy_m": 10.0, "geometry": box_km(550, 3230, 552, 3232)}])  # no `level`
    with pytest.raises(LayerError) as caught:
        run(
            (point(551 * KM, 3231 * KM), "project", "other", "new"),
            constraint_set=make_constraints(water_source_zones=zones),
        )
    assert (caught.value.layer, caught.value.field) == ("water_source_zones", "level")


# --- the Result as a whole ---------------------------------------------------------------------------


def test_result_columns_and_run_info(run):
    result = run((point(YANGTZE_EDGE_X + 620), "industrial_park", "chemical", "new"))
    assert {
        "proposal_id",
        "verdict",
        "verdict_zh",
        "county",
        "city",
        "district",
        "rule_ids",
        "summary_zh",
        "summary_en",
        "citations",
        "indicative",
        "name",
        "kind",
        "industry",
        "status",
    } <= set(result.proposals.columns)
    assert result.proposals.crs.to_epsg() == 4490
    assert result.proposals["verdict_zh"].item() == "禁止"
    assert result.proposals["citations"].item() == "长江保护法 第二十六条"
    info = result.run_info
    assert info["rules_sha256"] == load_rules().sha256 and info["input_path"] == "<GeoDataFrame>"
    assert info["constraints_fingerprint"] and info["time"].endswith("+00:00")


def test_path_input_is_hashed(tmp_path, constraints, proposals):
    path = tmp_path / "in.gpkg"
    proposals((point(560 * KM), "project", "other", "new")).to_file(path)
    result = check(path, constraints=constraints)
    assert result.run_info["input_sha256"] and result.run_info["input_path"].endswith("in.gpkg")


def test_progress_reports_each_rule(constraints, proposals):
    calls = []
    check(
        proposals((point(560 * KM), "project", "other", "new")),
        constraints=constraints,
        progress=lambda done, total, rule_id: calls.append((done, total, rule_id)),
    )
    catalog = load_rules()
    assert [c[2] for c in calls] == [r.id for r in catalog] and calls[-1][:2] == (len(catalog), len(catalog))


def test_many_mixed_proposals_match_one_by_one(constraints, proposals):
    """The vectorised run gives each proposal the verdict it gets alone (no cross-talk between rows)."""
    rng = np.random.default_rng(7)
    rows = [
        (point(x, y), kind, industry, "new")
        for x, y, kind, industry in zip(
            rng.uniform(495 * KM, 575 * KM, 40),
            rng.uniform(3155 * KM, 3245 * KM, 40),
            rng.choice(["industrial_park", "port", "project"], 40),
            rng.choice(["chemical", "liquor", "tailings_pond"], 40),
        )
    ]
    together = check(proposals(*rows), constraints=constraints).proposals["verdict"].tolist()
    alone = [check(proposals(row), constraints=constraints).proposals["verdict"].item() for row in rows[:10]]
    assert together[:10] == alone
    assert len(set(together)) > 1


# --- known data gaps (data_gaps): a river the water layer lacks makes its rules unknown -----------------

GAP_RULES = (
    "c24_heavy_chemical_park_1km_data_gap",
    "c24_chemical_enterprise_1km_data_gap",
    "yrpl26_chemical_1km_data_gap",
    "yrpl26_tailings_tributary_1km_data_gap",
    "yrpl26_tailings_tributary_1km_rebuild_data_gap",
    "yrpl26_tailings_tributary_1km_safety_rebuild_data_gap",
)


def _heng_gap(river_class="major_tributary", missing_layer="water"):
    return frame(
        [
            {
                "gap_id": "heng",
                "name_zh": "横江可能流经范围",
                "name_en": "possible course of the Heng River",
                "missing_layer": missing_layer,
                "river_class": river_class,
                "accuracy_m": 1400.0,
                "data_status": "indicative",
                "geometry": box_km(555, 3160, 560, 3170),
            }
        ]
    )


def test_heavy_chemical_park_in_a_data_gap_is_unknown_not_clear(run, make_constraints):
    gapped = make_constraints(data_gaps=_heng_gap())
    result = run(
        (point(557 * KM, 3165 * KM), "industrial_park", "heavy_chemical", "new"),
        (point(560.5 * KM, 3165 * KM), "industrial_park", "heavy_chemical", "new"),  # 500 m off
        (point(562 * KM, 3165 * KM), "industrial_park", "heavy_chemical", "new"),  # 2 km off
        (point(557 * KM, 3165 * KM), "industrial_park", "electronics", "new"),
        (point(563 * KM, 3165 * KM), "industrial_park", "heavy_chemical", "new"),  # 3 km off
        constraint_set=gapped,
    )
    for pid in (0, 1, 2):
        finding = fired(result, pid)["c24_heavy_chemical_park_1km_data_gap"]
        assert finding.verdict == "unknown" and finding.layer == "data_gaps"
        assert "横江" in finding.message_zh and "无法判定" in finding.message_zh
        assert "could not be evaluated" in finding.message_en
        assert finding.citation == "川南一体化实施意见（二十四）"
        assert {"yrpl26_chemical_1km_data_gap"} <= set(fired(result, pid))
        assert verdict(result, pid) == "unknown"
    assert "supply an official water layer" in fired(result, 0)["c24_heavy_chemical_park_1km_data_gap"].message_en
    # The companion measures the parent's 1 km from where the river may run: inside the gap and
    # 500 m off it are definite; 2 km off lies in the gap's ±1,400 m band beyond that 1 km.
    assert not fired(result, 0)["c24_heavy_chemical_park_1km_data_gap"].near
    assert not fired(result, 1)["c24_heavy_chemical_park_1km_data_gap"].near
    assert fired(result, 2)["c24_heavy_chemical_park_1km_data_gap"].near
    assert verdict(result, 4) == "clear"  # beyond 1 km + the gap's band, and 22 km from the Tuo
    assert verdict(result, 3) == "clear"  # no major-tributary rule applies to electronics
    assert not set(GAP_RULES) & set(result.not_checked["rule_id"])


def test_a_gap_of_another_class_or_layer_does_not_fire(run, make_constraints):
    for gap in (_heng_gap(river_class="tributary"), _heng_gap(missing_layer="rivers")):
        result = run(
            (point(557 * KM, 3165 * KM), "project", "tailings_pond", "new"),
            constraint_set=make_constraints(data_gaps=gap),
        )
        assert verdict(result) == "clear"


def test_the_data_gap_rules_are_derived_from_the_rules_they_shadow():
    catalog = load_rules()
    for gap_id in GAP_RULES:
        gap, shadowed = catalog.get(gap_id), catalog.get(gap_id.removesuffix("_data_gap"))
        assert gap.derived_from == shadowed.id and gap in catalog.derived(shadowed.id)
        assert gap.applies_to == shadowed.applies_to and gap.citation == shadowed.citation
        # The river may run anywhere in the gap: the parent's distance is measured from it.
        assert (gap.condition.predicate, gap.condition.distance_m) == ("dwithin", shadowed.condition.distance_m)
        assert "major_tributary" in shadowed.condition.filter["river_class"]
        assert (gap.verdict, gap.layer_required, gap.condition.layer) == ("unknown", False, "data_gaps")
    shadowing = {
        rule.id
        for rule in catalog
        if rule.condition.measured_layer == "water"
        and "major_tributary" in rule.condition.filter.get("river_class", [])
    }
    assert {g.removesuffix("_data_gap") for g in GAP_RULES} == shadowing


def test_a_planner_who_widens_the_parent_widens_its_companion(tmp_path, run, make_constraints):
    raw = yaml.safe_load(bundled_rules_path().read_text("utf-8"))
    parent = next(r for r in raw["rules"] if r["id"] == "c24_heavy_chemical_park_1km")
    parent["condition"]["distance_m"] = 3000
    parent["applies_to"]["statuses"] = ["new", "expansion"]
    path = tmp_path / "wider.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    companion = load_rules(path).get("c24_heavy_chemical_park_1km_data_gap")
    assert companion.condition.distance_m == 3000 and companion.applies_to.statuses == ["new", "expansion"]
    gapped = make_constraints(data_gaps=_heng_gap())
    # 4 km off the gap: beyond 1 km + 1.4 km with the bundled rule, within 3 km + 1.4 km with the copy.
    new, expanded = (
        (point(564 * KM, 3165 * KM), "industrial_park", "heavy_chemical", status) for status in ("new", "expansion")
    )
    assert "c24_heavy_chemical_park_1km_data_gap" not in fired(run(new, constraint_set=gapped))
    for row in (new, expanded):
        widened = fired(run(row, constraint_set=gapped, rules=path))
        assert widened["c24_heavy_chemical_park_1km_data_gap"].verdict == "unknown"


def _bundled_gap_point():
    """A point inside both the bundled 横江 gap and the region (from the bundled data)."""
    from chuannan_gis.layers import load_constraints

    bundled = load_constraints()
    region = shapely.union_all(bundled.measured("counties").geometry.values)
    return bundled.measured("data_gaps").geometry.iloc[0].intersection(region).representative_point()


@pytest.mark.parametrize("water_offset_m, expected", [(None, "unknown"), (20_000, "clear"), (600, "prohibited")])
def test_a_supplied_water_layer_replaces_the_gap_with_the_real_distance(tmp_path, water_offset_m, expected):
    from chuannan_gis.layers import load_constraints

    spot = _bundled_gap_point()
    park = frame(
        [
            {
                "name": "横江边化工园区",
                "kind": "industrial_park",
                "industry": "heavy_chemical",
                "status": "new",
                "geometry": spot,
            }
        ]
    )
    if water_offset_m is None:
        constraints = load_constraints()
    else:
        x = spot.x + water_offset_m
        # An official water layer with its tributaries drawn (here one, 60 km off): it maps both
        # classes the bundled gaps are about, so both gaps go.
        water = frame(
            [
                {
                    "river_id": "heng",
                    "river_class": "major_tributary",
                    "accuracy_m": 10.0,
                    "geometry": shapely.box(x, spot.y - 20_000, x + 150, spot.y + 20_000),
                },
                {
                    "river_id": "",
                    "river_class": "tributary",
                    "accuracy_m": 10.0,  # an unnamed creek
                    "geometry": shapely.box(spot.x - 60_000, spot.y - 5_000, spot.x - 59_990, spot.y + 5_000),
                },
            ]
        )
        water.to_file(tmp_path / "official.gpkg", layer="water", engine="pyogrio")
        # the 横江's centreline, which its river_id names (added: coverage none replaces no bundled river)
        frame(
            [
                {
                    "river_id": "heng",
                    "name_zh": "横江",
                    "name_en": "Heng River",
                    "river_class": "major_tributary",
                    "basin_km2": 14800.0,
                    "half_width_m": 75.0,
                    "geometry": shapely.LineString([(x + 75, spot.y - 20_000), (x + 75, spot.y + 20_000)]),
                }
            ]
        ).to_file(tmp_path / "official.gpkg", layer="rivers", engine="pyogrio")
        # a region-wide official water layer (layer_metadata.coverage): both gaps go everywhere
        pyogrio.write_dataframe(
            pd.DataFrame([{"layer": "water", "coverage": "region"}, {"layer": "rivers", "coverage": "none"}]),
            tmp_path / "official.gpkg",
            layer="layer_metadata",
            driver="GPKG",
        )
        constraints = load_constraints(tmp_path / "official.gpkg")
        assert constraints.layers["data_gaps"].empty and constraints.has("data_gaps")
    result = check(park, constraints=constraints)
    assert verdict(result) == expected
    assert not set(GAP_RULES) & set(result.not_checked["rule_id"])
    assert ("c24_heavy_chemical_park_1km_data_gap" in fired(result)) == (water_offset_m is None)
    if expected == "prohibited":
        assert fired(result)["c24_heavy_chemical_park_1km"].measured == pytest.approx(600, abs=1)


def test_check_frame_checks_normalised_proposals_and_refuses_raw_ones(constraints, proposals):
    import chuannan_gis
    from chuannan_gis.errors import InputError
    from chuannan_gis.io import read_proposals

    raw = proposals((point(YANGTZE_EDGE_X + 620), "industrial_park", "化工", "new"))
    catalog = load_rules()
    normalised = read_proposals(raw)
    result = chuannan_gis.check_frame(normalised, catalog, constraints)
    assert result.proposals["verdict"].tolist() == check(raw, constraints=constraints).proposals["verdict"].tolist()
    assert result.catalog() is catalog and result.constraint_set() is constraints  # held, not reloaded
    with pytest.raises(InputError, match="read_proposals"):
        chuannan_gis.check_frame(raw, catalog, constraints)  # EPSG:4544, no proposal_id
    with pytest.raises(InputError, match="RuleCatalog"):
        chuannan_gis.check_frame(normalised, None, constraints)  # no I/O: the catalog is not loaded here
    with pytest.raises(InputError, match="unknown engine 'spark'; engines: default, dask"):
        chuannan_gis.check_frame(normalised, catalog, constraints, engine="spark")


# --- certainty (SCHEMA.md findings `certainty`), each predicate on both sides of the accuracy ----------


def water_at(accuracy_m: float):
    from conftest import synthetic_frames

    water = synthetic_frames()["water"]
    water.loc[water["river_id"] == "yangtze", "accuracy_m"] = accuracy_m
    return water


@pytest.mark.parametrize(
    "offset_m, certainty, verdict_expected",
    [
        (200.0, "certain", "prohibited"),  # 200 + 486 ≤ 1,000
        (800.0, "within_accuracy", "prohibited"),  # 800 + 486 > 1,000: prohibited on the data only
        (1200.0, "within_accuracy", "review"),  # the near band is never certain
    ],
)
def test_heavy_chemical_park_certainty_by_distance(run, make_constraints, offset_m, certainty, verdict_expected):
    result = run(
        (point(YANGTZE_EDGE_X + offset_m), "industrial_park", "heavy_chemical", "new"),
        constraint_set=make_constraints(water=water_at(486.0)),
    )
    finding = fired(result)["c24_heavy_chemical_park_1km"]
    assert (finding.verdict, finding.certainty) == (verdict_expected, certainty)
    assert result.proposals[["verdict", "certainty"]].iloc[0].tolist() == [verdict_expected, certainty]


@pytest.mark.parametrize(
    "where, certainty",
    [
        (point(512 * KM, 3162 * KM), "certain"),  # 2 km inside a ±100 m red line
        (point(515 * KM - 150, 3162 * KM), "certain"),  # 150 m inside
        (point(515 * KM - 60, 3162 * KM), "within_accuracy"),  # 60 m inside: the line may lie 100 m off
        (point(515 * KM + 50, 3162 * KM), "within_accuracy"),  # 50 m outside: the near band
        # a park crossing the edge, reaching 300 m inside / 60 m inside
        (shapely.box(515 * KM - 300, 3162 * KM, 516 * KM, 3163 * KM), "certain"),
        (shapely.box(515 * KM - 60, 3162 * KM, 516 * KM, 3163 * KM), "within_accuracy"),
    ],
)
def test_redline_certainty_by_depth_inside(run, where, certainty):
    finding = fired(run((where, "industrial_park", "liquor", "new")))["redline_production"]
    assert finding.certainty == certainty


def test_depth_is_measured_inside_the_union_of_the_qualifying_features(run, make_constraints):
    # two red-line blocks sharing an edge at x = 515 km: 60 m from the shared edge is deep inside
    redlines = frame(
        [
            {
                "block_id": b,
                "name_zh": b,
                "redline_type": "石漠化",
                "accuracy_m": 100.0,
                "data_status": "official",
                "geometry": box_km(x0, 3160, x0 + 5, 3165),
            }
            for b, x0 in (("RL1", 510), ("RL2", 515))
        ]
    )
    result = run(
        (point(515 * KM - 60, 3162 * KM), "industrial_park", "liquor", "new"),
        constraint_set=make_constraints(eco_redlines=redlines),
    )
    assert fired(result)["redline_production"].certainty == "certain"


@pytest.mark.parametrize("inside_m", [20.0, 99.99, 99.999, 100.0, 100.001, 100.003, 100.01, 150.0])
def test_the_outline_shortcut_decides_depth_as_the_union_does(run, monkeypatch, inside_m):
    """Where no feature's outline comes near, inside_depth skips the union (FeatureIndex.outline_tree):
    at and about the ±100 m accuracy of a red line the certainty is the one the union gives."""
    from chuannan_gis.engine.index import FeatureIndex

    site = (point(515 * KM - inside_m, 3162 * KM), "industrial_park", "liquor", "new")
    shortcut = fired(run(site))["redline_production"].certainty
    monkeypatch.setattr(FeatureIndex, "outline_tree", lambda self: None)
    assert shortcut == fired(run(site))["redline_production"].certainty
    assert shortcut == ("certain" if inside_m >= 100.0 else "within_accuracy")


@pytest.mark.parametrize(
    "park, certainty",
    [
        (shapely.box(511 * KM, 3161 * KM, 512 * KM, 3162 * KM), "certain"),  # 1 km from every edge
        (shapely.box(514 * KM, 3161 * KM, 515 * KM - 50, 3162 * KM), "within_accuracy"),  # 50 m from the edge
    ],
)
def test_within_certainty_needs_the_whole_proposal_inside_the_shrunk_feature(run, tmp_path, park, certainty):
    custom = edited_catalog(tmp_path, "redline_production", predicate="within")
    finding = fired(run((park, "industrial_park", "liquor", "new"), rules=custom))["redline_production"]
    assert (finding.verdict, finding.certainty) == ("prohibited", certainty)


@pytest.mark.parametrize("offset_m, near, certainty", [(50.0, True, "within_accuracy"), (500.0, False, "certain")])
def test_outside_region_certainty_by_the_miss(run, offset_m, near, certainty):
    finding = fired(run((point(REGION_EAST_X + offset_m, 3240 * KM), "project", "other", "new")))["region_outside"]
    assert (finding.verdict, bool(finding.near), finding.certainty) == ("unknown", near, certainty)


def test_certainty_unstated_without_accuracy_and_empty_without_a_measure(run, make_constraints):
    farmland = frame([{"geometry": box_km(550, 3230, 552, 3232)}])  # no accuracy_m
    result = run(
        (point(551 * KM, 3231 * KM), "industrial_park", "liquor", "new"),
        (point(YANGTZE_EDGE_X + 5000), "industrial_park", "chemical", "new"),
        (point(555 * KM, 3240 * KM), "industrial_park", "electronics", "new"),
        constraint_set=make_constraints(farmland=farmland, water=None),
    )
    assert fired(result, 0)["farmland"].certainty == "unstated"
    missing = fired(result, 1)["yrpl26_chemical_1km"]  # required layer missing: unknown without a measure
    assert (missing.verdict, missing.certainty) == ("unknown", "")
    assert result.proposals["verdict"].tolist()[1:] == ["unknown", "clear"]
    assert result.proposals["certainty"].tolist()[1:] == ["", ""]  # empty for no measure and for clear


def test_proposal_prefers_a_certain_finding_among_equal_verdicts(run, make_constraints):
    # 800 m off a ±486 m water edge (prohibited, within accuracy) and 2 km inside a red line
    # (prohibited, certain): the distance rule decides the summary, the red line the certainty
    redlines = frame(
        [
            {
                "block_id": "RL1",
                "name_zh": "红线",
                "redline_type": "石漠化",
                "accuracy_m": 100.0,
                "data_status": "official",
                "geometry": box_km(500.5, 3200, 505, 3220),
            }
        ]
    )
    result = run(
        (point(YANGTZE_EDGE_X + 800), "industrial_park", "heavy_chemical", "new"),
        constraint_set=make_constraints(water=water_at(486.0), eco_redlines=redlines),
    )
    findings = fired(result)
    assert findings["c24_heavy_chemical_park_1km"].certainty == "within_accuracy"
    assert findings["redline_production"].certainty == "certain"
    assert result.proposals[["verdict", "certainty"]].iloc[0].tolist() == ["prohibited", "certain"]


# --- Art. 26 on all 干支流: tributaries count; where they are not mapped, unknown (readings) ---------


def test_a_tributary_counts_for_art26_but_not_for_clause_24(run):
    # The synthetic set's minor tributary (edge at x = 520,050 m): Art. 26 says 干支流, clause (二十四)
    # 干流及主要支流.
    chemical = run((point(520_050 + 450), "industrial_park", "chemical", "new"))
    assert fired(chemical)["yrpl26_chemical_1km"].verdict == "prohibited"
    heavy = run((point(520_050 + 450), "industrial_park", "heavy_chemical", "new"))
    assert "c24_heavy_chemical_park_1km" not in fired(heavy)


def _tributary_gap():
    return frame(
        [
            {
                "gap_id": "tributaries",
                "name_zh": "川南经济区支流未上图范围",
                "name_en": "South Sichuan, where tributaries are not mapped",
                "missing_layer": "water",
                "river_class": "tributary",
                "accuracy_m": 100.0,
                "data_status": "indicative",
                "geometry": box_km(470, 3150, 570, 3250),
            }
        ]
    )


def _catalog_reading(tmp_path, value):
    raw = yaml.safe_load(bundled_rules_path().read_text("utf-8"))
    raw["readings"] = {"yrpl26_tributaries": value}
    path = tmp_path / f"{value}.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


def test_where_tributaries_are_not_mapped_a_chemical_project_is_unknown_never_clear(run, make_constraints):
    gapped = make_constraints(data_gaps=_tributary_gap())
    far = point(560 * KM, 3240 * KM)  # 40 km from every mapped river
    result = run(
        (far, "project", "chemical", "new"),
        (far, "project", "electronics", "new"),
        (far, "project", "chemical", "existing"),
        (point(YANGTZE_EDGE_X + 500), "project", "chemical", "new"),
        constraint_set=gapped,
    )
    finding = fired(result, 0)["yrpl26_chemical_1km_tributary_gap"]
    assert finding.verdict == "unknown" and verdict(result, 0) == "unknown"
    assert "tributaries not mapped" in finding.message_en and "supply 三调 water" in finding.message_en
    assert "支流未上图" in finding.message_zh and "三调" in finding.message_zh
    assert finding.citation == "长江保护法 第二十六条"
    assert verdict(result, 1) == "clear" and verdict(result, 2) == "clear"  # not chemical; not new/expanded
    # Worst of: by the Yangtze the prohibition still decides.
    assert verdict(result, 3) == "prohibited" and "yrpl26_chemical_1km_tributary_gap" in fired(result, 3)


def test_the_mapped_reading_drops_the_tributary_companion(tmp_path, run, make_constraints):
    mapped, everything = _catalog_reading(tmp_path, "mapped"), _catalog_reading(tmp_path, "all")
    assert load_rules(everything).readings == {"yrpl26_tributaries": "all"} == load_rules().readings
    catalog = load_rules(mapped)
    assert catalog.readings == {"yrpl26_tributaries": "mapped"}
    ids = {rule.id for rule in catalog}
    assert "yrpl26_chemical_1km_tributary_gap" not in ids and "yrpl26_chemical_1km_data_gap" in ids
    gapped = make_constraints(data_gaps=_tributary_gap())
    far = point(560 * KM, 3240 * KM)
    assert verdict(run((far, "project", "chemical", "new"), constraint_set=gapped, rules=mapped)) == "clear"
    # Mapped tributaries still count under `mapped`.
    near_creek = run((point(520_050 + 450), "project", "chemical", "new"), constraint_set=gapped, rules=mapped)
    assert verdict(near_creek) == "prohibited"


def test_a_planners_water_drops_only_the_gaps_of_the_classes_it_maps(tmp_path):
    from chuannan_gis.layers import load_constraints

    spot = _bundled_gap_point()
    majors = frame(
        [
            {
                "river_id": "heng",
                "river_class": "major_tributary",
                "accuracy_m": 10.0,
                "geometry": shapely.box(spot.x + 20_000, spot.y - 20_000, spot.x + 20_150, spot.y + 20_000),
            }
        ]
    )
    majors.to_file(tmp_path / "majors.gpkg", layer="water", engine="pyogrio")
    # the 横江's centreline, which its river_id names (added: coverage none replaces no bundled river);
    # the water is stated region-wide, so only the gap of the class it does not map stays
    frame(
        [
            {
                "river_id": "heng",
                "name_zh": "横江",
                "name_en": "Heng River",
                "river_class": "major_tributary",
                "basin_km2": 14800.0,
                "half_width_m": 75.0,
                "geometry": shapely.LineString(
                    [(spot.x + 20_075, spot.y - 20_000), (spot.x + 20_075, spot.y + 20_000)]
                ),
            }
        ]
    ).to_file(tmp_path / "majors.gpkg", layer="rivers", engine="pyogrio")
    pyogrio.write_dataframe(
        pd.DataFrame([{"layer": "water", "coverage": "region"}, {"layer": "rivers", "coverage": "none"}]),
        tmp_path / "majors.gpkg",
        layer="layer_metadata",
        driver="GPKG",
    )
    constraints = load_constraints(tmp_path / "majors.gpkg")
    assert constraints.layers["data_gaps"]["gap_id"].tolist() == ["tributaries"]
    park = frame(
        [{"name": "化工园区", "kind": "industrial_park", "industry": "chemical", "status": "new", "geometry": spot}]
    )
    result = check(park, constraints=constraints)
    rules_fired = {rule for rule, row in fired(result).items() if not row.advisory}  # not the completeness notes
    assert verdict(result) == "unknown" and rules_fired == {"yrpl26_chemical_1km_tributary_gap"}


# --- issue 12: the rules follow the texts checked (docs/law/) --------------------------------------


def marked(rows, constraint_set, rules=None):
    """check() rows of (geometry, kind, industry, status, key_project)."""
    source = frame(
        [
            {
                "name": f"p{i}",
                "kind": kind,
                "industry": industry,
                "status": status,
                "key_project": key,
                "geometry": geom,
            }
            for i, (geom, kind, industry, status, key) in enumerate(rows)
        ]
    )
    return check(source, constraints=constraint_set, rules=rules)


@pytest.mark.parametrize(
    "kind, industry, key, rule_id, expected",
    [
        # 142号: development and production construction banned; 国家重大项目 and necessary linear
        # infrastructure may occupy a red line on conditions → review, the condition stated.
        ("port", "general_cargo_port", "", "redline_production", "prohibited"),
        ("port", "general_cargo_port", "national", "redline_key_project", "review"),
        ("project", "linear_infrastructure", "", "redline_limited_activity", "review"),
        ("project", "linear_infrastructure", "national", "redline_limited_activity", "review"),
        ("industrial_park", "liquor", "national", "redline_key_project", "review"),
    ],
)
def test_redline_exceptions_for_national_key_projects_and_linear_works(
    constraints, kind, industry, key, rule_id, expected
):
    result = marked([(REDLINE_INSIDE, kind, industry, "new", key)], constraints)
    assert {r for r in fired(result) if r.startswith("redline")} == {rule_id}
    assert fired(result)[rule_id].verdict == expected
    if rule_id == "redline_key_project":
        finding = fired(result)[rule_id]
        assert "国家重大项目" in finding.message_zh and "approved" in finding.message_en
        assert "unverified" in finding.message_en and "未核实" in finding.citation


def test_redline_existing_does_not_say_only_upkeep(run):
    finding = fired(run((REDLINE_INSIDE, "enterprise", "electronics", "existing")))["redline_existing"]
    assert "only upkeep" not in finding.message_en and "仅允许" not in finding.message_zh
    assert "运行维护改造" in finding.message_zh and "upgraded" in finding.message_en
    # issue 23: the condition of 142号's upkeep route is stated, and it is marked unverified
    assert "依法合规" in finding.message_zh and "不扩大" in finding.message_zh and "未核实" in finding.message_zh
    assert finding.verdict == "review"


FARMLAND = frame([{"accuracy_m": 10.0, "geometry": box_km(550, 3230, 552, 3232)}])


@pytest.mark.parametrize(
    "kind, industry, key, rule_id, expected",
    [
        # 土地管理法 §35: parks and ports barred; national key energy/transport/water/military projects
        # whose siting truly cannot avoid the farmland need State Council approval → review.
        ("industrial_park", "liquor", "", "farmland", "prohibited"),
        ("port", "general_cargo_port", "", "farmland", "prohibited"),
        ("port", "general_cargo_port", "national", "farmland_key_project", "review"),
        # issue 23: §35 gives linear works no route of their own; every kind of construction is barred
        ("project", "linear_infrastructure", "", "farmland", "prohibited"),
        ("enterprise", "liquor", "", "farmland", "prohibited"),
        ("project", "logistics", "", "farmland", "prohibited"),
        ("project", "logistics", "national", "farmland_key_project", "review"),
        ("project", "linear_infrastructure", "national", "farmland_key_project", "review"),
    ],
)
def test_farmland_exception_for_national_key_projects(make_constraints, kind, industry, key, rule_id, expected):
    result = marked([(point(551 * KM, 3231 * KM), kind, industry, "new", key)], make_constraints(farmland=FARMLAND))
    assert {r for r in fired(result) if r.startswith("farmland")} == {rule_id}
    assert fired(result)[rule_id].verdict == expected
    if expected == "review":
        finding = fired(result)[rule_id]
        assert "国务院批准" in finding.message_zh and "State Council" in finding.message_en


def test_key_project_filter_without_the_column_marks_no_proposal(constraints):
    from chuannan_gis.engine.findings import applicable

    rules = load_rules()
    plain = frame([{"kind": "port", "industry": "general_cargo_port", "status": "new", "geometry": REDLINE_INSIDE}])
    assert applicable(rules.get("redline_production"), plain).tolist() == [True]
    assert applicable(rules.get("redline_key_project"), plain).tolist() == [False]


def two_banks(left_zone: str, right_zone: str):
    """Shoreline zones split at a centreline x = 499.5 km, y 3190–3195: left bank east, right bank west."""
    return frame(
        [
            {
                "zone": left_zone,
                "river_id": "yangtze",
                "bank": "left",
                "accuracy_m": 25.0,
                "geometry": box_km(499.5, 3190, 501, 3195),
            },
            {
                "zone": right_zone,
                "river_id": "yangtze",
                "bank": "right",
                "accuracy_m": 25.0,
                "geometry": box_km(498, 3190, 499.5, 3195),
            },
        ]
    )


@pytest.mark.parametrize(
    "x0_km, expected, rule_id",
    [
        # 1 km wide: x0 499.35 puts 15 % across the centreline in the right bank's reserved zone.
        (499.35, "clear", "port_shoreline_development"),
        # 60 % across: the port is on the right bank, in its reserved zone.
        (498.9, "prohibited", "port_shoreline_protected"),
    ],
)
def test_a_port_is_judged_by_the_largest_zone_on_its_own_bank(run, make_constraints, x0_km, expected, rule_id):
    port = box_km(x0_km, 3192.2, x0_km + 1, 3192.7)  # overlaps the port area P1 (x 500–501, y 3192–3193)
    result = run(
        (port, "port", "general_cargo_port", "new"),
        constraint_set=make_constraints(shoreline_zones=two_banks("development", "reserved")),
    )
    assert rule_id in fired(result) and verdict(result) == expected
    assert {"port_shoreline_protected", "port_shoreline_development"} - {rule_id} & set(fired(result)) == set()


def test_the_deciding_zone_is_the_largest_on_the_bank_even_if_another_bank_holds_more_of_one_class(
    run, make_constraints
):
    # Left bank: development 39 %, reserved 26 %; right bank reserved 35 %.  Bank = left (65 %), zone =
    # development: the port is not prohibited although reserved zones hold 61 % of it in all.
    zones = frame(
        [
            {
                "zone": "development",
                "river_id": "yangtze",
                "bank": "left",
                "accuracy_m": 0.0,
                "geometry": box_km(499.5, 3190, 501, 3192.4),
            },
            {
                "zone": "reserved",
                "river_id": "yangtze",
                "bank": "left",
                "accuracy_m": 0.0,
                "geometry": box_km(499.5, 3192.4, 501, 3195),
            },
            {
                "zone": "reserved",
                "river_id": "yangtze",
                "bank": "right",
                "accuracy_m": 0.0,
                "geometry": box_km(498, 3190, 499.5, 3195),
            },
        ]
    )
    port = box_km(499.15, 3191.8, 500.15, 3192.8)  # 35 % right; on the left 0.6 of its height below y 3192.4
    result = run((port, "port", "general_cargo_port", "new"), constraint_set=make_constraints(shoreline_zones=zones))
    assert "port_shoreline_protected" not in fired(result)
    assert fired(result)["port_shoreline_development"].overlap_pct == pytest.approx(39.0, rel=1e-6)


@pytest.mark.parametrize(
    "status, rule_id, expected",
    [
        ("new", "port_shoreline_protected", "prohibited"),
        ("rebuild", "port_shoreline_protected", "prohibited"),
        ("expansion", "port_shoreline_protected", "prohibited"),
        ("existing", "port_shoreline_existing", "review"),
    ],
)
def test_an_existing_port_in_a_protected_zone_is_listed_for_review_never_told_no_port_may_be_built(
    run, status, rule_id, expected
):
    result = run((point(500.5 * KM, 3182 * KM), "port", "general_cargo_port", status))
    ports = {r: f for r, f in fired(result).items() if r.startswith("port_")}
    assert rule_id in ports and ports[rule_id].verdict == expected
    if status == "existing":
        assert set(ports) == {"port_shoreline_existing"} and verdict(result) == "review"
        assert "no port may be" not in ports[rule_id].message_en and "不得建设" not in ports[rule_id].message_zh


@pytest.mark.parametrize(
    "where, status, expected",
    [
        # Reading: the bundled ports are operating areas known to ±10–20 km, so outside them → review.
        (point(500.5 * KM, 3191 * KM), "new", "review"),  # development zone, 1 km south of P1
        (point(500.5 * KM, 3192.5 * KM), "new", None),  # inside P1
        (point(500.5 * KM, 3191 * KM), "rebuild", "review"),
        (point(500.5 * KM, 3191 * KM), "existing", None),
    ],
)
def test_a_port_outside_every_port_area_is_listed_under_the_port_plans(run, where, status, expected):
    finding = fired(run((where, "port", "general_cargo_port", status))).get("port_outside_port_plan")
    assert (finding.verdict if finding is not None else None) == expected
    if finding is not None:
        assert "第六条" in finding.citation and "not the plans' areas" in finding.message_en


@pytest.mark.parametrize(
    "status, expected", [("rebuild", "review"), ("expansion", "prohibited"), ("new", "prohibited")]
)
def test_quasi_zone_rebuild_must_not_raise_discharge(run, make_constraints, status, expected):
    zones = frame([{"level": "quasi", "accuracy_m": 10.0, "geometry": box_km(550, 3230, 552, 3232)}])
    result = run(
        (point(551 * KM, 3231 * KM), "project", "chemical", status),
        constraint_set=make_constraints(water_source_zones=zones),
    )
    assert verdict(result) == expected
    if status == "rebuild":
        assert "不得增加排污量" in fired(result)["water_source_quasi_rebuild"].message_zh


def test_chemical_park_rule_says_compliant_park_and_unverified(run, make_constraints):
    parks = frame([{"name_zh": "某园区", "accuracy_m": 10.0, "geometry": box_km(550, 3230, 552, 3232)}])
    finding = fired(
        run(
            (point(560 * KM, 3231 * KM), "project", "chemical", "new"),
            constraint_set=make_constraints(chemical_parks=parks),
        )
    )["chemical_outside_recognised_park"]
    assert "合规园区" in finding.message_zh and "认定" not in finding.message_zh and "合规园区" in finding.title_zh
    assert "compliant park" in finding.message_en and "unverified" in finding.message_en


@pytest.mark.parametrize(
    "reserved_bank, expected",
    [
        # Wholly in a left-bank development zone, 10 m short of a reserved zone known to ±25 m: on its own
        # bank the reserved zone may reach it (near → review); across the centreline it does not count.
        ("left", "review"),
        ("right", "clear"),
    ],
)
def test_the_accuracy_band_counts_only_zones_on_the_ports_own_bank(run, make_constraints, reserved_bank, expected):
    zones = frame(
        [
            {
                "zone": "development",
                "river_id": "yangtze",
                "bank": "left",
                "accuracy_m": 25.0,
                "geometry": box_km(499.5, 3190, 501, 3195),
            },
            {
                "zone": "reserved",
                "river_id": "yangtze",
                "bank": reserved_bank,
                "accuracy_m": 25.0,
                "geometry": box_km(499.5, 3195, 501, 3197),
            },
        ]
    )
    port = shapely.box(500.2 * KM, 3194.5 * KM, 500.8 * KM, 3195 * KM - 10)
    found = fired(
        run((port, "port", "general_cargo_port", "new"), constraint_set=make_constraints(shoreline_zones=zones))
    )
    assert ("port_shoreline_protected" in found) == (expected == "review")
    if expected == "review":
        assert found["port_shoreline_protected"].near and found["port_shoreline_protected"].verdict == "review"
