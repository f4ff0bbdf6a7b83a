"""The command line: exit codes, clean errors, field mapping, --fail-on, untouched inputs."""

import hashlib
from pathlib import Path

import geopandas as gpd
import pytest
from click.testing import CliRunner
from shapely import Point
from test_report import constraint_set, make_result

import chuannan_gis
from chuannan_gis import stream
from chuannan_gis.cli import main
from chuannan_gis.crs import MEASURE_CRS
from chuannan_gis.io import read_proposals
from chuannan_gis.report import render_report
from chuannan_gis.result import Result
from conftest import FREE_Y, YANGTZE_EDGE_X

CSV = "名称,类型,行业,经度,纬度\n泸州化工园,化工园区,化工,105.45,28.865\n白酒园,园区,白酒,105.46,28.866\n"


@pytest.fixture
def proposals_csv(tmp_path):
    path = tmp_path / "parks.csv"
    path.write_text(CSV, encoding="utf-8")
    return path


@pytest.fixture
def fake_engine(monkeypatch):
    """Replace the streamed check with one writing a hand-made Result with the given verdicts; record its calls."""
    calls = []

    class Written:
        """What the streamed check returns: counts, not_checked and the Result written."""

        def __init__(self, result):
            self.verdict_counts, self.not_checked = result.verdict_counts, result.not_checked
            self.result = lambda: result

    def install(verdicts=("prohibited", "clear")):
        def check_to_file(proposals, output, constraints=None, rules=None, *, progress=None, **options):
            read_options = {k: v for k, v in options.items() if k not in ("engine", "scheduler", "workers")}
            frame = read_proposals(proposals, **read_options)
            calls.append({"proposals": frame, "constraints": constraints, "rules": rules, **options})
            progress(1, 1)
            result = make_result(n=len(frame), verdicts=verdicts)
            result.write(output)
            return Written(result)

        monkeypatch.setattr(stream, "check_to_file", check_to_file)
        return calls

    return install


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_check_writes_outputs_prints_summary_and_leaves_input_alone(tmp_path, proposals_csv, fake_engine):
    calls = fake_engine(("review", "clear"))
    before = hashlib.sha256(proposals_csv.read_bytes()).hexdigest()
    out, report = tmp_path / "out" / "result.gpkg", tmp_path / "report.html"
    result = run("check", proposals_csv, "-o", out, "--report", report)
    assert result.exit_code == 0, result.output
    assert out.exists() and report.exists()
    assert "需审查 review" in result.output and "合计 total" in result.output
    assert hashlib.sha256(proposals_csv.read_bytes()).hexdigest() == before
    proposals = calls[0]["proposals"]
    assert proposals["kind"].tolist() == ["industrial_park", "industrial_park"]
    assert proposals.attrs["sha256"] == before


@pytest.mark.parametrize(
    "verdicts, fail_on, code",
    [
        (("review", "clear"), "prohibited", 0),
        (("review", "clear"), "restricted", 0),
        (("review", "clear"), "review", 1),
        (("prohibited", "clear"), "review", 1),
        (("unknown", "clear"), "review", 0),
        (("unknown", "clear"), "unknown", 1),
        (("clear", "clear"), "unknown", 0),
    ],
)
def test_fail_on_fails_on_that_verdict_or_worse(tmp_path, proposals_csv, fake_engine, verdicts, fail_on, code):
    fake_engine(verdicts)
    result = run("check", proposals_csv, "-o", tmp_path / "out.gpkg", "--fail-on", fail_on)
    assert result.exit_code == code, result.output
    assert (tmp_path / "out.gpkg").exists()  # the outputs are written either way


def test_fail_on_rejects_clear(tmp_path, proposals_csv):
    assert run("check", proposals_csv, "-o", tmp_path / "o.gpkg", "--fail-on", "clear").exit_code == 2


