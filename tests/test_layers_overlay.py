"""Coverage-aware overlay (issue 11, item 2): a planner's layer replaces the bundled one only
inside its coverage; outside it no constraint disappears."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
import shapely

import chuannan_gis
from chuannan_gis.crs import MEASURE_CRS, STORAGE_CRS
from chuannan_gis.errors import LayerError
from chuannan_gis.layers import load_constraints, validation_report
from chuannan_gis.layers.coverage import parse_coverage
from chuannan_gis.result import layer_records

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "proposals.gpkg"
TWO_COUNTIES = ("511502", "511503")  # 翠屏区, 南溪区 (宜宾)


@pytest.fixture(scope="module")
def bundled():
    return load_constraints()


def _counties(bundled, adcodes):
    counties = bundled.layers["counties"]
    return shapely.union_all(counties[counties["adcode"].isin(adcodes)].geometry.values)


def _bureau_water(bundled, adcodes=TWO_COUNTIES):
    """A bureau's water layer for two 宜宾 counties only: the rivers there, as official data."""
    area = _counties(bundled, adcodes)
    water = bundled.layers["water"][["river_id", "river_class", "geometry"]].copy()
    water["geometry"] = water.geometry.intersection(area)
    water = water[~water.geometry.is_empty].reset_index(drop=True)
    water["source"] = "宜宾市水利局 2024"
    return gpd.GeoDataFrame(water, crs=STORAGE_CRS).to_crs(MEASURE_CRS)


def _write(gdf, path, layer, coverage=None):
    gdf.to_file(path, layer=layer, engine="pyogrio")
    if coverage is not None:
        meta = pd.DataFrame([{"layer": layer, "coverage": coverage}])
        pyogrio.write_dataframe(meta, path, layer="layer_metadata", driver="GPKG")
    return path


def _verdicts(layers=None):
    result = chuannan_gis.check(EXAMPLES, constraints=layers)
    return dict(zip(result.proposals["name"], zip(result.proposals["verdict"], result.proposals["rule_ids"])))


def test_coverage_accepts_cities_counties_and_adcodes(bundled):
    counties = bundled.layers["counties"]
    assert parse_coverage("宜宾市", counties) == parse_coverage("511500", counties)
    assert parse_coverage("宜宾市", counties).split(",")[:2] == ["511502", "511503"]
    assert parse_coverage("江安县，511502", counties) == "511502,511523"
    assert parse_coverage("自贡市,内江市,泸州市,宜宾市", counties) == "region"
    with pytest.raises(LayerError, match="成都市"):
        parse_coverage("成都市", counties)


def test_water_for_two_counties_keeps_the_bundled_water_elsewhere(tmp_path, bundled, caplog):
    path = _write(_bureau_water(bundled), tmp_path / "water.gpkg", "water")
    loaded = load_constraints(path)
    # no coverage stated: the counties its features reach, with a warning naming them
    assert loaded.coverage["water"].code == "511502,511503" and loaded.coverage["water"].inferred
    assert any("翠屏区 511502" in w and "南溪区 511503" in w for w in loaded.warnings)
    assert "翠屏区 511502" in caplog.text
    water = loaded.layers["water"]
    supplied, kept = water[water.index >= 0], water[water.index < 0]
    assert set(supplied["data_status"]) == {"official"} and set(kept["data_status"]) == {"indicative"}
    # the bundled water stays outside the coverage, clipped to it (the 沱江 and the Yangtze at 泸州 too)
    assert {"tuo", "yangtze", "min", "jinsha", "chishui"} <= set(kept["river_id"])
    inside = _counties(bundled, TWO_COUNTIES).buffer(-0.001)
    assert not kept.geometry.intersects(inside).any()
    # the run record reports the resolved coverage
    record = {r.name: r for r in layer_records(loaded)}["water"]
    assert record.coverage == "511502,511503" and record.status == "mixed"
    assert loaded.layer_info("water")["coverage"] == "511502,511503"


def test_no_constraint_disappears_outside_the_coverage(tmp_path, bundled):
    """The 沱江 tailings pond stays prohibited, the 江阳 Yangtze chemical enterprise review."""
    before = _verdicts()
    after = _verdicts(_write(_bureau_water(bundled), tmp_path / "water.gpkg", "water"))
    assert before["沱江沿岸尾矿库"][0] == after["沱江沿岸尾矿库"][0] == "prohibited"
    assert "yrpl26_tailings_tributary_1km" in after["沱江沿岸尾矿库"][1]
    assert before["江阳区沿江现有化工企业"][0] == after["江阳区沿江现有化工企业"][0] == "review"
    assert "c24_chemical_enterprise_1km" in after["江阳区沿江现有化工企业"][1]


