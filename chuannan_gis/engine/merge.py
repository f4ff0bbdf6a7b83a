"""Parts of one check put back together: the Result of proposals checked in parts (dask's spatial
partitions, or the slices of one file checked in worker processes) equals the Result of checking
them at once.

Every finding of the engine depends on its own proposal only, so only the order and the column
types need restoring.
"""

from __future__ import annotations

import pandas as pd

from ..result import VERDICT_COLUMNS, Result
from .findings import empty_findings
from .geometry import GEOMETRY_RULE_ID


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
    overlaps = pd.concat([r.overlaps for r in results], ignore_index=True).sort_values("proposal_id", kind="stable")
    return Result(proposals, findings, results[0].not_checked, results[0].run_info, overlaps.reset_index(drop=True))


__all__ = ["merge"]
