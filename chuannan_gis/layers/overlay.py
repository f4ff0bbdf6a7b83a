"""Overlaying a planner's layer on the bundled one: the supplied features inside its coverage,
the bundled ones outside, and the bundled ``data_gaps`` the supplied layers fill (SCHEMA.md
"Constraint set")."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ..crs import STORAGE_CRS
from .coverage import Coverage
from .schema import LAYERS


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


__all__ = ["complete_classes", "fill_gaps", "overlay_layer"]
