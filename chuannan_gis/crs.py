"""The CRS facts of chuannan-gis, in one place.

Data are stored in CGCS2000 geographic coordinates (EPSG:4490, the national standard) and every
distance and area is measured in CGCS2000 / 3-degree Gauss-Krüger, central meridian 105°E, without
the zone prefix (EPSG:4544, false easting 500 000 m; zone 35 *with* the prefix is EPSG:4523; scale
error across the region < 0.05 %).  Both EPSG definitions declare north/east axis order: every
transformer here uses ``always_xy=True``.
"""

from __future__ import annotations

from .errors import CRSError, InputError

STORAGE_CRS = "EPSG:4490"
MEASURE_CRS = "EPSG:4544"
# The same GK zone with the zone number prefixed to the easting (35 500 000 m).
MEASURE_CRS_ZONE_PREFIX = "EPSG:4523"

# Lon/lat box of 川南经济区 (the 28 counties span about 103.6–106.3 E, 27.7–30.1 N), with a margin.
REGION_BBOX_LONLAT = (103.3, 27.5, 106.5, 30.3)


def declare_crs(frame, crs, *, file=None, layer=None, missing: str | None = None):
    """``frame`` with the CRS ``crs`` declared in place of its own (a warning when they differ).

    ``crs`` None keeps the frame's own; then ``missing``, when given, is the CRSError message for a
    frame with none (what to pass instead).  Raises CRSError for a ``crs`` pyproj does not know.
    """
    import logging

    import pyproj

    if crs is not None:
        try:
            declared = pyproj.CRS.from_user_input(crs)
        except pyproj.exceptions.CRSError as err:
            raise CRSError(f"无法识别的坐标系 CRS {crs!r} not recognised: {err}", file=file, layer=layer) from err
        if frame.crs is not None and not frame.crs.equals(declared):
            logging.getLogger(__name__).warning(
                "%s declares %s; using %s as requested", file, frame.crs.to_string(), crs
            )
        return frame.set_crs(declared, allow_override=True)
    if frame.crs is None and missing is not None:
        raise CRSError(missing, file=file, layer=layer)
    return frame


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
_DATUM_ALIASES = {
    "cgcs2000": WGS84,
    "wgs-84": WGS84,
    "gcj-02": GCJ02,
    "bd-09": BD09,
    "baidu": BD09,
    "amap": GCJ02,
    "gaode": GCJ02,
    "tencent": GCJ02,
    "高德": GCJ02,
    "腾讯": GCJ02,
    "百度": BD09,
}


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
        raise InputError(
            f"未知的坐标基准 unknown datum {datum!r}; allowed: {', '.join(DATUMS)} (wgs84 = CGCS2000)",
            field="input_datum",
        )
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
        return gpd.GeoSeries(
            shapely.transform(np.asarray(geometry.values), convert_xy),
            index=geometry.index,
            crs=geometry.crs,
            name=geometry.name,
        )
    return shapely.transform(geometry, convert_xy)


