"""Exact measures between proposals and indexed features, vectorised over candidate pairs.

The tree query finds candidate (proposal, piece) pairs within reach; distances and overlaps are
computed on those pairs only, then reduced to one value per (proposal, feature) and, per rule, to
the one feature that decides the finding.  No Python loop runs over pairs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import shapely

from ..decision import accuracy_band, finding_certainty, fired_near
from .index import FeatureIndex
from .runs import run_starts

# A proposal counts as "within" a feature when the feature covers this share of it (float noise).
WITHIN_SHARE = 1 - 1e-9
# Grid (m) the pieces are snapped to when united (for a depth, a union overlap, a share within a
# distance): neighbouring features digitised apart (the two banks' shoreline zones, adjacent
# parcels) leave cracks of 1e-10 m that would read as a boundary inside.
DEPTH_SNAP_M = 1e-3
# How far beyond the accuracy an outline is still looked for before a proposal counts as deep:
# more than snapping to DEPTH_SNAP_M can move a boundary, so the shortcut never decides a tie.
OUTLINE_MARGIN_M = 4 * DEPTH_SNAP_M


@dataclass(frozen=True)
class ProposalGeometry:
    """Proposal geometries in the measuring CRS, with what the measures need.

    ``geoms`` holds None where a geometry could not be evaluated; ``size`` is the area of a
    polygon, the length of a line, 0 for a point.
    """

    geoms: np.ndarray
    dimension: np.ndarray
    size: np.ndarray
    # (index, reach, overlaps) → (index, rows, Pairs) measured in this check, so a rule measuring a
    # subset of rows already measured against the same index (region_partly_outside after the
    # county assignment) filters them instead of querying and overlaying again
    measured: dict = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_geoms(cls, geoms: np.ndarray) -> ProposalGeometry:
        dimension = shapely.get_dimensions(geoms)
        return cls(geoms, dimension, geometry_size(geoms, dimension))


def geometry_size(geoms: np.ndarray, dimension: np.ndarray) -> np.ndarray:
    """Area of polygonal, length of lineal geometries, 0 for points and missing ones."""
    size = np.where(dimension == 2, shapely.area(geoms), np.where(dimension == 1, shapely.length(geoms), 0.0))
    return np.nan_to_num(size)


@dataclass(frozen=True)
class Pairs:
    """One row per (proposal row, feature position) within reach: least distance and total overlap."""

    row: np.ndarray
    feature: np.ndarray
    distance: np.ndarray
    overlap: np.ndarray  # area (polygon proposals) or length (line proposals) inside the feature

    def take(self, mask) -> Pairs:
        return Pairs(self.row[mask], self.feature[mask], self.distance[mask], self.overlap[mask])


def measure_pairs(
    proposals: ProposalGeometry,
    rows: np.ndarray,
    index: FeatureIndex,
    reach: float,
    overlaps: str = "all",
    *,
    bands: bool = False,
) -> Pairs:
    """Distances and overlaps between proposals ``rows`` and the features of ``index`` within ``reach`` m.

    Parameters
    ----------
    proposals : ProposalGeometry
    rows : ndarray of int
        Positions of the proposals to measure (all with a usable geometry).
    index : FeatureIndex
    reach : float
        Search distance in metres; 0 finds intersecting features only.
    overlaps : {"all", "ties"}
        Which overlaps to measure: of every touching pair, or (a distance rule, which reports a
        distance, never an overlap) only where a proposal touches several features, for the
        overlap then decides which one the finding names; elsewhere 0.
    bands : bool
        Search each feature within ``reach`` plus its own accuracy band (a decision's near band,
        :func:`chuannan_gis.decision.fired_near`): a pair farther than that is neither fired nor near.
    """
    key = (id(index), float(reach), overlaps, bands)
    if key in proposals.measured:
        _, done, pairs = proposals.measured[key]
        if np.isin(rows, done).all():
            return pairs.take(np.isin(pairs.row, rows))
    pairs = _measure_pairs(proposals, rows, index, reach, overlaps, bands)
    proposals.measured[key] = (index, rows, pairs)  # the index is held so its id stays its own
    return pairs


def _measure_pairs(proposals, rows, index, reach, overlaps, bands) -> Pairs:
    geoms = proposals.geoms[rows]
    widest = reach + (index.max_accuracy if bands else 0.0)
    if widest > 0:
        # candidates by envelope, then one exact distance per pair: a dwithin query would compute
        # the distance once to select the pair and the measure again
        bounds = shapely.bounds(geoms)
        box = bounds + np.array([-widest, -widest, widest, widest])
        query, piece = index.tree.query(shapely.box(box[:, 0], box[:, 1], box[:, 2], box[:, 3]))
        own = reach + (accuracy_band(index.accuracy[index.piece_feature[piece]]) if bands else 0.0)
        if bands:
            # the gap between the two envelopes is at most the distance: a pair whose gap exceeds
            # its feature's own reach (the widest band is one feature's: ports' 20 km) needs none
            gap = _envelope_gap(bounds[query], index.piece_bounds()[piece])
            close = gap <= own * (1 + 1e-9) + 1e-6  # a margin over the rounding of the gap
            query, piece, own = query[close], piece[close], own[close]
        distance = shapely.distance(geoms[query], index.pieces[piece])
        within = distance <= own
        query, piece, distance = query[within], piece[within], distance[within]
    else:
        query, piece = index.intersecting(geoms)
        distance = np.zeros(len(query))  # intersecting: no distance to measure
    feature = index.piece_feature[piece]
    per_row = max(len(index), 1)  # pair key = query position * per_row + feature position
    keys, inverse = np.unique(query.astype(np.int64) * per_row + feature, return_inverse=True)
    least = np.full(len(keys), np.inf)
    np.minimum.at(least, inverse, distance)
    wanted = distance == 0
    if overlaps == "ties":
        touched = np.bincount((keys // per_row)[least == 0], minlength=len(rows))  # features each touches
        wanted &= touched[query] > 1
    overlap = np.bincount(
        inverse, weights=_piece_overlap(proposals, rows, query, geoms, index, piece, wanted), minlength=len(keys)
    )
    return Pairs(rows[keys // per_row], keys % per_row, least, overlap)


def _envelope_gap(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The least distance between the boxes ``a`` and ``b`` (rows of xmin, ymin, xmax, ymax)."""
    dx = np.maximum(np.maximum(a[:, 0] - b[:, 2], b[:, 0] - a[:, 2]), 0.0)
    dy = np.maximum(np.maximum(a[:, 1] - b[:, 3], b[:, 1] - a[:, 3]), 0.0)
    return np.hypot(dx, dy)


