"""The streamed check (chuannan_gis.stream), which `chuannan-gis check` runs with either engine:
chunk by chunk, a feature keeps the id and the name it has in the whole file."""

from __future__ import annotations

import os
import time
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from chuannan_gis.crs import MEASURE_CRS
from chuannan_gis.errors import InputError
from chuannan_gis.layers import load_constraints
from chuannan_gis.result import Result
from chuannan_gis.stream import check_to_file


@pytest.fixture(scope="module")
def site():
    return load_constraints().measured("counties").set_index("adcode").loc["511523"].geometry.representative_point()


def _parcels(site, count, industry="electronics"):
    return gpd.GeoDataFrame(
        {"kind": "industrial_park", "industry": [industry] * count},  # no name field: a 三调-like extract
        geometry=[shapely.Point(site.x + 300 * i, site.y).buffer(50) for i in range(count)],
        crs=MEASURE_CRS,
    )


def test_chunks_keep_the_file_s_ids_and_feature_names(tmp_path, site):
    _parcels(site, 5).to_file(tmp_path / "parcels.gpkg", engine="pyogrio")
    streamed = check_to_file(tmp_path / "parcels.gpkg", tmp_path / "out.gpkg", chunk_rows=2)
    proposals = Result.read(streamed.path).proposals
    assert proposals["proposal_id"].tolist() == [0, 1, 2, 3, 4]
    assert proposals["name"].tolist() == [f"要素 {i} / feature {i}" for i in range(1, 6)]  # not 1, 2, 1, 2, 1
    assert sum(streamed.verdict_counts().values()) == 5


def test_a_bad_value_in_a_later_chunk_is_named_by_its_row_in_the_file(tmp_path, site):
    parcels = _parcels(site, 5)
    parcels.loc[3, "industry"] = "不存在的行业"
    parcels.to_file(tmp_path / "parcels.gpkg", engine="pyogrio")
    with pytest.raises(InputError, match="row 4") as raised:
        check_to_file(tmp_path / "parcels.gpkg", tmp_path / "out.gpkg", chunk_rows=2)
    assert "industry" in str(raised.value)
    assert not (tmp_path / "out.gpkg").exists()  # nothing half-written


def _tables(path):
    result = Result.read(path)
    return result.proposals.to_wkb(), result.findings, result.not_checked


def _note_processes(monkeypatch, pids: Path) -> Path:
    """Make every check of a chunk write "<process id> <rows>" as a line of ``pids``."""
    import chuannan_gis.engine

    checked = chuannan_gis.engine.check_frame

    def noting_the_process(frame, *args):
        with pids.open("a") as out:
            out.write(f"{os.getpid()} {len(frame)}\n")
        return checked(frame, *args)

    monkeypatch.setattr(chuannan_gis.engine, "check_frame", noting_the_process)
    return pids


def test_worker_processes_write_the_same_file(tmp_path, site, monkeypatch):
    """Chunks checked at once in forked processes: the same tables, rows and order as in one process."""
    pids = _note_processes(monkeypatch, tmp_path / "pids")
    parcels = _parcels(site, 7)
    parcels.loc[[1, 4], "industry"] = "heavy_chemical"  # findings in more than one chunk
    parcels.to_file(tmp_path / "parcels.gpkg", engine="pyogrio")
    one = check_to_file(tmp_path / "parcels.gpkg", tmp_path / "one.gpkg", chunk_rows=2, workers=1)
    assert {line.split()[0] for line in pids.read_text().splitlines()} == {str(os.getpid())}
    pids.unlink()
    three = check_to_file(tmp_path / "parcels.gpkg", tmp_path / "three.gpkg", chunk_rows=2, workers=3)
    workers = [line.split()[0] for line in pids.read_text().splitlines()]
    assert len(workers) == 4 and str(os.getpid()) not in workers and len(set(workers)) > 1  # 4 chunks, forked
    for a, b in zip(_tables(one.path), _tables(three.path)):
        pd.testing.assert_frame_equal(a, b)
    assert one.verdict_counts() == three.verdict_counts() and len(_tables(one.path)[1]) > 0


def test_one_chunk_cut_into_slices_for_the_workers_writes_the_same_file(tmp_path, monkeypatch):
    """A file of one chunk, cut into consecutive slices checked in forked workers and put back
    together: every table as one process writes it, findings in the same order (the examples'
    proposals: findings of many rules, geometry problems, overlaps)."""
    import chuannan_gis.stream

    examples = Path(__file__).parents[1] / "examples" / "proposals.gpkg"
    pids = _note_processes(monkeypatch, tmp_path / "pids")
    one = check_to_file(examples, tmp_path / "one.gpkg", workers=1)
    count = len(Result.read(one.path).proposals)
    pids.unlink()
    monkeypatch.setattr(chuannan_gis.stream, "SPLIT_ROWS", 2)
    three = check_to_file(examples, tmp_path / "three.gpkg", workers=3)
    slices = [line.split() for line in pids.read_text().splitlines()]
    assert len(slices) == 3 and str(os.getpid()) not in {pid for pid, _ in slices}
    assert sorted(int(rows) for _, rows in slices) == sorted(count * k // 3 - count * (k - 1) // 3 for k in (1, 2, 3))
    a, b = Result.read(one.path), Result.read(three.path)
    pd.testing.assert_frame_equal(a.proposals.to_wkb(), b.proposals.to_wkb())
    for name in ("findings", "not_checked", "overlaps"):
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name), check_exact=True)
    assert a.findings["rule_id"].nunique() > 5 and len(a.overlaps) > 0
    assert one.verdict_counts() == three.verdict_counts()


