"""The constraint set: load the bundled layers or a planner's own, and validate them.

The bundled set (``chuannan_gis/data/constraints.gpkg``) is built from public sources by
:mod:`chuannan_gis.layers.build`.  A planner's set — a GeoPackage, or a folder of vector files
named after the layers — replaces the bundled layers of the same name and adds optional ones;
the rest stay bundled (SCHEMA.md "Constraint set").
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from ..crs import MEASURE_CRS, REGION_BBOX_LONLAT, STORAGE_CRS
from ..errors import LayerError
from ..io import hash_files
from .schema import COMMON_FIELDS, DATA_STATUSES, LAYERS, METADATA_FIELDS, METADATA_TABLE, REQUIRED_LAYERS

VECTOR_SUFFIXES = (".gpkg", ".shp", ".geojson", ".json", ".fgb")
_GEOMETRY_FAMILY = {"MultiPolygon": {"Polygon", "MultiPolygon"},
                    "MultiLineString": {"LineString", "MultiLineString"}}


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
    _measured: dict[str, gpd.GeoDataFrame] = field(default_factory=dict, repr=False)

    def has(self, name: str) -> bool:
        return name in self.layers

    def measured(self, name: str) -> gpd.GeoDataFrame:
        """Layer ``name`` in the measuring CRS (EPSG:4544), cached."""
        if name not in self._measured:
            self._measured[name] = self.layers[name].to_crs(MEASURE_CRS)
        return self._measured[name]

    def layer_info(self, name: str) -> dict:
        rows = self.metadata[self.metadata["layer"] == name]
        return rows.iloc[0].to_dict() if len(rows) else {"layer": name}

    def indicative_layers(self) -> list[str]:
        return sorted(n for n, g in self.layers.items() if (g["data_status"] == "indicative").any())

    @classmethod
    def from_frames(cls, frames: dict[str, gpd.GeoDataFrame], metadata: pd.DataFrame | None = None,
                    origin: str = "<memory>") -> "ConstraintSet":
        """Build a set from GeoDataFrames in any CRS (tests, notebooks); missing common fields get
        the defaults of a user's layer."""
        layers = {name: _prepare(gdf, origin, name) for name, gdf in frames.items()}
        meta = metadata if metadata is not None else _default_metadata(layers, origin)
        return cls(layers, meta, {n: origin for n in layers}, _hash_frames(layers))


def load_constraints(path=None) -> ConstraintSet:
    """Load the bundled constraint set, overlaid with a planner's layers from ``path`` if given.

    ``path`` is a GeoPackage or a folder of vector files named after the layers (``farmland.shp``,
    ``eco_redlines.gpkg`` ...).  Each layer read is validated; the first problem raises a
    :class:`~chuannan_gis.errors.LayerError` naming file, layer, feature and field.
    Bundled ``data_gaps`` features whose ``missing_layer`` the planner supplies are dropped, for a
    layer with river classes only those of the classes it maps (:func:`complete_classes`).
    """
    base = bundled_path()
    if not base.exists():
        raise LayerError("the bundled constraint set is missing; run `chuannan-gis layers build`",
                         file=base)
    layers, metadata, paths = _read_source(base)
    if path is not None:
        # absolute: the fingerprint hashes the files in path order, and a Result reopens them from any folder
        path = Path(path).resolve()
        user_layers, user_meta, user_paths = _read_source(path)
        if not user_layers:
            raise LayerError(f"no layer named as in the schema ({', '.join(LAYERS)})", file=path)
        layers.update(user_layers)
        paths.update(user_paths)
        metadata = pd.concat([metadata[~metadata["layer"].isin(user_layers)], user_meta], ignore_index=True)
        if "data_gaps" in layers and "data_gaps" not in user_layers:
            # A bundled gap is about a bundled layer: once the planner supplies that layer, the
            # gap is theirs to fill, not ours to report — for the river classes their layer maps.
            # The layer stays (perhaps empty), so the gap rules run and find nothing rather than
            # being listed as not checked.
            gaps = layers["data_gaps"]
            filled = gaps["missing_layer"].isin(user_layers)
            for name in set(gaps["missing_layer"]) & set(user_layers):
                classes = complete_classes(user_layers[name], user_meta, name)
                if classes is not None:
                    mine = (gaps["missing_layer"] == name).to_numpy()
                    kept = gaps["river_class"].notna() & ~gaps["river_class"].isin(classes)
                    filled &= ~(mine & kept.to_numpy())
            layers["data_gaps"] = gaps[~filled]
    for name, gdf in layers.items():
        problems = validate_layer(gdf, name, paths[name])
        if problems:
            raise problems[0]
    return ConstraintSet(layers, metadata, paths, hash_files(sorted(set(paths.values()))),
                         None if path is None else str(path))


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


def validate(path, complete: bool = False) -> list[LayerError]:
    """Every schema problem of the set at ``path``, each naming file, layer, feature and field.

    ``complete=True`` also reports each required bundled layer the set lacks (a planner's partial
    set falls back to the bundled layers, so that is not an error by default); ``data_gaps``
    describes the bundled set itself and is never required.
    """
    path = Path(path)
    if not path.exists():
        return [LayerError("no such file or folder", file=path)]
    problems = []
    try:
        layers, _, paths = _read_source(path, prepare=False)
    except LayerError as err:
        return [err]
    if not layers:
        problems.append(LayerError(f"no layer named as in the schema ({', '.join(LAYERS)})", file=path))
    if complete:
        problems += [LayerError("required layer is missing", file=path, layer=name)
                     for name in REQUIRED_LAYERS if name not in layers]
    for name, gdf in layers.items():
        problems += validate_layer(gdf, name, paths[name])
    return problems


