"""The check at province scale: dask-geopandas partitions, chunked input, results written as they come.

:func:`check` gives the same Result as :func:`chuannan_gis.engine.check`, computed partition by
partition on dask (see :mod:`~chuannan_gis.scale.partition`).  :func:`check_to_file` streams: it
reads the input a chunk at a time, checks each chunk on dask and appends its results to the output
GeoPackage, so memory depends on the chunk size, not on the input size.  Both run on local threads
by default, or on a dask.distributed cluster (``scheduler=`` its address or Client).  See
``docs/scale.md``.
"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from ..io import atomic_output, file_sha256, read_proposals
from ..layers import ConstraintSet, load_constraints
from ..result import NOT_CHECKED_COLUMNS, Result, _run_info_table, _storable
from ..rules import RuleCatalog, load_rules
from ..verdicts import VERDICTS
from .cluster import runner
from .partition import check_chunk, merge

# Rows read and checked at a time: memory grows with this, not with the input.
CHUNK_ROWS = 100_000
# Rows per spatial partition within a chunk: enough work per task to hide dask's overhead.
PARTITION_ROWS = 25_000
# Inputs GDAL reads from any row on (a GeoPackage is a SQLite table): read a chunk at a time.
STREAMED_SUFFIXES = (".gpkg", ".fgb")
# read_proposals options that only apply to reading a file, not to normalising a read chunk.
FILE_OPTIONS = ("layer", "encoding")


def check(proposals, constraints=None, rules=None, *, scheduler=None, chunk_rows=CHUNK_ROWS,
          partition_rows=PARTITION_ROWS, progress=None, **read_options) -> Result:
    """Check proposals on dask-geopandas; the same Result as the default engine.

    Parameters
    ----------
    proposals, constraints, rules, **read_options
        As :func:`chuannan_gis.engine.check`.
    scheduler : None, str or distributed.Client
        None or ``"threads"``, ``"processes"``, ``"synchronous"``, a Client, or a cluster address.
    chunk_rows, partition_rows : int
        Rows read at a time, and rows per spatial partition.
    progress : callable, optional
        Called as ``progress(done, total)`` in proposals after each chunk.

    Returns
    -------
    Result

    Examples
    --------
    >>> result = check("parcels.gpkg", scheduler="tcp://10.0.0.5:8786")  # doctest: +SKIP
    """
    catalog, constraint_set = _catalog_and_constraints(rules, constraints)
    chunks = []
    with runner(scheduler, constraint_set, catalog) as run:
        for frame, total in read_chunks(proposals, chunk_rows, read_options):
            chunks.append(check_chunk(frame, run, catalog, partition_rows))
            _report(progress, chunks[-1], total)
    result = merge(chunks, catalog)
    result.run_info = _whole_input(chunks[0].run_info, proposals)
    return result


@dataclass
class StreamedCheck:
    """What :func:`check_to_file` wrote: the output path, proposals per verdict, rules not checked."""

    path: Path
    counts: dict = field(default_factory=dict)
    not_checked: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=NOT_CHECKED_COLUMNS))

    def add(self, chunk: Result) -> None:
        """Count a chunk's proposals by verdict."""
        for verdict, count in chunk.proposals["verdict"].value_counts().items():
            self.counts[verdict] = self.counts.get(verdict, 0) + int(count)
        self.not_checked = chunk.not_checked

    def verdict_counts(self) -> dict[str, int]:
        """Number of proposals per verdict, worst first (as :meth:`Result.verdict_counts`)."""
        return {code: int(self.counts.get(code, 0)) for code in VERDICTS}