def test_field_mapping_and_passing_options_through(tmp_path, fake_engine):
    calls = fake_engine()
    path = tmp_path / "p.csv"
    path.write_text("项目,性质,门类,x,y\n甲,港口,物流,105.45,28.865\n", encoding="utf-8")
    rules, layers = tmp_path / "rules.yaml", tmp_path / "layers.gpkg"
    rules.write_text("rules: []\n", encoding="utf-8")
    layers.write_bytes(b"")
    result = run(
        "check",
        path,
        "-o",
        tmp_path / "o.gpkg",
        "--field",
        "name=项目",
        "--field",
        "kind=性质",
        "--field",
        "industry=门类",
        "--rules",
        rules,
        "--layers",
        layers,
    )
    assert result.exit_code == 0, result.output
    call = calls[0]
    assert call["proposals"].loc[0, ["name", "kind", "industry"]].tolist() == ["甲", "port", "logistics"]
    assert (call["rules"], call["constraints"]) == (str(rules), str(layers))


def test_key_project_field_option(tmp_path, fake_engine):
    calls = fake_engine()
    path = tmp_path / "p.csv"
    path.write_text(
        "name,kind,industry,级别,x,y\n甲,项目,道路,国家重点建设项目,105.45,28.865\n乙,项目,道路,,105.46,28.865\n",
        encoding="utf-8",
    )
    result = run("check", path, "-o", tmp_path / "o.gpkg", "--field", "key_project=级别")
    assert result.exit_code == 0, result.output
    assert calls[0]["proposals"]["key_project"].tolist() == ["national", ""]


def test_bad_field_option_is_a_usage_error(tmp_path, proposals_csv):
    result = run("check", proposals_csv, "-o", tmp_path / "o.gpkg", "--field", "kind")
    assert result.exit_code == 2 and "kind=类型" in result.output


def test_unknown_value_is_one_clean_line_naming_file_feature_field(tmp_path, fake_engine):
    fake_engine()
    path = tmp_path / "p.csv"
    path.write_text("name,kind,industry,lon,lat\n甲,园区,化工,105.4,28.9\n乙,园区,钢铁,105.5,28.9\n", encoding="utf-8")
    result = run("check", path, "-o", tmp_path / "o.gpkg")
    assert result.exit_code == 2
    assert isinstance(result.exception, SystemExit)  # a clean exit, not a traceback
    message = result.stderr.strip()
    assert message.count("\n") == 0 and message.startswith("错误 Error:")
    assert str(path) in message and "row 2 (乙)" in message and "field industry" in message and "钢铁" in message
    assert not (tmp_path / "o.gpkg").exists()


def test_crs_problem_exits_2(tmp_path, fake_engine):
    fake_engine()
    path = tmp_path / "p.csv"
    path.write_text("name,kind,industry,lon,lat\n甲,园区,化工,28.9,105.4\n", encoding="utf-8")
    result = run("check", path, "-o", tmp_path / "o.gpkg")
    assert result.exit_code == 2 and "swapped lon/lat" in result.stderr


def test_output_may_not_overwrite_the_input(tmp_path, fake_engine):
    fake_engine()
    path = tmp_path / "in.gpkg"
    gpd.GeoDataFrame(
        {"name": ["a"], "kind": ["port"], "industry": ["logistics"]}, geometry=[Point(105.45, 28.86)], crs=4490
    ).to_file(path)
    before = path.read_bytes()
    result = run("check", path, "-o", path)
    assert result.exit_code == 2 and "overwrite the input" in result.stderr
    assert path.read_bytes() == before


def test_input_datum_and_crs_options(tmp_path, fake_engine):
    calls = fake_engine()
    path = tmp_path / "p.csv"
    path.write_text("name,kind,industry,lon,lat\n甲,园区,化工,105.45,28.865\n", encoding="utf-8")
    assert run("check", path, "-o", tmp_path / "o.gpkg", "--input-datum", "gcj02").exit_code == 0
    moved = calls[0]["proposals"].geometry[0]
    assert 0.001 < moved.distance(Point(105.45, 28.865)) < 0.01
    path.write_text("name,kind,industry,x,y\n甲,园区,化工,543000,3195000\n", encoding="utf-8")
    assert run("check", path, "-o", tmp_path / "o.gpkg", "--crs", "EPSG:4544").exit_code == 0


def test_missing_input_is_a_usage_error(tmp_path):
    result = run("check", tmp_path / "nope.csv", "-o", tmp_path / "o.gpkg")
    assert result.exit_code == 2 and "nope.csv" in result.output


def test_verbosity_options_and_version():
    assert run("-v", "--help").exit_code == 0
    result = run("--version")
    assert result.exit_code == 0 and chuannan_gis.__version__ in result.output


