"""Make the layers schema-exact and deterministic, and write the GeoPackage atomically."""

from __future__ import annotations

import hashlib
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely

from ..._atomic import atomic_output
from ...crs import STORAGE_CRS
from ...errors import LayerError
from ..schema import COMMON_FIELDS, LAYERS, METADATA_FIELDS, METADATA_TABLE

_MULTI = {"MultiPolygon": shapely.MultiPolygon, "MultiLineString": shapely.MultiLineString}
# Fields SCHEMA.md lists that the bundled set writes but a planner's layer need not have
# (so they are not in the schema's required fields): a reserve's `level`.
EXTRA_FIELDS = {"nature_reserves": ("level",), "water_source_zones": ("intake_id", "name_zh")}


def _promote(geom, kind: str):
    """Normalised and promoted to the layer's Multi* type; parts of other types (a make_valid
    by-product such as a stray line in a polygon layer) and empty parts are dropped."""
    single = kind.removeprefix("Multi")
    # Twice: make_valid can return a collection holding multi-geometries.
    flat = shapely.get_parts(shapely.get_parts(geom))
    pieces = [g for g in flat if g.geom_type == single and not g.is_empty]
    return shapely.normalize(_MULTI[kind](pieces))


def finalize(name: str, gdf: gpd.GeoDataFrame, precision: float) -> gpd.GeoDataFrame:
    """Schema column order, precision grid, Multi* geometry, features sorted by their key."""
    spec = LAYERS[name]
    columns = list(spec.fields) + list(EXTRA_FIELDS.get(name, ())) + list(COMMON_FIELDS)
    missing = set(columns) - set(gdf.columns)
    if missing:
        raise LayerError(f"build produced no {sorted(missing)}", layer=name)
    for field, allowed in spec.vocab.items():
        bad = set(gdf[field]) - set(allowed)
        if bad:
            raise LayerError(f"values {sorted(bad)} outside the vocabulary", layer=name, field=field)
    # Valid before snapping (single-sided buffers can self-touch), snapped output is valid again.
    geoms = shapely.set_precision(shapely.make_valid(gdf.geometry.values), precision)
    geoms = [_promote(g, spec.geometry) for g in geoms]
    if any(g.is_empty for g in geoms):
        raise LayerError("a feature has no geometry left after rounding", layer=name)
    out = gpd.GeoDataFrame(gdf[columns].reset_index(drop=True), geometry=geoms, crs=STORAGE_CRS)
    out["accuracy_m"] = out["accuracy_m"].astype(float).round(1)
    return out.sort_values(list(spec.fields[:3])).reset_index(drop=True)


def metadata_row(name: str, gdf: gpd.GeoDataFrame, texts: dict) -> dict:
    """One layer_metadata row; its accuracy is the layer's worst feature (conservative)."""
    spec = LAYERS[name]
    statuses = sorted(set(gdf["data_status"]))
    return {
        "layer": name,
        "title_zh": spec.title_zh,
        "title_en": spec.title_en,
        "source": texts["source"],
        "licence": texts["licence"],
        "date": texts["date"],
        "method": texts["method"],
        "data_status": statuses[0] if len(statuses) == 1 else "indicative",
        "accuracy_m": float(gdf["accuracy_m"].max()),
        "complete_classes": texts.get("complete_classes", ""),
        "completeness_zh": texts["completeness_zh"],
        "completeness_en": texts["completeness_en"],
    }


def geometry_checksum(gdf: gpd.GeoDataFrame) -> str:
    """sha256 of the sorted WKB of a layer: equal for equal feature geometries in any order."""
    digest = hashlib.sha256()
    for wkb in sorted(shapely.to_wkb(gdf.geometry.values, byte_order=1)):
        digest.update(wkb)
    return digest.hexdigest()


def write_atomic(path: Path, layers: dict[str, gpd.GeoDataFrame], metadata: pd.DataFrame, timestamp: str) -> Path:
    """Write every layer + the metadata table to a temp file beside ``path``, then rename.

    A reader never sees a half-written GeoPackage, and a failed build leaves the old one.
    GDAL stamps each table with the current time unless OGR_CURRENT_DATE is set: a fixed
    ``timestamp`` makes a rebuild byte-identical, so the committed file only changes with its data.
    """
    path = Path(path).resolve()
    previous = pyogrio.get_gdal_config_option("OGR_CURRENT_DATE")
    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": timestamp})
    try:
        with atomic_output(path) as tmp:
            for name, gdf in layers.items():
                pyogrio.write_dataframe(gdf, tmp, layer=name, driver="GPKG", promote_to_multi=True)
            pyogrio.write_dataframe(metadata[list(METADATA_FIELDS)], tmp, layer=METADATA_TABLE, driver="GPKG")
    finally:
        pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": previous})
    return path
