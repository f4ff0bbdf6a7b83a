"""A minimal reader of the coverage vocabulary of SCHEMA.md, isolated so it can be swapped.

``layer_metadata.coverage`` is ``region`` (all 28 counties), comma-separated 6-digit county adcodes,
or ``polygon`` (the geometry is a row of layer ``layer_coverage``, field ``layer``, EPSG:4490).
The overlay helper has its own shared reader (``chuannan_gis.layers.coverage``); at merge,
:func:`resolve_coverage` here is replaced by theirs — nothing else in this package parses coverage.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from ...errors import LayerError

REGION = "region"
POLYGON = "polygon"


@lru_cache(maxsize=1)
def _counties():
    """(adcode, name_zh, name_en, city_adcode, city_zh) of the 28 counties of the bundled set."""
    from .. import load_constraints

    counties = load_constraints().layers["counties"]
    return tuple(
        (str(r.adcode), str(r.name_zh), str(r.name_en), str(r.city_adcode), str(r.city_zh))
        for r in counties.itertuples()
    )


def _short(name: str) -> str:
    """江安县 → 江安, 宜宾市 → 宜宾, 翠屏区 → 翠屏 (a name without its 县/市/区 suffix)."""
    return name[:-1] if len(name) > 2 and name[-1] in "县市区" else name


def resolve_coverage(text_or_path) -> str:
    """The ``layer_metadata.coverage`` value for a planner's ``--coverage``.

    ``region``; county or city names (江安县, 江安, 宜宾市, Jiang'an) or adcodes (511523, 511500),
    comma-separated: the sorted county adcodes, or ``region`` when they are all 28; a path to a
    polygon file: ``polygon`` (read it with :func:`coverage_polygon`).

    >>> resolve_coverage("江安县,511502")
    '511502,511523'
    >>> resolve_coverage("自贡市").split(",")[:2]
    ['510302', '510303']
    """
    text = str(text_or_path).strip()
    if not text:
        raise LayerError("empty coverage: give county/city names or adcodes, `region`, or a polygon file")
    if text.lower() == REGION or text in ("川南", "川南经济区"):
        return REGION
    if Path(text).exists():
        return POLYGON
    counties = _counties()
    chosen, unknown = set(), []
    for item in (part.strip() for part in text.replace("，", ",").replace("、", ",").split(",")):
        if not item:
            continue
        hits = {
            c[0]
            for c in counties
            if item in (c[0], c[1], c[2], _short(c[1]))
            or item.lower() == c[2].lower()
            or item in (c[3], c[4], _short(c[4]))
        }
        if not hits:
            unknown.append(item)
        chosen |= hits
    if unknown:
        raise LayerError(
            f"coverage {', '.join(unknown)!s} names no county or city of 川南经济区 (the 28 counties of "
            "内江, 自贡, 宜宾, 泸州; e.g. 江安县, 511523, 宜宾市, 511500, region, or a polygon file)"
        )
    if len(chosen) == len(counties):
        return REGION
    return ",".join(sorted(chosen))


def coverage_polygon(path):
    """The union of the polygons in ``path`` (any OGR source with a CRS), in EPSG:4490."""
    import geopandas as gpd

    from ...crs import STORAGE_CRS

    gdf = gpd.read_file(path, engine="pyogrio")
    if gdf.crs is None:
        raise LayerError("the coverage polygon has no CRS", file=path, layer="layer_coverage")
    geom = gdf.to_crs(STORAGE_CRS).geometry.make_valid().union_all()
    if geom.is_empty or geom.area == 0:
        raise LayerError("the coverage file holds no polygon", file=path, layer="layer_coverage")
    return geom


def county_geometries(coverage: str):
    """GeoDataFrame of the counties a ``region`` / adcode-list coverage names (EPSG:4490)."""
    from .. import load_constraints

    counties = load_constraints().layers["counties"]
    if coverage == REGION:
        return counties
    codes = set(coverage.split(","))
    return counties[counties["adcode"].astype(str).isin(codes)]
