"""eco_redlines: indicative polygons of the two red-line blocks named in clause (二十二).

The real polygons are not public.  Anchor: the county list of ``layers/redline_counties.csv``
(docs/domain.md: a 1 km DEM cannot find karst or water sources, so terrain alone never decides).
Within each anchor county the highest ground (DEM cells at or above the county's elevation
percentile) is taken: red lines in this basin sit on hills and ridges (forest, steep karst
slopes, reservoir catchments) rather than on the farmed and built valley floors.  Built-up
areas are never inside: every county seat and city centre gets an exclusion buffer.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import rasterio
import shapely
from rasterio.features import rasterize, shapes
from rasterio.windows import from_bounds
from shapely.geometry import shape

from ...crs import STORAGE_CRS
from . import sources
from .geom import parts, to_measure, to_storage

DEM_SOURCE = "meteva 1.9.6.2 resources/stations/dem_0.00833.nc (~1 km DEM)"


def _read_dem(bounds):
    with rasterio.open(sources.dem_path()) as dem:
        window = from_bounds(*bounds, transform=dem.transform).round_offsets().round_lengths()
        return dem.read(1, window=window, masked=True), dem.window_transform(window)


def _high_ground(county_geoms: dict[str, object], percentile: float):
    """Per county, the DEM cells at or above that county's elevation percentile, as polygons."""
    bounds = shapely.union_all(list(county_geoms.values())).bounds
    elevation, transform = _read_dem(bounds)
    selected = np.zeros(elevation.shape, dtype=np.uint8)
    for geom in county_geoms.values():
        inside = rasterize([geom], out_shape=elevation.shape, transform=transform, dtype=np.uint8).astype(bool)
        inside &= ~np.ma.getmaskarray(elevation)
        threshold = np.percentile(elevation.data[inside], percentile)
        selected |= (inside & (elevation.data >= threshold)).astype(np.uint8)
    cells = [shape(g) for g, value in shapes(selected, mask=selected.astype(bool), transform=transform) if value]
    return shapely.union_all(cells)


def build_redlines(inputs, county_layer: gpd.GeoDataFrame, seats: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    p = inputs.params["redlines"]
    geoms = dict(zip(county_layer["adcode"], county_layer.geometry, strict=True))
    exclusion = shapely.union_all([to_measure(g).buffer(p["seat_exclusion_m"]) for g in seats.geometry])
    rows = []
    for block_id, block in sorted(inputs.redline_counties.groupby("block_id")):
        anchors = {code: geoms[code] for code in block["adcode"]}
        high = _high_ground(anchors, p["elevation_percentile"])
        # The DEM cells overhang county edges: cut back to the anchor counties.
        area_m = to_measure(high.intersection(shapely.union_all(list(anchors.values())))).difference(exclusion)
        kept = [g for g in parts(area_m) if g.area >= p["min_part_km2"] * 1e6]
        rows.append(
            {
                "block_id": block_id,
                "name_zh": block["name_zh"].iloc[0],
                "redline_type": block["redline_type"].iloc[0],
                "data_status": "indicative",
                "accuracy_m": float(p["accuracy_m"]),
                "source": f"Indicative: anchor counties {','.join(sorted(anchors))} (layers/redline_counties.csv); "
                f"{DEM_SOURCE} top {100 - p['elevation_percentile']:g}% elevation per county; "
                f"minus {p['seat_exclusion_m']:g} m around county seats (cpca 0.5.5)",
                "geometry": to_storage(shapely.MultiPolygon(kept)),
            }
        )
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=STORAGE_CRS)
