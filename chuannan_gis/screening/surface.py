"""One block of the surface: every planned rule evaluated on the cell centres, combined as the engine does.

Per rule, the field of its features gives each cell's measures (inside, distance per accuracy
group, depth), and :mod:`chuannan_gis.decision` decides from them exactly as it does for the
engine's pairs: fired, near, the verdict of the finding (docs/rules.md, "The near-threshold
rule") and, when asked, its certainty.  A cell's verdict is the worst among its rules, ties going
to the first in catalog order, which is also the rule band 2 names.

Each field is made once per block for all the rules that read it, and a rule is decided on the
field's listed cells and its two shared ones (:mod:`chuannan_gis.screening.fields`), then spread
over the block only where the shared ones found something.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from rasterio.features import rasterize

from .. import decision
from ..engine.index import feature_index
from ..verdicts import RANK
from .codes import NO_RULE, OUTSIDE_REGION
from .fields import SHARED, Field, block_field, shapes
from .plan import MISSING_LAYER

CLEAR_RANK = RANK["clear"]
UNKNOWN_RANK = RANK["unknown"]
CERTAIN_CODE = decision.CERTAINTY_CODES[decision.CERTAIN]


@dataclass
class BlockResult:
    """Band 1 and band 2 of a block's core, and the county (1-based position; 0 = none) of each cell.

    ``certainty`` (when asked) is the certainty of each cell's verdict as
    :data:`chuannan_gis.decision.CERTAINTY_CODES` (0 where clear), chosen as the engine chooses a
    proposal's: the deciding rule's, ``certain`` when any rule of the same verdict is.  It is not
    yet written to the file.
    """

    verdict: np.ndarray
    rule: np.ndarray
    county: np.ndarray
    certainty: np.ndarray | None = None


def evaluate_block(plan, constraints, block, *, with_certainty: bool = False) -> BlockResult:
    """Bands 1 and 2 of ``block`` under ``plan`` (before the extent mask and nodata)."""
    shape = block.core_shape
    findings = {}
    for reading in plan.fields(constraints):
        field = block_field(
            constraints,
            reading.source,
            block,
            reading.threshold,
            with_depth=with_certainty and reading.has("intersects"),
            # an outside rule decides by the nearest feature, a distance rule's certainty is the nearest one's
            nearest=reading.has("outside") or (with_certainty and reading.has("dwithin")),
            outside=reading.has("outside"),
        )
        for planned in reading.rules:
            findings[planned.code] = (field, *_rule_cells(planned, field, with_certainty))
    rank = np.full(shape, CLEAR_RANK, dtype=np.uint8)
    rule = np.full(shape, NO_RULE, dtype=np.uint16)
    certainty = np.zeros(shape, dtype=np.uint8) if with_certainty else None
    for planned in plan.rules:
        found = findings.get(planned.code) or _everywhere(planned, rank.size, with_certainty)
        _combine(rank, rule, certainty, planned.code, *found)
    county = county_cells(constraints, block)
    band1 = np.where((rank == UNKNOWN_RANK) & (county == 0), OUTSIDE_REGION, rank)
    if with_certainty:
        certainty[rank <= CLEAR_RANK] = 0
    return BlockResult(band1.astype(np.uint16), rule, county, certainty)


def _everywhere(planned, size: int, with_certainty: bool) -> tuple:
    """The finding of a rule that reads no field, the same in every cell: as the engine, a required
    layer that is missing makes every proposal in scope unknown."""
    assert planned.operation == MISSING_LAYER, planned
    field = Field.uniform(size)
    rank = decision.missing_layer_rank(np.ones(field.inside.shape, dtype=bool))
    return field, rank, np.zeros(rank.shape, dtype=np.uint8) if with_certainty else None


def _combine(rank, rule, certainty, code: int, field, cell_rank, cell_certainty) -> None:
    """Fold one rule's finding (per cell of ``field``) into the block's worst rank so far, its rule
    and its certainty, in place.

    The worst rule wins, ties going to the first in catalog order (rules come in that order);
    among equal verdicts a certain finding is preferred, as for a proposal.  Where the rule finds
    nothing in the interior and the background, only the listed cells are touched.
    """
    if field.spreads(cell_rank) or (cell_certainty is not None and field.spreads(cell_certainty)):
        cells, cell_rank = slice(None), field.spread(cell_rank)
        cell_certainty = None if cell_certainty is None else field.spread(cell_certainty)
    else:
        cells, cell_rank = field.cells, cell_rank[:-SHARED]
        cell_certainty = None if cell_certainty is None else cell_certainty[:-SHARED]
    flat_rank, flat_rule = rank.reshape(-1), rule.reshape(-1)
    worst, deciding = flat_rank[cells], flat_rule[cells]  # (views where every cell is taken)
    worse = cell_rank > worst
    np.maximum(worst, cell_rank, out=worst)
    np.copyto(deciding, code, where=worse)
    flat_rank[cells], flat_rule[cells] = worst, deciding
    if certainty is not None:
        flat_certainty = certainty.reshape(-1)
        kept = flat_certainty[cells]
        np.copyto(kept, cell_certainty, where=worse)
        np.copyto(kept, CERTAIN_CODE, where=(cell_rank == worst) & (cell_certainty == CERTAIN_CODE))
        flat_certainty[cells] = kept


def _rule_cells(planned, field, with_certainty: bool) -> tuple[np.ndarray, np.ndarray | None]:
    """The rank of one rule's finding on the field's cells (0: none), and its certainty code when asked."""
    fired, near = _fired_near(planned, field)
    rank = decision.finding_rank(planned.rule.verdict, fired, near)
    if not with_certainty:
        return rank, None
    codes = _certainty(planned, field, near)
    codes[rank == 0] = 0
    return rank, codes


def _fired_near(planned, field) -> tuple[np.ndarray, np.ndarray]:
    """Cells where the rule's condition holds, and cells in its near-threshold band."""
    if planned.operation == "outside":
        # the nearest feature decides whose accuracy band applies
        distance, accuracy = field.nearest()
        return decision.fired_near("outside", distance, accuracy, hit=field.inside)
    # a hit on any feature decides before a near one on another
    per_group = [
        decision.fired_near(planned.operation, distance, accuracy, planned.threshold, hit=field.inside)
        for accuracy, distance in zip(field.accuracies, field.distances)
    ]
    if not per_group:
        empty = np.zeros(field.inside.shape, dtype=bool)
        return empty, empty
    return decision.any_feature(*(np.stack(arrays) for arrays in zip(*per_group)))


def _certainty(planned, field, near) -> np.ndarray:
    """Certainty codes per cell from the measures of the feature that decides, as the engine's."""
    if planned.operation == "intersects":
        # inside cells are measured by their depth, near ones by their miss (never certain)
        distance = np.where(field.inside | near, 0.0, np.nan)
        return decision.finding_certainty(
            "intersects", near, field.inside_accuracy, distance=distance, depth=field.depth, as_codes=True
        )
    distance, accuracy = field.nearest()
    return decision.finding_certainty(
        planned.operation, near, accuracy, distance=distance, threshold=planned.threshold, as_codes=True
    )


def county_cells(constraints, block) -> np.ndarray:
    """The county of each core cell centre, as its 1-based position in the counties index (0 = none)."""
    index = feature_index(constraints, "counties")
    pieces = index.tree.query(shapely.box(*block.bounds))
    if len(pieces) == 0:
        return np.zeros(block.core_shape, dtype=np.uint16)
    return rasterize(
        zip(shapes(index, pieces), (index.piece_feature[pieces] + 1).tolist()),
        out_shape=block.core_shape,
        transform=block.core_transform,
        all_touched=False,
        fill=0,
        dtype=np.uint16,
    )
