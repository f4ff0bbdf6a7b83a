"""Where a planner's layer speaks: its coverage (SCHEMA.md "Constraint set").

``layer_metadata.coverage`` is one of

- ``region``: all 28 counties of 川南经济区 (and beyond: the layer replaces the bundled one wholly);
- a comma-separated list of 6-digit county adcodes (``510502,510504``); on input
  (:func:`parse_coverage`) city names and adcodes expand to their counties (宜宾市 / 511500), and
  county names (江安县) are accepted;
- ``polygon``: the geometry is the row of the GeoPackage layer ``layer_coverage`` whose field
  ``layer`` is the layer's name (EPSG:4490).

Inside its coverage a supplied layer replaces the bundled one; outside, the bundled features stay
(:func:`chuannan_gis.layers.load_constraints`).  A layer delivered without coverage is taken to
cover the counties its features reach (:func:`infer_coverage`), which is right for wall-to-wall
layers and only an assumption for the sparse ones (``LayerSpec.sparse``, :data:`SPARSE_LAYERS`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from ..crs import MEASURE_CRS, STORAGE_CRS
from ..errors import LayerError
from .schema import LAYERS, SPARSE_LAYERS

REGION = "region"
POLYGON = "polygon"
NONE = "none"  # an inferred coverage that reaches no county (an empty layer): replaces nothing
COVERAGE_TABLE = "layer_coverage"
_REGION_WORDS = {"region", "all", "川南", "川南经济区", "全域", "全区"}
_ITEM_SEPARATORS = re.compile(r"[,，、;；]+")


@dataclass(frozen=True)
class Coverage:
    """A layer's resolved coverage.

    ``code``: the ``layer_metadata.coverage`` text (``region``, adcodes, ``polygon`` or ``none``);
    ``geometry``: the covered area in EPSG:4490 (None: everywhere, for ``region``); ``counties``:
    the adcodes it covers wholly or in part; ``inferred``: taken from the features, not stated.
    """

    code: str
    geometry: object = None
    counties: tuple[str, ...] = ()
    inferred: bool = False

    @property
    def everywhere(self) -> bool:
        return self.code == REGION


def parse_coverage(text, counties: gpd.GeoDataFrame) -> str:
    """The ``layer_metadata.coverage`` code for what a planner wrote.

    ``text``: ``region``, ``polygon``, or county/city names (Chinese, with or without 县/区/市, or
    English as in ``name_en``) and adcodes separated by commas (also ，、; or spaces).  Returns
    ``region``, ``polygon`` or the sorted county adcodes joined by commas (``region`` when they are
    all 28).  Raises LayerError naming every item that is not a county or city, with examples.

    >>> from chuannan_gis.layers import load_constraints
    >>> counties = load_constraints().layers["counties"]
    >>> parse_coverage("江阳区, 511523", counties), parse_coverage("宜宾市", counties)[:20]
    ('510502,511523', '511502,511503,511504')
    >>> parse_coverage("Jiang'an County、自贡市", counties)[:20]
    '510302,510303,510304'
    """
    if text is None or (isinstance(text, float) and np.isnan(text)):
        raise LayerError("coverage is empty", field="coverage")
    items = [t.strip() for t in _ITEM_SEPARATORS.split(str(text).strip()) if t.strip()]
    if not items:
        raise LayerError("coverage is empty", field="coverage")
    if len(items) == 1 and items[0].lower() in (REGION, POLYGON, NONE):
        return items[0].lower()
    table = _county_table(counties)
    adcodes: set[str] = set()
    unknown = []
    for item in items:
        # an item is a whole name (Jiang'an County) or space-separated names and adcodes
        for token in [item] if _lookup(item, table) or item.lower() in _REGION_WORDS else item.split():
            if token.lower() in _REGION_WORDS:
                return REGION
            found = _lookup(token, table)
            if not found:
                unknown.append(token)
            adcodes |= found
    if unknown:
        raise LayerError(
            f"coverage {', '.join(unknown)} names no county or city of 川南经济区 (the 28 counties "
            "of 内江, 自贡, 宜宾, 泸州: a 6-digit adcode or a name, e.g. 江安县, 江安, 511523, 宜宾市, "
            "511500, region, or for `layers import --coverage` a polygon file); counties: "
            f"{_county_list(table)}",
            field="coverage",
        )
    return coverage_code(adcodes, counties)


def coverage_code(adcodes, counties: gpd.GeoDataFrame) -> str:
    """``region`` when ``adcodes`` are all the counties, else the sorted adcodes joined by commas."""
    if set(adcodes) >= set(counties["adcode"].astype(str)):
        return REGION
    return ",".join(sorted(adcodes))


def _county_table(counties: gpd.GeoDataFrame) -> pd.DataFrame:
    table = pd.DataFrame({column: counties[column].astype(str) for column in ("adcode", "name_zh")})
    table["city_adcode"] = counties["city_adcode"].astype(str) if "city_adcode" in counties else ""
    table["city_zh"] = counties["city_zh"].astype(str) if "city_zh" in counties else ""
    table["name_en"] = counties["name_en"].astype(str).str.lower() if "name_en" in counties else ""
    return table


def _lookup(token: str, table: pd.DataFrame) -> set[str]:
    token = token.strip()
    for column in ("adcode", "name_zh"):
        hit = table.loc[table[column] == token, "adcode"]
        if len(hit):
            return set(hit)
    for column in ("city_adcode", "city_zh"):
        hit = table.loc[table[column] == token, "adcode"]
        if len(hit):
            return set(hit)
    hit = table.loc[table["name_en"] == token.lower(), "adcode"]
    if len(hit):
        return set(hit)
    # 江安 for 江安县, 宜宾 for 宜宾市 (the suffix left off)
    short = table["name_zh"].str.replace(r"[县区市]$", "", regex=True)
    hit = table.loc[(short == token) & (short.str.len() >= 2), "adcode"]
    if len(hit) == 1:
        return set(hit)
    city_short = table["city_zh"].str.replace(r"市$", "", regex=True)
    return set(table.loc[city_short == token, "adcode"])


def _county_list(table: pd.DataFrame) -> str:
    return ", ".join(f"{a} {n}" for a, n in zip(table["adcode"], table["name_zh"]))


def read_coverage_polygon(path, layer: str):
    """The polygon coverage of ``layer`` from the ``layer_coverage`` table of the GeoPackage ``path``,
    in EPSG:4490; None when the table has no row for it.  Raises LayerError for a table without
    a ``layer`` field or a row without a polygon."""
    try:
        names = {row[0] for row in pyogrio.list_layers(path)}
    except Exception:  # not a multi-layer source
        return None
    if COVERAGE_TABLE not in names:
        return None
    try:
        table = gpd.read_file(path, layer=COVERAGE_TABLE, engine="pyogrio")
    except Exception as err:  # pyogrio raises several GDAL error types
        raise LayerError(f"cannot be read: {err}", file=path, layer=COVERAGE_TABLE) from err
    if "layer" not in table.columns:
        raise LayerError(
            "field is missing (the layer each coverage polygon is for)", file=path, layer=COVERAGE_TABLE, field="layer"
        )
    rows = table[table["layer"] == layer]
    if rows.empty:
        return None
    return _union_polygon(rows, path, COVERAGE_TABLE, f"the coverage of {layer}")


def read_polygon_file(path):
    """The union of the polygons of the file ``path`` (any OGR source with a CRS), in EPSG:4490: a
    planner's ``layers import --coverage`` polygon file."""
    try:
        frame = gpd.read_file(path, engine="pyogrio")
    except Exception as err:  # pyogrio raises several GDAL error types
        raise LayerError(f"cannot be read: {err}", file=path, layer=COVERAGE_TABLE) from err
    return _union_polygon(frame, path, COVERAGE_TABLE, "the coverage file")


