"""Check a file chunk by chunk and write the Result as the chunks are done: memory depends on the
chunk, not on the input (a million parcels check in the memory of 100,000), and a chunk is written
while the next one is checked.  The default engine checks each chunk in this process, or with
``workers`` > 1 several chunks at once in forked worker processes (the engine's Python half holds
the GIL, so threads would not help); the dask engine on its partitions (:mod:`chuannan_gis.scale`).
``chuannan-gis check`` writes through here.
"""

from __future__ import annotations

import contextlib
import itertools
import multiprocessing
import os
import signal
import sys
from collections import deque
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

import geopandas as gpd
import pandas as pd

from .engine.merge import merge
from .engines import get_engine
from .errors import InputError
from .inputs import constraint_set as inputs_constraint_set
from .inputs import rule_catalog
from .io import FIRST_ROW, atomic_output, file_sha256, read_proposals
from .layers import ConstraintSet
from .readers import vector_chunks
from .result import NOT_CHECKED_COLUMNS, Result, RunInfo, write_table
from .rules import RuleCatalog
from .verdicts import VERDICTS

# Rows read and checked at a time: memory grows with this, not with the input.
CHUNK_ROWS = 100_000
# A web map holds every proposal it draws inline: past this many, the map of a streamed check draws
# the worst ones (read from the written file), so its memory follows this bound, not the input.
MAP_PROPOSALS = 20_000
# Inputs GDAL reads from any row on (a GeoPackage is a SQLite table): read a chunk at a time.
STREAMED_SUFFIXES = (".gpkg", ".fgb")
# read_proposals options that only apply to reading a file, not to normalising a read chunk.
FILE_OPTIONS = ("layer", "encoding")


@dataclass
class StreamedCheck:
    """What :func:`check_to_file` wrote: the output path, proposals per verdict, rules not checked."""

    path: Path
    counts: dict = field(default_factory=dict)
    not_checked: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=NOT_CHECKED_COLUMNS))
    constraints: ConstraintSet | None = None  # the set and catalog the check ran with
    catalog: RuleCatalog | None = None

    def result(self) -> Result:
        """The Result written, read back, holding the set and catalog of the run (for a report or map)."""
        return Result.read(self.path).hold(self.constraints, self.catalog)

    def map_result(self, limit: int | None = None) -> tuple[Result, int]:
        """The Result a web map draws, and how many proposals the check had: the whole Result up to
        ``limit`` proposals (default :data:`MAP_PROPOSALS`); past it the ``limit`` worst (verdict rank,
        then input order), read from the written file as a subset, with the set and catalog of the run."""
        limit = MAP_PROPOSALS if limit is None else limit
        stored = self.documents_source()
        total = len(stored.verdicts())
        if total <= limit:
            return self.result(), total
        worst = sorted(stored.chosen(limit, clear_past_limit=True))  # the documents' own worst-first pick
        return stored.subset(worst).hold(self.constraints, self.catalog), total

    def documents_source(self):
        """What the review documents read: the Result written, read as each format needs it, never
        whole (:class:`chuannan_gis.documents.stored.StoredResult`), with the set and catalog of the run."""
        from .documents.stored import StoredResult

        return StoredResult(self.path, self.constraints, self.catalog)

    def add(self, chunk: Result) -> None:
        """Count a chunk's proposals by verdict."""
        for verdict, count in chunk.proposals["verdict"].value_counts().items():
            self.counts[verdict] = self.counts.get(verdict, 0) + int(count)
        self.not_checked = chunk.not_checked

    def verdict_counts(self) -> dict[str, int]:
        """Number of proposals per verdict, worst first (as :meth:`Result.verdict_counts`)."""
        return {code: int(self.counts.get(code, 0)) for code in VERDICTS}


