"""One chunk of proposals, partitioned spatially with dask-geopandas and checked partition by partition.

Every finding of the engine depends on its own proposal only, so checking partitions apart and
putting the pieces back in proposal order gives exactly the default engine's Result.  Partitions
are cut along a Hilbert curve, so each one queries a compact part of the constraint indexes.
"""

from __future__ import annotations

import dask
import dask_geopandas

from ..engine import check_frame as engine_check_frame
from ..engine.merge import merge
from ..result import Result


def check_chunk(frame, run, catalog, partition_rows: int) -> Result:
    """Check a normalised chunk (``proposal_id`` already global) on dask; the Result in proposal order.

    ``run`` is a :class:`~chuannan_gis.scale.cluster.Runner`: it computes the tasks, and holds
    what they are passed for the constraint set and catalog (the objects, or futures on a cluster).
    """
    # A proposal without a geometry has no place on the curve; the engine reports it all the same.
    # (An empty chunk goes through too: the engine's empty Result still says what was not checked.)
    located = (frame.geometry.notna() & ~frame.geometry.is_empty).to_numpy()
    parts = [dask.delayed(frame[~located])] if frame.empty or not located.all() else []
    if located.any():
        parts += spatial_partitions(frame[located], partition_rows)
    tasks = [dask.delayed(check_partition)(part, run.constraints, run.catalog) for part in parts]
    return merge(run.compute(tasks), catalog)


def spatial_partitions(frame, partition_rows: int) -> list:
    """``frame`` cut into partitions of about ``partition_rows`` along a Hilbert curve, as delayed frames."""
    partitions = max(1, -(-len(frame) // partition_rows))
    # dask would turn text columns into pyarrow strings; the engine gets the normalised frame's own types
    with dask.config.set({"dataframe.convert-string": False}):
        collection = dask_geopandas.from_geopandas(frame, npartitions=partitions)
        if partitions > 1:
            collection = collection.spatial_shuffle(by="hilbert", npartitions=partitions)
        return list(collection.to_delayed())


def check_partition(part, constraints, catalog) -> Result:
    """The engine's Result for one partition of normalised proposals (their global ids kept)."""
    return engine_check_frame(part.reset_index(drop=True), catalog, constraints)
