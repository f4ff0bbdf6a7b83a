"""What one block knows of one set of features: which cell centres lie inside, and how far each is.

Inside is the features rasterized by cell centre.  Distance is a Euclidean distance transform of
the features rasterized with every touched cell (so a river narrower than a cell is not lost),
taken per group of equal ``accuracy_m``, because each feature has its own near-threshold band.
Touched cells are at distance 0, and a distance is from cell centre to cell centre: each differs
from the exact distance by at most half a cell diagonal (docs/screening.md, "Consistency").

The transform runs only on the part of the block within reach of the group's features; farther
cells are at an infinite distance as far as any rule is concerned.  So a field is held as flat
arrays on the core cells whose measures differ — near a feature's edge, within reach of it — and
two more elements stand for the many cells that all measure the same: the *interior* (inside,
touched by every group: every distance 0) and the *background* (inside nothing, every distance
infinite).  A rule is decided on those cells and on two, not on every cell of the block, and a
layer with nothing near the block costs nothing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import edt
import numpy as np
import shapely
from rasterio.features import rasterize

from ..decision import accuracy_band
from .plan import accuracy_groups, source_index

# Positions of the two shared elements at the end of every per-cell array of a Field.
INTERIOR, BACKGROUND = -2, -1
SHARED = 2
# Where at least this share of the core would be listed, every cell is: gathering most of an
# array and scattering the results back costs more than deciding all of it.
DENSE_SHARE = 1 / 3


@dataclass
class Field:
    """One source's view of a block's core: per listed cell, then the interior's, then the background's.

    ``cells`` are the listed cells' flat (row-major) positions in the core, ascending, or
    ``slice(None)`` for every cell; ``interior`` is the core mask of the interior cells (None:
    none).  Every other array has one element per listed cell and the two shared ones.
    """

    cells: np.ndarray | slice
    interior: np.ndarray | None
    size: int  # cells in the core
    inside: np.ndarray
    accuracies: list[float]
    # per accuracy group, distance (m); inf beyond the transform's reach.  The transform's float32
    # values, held as float64: the rules' decisions compute in float64
    distances: list[np.ndarray]
    # Only when asked (certainty): how deep each inside cell centre lies (m), and the accuracy of
    # the features holding it (the widest where several do); None otherwise.  (With them there is
    # no interior: depths differ from cell to cell.)
    depth: np.ndarray | None = None
    inside_accuracy: np.ndarray | None = None
    _nearest: tuple | None = None

    @classmethod
    def uniform(cls, size: int) -> Field:
        """The field of no features: every cell is background (a rule that reads none is the same everywhere)."""
        return cls(np.zeros(0, dtype=np.intp), None, size, np.zeros(SHARED, dtype=bool), [], [])

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

    def spreads(self, values: np.ndarray) -> bool:
        """Whether per-cell ``values`` (as the field's arrays) reach past the listed cells: every cell
        is listed, or a shared element that stands for some is not 0."""
        return (
            isinstance(self.cells, slice)
            or bool(values[BACKGROUND])
            or (self.interior is not None and bool(values[INTERIOR]))
        )

    def spread(self, values: np.ndarray) -> np.ndarray:
        """Per-cell ``values`` over the whole core, flat: the listed cells', the interior's, the background's."""
        if isinstance(self.cells, slice):
            return values[:-SHARED]
        everywhere = np.full(self.size, values[BACKGROUND], dtype=values.dtype)
        if self.interior is not None:
            everywhere[self.interior.reshape(-1)] = values[INTERIOR]
        everywhere[self.cells] = values[:-SHARED]
        return everywhere


def block_field(
    constraints,
    source: tuple,
    block,
    threshold: float,
    *,
    with_depth: bool = False,
    nearest: bool = True,
    outside: bool = False,
) -> Field:
    """The :class:`Field` of ``source`` (layer, filter key) on ``block``.

    Distances are exact up to ``threshold`` plus the largest accuracy of the source's features:
    as far as a near band reaches, and far enough to tell which feature is nearest within it.
    Without ``nearest`` (no rule asks which feature is nearest) each accuracy group's distance is
    exact only as far as its own band reaches: ``threshold`` plus its accuracy.  The field lists
    the cells inside a feature or within that reach of one, but the interior.  With ``outside``
    (an ``outside`` rule reads it: a cell far out is decided by its nearest feature, and differs
    from another only in whether that feature states its accuracy) it lists every cell the
    transform measured, however far, when some feature states none.  ``with_depth`` adds what an
    inside rule's certainty needs (:func:`_depth`).
    """
    index = source_index(constraints, source)
    reach = threshold + index.max_accuracy
    pieces = index.tree.query(shapely.box(*block.bounds))
    groups = [
        (accuracy, np.intersect1d(members, pieces, assume_unique=True)) for accuracy, members in accuracy_groups(index)
    ]
    accuracies = [accuracy for accuracy, _ in groups]
    far = outside and bool(np.isnan(index.accuracy).any())
    # The core burnt by centre once, each piece with its group's position + 1 and the groups in
    # order: a centre in several groups keeps the last, the widest accuracy (NaN, last, wins), as
    # the greatest of them is taken (np.maximum keeps a NaN).
    group_code = _burn_codes(index, groups, block.core_shape, block.core_transform)
    listed = group_code > 0
    interior = None if with_depth or not groups else listed.copy()
    crops = []
    for accuracy, members in groups:
        group_reach = reach if nearest else threshold + float(accuracy_band(accuracy))
        crop = _distance(shapes(index, members), block, group_reach, far=far)
        crops.append(crop)
        if crop is None:
            interior = None  # no cell is at 0 from this group
            continue
        values, window = crop
        # (float32 against the reach: at worst a cell beyond it is listed, which decides nothing differently)
        listed[window] |= True if far else values <= group_reach
        if interior is not None:
            interior[window] &= values == 0
            interior[_outside_window(interior.shape, window)] = False
    if interior is not None:
        listed &= ~interior
    depth = _depth(index, pieces, block) if with_depth else None
    if depth is not None:
        values, window = depth
        listed[window] |= values > 0  # (0, as outside the crop, is the background's depth)
    on_cells = _OnCells(listed, interior)
    code = on_cells.take(group_code, interior=0 if on_cells.interior is None else 1)
    field = Field(
        on_cells.cells,
        on_cells.interior,
        listed.size,
        code > 0,
        accuracies,
        [on_cells.take_window(crop, 0.0, np.inf, np.float64) for crop in crops],
    )
    if with_depth:
        field.depth = on_cells.take_window(depth, 0.0, 0.0, np.float32)
        field.inside_accuracy = np.array([0.0, *accuracies], dtype=np.float32)[code]
    return field


def _outside_window(shape, window: tuple[slice, slice]) -> np.ndarray:
    """The mask of the cells of an array of ``shape`` outside ``window``."""
    mask = np.ones(shape, dtype=bool)
    mask[window] = False
    return mask


class _OnCells:
    """Takes a field's values on its listed cells, its interior and its background, from core arrays or crops.

    Past :data:`DENSE_SHARE` of the core every cell is listed (then :attr:`cells` is a slice, and
    there is no interior).
    """

    def __init__(self, listed: np.ndarray, interior: np.ndarray | None):
        count = np.count_nonzero(listed)
        self.dense = count >= DENSE_SHARE * listed.size
        if self.dense:
            listed, interior, count = np.ones_like(listed), None, listed.size
        self.listed, self.count = listed, count
        self.interior = interior if interior is not None and interior.any() else None
        self.cells = slice(None) if self.dense else np.flatnonzero(listed)

    def take(self, core_values: np.ndarray, *, interior=0) -> np.ndarray:
        """``core_values`` on the listed cells, ``interior`` for the interior, 0 for the background."""
        values = np.zeros(self.count + SHARED, dtype=core_values.dtype)
        values[:-SHARED] = core_values.reshape(-1)[self.cells]
        values[INTERIOR] = interior
        return values

    def take_window(self, crop: tuple | None, interior: float, outside: float, dtype) -> np.ndarray:
        """The values of a crop ``(values, window)`` on the listed cells it covers, ``interior`` for the
        interior, ``outside`` for the other cells and the background."""
        values = np.full(self.count + SHARED, outside, dtype=dtype)
        values[INTERIOR] = interior
        if crop is None:
            return values
        window_values, (rows, cols) = crop
        on_cells = values[:-SHARED]
        if self.dense:
            on_cells.reshape(self.listed.shape)[rows, cols] = window_values
            return values
        width = self.listed.shape[1]
        low, high = np.searchsorted(self.cells, [rows.start * width, rows.stop * width])
        if cols.start == 0 and cols.stop == width:
            covered = slice(low, high)
        else:
            col = self.cells[low:high] % width
            covered = low + np.flatnonzero((col >= cols.start) & (col < cols.stop))
        # the listed cells of a window, in its row-major order, are the covered cells in the core's
        on_cells[covered] = window_values[self.listed[rows, cols]]
        return values


def _in_core(values: np.ndarray, offset: tuple[int, int], block) -> tuple[np.ndarray, tuple[slice, slice]]:
    """The part of a block crop (``values``, its top-left at block cell ``offset``) in the core, and where it lies."""
    top, left = offset
    margin = block.margin
    height, width = block.core_shape
    row0, col0 = max(top - margin, 0), max(left - margin, 0)
    # (empty, not negative, where the crop lies wholly in the margin)
    row1 = max(min(top + values.shape[0] - margin, height), row0)
    col1 = max(min(left + values.shape[1] - margin, width), col0)
    part = values[row0 + margin - top : row1 + margin - top, col0 + margin - left : col1 + margin - left]
    return part, (slice(row0, row1), slice(col0, col1))


def _depth(index, pieces: np.ndarray, block) -> tuple[np.ndarray, tuple[slice, slice]] | None:
    """Depth (m) of the core cell centres inside the features, on the part of the core holding them
    (None: no centre is inside); 0 everywhere else.

    The depth is the distance transform of the features burnt by cell centre on the block (the
    margin reaches farther than any accuracy, so a core cell's depth is right as far as it is
    compared), less half a cell: the boundary lies between the last cell inside and the first
    outside.  It is off by at most half a cell diagonal, as the distances are.  The transform runs
    on the burnt cells' bounding box and one cell around it: a burnt cell's nearest unburnt one
    is always there.
    """
    resolution = block.grid.resolution
    burnt = _burn(shapes(index, pieces), block.shape, block.transform, all_touched=False)
    rows, cols = np.flatnonzero(burnt.any(axis=1)), np.flatnonzero(burnt.any(axis=0))
    if len(rows) == 0:
        return None
    top, bottom = max(rows[0] - 1, 0), min(rows[-1] + 2, block.shape[0])
    left, right = max(cols[0] - 1, 0), min(cols[-1] + 2, block.shape[1])
    depth = edt.edt(burnt[top:bottom, left:right], anisotropy=(resolution, resolution), black_border=False)
    depth = np.maximum(depth - resolution / 2, 0.0).astype(np.float32)
    return _in_core(depth, (top, left), block)


def _burn_codes(index, groups: list, shape, transform) -> np.ndarray:
    """Each group's pieces burnt by centre as the group's position + 1 (0: in no piece), in group order."""
    dtype = np.uint8 if len(groups) < np.iinfo(np.uint8).max else np.uint16
    members = [m for _, m in groups]
    if not sum(len(m) for m in members):
        return np.zeros(shape, dtype=dtype)
    codes = np.concatenate([np.full(len(m), code, dtype=np.int64) for code, m in enumerate(members, start=1)])
    geoms = shapes(index, np.concatenate(members))
    return rasterize(
        zip(geoms, codes.tolist()), out_shape=shape, transform=transform, all_touched=False, fill=0, dtype=dtype
    )


# index pieces → their GeoJSON mappings, made once per piece: rasterio reads a shapely geometry
# through __geo_interface__, coordinate by coordinate in Python, every time it is burnt (each
# block, source and accuracy group burns the same pieces again, and the counties once more)
_SHAPES: dict[int, tuple[np.ndarray, list]] = {}


def shapes(index, positions: np.ndarray) -> list:
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


def _distance(geoms: list, block, reach: float, *, far: bool = False) -> tuple[np.ndarray, tuple[slice, slice]] | None:
    """Distance (m) from each core cell centre to the nearest touched cell, as :func:`_in_core` gives
    it; None when no cell is touched.

    The transform runs on the touched cells' bounding box widened by ``reach``, and within as far
    as ``reach`` around the core: a cell farther from the core cannot be within reach of it.
    With ``far`` on all of the block, so that a core cell's nearest touched cell is found however
    far it lies.
    """
    if len(geoms) == 0:
        return None
    source = _burn(geoms, block.shape, block.transform, all_touched=True)
    rows, cols = np.flatnonzero(source.any(axis=1)), np.flatnonzero(source.any(axis=0))
    if len(rows) == 0:
        return None
    pad = math.ceil(reach / block.grid.resolution) + 1
    height, width = block.shape
    first, last = (0, 0), (height, width)
    if not far:
        margin = block.margin
        first, last = (margin - pad, margin - pad), (height - margin + pad, width - margin + pad)
    top, bottom = max(rows[0] - pad, first[0], 0), min(rows[-1] + pad + 1, last[0], height)
    left, right = max(cols[0] - pad, first[1], 0), min(cols[-1] + pad + 1, last[1], width)
    crop = source[top:bottom, left:right] == 0
    if crop.all():
        return None  # every touched cell lies beyond reach of the core
    resolution = block.grid.resolution
    return _in_core(edt.edt(crop, anisotropy=(resolution, resolution), black_border=False), (top, left), block)
