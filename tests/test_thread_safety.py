"""The dask engine's local threads share the cached constraint indexes without crashing the process.

GEOS geometries may be read by several threads at once, but a *prepared* geometry fills its point
locator and segment index lazily, as it is used, without a lock: two threads testing one prepared
piece at once corrupt it, and the process dies with SIGSEGV (the dask engine did, now and then,
on 1,000,000 parcels).  A crash cannot be caught in the process that has it, so the stress runs in
a subprocess: a crash fails the test with its exit code and faulthandler's stack of every thread.

The stress is targeted.  In a real run, two partitions meet on the same pieces only where they
border each other, so a crash took a million parcels.  Here every round loads a fresh constraint
set (no piece has been used yet), builds its indexes, then dask's threads check identical
partitions with the engine's own task (``scale.partition.check_partition``), so they reach the same
fresh pieces at the same moments.  On the code before the fix it crashed in 10 runs of 10, after
0 to 2 of its 6 rounds (4.5 to 24 s); with the fix 10 of 10 passed (30 to 51 s on a busy 2-core machine).
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import shapely

import chuannan_gis
from chuannan_gis.engine.index import feature_index

ROUNDS = 6
PARCELS = 1500  # per partition
THREADS = 4  # dask threads, each checking one identical partition per round
# Far above the 30-50 s the stress takes on a 2-core machine; a hung run fails instead of stalling CI.
TIMEOUT_S = 300

STRESS = """
import sys

import dask
import pandas as pd

import chuannan_gis
from chuannan_gis.engine import check_frame
from chuannan_gis.io import read_proposals
from chuannan_gis.rules import load_rules
from chuannan_gis.scale.partition import check_partition
from synthetic import make_parcels

rounds, parcels, threads = (int(arg) for arg in sys.argv[1:4])
part = read_proposals(make_parcels(parcels, seed=11))
catalog = load_rules()
first = None
for round_ in range(rounds):
    constraints = chuannan_gis.load_constraints()  # fresh indexes: none of their pieces used yet
    check_frame(part.iloc[:0], catalog, constraints)  # builds them, as the first chunk of a run has
    task = dask.delayed(check_partition)
    tasks = [task(part, constraints, catalog, dask_key_name=f"part-{k}") for k in range(threads)]
    results = dask.compute(*tasks, scheduler="threads", num_workers=threads)
    first = results[0] if first is None else first
    for result in results:  # the same partition gives the same findings in every thread and round
        pd.testing.assert_frame_equal(result.findings, first.findings)
        pd.testing.assert_frame_equal(result.proposals, first.proposals)
    print(round_, len(first.findings), flush=True)
"""


def test_dask_threads_check_partitions_on_shared_indexes_without_crashing():
    pytest.importorskip("dask_geopandas")
    root = Path(chuannan_gis.__file__).parents[1]
    # the subprocess imports this checkout's library, and the generator the benchmarks use
    path = os.pathsep.join([str(root), str(root / "benchmarks"), os.environ.get("PYTHONPATH", "")])
    run = subprocess.run(
        [sys.executable, "-X", "faulthandler", "-c", STRESS, str(ROUNDS), str(PARCELS), str(THREADS)],
        check=False,  # the exit code is the verdict, reported with the stacks
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
        env={**os.environ, "PYTHONPATH": path},
    )
    done = run.stdout.splitlines()
    assert run.returncode == 0, (
        f"the stress exited with {run.returncode} (-11: SIGSEGV) after {len(done)} of {ROUNDS} rounds\n"
        f"{_stacks(run.stderr)}"
    )
    assert len(done) == ROUNDS
    assert int(done[0].split()[1]) > PARCELS  # the parcels fire rules: the pieces were tested


def test_threads_share_one_index_and_prepare_pieces_of_their_own(constraints):
    """Threads asking for one index at once get one build; each gets prepared copies of its own."""
    start = threading.Barrier(4)
    found = []

    def ask():
        start.wait()
        index = feature_index(constraints, "water")
        found.append((index, index.prepared_pieces()))

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    index = found[0][0]
    assert all(other is index for other, _ in found)
    assert len({id(prepared) for _, prepared in found}) == 4
    assert not shapely.is_prepared(index.pieces).any()  # the shared pieces are never prepared
    for _, prepared in found:
        assert shapely.is_prepared(prepared).all()
        assert shapely.equals_exact(prepared, index.pieces, tolerance=0).all()
    assert index.prepared_pieces() is index.prepared_pieces()  # once per thread


def _stacks(stderr: str, limit: int = 8000) -> str:
    """faulthandler's report from ``stderr`` (its stack of each thread), without the long line
    listing the extension modules; the end of ``stderr`` when there is no such report."""
    start = stderr.find("Fatal Python error")
    report = stderr[start:] if start >= 0 else stderr[-limit:]
    return "\n".join(line for line in report.splitlines() if not line.startswith("Extension modules"))[:limit]
