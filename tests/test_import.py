"""`layers import`: bureau-format fixtures made here, imported, checked, with known answers.

The fixtures sit on the bundled Yangtze in 江安县 (511523).  A local frame: s runs along the chord
of the bundled centreline (downstream, roughly east), n across it (north = left bank).  The 三调
river (1101) is a strip n 300–900 m, s −3 000…3 000 m, so the bundled line lies ~600 m from its
middle (within the 2 000 m match distance).  Parks north of it: A 700 m from the water edge,
B 1 500 m with a pond (1104) 200 m beside it.  Everything is written the way bureaus deliver it:
a File Geodatabase in CGCS2000 GK zone 35 with the zone prefix (EPSG:4523), a GBK shapefile with
no .cpg, a shoreline plan of land strips with Chinese field names and values.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely
import yaml
from click.testing import CliRunner

import chuannan_gis
from chuannan_gis.cli import main
from chuannan_gis.crs import MEASURE_CRS
from chuannan_gis.errors import CRSError, LayerError
from chuannan_gis.layers import load_constraints, validate
from chuannan_gis.layers.imports import (
    import_entries,
    import_layer,
    import_source,
    parse_fields,
    parse_values,
    read_map,
)
from chuannan_gis.layers.imports.coverage import resolve_coverage

PREFIX = 35_000_000  # the zone-35 prefix of EPSG:4523 eastings


@pytest.fixture(scope="module")
def frame_axes():
    """(origin, t, n) in EPSG:4544: a point on the bundled Yangtze in 江安县, downstream and left unit vectors."""
    constraints = load_constraints()
    rivers = constraints.measured("rivers").set_index("river_id")
    county = constraints.measured("counties").set_index("adcode").loc["511523"].geometry
    reach = max(
        shapely.get_parts(shapely.line_merge(rivers.loc["yangtze"].geometry.intersection(county))),
        key=lambda line: line.length,
    )
    middle = reach.project(reach.interpolate(0.5, normalized=True))
    a, b = reach.interpolate(middle - 3000), reach.interpolate(middle + 3000)
    origin = np.array(reach.interpolate(middle).coords[0])
    t = np.array(b.coords[0]) - np.array(a.coords[0])
    t /= np.linalg.norm(t)
    return origin, t, np.array([-t[1], t[0]])


def _rect(axes, s0, s1, n0, n1):
    origin, t, n = axes
    corners = [origin + s * t + k * n for s, k in ((s0, n0), (s1, n0), (s1, n1), (s0, n1))]
    return shapely.Polygon(corners)


def _point(axes, s, k):
    origin, t, n = axes
    return shapely.Point(origin + s * t + k * n)


def _prefixed(geoms):
    return [shapely.transform(g, lambda xy: xy + np.array([PREFIX, 0.0])) for g in geoms]


@pytest.fixture(scope="module")
def bureau(tmp_path_factory, frame_axes):
    """The delivered files: DLTB.gdb, a GBK red-line shapefile, a shoreline plan, proposals."""
    folder = tmp_path_factory.mktemp("bureau")
    ax = frame_axes
    patches = [  # (DLBM, DLMC, geometry)
        ("1101", "河流水面", _rect(ax, -3000, -1000, 300, 900)),
        ("1101", "河流水面", _rect(ax, -1000, 1000, 300, 900)),
        ("1101", "河流水面", _rect(ax, 1000, 3000, 300, 900)),
        ("1103", "水库水面", _rect(ax, 3000, 3600, 300, 900)),  # touches the river: kept
        ("1103", "水库水面", _rect(ax, -2000, -1800, 3600, 3800)),  # off-stream: left out
        ("1104", "坑塘水面", _rect(ax, -1300, -1200, 2400, 2500)),  # the pond beside park B
        ("1107", "沟渠", _rect(ax, 200, 230, 900, 1500)),  # a ditch towards park A
        ("1106", "内陆滩涂", _rect(ax, -3000, -2000, 250, 300)),  # river beach: kept
        ("1109", "水工建筑用地", _rect(ax, 3600, 3650, 300, 900)),  # a dam: left out
        ("1101", "河流水面", _rect(ax, -2600, -2500, -5000, -4000)),  # a creek 4 km off: unnamed tributary
        ("0103", "旱地", _rect(ax, -3000, 3000, 3900, 4200)),
    ]
    # one bow-tie (self-intersecting) 1101 patch inside the river strip: repaired with make_valid
    origin, t, n = ax
    bow = shapely.Polygon([origin + s * t + k * n for s, k in ((-500, 400), (0, 800), (0, 400), (-500, 800))])
    patches.append(("1101", "河流水面", bow))
    dltb = gpd.GeoDataFrame(
        {
            "BSM": [f"5115232023{i:04d}" for i in range(len(patches))],
            "TBBH": [str(i + 1) for i in range(len(patches))],
            "DLBM": [p[0] for p in patches],
            "DLMC": [p[1] for p in patches],
            "QSDWMC": ["江安镇某村"] * len(patches),
            "ZLDWDM": ["5115231010010000000"] * len(patches),
            "TBMJ": [p[2].area for p in patches],
        },
        geometry=_prefixed([p[2] for p in patches]),
        crs="EPSG:4523",
    )
    gdb = folder / "511523_三调.gdb"
    pyogrio.write_dataframe(dltb, gdb, layer="DLTB", driver="OpenFileGDB")
    xzq = gpd.GeoDataFrame(
        {"XZQDM": ["511523101001"], "XZQMC": ["江安镇某村"]},
        geometry=_prefixed([_rect(ax, -3500, 3700, -5500, 4500)]),
        crs="EPSG:4523",
    )
    pyogrio.write_dataframe(xzq, gdb, layer="XZQ", driver="OpenFileGDB")

    redline = gpd.GeoDataFrame(
        {"BSM": [1], "HXMC": ["江安长江生态保护红线"], "HXLX": ["水土保持"]},
        geometry=_prefixed([_rect(ax, 1500, 2500, 1200, 2200)]),
        crs="EPSG:4523",
    )
    shp = folder / "红线.shp"
    pyogrio.write_dataframe(redline, shp, encoding="GBK")
    for sidecar in folder.glob("红线.cpg"):
        sidecar.unlink()
    dbf = folder / "红线.dbf"
    data = bytearray(dbf.read_bytes())
    data[29] = 0  # no language driver either, as many Chinese tools write it
    dbf.write_bytes(bytes(data))

    shore = gpd.GeoDataFrame(
        {
            "所在河流": ["长江"] * 3,
            "岸别": ["左岸", "左岸", "右岸"],
            "功能区类型": ["岸线保护区", "岸线开发利用区", "岸线控制利用区"],
            "功能区名称": ["江安左岸保护区", "江安左岸开发区", "江安右岸控制区"],
        },
        geometry=[_rect(ax, -3000, 0, 900, 1000), _rect(ax, 0, 3000, 900, 1000), _rect(ax, -3000, 3000, 200, 300)],
        crs=MEASURE_CRS,
    )
    shore_path = folder / "岸线功能区.gpkg"
    shore.to_file(shore_path, layer="AXGNQ", engine="pyogrio")

    proposals = gpd.GeoDataFrame(
        {
            "name": ["重化工园区A", "重化工园区B", "电子园区C", "码头右岸", "码头左岸"],
            "kind": ["industrial_park", "industrial_park", "industrial_park", "port", "port"],
            "industry": ["heavy_chemical", "heavy_chemical", "electronics", "general_cargo_port", "general_cargo_port"],
        },
        geometry=[
            _rect(ax, -100, 100, 1600, 1800),
            _rect(ax, -1500, -1300, 2400, 2600),
            _rect(ax, 1900, 2100, 1600, 1800),
            _point(ax, 500, 350),
            _point(ax, -500, 850),
        ],
        crs=MEASURE_CRS,
    )
    proposals_path = folder / "proposals.gpkg"
    proposals.to_file(proposals_path, engine="pyogrio")
    return {"folder": folder, "gdb": gdb, "shp": shp, "shore": shore_path, "proposals": proposals_path, "axes": ax}


@pytest.fixture(scope="module")
def imported(bureau, tmp_path_factory):
    """One MAP.yaml: dltb (coverage inferred from XZQ), the red line and the shoreline plan."""
    folder = bureau["folder"]
    plan = [
        {"template": "dltb", "source": bureau["gdb"].name, "constants": {"scale": "1:10000", "date": "2023-12-31"}},
        {
            "template": "redline",
            "source": bureau["shp"].name,
            "coverage": "江安县",
            "constants": {"accuracy_m": 2, "date": "2023-10"},
        },
        {"template": "shoreline", "source": bureau["shore"].name, "coverage": "511523", "constants": {"date": "2020"}},
    ]
    map_path = folder / "MAP.yaml"
    map_path.write_text(yaml.safe_dump(plan, allow_unicode=True), encoding="utf-8")
    out = tmp_path_factory.mktemp("out") / "official.gpkg"
    results, warnings = import_entries(read_map(map_path), out)
    return {"out": out, "results": {r.layer: r for r in results}, "warnings": warnings, "map": map_path}


def test_dltb_gdb_codes_rivers_and_coverage(imported):
    result = imported["results"]["water"]
    water = gpd.read_file(imported["out"], layer="water", engine="pyogrio")
    assert water.crs.to_epsg() == 4490
    kept = water["DLBM"].value_counts().to_dict()
    assert kept == {"1101": 5, "1103": 1, "1106": 1}  # ponds, ditches, the dam, the off-stream reservoir left out
    report = "\n".join(result.report)
    assert "1104 坑塘水面: read 1, kept 0, left out 1" in report
    assert "1103 水库水面: read 2, kept 1, left out 1" in report
    assert "1109 水工建筑用地: read 1, kept 0, left out 1" in report
    assert "repaired 1 invalid polygon(s)" in report
    assert "unnamed tributary (no river line within reach): 1 patches" in report
    assert "river yangtze:" in report
    yangtze = water[water["river_id"] == "yangtze"]
    assert len(yangtze) == 6 and set(yangtze["river_class"]) == {"mainstream"}
    creek = water[water["river_id"].isna()]
    assert creek["river_class"].tolist() == ["tributary"]
    assert set(water["data_status"]) == {"official"} and set(water["accuracy_m"]) == {5.0}  # 1:10 000 × 0.5 mm
    assert set(water["date"]) == {"2023-12-31"}
    meta = pyogrio.read_dataframe(imported["out"], layer="layer_metadata", read_geometry=False).set_index("layer")
    assert meta.loc["water", "coverage"] == "511523"
    assert "XZQ" in report and "江安县" in report
    assert meta.loc["eco_redlines", "coverage"] == "511523"
    assert validate(imported["out"]) == []


def test_the_report_counts_what_it_says(imported):
    """``ImportResult.counts``: the numbers of the report lines, for faces that word them otherwise (QGIS)."""
    water = imported["results"]["water"]
    assert water.counts == {"read": 12, "repaired": 1, "dropped": 0, "written": 7}
    assert "read 12 features" in water.report[0] and water.report[-1] == "wrote 7 features to layer water"
    assert imported["results"]["eco_redlines"].counts == {"read": 1, "repaired": 0, "dropped": 0, "written": 1}


def test_import_source_is_the_cli_import_of_one_source(bureau, tmp_path):
    """`layers import --template` calls import_source: the same set, the same report."""
    options = {"coverage": "江安县", "constants": {"accuracy_m": "2", "date": "2023-10"}}
    results, warnings = import_source("redline", str(bureau["shp"]), tmp_path / "lib.gpkg", **options)
    runner = CliRunner()
    cli = tmp_path / "cli.gpkg"
    argv = ["layers", "import", "--template", "redline", str(bureau["shp"]), "-o", str(cli), "--coverage", "江安县"]
    done = runner.invoke(main, [*argv, "--constant", "accuracy_m=2", "--constant", "date=2023-10"])
    assert done.exit_code == 0, done.output
    assert "\n".join(f"  {line}" for line in results[0].report) in done.output and warnings == []
    lib = gpd.read_file(tmp_path / "lib.gpkg", layer="eco_redlines", engine="pyogrio")
    pd.testing.assert_frame_equal(lib, gpd.read_file(cli, layer="eco_redlines", engine="pyogrio"))


def test_field_and_value_options_are_parsed_with_a_clear_error():
    assert parse_fields(["zone=功能区", "bank = 岸别"]) == {"zone": "功能区", "bank": "岸别"}
    assert parse_values(["zone:保护岸段=protection", "zone:开发岸段=development"]) == {
        "zone": {"保护岸段": "protection", "开发岸段": "development"}
    }
    with pytest.raises(LayerError, match="expected SCHEMA_FIELD=SOURCE_FIELD"):
        parse_fields(["zone"])
    with pytest.raises(LayerError, match="expected FIELD:SOURCE_VALUE=CODE"):
        parse_values(["zone=protection"])


def test_gbk_shapefile_without_cpg_in_zone_prefixed_crs(imported):
    redlines = gpd.read_file(imported["out"], layer="eco_redlines", engine="pyogrio")
    assert redlines["name_zh"].tolist() == ["江安长江生态保护红线"]
    assert redlines["redline_type"].tolist() == ["水土保持"]
    assert redlines["accuracy_m"].tolist() == [2.0]
    assert 104 < redlines.geometry.representative_point().x.iloc[0] < 106  # EPSG:4523 reprojected to lon/lat


def test_shoreline_strips_get_their_banks_half_of_the_water(imported, bureau):
    zones = gpd.read_file(imported["out"], layer="shoreline_zones", engine="pyogrio").to_crs(MEASURE_CRS)
    assert set(zones["zone"]) == {"protection", "development", "controlled"}
    assert set(zones["bank"]) == {"left", "right"} and set(zones["river_id"]) == {"yangtze"}
    right_wharf, left_wharf = _point(bureau["axes"], 500, 350), _point(bureau["axes"], -500, 850)
    holding = zones[zones.contains(right_wharf)]
    assert holding[["zone", "bank"]].values.tolist() == [["controlled", "right"]]
    holding = zones[zones.contains(left_wharf)]
    assert holding[["zone", "bank"]].values.tolist() == [["protection", "left"]]
    # split at the medial axis: a point just south of the middle of the river is the right bank's
    middle_south = _point(bureau["axes"], -1500, 590)
    assert zones[zones.contains(middle_south)]["bank"].tolist() == ["right"]


def test_verdicts_before_and_after(imported, bureau):
    before = chuannan_gis.check(bureau["proposals"])
    after = chuannan_gis.check(bureau["proposals"], constraints=imported["out"])
    one_km = {"c24_heavy_chemical_park_1km", "yrpl26_chemical_1km"}

    def prohibited_1km(result, name):
        pid = result.proposals.loc[result.proposals["name"] == name, "proposal_id"].iloc[0]
        findings = result.findings[result.findings["proposal_id"] == pid]
        return bool(((findings["rule_id"].isin(one_km)) & (findings["verdict"] == "prohibited")).any())

    assert prohibited_1km(after, "重化工园区A")  # 700 m from the 1101 edge
    assert not prohibited_1km(after, "重化工园区B")  # 1 500 m; the pond 200 m beside it does not count
    c = after.proposals.loc[after.proposals["name"] == "电子园区C", "proposal_id"].iloc[0]
    messages = " ".join(after.findings.loc[after.findings["proposal_id"] == c, "message_zh"].astype(str))
    assert "江安长江生态保护红线" in messages  # Chinese names readable in the findings
    assert before.proposals["verdict"].tolist()  # the bundled run works too (reported in the note)


def test_sparse_layers_are_refused_without_coverage(bureau):
    with pytest.raises(LayerError, match=r"needs --coverage.*sparse"):
        import_layer("redline", bureau["shp"])


def test_zone_prefix_mismatch_is_named(bureau, tmp_path):
    with pytest.raises(CRSError, match=r"zone prefix 35.*EPSG:4523"):
        import_layer("redline", bureau["shp"], coverage="江安县", crs="EPSG:4544")
    unprefixed = gpd.read_file(bureau["shp"], engine="pyogrio", encoding="GBK").to_crs("EPSG:4544")
    path = tmp_path / "noprefix.gpkg"
    unprefixed.set_crs("EPSG:4523", allow_override=True).to_file(path, engine="pyogrio")
    with pytest.raises(CRSError, match=r"no zone prefix.*EPSG:4544"):
        import_layer("redline", path, coverage="江安县")


def test_mojibake_is_refused_naming_the_encoding(bureau):
    with pytest.raises(LayerError, match="GBK"):
        import_layer("redline", bureau["shp"], coverage="江安县", encoding="latin1")


def test_empty_river_class_is_refused(tmp_path, frame_axes):
    water = gpd.GeoDataFrame(
        {"HLMC": ["长江", "长江"], "河流等级": ["干流", ""]},
        geometry=[_rect(frame_axes, 0, 100, 300, 900), _rect(frame_axes, 100, 200, 300, 900)],
        crs=MEASURE_CRS,
    )
    path = tmp_path / "water.gpkg"
    water.to_file(path, engine="pyogrio")
    with pytest.raises(LayerError, match=r"1 feature\(s\) with a value empty.*#2") as err:
        import_layer("water", path, coverage="江安县")
    assert err.value.field == "river_class"
    water.loc[1, "河流等级"] = "主要支流"
    water.to_file(path, engine="pyogrio")
    ok = import_layer("water", path, coverage="江安县")
    assert ok.frame["river_class"].tolist() == ["mainstream", "major_tributary"]
    assert ok.frame["river_id"].tolist() == ["yangtze", "yangtze"]


def test_reimport_replaces_the_layer_keeps_others_and_never_touches_the_input(bureau, imported, tmp_path):
    out = tmp_path / "set.gpkg"
    out.write_bytes(imported["out"].read_bytes())
    before = bureau["gdb"].stat().st_mtime
    runner = CliRunner()
    result = runner.invoke(
        main,
        [
            "layers",
            "import",
            "--template",
            "redline",
            str(bureau["shp"]),
            "-o",
            str(out),
            "--coverage",
            "宜宾市",
            "--constant",
            "date=2024",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "replaced" in result.output
    layers = {name for name, _ in pyogrio.list_layers(out)}
    assert {"water", "eco_redlines", "shoreline_zones", "layer_metadata"} <= layers
    meta = pyogrio.read_dataframe(out, layer="layer_metadata", read_geometry=False).set_index("layer")
    assert meta.loc["eco_redlines", "coverage"] == resolve_coverage("宜宾市")
    assert bureau["gdb"].stat().st_mtime == before
    validated = runner.invoke(main, ["layers", "validate", str(out)])
    assert validated.exit_code == 0, validated.output


def test_cli_map_and_templates(imported, tmp_path):
    runner = CliRunner()
    out = tmp_path / "cli.gpkg"
    result = runner.invoke(main, ["layers", "import", str(imported["map"]), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "1104 坑塘水面: read 1, kept 0, left out 1" in result.output
    listed = runner.invoke(main, ["layers", "templates"])
    assert listed.exit_code == 0
    for name in ("dltb", "redline", "yjjbnt", "czkfbj", "shoreline", "water-source", "reserves", "chemical-parks"):
        assert f"{name} → " in listed.output
    assert "1106 内陆滩涂: adjoining" in listed.output and "岸线保护区→protection" in listed.output


def test_coverage_resolution():
    assert resolve_coverage("region") == "region"
    assert resolve_coverage("江安县, 翠屏区") == "511502,511523"
    assert resolve_coverage("511500").split(",") == [f"5115{n:02d}" for n in (2, 3, 4, 23, 24, 25, 26, 27, 28, 29)]
    assert resolve_coverage("内江市,自贡市,宜宾市,泸州市") == "region"
    with pytest.raises(LayerError, match="names no county"):
        resolve_coverage("成都市")


@pytest.mark.parametrize("given, code", [("一级保护区", "first"), ("二级", "second"), ("准保护区", "quasi")])
def test_water_source_levels_in_chinese(tmp_path, frame_axes, given, code):
    zones = gpd.GeoDataFrame(
        {"保护区级别": [given], "水源地名称": ["江安水厂"]},
        geometry=[_rect(frame_axes, 0, 100, 1000, 1100)],
        crs=MEASURE_CRS,
    )
    path = tmp_path / "sy.gpkg"
    zones.to_file(path, engine="pyogrio")
    result = import_layer("water-source", path, coverage="江安县")
    assert result.frame["level"].tolist() == [code]
    assert isinstance(result.frame, pd.DataFrame)


def test_an_empty_source_imports_as_none_in_its_coverage(tmp_path):
    """A delivered layer with no feature states that there is none in the coverage (it used to fail in numpy)."""
    empty = gpd.GeoDataFrame({"BSM": [], "HXMC": [], "HXLX": []}, geometry=[], crs=MEASURE_CRS)
    empty.to_file(tmp_path / "empty.gpkg", layer="STBHHX", engine="pyogrio")
    results, _ = import_source(
        "redline", tmp_path / "empty.gpkg", tmp_path / "set.gpkg", coverage="江安县", constants={"accuracy_m": 1}
    )
    assert results[0].counts == {"read": 0, "repaired": 0, "dropped": 0, "written": 0}
    assert validate(tmp_path / "set.gpkg") == []


def test_a_red_line_with_only_a_name_field_is_read_not_refused(tmp_path):
    """A delivery without BSM or HXLX: ids from the row number, the type empty; the site inside it
    is prohibited and the finding names the delivered red line."""
    counties = load_constraints().measured("counties").set_index("adcode")
    centre = counties.loc["511523"].geometry.representative_point()
    gpd.GeoDataFrame({"HXMC": ["只有名称的红线"]}, geometry=[centre.buffer(1000)], crs=MEASURE_CRS).to_file(
        tmp_path / "红线.shp", engine="pyogrio", encoding="utf-8"
    )
    results, _ = import_source(
        "redline", tmp_path / "红线.shp", tmp_path / "set.gpkg", coverage="江安县", constants={"accuracy_m": 2}
    )
    assert any("block_id ← row number" in line for line in results[0].report)
    assert validate(tmp_path / "set.gpkg") == []
    site = gpd.GeoDataFrame(
        {"name": ["红线内"], "kind": "industrial_park", "industry": "electronics"},
        geometry=[centre.buffer(100)],
        crs=MEASURE_CRS,
    )
    result = chuannan_gis.check(site, constraints=tmp_path / "set.gpkg")
    assert result.proposals["verdict"].iloc[0] == "prohibited"
    assert result.findings["message_zh"].str.contains("只有名称的红线").any()


class _Spy:
    """Counts the calls of one function however a module imported it: every module of the
    package, pyogrio and geopandas holding that function object gets a counting wrapper."""

    def __init__(self, monkeypatch, function, record=None):
        import sys

        self.calls = []

        def counting(*args, **kwargs):
            self.calls.append(record(*args, **kwargs) if record else None)
            return function(*args, **kwargs)

        for name, module in list(sys.modules.items()):
            if module is None or not name.startswith(("chuannan_gis", "pyogrio", "geopandas")):
                continue
            for attribute, value in list(vars(module).items()):
                if value is function:
                    monkeypatch.setattr(module, attribute, counting)


def test_one_dltb_import_loads_the_bundled_set_once(bureau, tmp_path, monkeypatch):
    """`layers import --template dltb` of one layer: the bundled set is loaded and read once and
    handed to the river matching, the coverage and the validation; each layer is validated once
    as read and once more where the import overlays it; no EPSG:4490 frame is reprojected to 4490.
    Before: 3 loads, 6 set reads (4 of the bundled set, 40 reads of its GeoPackage), 29 layer
    validations, 31 reprojections from EPSG:4490 to 4490."""
    import geopandas.geoseries

    import chuannan_gis.cli.layers
    import chuannan_gis.layers.load as load
    import chuannan_gis.layers.report
    import chuannan_gis.layers.validation as validate_module

    bundled = str(chuannan_gis.layers.bundled_path())
    layers = sorted(load_constraints().layers)
    loads = _Spy(monkeypatch, load.load_constraints)
    set_reads = _Spy(monkeypatch, load._read_source, lambda path, *a, **k: str(path))
    bundled_reads = _Spy(monkeypatch, pyogrio.read_dataframe, lambda path, *a, **k: str(path) == bundled)
    validations = _Spy(monkeypatch, validate_module.validate_layer, lambda gdf, name, file: name)
    same_crs = []
    to_crs = geopandas.geoseries.GeoSeries.to_crs

    def counted_to_crs(self, crs=None, epsg=None):
        target = pyproj.CRS.from_user_input(crs if crs is not None else epsg)
        if self.crs is not None and self.crs.equals(target) and len(self):
            same_crs.append(self.crs.to_string())
        return to_crs(self, crs=crs, epsg=epsg)

    import pyproj

    monkeypatch.setattr(geopandas.geoseries.GeoSeries, "to_crs", counted_to_crs)
    out = tmp_path / "water.gpkg"
    argv = ["layers", "import", "--template", "dltb", str(bureau["gdb"]), "--layer", "DLTB", "-o", str(out)]
    done = CliRunner().invoke(main, [*argv, "--constant", "scale=1:10000"])
    assert done.exit_code == 0, done.output
    assert "wrote" in done.output and "(valid)" in done.output
    counts = {
        "loads": len(loads.calls),
        "set reads": len(set_reads.calls),
        "bundled set reads": set_reads.calls.count(bundled),
        "bundled layer reads": sum(bundled_reads.calls),
        "validations": len(validations.calls),
        "4490 to 4490": len(same_crs),
    }
    # one load, the bundled set and the written set each read once (each bundled layer and its
    # layer_metadata once), the nine bundled layers validated as read, the imported water as read
    # and once more overlaid, and data_gaps once clipped to outside the water's coverage
    expected = {
        "loads": 1,
        "set reads": 2,
        "bundled set reads": 1,
        "bundled layer reads": len(layers) + 1,
        "validations": len(layers) + 3,
        "4490 to 4490": 0,
    }
    assert counts == expected
    assert sorted(validations.calls) == sorted([*layers, "water", "water", "data_gaps"])


def test_the_set_answers_about_an_imported_layer_stored_as_the_loader_stores_it(imported):
    """An imported red line for 江安县 is stored with its coverage as an adcode (511523); the set
    answers about it by adcode, county name, city (only when wholly covered) and geometry."""
    constraints = load_constraints(imported["out"])
    assert constraints.layer_info("eco_redlines")["coverage"] == "511523"  # how the loader stores it
    assert constraints.coverage_adcodes("eco_redlines") == ("511523",)
    assert constraints.coverage_names("eco_redlines") == ("江安县 (511523)", "Jiang'an County (511523)")
    covered = constraints.covers_places(
        "eco_redlines", ["江安县", "511523", "翠屏区", "511502", "", ""], cities=["", "", "", "", "宜宾市", "泸州市"]
    )
    assert covered.tolist() == [True, True, False, False, False, False]  # 宜宾市 only in part
    assert constraints.covers_places("rivers", ["翠屏区"]).tolist() == [True]  # bundled: the whole region
    # the same answer by geometry: a point in 江安 and one in 翠屏区 (the county seat of 宜宾)
    counties = constraints.measured("counties").set_index("adcode")
    inside = counties.loc[["511523", "511502"]].geometry.representative_point().to_numpy()
    assert constraints.covers("eco_redlines", inside).tolist() == [True, False]
    zh, en = constraints.completeness("eco_redlines")
    assert en.startswith("As delivered by the bureau") and zh.startswith("按主管部门交付")
    assert constraints.status("eco_redlines") == "mixed"  # official inside, the bundled indicative outside
    assert constraints.status("rivers") == "indicative"
    assert constraints.id_field("eco_redlines") == "block_id" and constraints.id_field("farmland") is None
    assert constraints.is_sparse("eco_redlines") and not constraints.is_sparse("water")
    assert constraints.title("eco_redlines") == ("生态保护红线", "Ecological protection red lines")


def test_sparse_layers_are_the_templates_that_require_a_coverage():
    """One source: LayerSpec.sparse; a template of a sparse layer requires --coverage (urban_boundary
    is sparse: the czkfbj template and docs/official-data.md say so); only a wall-to-wall source infers it."""
    from chuannan_gis.layers.coverage import SPARSE_LAYERS
    from chuannan_gis.layers.imports.core import load_templates
    from chuannan_gis.layers.schema import LAYERS

    assert "urban_boundary" in SPARSE_LAYERS
    assert set(SPARSE_LAYERS) == {name for name, spec in LAYERS.items() if spec.sparse}
    templates = load_templates()
    for template in templates.values():
        if LAYERS[template.target].sparse:
            assert template.coverage == "required", template.name
    assert {t.name for t in templates.values() if t.coverage == "infer"} == {"dltb"}
    with pytest.raises(LayerError, match="sparse"):
        from chuannan_gis.layers.imports.core import template_coverage

        template_coverage("urban_boundary", "infer")
