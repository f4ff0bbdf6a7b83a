"""Spatial indexes of constraint features: small pieces in an STRtree, mapped back to their feature.

A river polygon 300 km long or a county 2,000 km² large has a bounding box that matches almost
every query, and an exact distance to it walks thousands of vertices.  So each feature is cut into
pieces of at most ``MAX_PIECE_VERTICES`` vertices and ``MAX_PIECE_SIDE_M`` across (a quad split, in
the spirit of PostGIS ``ST_Subdivide``); the tree holds the pieces and ``piece_feature`` maps each
piece back to its feature.  The distance to a feature is the least distance to its pieces, and the
overlap with a feature the sum of the overlaps with its pieces (pieces share only edges).

Indexes are built once per constraint set, layer and filter, and dropped with the set.

Threads (the dask engine's) share an index: its arrays and tree are only read once built, and a
lock makes two threads asking for one index at once build it once.  What is not shared is the
*prepared* pieces: GEOS builds a prepared geometry's point locator and segment index on first use,
without a lock, so two threads testing one prepared piece at once corrupt it (SIGSEGV in
``contains_properly``).  Each thread prepares copies of its own (:meth:`FeatureIndex.prepared_pieces`).
"""

from __future__ import annotations

import dataclasses
import threading
import weakref

import numpy as np
import pandas as pd
import shapely

from ..errors import LayerError
from ..layers.schema import LAYERS, NULLABLE_VOCAB

MAX_PIECE_VERTICES = 64
MAX_PIECE_SIDE_M = 10_000.0
# Below this size a piece is not split further, whatever its vertex count (guards the recursion).
MIN_PIECE_SIDE_M = 1.0
# Identifier fields that name a feature when it has no name_zh: each layer's (LayerSpec.id_field).
ID_FIELDS = tuple(dict.fromkeys(spec.id_field for spec in LAYERS.values() if spec.id_field))