def test_layers_validate_reports_problems_and_exits_2(tmp_path):
    good = tmp_path / "good.gpkg"
    bad = tmp_path / "bad.gpkg"
    constraint_set().layers["water"].to_file(good, layer="water")
    water = constraint_set().layers["water"].drop(columns=["river_class"])
    water.to_file(bad, layer="water")
    ok = run("layers", "validate", good)
    assert ok.exit_code == 0 and "valid" in ok.output
    failed = run("layers", "validate", bad)
    assert failed.exit_code == 2 and "river_class" in failed.stderr
    complete = run("layers", "validate", good, "--complete")
    assert complete.exit_code == 2 and "eco_redlines" in complete.stderr


def test_rules_list_and_show():
    listed = run("rules", "list")
    assert listed.exit_code == 0, listed.output
    assert "yrpl26_chemical_1km" in listed.output and "禁止 prohibited" in listed.output
    shown = run("rules", "show", "yrpl26_chemical_1km")
    assert shown.exit_code == 0 and "禁止在长江干支流岸线一公里范围内" in shown.output
    missing = run("rules", "show", "no_such_rule")
    assert missing.exit_code == 2 and "no_such_rule" in missing.stderr


def test_rules_list_and_show_the_derived_relation():
    listed = run("rules", "list").output.splitlines()
    companion = next(line for line in listed if line.startswith("yrpl26_chemical_1km_data_gap "))
    parent = next(line for line in listed if line.startswith("yrpl26_chemical_1km "))
    assert "← yrpl26_chemical_1km " in companion and "→ yrpl26_chemical_1km_data_gap" in parent
    shown = run("rules", "show", "yrpl26_chemical_1km_data_gap").output
    assert "derived_from: yrpl26_chemical_1km" in shown and "派生自 derived from: yrpl26_chemical_1km" in shown
    parent_shown = run("rules", "show", "yrpl26_chemical_1km").output
    assert "derived rules: yrpl26_chemical_1km_data_gap, yrpl26_chemical_1km_tributary_gap" in parent_shown
    assert "引文核实 citation: 已核实 verified 2026-12-01 · LawRefBook/Laws" in parent_shown
    assert "现行有效 in force" in parent_shown


def test_rules_show_prints_the_verification_or_says_unverified(tmp_path):
    unverified = run("rules", "show", "urban_boundary_outside").output
    assert "引文核实 citation: 引文未核实 quote unverified (checked) 2026-12-01" in unverified
    water = run("rules", "show", "water_source_first").output
    # issue 23: the 生态环境法典 is in force (2026-08-15); its article's wording is unverified
    assert "引文未核实 quote unverified (checked) 2026-12-08" in water and "现行有效 in force" in water
    assert "生态环境法典" in water
    # A planner's catalog without `verified` says unverified.
    catalog = Path(__file__).parent / "data" / "catalog_before_issue12.yaml"
    old = run("rules", "show", "farmland", "--rules", str(catalog)).output
    assert "引文核实 citation: 未核实 unverified" in old


def test_bad_rule_catalog_is_a_clean_error(tmp_path):
    rules = tmp_path / "rules.yaml"
    rules.write_text("rules:\n- id: x\n", encoding="utf-8")
    result = run("rules", "list", "--rules", rules)
    assert result.exit_code == 2 and str(rules) in result.stderr and "Traceback" not in result.output


@pytest.fixture
def small_constraints(monkeypatch):
    """The layers commands read this small set instead of the bundled one."""
    import chuannan_gis.layers

    constraints = constraint_set()
    monkeypatch.setattr(chuannan_gis.layers, "load_constraints", lambda path=None: constraints)
    return constraints


def test_layers_list_and_info(small_constraints):
    listed = run("layers", "list")
    assert listed.exit_code == 0, listed.output
    assert "water" in listed.output and "水面" in listed.output and "indicative" in listed.output
    assert "±200 m" in listed.output
    info = run("layers", "info", "water")
    assert info.exit_code == 0 and "river_class" in info.output and "features" in info.output
    missing = run("layers", "info", "farmland")
    assert missing.exit_code == 2 and "farmland" in missing.stderr


def test_layers_build_calls_the_builder_lazily(tmp_path, monkeypatch):
    import sys
    import types

    built = []
    monkeypatch.setitem(sys.modules, "chuannan_gis.layers.build", types.SimpleNamespace(build=built.append))
    result = run("layers", "build", "-o", tmp_path / "c.gpkg")
    assert result.exit_code == 0 and built == [str(tmp_path / "c.gpkg")]


