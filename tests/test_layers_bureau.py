"""A validator that catches what bites, and bureau formats in --layers / layers validate (issue 11,
items 3 and "SOURCE is anything OGR reads"): fixtures in the bureaus' formats, made here."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely
from click.testing import CliRunner

import chuannan_gis
from chuannan_gis.cli import main
from chuannan_gis.crs import MEASURE_CRS, MEASURE_CRS_ZONE_PREFIX, STORAGE_CRS
from chuannan_gis.errors import LayerError
from chuannan_gis.layers import ValidationReport, load_constraints, validate, validation_report

NANXI = "511503"  # 南溪区: the Yangtze runs through it


@pytest.fixture(scope="module")
def yangtze():
    """The Yangtze's (bundled) water surface in 南溪区, in EPSG:4544."""
    bundled = load_constraints()
    counties = bundled.layers["counties"]
    area = counties.loc[counties["adcode"] == NANXI].geometry.iloc[0]
    water = bundled.layers["water"]
    surface = water.loc[water["river_id"] == "yangtze"].geometry.iloc[0].intersection(area)
    return gpd.GeoSeries([surface], crs=STORAGE_CRS).to_crs(MEASURE_CRS).iloc[0]


def _water(surface, river_class="mainstream", **extra):
    return gpd.GeoDataFrame(
        {"river_id": ["yangtze"], "river_class": [river_class], **extra}, geometry=[surface], crs=MEASURE_CRS
    )


def _park_at(surface, distance_m):
    """A heavy-chemical park point ``distance_m`` from the water edge."""
    centre = surface.representative_point()
    for step in range(1, 400):
        point = shapely.Point(centre.x, centre.y + 25 * step)
        if surface.distance(point) >= distance_m:
            break
    assert abs(surface.distance(point) - distance_m) < 30
    return gpd.GeoDataFrame(
        {"name": ["重化工园区"], "kind": ["industrial_park"], "industry": ["heavy_chemical"]},
        geometry=[point],
        crs=MEASURE_CRS,
    )


def _gpkg(gdf, path, layer, coverage=None):
    gdf.to_file(path, layer=layer, engine="pyogrio")
    if coverage:
        pyogrio.write_dataframe(
            pd.DataFrame([{"layer": layer, "coverage": coverage}]), path, layer="layer_metadata", driver="GPKG"
        )
    return path


# --- the validator ------------------------------------------------------------------------------
def test_every_problem_is_counted_truly(tmp_path):
    n = 84
    squares = [shapely.box(500_000 + 100 * i, 3_190_000, 500_050 + 100 * i, 3_190_050) for i in range(n)]
    reserves = gpd.GeoDataFrame(
        {"reserve_id": [f"r{i}" for i in range(n)], "name_zh": ["x"] * n, "zone": ["middle"] * n},
        geometry=squares,
        crs=MEASURE_CRS,
    )
    path = _gpkg(reserves, tmp_path / "reserves.gpkg", "nature_reserves")
    problems = validate(path)
    assert len(problems) == 6 and ValidationReport.count(problems) == 84
    assert "… and 79 more features" in str(problems[-1]) and "84 in all" in str(problems[-1])
    result = CliRunner().invoke(main, ["layers", "validate", str(path)])
    assert result.exit_code == 2 and "84 个问题" in result.output and "79 more" in result.output


def test_an_empty_river_class_is_refused(tmp_path, yangtze):
    """Before: validate said valid and a heavy-chemical park 700 m from the Yangtze came out clear."""
    park = _park_at(yangtze, 700)
    good = _gpkg(_water(yangtze), tmp_path / "good.gpkg", "water", coverage=NANXI)
    assert chuannan_gis.check(park, constraints=good).proposals["verdict"].iloc[0] == "prohibited"
    for empty in ("", None):
        bad = _gpkg(_water(yangtze, river_class=empty), tmp_path / f"bad{empty is None}.gpkg", "water", coverage=NANXI)
        problems = [str(p) for p in validate(bad)]
        assert any("feature 1" in p and "field river_class" in p and "empty" in p for p in problems), problems
        with pytest.raises(LayerError, match="river_class"):
            chuannan_gis.check(park, constraints=bad)


@pytest.mark.parametrize("layer, column", [("shoreline_zones", "zone"), ("shoreline_zones", "bank")])
def test_empty_vocabulary_values_are_errors(tmp_path, layer, column):
    zones = gpd.GeoDataFrame(
        {"zone": ["protection"], "river_id": ["yangtze"], "bank": ["左岸"]},
        geometry=[shapely.box(500_000, 3_190_000, 502_000, 3_192_000)],
        crs=MEASURE_CRS,
    )
    zones[column] = ""
    problems = [str(p) for p in validate(_gpkg(zones, tmp_path / "zones.gpkg", layer))]
    assert any(f"field {column}" in p and "empty" in p for p in problems), problems


