"""The screening surface: the file it writes, and its agreement with the vector check.

The consistency tests sample 1,000 random cells of a surface of the bundled layers and check a
point proposal at each centre with :func:`chuannan_gis.check`: the verdicts must be equal, except
at cells within one cell diagonal of a threshold (docs/screening.md, "Consistency").
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pytest
import rasterio
import shapely
import yaml
from click.testing import CliRunner
from rasterio.enums import ColorInterp

import chuannan_gis
from chuannan_gis.cli import main
from chuannan_gis.crs import MEASURE_CRS
from chuannan_gis.decision import CERTAINTY_CODES
from chuannan_gis.rules import bundled_rules_path, load_rules
from chuannan_gis.screening import _extent_grid
from chuannan_gis.screening import fields as fields_module
from chuannan_gis.screening import plan as plan_module
from chuannan_gis.screening import surface as surface_module
from chuannan_gis.screening.codes import (
    OUTSIDE_REGION,
    certainty_codes,
    code_verdicts,
    read_certainty_table,
    read_code_tables,
)
from chuannan_gis.screening.plan import plan_rules, proposal_frame, region_centre
from chuannan_gis.screening.style import bundled_style_path, render_style
from chuannan_gis.screening.surface import evaluate_block
from chuannan_gis.verdicts import RANK
from conftest import FREE_Y, KM, YANGTZE_EDGE_X, frame

SAMPLES = 1000
SEED = 20240611


@dataclass
class Raster:
    nodata: int
    transform: object
    width: int
    tags: dict


def read_bands(path):
    """Band 1, band 2 and what the tests need of the file (read while it is open)."""
    with rasterio.open(path) as dataset:
        return (
            dataset.read(1),
            dataset.read(2),
            Raster(dataset.nodata, dataset.transform, dataset.width, dataset.tags()),
        )


def cell_verdicts(path, rows, cols) -> np.ndarray:
    band1, _, _ = read_bands(path)
    return code_verdicts()[band1[rows, cols]]


# --- consistency with the vector check, on the bundled layers -----------------------------------

CONSISTENCY_CASES = [
    # (kind, industry, status), resolution, extent
    (("industrial_park", "heavy_chemical", "new"), 100.0, None),
    (("project", "tailings_pond", "expansion"), 100.0, None),
    (("port", "general_cargo_port", "new"), 50.0, "江安县"),
    (("enterprise", "chemical", "existing"), 60.0, (104.4, 28.6, 105.0, 29.0)),
]


@pytest.fixture(scope="module")
def bundled():
    return chuannan_gis.load_constraints()


@pytest.mark.parametrize("proposal, resolution, extent", CONSISTENCY_CASES)
def test_raster_verdict_equals_vector_check_at_random_cell_centres(tmp_path, bundled, proposal, resolution, extent):
    kind, industry, status = proposal
    screening = chuannan_gis.screen(
        kind, industry, tmp_path / "s.tif", status=status, resolution=resolution, extent=extent, constraints=bundled
    )
    band1, _, dataset = read_bands(screening.path)
    rows, cols = np.nonzero(band1 != dataset.nodata)
    pick = np.random.default_rng(SEED).choice(len(rows), SAMPLES, replace=False)
    rows, cols = rows[pick], cols[pick]
    xs, ys = rasterio.transform.xy(dataset.transform, rows, cols)
    points = shapely.points(np.asarray(xs), np.asarray(ys))
    result = chuannan_gis.check(
        frame(
            [
                {"name": f"c{i}", "kind": kind, "industry": industry, "status": status, "geometry": p}
                for i, p in enumerate(points)
            ]
        ),
        constraints=bundled,
    )

    vector = result.proposals["verdict"].to_numpy()
    raster = code_verdicts()[band1[rows, cols]]
    excepted = near_a_threshold(points, kind, industry, status, bundled, screening.grid.diagonal)
    differing = np.flatnonzero((vector != raster) & ~excepted)
    assert not len(differing), pd.DataFrame(
        {
            "x": np.asarray(xs)[differing],
            "y": np.asarray(ys)[differing],
            "vector": vector[differing],
            "raster": raster[differing],
        }
    )
    assert excepted.mean() < 0.25  # the exception is a thin band, not most of the sample
    assert len(set(vector[~excepted])) >= 2  # the sample sees more than one verdict


def near_a_threshold(points, kind, industry, status, constraints, diagonal) -> np.ndarray:
    """Points within ``diagonal`` of a threshold of any rule that decides the surface.

    The thresholds of a feature: its boundary (inside/outside), the rule's distance, that distance
    plus the feature's accuracy, and for `outside` which feature is nearest.
    """
    plan = plan_rules(load_rules(), constraints, proposal_frame(kind, industry, status, region_centre(constraints)))
    near = np.zeros(len(points), dtype=bool)
    for planned in plan.rules:
        features = selected_features(constraints, planned.source)
        accuracy = np.nan_to_num(features["accuracy_m"].to_numpy(dtype=float))
        geoms = features.geometry.to_numpy()
        distance = np.stack([shapely.distance(points, g) for g in geoms]) if len(geoms) else np.empty((0, len(points)))
        for g, a, d in zip(geoms, accuracy, distance):
            near |= shapely.distance(points, g.boundary) <= diagonal
            for threshold in (planned.threshold, planned.threshold + a, a):
                near |= (threshold > 0) & (np.abs(d - threshold) <= diagonal)
        if planned.operation == "outside" and len(geoms) > 1:
            # which feature is nearest decides whose accuracy band applies
            order = np.argsort(distance, axis=0)
            first, second = np.take_along_axis(distance, order[:2], axis=0)
            near |= (first > 0) & (second - first <= diagonal) & (accuracy[order[0]] != accuracy[order[1]])
    return near


@pytest.mark.parametrize(
    "proposal, resolution",
    [
        (("industrial_park", "heavy_chemical", "new"), 100.0),
        (("port", "general_cargo_port", "new"), 50.0),
    ],
)
@pytest.mark.parametrize("source", ["block", "band 3"])
def test_cell_certainty_equals_the_vector_certainty_at_random_cell_centres(
    tmp_path, bundled, proposal, resolution, source
):
    """The surface's per-cell certainty — as evaluate_block gives it and as band 3 of the file holds
    it — is the check's, through the same decision core.

    Excepted as for the verdicts, and also within a cell diagonal of where certainty changes:
    the threshold less the accuracy, and the accuracy's depth inside a feature.
    """
    kind, industry, status = proposal
    plan = plan_rules(load_rules(), bundled, proposal_frame(kind, industry, status, region_centre(bundled)))
    grid, county = _extent_grid("江安县", bundled.measured("counties"), resolution)
    margin = math.ceil((plan.reach(bundled) + grid.diagonal) / grid.resolution)
    block = evaluate_block(plan, bundled, grid.block(next(grid.windows(1 << 20)), margin), with_certainty=True)
    codes = block.certainty
    if source == "band 3":
        screening = chuannan_gis.screen(
            kind,
            industry,
            tmp_path / "s.tif",
            status=status,
            resolution=resolution,
            extent="江安县",
            constraints=bundled,
        )
        with rasterio.open(screening.path) as dataset:
            assert screening.grid.transform == grid.transform
            codes = dataset.read(3)
            assert read_certainty_table(dataset.tags()) == certainty_codes()
    rows, cols = np.nonzero(block.county == county)
    pick = np.random.default_rng(SEED).choice(len(rows), SAMPLES // 2, replace=False)
    rows, cols = rows[pick], cols[pick]
    xs, ys = rasterio.transform.xy(grid.transform, rows, cols)
    points = shapely.points(np.asarray(xs), np.asarray(ys))
    result = chuannan_gis.check(
        frame(
            [
                {"name": f"c{i}", "kind": kind, "industry": industry, "status": status, "geometry": p}
                for i, p in enumerate(points)
            ]
        ),
        constraints=bundled,
    )

    labels = {code: label for label, code in CERTAINTY_CODES.items()}
    raster = np.array([labels[c] for c in codes[rows, cols]], dtype=object)
    vector = result.proposals["certainty"].to_numpy().astype(object)
    excepted = near_a_threshold(points, kind, industry, status, bundled, grid.diagonal)
    for planned in plan.rules:
        features = selected_features(bundled, planned.source)
        for g, a in zip(features.geometry.to_numpy(), np.nan_to_num(features["accuracy_m"].to_numpy(dtype=float))):
            distance = shapely.distance(points, g)
            shift = planned.threshold - a
            excepted |= (shift > 0) & (np.abs(distance - shift) <= grid.diagonal)
            excepted |= (distance == 0) & (np.abs(shapely.distance(points, g.boundary) - a) <= grid.diagonal)
    differing = np.flatnonzero((vector != raster) & ~excepted)
    assert not len(differing), pd.DataFrame(
        {
            "x": np.asarray(xs)[differing],
            "y": np.asarray(ys)[differing],
            "vector": vector[differing],
            "raster": raster[differing],
        }
    )
    assert excepted.mean() < 0.3
    assert {"certain", "within_accuracy"} <= set(vector[~excepted])  # the sample sees both sides


def selected_features(constraints, source):
    layer, filter_key = source
    features = constraints.measured(layer)
    for field, values in filter_key:
        features = features[features[field].isin(values)]
    return features


# --- the file --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def region_surface(tmp_path_factory, bundled):
    path = tmp_path_factory.mktemp("surface") / "heavy.tif"
    return chuannan_gis.screen("industrial_park", "重化工", path, resolution=200.0, constraints=bundled)


def test_surface_is_a_tiled_compressed_cog_in_epsg4544_with_overviews(region_surface):
    with rasterio.open(region_surface.path) as dataset:
        assert dataset.crs.to_epsg() == 4544
        assert dataset.count == 3 and dataset.nodata is not None
        assert dataset.tags(ns="IMAGE_STRUCTURE")["LAYOUT"] == "COG"
        assert dataset.compression is not None and dataset.block_shapes[0] == (512, 512)
        assert dataset.overviews(1) and dataset.overviews(2) and dataset.overviews(3)
        # bands 2 and 3 are no alpha
        assert dataset.colorinterp == (ColorInterp.gray, ColorInterp.undefined, ColorInterp.undefined)
        assert dataset.descriptions == ("verdict 结论", "deciding rule 决定规则", "certainty 确定性")
    rio_cogeo = pytest.importorskip("rio_cogeo.cogeo")
    valid, errors, _ = rio_cogeo.cog_validate(region_surface.path)
    assert valid, errors


def test_code_tables_in_the_file_decode_both_bands(region_surface):
    band1, band2, dataset = read_bands(region_surface.path)
    verdict_table, rule_table = read_code_tables(dataset.tags)
    catalog = load_rules()
    assert {entry["verdict"] for entry in verdict_table.values()} == set(RANK)
    assert verdict_table[OUTSIDE_REGION]["verdict"] == "unknown"
    assert [rule_table[i + 1]["rule_id"] for i in range(len(catalog))] == [r.id for r in catalog]
    present = set(np.unique(band1[band1 != dataset.nodata]).tolist())
    assert present <= set(verdict_table) and OUTSIDE_REGION in present and RANK["prohibited"] in present
    used = set(np.unique(band2[band2 != dataset.nodata]).tolist()) - {0}
    assert {rule_table[code]["rule_id"] for code in used} <= set(region_surface.rules)
    assert dataset.tags["CHUANNAN_INDUSTRY"] == "heavy_chemical"  # the alias 重化工, normalised


def test_certainty_band_is_empty_where_clear_and_set_where_a_rule_fired_in_the_region(region_surface):
    band1 = read_bands(region_surface.path)[0]
    with rasterio.open(region_surface.path) as dataset:
        band3, nodata = dataset.read(3), dataset.nodata
        table = read_certainty_table(dataset.tags())
    assert table[2] == {"certainty": "within_accuracy", "zh": "数据精度内", "en": "within accuracy"}
    assert np.array_equal(band3 == nodata, band1 == nodata)
    assert (band3[band1 == RANK["clear"]] == 0).all()
    # outside the region: the certainty of region_outside, as the check gives a point there
    assert set(np.unique(band3[band1 == OUTSIDE_REGION]).tolist()) <= {
        CERTAINTY_CODES["certain"],
        CERTAINTY_CODES["within_accuracy"],
    }
    fired = (band1 != nodata) & (band1 > RANK["clear"]) & (band1 != RANK["unknown"])
    assert (band3[fired] > 0).all()
    assert {CERTAINTY_CODES["certain"], CERTAINTY_CODES["within_accuracy"]} <= set(np.unique(band3[fired]).tolist())


def test_every_fired_rule_code_agrees_with_the_verdict(region_surface):
    band1, band2, dataset = read_bands(region_surface.path)
    data = band1 != dataset.nodata
    clear = data & (band1 == RANK["clear"])
    assert (band2[clear] == 0).all()
    assert (band2[data & ~clear] > 0).all()


def test_area_table_sums_to_the_region_and_is_written_as_csv(region_surface):
    areas = pd.read_csv(region_surface.areas_path, encoding="utf-8-sig")
    counties = areas[areas["level"] == "county"]
    assert len(counties) == 28
    assert set(areas.loc[areas["level"] == "district", "name"]) == {"内自都市区", "宜宾都市区", "泸州都市区"}
    total = areas.loc[areas["level"] == "total", "total_km2"].item()
    assert total == pytest.approx(counties["total_km2"].sum(), abs=0.005 * len(counties))  # each rounded
    assert 34_000 < total < 36_500  # 川南经济区 is about 35,000 km²
    text = region_surface.areas_path.read_text("utf-8-sig")
    assert not re.search(r"\d\.\d{3,}", text), "areas rounded to 0.01 km²"


def test_style_is_generated_from_the_verdict_colours(region_surface):
    assert bundled_style_path().read_text(encoding="utf-8") == render_style()
    assert region_surface.style_path.read_text(encoding="utf-8") == render_style()
    for code, verdict in chuannan_gis.verdicts.VERDICTS.items():
        assert f'value="{RANK[code]}" color="{verdict.colour}"' in render_style()


# --- windows, extents and rules the raster cannot express, on the synthetic set ------------------


def test_distance_transform_is_scipys_euclidean_one():
    edt = pytest.importorskip("edt")
    ndimage = pytest.importorskip("scipy.ndimage")
    mask = np.random.default_rng(SEED).random((300, 200)) > 0.002
    assert np.allclose(
        edt.edt(mask, anisotropy=(30.0, 30.0), black_border=False),
        ndimage.distance_transform_edt(mask, sampling=30.0),
        atol=1e-3,
    )


@pytest.mark.parametrize(
    "layers, options",
    [
        ("synthetic", {"resolution": 100.0, "extent": (104.6, 28.7, 105.4, 29.2), "window": 64}),
        # small windows whose margins hold features that lie wholly outside the window's core
        ("bundled", {"resolution": 250.0, "extent": "江安县", "window": 24}),
    ],
)
def test_windowed_surface_equals_one_window(tmp_path, constraints, bundled, layers, options):
    options = {**options, "constraints": constraints if layers == "synthetic" else bundled}
    whole = chuannan_gis.screen("industrial_park", "chemical", tmp_path / "one.tif", **{**options, "window": 4096})
    windowed = chuannan_gis.screen("industrial_park", "chemical", tmp_path / "many.tif", **options)
    with rasterio.open(whole.path) as one, rasterio.open(windowed.path) as many:
        assert one.count == many.count == 3
        assert np.array_equal(one.read(), many.read())
        assert len(np.unique(one.read(1))) >= 3  # not a uniform surface


# --- the fields' shortcuts give what the plain way gives ------------------------------------------


@pytest.fixture(scope="module")
def heavy_chemical_jiangan(bundled):
    """The plan of a new heavy-chemical park and the one block of 江安县 at 200 m (on the Yangtze)."""
    plan = plan_rules(
        load_rules(), bundled, proposal_frame("industrial_park", "heavy_chemical", "new", region_centre(bundled))
    )
    grid, _ = _extent_grid("江安县", bundled.measured("counties"), 200.0)
    margin = math.ceil((plan.reach(bundled) + grid.diagonal) / grid.resolution)
    return plan, grid.block(next(grid.windows(1 << 20)), margin)


def assert_same_bands(one, other):
    for band in ("verdict", "rule", "certainty", "county"):
        assert np.array_equal(getattr(one, band), getattr(other, band)), band


def test_a_field_shared_by_filters_selecting_the_same_rivers_gives_their_own_bands(
    bundled, heavy_chemical_jiangan, monkeypatch
):
    """Two water rules select the same rivers by different classes; one field serves both, and the
    bands are those of one field per filter."""
    plan, block = heavy_chemical_jiangan
    shared = [reading for reading in plan.fields(bundled) if len({r.source for r in reading.rules}) > 1]
    assert any(reading.source[0] == "water" for reading in shared)
    together = evaluate_block(plan, bundled, block, with_certainty=True)
    one_per_filter = [
        plan_module.FieldReading(source, plan.threshold(source), tuple(r for r in plan.rules if r.source == source))
        for source in plan.sources()
    ]
    monkeypatch.setattr(plan_module.ScreeningPlan, "fields", lambda self, constraints: one_per_filter)
    assert_same_bands(together, evaluate_block(plan, bundled, block, with_certainty=True))
    # the shared field decides cells: the rivers' rules name some (band 2)
    river_codes = {r.code for reading in shared for r in reading.rules}
    assert river_codes & set(np.unique(together.rule).tolist())


def test_deciding_the_listed_cells_and_two_shared_ones_gives_the_bands_of_deciding_every_cell(
    bundled, heavy_chemical_jiangan, monkeypatch
):
    """A field lists the cells its features can change; the interior and the background each
    stand for many cells.  Listing every cell of every field gives the same bands."""
    plan, block = heavy_chemical_jiangan
    made = []

    def recording(*args, **kwargs):
        made.append(fields_module.block_field(*args, **kwargs))
        return made[-1]

    monkeypatch.setattr(surface_module, "block_field", recording)
    shortcut = evaluate_block(plan, bundled, block, with_certainty=True)
    listed = [f for f in made if not isinstance(f.cells, slice)]
    assert any(f.interior is not None for f in listed)  # the counties' inside, for one
    assert any(0 < len(f.cells) < f.size / 4 for f in listed)  # the cells near a river, not the block
    monkeypatch.setattr(fields_module, "DENSE_SHARE", 0.0)
    made.clear()
    every_cell = evaluate_block(plan, bundled, block, with_certainty=True)
    assert all(isinstance(f.cells, slice) for f in made)
    assert_same_bands(shortcut, every_cell)


def test_near_threshold_band_on_known_distances(tmp_path, constraints):
    """Yangtze edge at x = 500 km, ±50 m: 1 km → prohibited, 1 km + 50 m → review, beyond → clear."""
    bbox = _lonlat_box(YANGTZE_EDGE_X + 500, FREE_Y - 2 * KM, YANGTZE_EDGE_X + 1600, FREE_Y + 2 * KM)
    screening = chuannan_gis.screen(
        "industrial_park", "chemical", tmp_path / "s.tif", resolution=10.0, extent=bbox, constraints=constraints
    )
    band1, band2, dataset = read_bands(screening.path)
    xs, _ = rasterio.transform.xy(dataset.transform, np.zeros(dataset.width, int), np.arange(dataset.width))
    distance = np.asarray(xs) - YANGTZE_EDGE_X
    verdicts = code_verdicts()[band1[0]]
    diagonal = screening.grid.diagonal
    assert (verdicts[distance < 1000 - diagonal] == "prohibited").all()
    assert (verdicts[(distance > 1000 + diagonal) & (distance < 1050 - diagonal)] == "review").all()
    assert (verdicts[distance > 1050 + diagonal] == "clear").all()
    _, rule_table = read_code_tables(dataset.tags)
    assert rule_table[int(band2[0, 0])]["rule_id"] == "yrpl26_chemical_1km"


def _lonlat_box(xmin, ymin, xmax, ymax):
    from pyproj import Transformer

    back = Transformer.from_crs(MEASURE_CRS, "EPSG:4490", always_xy=True)
    return back.transform_bounds(xmin, ymin, xmax, ymax)


def test_county_extent_masks_other_counties_as_nodata(tmp_path, constraints):
    screening = chuannan_gis.screen(
        "port", "general_cargo_port", tmp_path / "s.tif", resolution=500.0, extent="沿滩区", constraints=constraints
    )
    assert list(screening.areas.loc[screening.areas["level"] == "county", "name"]) == ["沿滩区"]
    assert screening.areas["total_km2"].iloc[0] == pytest.approx(40 * 100, rel=0.02)  # 40 km × 100 km


def test_missing_required_layer_makes_the_surface_unknown(tmp_path, make_constraints):
    constraints = make_constraints(eco_redlines=None)
    screening = chuannan_gis.screen(
        "industrial_park", "electronics", tmp_path / "s.tif", resolution=1000.0, constraints=constraints
    )
    band1, band2, dataset = read_bands(screening.path)
    _, rule_table = read_code_tables(dataset.tags)
    unknown = band1 == RANK["unknown"]
    assert "clear" not in set(code_verdicts()[band1].ravel())  # nowhere can the missing red lines be ruled out
    assert unknown.any()
    assert {rule_table[c]["rule_id"] for c in np.unique(band2[unknown])} == {"redline_production"}


def test_an_optional_layer_supplied_enters_the_surface(tmp_path, make_constraints):
    farmland = frame([{"accuracy_m": 0.0, "geometry": shapely.box(505 * KM, 3205 * KM, 507 * KM, 3207 * KM)}])
    bbox = _lonlat_box(504 * KM, 3204 * KM, 508 * KM, 3208 * KM)
    without = chuannan_gis.screen(
        "industrial_park",
        "electronics",
        tmp_path / "a.tif",
        resolution=100.0,
        extent=bbox,
        constraints=make_constraints(),
    )
    with_farmland = chuannan_gis.screen(
        "industrial_park",
        "electronics",
        tmp_path / "b.tif",
        resolution=100.0,
        extent=bbox,
        constraints=make_constraints(farmland=farmland),
    )
    assert "farmland" in {r["rule_id"] for r in without.not_checked} and "farmland" not in without.rules
    assert "farmland" in with_farmland.rules
    band1, _, _ = read_bands(with_farmland.path)
    assert (band1 == RANK["prohibited"]).sum() == pytest.approx(20 * 20, abs=2 * 20)  # 2 km × 2 km at 100 m


def test_a_rule_the_raster_cannot_express_is_reported_not_skipped(tmp_path, constraints, monkeypatch):
    monkeypatch.delitem(plan_module.RASTER_PREDICATES, "dwithin")
    screening = chuannan_gis.screen(
        "industrial_park", "chemical", tmp_path / "s.tif", resolution=2000.0, constraints=constraints
    )
    # The rules derived from yrpl26_chemical_1km measure its distance too (dwithin), so they go with it.
    derived = {"yrpl26_chemical_1km", "yrpl26_chemical_1km_data_gap", "yrpl26_chemical_1km_tributary_gap"}
    assert {r["rule_id"] for r in screening.unexpressed} == derived
    with rasterio.open(screening.path) as dataset:
        assert set(dataset.tags()["CHUANNAN_UNEXPRESSED"].split(",")) == derived


def test_rules_come_from_the_catalog_passed(tmp_path, constraints):
    raw = yaml.safe_load(bundled_rules_path().read_text(encoding="utf-8"))
    for rule in raw["rules"]:
        if rule["id"] == "yrpl26_chemical_1km":
            rule["condition"]["distance_m"] = 3000
    path = tmp_path / "rules.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    bbox = _lonlat_box(YANGTZE_EDGE_X + 2000, FREE_Y, YANGTZE_EDGE_X + 2500, FREE_Y + 500)
    screening = chuannan_gis.screen(
        "industrial_park",
        "chemical",
        tmp_path / "s.tif",
        resolution=50.0,
        extent=bbox,
        constraints=constraints,
        rules=path,
    )
    assert set(cell_verdicts(screening.path, *np.nonzero(np.ones((2, 2), bool)))) == {"prohibited"}


def test_bad_extent_and_resolution_are_clean_errors(tmp_path, constraints):
    with pytest.raises(ValueError, match="no county"):
        chuannan_gis.screen("port", "logistics", tmp_path / "s.tif", extent="火星县", constraints=constraints)
    with pytest.raises(ValueError, match="resolution"):
        chuannan_gis.screen("port", "logistics", tmp_path / "s.tif", resolution=0, constraints=constraints)
    with pytest.raises(ValueError, match="industry"):
        chuannan_gis.screen("port", "no_such_industry", tmp_path / "s.tif", constraints=constraints)


def test_cli_screen_writes_the_raster_and_prints_the_area_table(tmp_path):
    out = tmp_path / "jiangan.tif"
    result = CliRunner().invoke(
        main,
        [
            "screen",
            "--kind",
            "industrial_park",
            "--industry",
            "heavy_chemical",
            "--resolution",
            "250",
            "--county",
            "江安县",
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "江安县" in result.output and "宜宾都市区" in result.output and "禁止 prohibited" in result.output
    assert out.exists() and out.with_suffix(".csv").exists() and out.with_suffix(".qml").exists()


def test_cli_screen_refuses_county_and_bbox_together(tmp_path):
    result = CliRunner().invoke(
        main,
        [
            "screen",
            "--kind",
            "port",
            "--industry",
            "logistics",
            "--county",
            "江安县",
            "--bbox",
            "104,28,105,29",
            "-o",
            str(tmp_path / "s.tif"),
        ],
    )
    assert result.exit_code == 2 and "--bbox" in result.output