def _piece_overlap(proposals, rows, query, geoms, index, piece, wanted) -> np.ndarray:
    """Overlap of each ``wanted`` (touching) (proposal, piece) pair, in the proposal's own dimension."""
    touching = wanted & (proposals.size[rows[query]] > 0)
    overlap = np.zeros(len(query))
    # A proposal wholly inside a piece overlaps it by its own size: no overlay needed.  Most pairs
    # are such (proposals are small beside 10 km pieces), and the overlay is the engine's main cost.
    inside = touching.copy()
    # prepared pieces: most are tested against many proposals (the calling thread's copies, see index.py)
    inside[touching] = shapely.contains_properly(index.prepared_pieces()[piece[touching]], geoms[query[touching]])
    overlap[inside] = proposals.size[rows[query[inside]]]
    straddling = np.flatnonzero(touching & ~inside)
    if len(straddling):
        overlap[straddling] = _straddling_overlap(proposals, rows[query[straddling]], index, piece[straddling])
    return overlap


def _straddling_overlap(proposals: ProposalGeometry, row: np.ndarray, index: FeatureIndex, piece: np.ndarray):
    """The overlaps of proposals ``row`` with the pieces they cross, each pair overlaid once per
    check: the rules on one layer (the counties', the red lines') meet the same pairs again."""
    keys = row.astype(np.int64) * len(index.pieces) + piece
    _, known, values = proposals.measured.get(("straddling", id(index)), (index, np.zeros(0, np.int64), np.zeros(0)))
    at = np.minimum(np.searchsorted(known, keys), max(len(known) - 1, 0))
    found = (known[at] == keys) if len(known) else np.zeros(len(keys), dtype=bool)
    overlap = np.where(found, values[at] if len(known) else 0.0, 0.0)
    new = np.flatnonzero(~found)
    if len(new):
        shared = shapely.intersection(proposals.geoms[row[new]], index.pieces[piece[new]])
        overlap[new] = geometry_size(shared, proposals.dimension[row[new]])
        added, first = np.unique(keys[new], return_index=True)
        merged = np.concatenate([known, added])
        order = np.argsort(merged, kind="stable")
        proposals.measured[("straddling", id(index))] = (
            index,  # held so its id stays its own
            merged[order],
            np.concatenate([values, overlap[new][first]])[order],
        )
    return overlap


