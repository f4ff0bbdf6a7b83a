"""Validating constraint layers against the schema (SCHEMA.md), one layer and across layers.

Each problem is a :class:`~chuannan_gis.errors.LayerError` naming file, layer, feature and field;
a problem affecting many features is listed for the first :data:`LISTED` and then once with the
true count.  Warnings (:class:`LayerWarning`) are things not wrong by the schema that probably
give wrong verdicts (ponds in the water layer, shoreline zones leaving the water unzoned).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely

from ..crs import REGION_BBOX_LONLAT, STORAGE_CRS
from ..errors import LayerError, LocatedError
from ..files import blank_values
from .coverage import coverage_label
from .model import ConstraintSet
from .schema import DATA_STATUSES, LAYERS, NULLABLE_VOCAB

_GEOMETRY_FAMILY = {"MultiPolygon": {"Polygon", "MultiPolygon"}, "MultiLineString": {"LineString", "MultiLineString"}}


class LayerWarning(LocatedError):
    """Something in a layer that is not wrong by the schema but probably gives wrong verdicts."""


LISTED = 5  # features listed per problem before "… and N more"

# 三调 land-use codes (GB/T 21010-2017, 第三次全国国土调查工作分类) of water and water-related land
# that are not river water: ponds, ditches, lakes, coastal flats, marsh, glaciers.
NOT_RIVER_LAND_USE = {
    "1102": "湖泊水面",
    "1104": "坑塘水面",
    "1104A": "养殖坑塘",
    "1104K": "可调整养殖坑塘",
    "1105": "沿海滩涂",
    "1107": "沟渠",
    "1107A": "干渠",
    "1108": "沼泽地",
    "1110": "冰川及永久积雪",
}

# Kept silently: 1101 河流水面, 1103 水库水面, 1106 内陆滩涂, 1109 水工建筑用地 (what `layers import
# --template dltb` decides for each is in docs/official-data.md).
RIVER_LAND_USE = ("1101", "1103", "1106", "1109")

LAND_USE_FIELDS = ("DLBM", "dlbm", "地类编码")

SHORELINE_SEARCH_M = 2000.0  # mapped water this near a river's shoreline zones must be zoned

SHORELINE_UNZONED_SHARE = 0.05


def _listed(fids, make, what: str, where: dict, field_name=None, cls=LayerError) -> list:
    """An error per feature for the first LISTED of ``fids``, then one "… and N more" (true count)."""
    fids = list(fids)
    out = [make(fid) for fid in fids[:LISTED]]
    if len(fids) > LISTED:
        more = cls(f"… and {len(fids) - LISTED} more features: {what} ({len(fids)} in all)", field=field_name, **where)
        more.count = len(fids) - LISTED
        out.append(more)
    return out


def _field_problems(fids, message, what: str, where: dict, column: str) -> list[LayerError]:
    """A LayerError ``message(fid)`` in field ``column`` per listed feature (:func:`_listed`)."""
    return _listed(fids, lambda fid: LayerError(message(fid), feature=fid, field=column, **where), what, where, column)


def validate_set(layers: dict, paths: dict, reference: dict | None = None) -> list[LayerError]:
    """Schema problems of each layer (:func:`validate_layer`), then those across layers: a
    ``river_id`` of ``water`` or ``shoreline_zones`` that is in no ``rivers`` (the set's, or the
    ``reference`` set's, whose rivers stay outside a supplied coverage).  An empty ``river_id`` is
    allowed for a ``tributary`` water feature (an unnamed tributary)."""
    problems = []
    for name, gdf in layers.items():
        problems += validate_layer(gdf, name, paths[name])
    known = set()
    for source in (layers, reference or {}):
        rivers = source.get("rivers")
        if rivers is not None and "river_id" in rivers.columns:
            known |= set(rivers["river_id"].dropna().astype(str).str.strip()) - {""}
    for name in ("water", "shoreline_zones"):
        gdf = layers.get(name)
        if gdf is None or "river_id" not in gdf.columns:
            continue
        where = {"file": paths[name], "layer": name}
        ids = gdf["river_id"].astype(object).where(gdf["river_id"].notna(), "").astype(str).str.strip()
        empty = blank_values(gdf["river_id"])
        if name == "water" and "river_class" in gdf.columns:
            classes = gdf["river_class"].replace(LAYERS[name].aliases.get("river_class", {}))
            empty_bad = empty & (classes != "tributary")
            what = "river_id is empty (allowed only for river_class tributary: an unnamed tributary)"
        else:
            empty_bad = empty
            what = "river_id is empty"
        problems += _listed(
            gdf.index[empty_bad],
            lambda fid: LayerError(what, feature=fid, field="river_id", **where),
            what,
            where,
            "river_id",
        )
        unknown = ~empty & ~ids.isin(known)
        problems += _listed(
            gdf.index[unknown],
            lambda fid: LayerError(
                f"river_id {ids[fid]!r} is in no rivers layer (known: {', '.join(sorted(known))}); "
                "supply its centreline in rivers, or correct the id",
                feature=fid,
                field="river_id",
                **where,
            ),
            "river_id in no rivers layer",
            where,
            "river_id",
        )
    return problems


def validate_layer(gdf: gpd.GeoDataFrame, name: str, file) -> list[LayerError]:
    """Schema problems of one layer: CRS, fields, vocabularies (an empty value is an error too),
    geometry type and validity; each problem with its true count of features."""
    spec = LAYERS[name]
    where = {"file": file, "layer": name}
    crs_problem = _crs_problem(gdf)
    if crs_problem:
        return [LayerError(crs_problem, **where)]
    problems = [LayerError("field is missing", field=f, **where) for f in spec.fields if f not in gdf.columns]
    for column, allowed in {**spec.vocab, "data_status": DATA_STATUSES}.items():
        if column not in gdf.columns:
            continue
        values = gdf[column]
        # Aliases (the old reserve zone names, Chinese values) are accepted: the loader maps them.
        accepted = (*allowed, *spec.aliases.get(column, {}))
        blank = blank_values(values)
        bad = ~blank & ~values.isin(accepted)
        listing = ", ".join(allowed)
        problems += _field_problems(
            gdf.index[bad],
            lambda fid: f"value {gdf.at[fid, column]!r} is not one of {listing}",
            f"value not one of {listing}",
            where,
            column,
        )
        # data_status may be left empty (official); a vocabulary field may not: an empty river_class
        # would make a rule skip the feature and a site beside it come out clear.
        if column != "data_status" and (name, column) not in NULLABLE_VOCAB:
            problems += _field_problems(
                gdf.index[blank],
                lambda fid: f"value is empty; expected one of {listing}",
                f"value is empty (expected one of {listing})",
                where,
                column,
            )
    geoms = gdf.geometry.values
    missing = gdf.index[shapely.is_missing(geoms) | shapely.is_empty(geoms)]
    problems += _listed(
        missing,
        lambda fid: LayerError("geometry is empty", feature=fid, field="geometry", **where),
        "geometry is empty",
        where,
        "geometry",
    )
    types = gdf.geometry.geom_type
    wrong = gdf.index[~types.isin(_GEOMETRY_FAMILY[spec.geometry]) & types.notna()]
    problems += _listed(
        wrong,
        lambda fid: LayerError(
            f"geometry is {types[fid]}, expected {spec.geometry}", feature=fid, field="geometry", **where
        ),
        f"geometry is not {spec.geometry}",
        where,
        "geometry",
    )
    invalid = gdf.index[~shapely.is_valid(geoms) & ~shapely.is_missing(geoms)]
    problems += _listed(
        invalid,
        lambda fid: LayerError(
            f"invalid geometry: {shapely.is_valid_reason(gdf.geometry[fid])}", feature=fid, field="geometry", **where
        ),
        "invalid geometry",
        where,
        "geometry",
    )
    return problems


def _crs_problem(gdf: gpd.GeoDataFrame) -> str | None:
    if gdf.crs is None:
        return "the layer has no CRS (expected EPSG:4490 or any CRS that declares itself)"
    if gdf.empty:
        return None
    bounds = gdf.total_bounds
    if not gdf.crs.equals(STORAGE_CRS):
        bounds = gpd.GeoSeries(shapely.box(*bounds), crs=gdf.crs).to_crs(STORAGE_CRS).total_bounds
    minx, miny, maxx, maxy = bounds
    rminx, rminy, rmaxx, rmaxy = REGION_BBOX_LONLAT
    if not np.isfinite([minx, miny, maxx, maxy]).all() or maxx < rminx or minx > rmaxx or maxy < rminy or miny > rmaxy:
        return (
            f"coordinates do not reach 川南经济区 in the declared CRS {gdf.crs.to_string()} "
            "(wrong CRS, or swapped lon/lat?)"
        )
    return None


def land_use_warnings(layers: dict, paths: dict) -> list[LocatedError]:
    """Water features whose land-use code (三调 DLBM) is not river water: ponds, ditches, lakes …"""
    gdf = layers.get("water")
    if gdf is None:
        return []
    column = next((c for c in LAND_USE_FIELDS if c in gdf.columns), None)
    if column is None:
        return []
    where = {"file": paths["water"], "layer": "water"}
    codes = gdf[column].astype(object).where(gdf[column].notna(), "").astype(str).str.strip()
    river = codes.str[:4].isin(RIVER_LAND_USE) & ~codes.str.match(r"^1104|^1107")
    warnings = []
    for code in sorted(set(codes[~river])):
        fids = gdf.index[codes == code]
        label = NOT_RIVER_LAND_USE.get(code) or NOT_RIVER_LAND_USE.get(code[:4], "not river water")
        what = (
            f"land-use code {column} {code!r} ({label}) is not river water: distances to it count as "
            "distances to a river; leave it out (layers import --template dltb does)"
        )
        warnings += _listed(
            fids,
            lambda fid: LayerWarning(what, feature=fid, field=column, **where),
            f"{column} {code}",
            where,
            column,
            cls=LayerWarning,
        )
    return warnings


def shoreline_warnings(constraints: ConstraintSet, supplied: set) -> list[LocatedError]:
    """Supplied shoreline zones that leave a river's mapped water unzoned (land strips behind the
    water edge): a wharf on the water then falls in no zone."""
    if "shoreline_zones" not in supplied or not constraints.has("water"):
        return []
    zones = constraints.measured("shoreline_zones")
    zones = zones[zones.index >= 0]  # the planner's, not the bundled ones kept outside their coverage
    water = constraints.measured("water")
    area = constraints.measured_coverage("shoreline_zones")  # None: the whole region
    where = {"file": constraints.paths.get("shoreline_zones"), "layer": "shoreline_zones"}
    warnings = []
    for river_id, mine in zones.groupby(zones["river_id"].astype(str)):
        zoned = shapely.union_all(mine.geometry.values)
        wet = shapely.union_all(water.geometry.values[(water["river_id"].astype(str) == river_id).to_numpy()])
        if wet is None or wet.is_empty:
            continue
        near = wet.intersection(zoned.buffer(SHORELINE_SEARCH_M))
        if area is not None:
            near = near.intersection(area)
        if near.is_empty:
            warnings.append(
                LayerWarning(
                    f"the zones of river {river_id} are nowhere within {SHORELINE_SEARCH_M:.0f} m "
                    "of its mapped water: check river_id and the CRS",
                    field="river_id",
                    **where,
                )
            )
            continue
        share = near.difference(zoned).area / near.area
        if share > SHORELINE_UNZONED_SHARE:
            warnings.append(
                LayerWarning(
                    f"the zones of river {river_id} leave {share:.0%} of its mapped water near them unzoned "
                    f"({near.difference(zoned).area / 1e4:.0f} ha): a wharf on the water falls in no zone. Zones drawn "
                    "as land strips behind the water edge need their bank's half of the water "
                    "(layers import --template shoreline adds it)",
                    field="geometry",
                    **where,
                )
            )
    return warnings


def coverage_notes(constraints: ConstraintSet, supplied: set) -> list[str]:
    counties = constraints.layers["counties"]
    notes = []
    for name in sorted(supplied):
        coverage = constraints.coverage.get(name)
        if coverage is None or name == "data_gaps":
            continue
        how = "inferred from its features" if coverage.inferred else "stated"
        if coverage.everywhere:
            notes.append(f"{name}: covers the whole region ({how})")
        else:
            notes.append(
                f"{name}: covers {len(coverage.counties)} of {len(counties)} counties ({how}): "
                f"{coverage_label(coverage, counties)}; elsewhere the bundled features stay"
            )
    return notes


__all__ = [
    "LISTED",
    "LayerWarning",
    "coverage_notes",
    "land_use_warnings",
    "shoreline_warnings",
    "validate_layer",
    "validate_set",
]
