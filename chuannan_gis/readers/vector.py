"""GIS files through GDAL (pyogrio): GeoPackage, shapefile, GeoJSON, FlatGeobuf … whole or in chunks."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pyogrio

from ..errors import InputError
from ..files import shapefile_encoding


def read(path: Path, options) -> gpd.GeoDataFrame:
    encoding = options.encoding or shapefile_encoding(path)
    return with_geometry(
        gpd.read_file(path, layer=options.layer, engine="pyogrio", encoding=encoding), path, options.layer
    )


def chunks(path: Path, layer, encoding, chunk_rows: int):
    """Yield ``(raw frame, first row, total rows)``, ``chunk_rows`` features at a time."""
    total = pyogrio.read_info(path, layer=layer)["features"]
    for start in range(0, max(total, 1), chunk_rows):
        raw = gpd.read_file(
            path, layer=layer, engine="pyogrio", encoding=encoding, skip_features=start, max_features=chunk_rows
        )
        yield with_geometry(raw, path, layer), start, total


def with_geometry(frame, path, layer) -> gpd.GeoDataFrame:
    """``frame`` if it is a GeoDataFrame; GDAL gives a plain table for a layer without geometry."""
    if not isinstance(frame, gpd.GeoDataFrame):
        fields = ", ".join(str(c) for c in frame.columns) or "(none)"
        raise InputError(
            f"没有几何列 the layer has no geometry column (an attribute table); fields: {fields}; "
            "a table of coordinates is read from a CSV with 经度/纬度 columns",
            file=path,
            layer=layer,
        )
    return frame
