"""Build ``examples/proposals.gpkg``: a handful of realistic proposals at real places.

Every site is derived from the bundled constraint layers by a stated rule (a point on the
Yangtze water edge in 江安县, the spot of 泸县 farthest from any large river, ...), never typed
by eye, so the examples move with the data when it is rebuilt.  Run from the repository root:

    python examples/make_proposals.py
"""
from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

from chuannan_gis import load_constraints
from chuannan_gis.crs import MEASURE_CRS, STORAGE_CRS
from chuannan_gis.io import atomic_output

OUTPUT = Path(__file__).with_name("proposals.gpkg")
LARGE_RIVERS = ("mainstream", "major_tributary")


def county(constraints, name_zh: str):
    counties = constraints.measured("counties")
    return counties.loc[counties["name_zh"] == name_zh].geometry.union_all()


def river_water(constraints, name_zh: str):
    rivers = constraints.layers["rivers"]
    ids = rivers.loc[rivers["name_zh"] == name_zh, "river_id"]
    water = constraints.measured("water")
    return water.loc[water["river_id"].isin(ids)].geometry.union_all()


def large_water(constraints):
    water = constraints.measured("water")
    return water.loc[water["river_class"].isin(LARGE_RIVERS)].geometry.union_all()


def point_off_edge(water, area, offset_m: float):
    """The middle of the longest stretch, inside ``area``, of the line ``offset_m`` from the water edge."""
    return middle_of_longest(shapely.intersection(shapely.buffer(water, offset_m).boundary, area))


def farthest_from(obstacle, area, step_m: float = 1000.0):
    """The grid point of ``area`` farthest from ``obstacle`` (a coarse, repeatable search)."""
    minx, miny, maxx, maxy = area.bounds
    xs, ys = np.meshgrid(np.arange(minx, maxx, step_m), np.arange(miny, maxy, step_m))
    points = shapely.points(xs.ravel(), ys.ravel())
    inside = points[shapely.contains(area, points)]
    return inside[np.argmax(shapely.distance(inside, obstacle))]


def zone_site(constraints, zone: str):
    """The middle of the water edge inside the largest shoreline zone of that type."""
    zones = constraints.measured("shoreline_zones")
    chosen = zones.loc[zones["zone"] == zone]
    polygon = chosen.geometry.iloc[int(np.argmax(chosen.area.values))]
    return middle_of_longest(shapely.intersection(large_water(constraints).boundary, polygon))


def middle_of_longest(lines):
    longest = max(getattr(lines, "geoms", [lines]), key=lambda part: part.length)
    return longest.interpolate(0.5, normalized=True)


def square(centre, side_m: float):
    return shapely.buffer(centre, side_m / 2, cap_style="square")


def build_sites(constraints) -> gpd.GeoDataFrame:
    yangtze = river_water(constraints, "长江")
    tuo = river_water(constraints, "沱江")
    redlines = constraints.measured("eco_redlines").geometry.union_all()
    away_from_constraints = shapely.union(large_water(constraints), redlines)
    ports = constraints.measured("ports")
    rows = [
        ("江安长江沿岸重化工园区", "industrial_park", "heavy_chemical", "new",
         square(point_off_edge(yangtze, county(constraints, "江安县"), 500), 600)),
        ("泸县白酒产业园", "industrial_park", "liquor", "new",
         square(farthest_from(away_from_constraints, county(constraints, "泸县")), 1000)),
        ("宜宾电子信息产业园", "industrial_park", "electronics", "new",
         square(farthest_from(away_from_constraints, county(constraints, "翠屏区")), 800)),
        ("保护区岸线拟建码头", "port", "general_cargo_port", "new",
         square(zone_site(constraints, "protection"), 200)),
        (f"{ports['name_zh'].iloc[0]}扩建泊位", "port", "general_cargo_port", "expansion",
         square(ports.geometry.iloc[0].representative_point(), 200)),
        ("沱江沿岸尾矿库", "project", "tailings_pond", "new",
         square(point_off_edge(tuo, county(constraints, "富顺县"), 600), 300)),
        ("江阳区沿江现有化工企业", "enterprise", "chemical", "existing",
         square(point_off_edge(yangtze, county(constraints, "江阳区"), 700), 200)),
    ]
    frame = gpd.GeoDataFrame(rows, columns=["name", "kind", "industry", "status", "geometry"], crs=MEASURE_CRS)
    return frame.to_crs(STORAGE_CRS)


def main() -> None:
    sites = build_sites(load_constraints())
    with atomic_output(OUTPUT) as tmp:
        sites.to_file(tmp, layer="proposals", engine="pyogrio")
    print(f"wrote {len(sites)} proposals to {OUTPUT}")


if __name__ == "__main__":
    main()
