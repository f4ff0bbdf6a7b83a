"""Issue 23, the law in force on every rule: each changed rule on both sides (one proposal it fires
on, one it does not), against the synthetic set of conftest.py, plus the old catalog still reading."""

from __future__ import annotations

from pathlib import Path

import pytest

from chuannan_gis import check
from chuannan_gis.io import read_proposals
from chuannan_gis.result import Result
from chuannan_gis.rules import load_rules
from conftest import KM, YANGTZE_EDGE_X, box_km, fired, frame, made_with_catalog, point

ZONE = box_km(550, 3230, 552, 3232)
INSIDE = point(551 * KM, 3231 * KM)
OUTSIDE = point(560 * KM, 3231 * KM)  # 8 km east of the zone


def rows(constraint_set, *proposals):
    """check() proposals given as dicts (geometry, kind, industry, status and any optional field)."""
    source = frame([{"name": f"p{i}", "status": "new", **p} for i, p in enumerate(proposals)])
    return check(source, constraints=constraint_set)


def verdict_of(result, proposal_id=0):
    return result.proposals.set_index("proposal_id").at[proposal_id, "verdict"]


# --- drinking-water source zones: the 生态环境法典, existing projects ------------------------------------


# an existing enterprise (状态 现状) of each industry in a zone of each level → the rule and verdict
EXISTING_IN_ZONES = {
    # 第三百一十九条 ¶1: existing projects unrelated to water supply → 责令拆除或者关闭
    ("first", "liquor"): ("water_source_first_existing", "restricted"),
    ("first", "electronics"): ("water_source_first_existing", "restricted"),
    # 第三百二十条 ¶1: existing polluting projects → the same order; others: to be checked
    ("second", "chemical"): ("water_source_second_existing_polluting", "restricted"),
    ("second", "electronics"): ("water_source_second_existing_other", "review"),
}


@pytest.mark.parametrize("zone_and_industry", EXISTING_IN_ZONES)
def test_existing_projects_in_water_source_zones_get_the_order_the_text_gives(make_constraints, zone_and_industry):
    (level, industry), (rule_id, expected) = zone_and_industry, EXISTING_IN_ZONES[zone_and_industry]
    status = "existing"
    zones = frame([{"level": level, "accuracy_m": 10.0, "geometry": ZONE}])
    result = rows(
        make_constraints(water_source_zones=zones),
        {"geometry": INSIDE, "kind": "enterprise", "industry": industry, "status": status},
        {"geometry": OUTSIDE, "kind": "enterprise", "industry": industry, "status": status},
    )
    finding = fired(result, 0)[rule_id]
    assert (finding.verdict, verdict_of(result, 0)) == (expected, expected)
    if expected == "restricted":
        assert "责令拆除或者关闭" in finding.message_zh and "demolished or closed" in finding.message_en
    assert "生态环境法典" in finding.citation and "未核实" in finding.message_zh
    assert rule_id not in fired(result, 1) and verdict_of(result, 1) == "clear"  # 8 km away


def test_existing_water_works_in_a_first_level_zone_is_not_ordered_closed(make_constraints):
    zones = frame([{"level": "first", "accuracy_m": 10.0, "geometry": ZONE}])
    result = rows(
        make_constraints(water_source_zones=zones),
        {"geometry": INSIDE, "kind": "project", "industry": "water_works", "status": "existing"},
    )
    assert "water_source_first_existing" not in fired(result)


def test_water_rules_cite_the_code_and_the_repealed_law_is_marked_superseded_in_the_record():
    import yaml

    catalog = load_rules()
    assert all("水污染防治法" not in rule.citation.document for rule in catalog)
    record = yaml.safe_load((Path(__file__).parents[1] / "docs" / "law" / "citations.yaml").read_text("utf-8"))
    for key in ("wpl65", "wpl66", "wpl67"):
        assert record[key]["status"] == "superseded" and record[key]["verified"]["in_force"] is False
        assert "生态环境法典" in record[key]["verified"]["superseded_by"]
        assert str(record[key]["verified"]["date"]) == "2026-12-08"


# --- farmland: every kind of construction ------------------------------------------------------------

FARMLAND = frame([{"accuracy_m": 10.0, "geometry": ZONE}])


