"""The 压占分析 (SCHEMA.md ``overlaps``): how much of each proposal lies on each class of a layer.

One row per proposal × layer × class it overlaps: red lines by type, farmland, the urban boundary,
reserves and shoreline zones by zone, water-source zones by level, and the 三调 ``landuse`` by 地类.
Areas are in EPSG:4544, in 公顷 (and 亩 = 公顷 × 15), on the *union* of the class's features,
so two overlapping red-line blocks count their shared ground once.

Array-first over the engine's spatial index (:mod:`.index`): one tree query per layer gives every
(proposal, piece) pair, one vectorised intersection their overlaps; a (proposal, class) whose
pieces come from one feature sums them (a feature's pieces share only edges), and only a class
met through two or more features of one proposal is unioned.  No loop over proposals.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

from ..result import empty_overlaps
from .index import feature_index

# 1 公顷 = 15 亩 (市亩: 1 亩 = 10,000/15 m²)
MU_PER_HA = 15.0
M2_PER_HA = 10_000.0
# layer → the field whose values are its classes ("" for a layer without classes)
OVERLAP_CLASSES = {
    "eco_redlines": "redline_type",
    "farmland": "",
    "urban_boundary": "zone",
    "nature_reserves": "zone",
    "water_source_zones": "level",
    "shoreline_zones": "zone",
    "landuse": "dlbm",
}
# the name shown beside a landuse code (the delivered 地类名称)
CLASS_LABEL_FIELDS = {"landuse": "dlmc"}
# Overlaps smaller than this (m²) are edge-touching noise of the float arithmetic, not ground taken.
MIN_AREA_M2 = 1e-6


def overlap_table(measured, rows: np.ndarray, constraints, proposal_ids: np.ndarray) -> pd.DataFrame:
    """The ``overlaps`` rows of the proposals at positions ``rows`` (their measured geometries in
    ``measured.geoms``, EPSG:4544), ``proposal_ids`` by position; layers the set lacks give none."""
    geoms = np.asarray(measured.geoms, dtype=object)
    rows = np.asarray(rows, dtype=np.int64)
    rows = rows[shapely.get_dimensions(geoms[rows]) == 2] if len(rows) else rows  # points and lines take no area
    tables = [empty_overlaps()]
    if len(rows):
        site_area = shapely.area(geoms[rows])
        for layer, class_field in OVERLAP_CLASSES.items():
            if constraints.has(layer):
                tables.append(_layer_overlaps(geoms, rows, site_area, constraints, layer, class_field, proposal_ids))
    if not any(len(table) for table in tables):  # a point, or a site on no class's ground: nothing to join
        return tables[0]
    table = pd.concat(tables, ignore_index=True)
    return table.sort_values(["proposal_id", "layer", "area_ha"], ascending=[True, True, False], kind="stable")


def _layer_overlaps(geoms, rows, site_area, constraints, layer: str, class_field: str, proposal_ids) -> pd.DataFrame:
    index = feature_index(constraints, layer)
    if not len(index.pieces):
        return empty_overlaps()
    site, piece = index.tree.query(geoms[rows], predicate="intersects")
    if not len(site):  # before the layer's classes are read: most layers meet no site of a click
        return empty_overlaps()
    frame = constraints.measured(layer).loc[index.fids]
    values = _class_values(frame, class_field)
    label_field = CLASS_LABEL_FIELDS.get(layer)
    labels = _class_values(frame, label_field) if label_field else values
    feature = index.piece_feature[piece]
    area = shapely.area(shapely.intersection(geoms[rows][site], index.pieces[piece]))
    pairs = pd.DataFrame({"site": site, "feature": feature, "value": values[feature], "area": area})
    pairs = pairs[pairs["area"] > MIN_AREA_M2]
    grouped = pairs.groupby(["site", "value"], sort=True)
    table = grouped.agg(area=("area", "sum"), features=("feature", "nunique")).reset_index()
    # a class met through two or more features: the union of its overlaps, so shared ground counts once
    for position in np.flatnonzero(table["features"].to_numpy() > 1):
        site_row, value = int(table["site"].iat[position]), table["value"].iat[position]
        members = np.unique(pairs.loc[(pairs["site"] == site_row) & (pairs["value"] == value), "feature"])
        table.loc[table.index[position], "area"] = _union_area(geoms[rows[site_row]], index, members)
    # the fids of each (proposal, class), ascending, each once
    members = pairs.drop_duplicates(["site", "value", "feature"]).assign(fid=lambda p: index.fids[p["feature"]])
    members = members.sort_values(["site", "value", "fid"])
    fids = members.assign(fid=members["fid"].astype(str)).groupby(["site", "value"], sort=True)["fid"].agg(",".join)
    first = grouped["feature"].first()
    sites = table["site"].to_numpy()
    area_ha = table["area"].to_numpy() / M2_PER_HA
    return pd.DataFrame(
        {
            "proposal_id": np.asarray(proposal_ids)[rows[sites]].astype("int64"),
            "layer": layer,
            "class_field": class_field,
            "class_value": table["value"].to_numpy(dtype=object),
            "class_label": labels[first.to_numpy()],
            "feature_ids": fids.to_numpy(dtype=object),
            "area_ha": area_ha,
            "area_mu": area_ha * MU_PER_HA,
            "share_pct": 100.0 * table["area"].to_numpy() / site_area[sites],
        }
    )


def _class_values(frame, field: str) -> np.ndarray:
    """Each feature's class as text ("" for a layer without classes or a feature without a value)."""
    if not field or field not in frame.columns:
        return np.full(len(frame), "", dtype=object)
    column = frame[field]
    return column.astype(object).where(column.notna(), "").astype(str).str.strip().to_numpy(dtype=object)


def _union_area(site, index, members: np.ndarray) -> float:
    pieces = index.pieces[np.isin(index.piece_feature, members)]
    near = pieces[shapely.intersects(pieces, site)]
    return float(shapely.area(shapely.intersection(shapely.union_all(near), site)))


__all__ = ["MU_PER_HA", "OVERLAP_CLASSES", "overlap_table"]