def test_chinese_vocabulary_values_are_accepted(tmp_path, yangtze):
    water = _water(yangtze, river_class="干流")
    path = _gpkg(water, tmp_path / "water.gpkg", "water", coverage=NANXI)
    assert validate(path) == []
    loaded = load_constraints(path).layers["water"]
    assert loaded.loc[loaded.index >= 0, "river_class"].tolist() == ["mainstream"]


def test_a_river_id_missing_from_rivers_is_an_error_empty_allowed_for_tributaries(tmp_path, yangtze):
    water = pd.concat(
        [
            _water(yangtze).assign(river_id="changjiang"),
            _water(yangtze.buffer(-50), river_class="tributary").assign(river_id=""),
            _water(yangtze.buffer(-80), river_class="major_tributary").assign(river_id=""),
        ]
    )
    path = _gpkg(gpd.GeoDataFrame(water, crs=MEASURE_CRS), tmp_path / "water.gpkg", "water")
    problems = [str(p) for p in validate(path)]
    assert any("feature 1" in p and "'changjiang' is in no rivers layer" in p for p in problems), problems
    assert not any("feature 2" in p for p in problems)  # an unnamed tributary
    assert any("feature 3" in p and "river_id is empty" in p for p in problems)


def test_ponds_and_ditches_in_the_water_layer_warn(tmp_path, yangtze):
    ponds = shapely.box(*yangtze.buffer(900).bounds[:2], *(np.array(yangtze.buffer(900).bounds[:2]) + 60))
    water = gpd.GeoDataFrame(
        {
            "river_id": ["yangtze", "", ""],
            "river_class": ["mainstream", "tributary", "tributary"],
            "DLBM": ["1101", "1104", "1107"],
        },
        geometry=[yangtze, ponds, ponds.buffer(-10)],
        crs=MEASURE_CRS,
    )
    report = validation_report(_gpkg(water, tmp_path / "dltb_water.gpkg", "water", coverage=NANXI))
    assert report.errors == []
    text = [str(w) for w in report.warnings]
    assert any("feature 2" in w and "'1104'" in w and "坑塘水面" in w for w in text), text
    assert any("feature 3" in w and "'1107'" in w and "沟渠" in w for w in text), text
    assert not any("'1101'" in w for w in text)


def test_land_strip_shoreline_zones_leaving_the_water_unzoned_warn(tmp_path, yangtze):
    path = tmp_path / "shoreline.gpkg"
    _water(yangtze).to_file(path, layer="water", engine="pyogrio")
    strips = gpd.GeoDataFrame(
        {"zone": ["岸线开发利用区"], "river_id": ["yangtze"], "bank": ["左岸"]},
        geometry=[yangtze.buffer(300).difference(yangtze)],
        crs=MEASURE_CRS,
    )
    strips.to_file(path, layer="shoreline_zones", engine="pyogrio")
    pyogrio.write_dataframe(
        pd.DataFrame([{"layer": "water", "coverage": NANXI}, {"layer": "shoreline_zones", "coverage": NANXI}]),
        path,
        layer="layer_metadata",
        driver="GPKG",
    )
    report = validation_report(path)
    assert report.errors == []
    assert any("unzoned" in str(w) and "yangtze" in str(w) for w in report.warnings), report.warnings
    # zones holding their half of the water too: no warning
    covering = _gpkg(
        strips.set_geometry([yangtze.buffer(300)]), tmp_path / "covering.gpkg", "shoreline_zones", coverage=NANXI
    )
    assert not any("unzoned" in str(w) for w in validation_report(covering).warnings)


def test_no_schema_layer_lists_what_was_found_and_suggests_a_template(tmp_path):
    gdb = tmp_path / "三调.gdb"
    dltb = gpd.GeoDataFrame(
        {"DLBM": ["1101"], "DLMC": ["河流水面"]},
        geometry=[shapely.box(35_500_000, 3_190_000, 35_501_000, 3_191_000)],
        crs=MEASURE_CRS_ZONE_PREFIX,
    )
    pyogrio.write_dataframe(dltb, gdb, layer="DLTB", driver="OpenFileGDB")
    message = str(validate(gdb)[0])
    assert "no layer named as in the schema" in message
    assert "DLTB (MultiPolygon" in message or "DLTB (Polygon" in message
    assert "EPSG:4523" in message and "1 features" in message
    assert "layers import --template dltb" in message
    result = CliRunner().invoke(main, ["check", "--help"])
    assert result.exit_code == 0


