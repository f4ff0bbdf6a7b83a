"""The whole commands, file to file: a GeoPackage in, a GeoPackage out, each in a process of its own.

For the proposals file and for each parcels file, in this order and in the same run:

- the **I/O floor** (``benchmarks/io_floor.py``): read, reproject to the measuring CRS and back, write;
- for the proposals, the **naive script** (``benchmarks/naive_script.py``): what a planner would write
  with geopandas in an afternoon;
- ``chuannan-gis check INPUT -o result.gpkg --workers 1`` (the default engine in one process);
- ``chuannan-gis check INPUT -o result.gpkg`` with the default engine (worker processes, one per core as
  memory allows), then with ``--engine dask``.

Each is timed by the wall clock from its start to its end, interpreter start-up, imports, loading the
layers, reading and writing included, and by its CPU seconds (user + system, its worker processes'
included), with its peak memory sampled and the rows it wrote counted per table (proposals, findings,
overlaps); the table at the end gives each one's time over its floor and the naive script's time over
its own (benchmarks/README.md, "Ratios").  Nothing fails for being slow.  What is asserted: every way of
running the check writes the same tables; the check's ``overlaps`` table measures the red lines' area
in each proposal as geopandas does; and the naive script agrees with the engine on every rule it
implements, as far as it truly can (below).
"""

from __future__ import annotations

import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely
from bench_support import cached, load_average, record_command, rows_written, run_command

import chuannan_gis.crs
from chuannan_gis.layers import bundled_path
from chuannan_gis.result import Result

HERE = Path(__file__).parent
ENGINES = ("default", "dask")
# Every way of running the check, which must all write the same Result.
CHECKS = ("one-process", *ENGINES)
# rule id → how the naive script's firing compares with the engine's findings of that rule:
#   "definite": it fires exactly where the engine fires on the data, not only within the accuracy band
#               (`near`); a buffer's arcs are chords inside the true distance, so a distance rule may
#               miss a proposal within BUFFER_CHORD_M of its threshold;
#   "all":      an `outside` rule: it fires exactly where the engine fires, band included (the engine's
#               near finding of an `outside` rule is a miss within the accuracy, the script's a miss);
#   "covers":   a port judged by the zone holding most of it on its bank in the engine, by every zone it
#               touches in the script: the script fires wherever the engine fires on the data, and more.
NAIVE_RULES = {
    "region_outside": "all",
    "redline_production": "definite",
    "redline_key_project": "definite",
    "redline_limited_activity": "definite",
    "redline_existing": "definite",
    "reserve_core_buffer": "definite",
    "reserve_unzoned": "definite",
    "reserve_other_zone": "definite",
    "reserve_zoning_unknown": "definite",
    "reserve_existing": "definite",
    "c24_heavy_chemical_park_1km": "definite",
    "c24_petro_coal_chemical": "definite",
    "c24_chemical_enterprise_1km": "definite",
    "c24_hazardous_chemical_port": "definite",
    "yrpl26_chemical_1km": "definite",
    "yrpl26_tailings_mainstream_3km": "definite",
    "yrpl26_tailings_tributary_1km": "definite",
    "port_shoreline_protected": "covers",
    "port_shoreline_existing": "covers",
    "port_shoreline_controlled": "covers",
    "port_shoreline_unzoned": "all",
    "port_outside_port_plan": "all",
}
# The most a 1 km or 3 km buffer (16 segments a quarter circle) falls short of the distance: r(1 − cos(π/64)).
BUFFER_CHORD_M = 4.0
# The distance rules whose finding measures the distance to the water the script measures (all big rivers).
BIG_RIVER_RULES = ("c24_heavy_chemical_park_1km", "c24_chemical_enterprise_1km", "yrpl26_chemical_1km")


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> dict:
    """Output path of each run, by (input file, run); the runs fill it, the agreement tests read it."""
    return {"dir": tmp_path_factory.mktemp("file-to-file")}


def command(run: str, source: Path, target: Path) -> list[str]:
    if run == "floor":
        return [sys.executable, str(HERE / "io_floor.py"), str(source), str(target)]
    if run == "naive":
        return [sys.executable, str(HERE / "naive_script.py"), str(source), str(target)]
    engine = {"default": [], "one-process": ["--workers", "1"]}.get(run, ["--engine", run])
    return [sys.executable, "-m", "chuannan_gis.cli", "-q", "check", str(source), "-o", str(target), *engine]