@pytest.mark.parametrize(
    "kind, industry, key, expected",
    [
        ("enterprise", "liquor", "", "prohibited"),  # a 白酒厂 came out clear before issue 23
        ("project", "logistics", "", "prohibited"),
        ("project", "linear_infrastructure", "", "prohibited"),  # no text gives linear works a route
        ("project", "linear_infrastructure", "national", "review"),  # §35's State Council route
        ("enterprise", "chemical", "national", "review"),
    ],
)
def test_farmland_bars_every_kind_of_construction(make_constraints, kind, industry, key, expected):
    result = rows(
        make_constraints(farmland=FARMLAND),
        {"geometry": INSIDE, "kind": kind, "industry": industry, "key_project": key},
        {"geometry": OUTSIDE, "kind": kind, "industry": industry, "key_project": key},
    )
    farmland = {r: f for r, f in fired(result, 0).items() if r.startswith("farmland")}
    assert [f.verdict for f in farmland.values()] == [expected]
    assert not any(r.startswith("farmland") for r in fired(result, 1))


def test_existing_facility_on_farmland_is_not_judged_as_new(make_constraints):
    result = rows(
        make_constraints(farmland=FARMLAND),
        {"geometry": INSIDE, "kind": "enterprise", "industry": "liquor", "status": "existing"},
    )
    assert not any(r.startswith("farmland") for r in fired(result))


# --- tailings ponds: the 改建 exception of 长江保护法 §26 ¶3 -------------------------------------------------

NEAR_YANGTZE = point(YANGTZE_EDGE_X + 2000)  # 2 km from the mainstream's edge: inside 3 km


@pytest.mark.parametrize(
    "status, purpose, rule_id, expected",
    [
        ("rebuild", "safety_upgrade", "yrpl26_tailings_mainstream_3km_safety_rebuild", "review"),
        ("rebuild", "", "yrpl26_tailings_mainstream_3km_rebuild", "prohibited"),
        ("new", "safety_upgrade", "yrpl26_tailings_mainstream_3km", "prohibited"),  # the exception is for 改建
        ("expansion", "", "yrpl26_tailings_mainstream_3km", "prohibited"),
    ],
)
def test_tailings_rebuild_for_safety_is_review_any_other_rebuild_prohibited(
    constraints, status, purpose, rule_id, expected
):
    result = rows(
        constraints,
        {
            "geometry": NEAR_YANGTZE,
            "kind": "project",
            "industry": "tailings_pond",
            "status": status,
            "purpose": purpose,
        },
        {
            "geometry": point(YANGTZE_EDGE_X + 4000),
            "kind": "project",
            "industry": "tailings_pond",
            "status": status,
            "purpose": purpose,
        },
    )
    tailings = {r: f for r, f in fired(result, 0).items() if "tailings_mainstream" in r}
    assert list(tailings) == [rule_id] and tailings[rule_id].verdict == expected
    if rule_id.endswith("_rebuild") and expected == "prohibited":
        message = tailings[rule_id].message_zh
        assert "以提升安全、生态环境保护水平为目的的改建除外" in message and "safety_upgrade" in message
    assert not any("tailings_mainstream" in r for r in fired(result, 1))  # 4 km: beyond 3 km and its band


def test_purpose_reads_chinese_words_and_refuses_others(tmp_path):
    from chuannan_gis.errors import InputError

    csv = tmp_path / "p.csv"
    csv.write_text(
        "name,kind,industry,status,目的,lon,lat\n甲,项目,尾矿库,改建,提升安全、生态环境保护水平,105.4,28.9\n", "utf-8"
    )
    assert read_proposals(csv)["purpose"].tolist() == ["safety_upgrade"]
    csv.write_text("name,kind,industry,status,purpose,lon,lat\n甲,项目,尾矿库,改建,美化,105.4,28.9\n", "utf-8")
    with pytest.raises(InputError, match="purpose"):
        read_proposals(csv)


# --- nature reserves ------------------------------------------------------------------------------------

CORE = point(506 * KM, 3171 * KM)  # inside the synthetic core zone (old 核心区 → core_protection)


@pytest.mark.parametrize(
    "industry, rule_id, expected",
    [
        ("linear_infrastructure", "reserve_linear_crossing", "review"),
        ("electronics", "reserve_core_buffer", "prohibited"),
    ],
)
def test_linear_infrastructure_crossing_a_reserve_is_review_other_building_prohibited(
    constraints, industry, rule_id, expected
):
    result = rows(constraints, {"geometry": CORE, "kind": "project", "industry": industry})
    reserve = {r: f for r, f in fired(result).items() if r.startswith("reserve")}
    assert list(reserve) == [rule_id] and reserve[rule_id].verdict == expected
    if rule_id == "reserve_linear_crossing":
        assert "无害" in reserve[rule_id].message_zh and "未核实" in reserve[rule_id].message_zh