@dataclass(frozen=True)
class Outcome:
    """The deciding feature per proposal with a finding: fired on the data, or near (in the accuracy
    band; for ``outside``, fired but possibly inside), and the finding's certainty."""

    row: np.ndarray
    feature: np.ndarray  # -1 when the layer has no feature at all to measure to
    distance: np.ndarray
    overlap: np.ndarray
    fired: np.ndarray
    near: np.ndarray
    certainty: np.ndarray  # SCHEMA.md findings ``certainty`` (decision.finding_certainty)
    # Number of qualifying features the finding rests on (inside rules: those it overlaps; 1 else).
    features: np.ndarray
    # Share (%) of a line or polygon proposal within the threshold of the qualifying features
    # (``dwithin`` findings that fired on the data); NaN elsewhere.
    share_within: np.ndarray

    def take(self, mask) -> Outcome:
        return Outcome(
            self.row[mask],
            self.feature[mask],
            self.distance[mask],
            self.overlap[mask],
            self.fired[mask],
            self.near[mask],
            self.certainty[mask],
            self.features[mask],
            self.share_within[mask],
        )


def decide(
    proposals: ProposalGeometry, rows: np.ndarray, index: FeatureIndex, predicate: str, threshold: float | None
) -> Outcome:
    """Which proposals fire a condition, and on which feature, with the near-threshold band.

    The measures are taken here; what they mean (fired, near, certain) is decided by
    :mod:`chuannan_gis.decision`, which the screening surface shares.  An inside rule's overlap
    (and ``within``'s test) is with the union of the qualifying features the proposal touches,
    so a layer delivered as many parcels reports the whole overlap; the finding still names the
    feature of largest overlap.
    """
    if predicate == "outside":
        return _decide_outside(proposals, rows, index)
    if predicate == "partly_outside":
        return _decide_partly_outside(proposals, rows, index)
    threshold = threshold or 0.0
    overlaps = "ties" if predicate == "dwithin" else "all"
    pairs = measure_pairs(proposals, rows, index, threshold, overlaps, bands=True)
    accuracy = index.accuracy[pairs.feature]
    hit, united, count = None, None, None
    if predicate in ("intersects", "within"):
        united, count = union_overlap(proposals, pairs, index)
        if predicate == "within":
            size = proposals.size[pairs.row]
            hit = (pairs.distance == 0) & ((size == 0) | (united >= size * WITHIN_SHARE))
    fired, near = fired_near(predicate, pairs.distance, accuracy, threshold, hit=hit)
    relevant = fired | near
    chosen = _deciding_pair(pairs.take(relevant), near[relevant])
    row, feature, distance, overlap, near = (
        value[chosen]
        for value in (
            pairs.row[relevant],
            pairs.feature[relevant],
            pairs.distance[relevant],
            pairs.overlap[relevant],
            near[relevant],
        )
    )
    features = np.ones(len(row), dtype=np.int64)
    if united is not None:
        # a fired inside finding measures the union; a near one touches nothing (overlap 0)
        overlap = np.where(near, overlap, united[relevant][chosen])
        features = np.where(near, 1, count[relevant][chosen])
    accuracy = index.accuracy[feature]
    depth = inside_depth(proposals, row, accuracy, near, index, predicate) if predicate != "dwithin" else None
    certainty = finding_certainty(predicate, near, accuracy, distance=distance, threshold=threshold, depth=depth)
    share = np.full(len(row), np.nan)
    if predicate == "dwithin":
        share = share_within(proposals, row, near, index, threshold)
    return Outcome(row, feature, distance, overlap, ~near, near, certainty, features, share)