def test_a_red_line_layer_for_part_of_yibin_keeps_the_bundled_red_lines_elsewhere(tmp_path, bundled):
    block = shapely.box(104.70, 28.20, 104.80, 28.30)  # in 珙县/长宁 (宜宾)
    redlines = gpd.GeoDataFrame(
        {"block_id": ["YB-1"], "name_zh": ["宜宾红线1"], "redline_type": ["水源涵养"]},
        geometry=[block],
        crs=STORAGE_CRS,
    )
    path = _write(redlines, tmp_path / "redlines.gpkg", "eco_redlines")
    loaded = load_constraints(path)
    coverage = loaded.coverage["eco_redlines"]
    assert set(coverage.counties) <= {c for c in bundled.layers["counties"]["adcode"] if c.startswith("5115")}
    assert any("sparse" in w and "eco_redlines" in w for w in loaded.warnings)
    after = _verdicts(path)
    assert "redline_production" in after["沱江沿岸尾矿库"][1]  # the bundled red line in 富顺 still counts


def test_the_heng_gap_stays_when_the_supplied_water_does_not_reach_it(tmp_path, bundled):
    water = _bureau_water(bundled)
    assert "major_tributary" in set(water["river_class"])  # the 岷江: it maps major tributaries
    loaded = load_constraints(_write(water, tmp_path / "water.gpkg", "water"))
    gaps = loaded.layers["data_gaps"].set_index("gap_id")
    original = bundled.layers["data_gaps"].set_index("gap_id")
    assert "heng" in gaps.index
    assert (
        gaps.geometry["heng"].equals(original.geometry["heng"])
        or abs(gaps.geometry["heng"].area - original.geometry["heng"].area) < 1e-9
    )
    # the tributary gap stays as well: this water maps no tributary


def test_a_gap_goes_only_inside_the_coverage(tmp_path, bundled):
    """Water for 叙州/屏山/高县 with the 横江 mapped: the 横江 gap goes there, stays outside."""
    adcodes = ("511504", "511529")
    area = _counties(bundled, adcodes)
    heng = gpd.GeoDataFrame(
        {"river_id": ["jinsha"], "river_class": ["major_tributary"]},
        geometry=[area.intersection(bundled.layers["data_gaps"].geometry.iloc[0]).buffer(0)],
        crs=STORAGE_CRS,
    )
    path = _write(heng, tmp_path / "water.gpkg", "water", coverage="叙州区,屏山县")
    loaded = load_constraints(path)
    gaps = loaded.layers["data_gaps"].set_index("gap_id")
    original = bundled.layers["data_gaps"].set_index("gap_id").geometry["heng"]
    assert 0 < gaps.geometry["heng"].area < original.area
    assert not gaps.geometry["heng"].intersects(area.buffer(-0.001))
    # stated region-wide: the gap goes wholly (the tributary gap stays: no tributary mapped)
    whole = _write(heng, tmp_path / "whole.gpkg", "water", coverage="region")
    assert "heng" not in set(load_constraints(whole).layers["data_gaps"]["gap_id"])


def test_a_polygon_coverage_is_read_from_layer_coverage(tmp_path, bundled):
    water = _bureau_water(bundled)
    path = _write(water, tmp_path / "water.gpkg", "water", coverage="polygon")
    polygon = gpd.GeoDataFrame({"layer": ["water"]}, geometry=[_counties(bundled, TWO_COUNTIES)], crs=STORAGE_CRS)
    polygon.to_file(path, layer="layer_coverage", engine="pyogrio")
    loaded = load_constraints(path)
    assert loaded.coverage["water"].code == "polygon"
    assert set(loaded.coverage["water"].counties) >= set(TWO_COUNTIES)
    assert {r.name: r for r in layer_records(loaded)}["water"].coverage == "polygon"
    # 'polygon' without its row is refused, naming the layer and field
    bare = _write(water, tmp_path / "bare.gpkg", "water", coverage="polygon")
    with pytest.raises(LayerError, match="layer_coverage has no row"):
        load_constraints(bare)


def test_an_unknown_coverage_is_refused_naming_file_layer_and_field(tmp_path, bundled):
    path = _write(_bureau_water(bundled), tmp_path / "water.gpkg", "water", coverage="成都市")
    with pytest.raises(LayerError) as err:
        load_constraints(path)
    assert "water.gpkg" in str(err.value) and "layer water" in str(err.value) and "field coverage" in str(err.value)


def test_validate_reports_which_counties_a_partial_layer_covers(tmp_path, bundled):
    path = _write(_bureau_water(bundled), tmp_path / "water.gpkg", "water")
    report = validation_report(path)
    assert report.errors == []
    assert any("water: covers 2 of 28 counties" in n and "翠屏区" in n for n in report.notes)


def test_validate_and_check_print_an_inferred_coverage_once(tmp_path, bundled):
    """The warning reads as the command's own, once (the log and the report used to both print it)."""
    import subprocess
    import sys

    path = _write(_bureau_water(bundled), tmp_path / "water.gpkg", "water")
    command = [sys.executable, "-m", "chuannan_gis.cli"]
    validated = subprocess.run([*command, "layers", "validate", str(path)], check=False, capture_output=True, text=True)
    checked = subprocess.run(
        [*command, "check", str(EXAMPLES), "-o", str(tmp_path / "r.gpkg"), "--layers", str(path)],
        check=False,
        capture_output=True,
        text=True,
    )
    for run in (validated, checked):
        assert run.returncode in (0, 1), run.stderr
        assert run.stderr.count("states no coverage") == 1, run.stderr
        assert "警告 warning: " in run.stderr and "WARNING chuannan_gis" not in run.stderr