def test_unzoned_reserve_message_cites_the_article_it_cites(make_constraints):
    reserves = frame(
        [{"reserve_id": "R", "name_zh": "某保护区", "zone": "unzoned", "accuracy_m": 10.0, "geometry": ZONE}]
    )
    result = rows(
        make_constraints(nature_reserves=reserves), {"geometry": INSIDE, "kind": "project", "industry": "other"}
    )
    finding = fired(result)["reserve_unzoned"]
    assert (
        finding.verdict == "prohibited" and "第二十六条" in finding.message_zh and "第三十条" not in finding.message_zh
    )
    assert finding.citation.startswith("自然保护区条例（2026）第二十六条")


def test_general_control_cites_article_27_as_unverified():
    citation = load_rules().get("reserve_other_zone").citation
    assert citation.clause.startswith("第二十七条") and citation.verified.text == "unverified"


# --- ports: the clause that bans -----------------------------------------------------------------------


def test_port_shoreline_ban_cites_the_negative_list_item_that_bans():
    rules = load_rules()
    ban = rules.get("port_shoreline_protected").citation
    assert "负面清单指南" in ban.document and ban.clause == "第（5）项" and "禁止" in ban.text_zh
    assert ban.verified.text == "partial"
    assert rules.get("port_shoreline_controlled").citation.clause == "（二十四）统筹岸线保护与建设"


# --- a Result made with the catalog before issue 23 still reads -------------------------------------------


def test_a_result_made_with_the_catalog_before_issue_23_still_reads(tmp_path, constraints):
    from chuannan_gis.report import render_report

    result = rows(constraints, {"geometry": NEAR_YANGTZE, "kind": "project", "industry": "tailings_pond"})
    back = Result.read(made_with_catalog(result, "catalog_before_issue23.yaml").write(tmp_path / "old.gpkg"))
    catalog = back.catalog()
    first = catalog.get("water_source_first").citation
    assert first.document.startswith("中华人民共和国水污染防治法") and first.verified.in_force == "unknown"
    assert "farmland_linear_infrastructure" in {rule.id for rule in catalog}
    old_tailings = catalog.get("yrpl26_tailings_mainstream_3km").applies_to
    assert old_tailings.statuses == ["new", "expansion", "rebuild"] and old_tailings.exclude_purposes == []
    assert "prohibited" in render_report(back)


# --- urban development boundary zones (czkfbj template: LX → zone) ------------------------------------------


def _boundary_delivery(tmp_path, with_type=True):
    """A 城镇开发边界 delivery in 江安县 (511523): a 特别用途区 square west of the county's inner point, a
    城镇集中建设区 square east of it, 2 km each."""
    import geopandas as gpd
    import shapely

    from chuannan_gis.crs import MEASURE_CRS
    from chuannan_gis.layers import load_constraints

    centre = load_constraints().measured("counties").set_index("adcode").loc["511523"].geometry.representative_point()
    x, y = centre.x, centre.y
    squares = [shapely.box(x - 2000, y - 1000, x, y + 1000), shapely.box(x, y - 1000, x + 2000, y + 1000)]
    columns = {"BSM": [1, 2], "XZQMC": ["江安县", "江安县"]}
    if with_type:
        columns["LX"] = ["特别用途区", "城镇集中建设区"]
    gpd.GeoDataFrame(columns, geometry=squares, crs=MEASURE_CRS).to_file(tmp_path / "CZKFBJ.gpkg", engine="pyogrio")
    return (x - 1000, y), (x + 1000, y)


@pytest.mark.parametrize("kind, expected", [("industrial_park", "prohibited"), ("enterprise", "review")])
def test_a_park_in_a_special_use_zone_is_not_clear(tmp_path, kind, expected):
    import geopandas as gpd
    import shapely

    import chuannan_gis
    from chuannan_gis.crs import MEASURE_CRS
    from chuannan_gis.layers import validate
    from chuannan_gis.layers.imports import import_source

    special, concentrated = _boundary_delivery(tmp_path)
    import_source(
        "czkfbj", tmp_path / "CZKFBJ.gpkg", tmp_path / "set.gpkg", coverage="江安县", constants={"accuracy_m": 1}
    )
    assert validate(tmp_path / "set.gpkg") == []
    sites = gpd.GeoDataFrame(
        {"name": ["特别用途区内", "集中建设区内"], "kind": kind, "industry": "electronics"},
        geometry=[shapely.Point(*special).buffer(200), shapely.Point(*concentrated).buffer(200)],
        crs=MEASURE_CRS,
    )
    result = chuannan_gis.check(sites, constraints=tmp_path / "set.gpkg")
    special_rule = "urban_boundary_special_park" if kind == "industrial_park" else "urban_boundary_special_other"
    finding = fired(result, 0)[special_rule]
    assert finding.verdict == expected and "未核实" in finding.message_zh
    assert not any(r.startswith("urban_boundary") for r in fired(result, 1))  # 集中建设区: nothing to say