def union_overlap(proposals: ProposalGeometry, pairs: Pairs, index: FeatureIndex) -> tuple[np.ndarray, np.ndarray]:
    """Per pair, the overlap of its proposal with the union of the features it touches, and how
    many features that is (the same for every pair of one proposal).

    Where a proposal touches one feature this is that pair's overlap; where it touches several,
    the overlap is measured once against their union, because features may overlap each other
    (red-line blocks, zones drawn over each other), so summing the pairs could count an area twice.
    """
    touching = pairs.distance == 0
    count = np.bincount(pairs.row[touching], minlength=len(proposals.size)).astype(np.int64)
    united = np.zeros(len(proposals.size))
    np.add.at(united, pairs.row[touching], pairs.overlap[touching])
    several = np.flatnonzero((count > 1) & (proposals.size > 0))
    if len(several):
        geoms = proposals.geoms[several]
        query, piece = index.tree.query(geoms, predicate="intersects")
        union = _union_by_row(index.pieces, piece, query, len(several))
        # the union is snapped (cracks closed); the proposal is not, so its area inside stays exact
        shared = shapely.intersection(geoms, union)
        united[several] = geometry_size(shared, proposals.dimension[several])
    return np.minimum(united, proposals.size)[pairs.row], count[pairs.row]


def share_within(
    proposals: ProposalGeometry, row: np.ndarray, near: np.ndarray, index: FeatureIndex, threshold: float
) -> np.ndarray:
    """Share (%) of each line or polygon proposal within ``threshold`` m of the qualifying features,
    for distance findings that fired on the data; NaN for points and near findings.

    The part within is the proposal's intersection with the union of the features' pieces within
    reach, buffered by the threshold: one buffer per proposal, not per piece.
    """
    share = np.full(len(row), np.nan)
    measure = np.flatnonzero(~near & (proposals.dimension[row] > 0) & (proposals.size[row] > 0))
    if len(measure) == 0:
        return share
    geoms = proposals.geoms[row[measure]]
    query, piece = index.tree.query(geoms, predicate="dwithin", distance=threshold)
    unions, inverse = distinct_unions(index.pieces, piece, query, len(measure))
    zone = shapely.buffer(unions, threshold)[inverse]
    inside = geometry_size(shapely.intersection(geoms, zone), proposals.dimension[row[measure]])
    share[measure] = np.minimum(100.0 * inside / proposals.size[row[measure]], 100.0)
    return share


def _deciding_pair(pairs: Pairs, near: np.ndarray) -> np.ndarray:
    """Per proposal, the position of the pair that decides: fired before near, larger overlap, then nearer."""
    return first_per_row(pairs.row, np.lexsort((pairs.distance, -pairs.overlap, near, pairs.row)))


def first_per_row(row: np.ndarray, order: np.ndarray) -> np.ndarray:
    """The first position of ``order`` (sorted by row first) for each distinct row."""
    return order[run_starts(row[order])]


