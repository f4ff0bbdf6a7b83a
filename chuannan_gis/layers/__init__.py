"""The constraint set: load the bundled layers or a planner's own, and validate them.

The bundled set (``chuannan_gis/data/constraints.gpkg``) is built from public sources by
:mod:`chuannan_gis.layers.build`.  A planner's set — a GeoPackage, a File Geodatabase folder, or a
folder of vector files named after the layers — replaces the bundled layers of the same name
**only inside each layer's coverage** (:mod:`chuannan_gis.layers.coverage`) and adds optional
ones; outside it, and for every other layer, the bundled features stay (SCHEMA.md "Constraint set").
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from ..crs import MEASURE_CRS, REGION_BBOX_LONLAT, STORAGE_CRS
from ..errors import LayerError, LocatedError
from ..io import blank_values, hash_files
from .coverage import REGION, Coverage, read_coverage_polygon, resolve_coverage
from .read import VECTOR_SUFFIXES, is_container, list_layer_names, read_vector_layer
from .schema import (
    COMMON_FIELDS,
    COVERAGE_FIELD,
    DATA_STATUSES,
    LAYERS,
    METADATA_FIELDS,
    METADATA_TABLE,
    NULLABLE_VOCAB,
    REQUIRED_LAYERS,
)

logger = logging.getLogger(__name__)
_GEOMETRY_FAMILY = {"MultiPolygon": {"Polygon", "MultiPolygon"}, "MultiLineString": {"LineString", "MultiLineString"}}


def bundled_path() -> Path:
    """Path of the constraint set that ships inside the package."""
    return Path(str(resources.files("chuannan_gis").joinpath("data", "constraints.gpkg")))


@dataclass
class ConstraintSet:
    """Constraint layers by name (GeoDataFrames in EPSG:4490, indexed by GeoPackage fid) with provenance.

    ``metadata`` has one row per layer (SCHEMA.md ``layer_metadata``); ``paths`` says which file
    each layer came from; ``fingerprint`` is a hash of those files, recorded in every Result.
    """

    layers: dict[str, gpd.GeoDataFrame]
    metadata: pd.DataFrame
    paths: dict[str, str] = field(default_factory=dict)
    fingerprint: str = ""
    overlay: str | None = None  # the planner's set load_constraints overlaid (GeoPackage or folder)
    # layer → where its supplied features speak (bundled layers: everywhere); see layers/coverage.py
    coverage: dict[str, Coverage] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)  # what loading assumed (inferred coverages …)
    # supplied layers with no bundled layer beneath and a coverage short of the region: outside
    # their coverage nothing speaks, so the rules reading them are not checked there
    partial: frozenset[str] = frozenset()
    _measured: dict[str, gpd.GeoDataFrame] = field(default_factory=dict, repr=False)
    _measured_coverage: dict[str, object] = field(default_factory=dict, repr=False)

    def has(self, name: str) -> bool:
        return name in self.layers

    def measured(self, name: str) -> gpd.GeoDataFrame:
        """Layer ``name`` in the measuring CRS (EPSG:4544), cached."""
        if name not in self._measured:
            self._measured[name] = self.layers[name].to_crs(MEASURE_CRS)
        return self._measured[name]

    def measured_coverage(self, name: str):
        """Layer ``name``'s coverage area in the measuring CRS, cached; None where it covers everywhere."""
        coverage = self.coverage.get(name)
        if coverage is None or coverage.everywhere:
            return None
        if name not in self._measured_coverage:
            geometry = coverage.geometry if coverage.geometry is not None else shapely.Polygon()
            # not prepared: the dask engine's threads share the set, and GEOS fills a prepared
            # geometry's indexes lazily, without a lock (engine/index.py)
            area = gpd.GeoSeries([shapely.make_valid(geometry)], crs=STORAGE_CRS).to_crs(MEASURE_CRS).iloc[0]
            self._measured_coverage[name] = area
        return self._measured_coverage[name]

    def covers(self, name: str, geometries) -> np.ndarray:
        """Which measured ``geometries`` (EPSG:4544) lie wholly inside layer ``name``'s coverage."""
        area = self.measured_coverage(name)
        if area is None:
            return np.ones(len(geometries), dtype=bool)
        return shapely.covers(area, np.asarray(geometries))

    def layer_info(self, name: str) -> dict:
        rows = self.metadata[self.metadata["layer"] == name]
        return rows.iloc[0].to_dict() if len(rows) else {"layer": name}

    def indicative_layers(self) -> list[str]:
        return sorted(n for n, g in self.layers.items() if (g["data_status"] == "indicative").any())

    @classmethod
    def from_frames(
        cls, frames: dict[str, gpd.GeoDataFrame], metadata: pd.DataFrame | None = None, origin: str = "<memory>"
    ) -> ConstraintSet:
        """Build a set from GeoDataFrames in any CRS (tests, notebooks); missing common fields get
        the defaults of a user's layer."""
        layers = {name: _prepare(gdf, origin, name) for name, gdf in frames.items()}
        meta = metadata if metadata is not None else _default_metadata(layers, origin)
        return cls(layers, meta, dict.fromkeys(layers, origin), _hash_frames(layers))