def check_to_file(
    proposals,
    output,
    constraints=None,
    rules=None,
    *,
    engine="default",
    chunk_rows=CHUNK_ROWS,
    progress=None,
    scheduler=None,
    partition_rows=None,
    workers=1,
    **read_options,
) -> StreamedCheck:
    """Check proposals chunk by chunk and write the Result GeoPackage as the chunks are done.

    Memory depends on ``chunk_rows``, not on the input, for GeoPackage and FlatGeobuf inputs
    (other formats are read whole through :func:`chuannan_gis.io.read_proposals`, then checked and
    written the same way).  The file holds the same tables and rows as :meth:`Result.write` of
    :func:`chuannan_gis.check`; with more than one chunk, the findings come chunk by chunk.

    Parameters
    ----------
    proposals, constraints, rules, read_options
        As :func:`chuannan_gis.check`.
    output : path
        The GeoPackage to write (atomically).
    engine : {"default", "dask"}
        Each chunk checked by the engine in this thread, or on dask's partitions (``scheduler``,
        ``partition_rows``: :func:`chuannan_gis.scale.check_frame`).
    workers : int or None
        Default engine: how many chunks are checked at once, each in a worker process forked from
        this one (it inherits the loaded layers and rules).  ``None``: one per CPU core, as many as
        the free memory holds (:data:`WORKER_MEMORY` per row of a chunk).  Only
        where the input has more than one chunk, and on Linux (where fork is safe); otherwise, and
        with 1, in this process.  The file written is the same whatever the number.
    progress : callable, optional
        Called as ``progress(done, total)`` in proposals after each chunk.
    """
    chosen = get_engine(engine)  # an unknown engine and a bad worker count fail before any loading
    processes = _worker_count(workers, engine, chunk_rows)
    # the first chunk is read before the layers are loaded: a bad input fails at once
    chunks = read_chunks(proposals, chunk_rows, read_options)
    chunks = itertools.chain([next(chunks)], chunks)
    catalog, constraint_set = rule_catalog(rules), inputs_constraint_set(constraints)
    streamed = StreamedCheck(Path(output), constraints=constraint_set, catalog=catalog)
    checker = chosen.chunk_checker(constraint_set, catalog, scheduler=scheduler, partition_rows=partition_rows)
    # GDAL writes without holding the GIL, so a chunk is written while the next one is checked;
    # waiting for one write before starting the next keeps at most two chunks in memory.
    with (
        atomic_output(output) as target,
        checker as check_chunk,
        ThreadPoolExecutor(max_workers=1) as writer,
    ):
        run_info, writing = None, None
        for chunk, total in checked_chunks(chunks, check_chunk, processes, catalog=catalog):
            if writing is not None:
                writing.result()
            writing = writer.submit(_append, target, chunk, first=run_info is None)
            run_info = run_info or chunk.run_info
            streamed.add(chunk)
            report_progress(progress, chunk, total)
        writing.result()
        _finish(target, streamed.not_checked, _whole_input(run_info, proposals))
    return streamed


def checked_chunks(chunks, check_chunk, workers: int = 1, *, catalog=None):
    """Yield ``(check_chunk(frame), total)`` for each ``(frame, total)`` of ``chunks``, in order.

    With ``workers`` > 1 and a second chunk, the chunks are checked in that many processes forked
    from this one, at most ``workers`` at a time (memory: that many chunks and their Results).  A
    file of one chunk (100,000 proposals) is cut into ``workers`` slices of consecutive rows, each
    checked in a worker, and the slices' Results put back together (:func:`engine.merge.merge`,
    which needs ``catalog``): the same Result as one process gives, findings in the same order.
    """
    chunks = iter(chunks)
    first = next(chunks, None)
    if first is None:
        return
    second = next(chunks, None) if workers > 1 else None
    if second is None:  # one chunk, or one worker
        if workers > 1 and catalog is not None and len(first[0]) >= workers * SPLIT_ROWS:
            frame, total = first
            with _worker_pool(check_chunk, workers) as submit:
                slices = [submit(part) for part in _slices(frame, workers)]
                yield merge([future.result() for future in slices], catalog), total
            return
        for frame, total in itertools.chain([first], chunks):
            yield check_chunk(frame), total
        return
    with _worker_pool(check_chunk, workers) as submit:
        pending = deque()
        for frame, total in itertools.chain([first, second], chunks):
            pending.append((submit(frame), total))
            if len(pending) >= workers:
                future, oldest_total = pending.popleft()
                yield future.result(), oldest_total
        while pending:
            future, total = pending.popleft()
            yield future.result(), total


# Fewest proposals a worker is given when one chunk is cut into slices: below this, starting the
# workers and sending their Results back costs more than the slice's check saves.
SPLIT_ROWS = 5_000


