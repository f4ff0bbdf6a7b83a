"""The CRS facts of chuannan-gis, in one place.

Data are stored in CGCS2000 geographic coordinates (EPSG:4490, the national standard) and every
distance and area is measured in CGCS2000 / 3-degree Gauss-Krüger, central meridian 105°E, without
the zone prefix (EPSG:4544, false easting 500 000 m; zone 35 *with* the prefix is EPSG:4523; scale
error across the region < 0.05 %).  Both EPSG definitions declare north/east axis order: every
transformer here uses ``always_xy=True``.
"""
from __future__ import annotations

from .errors import InputError

STORAGE_CRS = "EPSG:4490"
MEASURE_CRS = "EPSG:4544"
# The same GK zone with the zone number prefixed to the easting (35 500 000 m).
MEASURE_CRS_ZONE_PREFIX = "EPSG:4523"

# Lon/lat box of 川南经济区 (the 28 counties span about 103.6–106.3 E, 27.7–30.1 N), with a margin.
REGION_BBOX_LONLAT = (103.3, 27.5, 106.5, 30.3)

# ---------------------------------------------------------------------------------------------
# Web-map datums.  Coordinates copied from 高德/腾讯 maps are GCJ-02, from 百度 maps BD-09: both
# are WGS84 lon/lat shifted by an obfuscation of 100–700 m.  WGS84 and CGCS2000 differ by
# centimetres here, so "wgs84" stands for both.  The conversions are prcoords' (public domain);
# the inverses are its iterative ("bored") ones, accurate to well under a metre.
# ---------------------------------------------------------------------------------------------
WGS84 = "wgs84"
GCJ02 = "gcj02"
BD09 = "bd09"
DATUMS = (WGS84, GCJ02, BD09)
_DATUM_ALIASES = {"cgcs2000": WGS84, "wgs-84": WGS84, "gcj-02": GCJ02, "bd-09": BD09, "baidu": BD09,
                  "amap": GCJ02, "gaode": GCJ02, "tencent": GCJ02, "高德": GCJ02, "腾讯": GCJ02, "百度": BD09}


def normalise_datum(datum) -> str:
    """The datum code (``wgs84``, ``gcj02`` or ``bd09``) for ``datum``; None means ``wgs84``.

    >>> normalise_datum("GCJ-02"), normalise_datum(None), normalise_datum("CGCS2000")
    ('gcj02', 'wgs84', 'wgs84')
    """
    if datum is None:
        return WGS84
    text = str(datum).strip().lower()
    code = text if text in DATUMS else _DATUM_ALIASES.get(text)
    if code is None:
        raise InputError(f"未知的坐标基准 unknown datum {datum!r}; allowed: {', '.join(DATUMS)} "
                         "(wgs84 = CGCS2000)", field="input_datum")
    return code


def _point_converter(source: str, target: str):
    """prcoords function taking and returning (lat, lon) for one datum pair."""
    import prcoords

    return {
        (GCJ02, WGS84): prcoords.gcj_wgs_bored,
        (BD09, WGS84): prcoords.bd_wgs_bored,
        (WGS84, GCJ02): prcoords.wgs_gcj,
        (WGS84, BD09): prcoords.wgs_bd,
        (BD09, GCJ02): prcoords.bd_gcj_bored,
        (GCJ02, BD09): prcoords.gcj_bd,
    }[(source, target)]


def convert_datum(geometry, source, target=WGS84):
    """Move lon/lat geometries from web-map datum ``source`` to ``target``, vertex by vertex.

    ``geometry`` is a shapely geometry, an array of them or a GeoSeries (returned as the same
    kind; null geometries stay null).  ``source``/``target``: ``wgs84`` (= CGCS2000), ``gcj02``
    (高德/腾讯) or ``bd09`` (百度).

    >>> from shapely import Point
    >>> gcj = convert_datum(Point(105.44, 28.87), "wgs84", "gcj02")
    >>> convert_datum(gcj, "gcj02", "wgs84").distance(Point(105.44, 28.87)) < 1e-7  # ~1 cm
    True
    """
    import geopandas as gpd
    import numpy as np
    import shapely

    source, target = normalise_datum(source), normalise_datum(target)
    if source == target:
        return geometry
    convert = _point_converter(source, target)

    def convert_xy(xy):
        # shapely hands every vertex of every geometry over in one (n, 2) lon/lat array
        return np.array([convert((lat, lon))[::-1] for lon, lat in xy], dtype=float).reshape(-1, 2)

    if isinstance(geometry, gpd.GeoSeries):
        return gpd.GeoSeries(shapely.transform(np.asarray(geometry.values), convert_xy),
                             index=geometry.index, crs=geometry.crs, name=geometry.name)
    return shapely.transform(geometry, convert_xy)
