"""The Result: GeoPackage round trip, counts, and the verdict table it renders with."""
from __future__ import annotations

import pandas as pd
import pyogrio
import pytest
from conftest import KM, YANGTZE_EDGE_X, point

from chuannan_gis import check
from chuannan_gis.errors import InputError
from chuannan_gis.result import Result
from chuannan_gis.verdicts import VERDICTS, at_or_above, milder, worse


@pytest.fixture
def result(constraints, proposals):
    return check(proposals(
        (point(YANGTZE_EDGE_X + 620), "industrial_park", "chemical", "new"),
        (point(512 * KM, 3162 * KM), "industrial_park", "liquor", "new"),   # in the indicative red line
        (point(560 * KM, 3240 * KM), "project", "electronics", "new"),     # clear, with an advisory note
        (point(600 * KM, 3240 * KM), "project", "other", "new"),           # outside the region
    ), constraints=constraints)


def test_round_trip(tmp_path, result):
    path = result.write(tmp_path / "out" / "result.gpkg")
    back = Result.read(path)
    assert {row[0] for row in pyogrio.list_layers(path)} == {"proposals", "findings", "not_checked", "run_info"}
    columns = [c for c in result.proposals.columns if c != "geometry"]
    pd.testing.assert_frame_equal(back.proposals[columns], result.proposals[columns], check_dtype=False)
    assert back.proposals.geom_equals_exact(result.proposals.geometry, tolerance=1e-9).all()
    assert back.proposals.crs.to_epsg() == 4490
    pd.testing.assert_frame_equal(back.findings, result.findings, check_dtype=False)
    assert back.findings["feature_id"].dtype == "Int64" and back.findings["advisory"].dtype == bool
    pd.testing.assert_frame_equal(back.not_checked, result.not_checked, check_dtype=False)
    assert back.run_info == result.run_info  # the typed record comes back field for field


def test_write_replaces_atomically(tmp_path, result):
    path = tmp_path / "result.gpkg"
    path.write_text("an old file")
    result.write(path)
    assert len(Result.read(path).proposals) == 4
    assert [p.name for p in tmp_path.iterdir()] == ["result.gpkg"]  # no temporary left behind


def test_empty_findings_round_trip(tmp_path, result):
    empty = Result(result.proposals.iloc[:0], result.findings.iloc[:0], result.not_checked.iloc[:0],
                   result.run_info)
    back = Result.read(empty.write(tmp_path / "empty.gpkg"))
    assert len(back.findings) == 0 and set(result.findings.columns) <= set(back.findings.columns)


def test_read_refuses_other_files(tmp_path):
    other = tmp_path / "other.gpkg"
    pyogrio.write_dataframe(pd.DataFrame({"a": [1]}), other, layer="x", driver="GPKG")
    with pytest.raises(InputError, match="not a chuannan-gis result"):
        Result.read(other)


def test_counts_and_worst(result):
    assert result.verdict_counts() == {"prohibited": 2, "restricted": 0, "review": 0, "unknown": 1, "clear": 1}
    assert result.worst_rank() == VERDICTS["prohibited"].rank


def test_verdict_table_is_the_schema_table():
    assert [(v.code, v.zh, v.rank, v.colour) for v in VERDICTS.values()] == [
        ("prohibited", "禁止", 5, "#d7191c"), ("restricted", "限制", 4, "#f28e2b"),
        ("review", "需审查", 3, "#f1c40f"), ("unknown", "无法判定", 2, "#9e9e9e"),
        ("clear", "未发现冲突", 1, "#1a9641")]
    assert worse("review", "unknown") == "review" and milder("prohibited", "review") == "review"
    assert at_or_above("unknown") == ["prohibited", "restricted", "review", "unknown"]