NAMES = {
    "floor": "I/O floor: read + reproject + write",
    "naive": "naive script (geopandas sjoin), file to file",
    "default": "check (default engine), file to file",
    "one-process": "check --workers 1 (default engine in one process), file to file",
    "dask": "check --engine dask, file to file",
}


def file_to_file(benchmark, figures, written, run: str, source: Path, count: int, what: str) -> Path:
    """Run one command on ``source`` under pytest-benchmark; record its figures; return what it wrote."""
    target = written["dir"] / f"{source.stem}-{run}.gpkg"
    target.unlink(missing_ok=True)
    load = load_average()
    ran = benchmark.pedantic(run_command, args=(command(run, source, target),), rounds=1, iterations=1)
    role = run if run in ("floor", "naive") else "run"
    name = f"{what}, {NAMES[run]} ({count:,})"
    rows = rows_written(target)
    record_command(figures, name, ran, count, data=source, what=what, load_start=load, role=role, rows=rows)
    written[source, run] = target
    assert rows["proposals"] == count
    if run in CHECKS:  # the 压占分析 in the same pass: the synthetic sites overlap the bundled zones
        assert rows["findings"] > 0 and rows["overlaps"] > 0, rows
    return target


# --- 100,000 proposals: floor, naive script, default engine in one process and with workers, dask ------


@pytest.mark.parametrize("run", ["floor", "naive", *CHECKS])
def test_proposals_file_to_file(benchmark, figures, written, size, proposals_file, run):
    file_to_file(benchmark, figures, written, run, proposals_file, size["proposals"], "proposals")


def test_the_floor_measures_in_the_measuring_crs():
    import io_floor

    assert io_floor.MEASURE_CRS == chuannan_gis.crs.MEASURE_CRS


def test_engines_write_the_same_result(written, proposals_file):
    """The default engine in one process, with workers, and the dask engine write the same proposals,
    findings, not_checked and overlaps, file to file."""
    default = Result.read(written[proposals_file, "default"])
    for run in ("one-process", "dask"):
        other = Result.read(written[proposals_file, run])
        pd.testing.assert_frame_equal(pd.DataFrame(other.proposals), pd.DataFrame(default.proposals), obj=run)
        for table in ("findings", "not_checked", "overlaps"):
            pd.testing.assert_frame_equal(getattr(other, table), getattr(default, table), obj=f"{run} {table}")


def test_overlaps_measure_the_red_lines(written, proposals_file):
    """The check's ``overlaps`` rows for the ecological red lines are the proposals geopandas finds
    intersecting them, one row per red-line type, with the area of the proposal inside that type's
    red lines as shapely measures it and its share of the proposal (docs/SCHEMA.md, ``overlaps``)."""
    overlaps = Result.read(written[proposals_file, "default"]).overlaps
    redline = overlaps[overlaps["layer"] == "eco_redlines"]
    sites = gpd.read_file(proposals_file, use_arrow=True).to_crs(chuannan_gis.crs.MEASURE_CRS).geometry
    redlines = gpd.read_file(bundled_path(), layer="eco_redlines").to_crs(chuannan_gis.crs.MEASURE_CRS)
    assert len(redline) > 0
    for redline_type, rows in redline.groupby("class_value"):
        zone = redlines.loc[redlines["redline_type"] == redline_type].union_all()
        touching = np.flatnonzero(shapely.intersects(sites.values, zone) & (sites.area > 0))
        assert sorted(rows["proposal_id"]) == touching.tolist(), redline_type
        ids = rows["proposal_id"].to_numpy()
        inside = shapely.area(shapely.intersection(sites.values[ids], zone))
        assert np.allclose(rows["area_ha"], inside / 10_000, rtol=1e-9, atol=1e-9), redline_type
        assert np.allclose(rows["area_mu"], rows["area_ha"] * 15), redline_type
        share = 100 * inside / sites.area.to_numpy()[ids]
        assert np.allclose(rows["share_pct"], share, rtol=1e-9, atol=1e-9), redline_type
    assert set(redline["class_value"]) == set(redlines["redline_type"])