def _slices(frame, parts: int) -> list:
    """``frame`` cut into ``parts`` runs of consecutive rows, as even as they divide."""
    bounds = [len(frame) * k // parts for k in range(parts + 1)]
    return [frame.iloc[start:end] for start, end in itertools.pairwise(bounds)]


@contextlib.contextmanager
def _worker_pool(check_chunk, workers: int):
    """``submit(frame)`` → a future of ``check_chunk(frame)`` run in one of ``workers`` processes
    forked from this one; on an error or when the caller stops, the workers are stopped, not awaited."""
    _FORKED["check"] = check_chunk  # what the forked workers inherit and run (a closure does not pickle)
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(workers, mp_context=context, initializer=_worker_started) as pool:
            try:
                yield lambda frame: pool.submit(_check_in_worker, frame)
            except BaseException:  # a bad chunk (its error names the feature), or the caller stopped
                # the other workers' chunks are of no use now: stop them rather than wait for them
                workers_running = list((getattr(pool, "_processes", None) or {}).values())
                pool.shutdown(wait=False, cancel_futures=True)
                for process in workers_running:
                    process.terminate()
                raise
    finally:
        _FORKED.pop("check", None)


# The chunk checker of the running check_to_file, for the processes it forks.
_FORKED: dict = {}


def _worker_started():
    # the command's SIGTERM handler (exit through cleanup) is not the worker's: terminate() ends it
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _check_in_worker(frame):
    return _FORKED["check"](frame)


def _worker_count(workers, engine: str, chunk_rows: int = CHUNK_ROWS) -> int:
    """Processes for an engine that forks workers (the default one): ``workers``, or for None one
    per core, no more than the free memory holds (a planner's 8 GB laptop with 4 cores gets 2, not
    an out-of-memory kill); 1 off Linux and for the dask engine (which has its own scheduler)."""
    if workers is not None and int(workers) < 1:
        raise InputError(f"workers must be 1 or more, not {workers}", field="workers")
    if not get_engine(engine).forks_workers:
        if workers not in (None, 1):
            raise InputError("workers is for the default engine; dask has its scheduler", field="workers")
        return 1
    if not sys.platform.startswith("linux"):
        return 1  # fork is Linux's; macOS's system libraries are not fork-safe, Windows cannot fork
    if workers is None:  # a process per core the process may use, as many as the free memory holds
        return max(1, min(len(os.sched_getaffinity(0)), available_memory() // (WORKER_MEMORY * chunk_rows)))
    return int(workers)


# Memory a worker process needs per row of its chunk: its chunk, the chunk's Result and the pages of
# the inherited layers it touches.  Measured: a million parcels in chunks of 100,000 peaked at
# 2.45 GB in one process and 6.05 GB with two workers (resident memory of the three processes
# summed), so ≈ 1.8 GB a worker, 18 kB a row, taken with a margin.
WORKER_MEMORY = 20_000


def available_memory() -> int:
    """Bytes the system can give without swapping (Linux's MemAvailable); 0 when unknown."""
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    return 0


def read_chunks(source, chunk_rows: int, read_options: dict):
    """Yield (normalised chunk with global proposal ids, total rows) from a path or GeoDataFrame."""
    path = None if isinstance(source, gpd.GeoDataFrame) else Path(source)
    if path is None or path.suffix.lower() not in STREAMED_SUFFIXES:
        frame = read_proposals(source, **read_options)
        for start in range(0, max(len(frame), 1), chunk_rows):
            yield frame.iloc[start : start + chunk_rows], len(frame)
        return
    layer, encoding = (read_options.get(name) for name in FILE_OPTIONS)
    normalise = {k: v for k, v in read_options.items() if k not in FILE_OPTIONS}
    digest = None
    for raw, start, total in vector_chunks(path, layer, encoding, chunk_rows):
        digest = digest or file_sha256(path)
        # errors and run_info name the file; nameless features are named by their row in it
        raw.attrs = {"source": str(path), "sha256": digest, FIRST_ROW: start}
        frame = read_proposals(raw, **normalise)
        frame["proposal_id"] += start
        yield frame, total


def _whole_input(run_info: RunInfo, source) -> RunInfo:
    """A chunk's run_info, naming the whole input as the default engine does (a chunk names itself)."""
    if isinstance(source, gpd.GeoDataFrame):
        label, digest = source.attrs.get("source", run_info.input_path), source.attrs.get("sha256")
    else:
        label, digest = str(Path(source)), file_sha256(source)
    return replace(run_info, input_path=str(label or ""), input_sha256=str(digest or ""))


def _append(path, chunk: Result, first: bool) -> None:
    """Add a chunk's proposals and findings to the GeoPackage (creating the layers with the first)."""
    write_table(path, "proposals", chunk.proposals, append=not first)
    write_table(path, "findings", chunk.findings)
    write_table(path, "overlaps", chunk.overlaps)


def _finish(path, not_checked: pd.DataFrame, run_info: RunInfo) -> None:
    """The tables written once, after every chunk: not_checked and run_info, as Result.write writes them."""
    write_table(path, "not_checked", not_checked)
    write_table(path, "run_info", run_info.to_table())


def report_progress(progress, chunk: Result, total: int) -> None:
    """Tell ``progress(done, total)`` how many proposals are done after ``chunk``."""
    if progress is not None and len(chunk.proposals):
        progress(int(chunk.proposals["proposal_id"].iloc[-1]) + 1, total)


__all__ = ["CHUNK_ROWS", "StreamedCheck", "check_to_file", "checked_chunks", "read_chunks", "report_progress"]
