"""GIS files through GDAL (pyogrio): GeoPackage, shapefile, GeoJSON, FlatGeobuf … whole or in chunks."""

from __future__ import annotations

from glob import escape as glob_escape
from pathlib import Path

import geopandas as gpd
import pyogrio

from ..errors import InputError

# DBF language-driver byte → encoding, for the code pages Chinese shapefiles carry.
_DBF_LANGUAGE_DRIVERS = {0x4D: "gbk", 0x7A: "gbk"}


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


def shapefile_encoding(path) -> str | None:
    """Encoding of a shapefile's DBF that GDAL would get wrong, else None (GDAL decides).

    GDAL reads a .cpg, or the DBF language-driver byte (offset 29; 0x4D = code page 936).  Chinese
    tools often write neither: GDAL then assumes ISO-8859-1 and garbles every Chinese value.  Then
    the bytes decide: valid UTF-8 is UTF-8, anything else is taken for GBK (GB18030, its superset).
    The constraint-layer reader (:mod:`chuannan_gis.layers.read`) uses this too.
    """
    path = Path(path)
    if path.suffix.lower() != ".shp":
        return None
    sidecars = {p.suffix.lower(): p for p in path.parent.glob(f"{glob_escape(path.stem)}.*")}
    if ".cpg" in sidecars or ".dbf" not in sidecars:
        return None
    data = sidecars[".dbf"].read_bytes()
    if len(data) > 29 and data[29] in _DBF_LANGUAGE_DRIVERS:
        return _DBF_LANGUAGE_DRIVERS[data[29]]
    if data.isascii():
        return None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return "gb18030"
    return "utf-8"
