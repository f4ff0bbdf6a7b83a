"""KML/KMZ placemarks (Google Earth, 奥维互动地图, 高德 exports) through GDAL's LIBKML driver.

Every folder of the document is a layer to GDAL; all are read (``--layer`` chooses one), the folder
kept as ``kml_folder``.  Points, lines (a road's or pipeline's centreline) and polygons are
proposals alike, named by the placemark's name.  KML is WGS 84 lon/lat; coordinates copied from
高德/腾讯 (GCJ-02) or 百度 (BD-09) are undone with ``--input-datum``.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from ..errors import InputError

# The placemark fields kept (GDAL's others are KML styling: altitudeMode, drawOrder, icon …)
FIELDS = {"Name": "name", "description": "description"}


def read(path: Path, options) -> gpd.GeoDataFrame:
    folders = [str(name) for name in pyogrio.list_layers(path)[:, 0]]
    if options.layer is not None:
        if options.layer not in folders:
            raise InputError(f"没有这个文件夹 no folder {options.layer!r}; folders: {', '.join(folders)}", file=path)
        folders = [options.layer]
    frames = []
    for folder in folders:
        frame = gpd.read_file(path, layer=folder, engine="pyogrio")
        frame = frame[[c for c in FIELDS if c in frame.columns] + ["geometry"]].rename(columns=FIELDS)
        frames.append(frame.assign(kml_folder=folder))
    placemarks = pd.concat(frames, ignore_index=True) if frames else gpd.GeoDataFrame(geometry=[])
    placemarks = gpd.GeoDataFrame(placemarks, geometry="geometry", crs=frames[0].crs if frames else "EPSG:4326")
    placemarks = placemarks[placemarks.geometry.notna().to_numpy()]  # a folder's placemarks without a shape
    if placemarks.empty:
        raise InputError("没有地标 the document has no placemark with a point, line or polygon", file=path)
    return placemarks.reset_index(drop=True)