def load_constraints(path=None) -> ConstraintSet:
    """Load the bundled constraint set, overlaid with a planner's layers from ``path`` if given.

    ``path`` is a GeoPackage, a File Geodatabase folder (``.gdb``) or a folder of vector files
    named after the layers (``farmland.shp``, ``eco_redlines.gpkg`` ...).  Each layer read is
    validated; the first problem raises a :class:`~chuannan_gis.errors.LayerError` naming file,
    layer, feature and field.

    A supplied layer replaces the bundled one only inside its coverage (``layer_metadata.coverage``;
    not stated: the counties its features reach, with a warning): outside, the bundled features
    stay, clipped to outside the coverage, ``data_status`` indicative and fid negated (−fid: the
    bundled feature fid) so ids stay unique (:func:`overlay_layer`).  A bundled ``data_gaps``
    feature about a supplied layer is clipped to outside that layer's coverage, for a layer with
    river classes only if it maps the gap's class (:func:`complete_classes`).  The resolved
    coverages are in ``ConstraintSet.coverage`` and ``layer_metadata.coverage``.
    """
    base = bundled_path()
    if not base.exists():
        raise LayerError("the bundled constraint set is missing; run `chuannan-gis layers build`", file=base)
    layers, metadata, paths = _read_source(base)
    coverage = {name: Coverage(REGION) for name in layers}
    bundled_names, partial = set(layers), frozenset()
    warnings: list[str] = []
    if path is not None:
        # absolute: the fingerprint hashes the files in path order, and a Result reopens them from any folder
        path = Path(path).resolve()
        user_layers, user_meta, user_paths = _read_source(path)
        if not user_layers:
            raise LayerError(no_schema_layer_message(path), file=path)
        problems = validate_set(user_layers, user_paths, reference=layers)
        if problems:
            raise problems[0]
        user_coverage, warnings = _resolve_coverages(path, user_layers, user_meta, user_paths, layers["counties"])
        user_meta = user_meta.copy()
        user_meta["coverage"] = user_meta["layer"].map(lambda n: user_coverage[n].code if n in user_coverage else None)
        gaps = layers.get("data_gaps")
        for name, gdf in user_layers.items():
            if name == "data_gaps":
                continue  # the planner's gaps describe their layers: added to the bundled ones below
            layers[name] = overlay_layer(layers[name], gdf, user_coverage[name], name) if name in layers else gdf
        if gaps is not None:
            layers["data_gaps"] = fill_gaps(gaps, user_layers, user_meta, user_coverage, user_layers.get("data_gaps"))
        elif "data_gaps" in user_layers:
            layers["data_gaps"] = user_layers["data_gaps"]
        partial = frozenset(  # a bundled sample (LayerSpec.complete False) does not speak beyond it
            name
            for name in user_layers
            if (name not in bundled_names or not LAYERS[name].complete) and not user_coverage[name].everywhere
        )
        coverage.update(user_coverage)
        paths.update(user_paths)
        metadata = pd.concat([metadata[~metadata["layer"].isin(user_layers)], user_meta], ignore_index=True)
        for warning in warnings:
            logger.warning("%s", warning)
    for name, gdf in layers.items():
        problems = validate_layer(gdf, name, paths[name])
        if problems:
            raise problems[0]
    return ConstraintSet(
        layers,
        metadata,
        paths,
        hash_files(_source_files(paths.values())),
        None if path is None else str(path),
        coverage,
        warnings,
        partial,
    )


def _source_files(paths) -> list[Path]:
    """The files to fingerprint: each path, a folder source (a .gdb) as its files, sorted."""
    files = []
    for name in sorted(set(map(str, paths))):
        path = Path(name)
        files += sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    return files