def test_a_boundary_delivery_without_its_type_field_still_loads_and_fires_no_zone_rule(tmp_path):
    import geopandas as gpd
    import shapely

    import chuannan_gis
    from chuannan_gis.crs import MEASURE_CRS
    from chuannan_gis.layers.imports import import_source

    special, _ = _boundary_delivery(tmp_path, with_type=False)
    import_source(
        "czkfbj", tmp_path / "CZKFBJ.gpkg", tmp_path / "set.gpkg", coverage="江安县", constants={"accuracy_m": 1}
    )
    site = gpd.GeoDataFrame(
        {"name": ["边界内"], "kind": "industrial_park", "industry": "electronics"},
        geometry=[shapely.Point(*special).buffer(200)],
        crs=MEASURE_CRS,
    )
    result = chuannan_gis.check(site, constraints=tmp_path / "set.gpkg")
    assert not any(r.startswith("urban_boundary") for r in fired(result))


def test_flexible_zone_is_review(make_constraints):
    boundary = frame([{"zone": "弹性发展区", "accuracy_m": 10.0, "geometry": ZONE}])
    result = rows(
        make_constraints(urban_boundary=boundary), {"geometry": INSIDE, "kind": "project", "industry": "logistics"}
    )
    assert fired(result)["urban_boundary_flexible"].verdict == "review"


# --- the console's "未检查 not checked" line ---------------------------------------------------------------


def test_not_checked_line_names_only_rules_that_apply_to_some_proposal_with_why(tmp_path):
    from click.testing import CliRunner

    from chuannan_gis.cli import main

    source = tmp_path / "parks.csv"
    source.write_text("name,kind,industry,lon,lat\n白酒园,园区,白酒,105.44,28.87\n", encoding="utf-8")
    done = CliRunner().invoke(main, ["check", str(source), "-o", str(tmp_path / "out.gpkg")])
    assert done.exit_code == 0, done.output
    lines = [line for line in done.output.splitlines() if line.startswith("未检查 not checked")]
    named = {rule for line in lines for rule in line.split(": ", 1)[1].split(" — ")[0].split(", ")}
    # a new liquor park: the farmland ban applies and could not run; the tailings and chemical rules
    # on optional layers do not apply to it, so they are not named
    assert {"farmland", "urban_boundary_outside", "water_source_first"} <= named
    assert "water_source_quasi" not in named and "chemical_outside_recognised_park" not in named
    assert "water_source_first_existing" not in named and "farmland_key_project" not in named
    assert any("optional layer farmland" in line and "not supplied" in line for line in lines)


# --- bundled indicative first-level zones (富顺, 自贡市人民政府公告 2024-10-14) ------------------------------


def _near_intake(dx_m: float):
    import geopandas as gpd
    import shapely

    intake = gpd.GeoSeries([shapely.Point(105.097944, 29.045903)], crs=4490).to_crs(4544).iloc[0]
    return shapely.Point(intake.x + dx_m, intake.y).buffer(50)


def test_bundled_first_level_zones_are_the_discs_the_approvals_give():
    import math

    from chuannan_gis.layers import load_constraints

    constraints = load_constraints()
    zones = constraints.measured("water_source_zones").set_index("intake_id")
    assert set(zones["level"]) == {"first"} and set(zones["data_status"]) == {"indicative"}
    # reservoir: 300 m of water + 200 m of land → a 500 m disc (π·0.25 km²)
    assert zones.at["fushun_daposhang", "geometry"].area == pytest.approx(math.pi * 500**2, rel=1e-3)
    # river: 1,000 m upstream + the Tuo's width (bundled half_width × 2) + 50 m of land
    half_width = constraints.measured("rivers").set_index("river_id").at["tuo", "half_width_m"]
    radius = 1000 + 2 * half_width + 50
    assert zones.at["fushun_guanmu", "geometry"].area == pytest.approx(math.pi * radius**2, rel=1e-3)
    assert "自贡市人民政府公告 2024-10-14" in zones.at["fushun_guanmu", "source"]
    assert (zones["accuracy_m"] == 50.0).all()
    info = constraints.layer_info("water_source_zones")
    assert info["complete_classes"] == "" and "二级" in info["completeness_zh"]