# --- end to end, with the real engine and a small synthetic constraint set (tests/conftest.py) --------
@pytest.fixture
def synthetic_gpkg(tmp_path, constraints):
    path = tmp_path / "synthetic.gpkg"
    for name, layer in constraints.layers.items():
        layer.to_file(path, layer=name)
    return path


def lonlat_csv(path, rows):
    """A CSV of proposals placed by EPSG:4544 metres (the synthetic set's frame), written as lon/lat."""
    points = gpd.GeoSeries([Point(x, y) for _, _, _, x, y in rows], crs=MEASURE_CRS).to_crs(4490)
    lines = ["名称,类型,行业,经度,纬度"] + [
        f"{n},{k},{i},{p.x:.7f},{p.y:.7f}" for (n, k, i, _, _), p in zip(rows, points)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_end_to_end_check_with_report(tmp_path, synthetic_gpkg):
    source = lonlat_csv(
        tmp_path / "parks.csv",
        [
            ("江边化工园", "化工园区", "化工", YANGTZE_EDGE_X + 450, FREE_Y),
            ("白酒园", "园区", "白酒", 560_000, FREE_Y),
        ],
    )
    before = source.read_bytes()
    out, report = tmp_path / "result.gpkg", tmp_path / "report.html"
    result = run("check", source, "-o", out, "--report", report, "--layers", synthetic_gpkg)
    assert result.exit_code == 0, result.output
    assert source.read_bytes() == before
    saved = Result.read(out)
    verdicts = dict(zip(saved.proposals["name"], saved.proposals["verdict"]))
    assert verdicts["江边化工园"] == "prohibited" and verdicts["白酒园"] in ("clear", "review")
    assert saved.run_info["input_sha256"] == hashlib.sha256(before).hexdigest()
    assert saved.run_info["input_path"] == str(source)
    html = report.read_text("utf-8")
    assert "江边化工园" in html and "<svg" in html
    chemical = html.split("江边化工园")[1].split('class="proposal"')[0]
    assert "<path" in chemical  # the water feature of the finding is drawn beside the proposal
    assert "禁止 prohibited" in result.output

    failed = run("check", source, "-o", out, "--layers", synthetic_gpkg, "--fail-on", "prohibited")
    assert failed.exit_code == 1 and "--fail-on prohibited" in failed.stderr


def test_end_to_end_report_from_a_saved_result_reads_the_recorded_constraints(tmp_path, synthetic_gpkg):
    source = lonlat_csv(tmp_path / "parks.csv", [("江边化工园", "化工园区", "化工", YANGTZE_EDGE_X + 450, FREE_Y)])
    out = tmp_path / "result.gpkg"
    assert run("check", source, "-o", out, "--layers", synthetic_gpkg).exit_code == 0
    html = render_report(Result.read(out))
    assert "<path" in html.split("江边化工园")[1]


def test_end_to_end_bad_layers_or_rules_exit_2_naming_the_file(tmp_path, proposals_csv, constraints):
    bad_layers = tmp_path / "bad.gpkg"
    constraints.layers["water"].drop(columns=["river_class"]).to_file(bad_layers, layer="water")
    result = run("check", proposals_csv, "-o", tmp_path / "o.gpkg", "--layers", bad_layers)
    assert result.exit_code == 2 and str(bad_layers) in result.stderr and "river_class" in result.stderr
    bad_rules = tmp_path / "rules.yaml"
    bad_rules.write_text("rules:\n- id: x\n  verdict: forbidden\n", encoding="utf-8")
    result = run("check", proposals_csv, "-o", tmp_path / "o.gpkg", "--rules", bad_rules)
    assert result.exit_code == 2 and str(bad_rules) in result.stderr
    assert not (tmp_path / "o.gpkg").exists()


def test_quiet_prints_no_summary(tmp_path, proposals_csv, fake_engine):
    fake_engine()
    result = run("-q", "check", proposals_csv, "-o", tmp_path / "o.gpkg")
    assert result.exit_code == 0 and result.output == ""


def test_end_to_end_map_and_report_of_a_stored_result(tmp_path, synthetic_gpkg):
    source = lonlat_csv(tmp_path / "parks.csv", [("江边化工园", "化工园区", "化工", YANGTZE_EDGE_X + 450, FREE_Y)])
    out, web = tmp_path / "result.gpkg", tmp_path / "map.html"
    checked = run("check", source, "-o", out, "--layers", synthetic_gpkg, "--map", web, "--basemap", "none")
    assert checked.exit_code == 0, checked.output
    assert "江边化工园" in web.read_text("utf-8") and "地图 map" in checked.output

    report = tmp_path / "again.html"
    rendered = run("report", out, "-o", report, "--max-sections", 0)
    assert rendered.exit_code == 0, rendered.output
    html = report.read_text("utf-8")
    assert 'class="proposal"' not in html and "Remaining proposals" in html and "江边化工园" in html

    mapped = run("map", out, "-o", tmp_path / "again_map.html", "--basemap", "atlantis")
    assert mapped.exit_code == 2 and "atlantis" in mapped.stderr
    assert run("map", out, "-o", out).exit_code == 2  # never over the Result it reads


def test_map_and_check_overlay_a_screening_surface(tmp_path, synthetic_gpkg):
    surface = chuannan_gis.screen(
        "industrial_park", "化工", tmp_path / "chem.tif", resolution=1000.0, extent="江阳区", constraints=synthetic_gpkg
    ).path
    source = lonlat_csv(tmp_path / "parks.csv", [("江边化工园", "化工园区", "化工", YANGTZE_EDGE_X + 450, FREE_Y)])
    out, web = tmp_path / "result.gpkg", tmp_path / "map.html"
    checked = run(
        "check", source, "-o", out, "--layers", synthetic_gpkg, "--map", web, "--basemap", "none", "--screen", surface
    )
    assert checked.exit_code == 0, checked.output
    assert web.read_text("utf-8").count("chuannanWebmap.imageLayer(") == 1

    again = tmp_path / "again.html"
    mapped = run("map", out, "-o", again, "--screen", surface)
    assert mapped.exit_code == 0, mapped.output
    assert again.read_text("utf-8").count("chuannanWebmap.imageLayer(") == 1

    without_map = run("check", source, "-o", tmp_path / "o.gpkg", "--screen", surface)
    assert without_map.exit_code == 2 and "--screen needs --map" in without_map.output
    assert run("map", out, "-o", surface, "--screen", surface).exit_code == 2  # never over the surface


def test_map_with_a_raster_that_is_no_screening_surface_exits_2_naming_it(tmp_path, synthetic_gpkg):
    import numpy as np
    import rasterio
    from rasterio.transform import from_origin

    source = lonlat_csv(tmp_path / "parks.csv", [("江边化工园", "化工园区", "化工", YANGTZE_EDGE_X + 450, FREE_Y)])
    out = tmp_path / "result.gpkg"
    assert run("check", source, "-o", out, "--layers", synthetic_gpkg).exit_code == 0
    plain = tmp_path / "dem.tif"
    with rasterio.open(
        plain,
        "w",
        driver="GTiff",
        width=3,
        height=3,
        count=1,
        dtype="uint8",
        crs=MEASURE_CRS,
        transform=from_origin(500_000, 3_210_000, 1000, 1000),
    ) as dataset:
        dataset.write(np.zeros((1, 3, 3), dtype=np.uint8))
    mapped = run("map", out, "-o", tmp_path / "map.html", "--screen", plain)
    assert mapped.exit_code == 2 and str(plain) in mapped.stderr and "CHUANNAN_VERDICT_CODES" in mapped.stderr
    assert not (tmp_path / "map.html").exists()


def test_report_and_map_of_a_stored_result_use_the_checked_layers_from_any_folder(tmp_path, monkeypatch):
    """After `check --layers X` (a path relative to the folder it ran in), `report` and `map` of
    the stored Result draw X, not the bundled set, from another folder, and do not warn."""
    checked_in, elsewhere = tmp_path / "project", tmp_path / "elsewhere"
    checked_in.mkdir(), elsewhere.mkdir()
    redline = gpd.GeoDataFrame(
        {
            "block_id": ["PL-7"],
            "name_zh": ["规划者红线PLANNER-RL-7"],
            "redline_type": ["水源涵养"],
            "data_status": ["official"],
            "accuracy_m": [5.0],
            "source": ["县自然资源局 official"],
        },
        geometry=[Point(510_000, 3_162_000).buffer(2_000)],
        crs=MEASURE_CRS,
    )
    redline.to_file(checked_in / "planner.gpkg", layer="eco_redlines")
    lonlat_csv(checked_in / "parks.csv", [("红线内园区", "园区", "白酒", 510_000, 3_162_000)])
    monkeypatch.chdir(checked_in)
    assert run("check", "parks.csv", "-o", "result.gpkg", "--layers", "planner.gpkg").exit_code == 0
    stored = Result.read(checked_in / "result.gpkg")
    assert str(checked_in / "planner.gpkg") in stored.run_info.constraints_paths  # absolute
    assert stored.proposals["rule_ids"].item().startswith("redline")

    monkeypatch.chdir(elsewhere)
    mapped = run("map", checked_in / "result.gpkg", "-o", "map.html", "--basemap", "none")
    assert mapped.exit_code == 0, mapped.output
    page = (elsewhere / "map.html").read_text("utf-8")
    # the red line drawn is the planner's (its block id is in the layer's data, not in any finding)
    assert '"PL-7"' in page and "differ from those the check used" not in page
    assert "differ" not in mapped.output
    reported = run("report", checked_in / "result.gpkg", "-o", "report.html")
    assert reported.exit_code == 0, reported.output
    section = (elsewhere / "report.html").read_text("utf-8").split("红线内园区")[1]
    assert "<path" in section  # the planner's red line, as the finding names it, is drawn

    # --layers still chooses what the map draws, and the legend says it is not what the check used
    redline.assign(block_id="OTHER-9").to_file(elsewhere / "other.gpkg", layer="eco_redlines")
    mapped = run("map", checked_in / "result.gpkg", "-o", "other.html", "--basemap", "none", "--layers", "other.gpkg")
    other = (elsewhere / "other.html").read_text("utf-8")
    assert mapped.exit_code == 0 and '"OTHER-9"' in other and '"PL-7"' not in other
    assert "differ from those the check used" in other


def test_check_with_report_and_map_loads_the_constraints_and_rules_once(tmp_path, synthetic_gpkg, monkeypatch):
    import chuannan_gis.layers
    import chuannan_gis.rules

    # Each load_constraints ends by hashing its files, each load_rules by checking its ids, once:
    # counted there, the loads are counted however a module imported the loader.
    calls = {"constraints": 0, "rules": 0}

    def counted(name, step):
        def wrapper(*args, **kwargs):
            calls[name] += 1
            return step(*args, **kwargs)

        return wrapper

    monkeypatch.setattr(
        chuannan_gis.layers.load, "hash_files", counted("constraints", chuannan_gis.layers.load.hash_files)
    )
    # every load_rules call (the parse itself is cached per text, so a second load would parse nothing)
    monkeypatch.setattr(chuannan_gis.rules, "_parsed_catalog", counted("rules", chuannan_gis.rules._parsed_catalog))
    source = lonlat_csv(tmp_path / "parks.csv", [("江边化工园", "化工园区", "化工", YANGTZE_EDGE_X + 450, FREE_Y)])
    checked = run(
        "check",
        source,
        "-o",
        tmp_path / "r.gpkg",
        "--layers",
        synthetic_gpkg,
        "--report",
        tmp_path / "r.html",
        "--map",
        tmp_path / "m.html",
        "--basemap",
        "none",
    )
    assert checked.exit_code == 0, checked.output
    assert calls == {"constraints": 1, "rules": 1}
    assert "differ from those the check used" not in (tmp_path / "m.html").read_text("utf-8")


def test_dask_engine_without_its_libraries_is_one_clean_error_with_the_install_command(
    tmp_path, proposals_csv, monkeypatch
):
    import sys

    for name in [m for m in sys.modules if m == "chuannan_gis.scale" or m.startswith("chuannan_gis.scale.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "dask_geopandas", None)  # `import dask_geopandas` now raises ImportError
    monkeypatch.setitem(sys.modules, "dask", None)
    result = run("check", proposals_csv, "-o", tmp_path / "o.gpkg", "--engine", "dask")
    assert result.exit_code == 2
    assert 'pip install "chuannan-gis[scale]"' in result.stderr and "Traceback" not in result.output
    assert not (tmp_path / "o.gpkg").exists()