def validate_layer(gdf: gpd.GeoDataFrame, name: str, file) -> list[LayerError]:
    """Schema problems of one layer: CRS, fields, vocabularies, geometry type and validity."""
    spec = LAYERS[name]
    where = {"file": file, "layer": name}
    crs_problem = _crs_problem(gdf)
    if crs_problem:
        return [LayerError(crs_problem, **where)]
    problems = [LayerError("field is missing", field=f, **where) for f in spec.fields if f not in gdf.columns]
    for column, allowed in {**spec.vocab, "data_status": DATA_STATUSES}.items():
        if column in gdf.columns:
            # Aliases (the old reserve zone names) are accepted: the loader maps them to codes.
            bad = ~gdf[column].isin((*allowed, *spec.aliases.get(column, {}))) & gdf[column].notna()
            problems += [LayerError(f"value {gdf.at[fid, column]!r} is not one of {', '.join(allowed)}",
                                    feature=fid, field=column, **where) for fid in gdf.index[bad][:5]]
    geoms = gdf.geometry.values
    missing = gdf.index[shapely.is_missing(geoms) | shapely.is_empty(geoms)]
    problems += [LayerError("geometry is empty", feature=fid, field="geometry", **where) for fid in missing[:5]]
    types = gdf.geometry.geom_type
    wrong = gdf.index[~types.isin(_GEOMETRY_FAMILY[spec.geometry]) & types.notna()]
    problems += [LayerError(f"geometry is {types[fid]}, expected {spec.geometry}", feature=fid,
                            field="geometry", **where) for fid in wrong[:5]]
    invalid = gdf.index[~shapely.is_valid(geoms) & ~shapely.is_missing(geoms)]
    problems += [LayerError(f"invalid geometry: {shapely.is_valid_reason(gdf.geometry[fid])}",
                            feature=fid, field="geometry", **where) for fid in invalid[:5]]
    return problems


def _crs_problem(gdf: gpd.GeoDataFrame) -> str | None:
    if gdf.crs is None:
        return "the layer has no CRS (expected EPSG:4490 or any CRS that declares itself)"
    if gdf.empty:
        return None
    minx, miny, maxx, maxy = gpd.GeoSeries(shapely.box(*gdf.total_bounds), crs=gdf.crs).to_crs(STORAGE_CRS).total_bounds
    rminx, rminy, rmaxx, rmaxy = REGION_BBOX_LONLAT
    if not np.isfinite([minx, miny, maxx, maxy]).all() or maxx < rminx or minx > rmaxx or maxy < rminy or miny > rmaxy:
        return (f"coordinates do not reach 川南经济区 in the declared CRS {gdf.crs.to_string()} "
                "(wrong CRS, or swapped lon/lat?)")
    return None


def _read_source(path: Path, prepare: bool = True):
    """Layers, metadata and per-layer file paths from a GeoPackage or a folder of vector files."""
    if path.is_dir():
        files = {p.stem: p for p in sorted(path.iterdir()) if p.suffix.lower() in VECTOR_SUFFIXES}
        found = {name: (files[name], None) for name in LAYERS if name in files}
    elif path.exists():
        names = _list_layers(path)
        found = {name: (path, name) for name in LAYERS if name in names}
    else:
        raise LayerError("no such file or folder", file=path)
    layers, paths = {}, {}
    for name, (file, layer) in found.items():
        gdf = _read_layer(file, layer, name)
        layers[name] = _prepare(gdf, file, name) if prepare else gdf
        paths[name] = str(file)
    return layers, _read_metadata(path, layers), paths


def _list_layers(path: Path) -> set[str]:
    try:
        return {row[0] for row in pyogrio.list_layers(path)}
    except Exception as err:  # pyogrio raises several GDAL error types
        raise LayerError(f"cannot be read as a vector data source: {err}", file=path) from err


def _read_layer(file: Path, layer: str | None, name: str) -> gpd.GeoDataFrame:
    try:
        return gpd.read_file(file, layer=layer, fid_as_index=True, engine="pyogrio")
    except Exception as err:  # pyogrio raises several GDAL error types
        raise LayerError(f"cannot be read: {err}", file=file, layer=name) from err


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
    if path.is_file() and METADATA_TABLE in _list_layers(path):
        meta = pyogrio.read_dataframe(path, layer=METADATA_TABLE, read_geometry=False)
        meta = meta[meta["layer"].isin(layers)]
    else:
        meta = pd.DataFrame(columns=list(METADATA_FIELDS))
    return pd.concat([meta, _default_metadata({n: g for n, g in layers.items()
                                                if n not in set(meta["layer"])}, path)], ignore_index=True)


def _default_metadata(layers: dict, origin) -> pd.DataFrame:
    """Metadata rows for layers that came without any: what a user's layer is assumed to be."""
    rows = [{"layer": name, "title_zh": LAYERS[name].title_zh, "title_en": LAYERS[name].title_en,
             "source": Path(str(origin)).name, "licence": "not stated", "date": "not stated",
             "method": "supplied by the user", "data_status": _layer_status(gdf),
             "accuracy_m": float(gdf["accuracy_m"].max()) if "accuracy_m" in gdf and gdf["accuracy_m"].notna().any()
             else np.nan}
            for name, gdf in layers.items()]
    return pd.DataFrame(rows, columns=list(METADATA_FIELDS))


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


__all__ = ["ConstraintSet", "bundled_path", "load_constraints", "validate", "validate_layer", "COMMON_FIELDS"]