def test_an_error_in_a_worker_names_the_feature_and_writes_nothing(tmp_path, site, monkeypatch):
    import chuannan_gis.engine

    checked = chuannan_gis.engine.check_frame

    def failing(frame, *args):  # inherited by the forked workers
        ids = set(frame["proposal_id"])
        if 3 in ids:
            for _ in range(100):  # fail once the next chunk is being checked in the other worker
                if (tmp_path / "sleeper").exists():
                    break
                time.sleep(0.1)
            raise InputError("geometry cannot be measured", file="parcels.gpkg", feature=4, field="geometry")
        if 5 in ids:  # the chunk after the bad one: its worker is stopped, not left running
            (tmp_path / "sleeper").write_text(str(os.getpid()))
            time.sleep(60)
        return checked(frame, *args)

    monkeypatch.setattr(chuannan_gis.engine, "check_frame", failing)
    _parcels(site, 6).to_file(tmp_path / "parcels.gpkg", engine="pyogrio")
    started = time.monotonic()
    with pytest.raises(InputError) as raised:
        check_to_file(tmp_path / "parcels.gpkg", tmp_path / "out.gpkg", chunk_rows=2, workers=2)
    assert time.monotonic() - started < 45
    sleeper = Path(f"/proc/{(tmp_path / 'sleeper').read_text()}/status")
    for _ in range(50):  # the worker sleeping 60 s is stopped at once: gone, or dead and not yet reaped
        if not sleeper.exists() or "zombie" in sleeper.read_text():
            break
        time.sleep(0.1)
    else:
        pytest.fail("a worker went on checking after the check failed")
    assert (raised.value.feature, raised.value.field) == (4, "geometry")  # kept across the process boundary
    assert "file parcels.gpkg; feature 4; field geometry" in str(raised.value)
    assert not (tmp_path / "out.gpkg").exists()


def test_worker_count(monkeypatch):
    from chuannan_gis import stream
    from chuannan_gis.stream import _worker_count

    cores, free = len(os.sched_getaffinity(0)), stream.available_memory()
    assert 1e9 < free < 1e13
    assert _worker_count(None, "default") == max(1, min(cores, free // 2_000_000_000))
    monkeypatch.setattr(stream, "available_memory", lambda: 5 * 2**30)  # 5 GB free
    assert _worker_count(None, "default") == min(cores, 2)  # 100,000-row chunks
    assert _worker_count(None, "default", chunk_rows=1_000_000) == 1  # never none
    assert _worker_count(4, "default") == 4  # as asked
    assert _worker_count(3, "default") == 3 and _worker_count(None, "dask") == 1
    with pytest.raises(InputError, match="workers"):
        _worker_count(0, "default")
    with pytest.raises(InputError, match="default engine"):
        _worker_count(2, "dask")


def test_a_killed_check_leaves_no_temporary_file(tmp_path, site):
    """SIGTERM (kill, a batch system's time limit) ends `check` through its cleanup, as Ctrl-C does."""
    import signal
    import subprocess
    import sys

    grid = [shapely.Point(site.x + 100 * (i % 150), site.y + 100 * (i // 150)).buffer(30) for i in range(30_000)]
    gpd.GeoDataFrame(
        {"kind": "industrial_park", "industry": ["chemical"] * len(grid)}, geometry=grid, crs=MEASURE_CRS
    ).to_file(tmp_path / "parcels.gpkg", engine="pyogrio")
    command = [sys.executable, "-m", "chuannan_gis.cli", "-q", "check", "parcels.gpkg", "-o", "out.gpkg"]
    with (tmp_path / "stderr.txt").open("w") as log:  # a file, not a pipe nobody reads (it could fill and block)
        process = subprocess.Popen(command, cwd=tmp_path, stderr=log)
        for _ in range(600):  # until the command has started writing (its temporary file exists)
            if list(tmp_path.glob(".out.gpkg.*")) or process.poll() is not None:
                break
            time.sleep(0.1)
        assert process.poll() is None, "the check ended before it could be stopped"
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=60) == 128 + signal.SIGTERM, (tmp_path / "stderr.txt").read_text()
    assert not list(tmp_path.glob(".out.gpkg*")) and not (tmp_path / "out.gpkg").exists()


def test_the_map_of_a_big_streamed_check_draws_the_worst_proposals_only(tmp_path, monkeypatch):
    """A web map holds what it draws inline, so past stream.MAP_PROPOSALS the map of a streamed check
    draws that many of the worst proposals, read from the written file (issue 19: the streamed Result
    is no longer read back whole for --map), and says so; the Result keeps every proposal."""
    import json

    from click.testing import CliRunner

    from chuannan_gis import stream
    from chuannan_gis.cli import main
    from chuannan_gis.verdicts import RANK

    examples = Path(__file__).resolve().parents[1] / "examples" / "proposals.gpkg"
    monkeypatch.setattr(stream, "MAP_PROPOSALS", 3)
    monkeypatch.setattr(Result, "read", lambda *a, **k: pytest.fail("the streamed Result was read back whole"))
    output, page = tmp_path / "result.gpkg", tmp_path / "map.html"
    done = CliRunner().invoke(main, ["check", str(examples), "-o", str(output), "--map", str(page)])
    assert done.exit_code == 0, done.output
    assert "the map draws the 3 worst of 7 proposals" in done.output
    monkeypatch.undo()
    proposals = Result.read(output).proposals
    assert len(proposals) == 7
    ranked = proposals.assign(rank=proposals["verdict"].map(RANK)).sort_values(
        ["rank", "proposal_id"], ascending=[False, True], kind="stable"
    )
    text = page.read_text(encoding="utf-8")

    def drawn(name: str) -> bool:
        return name in text or json.dumps(name)[1:-1] in text

    assert all(drawn(name) for name in ranked["name"].head(3))
    assert not any(drawn(name) for name in ranked["name"].iloc[3:])
