"""Geometry helpers of the build: CRS round trips, line graphs, centrelines, bank strips.

All lengths are metres in MEASURE_CRS (EPSG:4544); callers convert at the edges.
"""

from __future__ import annotations

import numpy as np
import shapely
from pyproj import Transformer
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import dijkstra
from scipy.spatial import cKDTree
from shapely.geometry import LineString, MultiLineString, Point, Polygon
from shapely.ops import substring

from ...crs import MEASURE_CRS, STORAGE_CRS

_TO_MEASURE = Transformer.from_crs(STORAGE_CRS, MEASURE_CRS, always_xy=True)
_TO_STORAGE = Transformer.from_crs(MEASURE_CRS, STORAGE_CRS, always_xy=True)


def to_measure(geom):
    return shapely.transform(geom, lambda xy: np.column_stack(_TO_MEASURE.transform(xy[:, 0], xy[:, 1])))


def to_storage(geom):
    return shapely.transform(geom, lambda xy: np.column_stack(_TO_STORAGE.transform(xy[:, 0], xy[:, 1])))


def parts(geom) -> list:
    """The single parts of any geometry, in GEOS order (deterministic for the same input)."""
    return [g for g in shapely.get_parts(geom) if not g.is_empty]


def longest_path(lines, start: Point, snap: float, join_gap: float = 0.0) -> LineString:
    """The longest shortest-path through a line network, starting at the node nearest ``start``.

    Used twice: to trace a WDBII river upstream from its mouth (the farthest node along the
    network is its most upstream source in the area), and to pull the medial axis out of a
    Voronoi skeleton (the spurs to the banks are short; the axis is the long way through).
    Nodes closer than ``snap`` (same units as the lines) are merged; line ends closer than
    ``join_gap`` to another line's end are joined by a straight edge (WDBII lines cut at bin
    edges sometimes miss each other by ~100 m).
    """
    coords, edges = [], []
    for line in lines:
        xy = np.asarray(line.coords)[:, :2]
        base = len(coords)
        coords.extend(map(tuple, xy))
        edges.extend((base + i, base + i + 1) for i in range(len(xy) - 1))
    xy = np.asarray(coords)
    keys = np.round(xy / snap).astype(np.int64)
    _, first, node = np.unique(keys, axis=0, return_index=True, return_inverse=True)
    node = node.ravel()
    nodes = xy[first]
    a = node[[e[0] for e in edges]]
    b = node[[e[1] for e in edges]]
    if join_gap > 0:
        extra = _gap_edges(lines, node, nodes, join_gap)
        a, b = np.concatenate([a, extra[:, 0]]), np.concatenate([b, extra[:, 1]])
    graph = _graph(nodes, a, b)
    origin = int(np.argmin(np.hypot(nodes[:, 0] - start.x, nodes[:, 1] - start.y)))
    dist, pred = dijkstra(graph, directed=False, indices=origin, return_predecessors=True)
    dist[~np.isfinite(dist)] = -1
    far = int(np.argmax(dist))
    path = [far]
    while path[-1] != origin:
        path.append(int(pred[path[-1]]))
    return LineString(nodes[path[::-1]])


def _graph(nodes: np.ndarray, a: np.ndarray, b: np.ndarray):
    """Undirected weighted graph; duplicate edges kept once (a sparse matrix would sum them)."""
    pairs = np.sort(np.column_stack([a, b]), axis=1)
    pairs = pairs[pairs[:, 0] != pairs[:, 1]]
    pairs = np.unique(pairs, axis=0)
    weight = np.hypot(*(nodes[pairs[:, 0]] - nodes[pairs[:, 1]]).T)
    return coo_matrix((weight, (pairs[:, 0], pairs[:, 1])), shape=(len(nodes),) * 2).tocsr()


def _gap_edges(lines, node: np.ndarray, nodes: np.ndarray, join_gap: float) -> np.ndarray:
    """Node pairs (line end, other line's end) closer than ``join_gap``."""
    ends, offset = [], 0
    for line in lines:
        n = len(line.coords)
        ends += [node[offset], node[offset + n - 1]]
        offset += n
    ends = np.unique(ends)
    pairs = cKDTree(nodes[ends]).query_pairs(join_gap, output_type="ndarray")
    return ends[pairs].reshape(-1, 2).astype(np.int64)


def medial_axis(polygon: Polygon, start: Point, densify: float, simplify: float) -> LineString:
    """Centreline of a long thin polygon (a double-line river symbol), from ``start`` onwards.

    Voronoi edges of the densified outline that lie inside the polygon form its skeleton; the
    longest path through it from ``start`` is the axis.  Islands are filled first so the axis
    does not split around them.
    """
    filled = Polygon(polygon.exterior)
    outline = shapely.segmentize(filled.exterior, densify)
    edges = shapely.voronoi_polygons(shapely.MultiPoint(np.asarray(outline.coords)), only_edges=True)
    inside = [e for e in parts(edges) if filled.contains(e)]
    axis = longest_path(inside, start, snap=1e-3)
    return LineString([start.coords[0], *axis.coords]).simplify(simplify)


def downstream_reach(line: LineString, length: float) -> LineString:
    """The lowest ``length`` metres of a downstream-directed line."""
    return substring(line, max(line.length - length, 0.0), line.length)


def bank_strip(line: LineString, start: float, end: float, width: float, bank: str) -> Polygon:
    """The strip beside ``line`` between two chainages, on the left or right bank.

    Banks are named facing downstream, so ``line`` must be directed downstream.  Round caps:
    neighbouring strips overlap at bends instead of leaving wedge gaps (the caller resolves
    overlaps); the strip is cut back to its own side of the line.
    """
    piece = substring(line, start, end)
    side = line.buffer(width if bank == "left" else -width, single_sided=True)
    return piece.buffer(width).intersection(side)


def clip_lines(geom, area) -> MultiLineString:
    clipped = geom.intersection(area)
    return MultiLineString([p for p in parts(clipped) if isinstance(p, LineString)])
