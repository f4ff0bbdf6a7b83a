"""Shoreline zones drawn as land strips: give each its bank's share of the supplied water.

A shoreline plan draws its zones behind the water edge, so a wharf on the water lies in none.
Each zone here gets the part of the supplied water (the planner's own: the ``water`` imported
before it, or ``--water``) that is nearer to it than to any other zone, measured from the water's
edge: the water is split at its medial axis, approximated by the Voronoi diagram of the water
boundary densified every ``densify_m`` (each boundary point is labelled with the nearest zone
within ``max_gap_m``; the Voronoi cells of a zone's points, clipped to the water, are its share).
A water edge with no zone within ``max_gap_m`` keeps its cells unzoned, so an unzoned stretch of
one bank never borrows the far bank's zone when the river is wider than ``max_gap_m``.
Only water within ``clip_m`` of a zone is split.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely

from ...crs import MEASURE_CRS


def add_water(zones: gpd.GeoDataFrame, water: gpd.GeoDataFrame, options: dict):
    """(zones with their water share added, report dict); both frames in any CRS, result in zones' CRS."""
    max_gap = float(options.get("max_gap_m", 200))
    step = float(options.get("densify_m", 20))
    clip = float(options.get("clip_m", 3000))
    z = zones.to_crs(MEASURE_CRS)
    zone_geoms = np.asarray(z.geometry.values)
    near = shapely.union_all(shapely.buffer(zone_geoms, clip))
    w = water.to_crs(MEASURE_CRS)
    wg = np.asarray(w.geometry.values)
    wg = wg[shapely.intersects(wg, near)]
    area_before = shapely.area(zone_geoms).sum()
    if not len(wg):
        return zones, {"water_m2": 0.0, "assigned_m2": 0.0, "unzoned_m2": 0.0, "zones_extended": 0}
    basin = shapely.intersection(shapely.union_all(wg), near)
    boundary = shapely.segmentize(shapely.boundary(basin), step)
    points = shapely.points(shapely.get_coordinates(boundary))
    points = np.unique(shapely.get_coordinates(points), axis=0)
    points = shapely.points(points)
    tree = shapely.STRtree(zone_geoms)
    idx_points, idx_zones = tree.query_nearest(points, max_distance=max_gap, all_matches=False)
    label = np.full(len(points), -1)
    label[idx_points] = idx_zones
    cells = shapely.get_parts(shapely.voronoi_polygons(shapely.multipoints(points), extend_to=basin, ordered=True))
    shares = []
    for i in range(len(zone_geoms)):
        mine = cells[label == i]
        share = shapely.intersection(shapely.union_all(mine), basin) if len(mine) else shapely.Polygon()
        shares.append(share)
    merged = []
    for geom, share in zip(zone_geoms, shares, strict=True):
        combined = shapely.make_valid(shapely.union(geom, share) if not share.is_empty else geom)
        polygonal = shapely.union_all(
            [p for p in shapely.get_parts(combined) if p.geom_type in ("Polygon", "MultiPolygon")]
        )
        merged.append(polygonal if polygonal.geom_type == "MultiPolygon" else shapely.MultiPolygon([polygonal]))
    out = z.set_geometry(gpd.GeoSeries(merged, index=z.index, crs=MEASURE_CRS)).to_crs(zones.crs)
    assigned = float(sum(s.area for s in shares))
    return out, {
        "water_m2": float(basin.area),
        "assigned_m2": assigned,
        "unzoned_m2": float(basin.area) - assigned,
        "zones_extended": int(sum(not s.is_empty for s in shares)),
        "land_m2": float(area_before),
    }
