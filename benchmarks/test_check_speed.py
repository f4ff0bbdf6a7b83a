"""How fast the check and the screening surface are in a warmed-up process, against the way a planner
would otherwise do it; the whole commands, file to file, are in test_file_to_file.py.

Run with pytest-benchmark (benchmarks/README.md); every figure is also collected into one table
printed at the end of the run, with the speed-up over the naive baseline measured in that same run.
These are benchmarks, not timed tests: nothing fails for being slow.  What is asserted is that the
engines agree — the dask engine with the default one exactly, the naive baseline with both on all
but the proposals at a threshold's edge.

The baseline is below, in this file: geopandas buffer + sjoin / overlay, layer by layer.  It reads
the same rule catalog and gives what the engine gives (a verdict per proposal, the county, and per
finding the measure a report quotes) in the usual way: for each rule, select the proposals and
features, buffer the features by the distance (and by the distance plus their accuracy, for the
near band), spatial-join, overlay for the overlap area, and take the distance to the dissolved
layer for the "620 m from the Yangtze" a report quotes; the county is the one an overlay gives the
largest share.  No per-piece index, no pruning.
"""

from __future__ import annotations

import pickle
import subprocess
import sys
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from bench_support import load_average, peak_memory, record

import chuannan_gis
from chuannan_gis.crs import MEASURE_CRS
from chuannan_gis.engine.findings import applicable
from chuannan_gis.io import read_proposals
from chuannan_gis.verdicts import BY_RANK, RANK, milder

NAIVE = "naive baseline (buffer + sjoin / overlay per rule), in process"
# The naive baseline may differ from the engine at a threshold's edge only (a buffer is a polygon
# approximation of a distance): at most this share of proposals.
EDGE_SHARE = 0.002


def naive_check(path, constraints, catalog) -> tuple[pd.Series, pd.Series, dict]:
    """The verdict and county of each proposal in ``path`` (indexed by proposal_id), and rule id →
    measured distances of the proposals it fired on, the naive way."""
    proposals = read_proposals(path).to_crs(MEASURE_CRS)
    rank = pd.Series(RANK["clear"], index=proposals["proposal_id"])
    measured = {}
    for rule in catalog:
        layer = rule.condition.measured_layer
        if rule.advisory or not constraints.has(layer):
            continue
        chosen = proposals[applicable(rule, proposals)][["proposal_id", "geometry"]]
        features = _filtered(constraints.measured(layer), rule.condition.filter)
        fired = []
        for verdict, hits in _rule_hits(rule, chosen, features):
            worse = rank.loc[hits] < RANK[verdict]
            rank.loc[worse[worse].index] = RANK[verdict]
            fired.append(hits)
        measured[rule.id] = _distances(chosen, features, np.concatenate(fired))
    return rank.map(BY_RANK), _counties(proposals, constraints.measured("counties")), measured


def _counties(proposals, counties) -> pd.Series:
    """The county with the largest share of each proposal (points: the one they fall in)."""
    pieces = gpd.overlay(
        proposals[["proposal_id", "geometry"]],
        counties[["name_zh", "geometry"]],
        how="intersection",
        keep_geom_type=False,
    )
    pieces = pieces.assign(share=pieces.area).sort_values("share", ascending=False)
    return pieces.drop_duplicates("proposal_id").set_index("proposal_id")["name_zh"]


def _distances(proposals, features, ids) -> pd.Series:
    """Distance from each fired proposal to the layer's features, dissolved (the usual way to ask)."""
    fired = proposals[proposals["proposal_id"].isin(ids)]
    return pd.Series(fired.distance(features.union_all()).to_numpy(), index=fired["proposal_id"])


def _filtered(features: gpd.GeoDataFrame, filters: dict) -> gpd.GeoDataFrame:
    for field, values in filters.items():
        features = features[features[field].isin(values)]
    return features[["accuracy_m", "geometry"]].assign(accuracy_m=lambda f: f["accuracy_m"].fillna(0.0))


def _rule_hits(rule, proposals, features):
    """(verdict, proposal ids) pairs: the rule's verdict where it fires, the milder one in the accuracy band."""
    distance = rule.condition.distance_m or 0.0
    if rule.condition.predicate == "outside":
        inside = _joined(proposals, features, 0.0)
        band = _joined(proposals, features, None)
        outside = np.setdiff1d(proposals["proposal_id"], inside)
        return [
            (rule.verdict, np.setdiff1d(outside, band)),
            (milder(rule.verdict, "review"), np.intersect1d(outside, band)),
        ]
    if rule.condition.predicate == "partly_outside":
        # lines and polygons touching the region but not wholly inside it (points: region_outside)
        region = features.union_all()
        extended = proposals[~proposals.geom_type.str.contains("Point")]
        partly = extended[extended.intersects(region) & ~extended.within(region)]
        return [(rule.verdict, partly["proposal_id"].to_numpy())]
    fired = _overlaid(proposals, features, distance)
    near = np.setdiff1d(_joined(proposals, features, distance, plus_accuracy=True), fired)
    if rule.verdict == "clear":
        return [(rule.verdict, fired)]
    return [(rule.verdict, fired), (milder(rule.verdict, "review"), near)]


def _joined(proposals, features, distance, plus_accuracy=False) -> np.ndarray:
    """Ids of proposals touching the features buffered by ``distance`` (+ accuracy); None: accuracy only."""
    reach = features["accuracy_m"] + (distance or 0.0) if plus_accuracy or distance is None else distance
    buffered = features.set_geometry(features.buffer(reach) if np.any(reach) else features.geometry)
    return np.unique(gpd.sjoin(proposals, buffered, predicate="intersects")["proposal_id"])