def test_a_chemical_project_beside_the_guanmu_intake_is_prohibited_and_the_rest_not_checked():
    import geopandas as gpd

    import chuannan_gis

    sites = gpd.GeoDataFrame(
        {"name": ["古木村取水口旁", "3公里外"], "kind": "project", "industry": "chemical"},
        geometry=[_near_intake(300), _near_intake(3000)],
        crs=4544,
    )
    result = chuannan_gis.check(sites)
    first = fired(result, 0)["water_source_first"]
    assert first.verdict == "prohibited" and first.data_status == "indicative"
    assert "water_source_first" not in fired(result, 1)  # 3 km: outside the 1,290 m disc and its 50 m
    listed = result.not_checked.set_index("rule_id")
    for rule_id in ("water_source_first", "water_source_second_polluting", "water_source_quasi"):
        assert "sample only" in listed.at[rule_id, "reason_en"] and "二级保护区" in listed.at[rule_id, "reason_zh"]
    assert result.proposals.set_index("proposal_id").at[0, "indicative"]


def test_a_supplied_complete_water_source_layer_is_not_listed_as_a_sample(make_constraints):
    zones = frame([{"level": "second", "accuracy_m": 10.0, "geometry": ZONE}])
    result = rows(
        make_constraints(water_source_zones=zones), {"geometry": OUTSIDE, "kind": "project", "industry": "chemical"}
    )
    assert "water_source_second_polluting" not in set(result.not_checked["rule_id"])


# --- real places on the bundled set (合江, the Yangtze) ---------------------------------------------------


def _bundled_sites(*rows):
    import geopandas as gpd
    import shapely

    return gpd.GeoDataFrame(
        [{"name": f"p{i}", "kind": "project", **fields} for i, (fields, _) in enumerate(rows)],
        geometry=[shapely.Point(*lonlat) for _, lonlat in rows],
        crs=4490,
    )


# 1,861 m south of the bundled Yangtze water edge near 合江 (measured on the bundled layer, ±486 m)
SOUTH_OF_HEJIANG_REACH = (105.883091, 28.863016)
# inside the 长江上游珍稀特有鱼类国家级自然保护区's Yangtze reach (its representative point), near 合江
IN_FISH_RESERVE = (105.883305, 28.888276)


def test_tailings_rebuilds_near_the_yangtze_at_hejiang():
    import chuannan_gis

    sites = _bundled_sites(
        ({"industry": "tailings_pond", "status": "rebuild", "purpose": "safety_upgrade"}, SOUTH_OF_HEJIANG_REACH),
        ({"industry": "tailings_pond", "status": "rebuild"}, SOUTH_OF_HEJIANG_REACH),
    )
    result = chuannan_gis.check(sites)
    assert fired(result, 0)["yrpl26_tailings_mainstream_3km_safety_rebuild"].verdict == "review"
    assert "yrpl26_tailings_mainstream_3km_rebuild" not in fired(result, 0)
    assert fired(result, 1)["yrpl26_tailings_mainstream_3km_rebuild"].verdict == "prohibited"


def test_a_road_across_the_fish_reserve_is_review_a_factory_is_not_let_off():
    import chuannan_gis

    sites = _bundled_sites(
        ({"industry": "linear_infrastructure"}, IN_FISH_RESERVE),
        ({"industry": "electronics"}, IN_FISH_RESERVE),
    )
    result = chuannan_gis.check(sites)
    road = {r: f.verdict for r, f in fired(result, 0).items() if r.startswith("reserve")}
    assert road == {"reserve_linear_crossing": "review"}
    factory = {r: f.verdict for r, f in fired(result, 1).items() if r.startswith("reserve")}
    assert factory == {"reserve_zoning_unknown": "review"}  # zoning not public: may be 核心保护区


def test_a_superseded_citation_says_what_replaced_it():
    from chuannan_gis.rules import Citation

    stamp = {"date": "2026-12-08", "source": "s", "in_force": False, "superseded_by": "生态环境法典 第三百一十九条"}
    citation = Citation(
        document="水污染防治法", clause="第六十五条", text_zh="t", short="水污染防治法 第六十五条", verified=stamp
    )
    assert citation.verified_label().endswith(
        "已失效 not in force（已被取代 superseded by 生态环境法典 第三百一十九条）"
    )
    assert (
        Citation(**{**citation.model_dump(), "verified": {**stamp, "superseded_by": None}})
        .verified_label()
        .endswith("已失效 not in force")
    )
