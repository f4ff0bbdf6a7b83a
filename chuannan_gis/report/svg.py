"""The report's small maps: a proposal and the constraint features its findings name, as SVG shapes.

Drawn in EPSG:4544 (metres, north up) so that the scale bar is true; no tiles and no network.
Only numbers leave this module: the template writes the SVG elements, escaping every label.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import shapely
from shapely.errors import GEOSException

from ..crs import MEASURE_CRS, STORAGE_CRS
from ..layers.schema import LAYERS
from ..layers.styles import layer_style

WIDTH, HEIGHT, PAD = 360, 240, 10
# Half the map's extent around the proposal: at least 1 km, enough to show the measured
# distances of the findings, at most 20 km (a river polygon can span the whole region).
MIN_MARGIN_M, MAX_MARGIN_M = 1000.0, 20000.0
DEFAULT_COLOUR = "#757575"  # a layer the style table does not know


def layer_colour(layer: str) -> str:
    """The layer's key colour in the style table (``layers/styles.yaml``), as QGIS and the web map draw it."""
    style = layer_style(layer)
    return style.colour if style else DEFAULT_COLOUR


def finding_map(geometry, findings: pd.DataFrame, constraints, verdict) -> dict | None:
    """What the template needs to draw one proposal's map, or None for a null or empty geometry.

    ``findings`` are the proposal's findings (``layer`` and ``feature_id`` name the constraint
    features); ``constraints`` a ConstraintSet or None (then the proposal is drawn alone).
    """
    if geometry is None or shapely.is_empty(geometry):
        return None
    proposal = _to_measure(geometry)
    window = _window(proposal, findings)
    view = _View(window)
    features = [
        {"layer": layer, "colour": layer_colour(layer), "shapes": view.shapes(_drawable(geom, window, view.pixel_m))}
        for layer, geom in _finding_features(findings, constraints)
    ]
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "features": features,
        "proposal": {"colour": verdict.colour, "shapes": view.shapes(proposal)},
        "scale": view.scale_bar(),
        "legend": [
            {
                "layer": layer,
                "title_zh": LAYERS[layer].title_zh if layer in LAYERS else layer,
                "colour": layer_colour(layer),
            }
            for layer in sorted({f["layer"] for f in features})
        ],
    }


def _to_measure(geometry):
    from pyproj import Transformer

    transformer = Transformer.from_crs(STORAGE_CRS, MEASURE_CRS, always_xy=True)
    return shapely.transform(geometry, lambda xy: np.column_stack(transformer.transform(xy[:, 0], xy[:, 1])))


def _window(proposal, findings: pd.DataFrame) -> tuple[float, float, float, float]:
    minx, miny, maxx, maxy = shapely.bounds(proposal)
    margin = np.clip(_largest_distance_m(findings) * 1.2, MIN_MARGIN_M, MAX_MARGIN_M)
    minx, miny, maxx, maxy = minx - margin, miny - margin, maxx + margin, maxy + margin
    # widen the short side so the window has the map's aspect ratio
    cx, cy, half_w, half_h = (minx + maxx) / 2, (miny + maxy) / 2, (maxx - minx) / 2, (maxy - miny) / 2
    half_w, half_h = max(half_w, half_h * WIDTH / HEIGHT), max(half_h, half_w * HEIGHT / WIDTH)
    return cx - half_w, cy - half_h, cx + half_w, cy + half_h


def _largest_distance_m(findings: pd.DataFrame) -> float:
    if findings is None or findings.empty or "measured" not in findings or "unit" not in findings:
        return 0.0
    metres = pd.to_numeric(findings.loc[findings["unit"] == "m", "measured"], errors="coerce")
    return float(metres.max()) if metres.notna().any() else 0.0


def _finding_features(findings: pd.DataFrame, constraints):
    """(layer, geometry in EPSG:4544) for each distinct constraint feature the findings name."""
    if constraints is None or findings is None or findings.empty or "feature_id" not in findings:
        return []
    named = findings[["layer", "feature_id"]].dropna().drop_duplicates()
    found = []
    for layer, feature_id in named.itertuples(index=False):
        if constraints.has(layer) and feature_id in constraints.layers[layer].index:
            found.append((layer, constraints.measured(layer).geometry.loc[feature_id]))
    return found


def _drawable(geometry, window, tolerance: float):
    """The part of a constraint feature inside the window, without detail finer than a pixel."""
    try:
        return shapely.simplify(shapely.clip_by_rect(geometry, *window), tolerance)
    except GEOSException:  # an invalid constraint feature: draw it whole
        return geometry


class _View:
    """Maps EPSG:4544 coordinates of a window onto the SVG canvas (y down)."""

    def __init__(self, window):
        self.minx, self.miny, maxx, maxy = window
        self.scale = min((WIDTH - 2 * PAD) / (maxx - self.minx), (HEIGHT - 2 * PAD) / (maxy - self.miny))
        self.span_x = maxx - self.minx
        self.pixel_m = 1 / self.scale

    def shapes(self, geometry) -> dict:
        """SVG path data for the polygons and lines, and circle centres for the points."""
        paths, points = [], []
        for part in shapely.get_parts(geometry):
            if part.geom_type == "Point":
                points.append(self._xy(np.array([[part.x, part.y]]))[0])
            elif part.geom_type == "Polygon":
                paths.append(
                    " ".join(self._path(ring.coords, closed=True) for ring in (part.exterior, *part.interiors))
                )
            elif part.geom_type in ("LineString", "LinearRing"):
                paths.append(self._path(part.coords, closed=False))
            else:  # a GeometryCollection inside a collection: flatten once more
                nested = self.shapes(part)
                paths += nested["paths"]
                points += nested["points"]
        return {"paths": paths, "points": points}

    def scale_bar(self) -> dict:
        """A bar of a round length (1, 2 or 5 × 10ⁿ m) about a quarter of the map wide."""
        target = self.span_x / 4
        power = 10 ** math.floor(math.log10(target))
        length = max(m * power for m in (1, 2, 5) if m * power <= target)
        label = f"{length / 1000:g} km" if length >= 1000 else f"{length:g} m"
        x0, y = PAD, HEIGHT - PAD
        return {"x1": x0, "x2": round(x0 + length * self.scale, 1), "y": y, "label": label}

    def _path(self, coords, closed: bool) -> str:
        xy = self._xy(np.asarray(coords)[:, :2])
        if not len(xy):
            return ""
        body = " L".join(f"{x},{y}" for x, y in xy)
        return f"M{body}{' Z' if closed else ''}"

    def _xy(self, coords: np.ndarray) -> list[tuple[float, float]]:
        xs = PAD + (coords[:, 0] - self.minx) * self.scale
        ys = HEIGHT - PAD - (coords[:, 1] - self.miny) * self.scale
        return [(round(float(x), 1), round(float(y), 1)) for x, y in zip(xs, ys)]