def _overlaid(proposals, features, distance) -> np.ndarray:
    """Ids of proposals overlapping the buffered features, through an overlay (for the overlap area)."""
    buffered = features.set_geometry(features.buffer(distance)) if distance else features
    candidates = proposals[proposals["proposal_id"].isin(_joined(proposals, features, distance))]
    overlap = gpd.overlay(candidates, buffered, how="intersection", keep_geom_type=False)
    touching = set(overlap["proposal_id"])
    # points and lines have no overlap area: the join alone decides for them
    return np.union1d(list(touching), candidates.loc[candidates.geom_type.str.contains("Point|Line"), "proposal_id"])


# --- each engine in a fresh process: its time and its peak memory ---------------------------------


def run_task(task: str, argument: str, out: str) -> None:
    """In a child process: warm up, then run ``task`` once, timed and with peak memory sampled.

    ``task`` is ``naive``, ``default`` or ``dask`` (``argument``: the proposals file), or ``screen``
    (``argument``: the resolution).  The time is of the task alone, after a warm-up on 500
    proposals has built the engine's indexes, as a long-running service would have them; its CPU
    seconds are the process's (all its threads) over the same span; the peak is the memory above the
    loaded constraint set, indexes included.  Writes seconds, CPU seconds, peak bytes and what the
    task returned to ``out``.
    """
    constraints, catalog = chuannan_gis.load_constraints(), chuannan_gis.load_rules()
    with peak_memory() as peak:
        if task == "screen":

            def run():
                return chuannan_gis.screen(
                    "industrial_park",
                    "heavy_chemical",
                    Path(out).with_suffix(".tif"),
                    resolution=float(argument),
                    constraints=constraints,
                    rules=catalog,
                ).areas
        else:
            engine = CHILD_ENGINES[task]
            engine(read_proposals(argument).iloc[:500], constraints, catalog)

            def run():
                return engine(argument, constraints, catalog)

        start, cpu_start = time.perf_counter(), time.process_time()
        returned = run()
        seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu_start
    outcome = {"seconds": seconds, "cpu_seconds": cpu_seconds, "peak": peak.bytes, "returned": returned}
    Path(out).write_bytes(pickle.dumps(outcome))


def _tables(result) -> tuple[pd.DataFrame, pd.DataFrame]:
    return pd.DataFrame(result.proposals.drop(columns="geometry")), result.findings


CHILD_ENGINES = {
    "naive": lambda source, constraints, catalog: naive_check(source, constraints, catalog)[:2],
    "default": lambda source, constraints, catalog: _tables(
        chuannan_gis.check(source, constraints=constraints, rules=catalog)
    ),
    "dask": lambda source, constraints, catalog: _tables(
        chuannan_gis.check(source, constraints=constraints, rules=catalog, engine="dask")
    ),
}


def in_child(benchmark, figures: dict, name: str, task: str, argument, items: int, tmp_path):
    """Run :func:`run_task` in a fresh process under pytest-benchmark; record its figures, return what it returned."""
    out = tmp_path / f"{task}.pkl"
    command = [sys.executable, __file__, task, str(argument), str(out)]
    load = load_average()
    benchmark.pedantic(subprocess.run, args=(command,), kwargs={"check": True}, rounds=1, iterations=1)
    outcome = pickle.loads(out.read_bytes())
    role, what = ("naive" if task == "naive" else "run"), ("proposals" if items else "")
    seconds, peak = outcome["seconds"], outcome["peak"]
    record(
        figures,
        name,
        seconds,
        items,
        peak,
        data=argument,
        what=what,
        role=role,
        load_start=load,
        cpu_seconds=outcome["cpu_seconds"],
    )
    return outcome["returned"]


# --- proposals per second: naive, default engine, dask engine, on the same file --------------------


@pytest.fixture(scope="module")
def returned() -> dict:
    """What each engine returned, by engine, for the agreement test at the end."""
    return {}


@pytest.mark.parametrize(
    "task, name",
    [("naive", NAIVE), ("default", "default engine, in process"), ("dask", "dask engine (local threads), in process")],
)
def test_engine_speed(benchmark, figures, size, proposals_file, tmp_path, returned, task, name):
    returned[task] = in_child(benchmark, figures, name, task, proposals_file, size["proposals"], tmp_path)


def test_engines_agree(returned):
    """The dask engine gives the default engine's tables exactly; the naive way the same verdicts and
    counties but at a threshold's edge."""
    proposals, findings = returned["default"]
    dask_proposals, dask_findings = returned["dask"]
    pd.testing.assert_frame_equal(dask_proposals, proposals)
    pd.testing.assert_frame_equal(dask_findings, findings)
    verdicts, counties = returned["naive"]
    by_id = proposals.set_index("proposal_id")
    assert (verdicts.reindex(by_id.index) != by_id["verdict"]).mean() <= EDGE_SHARE
    assert (counties.reindex(by_id.index) == by_id["county"]).mean() >= 1 - EDGE_SHARE


# --- the screening surface of the whole region ---------------------------------------------------------


def test_screening_surface_of_the_region(benchmark, figures, tmp_path, resolution):
    areas = in_child(
        benchmark, figures, f"screening surface, whole region, {resolution:g} m", "screen", resolution, 0, tmp_path
    )
    assert 34_000 < areas["total_km2"].iloc[-1] < 36_500


if __name__ == "__main__":
    run_task(*sys.argv[1:])