def test_naive_script_agrees_where_both_decide(written, proposals_file):
    """Rule by rule, the naive script fires where the engine does (NAIVE_RULES says how exactly), measures
    the same distance to the big rivers, names the same county for a site in one county, and gives the
    engine's verdict wherever the engine's findings are all definite findings of rules it implements."""
    naive = pyogrio.read_dataframe(written[proposals_file, "naive"], read_geometry=False)
    result = Result.read(written[proposals_file, "default"])
    proposals, findings = pd.DataFrame(result.proposals), result.findings
    assert (naive["name"] == proposals["name"]).all()  # same rows, same order: row number = proposal_id
    fired = naive["rule_ids"].fillna("").str.split(",").explode()
    fired = fired[fired != ""]
    assert set(fired) <= set(NAIVE_RULES)
    near = findings["near"].astype(bool)
    for rule, how in NAIVE_RULES.items():
        script = set(fired.index[fired == rule])
        engine = findings[findings["rule_id"] == rule]
        definite = set(engine.loc[~near, "proposal_id"])
        if how == "all":
            assert script == set(engine["proposal_id"]), rule
        elif how == "covers":
            assert definite <= script, rule
        else:
            assert script <= definite, rule
            missed = engine[engine["proposal_id"].isin(definite - script)]
            assert (missed["measured"] > missed["threshold"] - BUFFER_CHORD_M).all(), rule
    # the distance it quotes: to the nearest big-river water, as the engine measures it
    measured = findings[findings["rule_id"].isin(BIG_RIVER_RULES) & ~near].drop_duplicates("proposal_id")
    measured = measured.set_index("proposal_id")["measured"]
    assert (naive["distance_m"].reindex(measured.index) - measured).abs().max() < 0.01
    # the county: its first county touched is the engine's largest share when it touches only one
    one = ~proposals["counties"].fillna("").str.contains("、") & (naive["county"] != "outside")
    one &= ~proposals["county"].str.contains("outside")
    assert (naive.loc[one, "county"] == proposals.loc[one, "county"]).all()
    # the verdict, where the engine decides only by definite findings of the rules the script implements
    decided = findings[~findings["advisory"].astype(bool)].assign(
        ok=lambda f: f["rule_id"].isin(list(NAIVE_RULES)) & ~f["near"].astype(bool)
    )
    both = decided.groupby("proposal_id")["ok"].all().reindex(proposals["proposal_id"], fill_value=True).to_numpy()
    same_rules = _rule_sets(naive["rule_ids"]) == _rule_sets(proposals["rule_ids"])
    assert both.sum() >= len(proposals) // 3  # enough proposals to say something
    assert (naive.loc[both & same_rules, "verdict"] == proposals.loc[both & same_rules, "verdict"]).all()


def _rule_sets(rule_ids: pd.Series) -> pd.Series:
    return rule_ids.fillna("").map(lambda ids: frozenset(i for i in ids.split(",") if i))


# --- parcels: floor, default engine, dask engine, per size ---------------------------------------------


@pytest.mark.parametrize("run", ["floor", *CHECKS])
def test_parcels_file_to_file(benchmark, figures, written, data_dir, parcel_count, run):
    """Whole commands on N parcels, read, checked and written in chunks of 100,000 (memory depends on
    the chunk, not on N): the default engine checks chunks at once in a process per core (and in one
    process with --workers 1), dask the partitions of a chunk on threads."""
    parcels = cached(data_dir, "parcels", parcel_count)
    file_to_file(benchmark, figures, written, run, parcels, parcel_count, "parcels")


def test_engines_give_the_parcels_the_same_verdicts(written, data_dir, size):
    """For every parcels file, the same verdict, rules, county and summary for each parcel, and the same
    overlaps."""
    columns = ["proposal_id", "verdict", "certainty", "rule_ids", "county", "summary_en"]
    for count in size["parcels"]:
        parcels = cached(data_dir, "parcels", count)
        default, *others = (
            (
                pyogrio.read_dataframe(written[parcels, run], layer="proposals", columns=columns, read_geometry=False),
                pyogrio.read_dataframe(written[parcels, run], layer="overlaps", read_geometry=False),
            )
            for run in ("default", "one-process", "dask")
        )
        for proposals, overlaps in others:
            pd.testing.assert_frame_equal(proposals, default[0])
            pd.testing.assert_frame_equal(overlaps, default[1])