def _resolve_coverages(path: Path, user_layers: dict, user_meta: pd.DataFrame, user_paths: dict, counties):
    coverages, warnings = {}, []
    stated = dict(zip(user_meta["layer"], user_meta["coverage"])) if "coverage" in user_meta else {}
    for name, gdf in user_layers.items():
        file = Path(user_paths[name])
        polygon = read_coverage_polygon(file, name) if is_container(file) else None
        coverages[name], warning = resolve_coverage(stated.get(name), name, gdf, counties, file=file, polygon=polygon)
        if warning and name != "data_gaps":
            warnings.append(warning)
    return coverages, warnings


def overlay_layer(
    bundled: gpd.GeoDataFrame, supplied: gpd.GeoDataFrame, coverage: Coverage, name: str
) -> gpd.GeoDataFrame:
    """The supplied layer, plus the bundled features outside its coverage.

    Inside the coverage the planner's data rule: a bundled feature reaching in is cut at the
    coverage edge, so an indicative river drawn 1 km off the true one cannot put a site inside the
    coverage closer to water than the planner's data say.  Outside it the bundled part stays whole,
    so a site just inside the edge still measures to a bundled river or red line just outside it.
    The kept bundled features are marked ``data_status`` indicative and carry fid −(bundled fid).
    """
    supplied = supplied.copy()
    if coverage.everywhere:
        return supplied
    kept = bundled.copy()
    if coverage.geometry is not None and not coverage.geometry.is_empty:
        cut = shapely.difference(kept.geometry.values, shapely.make_valid(coverage.geometry))
        kept = kept.set_geometry(
            gpd.GeoSeries(_same_family(cut, LAYERS[name].geometry), index=kept.index, crs=STORAGE_CRS)
        )
        kept = kept[~(kept.geometry.isna() | kept.geometry.is_empty)]
    kept["data_status"] = "indicative"
    kept.index = -kept.index.to_numpy()
    kept.index.name = "fid"
    combined = pd.concat([supplied, kept])
    return gpd.GeoDataFrame(combined, geometry=supplied.geometry.name, crs=STORAGE_CRS)


def _same_family(geoms, geometry_type: str):
    """Clip results as the layer's type: the polygon (or line) parts of what a difference leaves."""
    family = {"MultiPolygon": 3, "MultiLineString": 1}[geometry_type]
    out = []
    for geom in geoms:
        if geom is None or geom.is_empty:
            out.append(None)
            continue
        parts = [g for g in shapely.get_parts(geom) if shapely.get_dimensions(g) == {3: 2, 1: 1}[family]]
        out.append(
            shapely.multipolygons(parts)
            if family == 3 and parts
            else shapely.multilinestrings(parts)
            if parts
            else None
        )
    return np.array(out, dtype=object)


def fill_gaps(
    gaps: gpd.GeoDataFrame,
    user_layers: dict,
    user_meta: pd.DataFrame,
    coverages: dict,
    own_gaps: gpd.GeoDataFrame | None = None,
) -> gpd.GeoDataFrame:
    """The bundled ``data_gaps`` left once the planner's layers are in, plus their own gaps.

    A bundled gap is about a bundled layer: where the planner supplies that layer it is theirs to
    fill — inside that layer's coverage, and for a layer with river classes only for the classes
    it maps.  So the gap is clipped to outside the coverage (and dropped when nothing is left);
    the 横江 gap stays whole when the supplied water's coverage does not reach it.  The layer
    stays (perhaps empty), so the gap rules run and find nothing rather than being not checked.
    """
    gaps = gaps.copy()
    geoms = np.array(gaps.geometry.values, dtype=object)
    for name in set(gaps["missing_layer"]) & (set(user_layers) - {"data_gaps"}):
        mine = (gaps["missing_layer"] == name).to_numpy().copy()
        classes = complete_classes(user_layers[name], user_meta, name)
        if classes is not None:
            mine &= ~(gaps["river_class"].notna() & ~gaps["river_class"].isin(classes)).to_numpy()
        coverage = coverages[name]
        if coverage.everywhere:
            geoms[mine] = None
        elif coverage.geometry is not None and not coverage.geometry.is_empty:
            geoms[mine] = _same_family(
                shapely.difference(geoms[mine], shapely.make_valid(coverage.geometry)), "MultiPolygon"
            )
    gaps = gaps.set_geometry(gpd.GeoSeries(geoms, index=gaps.index, crs=STORAGE_CRS))
    gaps = gaps[~(gaps.geometry.isna() | gaps.geometry.is_empty)]
    if own_gaps is None:
        return gaps
    gaps["data_status"] = "indicative"
    gaps.index = -gaps.index.to_numpy()
    gaps.index.name = "fid"
    return gpd.GeoDataFrame(pd.concat([own_gaps, gaps]), geometry=own_gaps.geometry.name, crs=STORAGE_CRS)