# --- bureau formats -----------------------------------------------------------------------------
def test_a_file_geodatabase_loads_and_validates(tmp_path, yangtze):
    gdb = tmp_path / "official.gdb"
    pyogrio.write_dataframe(_water(yangtze), gdb, layer="water", driver="OpenFileGDB")
    redline = gpd.GeoDataFrame(
        {"block_id": ["B1"], "name_zh": ["南溪红线"], "redline_type": ["水源涵养"]},
        geometry=[yangtze.buffer(2000).difference(yangtze.buffer(1500))],
        crs=MEASURE_CRS,
    )
    pyogrio.write_dataframe(redline, gdb, layer="eco_redlines", driver="OpenFileGDB")
    assert validate(gdb) == []
    loaded = load_constraints(gdb)
    assert loaded.paths["water"] == str(gdb.resolve()) and loaded.coverage["water"].code == NANXI
    assert loaded.layers["eco_redlines"].loc[1, "name_zh"] == "南溪红线"
    assert CliRunner().invoke(main, ["layers", "validate", str(gdb)]).exit_code == 0


def _gbk_shapefile(folder, gdf, stem, *, cpg=None):
    """A shapefile as Chinese desktop GIS write it: GBK text, no .cpg, no code page in the DBF."""
    path = folder / f"{stem}.shp"
    gdf.to_file(path, engine="pyogrio", encoding="GBK")
    folder.joinpath(f"{stem}.cpg").unlink(missing_ok=True)
    dbf = folder / f"{stem}.dbf"
    data = bytearray(dbf.read_bytes())
    data[29] = 0  # no language driver either
    dbf.write_bytes(bytes(data))
    if cpg:
        folder.joinpath(f"{stem}.cpg").write_text(cpg)
    return path


def _gbk_redlines():
    # EPSG:4523: CGCS2000 GK zone 35 with the zone prefix, as bureaus deliver it
    block = shapely.box(35_500_000, 3_190_000, 35_502_000, 3_192_000)
    return gpd.GeoDataFrame(
        {"block_id": ["HX001"], "name_zh": ["长江上游珍稀特有鱼类红线"], "redline_type": ["生物多样性维护"]},
        geometry=[block],
        crs=MEASURE_CRS_ZONE_PREFIX,
    )


def test_a_gbk_shapefile_without_cpg_is_read_right(tmp_path):
    folder = tmp_path / "layers"
    folder.mkdir()
    path = _gbk_shapefile(folder, _gbk_redlines(), "eco_redlines")
    before = path.read_bytes(), folder.joinpath("eco_redlines.dbf").read_bytes()
    assert validate(folder) == []
    loaded = load_constraints(folder).layers["eco_redlines"]
    mine = loaded[loaded.index >= 0]
    assert mine["name_zh"].tolist() == ["长江上游珍稀特有鱼类红线"]
    assert mine["redline_type"].tolist() == ["生物多样性维护"]
    assert (path.read_bytes(), folder.joinpath("eco_redlines.dbf").read_bytes()) == before  # inputs untouched
    assert not folder.joinpath("eco_redlines.cpg").exists()


def test_mojibake_is_an_error_naming_the_encoding(tmp_path):
    folder = tmp_path / "layers"
    folder.mkdir()
    _gbk_shapefile(folder, _gbk_redlines(), "eco_redlines", cpg="ISO-8859-1")  # a wrong .cpg
    problems = [str(p) for p in validate(folder)]
    assert any("乱码" in p and "GB18030" in p and "eco_redlines" in p and "field name_zh" in p for p in problems), (
        problems
    )
    with pytest.raises(LayerError, match="GB18030"):
        load_constraints(folder)


def test_dbf_truncated_field_names_are_mapped_back(tmp_path, yangtze):
    folder = tmp_path / "layers"
    folder.mkdir()
    with pytest.warns(RuntimeWarning):  # GDAL truncates river_class to river_clas
        _water(yangtze).to_file(folder / "water.shp", engine="pyogrio")
    assert "river_clas" in pyogrio.read_info(folder / "water.shp")["fields"]
    assert validate(folder) == []
    water = load_constraints(folder).layers["water"]
    assert water.loc[water.index >= 0, "river_class"].tolist() == ["mainstream"]


@pytest.mark.parametrize(
    "declared, offset, expected",
    [
        ("EPSG:4544", 35_000_000, "EPSG:4523"),  # prefixed eastings under the CRS without prefix
        ("EPSG:4523", -35_000_000, "EPSG:4544"),  # the reverse
    ],
)
def test_gauss_krueger_zone_prefix_mistakes_are_named(tmp_path, declared, offset, expected):
    redlines = _gbk_redlines().to_crs(MEASURE_CRS_ZONE_PREFIX)
    moved = redlines.set_geometry(redlines.translate(xoff=offset - 35_000_000 if offset > 0 else offset))
    if offset > 0:  # 35 xxx xxx kept, declared without the prefix
        moved = redlines.set_crs(declared, allow_override=True)
    else:  # xxx xxx, declared with the prefix
        moved = moved.set_crs(declared, allow_override=True)
    path = _gpkg(moved, tmp_path / "redlines.gpkg", "eco_redlines")
    problems = [str(p) for p in validate(path)]
    assert any("zone prefix" in p and expected in p and "field geometry" in p for p in problems), problems
    with pytest.raises(LayerError, match=expected):
        load_constraints(path)