def _union_polygon(frame: gpd.GeoDataFrame, file, layer: str, what: str):
    """The union of ``frame``'s polygons in EPSG:4490, made valid; LayerError without a CRS or an area."""
    if frame.crs is None:
        raise LayerError("the coverage polygons have no CRS (expected EPSG:4490)", file=file, layer=layer)
    geometry = shapely.union_all(shapely.make_valid(np.asarray(frame.to_crs(STORAGE_CRS).geometry.values)))
    if geometry is not None and geometry.geom_type == "GeometryCollection":
        geometry = shapely.union_all(
            [g for g in shapely.get_parts(geometry) if g.geom_type in ("Polygon", "MultiPolygon")]
        )
    if (
        geometry is None
        or geometry.is_empty
        or geometry.geom_type not in ("Polygon", "MultiPolygon")
        or geometry.area == 0
    ):
        raise LayerError(
            f"{what} holds no polygon",
            file=file,
            layer=layer,
            feature=frame.index[0] if len(frame) else None,
            field="geometry",
        )
    return geometry


def counties_geometry(adcodes, counties: gpd.GeoDataFrame):
    """The union of the counties ``adcodes`` (EPSG:4490)."""
    chosen = counties[counties["adcode"].astype(str).isin(set(adcodes))]
    if not chosen.crs.equals(STORAGE_CRS):
        chosen = chosen.to_crs(STORAGE_CRS)
    return shapely.union_all(chosen.geometry.values)


