"""Rules judged by one feature: the zone holding the largest share of a proposal on its own side.

The shoreline zones of SCHEMA.md cover their bank's half of the water and the land strip.  A port
drawn across a coarse centreline grazes the far bank's zone; the zoning it has to follow is its own
bank's.  A condition with ``largest_share_by: bank`` therefore judges each proposal by one feature:

1. its side is the ``bank`` value whose features hold most of it (area for polygons, length for
   lines) — the side of the centreline holding most of it, as the zones split the river there;
2. of the features on that side, the one holding the largest share of it decides.

The rule is then measured, as every rule, on its filtered features: for the proposals whose
deciding feature passes the rule's filter, fully; for the others only in the accuracy band, and
only on the proposal's own side — a zone of
the rule's class on the proposal's own bank that it does not touch but may, by the zone's accuracy,
still reach (the bundled zones are placed to ±20 km) keeps its near-threshold review.  A proposal
touching no feature keeps the normal test.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .index import feature_index
from .measure import measure_pairs


def share_groups(proposals, rows: np.ndarray, constraints, condition) -> list[tuple[np.ndarray, tuple, bool]]:
    """``(rows, filter items, near only)`` to measure the rule on, by side and by whether the
    deciding feature passes the filter (``near only`` False) or not (True: keep near findings only).

    Parameters
    ----------
    proposals : ProposalGeometry
    rows : ndarray of int
        The proposals the rule applies to (usable geometries).
    constraints : ConstraintSet
    condition : chuannan_gis.rules.Condition
        With ``largest_share_by`` set.
    """
    layer, side_field = condition.layer, condition.largest_share_by
    every = feature_index(constraints, layer)
    pairs = measure_pairs(proposals, rows, every, 0.0)
    attributes = constraints.measured(layer).loc[every.fids[pairs.feature]]
    table = pd.DataFrame(
        {
            "row": pairs.row,
            "overlap": pairs.overlap,
            "side": attributes[side_field].fillna("").astype(str).to_numpy(),
            "passes": _passes(attributes, condition.filter),
        }
    )
    groups = []
    touching = np.unique(table["row"].to_numpy())
    groups.append((np.setdiff1d(rows, touching), condition.filter_key(), False))
    if table.empty:
        return groups
    # Side per proposal: the most overlap summed by side (ties: first in order, stable).
    by_side = table.groupby(["row", "side"], sort=False)["overlap"].sum().reset_index()
    side = by_side.sort_values(["row", "overlap"], ascending=[True, False], kind="stable").drop_duplicates("row")
    table = table.merge(side[["row", "side"]], on=["row", "side"])
    # Deciding feature: the largest overlap on that side.
    deciding = table.sort_values(["row", "overlap"], ascending=[True, False], kind="stable").drop_duplicates("row")
    fired = deciding[deciding["passes"]]
    # Where the deciding zone passes, the rule's own features of both banks: the zone of its class
    # continues across the centreline, so its depth (certainty) is measured in their union, as the
    # screening surface measures it.
    groups.append((fired["row"].to_numpy(dtype=rows.dtype), condition.filter_key(), False))
    for value, chosen in deciding[~deciding["passes"]].groupby("side", sort=True):
        key = condition.filter_key() if value == "" else _with(condition.filter, side_field, value)
        groups.append((chosen["row"].to_numpy(dtype=rows.dtype), key, True))
    return groups


def _passes(attributes: pd.DataFrame, filter: dict[str, list[str]]) -> np.ndarray:
    mask = np.ones(len(attributes), dtype=bool)
    for field, values in filter.items():
        mask &= attributes[field].isin(values).to_numpy()
    return mask


def _with(filter: dict[str, list[str]], field: str, value: str) -> tuple:
    items = {**filter, field: [value]}
    return tuple(sorted((f, tuple(sorted(v))) for f, v in items.items()))