def inside_depth(
    proposals: ProposalGeometry,
    row: np.ndarray,
    accuracy: np.ndarray,
    near: np.ndarray,
    index: FeatureIndex,
    predicate: str,
) -> np.ndarray:
    """How deep each fired proposal lies inside the qualifying features, as
    :func:`chuannan_gis.decision.certain_inside` compares it with the accuracy; NaN where near.

    Measured against the union of the qualifying pieces within the accuracy of the proposal:
    within that reach the union's boundary is the features' own (the cuts between pieces are
    inside it), and anything farther is at least the accuracy deep, all the comparison needs.
    A point's depth, and for ``within`` the shallowest part's, is the distance to that boundary;
    for ``intersects`` a line or polygon crossing the boundary counts as the accuracy deep when
    it meets the union shrunk by the accuracy (else the distance, 0: a lower bound).  Only
    fired findings whose feature states an accuracy above 0 need geometry; the others are 0.
    """
    band = np.nan_to_num(accuracy, nan=0.0)
    depth = np.where(near, np.nan, 0.0)
    measure = np.flatnonzero(~near & (band > 0))
    if len(measure) == 0:
        return depth
    # Where no feature's outline comes within the accuracy (and the snapping's reach) of a fired
    # proposal, it lies at least that deep inside: only the others need a union and a distance.
    outlines = index.outline_tree()
    if outlines is not None:
        near_outline = outlines.query(
            proposals.geoms[row[measure]], predicate="dwithin", distance=band[measure] + OUTLINE_MARGIN_M
        )[0]
        deep = np.ones(len(measure), dtype=bool)
        deep[near_outline] = False
        depth[measure[deep]] = band[measure[deep]]
        measure = measure[~deep]
        if len(measure) == 0:
            return depth
    geoms, reach = proposals.geoms[row[measure]], band[measure]
    query, piece = index.tree.query(geoms, predicate="dwithin", distance=reach)
    unions, inverse = distinct_unions(index.pieces, piece, query, len(measure))
    union = unions[inverse]
    polygonal = shapely.get_dimensions(union) == 2  # a line or point feature has no inside to be deep in
    found = np.where(polygonal, shapely.distance(geoms, shapely.boundary(unions)[inverse]), 0.0)
    if predicate == "intersects":
        crossing = np.flatnonzero(polygonal & (found < reach) & (proposals.dimension[row[measure]] > 0))
        if len(crossing):
            # shrink each distinct (union, accuracy) once: rows sharing a union mostly share it
            pairs, which = np.unique(
                np.stack([inverse[crossing], reach[crossing]], axis=1), axis=0, return_inverse=True
            )
            shrunk = shapely.buffer(unions[pairs[:, 0].astype(np.int64)], -pairs[:, 1])[which.reshape(-1)]
            deep = shapely.intersects(geoms[crossing], shrunk)
            found[crossing] = np.where(deep, reach[crossing], found[crossing])
    depth[measure] = found
    return depth


def _union_by_row(pieces: np.ndarray, piece: np.ndarray, group: np.ndarray, count: int) -> np.ndarray:
    """The union of ``pieces[piece]`` per ``group`` (0..count-1), snapped to :data:`DEPTH_SNAP_M`.

    Neighbouring proposals mostly meet the same few pieces, so each distinct set of pieces is
    united once (one C-level reduction over a padded table) and shared by the rows that have it:
    the returned array repeats the same geometry object for those rows.
    """
    unions, inverse = distinct_unions(pieces, piece, group, count)
    return unions[inverse]


def distinct_unions(pieces, piece, group, count, grid_size=DEPTH_SNAP_M) -> tuple[np.ndarray, np.ndarray]:
    """The unions of each distinct set of pieces, and per group which one is its (``grid_size``
    None: unsnapped, as the overlap table unites them)."""
    order = np.lexsort((piece, group))
    group, piece = group[order], piece[order]
    start = np.searchsorted(group, np.arange(count))
    slot = np.arange(len(group)) - start[group]
    table = np.full((count, max(int(slot.max()) + 1, 1) if len(slot) else 1), -1, dtype=np.int64)
    table[group, slot] = piece
    distinct, inverse = np.unique(table, axis=0, return_inverse=True)
    geoms = np.full(distinct.shape, None, dtype=object)
    present = distinct >= 0
    geoms[present] = pieces[distinct[present]]
    return shapely.union_all(geoms, grid_size=grid_size, axis=1), inverse.reshape(-1)


def _touching(proposals: ProposalGeometry, rows: np.ndarray, index: FeatureIndex) -> np.ndarray:
    """The rows that touch a feature: from the pairs already measured against the index (the
    region's edge after the counties), else by one tree query."""
    measured = proposals.measured.get((id(index), 0.0, "all", False))
    if measured is not None and np.isin(rows, measured[1]).all():
        return rows[np.isin(rows, measured[2].row)]
    return rows[index.intersecting(proposals.geoms[rows])[0]]