def counties_in(geometry, counties: gpd.GeoDataFrame, min_share: float = 0.0) -> tuple[str, ...]:
    """Adcodes of the counties ``geometry`` (EPSG:4490) overlaps by more than ``min_share`` of their area."""
    if geometry is None:
        return tuple(sorted(counties["adcode"].astype(str)))
    measured = counties.to_crs(MEASURE_CRS)
    area = gpd.GeoSeries([geometry], crs=STORAGE_CRS).to_crs(MEASURE_CRS).iloc[0]
    shares = measured.geometry.intersection(area).area / measured.geometry.area
    return tuple(sorted(measured.loc[shares > min_share, "adcode"].astype(str)))


def infer_coverage(gdf: gpd.GeoDataFrame, counties: gpd.GeoDataFrame) -> tuple[str, ...]:
    """Adcodes of the counties the features of ``gdf`` reach: by more than the county boundaries'
    own accuracy (their ``accuracy_m``) inside, so a feature that merely grazes a neighbour across
    an indicative boundary does not claim it (claiming too little keeps bundled features, the safe
    side)."""
    geoms = gdf.geometry
    geoms = geoms[~(geoms.isna() | geoms.is_empty)]
    if geoms.empty:
        return ()
    measured = geoms.to_crs(MEASURE_CRS).values
    tree = shapely.STRtree(measured)
    shrink = (
        float(pd.to_numeric(counties.get("accuracy_m"), errors="coerce").max()) if "accuracy_m" in counties else 0.0
    )
    shrink = shrink if np.isfinite(shrink) else 0.0
    reached = []
    for adcode, county in zip(counties["adcode"].astype(str), counties.to_crs(MEASURE_CRS).geometry.values):
        inner = county.buffer(-shrink) if shrink else county
        if inner.is_empty:
            inner = county
        if len(tree.query(inner, predicate="intersects")):
            reached.append(adcode)
    return tuple(sorted(reached))


def resolve_coverage(
    value, name: str, gdf: gpd.GeoDataFrame, counties: gpd.GeoDataFrame, *, file=None, polygon=None
) -> tuple[Coverage, str | None]:
    """The :class:`Coverage` of the supplied layer ``name`` and a warning (or None).

    ``value``: its ``layer_metadata.coverage`` (None or empty: not stated, inferred from the
    features); ``polygon``: its ``layer_coverage`` polygon (EPSG:4490), required for ``polygon``.
    The warning names the counties an inferred coverage takes, and for :data:`SPARSE_LAYERS` says
    what that assumes.
    """
    stated = value is not None and not (isinstance(value, float) and np.isnan(value)) and str(value).strip()
    if not stated:
        if polygon is not None:
            return Coverage(POLYGON, polygon, counties_in(polygon, counties)), None
        adcodes = infer_coverage(gdf, counties)
        return _from_adcodes(adcodes, counties, inferred=True), inferred_warning(name, adcodes, counties, file)
    try:
        code = parse_coverage(value, counties)
    except LayerError as err:
        raise LayerError(err.message, file=file, layer=name, field="coverage") from err
    if code == POLYGON:
        if polygon is None:
            raise LayerError(
                f"coverage is 'polygon' but {COVERAGE_TABLE} has no row with layer = {name!r}",
                file=file,
                layer=name,
                field="coverage",
            )
        return Coverage(POLYGON, polygon, counties_in(polygon, counties)), None
    if code == REGION:
        return Coverage(REGION, None, tuple(sorted(counties["adcode"].astype(str)))), None
    if code == NONE:
        return Coverage(NONE, shapely.Polygon(), ()), None
    return _from_adcodes(tuple(code.split(",")), counties), None


