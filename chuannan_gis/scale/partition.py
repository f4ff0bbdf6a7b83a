"""One chunk of proposals, partitioned spatially with dask-geopandas and checked partition by partition.

Every finding of the engine depends on its own proposal only, so checking partitions apart and
putting the pieces back in proposal order gives exactly the default engine's Result.  Partitions
are cut along a Hilbert curve, so each one queries a compact part of the constraint indexes.
"""

from __future__ import annotations

import dask
import dask_geopandas
import pandas as pd

from ..engine import check_frame as engine_check_frame
from ..engine.findings import empty_findings
from ..engine.geometry import GEOMETRY_RULE_ID
from ..result import VERDICT_COLUMNS, Result


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


def merge(results: list[Result], catalog) -> Result:
    """One Result from partition Results, equal to the default engine's, column types included.

    The engine lists geometry findings first, then rule by rule in catalog order, each rule's by
    proposal: findings are regrouped so, after the engine's empty table, as it concatenates them.
    A proposal's result columns are typed by pandas from all the proposals' values (a column of
    only None stays ``object``), so they are re-inferred once the partitions are together.
    """
    results = [r for r in results if len(r.proposals)] or results[:1]
    proposals = pd.concat([r.proposals for r in results], ignore_index=True)
    proposals = proposals.sort_values("proposal_id", kind="stable").reset_index(drop=True)
    for column in VERDICT_COLUMNS:
        proposals[column] = proposals[column].infer_objects()
    findings = pd.concat([r.findings for r in results], ignore_index=True)
    by_rule = dict(tuple(findings.groupby("rule_id", sort=False)))
    order = [GEOMETRY_RULE_ID, *(rule.id for rule in catalog)]
    order += [rule_id for rule_id in by_rule if rule_id not in set(order)]
    tables = [by_rule[rule_id].sort_values("proposal_id", kind="stable") for rule_id in order if rule_id in by_rule]
    # each partition's (empty) table carries the column types its engine run gave, as the engine's do
    findings = pd.concat([empty_findings(), *(r.findings.iloc[:0] for r in results), *tables], ignore_index=True)
    return Result(proposals, findings, results[0].not_checked, results[0].run_info)