def check_to_file(proposals, output, constraints=None, rules=None, *, scheduler=None, chunk_rows=CHUNK_ROWS,
                  partition_rows=PARTITION_ROWS, progress=None, **read_options) -> StreamedCheck:
    """Check proposals chunk by chunk and write the Result GeoPackage as the chunks are done.

    Memory depends on ``chunk_rows``, not on the input, for GeoPackage and FlatGeobuf inputs
    (other formats are read whole through :func:`chuannan_gis.io.read_proposals`, then checked and
    written the same way).  The file holds the same tables and rows as :meth:`Result.write` of the
    default engine; with more than one chunk, the findings come chunk by chunk.

    Parameters are those of :func:`check`, with ``output`` the GeoPackage to write.
    """
    catalog, constraint_set = _catalog_and_constraints(rules, constraints)
    streamed = StreamedCheck(Path(output))
    # GDAL writes without holding the GIL, so a chunk is written while the next one is checked;
    # waiting for one write before starting the next keeps at most two chunks in memory.
    with atomic_output(output) as target, runner(scheduler, constraint_set, catalog) as run, \
            ThreadPoolExecutor(max_workers=1) as writer:
        run_info, writing = None, None
        for frame, total in read_chunks(proposals, chunk_rows, read_options):
            chunk = check_chunk(frame, run, catalog, partition_rows)
            if writing is not None:
                writing.result()
            writing = writer.submit(_append, target, chunk, first=run_info is None)
            run_info = run_info or chunk.run_info
            streamed.add(chunk)
            _report(progress, chunk, total)
        writing.result()
        _finish(target, streamed.not_checked, _whole_input(run_info, proposals))
    return streamed


def read_chunks(source, chunk_rows: int, read_options: dict):
    """Yield (normalised chunk with global proposal ids, total rows) from a path or GeoDataFrame."""
    path = None if isinstance(source, gpd.GeoDataFrame) else Path(source)
    if path is None or path.suffix.lower() not in STREAMED_SUFFIXES:
        frame = read_proposals(source, **read_options)
        for start in range(0, max(len(frame), 1), chunk_rows):
            yield frame.iloc[start:start + chunk_rows], len(frame)
        return
    layer, encoding = (read_options.get(name) for name in FILE_OPTIONS)
    normalise = {k: v for k, v in read_options.items() if k not in FILE_OPTIONS}
    total = pyogrio.read_info(path, layer=layer)["features"]
    digest = file_sha256(path)
    for start in range(0, max(total, 1), chunk_rows):
        raw = gpd.read_file(path, layer=layer, engine="pyogrio", encoding=encoding, skip_features=start,
                            max_features=chunk_rows)
        raw.attrs = {"source": str(path), "sha256": digest}  # errors and run_info name the file
        frame = read_proposals(raw, **normalise)
        frame["proposal_id"] += start
        yield frame, total


def _catalog_and_constraints(rules, constraints):
    catalog = rules if isinstance(rules, RuleCatalog) else load_rules(rules)
    return catalog, constraints if isinstance(constraints, ConstraintSet) else load_constraints(constraints)


def _whole_input(run_info: dict, source) -> dict:
    """A chunk's run_info, naming the whole input as the default engine does (a chunk names itself)."""
    if isinstance(source, gpd.GeoDataFrame):
        label, digest = source.attrs.get("source", run_info["input_path"]), source.attrs.get("sha256")
    else:
        label, digest = str(Path(source)), file_sha256(source)
    return {**run_info, "input_path": label, "input_sha256": digest}


def _append(path, chunk: Result, first: bool) -> None:
    """Add a chunk's proposals and findings to the GeoPackage (creating the layers with the first)."""
    pyogrio.write_dataframe(chunk.proposals, path, layer="proposals", driver="GPKG", append=not first)
    pyogrio.write_dataframe(_storable(chunk.findings), path, layer="findings", driver="GPKG", append=True)


def _finish(path, not_checked: pd.DataFrame, run_info: dict) -> None:
    """The tables written once, after every chunk: not_checked and run_info, as Result.write writes them."""
    for name, table in (("not_checked", not_checked), ("run_info", _run_info_table(run_info))):
        pyogrio.write_dataframe(_storable(table), path, layer=name, driver="GPKG", append=True)


def _report(progress, chunk: Result, total: int) -> None:
    if progress is not None and len(chunk.proposals):
        progress(int(chunk.proposals["proposal_id"].iloc[-1]) + 1, total)


__all__ = ["CHUNK_ROWS", "PARTITION_ROWS", "StreamedCheck", "check", "check_to_file", "read_chunks"]