def complete_classes(gdf: gpd.GeoDataFrame, metadata: pd.DataFrame, name: str) -> frozenset[str] | None:
    """The river classes a planner's layer maps completely; None: it has no river classes.

    Its ``layer_metadata.complete_classes`` where stated, else the classes its features carry: a
    water layer with tributaries drawn claims to map them, one without does not (its gaps stay).
    """
    if "river_class" not in LAYERS[name].fields:
        return None
    rows = metadata.loc[metadata["layer"] == name, "complete_classes"] if "complete_classes" in metadata else []
    stated = [str(v) for v in rows if isinstance(v, str) and v.strip()]
    if stated:
        return frozenset(c.strip() for c in stated[0].split(",") if c.strip())
    if "river_class" not in gdf.columns:
        return frozenset()
    return frozenset(gdf["river_class"].dropna().astype(str))


class LayerWarning(LocatedError):
    """Something in a layer that is not wrong by the schema but probably gives wrong verdicts."""


@dataclass
class ValidationReport:
    """What ``layers validate`` says: ``errors`` (the set is refused), ``warnings`` and ``notes``.

    A problem affecting many features is listed for the first :data:`LISTED` and then one line
    "… and N more"; :meth:`count` is the true number of problems.
    """

    errors: list[LayerError] = field(default_factory=list)
    warnings: list[LocatedError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @staticmethod
    def count(problems) -> int:
        return sum(getattr(p, "count", 1) for p in problems)


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


def validate(path, complete: bool = False) -> list[LayerError]:
    """Every schema problem of the set at ``path``, each naming file, layer, feature and field.

    ``complete=True`` also reports each required bundled layer the set lacks (a planner's partial
    set falls back to the bundled layers, so that is not an error by default); ``data_gaps``
    describes the bundled set itself and is never required.  :func:`validation_report` adds the
    warnings and the coverage notes.
    """
    return validation_report(path, complete).errors


def validation_report(path, complete: bool = False) -> ValidationReport:
    """Errors, warnings and notes for the set at ``path`` (``layers validate``)."""
    path = Path(path)
    report = ValidationReport()
    if not path.exists():
        report.errors.append(LayerError("no such file or folder", file=path))
        return report
    errors: list[LayerError] = []
    try:
        layers, _, paths = _read_source(path, prepare=False, errors=errors)
    except LayerError as err:
        report.errors.append(err)
        return report
    report.errors += errors
    if not layers and not errors:
        report.errors.append(LayerError(no_schema_layer_message(path), file=path))
    if complete:
        report.errors += [
            LayerError("required layer is missing", file=path, layer=name)
            for name in REQUIRED_LAYERS
            if name not in layers
        ]
    bundled, _, _ = _read_source(bundled_path())
    report.errors += validate_set(layers, paths, reference=bundled)
    report.warnings += _land_use_warnings(layers, paths)
    if not report.errors and layers:
        constraints = _load_unlogged(path)  # the report lists its warnings once, not the log too
        report.warnings += [LayerWarning(w) for w in constraints.warnings]
        report.warnings += _shoreline_warnings(constraints, set(layers))
        report.notes += _coverage_notes(constraints, set(layers))
    return report


def _load_unlogged(path) -> ConstraintSet:
    was = logger.disabled
    logger.disabled = True
    try:
        return load_constraints(path)
    finally:
        logger.disabled = was


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
        problems += _listed(
            gdf.index[bad],
            lambda fid: LayerError(
                f"value {gdf.at[fid, column]!r} is not one of {listing}", feature=fid, field=column, **where
            ),
            f"value not one of {listing}",
            where,
            column,
        )
        # data_status may be left empty (official); a vocabulary field may not: an empty river_class
        # would make a rule skip the feature and a site beside it come out clear.
        if column != "data_status" and (name, column) not in NULLABLE_VOCAB:
            problems += _listed(
                gdf.index[blank],
                lambda fid: LayerError(
                    f"value is empty; expected one of {listing}", feature=fid, field=column, **where
                ),
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


def _land_use_warnings(layers: dict, paths: dict) -> list[LocatedError]:
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


def _shoreline_warnings(constraints: ConstraintSet, supplied: set) -> list[LocatedError]:
    """Supplied shoreline zones that leave a river's mapped water unzoned (land strips behind the
    water edge): a wharf on the water then falls in no zone."""
    if "shoreline_zones" not in supplied or not constraints.has("water"):
        return []
    zones = constraints.measured("shoreline_zones")
    zones = zones[zones.index >= 0]  # the planner's, not the bundled ones kept outside their coverage
    water = constraints.measured("water")
    coverage = constraints.coverage.get("shoreline_zones")
    area = None
    if coverage is not None and not coverage.everywhere and coverage.geometry is not None:
        area = gpd.GeoSeries([coverage.geometry], crs=STORAGE_CRS).to_crs(MEASURE_CRS).iloc[0]
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


def _coverage_notes(constraints: ConstraintSet, supplied: set) -> list[str]:
    from .coverage import coverage_label

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


_TEMPLATE_HINTS = (
    ("DLTB", "dltb"),
    ("地类图斑", "dltb"),
    ("STBHHX", "redline"),
    ("HX", "redline"),
    ("红线", "redline"),
    ("YJJBNT", "yjjbnt"),
    ("基本农田", "yjjbnt"),
    ("CZKFBJ", "czkfbj"),
    ("开发边界", "czkfbj"),
    ("AX", "shoreline"),
    ("岸线", "shoreline"),
    ("SYD", "water-source"),
    ("水源", "water-source"),
    ("ZRBHQ", "reserves"),
    ("ZRBHD", "reserves"),
    ("保护区", "reserves"),
    ("保护地", "reserves"),
    ("HGYQ", "chemical-parks"),
    ("化工", "chemical-parks"),
)


def no_schema_layer_message(path) -> str:
    """ "no layer named as in the schema", with what was found and the import template to try."""
    from .read import describe_layers

    found = describe_layers(path)
    text = f"no layer named as in the schema ({', '.join(LAYERS)})"
    if not found:
        return text + "; found no vector layer at all"
    text += "; found: " + "; ".join(str(f) for f in found[:20])
    if len(found) > 20:
        text += f"; … and {len(found) - 20} more"
    hints = []
    for layer in found:
        template = next((t for key, t in _TEMPLATE_HINTS if key in layer.name.upper() or key in layer.name), None)
        if template:
            source = layer.name.split(": ")[-1]
            hints.append(
                f"chuannan-gis layers import --template {template} {Path(path).name} --layer {source} -o OUT.gpkg"
            )
    if hints:
        text += ". Import them with: " + " ; ".join(dict.fromkeys(hints))
    else:
        text += (
            ". Name each layer as in the schema, or convert it with `chuannan-gis layers import --template …` "
            "(`chuannan-gis layers templates` lists them)"
        )
    return text


def _crs_problem(gdf: gpd.GeoDataFrame) -> str | None:
    if gdf.crs is None:
        return "the layer has no CRS (expected EPSG:4490 or any CRS that declares itself)"
    if gdf.empty:
        return None
    minx, miny, maxx, maxy = gpd.GeoSeries(shapely.box(*gdf.total_bounds), crs=gdf.crs).to_crs(STORAGE_CRS).total_bounds
    rminx, rminy, rmaxx, rmaxy = REGION_BBOX_LONLAT
    if not np.isfinite([minx, miny, maxx, maxy]).all() or maxx < rminx or minx > rmaxx or maxy < rminy or miny > rmaxy:
        return (
            f"coordinates do not reach 川南经济区 in the declared CRS {gdf.crs.to_string()} "
            "(wrong CRS, or swapped lon/lat?)"
        )
    return None


def _read_source(path: Path, prepare: bool = True, errors: list | None = None):
    """Layers, metadata and per-layer file paths from a GeoPackage, a ``.gdb`` folder or a folder
    of vector files.  With ``errors`` (a list), a layer that cannot be read is reported there and
    left out instead of raising."""
    if path.is_dir() and path.suffix.lower() != ".gdb":
        files = {}
        for file in sorted(path.iterdir()):
            if file.suffix.lower() in VECTOR_SUFFIXES:
                files.setdefault(file.stem, file)
        found = {}
        for name in LAYERS:
            if name in files:
                file = files[name]
                inner = _matching_layer(list_layer_names(file), name) if is_container(file) else None
                found[name] = (file, inner)
    elif path.exists():
        names = list_layer_names(path)
        found = {name: (path, layer) for name in LAYERS if (layer := _matching_layer(names, name)) is not None}
    else:
        raise LayerError("no such file or folder", file=path)
    layers, paths = {}, {}
    for name, (file, layer) in found.items():
        try:
            gdf = read_vector_layer(file, layer, name=name, fields=(*LAYERS[name].fields, *COMMON_FIELDS))
        except LayerError as err:
            if errors is None:
                raise
            errors.append(err)
            continue
        layers[name] = _prepare(gdf, file, name) if prepare else gdf
        paths[name] = str(file)
    return layers, _read_metadata(path, layers), paths


def _matching_layer(names, name: str) -> str | None:
    """The layer of ``names`` called ``name`` (exactly, else ignoring case, as a .gdb may spell it)."""
    if name in names:
        return name
    folded = [n for n in names if n.lower() == name]
    return folded[0] if len(folded) == 1 else None


def _prepare(gdf: gpd.GeoDataFrame, origin, name: str) -> gpd.GeoDataFrame:
    """Fill the defaults of SCHEMA.md for a user's layer and store it in EPSG:4490."""
    gdf = gdf.copy()
    if "data_status" not in gdf.columns:
        gdf["data_status"] = "official"
    gdf["data_status"] = gdf["data_status"].fillna("official")
    if "accuracy_m" not in gdf.columns:
        gdf["accuracy_m"] = np.nan  # "accuracy not stated": measured as 0, reported as unknown
    gdf["accuracy_m"] = pd.to_numeric(gdf["accuracy_m"], errors="coerce")
    if "source" not in gdf.columns:
        gdf["source"] = Path(str(origin)).name
    for column, codes in LAYERS[name].aliases.items():
        if column in gdf.columns:
            gdf[column] = gdf[column].replace(codes)
    if gdf.crs is not None and not gdf.crs.equals(STORAGE_CRS):
        gdf = gdf.to_crs(STORAGE_CRS)
    gdf.index.name = "fid"
    return gdf


def _read_metadata(path: Path, layers: dict) -> pd.DataFrame:
    if is_container(path) and METADATA_TABLE in list_layer_names(path):
        try:
            meta = pyogrio.read_dataframe(path, layer=METADATA_TABLE, read_geometry=False)
        except Exception as err:  # pyogrio raises several GDAL error types
            raise LayerError(f"cannot be read: {err}", file=path, layer=METADATA_TABLE) from err
        if "layer" not in meta.columns:
            raise LayerError("field is missing", file=path, layer=METADATA_TABLE, field="layer")
        meta = meta[meta["layer"].isin(layers)]
    else:
        meta = pd.DataFrame(columns=[*METADATA_FIELDS, COVERAGE_FIELD])
    return pd.concat(
        [meta, _default_metadata({n: g for n, g in layers.items() if n not in set(meta["layer"])}, path)],
        ignore_index=True,
    )


def _default_metadata(layers: dict, origin) -> pd.DataFrame:
    """Metadata rows for layers that came without any: what a user's layer is assumed to be."""
    rows = [
        {
            "layer": name,
            "title_zh": LAYERS[name].title_zh,
            "title_en": LAYERS[name].title_en,
            "source": Path(str(origin)).name,
            "licence": "not stated",
            "date": "not stated",
            "method": "supplied by the user",
            "data_status": _layer_status(gdf),
            "accuracy_m": float(gdf["accuracy_m"].max())
            if "accuracy_m" in gdf and gdf["accuracy_m"].notna().any()
            else np.nan,
        }
        for name, gdf in layers.items()
    ]
    return pd.DataFrame(rows, columns=[*METADATA_FIELDS, COVERAGE_FIELD])


def _layer_status(gdf) -> str:
    if "data_status" in gdf.columns and (gdf["data_status"] == "indicative").any():
        return "indicative"
    return "official"


def _hash_frames(layers: dict) -> str:
    digest = hashlib.sha256()
    for name in sorted(layers):
        digest.update(name.encode())
        digest.update(b"".join(shapely.to_wkb(layers[name].geometry.values)))
    return digest.hexdigest()


__all__ = [
    "COMMON_FIELDS",
    "VECTOR_SUFFIXES",
    "ConstraintSet",
    "LayerWarning",
    "ValidationReport",
    "bundled_path",
    "fill_gaps",
    "load_constraints",
    "no_schema_layer_message",
    "overlay_layer",
    "validate",
    "validate_layer",
    "validate_set",
    "validation_report",
]
