"""Build ``examples/redline_jiangan.geojson``: a made-up red line laid out as a bureau delivers one.

What a 三区三线 red-line layer looks like when it arrives: the national field names (BSM, HXMC
红线名称, HXLX 红线类型) with Chinese values, in CGCS2000 Gauss-Krüger zone 35 with the zone prefix
(EPSG:4523, eastings like 35 500 000).  The polygon is invented (its name says 示例, example): a
2 km square at the spot of 江安县 farthest from the county edge and from the bundled red lines, so
it moves with the data when they are rebuilt.  It is the input of the documented
``chuannan:importofficial`` run (docs/qgis.md).  Run from the repository root:

    python examples/make_redline.py
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
from make_proposals import county, farthest_from, square

from chuannan_gis import load_constraints
from chuannan_gis.io import atomic_output

OUTPUT = Path(__file__).with_name("redline_jiangan.geojson")
DELIVERED_CRS = "EPSG:4523"  # the same projection as MEASURE_CRS (EPSG:4544), eastings + 35 000 000
ZONE_PREFIX = 35_000_000


def build_redline(constraints) -> gpd.GeoDataFrame:
    jiangan = county(constraints, "江安县")
    redlines = constraints.measured("eco_redlines").geometry.union_all()
    centre = farthest_from(shapely.union(jiangan.boundary, redlines), jiangan)
    polygon = shapely.transform(square(centre, 2000), lambda xy: xy + np.array([ZONE_PREFIX, 0.0]))
    return gpd.GeoDataFrame(
        {"BSM": [1], "HXMC": ["江安县示例生态保护红线（虚构）"], "HXLX": ["水源涵养"]},
        geometry=[polygon],
        crs=DELIVERED_CRS,
    )


def main() -> None:
    frame = build_redline(load_constraints())
    with atomic_output(OUTPUT) as tmp:
        frame.to_file(tmp, driver="GeoJSON", layer=OUTPUT.stem, engine="pyogrio", COORDINATE_PRECISION=2)
    print(f"wrote {len(frame)} red line to {OUTPUT}")


if __name__ == "__main__":
    main()