def _decide_outside(proposals: ProposalGeometry, rows: np.ndarray, index: FeatureIndex) -> Outcome:
    """Proposals that touch no feature; near when the nearest one is within its accuracy."""
    # only which proposals touch a feature matters here, not by how much
    outside = np.setdiff1d(rows, _touching(proposals, rows, index))
    if len(index) == 0 or len(outside) == 0:
        count = len(outside)
        # no feature to measure to: the rule fires without a measure (certainty empty)
        fired, near = fired_near("outside", np.full(count, np.nan), np.full(count, np.nan))
        return Outcome(
            outside,
            np.full(count, -1, dtype=np.int64),
            np.full(count, np.nan),
            np.zeros(count),
            fired,
            near,
            finding_certainty("outside", near, np.nan, distance=np.full(count, np.nan)),
            np.ones(count, dtype=np.int64),
            np.full(count, np.nan),
        )
    (query, piece), distance = index.tree.query_nearest(
        proposals.geoms[outside], return_distance=True, all_matches=False
    )
    feature = index.piece_feature[piece]
    accuracy = index.accuracy[feature]
    fired, near = fired_near("outside", distance, accuracy, hit=False)
    return Outcome(
        outside[query],
        feature,
        distance,
        np.zeros(len(query)),
        fired,
        near,
        finding_certainty("outside", near, accuracy, distance=distance),
        np.ones(len(query), dtype=np.int64),
        np.full(len(query), np.nan),
    )


def _decide_partly_outside(proposals: ProposalGeometry, rows: np.ndarray, index: FeatureIndex) -> Outcome:
    """Lines and polygons that touch the features but do not lie wholly inside their union.

    ``overlap`` is the size of the part outside (area, or length for a line), ``distance`` how far
    it reaches beyond the features: the farthest vertex of that part, a lower bound of the true
    reach (it errs toward ``within_accuracy``).  The deciding feature is the one the proposal
    overlaps most, whose accuracy is the edge's.  Points are in or out: ``outside`` judges them.
    """
    rows = rows[proposals.dimension[rows] > 0]
    pairs = measure_pairs(proposals, rows, index, 0.0)
    inside, _ = union_overlap(proposals, pairs, index)
    size = proposals.size[pairs.row]
    partly = (pairs.distance == 0) & (inside < size * WITHIN_SHARE)
    pairs, inside = pairs.take(partly), inside[partly]
    first = first_per_row(pairs.row, np.lexsort((-pairs.overlap, pairs.row)))
    row, feature, outside = pairs.row[first], pairs.feature[first], (proposals.size[pairs.row] - inside)[first]
    geoms = proposals.geoms[row]
    query, piece = index.tree.query(geoms, predicate="dwithin", distance=_reach_bound(geoms))
    union = _union_by_row(index.pieces, piece, query, len(row))
    part = shapely.difference(geoms, union)
    points, owner = shapely.get_coordinates(part, return_index=True)
    reach = np.zeros(len(row))
    np.maximum.at(reach, owner, shapely.distance(shapely.points(points), union[owner]))
    accuracy = index.accuracy[feature]
    fired, near = fired_near("partly_outside", reach, accuracy, hit=np.ones(len(row), dtype=bool))
    return Outcome(
        row,
        feature,
        reach,
        outside,
        fired,
        near,
        finding_certainty("partly_outside", near, accuracy, distance=reach),
        np.ones(len(row), dtype=np.int64),
        np.full(len(row), np.nan),
    )


def _reach_bound(geoms: np.ndarray) -> np.ndarray:
    """The diagonal of each geometry's bounding box: every feature that can bound its part outside
    touches it, so pieces within this reach include all that shape the union near it."""
    bounds = shapely.bounds(geoms)
    return np.hypot(bounds[:, 2] - bounds[:, 0], bounds[:, 3] - bounds[:, 1])
