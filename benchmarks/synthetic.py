"""Realistic synthetic proposals and land parcels on the real (bundled) layers, with a fixed seed.

Sites are drawn inside the region's counties, a share of them close to the large rivers where the
shoreline rules bite (planners propose parks and ports by the water, and parcels are dense in the
valleys); each is a rotated rectangle of a plausible size, in EPSG:4490 as a planner's file
would be.  The same seed gives the same file on every machine.

    python benchmarks/synthetic.py parcels 1000000 parcels.gpkg
"""

from __future__ import annotations

import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyogrio
import shapely

from chuannan_gis import load_constraints
from chuannan_gis.crs import MEASURE_CRS, STORAGE_CRS

SEED = 20260611
# Share of sites placed within RIVERSIDE_M of a large river's water edge.
RIVERSIDE_SHARE = 0.3
RIVERSIDE_M = 4000.0
# What is proposed, and how often: (kind, industry, status, weight).
MIX = [
    ("industrial_park", "chemical", "new", 4),
    ("industrial_park", "heavy_chemical", "new", 2),
    ("industrial_park", "new_materials", "new", 4),
    ("industrial_park", "electronics", "expansion", 4),
    ("industrial_park", "liquor", "new", 3),
    ("enterprise", "chemical", "existing", 6),
    ("enterprise", "petrochemical", "new", 2),
    ("enterprise", "equipment", "new", 6),
    ("enterprise", "pesticide", "expansion", 1),
    ("project", "tailings_pond", "new", 1),
    ("project", "linear_infrastructure", "new", 3),
    ("project", "water_works", "new", 1),
    ("project", "logistics", "new", 4),
    ("port", "general_cargo_port", "new", 2),
    ("port", "hazardous_chemical_port", "new", 1),
    ("project", "other", "existing", 6),
]
# Side lengths (m) of the rectangles: parcels are small, proposals from a plot to a park.
PARCEL_SIDE_M = (30.0, 250.0)
PROPOSAL_SIDE_M = (100.0, 2500.0)


def make_parcels(count: int, seed: int = SEED) -> gpd.GeoDataFrame:
    """``count`` land parcels (small polygons) with kind, industry and status, in EPSG:4490."""
    return _sites(count, seed, PARCEL_SIDE_M, prefix="parcel")


def make_proposals(count: int, seed: int = SEED) -> gpd.GeoDataFrame:
    """``count`` proposals: parks, plants, projects and ports from a plot to a few km², in EPSG:4490."""
    return _sites(count, seed + 1, PROPOSAL_SIDE_M, prefix="proposal")


def _sites(count: int, seed: int, sides: tuple[float, float], prefix: str) -> gpd.GeoDataFrame:
    rng = np.random.default_rng(seed)
    constraints = load_constraints()
    centres = _centres(rng, count, constraints)
    kinds, industries, statuses = _attributes(rng, count)
    geoms = _rectangles(rng, centres, sides)
    frame = gpd.GeoDataFrame(
        {"name": [f"{prefix}-{i}" for i in range(count)], "kind": kinds, "industry": industries, "status": statuses},
        geometry=geoms,
        crs=MEASURE_CRS,
    )
    return frame.to_crs(STORAGE_CRS)


def _centres(rng, count: int, constraints) -> np.ndarray:
    """Points inside the region: a share beside the large rivers, the rest anywhere."""
    region = shapely.union_all(constraints.measured("counties").geometry.values)
    water = constraints.measured("water")
    large = shapely.union_all(water.loc[water["river_class"].isin(["mainstream", "major_tributary"])].geometry.values)
    riverside = shapely.intersection(shapely.buffer(large, RIVERSIDE_M), region)
    near = int(count * RIVERSIDE_SHARE)
    return np.concatenate([_inside(rng, riverside, near), _inside(rng, region, count - near)])[rng.permutation(count)]


def _inside(rng, area, count: int) -> np.ndarray:
    """``count`` uniform random points inside ``area`` (rejection sampling in its box)."""
    shapely.prepare(area)
    xmin, ymin, xmax, ymax = area.bounds
    found = []
    while sum(len(f) for f in found) < count:
        points = shapely.points(rng.uniform(xmin, xmax, 2 * count), rng.uniform(ymin, ymax, 2 * count))
        found.append(points[shapely.contains(area, points)])
    return np.concatenate(found)[:count]


def _attributes(rng, count: int):
    weights = np.array([w for *_, w in MIX], dtype=float)
    pick = rng.choice(len(MIX), count, p=weights / weights.sum())
    return tuple(np.array([row[i] for row in MIX], dtype=object)[pick] for i in range(3))


def _rectangles(rng, centres: np.ndarray, sides: tuple[float, float]) -> np.ndarray:
    """Rotated rectangles around ``centres``, sides log-uniform in ``sides``, vectorised."""
    count = len(centres)
    low, high = np.log(sides[0]), np.log(sides[1])
    width, height = np.exp(rng.uniform(low, high, count)), np.exp(rng.uniform(low, high, count))
    angle = rng.uniform(0, np.pi, count)
    corners = np.array([[-0.5, -0.5], [0.5, -0.5], [0.5, 0.5], [-0.5, 0.5], [-0.5, -0.5]])
    dx, dy = corners[:, 0] * width[:, None], corners[:, 1] * height[:, None]
    cos, sin = np.cos(angle)[:, None], np.sin(angle)[:, None]
    x = shapely.get_x(centres)[:, None] + dx * cos - dy * sin
    y = shapely.get_y(centres)[:, None] + dx * sin + dy * cos
    return shapely.polygons(np.stack([x, y], axis=-1))


def write(frame: gpd.GeoDataFrame, path) -> Path:
    """Write a generated frame as a GeoPackage (one layer, ``proposals``)."""
    pyogrio.write_dataframe(frame, path, layer="proposals", driver="GPKG")
    return Path(path)


if __name__ == "__main__":
    what, number, target = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    write({"parcels": make_parcels, "proposals": make_proposals}[what](number), target)
    print(f"{number:,} {what} → {target}")
