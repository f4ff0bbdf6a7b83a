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
from .measure import first_per_row, measure_pairs


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
    groups = [(np.setdiff1d(rows, np.unique(pairs.row)), condition.filter_key(), False)]
    if not len(pairs.row):
        return groups
    what = ("share_sides", layer, side_field, condition.filter_key())  # per feature of the layer, once per set
    side, passes = constraints.derived(what, lambda: _feature_sides(constraints, every, condition))
    row, side, passes = _deciding(pairs.row, pairs.overlap, side[pairs.feature], passes[pairs.feature])
    # Where the deciding zone passes, the rule's own features of both banks: the zone of its class
    # continues across the centreline, so its depth (certainty) is measured in their union, as the
    # screening surface measures it.
    groups.append((row[passes].astype(rows.dtype), condition.filter_key(), False))
    for value in np.unique(side[~passes]):
        key = condition.filter_key() if value == "" else _with(condition.filter, side_field, value)
        groups.append((row[~passes & (side == value)].astype(rows.dtype), key, True))
    return groups


def _deciding(row: np.ndarray, overlap: np.ndarray, side: np.ndarray, passes: np.ndarray):
    """Per proposal touching a feature (ascending), the side and the filter's answer of its
    deciding feature; the pairs (proposal, feature) given as arrays.

    Its side is the one whose features hold most of it, summed (ties: the side met first); the
    deciding feature the one of that side holding most of it (ties: the one met first).
    """
    position = np.arange(len(row))
    sides, side_code = np.unique(side, return_inverse=True)
    key = row.astype(np.int64) * len(sides) + side_code
    keys, first, group = np.unique(key, return_index=True, return_inverse=True)
    # pandas' grouped sum (compensated, in pair order): the sides' totals exactly as before
    total = pd.Series(overlap).groupby(group).sum().to_numpy()
    group_row = keys // len(sides)
    chosen = first_per_row(group_row, np.lexsort((first, -total, group_row)))
    on_side = np.isin(key, keys[chosen])
    order = np.lexsort((position[on_side], -overlap[on_side], row[on_side]))
    deciding = position[on_side][first_per_row(row[on_side], order)]
    return row[deciding], side[deciding], passes[deciding]


def _feature_sides(constraints, every, condition) -> tuple[np.ndarray, np.ndarray]:
    """Per feature of the layer's index ``every``: its side (``""`` where it states none) and
    whether it passes the rule's filter."""
    attributes = constraints.measured(condition.layer).loc[every.fids]
    side = attributes[condition.largest_share_by].fillna("").astype(str).to_numpy()
    return side, _passes(attributes, condition.filter)


def _passes(attributes: pd.DataFrame, filter: dict[str, list[str]]) -> np.ndarray:
    mask = np.ones(len(attributes), dtype=bool)
    for field, values in filter.items():
        mask &= attributes[field].isin(values).to_numpy()
    return mask


def _with(filter: dict[str, list[str]], field: str, value: str) -> tuple:
    items = {**filter, field: [value]}
    return tuple(sorted((f, tuple(sorted(v))) for f, v in items.items()))
