"""Exact measures between proposals and indexed features, vectorised over candidate pairs.

The tree query finds candidate (proposal, piece) pairs within reach; distances and overlaps are
computed on those pairs only, then reduced to one value per (proposal, feature) and, per rule, to
the one feature that decides the finding.  No Python loop runs over pairs.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely

from .index import FeatureIndex

# A proposal counts as "within" a feature when the feature covers this share of it (float noise).
WITHIN_SHARE = 1 - 1e-9


@dataclass(frozen=True)
class ProposalGeometry:
    """Proposal geometries in the measuring CRS, with what the measures need.

    ``geoms`` holds None where a geometry could not be evaluated; ``size`` is the area of a
    polygon, the length of a line, 0 for a point.
    """

    geoms: np.ndarray
    dimension: np.ndarray
    size: np.ndarray

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


def measure_pairs(proposals: ProposalGeometry, rows: np.ndarray, index: FeatureIndex, reach: float) -> Pairs:
    """Distances and overlaps between proposals ``rows`` and the features of ``index`` within ``reach`` m.

    Parameters
    ----------
    proposals : ProposalGeometry
    rows : ndarray of int
        Positions of the proposals to measure (all with a usable geometry).
    index : FeatureIndex
    reach : float
        Search distance in metres; 0 finds intersecting features only.
    """
    geoms = proposals.geoms[rows]
    predicate, kwargs = ("dwithin", {"distance": reach}) if reach > 0 else ("intersects", {})
    query, piece = index.tree.query(geoms, predicate=predicate, **kwargs)
    feature = index.piece_feature[piece]
    distance = shapely.distance(geoms[query], index.pieces[piece])
    per_row = max(len(index), 1)  # pair key = query position * per_row + feature position
    keys, inverse = np.unique(query.astype(np.int64) * per_row + feature, return_inverse=True)
    least = np.full(len(keys), np.inf)
    np.minimum.at(least, inverse, distance)
    overlap = np.bincount(inverse, weights=_piece_overlap(proposals, rows, query, geoms, index, piece, distance),
                          minlength=len(keys))
    return Pairs(rows[keys // per_row], keys % per_row, least, overlap)


def _piece_overlap(proposals, rows, query, geoms, index, piece, distance) -> np.ndarray:
    """Overlap of each touching (proposal, piece) pair, in the proposal's own dimension."""
    touching = (distance == 0) & (proposals.size[rows[query]] > 0)
    overlap = np.zeros(len(query))
    # A proposal wholly inside a piece overlaps it by its own size: no overlay needed.  Most pairs
    # are such (proposals are small beside 10 km pieces), and the overlay is the engine's main cost.
    inside = touching.copy()
    inside[touching] = shapely.contains_properly(index.pieces[piece[touching]], geoms[query[touching]])
    overlap[inside] = proposals.size[rows[query[inside]]]
    straddling = touching & ~inside
    if straddling.any():
        shared = shapely.intersection(geoms[query[straddling]], index.pieces[piece[straddling]])
        overlap[straddling] = geometry_size(shared, proposals.dimension[rows[query[straddling]]])
    return overlap


@dataclass(frozen=True)
class Outcome:
    """The deciding feature per firing proposal: fired outright, or only within the accuracy band."""

    row: np.ndarray
    feature: np.ndarray  # -1 when the layer has no feature at all to measure to
    distance: np.ndarray
    overlap: np.ndarray
    near: np.ndarray

    def take(self, mask) -> Outcome:
        return Outcome(self.row[mask], self.feature[mask], self.distance[mask], self.overlap[mask], self.near[mask])


def decide(proposals: ProposalGeometry, rows: np.ndarray, index: FeatureIndex, predicate: str,
           threshold: float | None) -> Outcome:
    """Which proposals fire a condition, and on which feature, with the near-threshold band.

    A pair fires when the predicate holds on the data; it is *near* when it does not, but would
    within the feature's ``accuracy_m`` (a distance up to threshold + accuracy, or a miss of a
    polygon by less than the accuracy).  Missing accuracy counts as 0.
    """
    if predicate == "outside":
        return _decide_outside(proposals, rows, index)
    reach = (threshold or 0.0) + index.max_accuracy
    pairs = measure_pairs(proposals, rows, index, reach)
    accuracy = np.nan_to_num(index.accuracy[pairs.feature], nan=0.0)
    if predicate == "dwithin":
        fired = pairs.distance <= threshold
        band = threshold + accuracy
    elif predicate == "intersects":
        fired = pairs.distance == 0
        band = accuracy
    else:  # within
        size = proposals.size[pairs.row]
        fired = (pairs.distance == 0) & ((size == 0) | (pairs.overlap >= size * WITHIN_SHARE))
        band = accuracy
    near = ~fired & (pairs.distance <= band)
    relevant = pairs.take(fired | near)
    return _deciding_pair(relevant, near[fired | near])


def _deciding_pair(pairs: Pairs, near: np.ndarray) -> Outcome:
    """Per proposal, the pair that decides: fired before near, larger overlap, then nearer."""
    first = first_per_row(pairs.row, np.lexsort((pairs.distance, -pairs.overlap, near, pairs.row)))
    return Outcome(pairs.row[first], pairs.feature[first], pairs.distance[first], pairs.overlap[first], near[first])


def first_per_row(row: np.ndarray, order: np.ndarray) -> np.ndarray:
    """The first position of ``order`` (sorted by row first) for each distinct row."""
    ordered = row[order]
    return order[np.r_[True, ordered[1:] != ordered[:-1]]] if len(order) else order


def _decide_outside(proposals: ProposalGeometry, rows: np.ndarray, index: FeatureIndex) -> Outcome:
    """Proposals that touch no feature; near when the nearest one is within its accuracy."""
    # only which proposals touch a feature matters here, not by how much
    touching = index.tree.query(proposals.geoms[rows], predicate="intersects")[0]
    outside = np.setdiff1d(rows, rows[touching])
    if len(index) == 0 or len(outside) == 0:
        empty = np.full(len(outside), -1, dtype=np.int64)
        return Outcome(outside, empty, np.full(len(outside), np.nan), np.zeros(len(outside)),
                       np.zeros(len(outside), dtype=bool))
    (query, piece), distance = index.tree.query_nearest(proposals.geoms[outside], return_distance=True,
                                                        all_matches=False)
    feature = index.piece_feature[piece]
    near = distance <= np.nan_to_num(index.accuracy[feature], nan=0.0)
    return Outcome(outside[query], feature, distance, np.zeros(len(query)), near)