# ---------------------------------------------------------------------------------------------
# The CGCS2000 Gauss-Krüger CRSs of the EPSG registry.  With the zone prefix the easting carries
# the zone number (zone 35: 35 500 000 m on the central meridian); without it the CRS is named by
# its central meridian (false easting 500 000 m).
#   3-degree, prefix:    EPSG:4513–4533 = zones 25–45 (CM = 3 × zone)
#   3-degree, no prefix: EPSG:4534–4554 = CM 75°E … 135°E
#   6-degree, prefix:    EPSG:4491–4501 = zones 13–23 (CM = 6 × zone − 3)
#   6-degree, no prefix: EPSG:4502–4512 = CM 75°E … 135°E
# ---------------------------------------------------------------------------------------------
def gauss_kruger(crs) -> dict | None:
    """``{"epsg", "width" (3 or 6), "zone", "cm", "prefix"}`` for a CGCS2000 GK CRS, else None.

    >>> gauss_kruger("EPSG:4544")["cm"], gauss_kruger("EPSG:4523")["zone"], gauss_kruger("EPSG:4490")
    (105, 35, None)
    >>> [tuple(gauss_kruger(f"EPSG:{code}")[k] for k in ("width", "prefix", "zone", "cm"))
    ...  for code in (4523, 4544, 4496, 4507)]
    [(3, True, 35, 105), (3, False, 35, 105), (6, True, 18, 105), (6, False, 18, 105)]
    """
    import pyproj

    try:
        epsg = pyproj.CRS.from_user_input(crs).to_epsg()
    except Exception:  # pyproj raises CRSError and others for odd input
        return None
    if epsg is None:
        return None
    if 4513 <= epsg <= 4533:
        zone = epsg - 4488
        return {"epsg": epsg, "width": 3, "zone": zone, "cm": 3 * zone, "prefix": True}
    if 4534 <= epsg <= 4554:
        cm = 75 + 3 * (epsg - 4534)
        return {"epsg": epsg, "width": 3, "zone": cm // 3, "cm": cm, "prefix": False}
    if 4491 <= epsg <= 4501:
        zone = epsg - 4478
        return {"epsg": epsg, "width": 6, "zone": zone, "cm": 6 * zone - 3, "prefix": True}
    if 4502 <= epsg <= 4512:
        cm = 75 + 6 * (epsg - 4502)
        return {"epsg": epsg, "width": 6, "zone": (cm + 3) // 6, "cm": cm, "prefix": False}
    return None


def gauss_kruger_epsg(width: int, cm: int, prefix: bool) -> int | None:
    """The EPSG code of the CGCS2000 GK CRS of ``width`` degrees, central meridian ``cm``, with or
    without the zone prefix; None when there is none.

    >>> gauss_kruger_epsg(3, 105, True), gauss_kruger_epsg(3, 105, False), gauss_kruger_epsg(6, 105, True)
    (4523, 4544, 4496)
    """
    if width == 3 and cm % 3 == 0:
        code = 4488 + cm // 3 if prefix else 4534 + (cm - 75) // 3
        return code if (4513 <= code <= 4533 if prefix else 4534 <= code <= 4554) else None
    if width == 6 and (cm + 3) % 6 == 0:
        code = 4478 + (cm + 3) // 6 if prefix else 4502 + (cm - 75) // 6
        return code if (4491 <= code <= 4501 if prefix else 4502 <= code <= 4512) else None
    return None


def gauss_kruger_mismatch(crs, eastings) -> str | None:
    """What is wrong when eastings (metres) do not fit the zone prefix of the GK CRS ``crs``.

    Prefixed eastings (35 xxx xxx) under a CRS without the prefix, unprefixed ones (xxx xxx) under a
    prefixed CRS, or a prefix of another zone; None when they fit or ``crs`` is no CGCS2000 GK CRS.

    >>> gauss_kruger_mismatch("EPSG:4544", [35_512_000.0])[:40]
    'eastings like 35512000 carry the Gauss-K'
    """
    import numpy as np

    info = gauss_kruger(crs)
    values = np.asarray(eastings, dtype=float)
    values = values[np.isfinite(values)]
    if info is None or not values.size:
        return None
    x = float(np.median(values))
    name = f"EPSG:{info['epsg']}"
    if not info["prefix"] and x >= 1e7:
        zone = int(x // 1e6)
        return (
            f"eastings like {x:.0f} carry the Gauss-Krüger zone prefix {zone} (带号), but {name} "
            f"(CM {info['cm']}°E) has none: {_prefixed_hint(zone)}"
        )
    if info["prefix"] and x < 1e7:
        code = gauss_kruger_epsg(info["width"], info["cm"], False)
        return (
            f"eastings like {x:.0f} have no zone prefix (带号), but {name} expects zone {info['zone']}'s "
            f"{info['zone']} xxx xxx: declare EPSG:{code} (CM {info['cm']}°E, without the prefix)"
        )
    if info["prefix"] and int(x // 1e6) != info["zone"]:
        zone = int(x // 1e6)
        return (
            f"eastings like {x:.0f} carry the zone prefix {zone}, but {name} is zone {info['zone']}: "
            f"{_prefixed_hint(zone)}"
        )
    return None


def prefixed_zone_crs(eastings) -> str | None:
    """The CGCS2000 Gauss-Krüger CRS that zone-prefixed ``eastings`` name (3-degree zones 25–45,
    6-degree 13–23), or None when they carry no prefix or name no single zone.

    >>> prefixed_zone_crs([35_505_000.0, 35_506_000.0]), prefixed_zone_crs([18_505_000.0])
    ('EPSG:4523', 'EPSG:4496')
    >>> prefixed_zone_crs([505_000.0]) is None
    True
    """
    import numpy as np

    values = np.asarray(eastings, dtype=float)
    values = values[np.isfinite(values)]
    if not values.size or (values < 1e7).any():
        return None
    zones = set((values // 1e6).astype(int).tolist())
    if len(zones) != 1:
        return None
    zone = zones.pop()
    width, cm = (3, 3 * zone) if 25 <= zone <= 45 else (6, 6 * zone - 3)
    code = gauss_kruger_epsg(width, cm, True)
    return None if code is None else f"EPSG:{code}"


def _prefixed_hint(zone: int) -> str:
    """Which CRS to declare for eastings prefixed with ``zone`` (3-degree zones 25–45, 6-degree 13–23)."""
    width, cm = (3, 3 * zone) if 25 <= zone <= 45 else (6, 6 * zone - 3)
    code = gauss_kruger_epsg(width, cm, True)
    if code is None:
        return f"zone {zone} is no CGCS2000 Gauss-Krüger zone of China: check the coordinates"
    return f"declare EPSG:{code} (CGCS2000 {width}-degree zone {zone}, CM {cm}°E, with the prefix)"
