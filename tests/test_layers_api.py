"""The constraint-set API: loading a planner's layers over the bundled ones, and validation."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
import shapely

from chuannan_gis.crs import MEASURE_CRS
from chuannan_gis.errors import LayerError
from chuannan_gis.layers import ConstraintSet, load_constraints, validate

# A square of 2 km × 2 km in GK zone 35 near 泸州 (E 500 000 is the central meridian 105°E).
SQUARE = shapely.box(500_000, 3_190_000, 502_000, 3_192_000)


def _farmland(**columns):
    return gpd.GeoDataFrame(columns, geometry=[SQUARE], crs=MEASURE_CRS)


def _write(gdf, path, layer):
    gdf.to_file(path, layer=layer, engine="pyogrio")
    return path


def test_user_layer_defaults_follow_the_schema():
    constraints = ConstraintSet.from_frames({"farmland": _farmland()}, origin="farmland.gpkg")
    farmland = constraints.layers["farmland"]
    assert farmland.crs.to_epsg() == 4490
    assert farmland["data_status"].tolist() == ["official"]
    assert farmland["accuracy_m"].isna().all()  # "accuracy not stated"
    assert farmland["source"].tolist() == ["farmland.gpkg"]
    assert constraints.measured("farmland").area.iloc[0] == pytest.approx(4e6, rel=1e-6)


def test_validate_names_file_layer_feature_and_field(tmp_path):
    broken = gpd.GeoDataFrame(
        {"reserve_id": ["a", "b"], "name_zh": ["x", "y"], "zone": ["core", "middle"]},
        geometry=[
            SQUARE,
            shapely.Polygon([(500_000, 3_190_000), (502_000, 3_192_000), (502_000, 3_190_000), (500_000, 3_192_000)]),
        ],
        crs=MEASURE_CRS,
    )
    path = _write(broken, tmp_path / "mine.gpkg", "nature_reserves")
    messages = [str(problem) for problem in validate(path)]
    assert any(
        "mine.gpkg" in m and "nature_reserves" in m and "feature 2" in m and "field zone" in m and "'middle'" in m
        for m in messages
    ), messages
    assert any("feature 2" in m and "field geometry" in m and "Self-intersection" in m for m in messages), messages


@pytest.mark.parametrize(
    "given, code",
    [
        ("核心区", "core_protection"),
        ("缓冲区", "core_protection"),
        ("buffer", "core_protection"),
        ("实验区", "general_control"),
        ("experimental", "general_control"),
        ("core_protection", "core_protection"),
        ("一般控制区", "general_control"),
        ("unzoned", "unzoned"),
        ("zoning_unknown", "zoning_unknown"),
    ],
)
def test_old_reserve_zone_names_are_accepted_and_mapped(tmp_path, given, code):
    reserves = gpd.GeoDataFrame(
        {"reserve_id": ["a"], "name_zh": ["x"], "zone": [given]}, geometry=[SQUARE], crs=MEASURE_CRS
    )
    path = _write(reserves, tmp_path / "reserves.gpkg", "nature_reserves")
    assert validate(path) == []
    reserves = load_constraints(path).layers["nature_reserves"]
    assert reserves.loc[reserves.index >= 0, "zone"].tolist() == [code]  # the bundled ones stay outside


def test_validate_reports_missing_fields_and_wrong_geometry(tmp_path):
    lines = gpd.GeoDataFrame({"zone": ["core"]}, geometry=[SQUARE.boundary], crs=MEASURE_CRS)
    path = _write(lines, tmp_path / "reserves.gpkg", "nature_reserves")
    messages = [str(problem) for problem in validate(path)]
    assert any("field reserve_id" in m and "missing" in m for m in messages)
    assert any("LineString" in m and "MultiPolygon" in m for m in messages)


def test_validate_rejects_missing_and_impossible_crs(tmp_path):
    no_crs = _farmland().set_crs(None, allow_override=True)
    no_crs_path = _write(no_crs, tmp_path / "nocrs.gpkg", "farmland")
    assert any("no CRS" in str(p) for p in validate(no_crs_path))
    # Gauss-Krüger metres declared as lon/lat: the coordinates cannot be degrees.
    wrong = _farmland().set_crs("EPSG:4490", allow_override=True)
    wrong_path = _write(wrong, tmp_path / "wrong.gpkg", "farmland")
    assert any("do not reach" in str(p) for p in validate(wrong_path))


def test_validate_complete_lists_missing_layers(tmp_path):
    path = _write(_farmland(), tmp_path / "only_farmland.gpkg", "farmland")
    assert validate(path) == []
    missing = {p.layer for p in validate(path, complete=True)}
    assert {"counties", "water", "eco_redlines"} <= missing


def test_a_file_without_schema_layers_is_rejected(tmp_path):
    path = _write(_farmland(), tmp_path / "other.gpkg", "something_else")
    assert "no layer named as in the schema" in str(validate(path)[0])


def test_user_set_overlays_the_bundled_one(tmp_path):
    path = _write(_farmland(), tmp_path / "farmland.gpkg", "farmland")
    constraints = load_constraints(path)
    assert constraints.has("farmland") and constraints.has("counties")
    assert constraints.paths["farmland"] == str(path)
    assert constraints.layer_info("farmland")["data_status"] == "official"
    with pytest.raises(LayerError, match="nature_reserves"):
        bad = gpd.GeoDataFrame({"zone": ["core"]}, geometry=[SQUARE], crs=MEASURE_CRS)
        load_constraints(_write(bad, tmp_path / "bad.gpkg", "nature_reserves"))


def test_a_folder_of_files_named_after_layers_loads(tmp_path):
    _farmland().to_file(tmp_path / "farmland.shp", engine="pyogrio")
    constraints = load_constraints(tmp_path)
    assert constraints.paths["farmland"].endswith("farmland.shp")


def _water():
    return gpd.GeoDataFrame(
        {"river_id": ["tuo"], "river_class": ["major_tributary"]}, geometry=[SQUARE], crs=MEASURE_CRS
    )


def _region(path, layer="water", **fields):
    """State that the layer at ``path`` covers the whole region (layer_metadata.coverage)."""
    meta = pd.DataFrame([{"layer": layer, "coverage": "region", **fields}])
    pyogrio.write_dataframe(meta, path, layer="layer_metadata", driver="GPKG")
    return path


def test_a_supplied_layer_drops_the_bundled_gaps_it_fills(tmp_path):
    bundled = load_constraints()
    assert set(bundled.layers["data_gaps"]["missing_layer"]) == {"water"}
    # Another layer supplied: the gap stays.
    kept = load_constraints(_write(_farmland(), tmp_path / "farmland.gpkg", "farmland"))
    assert len(kept.layers["data_gaps"]) == len(bundled.layers["data_gaps"])
    # water supplied region-wide: the gaps about the river classes it maps go; the tributary gap
    # stays, since this water draws no tributary.
    filled = load_constraints(_region(_write(_water(), tmp_path / "water.gpkg", "water")))
    assert filled.layers["data_gaps"]["river_class"].tolist() == ["tributary"]
    assert filled.paths["water"].endswith("water.gpkg")
    # A water layer with tributaries drawn fills both: the layer stays (empty), so its rules still run.
    both = pd.concat([_water(), _water().assign(river_id="", river_class="tributary")], ignore_index=True)
    full = load_constraints(_region(_write(gpd.GeoDataFrame(both, crs=MEASURE_CRS), tmp_path / "full.gpkg", "water")))
    assert full.has("data_gaps") and full.layers["data_gaps"].empty


def test_a_stated_complete_classes_decides_over_the_features(tmp_path):
    path = _write(_water(), tmp_path / "water.gpkg", "water")
    _region(path, complete_classes="mainstream,major_tributary,tributary")
    assert load_constraints(path).layers["data_gaps"].empty


def test_a_users_own_data_gaps_are_added_to_the_bundled_ones_left(tmp_path):
    path = tmp_path / "mine.gpkg"
    _write(_water(), path, "water")
    gaps = gpd.GeoDataFrame(
        {
            "gap_id": ["g1"],
            "name_zh": ["缺口"],
            "name_en": ["gap"],
            "missing_layer": ["water"],
            "river_class": ["major_tributary"],
        },
        geometry=[SQUARE],
        crs=MEASURE_CRS,
    )
    _write(gaps, path, "data_gaps")
    _region(path)
    loaded = load_constraints(path).layers["data_gaps"]
    # the planner's gap as given (own fid), and the bundled tributary gap (fid negated): their
    # region-wide water maps major tributaries, so the 横江 gap goes, but no tributary
    assert loaded.loc[loaded.index >= 0, "gap_id"].tolist() == ["g1"]
    assert loaded.loc[loaded.index < 0, "gap_id"].tolist() == ["tributaries"]


def test_validate_complete_does_not_require_data_gaps(tmp_path):
    path = _write(_farmland(), tmp_path / "only_farmland.gpkg", "farmland")
    missing = {p.layer for p in validate(path, complete=True)}
    assert "data_gaps" not in missing and "water" in missing
