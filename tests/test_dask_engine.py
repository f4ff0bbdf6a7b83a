"""The dask engine gives exactly the default engine's Result: in memory, streamed to a file, on a cluster."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest
import shapely
from click.testing import CliRunner

import chuannan_gis
from chuannan_gis.cli import main
from chuannan_gis.engine import check as default_check
from chuannan_gis.result import Result
from chuannan_gis.rules import load_rules
from conftest import FREE_Y, KM, YANGTZE_EDGE_X, point

pytest.importorskip("dask_geopandas")
sys.path.insert(0, str(Path(__file__).parents[1] / "benchmarks"))
from synthetic import make_proposals, write

ROWS = 3000
# Small chunks and partitions, so a few thousand proposals cross every boundary the engine has.
SMALL = {"chunk_rows": 1100, "partition_rows": 300}


@pytest.fixture(scope="module")
def bundled():
    return chuannan_gis.load_constraints()


@pytest.fixture(scope="module")
def proposals_file(tmp_path_factory):
    return write(make_proposals(ROWS, seed=7), tmp_path_factory.mktemp("dask") / "proposals.gpkg")


@pytest.fixture(scope="module")
def expected(proposals_file, bundled):
    return default_check(proposals_file, constraints=bundled)


def assert_same_result(actual: Result, expected: Result, *, ordered: bool = True) -> None:
    """Every table equal; run_info equal but for the time.  ``ordered=False`` compares findings
    sorted (a streamed file lists them chunk by chunk)."""
    findings = [actual.findings, expected.findings]
    if not ordered:
        findings = [f.sort_values(["proposal_id", "rule_id"], kind="stable").reset_index(drop=True) for f in findings]
    pd.testing.assert_frame_equal(actual.proposals, expected.proposals)
    pd.testing.assert_frame_equal(*findings)
    pd.testing.assert_frame_equal(actual.not_checked, expected.not_checked)
    assert {k: v for k, v in actual.run_info.items() if k != "time"} == {
        k: v for k, v in expected.run_info.items() if k != "time"
    }


def test_dask_check_equals_the_default_engine(proposals_file, bundled, expected):
    actual = chuannan_gis.check(proposals_file, constraints=bundled, engine="dask", **SMALL)
    assert len(expected.findings) > ROWS  # the sample fires many rules
    assert set(expected.proposals["verdict"]) == {"prohibited", "restricted", "review", "unknown", "clear"}
    assert_same_result(actual, expected)


def test_dask_check_of_a_frame_with_bad_geometries_equals_the_default(constraints, proposals):
    bowtie = shapely.Polygon(
        [(x * KM + YANGTZE_EDGE_X + 2 * KM, y * KM + FREE_Y) for x, y in ((0, 0), (1, 1), (1, 0), (0, 1), (0, 0))]
    )
    frame = proposals(
        (point(YANGTZE_EDGE_X + 600), "industrial_park", "chemical", "new"),
        (None, "port", "general_cargo_port", "new"),
        (bowtie, "project", "other", "new"),
        (point(YANGTZE_EDGE_X + 1030), "project", "tailings_pond", "expansion"),
    )
    expected = default_check(frame, constraints=constraints)
    actual = chuannan_gis.check(frame, constraints=constraints, engine="dask", chunk_rows=3, partition_rows=1)
    assert_same_result(actual, expected)


def test_dask_check_of_no_proposals_equals_the_default(constraints, proposals):
    empty = proposals((point(YANGTZE_EDGE_X + 600), "port", "logistics", "new")).iloc[:0]
    assert_same_result(
        chuannan_gis.check(empty, constraints=constraints, engine="dask"), default_check(empty, constraints=constraints)
    )


def test_streamed_file_holds_the_default_result(tmp_path, proposals_file, bundled, expected):
    from chuannan_gis.scale import check_to_file

    streamed = check_to_file(proposals_file, tmp_path / "out.gpkg", constraints=bundled, **SMALL)
    expected.write(tmp_path / "default.gpkg")
    assert_same_result(Result.read(streamed.path), Result.read(tmp_path / "default.gpkg"), ordered=False)
    assert streamed.verdict_counts() == expected.verdict_counts()


def test_one_chunk_streams_the_findings_in_the_default_order(tmp_path, proposals_file, bundled, expected):
    from chuannan_gis.scale import check_to_file

    check_to_file(proposals_file, tmp_path / "out.gpkg", constraints=bundled, chunk_rows=ROWS, partition_rows=500)
    expected.write(tmp_path / "default.gpkg")
    assert_same_result(Result.read(tmp_path / "out.gpkg"), Result.read(tmp_path / "default.gpkg"))


def test_runs_on_a_distributed_local_cluster(proposals_file, bundled, expected):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        actual = chuannan_gis.check(
            proposals_file, constraints=bundled, engine="dask", scheduler=cluster.scheduler_address, **SMALL
        )
    assert_same_result(actual, expected)


def test_cli_engine_dask_writes_the_same_result(tmp_path, proposals_file, expected):
    out = tmp_path / "out.gpkg"
    result = CliRunner().invoke(
        main,
        [
            "check",
            str(proposals_file),
            "-o",
            str(out),
            "--engine",
            "dask",
            "--scheduler",
            "synchronous",
            "--fail-on",
            "prohibited",
        ],
    )
    assert result.exit_code == 1, result.output  # the sample has prohibited proposals
    assert "合计 total" in result.output and str(ROWS) in result.output
    expected.write(tmp_path / "default.gpkg")
    assert_same_result(Result.read(out), Result.read(tmp_path / "default.gpkg"))


def test_cli_scheduler_needs_the_dask_engine(tmp_path, proposals_file):
    result = CliRunner().invoke(
        main, ["check", str(proposals_file), "-o", str(tmp_path / "o.gpkg"), "--scheduler", "threads"]
    )
    assert result.exit_code == 2 and "--engine dask" in result.output


def test_cli_workers_are_for_the_default_engine(tmp_path, proposals_file):
    out = str(tmp_path / "o.gpkg")
    result = CliRunner().invoke(main, ["check", str(proposals_file), "-o", out, "--engine", "dask", "--workers", "2"])
    assert result.exit_code == 2 and "--workers is for the default engine" in result.output
    result = CliRunner().invoke(main, ["check", str(proposals_file), "-o", out, "--workers", "0"])
    assert result.exit_code == 2 and "--workers" in result.output


def test_unknown_engine_and_scheduler_are_clean_errors(proposals_file, bundled):
    with pytest.raises(ValueError, match="unknown engine"):
        chuannan_gis.check(proposals_file, constraints=bundled, engine="spark")
    with pytest.raises(ValueError, match="unknown scheduler"):
        chuannan_gis.check(proposals_file, constraints=bundled, engine="dask", scheduler="yarn")


def test_rules_passed_reach_every_partition(proposals_file, bundled, expected):
    catalog = load_rules()
    actual = chuannan_gis.check(proposals_file, constraints=bundled, rules=catalog, engine="dask", **SMALL)
    assert actual.run_info["rules_sha256"] == catalog.sha256
    assert_same_result(actual, expected)
