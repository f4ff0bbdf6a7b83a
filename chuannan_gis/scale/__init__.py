"""The check at province scale: dask-geopandas partitions, chunked input, results written as they come.

:func:`check_frame` gives the same Result as :func:`chuannan_gis.engine.check_frame`, computed partition by
partition on dask (see :mod:`~chuannan_gis.scale.partition`).  :func:`check_to_file` streams
(:mod:`chuannan_gis.stream`): it reads the input a chunk at a time, checks each chunk on dask and
appends its results to the output GeoPackage, so memory depends on the chunk size, not on the input
size.  Both run on local threads by default, or on a dask.distributed cluster (``scheduler=``
its address or Client).  See ``docs/scale.md``.
"""

from __future__ import annotations

import contextlib

from ..inputs import check_inputs
from ..layers import ConstraintSet
from ..result import Result, RunInfo
from ..rules import RuleCatalog
from ..stream import CHUNK_ROWS, report_progress
from ..stream import check_to_file as stream_to_file
from .cluster import runner
from .partition import check_chunk, merge

# Rows per spatial partition within a chunk: enough work per task to hide dask's overhead.
PARTITION_ROWS = 25_000


def check(proposals, constraints=None, rules=None, **options) -> Result:
    """:func:`chuannan_gis.check` with ``engine="dask"``: read, normalise once, then :func:`check_frame`."""
    frame, catalog, constraint_set, engine_options = check_inputs(proposals, constraints, rules, **options)
    return check_frame(frame, catalog, constraint_set, **engine_options)


def check_frame(
    frame,
    catalog: RuleCatalog,
    constraints: ConstraintSet,
    *,
    scheduler=None,
    chunk_rows=CHUNK_ROWS,
    partition_rows=PARTITION_ROWS,
    progress=None,
) -> Result:
    """Check normalised proposals on dask-geopandas; the same Result as the default engine; no I/O.

    Parameters
    ----------
    frame, catalog, constraints
        As :func:`chuannan_gis.engine.check_frame`.
    scheduler : None, str or distributed.Client
        None or ``"threads"``, ``"processes"``, ``"synchronous"``, a Client, or a cluster address.
    chunk_rows, partition_rows : int
        Rows checked at a time, and rows per spatial partition.
    progress : callable, optional
        Called as ``progress(done, total)`` in proposals after each chunk.

    Returns
    -------
    Result

    Examples
    --------
    >>> result = chuannan_gis.check("parcels.gpkg", engine="dask", scheduler="tcp://10.0.0.5:8786")  # doctest: +SKIP
    """
    chunks = []
    with runner(scheduler, constraints, catalog) as run:
        for start in range(0, max(len(frame), 1), chunk_rows):
            chunks.append(check_chunk(frame.iloc[start : start + chunk_rows], run, catalog, partition_rows))
            report_progress(progress, chunks[-1], len(frame))
    result = merge(chunks, catalog)
    # the partitions each recorded themselves; the run's record names the whole input
    result.run_info = RunInfo.for_run(catalog, constraints, frame)
    return result.hold(constraints, catalog)


def check_to_file(proposals, output, constraints=None, rules=None, **options):
    """:func:`chuannan_gis.stream.check_to_file` with ``engine="dask"``: chunks checked on dask's
    partitions (``scheduler``, ``partition_rows``), written as they come."""
    return stream_to_file(proposals, output, constraints, rules, engine="dask", **options)


@contextlib.contextmanager
def chunk_checker(constraints, catalog, *, scheduler=None, partition_rows=None):
    """A function checking one normalised chunk on dask, for :func:`chuannan_gis.stream.check_to_file`."""
    partition_rows = PARTITION_ROWS if partition_rows is None else partition_rows
    with runner(scheduler, constraints, catalog) as run:
        yield lambda frame: check_chunk(frame, run, catalog, partition_rows)


__all__ = ["CHUNK_ROWS", "PARTITION_ROWS", "check", "check_frame", "check_to_file", "chunk_checker"]