def _from_adcodes(adcodes, counties, inferred: bool = False) -> Coverage:
    if not adcodes:
        return Coverage(NONE, shapely.Polygon(), (), inferred)
    code = coverage_code(adcodes, counties)
    geometry = None if code == REGION else counties_geometry(adcodes, counties)
    return Coverage(code, geometry, tuple(sorted(adcodes)), inferred)


def describe_counties(adcodes, counties: gpd.GeoDataFrame) -> str:
    """'江阳区 510502, 龙马潭区 510504' for ``adcodes``."""
    names = dict(zip(counties["adcode"].astype(str), counties["name_zh"].astype(str)))
    return ", ".join(f"{names.get(a, '?')} {a}" for a in adcodes) or "no county"


def inferred_warning(name: str, adcodes, counties: gpd.GeoDataFrame, file=None) -> str:
    """The warning for a layer whose coverage was taken from the counties its features reach."""
    where = f"{file}: " if file is not None else ""
    if not adcodes:
        return (
            f"{where}layer {name} states no coverage and its features reach no county: it replaces no "
            "bundled feature; state its coverage (layer_metadata.coverage, or layers import --coverage)"
        )
    text = (
        f"{where}layer {name} states no coverage (layer_metadata.coverage); taken to cover the "
        f"{_n_counties(len(adcodes))} its features reach: {describe_counties(adcodes, counties)}. "
        "There it replaces the bundled layer; elsewhere the bundled (indicative) features stay"
    )
    if LAYERS[name].sparse if name in LAYERS else False:
        text += (
            f". {name} is sparse: an absent feature means 'none here' only where the bureau covers; "
            "counties it covers without a feature are not counted, and those its features reach are "
            "assumed complete — state the coverage (layers import --coverage) to be sure"
        )
    return text


def _n_counties(n: int) -> str:
    return f"{n} county" if n == 1 else f"{n} counties"


def coverage_label(coverage: Coverage, counties: gpd.GeoDataFrame) -> str:
    """What a coverage is, for messages: 'region', 'polygon (…counties)', or the county names."""
    if coverage.everywhere:
        return "region (all 28 counties)"
    if coverage.code == POLYGON:
        return f"polygon over {describe_counties(coverage.counties, counties)}"
    return describe_counties(coverage.counties, counties)


def county_names(counties) -> dict[str, tuple[str, str]]:
    """adcode → (name_zh, name_en) of the ``counties`` layer (None: empty)."""
    if counties is None:
        return {}
    english = counties["name_en"].fillna("").astype(str) if "name_en" in counties else [""] * len(counties)
    return dict(zip(counties["adcode"].astype(str), zip(counties["name_zh"].astype(str), english)))


def coverage_words(code: str, counties: dict[str, tuple[str, str]] | None = None) -> tuple[str, str]:
    """A coverage code in words, in Chinese and English; ``counties``: adcode → (name_zh, name_en).

    >>> coverage_words("511523", {"511523": ("江安县", "Jiang'an County")})
    ('江安县 (511523)', "Jiang'an County (511523)")
    >>> coverage_words("region")
    ('川南经济区全域', 'the whole region (川南经济区)')
    """
    code = str(code).strip() if code is not None and not (isinstance(code, float) and np.isnan(code)) else ""
    code = code or REGION
    if code == REGION:
        return "川南经济区全域", "the whole region (川南经济区)"
    if code == POLYGON:
        return "多边形范围（layer_coverage）", "a polygon (layer_coverage)"
    if code == NONE:
        return "无（不覆盖任何县区）", "none (no county)"
    adcodes = [a for a in (c.strip() for c in code.split(",")) if a]
    names = [(counties or {}).get(a) for a in adcodes]
    zh = [f"{n[0]} ({a})" if n else a for a, n in zip(adcodes, names)]
    en = [f"{n[1] or n[0]} ({a})" if n else a for a, n in zip(adcodes, names)]
    return "、".join(zh), ", ".join(en)


__all__ = [
    "COVERAGE_TABLE",
    "NONE",
    "POLYGON",
    "REGION",
    "SPARSE_LAYERS",
    "Coverage",
    "counties_geometry",
    "counties_in",
    "county_names",
    "coverage_code",
    "coverage_label",
    "coverage_words",
    "describe_counties",
    "infer_coverage",
    "inferred_warning",
    "parse_coverage",
    "read_coverage_polygon",
    "read_polygon_file",
    "resolve_coverage",
]
