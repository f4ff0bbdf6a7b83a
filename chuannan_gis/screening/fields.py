"""What one block knows of one set of features: which cell centres lie inside, and how far each is.

Inside is the features rasterized by cell centre.  Distance is a Euclidean distance transform of
the features rasterized with every touched cell (so a river narrower than a cell is not lost),
taken per group of equal ``accuracy_m``, because each feature has its own near-threshold band.
Touched cells are at distance 0, and a distance is from cell centre to cell centre: each differs
from the exact distance by at most half a cell diagonal (docs/screening.md, "Consistency").

The transform runs only on the part of the block within reach of the group's features; farther
cells are at an infinite distance as far as any rule is concerned.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import edt
import numpy as np
import shapely
from rasterio.features import rasterize

from .plan import accuracy_groups, source_index


@dataclass
class Field:
    """One source's view of a block's core: ``inside`` mask, and per accuracy group its distance (m)."""

    inside: np.ndarray
    accuracies: list[float]
    # core shape; inf beyond reach.  The transform's float32 values, held as float64: the rules'
    # decisions compute in float64, and would otherwise convert every grid again for every rule
    distances: list[np.ndarray]
    # Only when asked (certainty): how deep each inside cell centre lies (m), and the accuracy of
    # the features holding it (the widest where several do); None otherwise.
    depth: np.ndarray | None = None
    inside_accuracy: np.ndarray | None = None
    _nearest: tuple | None = None

    def nearest(self) -> tuple[np.ndarray, np.ndarray]:
        """Distance to the nearest feature, and that feature's accuracy (NaN: not stated), per cell;
        computed once per field (every rule on the source asks), read-only.

        Without any feature to measure to, the distance is NaN (no measure), as in the engine.
        """
        if self._nearest is None:
            self._nearest = self._find_nearest()
            for array in self._nearest:
                array.flags.writeable = False
        return self._nearest

    def _find_nearest(self) -> tuple[np.ndarray, np.ndarray]:
        if not self.accuracies:
            return np.full(self.inside.shape, np.nan, dtype=np.float32), np.zeros(self.inside.shape, np.float32)
        least = np.full(self.inside.shape, np.inf, dtype=np.float64)
        accuracy = np.zeros(self.inside.shape, dtype=np.float32)
        for value, distance in zip(self.accuracies, self.distances):
            closer = distance < least
            least[closer] = distance[closer]
            accuracy[closer] = value
        return least, accuracy


def block_field(constraints, source: tuple, block, threshold: float, *, with_depth: bool = False) -> Field:
    """The :class:`Field` of ``source`` (layer, filter key) on ``block``.

    Distances are exact up to ``threshold`` plus the largest accuracy of the source's features:
    as far as a near band reaches, and far enough to tell which feature is nearest within it.
    ``with_depth`` adds what an inside rule's certainty needs (:func:`_depth`).
    """
    index = source_index(constraints, source)
    reach = threshold + index.max_accuracy
    box = shapely.box(*block.bounds)
    pieces = index.tree.query(box)
    inner = block.inner
    inside = _burn(_shapes(index, pieces), block.core_shape, block.core_transform, all_touched=False)
    accuracies, distances = [], []
    for accuracy, members in accuracy_groups(index):
        chosen = np.intersect1d(members, pieces, assume_unique=True)
        accuracies.append(accuracy)
        distances.append(_distance(_shapes(index, chosen), block, reach)[inner])
    field = Field(inside.astype(bool), accuracies, distances)
    if with_depth:
        field.depth, field.inside_accuracy = _depth(index, pieces, block)
    return field


def _depth(index, pieces: np.ndarray, block) -> tuple[np.ndarray, np.ndarray]:
    """Depth (m) of each core cell centre inside the features, and the accuracy of those holding it.

    The depth is the distance transform of the features burnt by cell centre on the whole block
    (the margin reaches farther than any accuracy, so a core cell's depth is right as far as it
    is compared), less half a cell: the boundary lies between the last cell inside and the first
    outside.  It is off by at most half a cell diagonal, as the distances are.
    """
    resolution = block.grid.resolution
    burnt = _burn(_shapes(index, pieces), block.shape, block.transform, all_touched=False)
    depth = edt.edt(burnt, anisotropy=(resolution, resolution), black_border=False)
    depth = np.maximum(depth - resolution / 2, 0.0).astype(np.float32)[block.inner]
    accuracy = np.zeros(block.core_shape, dtype=np.float32)
    for value, members in accuracy_groups(index):
        chosen = np.intersect1d(members, pieces, assume_unique=True)
        held = _burn(_shapes(index, chosen), block.core_shape, block.core_transform, all_touched=False).astype(bool)
        accuracy[held] = np.maximum(accuracy[held], value)
    return depth, accuracy


# index pieces → their GeoJSON mappings, made once per piece: rasterio reads a shapely geometry
# through __geo_interface__, coordinate by coordinate in Python, every time it is burnt (each
# block, source and accuracy group burns the same pieces again)
_SHAPES: dict[int, tuple[np.ndarray, list]] = {}


def _shapes(index, positions: np.ndarray) -> list:
    """The GeoJSON mappings of ``index.pieces[positions]``, cached per index."""
    pieces, mappings = _SHAPES.get(id(index.pieces), (None, None))
    if pieces is not index.pieces:  # (the cache holds the array: its id is not reused meanwhile)
        pieces, mappings = index.pieces, [None] * len(index.pieces)
        _SHAPES[id(pieces)] = (pieces, mappings)
    for position in positions:
        if mappings[position] is None:
            mappings[position] = shapely.geometry.mapping(pieces[position])
    return [mappings[position] for position in positions]


def _burn(geoms, shape, transform, *, all_touched: bool) -> np.ndarray:
    """``geoms`` (geometries or their GeoJSON) burnt as 1 (uint8) onto an array of ``shape`` placed by ``transform``."""
    if len(geoms) == 0:
        return np.zeros(shape, dtype=np.uint8)
    return rasterize(
        ((g, 1) for g in geoms), out_shape=shape, transform=transform, all_touched=all_touched, fill=0, dtype=np.uint8
    )


def _distance(geoms: np.ndarray, block, reach: float) -> np.ndarray:
    """Distance (m) from each cell centre to the nearest touched cell, on the part of the block within reach."""
    distance = np.full(block.shape, np.inf, dtype=np.float64)
    source = _burn(geoms, block.shape, block.transform, all_touched=True)
    rows, cols = np.flatnonzero(source.any(axis=1)), np.flatnonzero(source.any(axis=0))
    if len(rows) == 0:
        return distance
    pad = math.ceil(reach / block.grid.resolution) + 1
    top, bottom = max(rows[0] - pad, 0), min(rows[-1] + pad + 1, block.shape[0])
    left, right = max(cols[0] - pad, 0), min(cols[-1] + pad + 1, block.shape[1])
    crop = source[top:bottom, left:right] == 0
    resolution = block.grid.resolution
    distance[top:bottom, left:right] = edt.edt(crop, anisotropy=(resolution, resolution), black_border=False)
    return distance