@dataclasses.dataclass(frozen=True)
class FeatureIndex:
    """The features of one layer that pass one filter, as arrays by feature position."""

    layer: str
    fids: np.ndarray  # GeoPackage fid of each feature
    accuracy: np.ndarray  # accuracy_m of each feature; NaN when not stated
    data_status: np.ndarray
    label_zh: np.ndarray
    label_en: np.ndarray
    features: np.ndarray  # the features' geometries (valid) in the measuring CRS, by feature position
    pieces: np.ndarray  # shapely geometries in the measuring CRS; never prepared (see the module doc)
    piece_feature: np.ndarray  # position of each piece's feature
    tree: shapely.STRtree
    # each thread's prepared copies of the pieces
    _per_thread: threading.local = dataclasses.field(
        default_factory=threading.local, init=False, repr=False, compare=False
    )
    # what is derived from the pieces once, on first use (the features' outlines)
    _derived: dict = dataclasses.field(default_factory=dict, init=False, repr=False, compare=False)

    def __len__(self) -> int:
        return len(self.fids)

    def prepared_pieces(self) -> np.ndarray:
        """The pieces as prepared geometries of the calling thread's own, for predicates tested
        against many proposals (:func:`~chuannan_gis.engine.measure.measure_pairs`).

        Copies with the same coordinates, made and prepared once per thread: a prepared geometry
        fills its indexes lazily, as it is used, and must not be used by two threads at once.
        """
        prepared = getattr(self._per_thread, "pieces", None)
        if prepared is None:
            prepared = shapely.from_wkb(shapely.to_wkb(self.pieces))  # WKB keeps every double exactly
            shapely.prepare(prepared)
            self._per_thread.pieces = prepared
        return prepared

    def intersecting(self, geoms: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The (position in ``geoms``, piece position) pairs that intersect: what
        ``tree.query(geoms, predicate="intersects")`` gives, in the same order.

        Candidates by envelope, then the exact test on the prepared pieces: the tree's own test
        prepares each query geometry, used against a few pieces once, while a piece prepared once
        serves every proposal near it (100,000 sites on the counties: 0.12 s instead of 0.28 s).
        """
        query, piece = self.tree.query(geoms)
        meets = shapely.intersects(self.prepared_pieces()[piece], geoms[query])
        return query[meets], piece[meets]

    def piece_bounds(self) -> np.ndarray:
        """Each piece's box (xmin, ymin, xmax, ymax), computed once."""
        if "bounds" not in self._derived:
            self._derived["bounds"] = shapely.bounds(self.pieces)
        return self._derived["bounds"]

    def outline_tree(self) -> shapely.STRtree | None:
        """A tree of the features' own boundaries (not the cuts between their pieces), cut into
        runs of vertices; None unless every feature is a polygon.

        Every point of the boundary of the features' union lies on some feature's boundary, so a
        proposal no outline comes within a distance of lies that deep inside (or outside) the
        union: :func:`~chuannan_gis.engine.measure.inside_depth` needs no union there.  (The
        pieces' union, which it measures otherwise, differs from the features' only by the cracks
        along the cuts its snapping closes.)
        """
        if "outlines" not in self._derived:
            with _INDEXES_LOCK:
                if "outlines" not in self._derived:
                    self._derived["outlines"] = _outline_tree(self.features)
        return self._derived["outlines"]

    @property
    def max_accuracy(self) -> float:
        """The widest accuracy band of any feature (0 when none is stated): the extra query reach."""
        stated = self.accuracy[~np.isnan(self.accuracy)]
        return float(stated.max()) if stated.size else 0.0


_INDEXES: dict[tuple, FeatureIndex] = {}
# Held while an index is built or the cache changes.  Reentrant: a set's finalizer (_forget) may
# run in the middle of a build, in the building thread, when the garbage collector drops a set.
_INDEXES_LOCK = threading.RLock()


def feature_index(constraints, layer: str, filter_items: tuple = ()) -> FeatureIndex:
    """The (cached) index of the features of ``layer`` whose fields match ``filter_items``.

    Parameters
    ----------
    constraints : ConstraintSet
    layer : str
        A layer the set has.
    filter_items : tuple of (field, tuple of values)
        As :meth:`chuannan_gis.rules.Condition.filter_key` gives it; empty keeps every feature.
    """
    key = (id(constraints), layer, filter_items)
    index = _INDEXES.get(key)
    if index is None:
        with _INDEXES_LOCK:
            index = _INDEXES.get(key)  # another thread may have built it while this one waited
            if index is None:
                if not any(k[0] == id(constraints) for k in list(_INDEXES)):
                    weakref.finalize(constraints, _forget, id(constraints))
                frame = constraints.measured(layer)
                if filter_items and _filter_mask(frame, layer, filter_items, constraints.paths.get(layer)).all():
                    # a filter every feature passes (all reserves' zoning unknown): the layer's own
                    # index, so the rules on either share its measures, outlines and prepared pieces
                    index = _INDEXES[key] = feature_index(constraints, layer)
                else:
                    index = _INDEXES[key] = _build(constraints, layer, filter_items)
    return index


def _forget(set_id: int) -> None:
    with _INDEXES_LOCK:
        for key in [k for k in list(_INDEXES) if k[0] == set_id]:
            del _INDEXES[key]


def _build(constraints, layer: str, filter_items: tuple) -> FeatureIndex:
    frame = constraints.measured(layer)
    frame = frame[_filter_mask(frame, layer, filter_items, constraints.paths.get(layer))]
    geoms = _valid(frame.geometry.values)
    pieces, owner = subdivide(geoms)
    label_zh, label_en = _labels(frame, layer, constraints)
    return FeatureIndex(
        layer=layer,
        fids=frame.index.to_numpy(),
        accuracy=frame["accuracy_m"].to_numpy(dtype=float),
        data_status=frame["data_status"].to_numpy(dtype=object),
        label_zh=label_zh,
        label_en=label_en,
        features=geoms,
        pieces=pieces,
        piece_feature=owner,
        tree=shapely.STRtree(pieces),
    )


def _outline_tree(features: np.ndarray) -> shapely.STRtree | None:
    present = features[~shapely.is_missing(features)]
    if not len(present) or not (shapely.get_dimensions(present) == 2).all():
        return None
    # each ring cut into runs of OUTLINE_PIECE_VERTICES vertices: a run meets its neighbours at a
    # shared vertex, so together they are the ring; no geometry is computed
    rings = shapely.get_parts(shapely.boundary(present))
    coords, ring = shapely.get_coordinates(rings, return_index=True)
    start = np.r_[0, np.flatnonzero(np.diff(ring)) + 1]
    position = np.arange(len(coords)) - np.repeat(start, np.diff(np.r_[start, len(coords)]))
    run = position // (OUTLINE_PIECE_VERTICES - 1)
    # a vertex that ends one run starts the next: repeat it in both
    ends = (position % (OUTLINE_PIECE_VERTICES - 1) == 0) & (position > 0)
    coords = np.concatenate([coords, coords[ends]])
    ring_of, run_of = np.r_[ring, ring[ends]], np.r_[run, run[ends] - 1]
    order = np.lexsort((np.r_[position, position[ends]], run_of, ring_of))
    _, run_id = np.unique(np.stack([ring_of[order], run_of[order]], axis=1), axis=0, return_inverse=True)
    run_id = run_id.reshape(-1)
    # a ring's last vertex, when it ends a run exactly, is a run of its own: dropped (it is in the run before)
    kept = np.bincount(run_id)[run_id] >= 2
    _, run_id = np.unique(run_id[kept], return_inverse=True)
    return shapely.STRtree(shapely.linestrings(coords[order][kept], indices=run_id))


# Vertices of one piece of a feature's outline (inside_depth's shortcut): short runs, so a query
# box meets few (measured on the counties: 4 vertices 0.18 s for 100,000 proposals, 64 vertices 0.89 s).
OUTLINE_PIECE_VERTICES = 4


def _filter_mask(frame, layer: str, filter_items: tuple, file) -> np.ndarray:
    mask = np.ones(len(frame), dtype=bool)
    for field, values in filter_items:
        if field not in frame.columns and (layer, field) in NULLABLE_VOCAB:
            mask &= False  # a field the layer may leave out (urban zones): no feature has those values
            continue
        if field not in frame.columns:
            raise LayerError(
                "a rule filters on this field, but the layer lacks it", file=file, layer=layer, field=field
            )
        mask &= frame[field].isin(values).to_numpy()
    return mask


def _valid(geoms: np.ndarray) -> np.ndarray:
    """Constraint geometries made valid: an invalid ring would make distances and areas wrong."""
    geoms = np.asarray(geoms, dtype=object).copy()
    invalid = ~shapely.is_valid(geoms) & ~shapely.is_missing(geoms)
    geoms[invalid] = shapely.make_valid(geoms[invalid])
    return geoms


def subdivide(geoms: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Cut each geometry into small pieces; return the pieces and each piece's geometry position.

    >>> line = shapely.LineString([(0, 0), (25_000, 0)])
    >>> pieces, owner = subdivide(np.array([line]))
    >>> len(pieces), set(owner.tolist())
    (4, {0})
    """
    pieces, owner = [], []
    for position, geom in enumerate(geoms):
        if geom is None or shapely.is_empty(geom):
            continue
        for part in shapely.get_parts(geom):
            cut = _split(part)
            pieces += cut
            owner += [position] * len(cut)
    return np.array(pieces, dtype=object), np.array(owner, dtype=np.int64)


def _split(geom) -> list:
    """Quad-split one single-part geometry until every piece is small (iterative, not recursive)."""
    dimension = shapely.get_dimensions(geom)
    done, todo = [], [geom]
    while todo:
        piece = todo.pop()
        xmin, ymin, xmax, ymax = piece.bounds
        width, height = xmax - xmin, ymax - ymin
        small = shapely.get_num_coordinates(piece) <= MAX_PIECE_VERTICES and max(width, height) <= MAX_PIECE_SIDE_M
        if small or max(width, height) <= MIN_PIECE_SIDE_M:
            done.append(piece)
            continue
        if width >= height:
            halves = shapely.box([xmin, (xmin + xmax) / 2], ymin, [(xmin + xmax) / 2, xmax], ymax)
        else:
            halves = shapely.box(xmin, [ymin, (ymin + ymax) / 2], xmax, [(ymin + ymax) / 2, ymax])
        parts = shapely.get_parts(shapely.intersection(piece, halves))
        # Cutting can leave slivers of lower dimension on the cut line; the neighbour covers them.
        todo += [p for p in parts if shapely.get_dimensions(p) == dimension and not p.is_empty]
    return done


def _labels(frame, layer: str, constraints) -> tuple[np.ndarray, np.ndarray]:
    """A readable name per feature, Chinese and English: its name, its river's name, an id, the fid."""
    zh = frame["name_zh"].astype(object) if "name_zh" in frame.columns else pd.Series(None, frame.index, object)
    en = frame["name_en"].astype(object) if "name_en" in frame.columns else pd.Series(None, frame.index, object)
    if "river_id" in frame.columns and constraints.has("rivers"):
        # Water polygons and shoreline zones carry only the river id: name them after the river.
        rivers = constraints.layers["rivers"].drop_duplicates("river_id").set_index("river_id")
        if "name_zh" in rivers.columns:
            zh = zh.fillna(frame["river_id"].map(rivers["name_zh"]))
        if "name_en" in rivers.columns:
            en = en.fillna(frame["river_id"].map(rivers["name_en"]))
    field = constraints.id_field(layer) if layer in LAYERS else None
    if field in frame.columns:
        zh = zh.fillna(frame[field].astype(str))
    zh = zh.fillna(pd.Series([f"{layer} #{fid}" for fid in frame.index], index=frame.index, dtype=object))
    return zh.to_numpy(dtype=object), en.fillna(zh).to_numpy(dtype=object)
