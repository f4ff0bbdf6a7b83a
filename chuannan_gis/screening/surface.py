"""One block of the surface: every planned rule evaluated on the cell centres, combined as the engine does.

Per rule, a cell *fires* when the condition holds on the data, and is *near* when it does not but
would within the feature's ``accuracy_m``; a near cell takes the milder of the rule's verdict and
``review``, and a ``clear`` rule counts on definite hits only (docs/rules.md, "The near-threshold
rule").  A cell's verdict is the worst among its rules, ties going to the first in catalog order,
which is also the rule band 2 names.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from rasterio.features import rasterize

from ..engine.index import feature_index
from ..verdicts import RANK, milder
from .codes import NO_RULE, OUTSIDE_REGION
from .fields import block_field
from .plan import MISSING_LAYER

CLEAR_RANK = RANK["clear"]
UNKNOWN_RANK = RANK["unknown"]


@dataclass
class BlockResult:
    """Band 1 and band 2 of a block's core, and the county (1-based position; 0 = none) of each cell."""

    verdict: np.ndarray
    rule: np.ndarray
    county: np.ndarray


def evaluate_block(plan, constraints, block) -> BlockResult:
    """Bands 1 and 2 of ``block`` under ``plan`` (before the extent mask and nodata)."""
    fields = {source: block_field(constraints, source, block, plan.threshold(source)) for source in plan.sources()}
    shape = block.core_shape
    rank = np.full(shape, CLEAR_RANK, dtype=np.uint8)
    rule = np.full(shape, NO_RULE, dtype=np.uint16)
    for planned in plan.rules:
        for verdict, cells in _verdict_cells(planned, fields.get(planned.source), shape):
            worse = cells & (rank < RANK[verdict])
            rank[worse] = RANK[verdict]
            rule[worse] = planned.code
    county = county_cells(constraints, block)
    band1 = np.where((rank == UNKNOWN_RANK) & (county == 0), OUTSIDE_REGION, rank)
    return BlockResult(band1.astype(np.uint16), rule, county)


def _verdict_cells(planned, field, shape):
    """(verdict, cells) pairs of one rule: its own verdict where it fires outright, the milder one where near."""
    verdict = planned.rule.verdict
    if planned.operation == MISSING_LAYER:
        # As the engine: a required layer that is missing makes every proposal in scope unknown.
        return [("unknown", np.ones(shape, dtype=bool))]
    fired, near = _fired_near(planned, field)
    if verdict == "clear":
        return [(verdict, fired & ~near)]
    return [(verdict, fired & ~near), (milder(verdict, "review"), near)]


def _fired_near(planned, field) -> tuple[np.ndarray, np.ndarray]:
    """Cells where the rule's condition holds, and cells in its near-threshold band."""
    if planned.operation == "intersects":
        return field.inside, ~field.inside & field.within(0.0, plus_accuracy=True)
    if planned.operation == "dwithin":
        fired = field.within(planned.threshold, plus_accuracy=False)
        return fired, ~fired & field.within(planned.threshold, plus_accuracy=True)
    # outside: every cell touching no feature fires; near when within the nearest one's accuracy
    fired = ~field.inside
    distance, accuracy = field.nearest()
    return fired, fired & (distance <= accuracy)


def county_cells(constraints, block) -> np.ndarray:
    """The county of each core cell centre, as its 1-based position in the counties index (0 = none)."""
    index = feature_index(constraints, "counties")
    pieces = index.tree.query(shapely.box(*block.bounds))
    if len(pieces) == 0:
        return np.zeros(block.core_shape, dtype=np.uint16)
    return rasterize(zip(index.pieces[pieces], index.piece_feature[pieces] + 1), out_shape=block.core_shape,
                     transform=block.core_transform, all_touched=False, fill=0, dtype=np.uint16)
