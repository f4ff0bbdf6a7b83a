"""The 压占分析 (SCHEMA.md ``overlaps``): how much of each proposal lies on each class of a layer.

One row per proposal × layer × class it overlaps: red lines by type, farmland, the urban boundary,
reserves and shoreline zones by zone, water-source zones by level, and the 三调 ``landuse`` by 地类.
Areas are in EPSG:4544, in 公顷 (and 亩 = 公顷 × 15), on the *union* of the class's features,
so two overlapping red-line blocks count their shared ground once.

Array-first over the engine's spatial index (:mod:`.index`): one tree query per layer gives every
(proposal, piece) pair; a proposal inside a piece overlaps it by its own area, the others by one
vectorised intersection.  A (proposal, class) whose pieces come from one feature sums them (a
feature's pieces share only edges); a class met through two or more features of one proposal is
the union of its overlaps with their pieces, all such unions in one grouped union.  No loop over
proposals.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

from ..result import empty_overlaps
from .index import feature_index
from .measure import distinct_unions
from .runs import join_runs, run_starts

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
    sites = geoms[rows]
    site, piece, area, inside, shared = _piece_overlaps(sites, site_area, index)
    if not len(site):  # before the layer's classes are read: most layers meet no site of a click
        return empty_overlaps()
    frame = constraints.measured(layer).loc[index.fids]
    values = _class_values(frame, class_field)
    label_field = CLASS_LABEL_FIELDS.get(layer)
    labels = _class_values(frame, label_field) if label_field else values
    feature = index.piece_feature[piece]
    classes, feature_class = np.unique(values, return_inverse=True)  # sorted: the rows' order
    # a (proposal, class) as one integer, ascending by proposal, then class
    pair_group = site * len(classes) + feature_class[feature]
    kept = area > MIN_AREA_M2
    groups, group = np.unique(pair_group[kept], return_inverse=True)
    # pandas' grouped sum (compensated, in pair order) and first feature met, by the integer key
    summed = pd.DataFrame({"group": group, "area": area[kept], "feature": feature[kept]}).groupby("group", sort=True)
    group_area = summed["area"].sum().to_numpy(copy=True)
    first = summed["feature"].first().to_numpy()
    # each group's features, each once, ascending by position
    per_group = len(index)
    members = np.unique(group.astype(np.int64) * per_group + feature[kept])
    member_group, member_feature = members // per_group, members % per_group
    # a class met through two or more features: the union of its overlaps, so shared ground counts
    # once; where the proposal lies inside one of their pieces, that union holds all of it
    several = np.bincount(member_group, minlength=len(groups)) > 1
    inside_group = np.zeros(len(groups), dtype=bool)
    inside_group[group[inside[kept]]] = True
    group_area[several & inside_group] = site_area[groups[several & inside_group] // len(classes)]
    united = np.flatnonzero(several & ~inside_group)
    if len(united):
        group_area[united] = _union_areas(groups, united, pair_group, feature, shared, members, per_group)
    group_site = groups // len(classes)
    area_ha = group_area / M2_PER_HA
    return pd.DataFrame(
        {
            "proposal_id": np.asarray(proposal_ids)[rows[group_site]].astype("int64"),
            "layer": layer,
            "class_field": class_field,
            "class_value": classes[groups % len(classes)],
            "class_label": labels[first],
            "feature_ids": _joined_fids(index.fids[member_feature], member_group),
            "area_ha": area_ha,
            "area_mu": area_ha * MU_PER_HA,
            "share_pct": 100.0 * group_area / site_area[group_site],
        }
    )


def _piece_overlaps(sites, site_area, index):
    """Every (site, piece) pair that intersects, its overlap area (m²), whether the site lies inside
    the piece (the overlap is then the site's own area: no overlay needed) and, where it does
    not, the overlap's shape."""
    site, piece = index.intersecting(sites)
    inside = shapely.contains_properly(index.prepared_pieces()[piece], sites[site])
    shared = np.full(len(site), None, dtype=object)
    shared[~inside] = shapely.intersection(sites[site[~inside]], index.pieces[piece[~inside]])
    area = site_area[site]
    area[~inside] = shapely.area(shared[~inside])
    return site, piece, area, inside, shared


def _union_areas(groups, united, pair_group, feature, shared, members, per_group: int) -> np.ndarray:
    """For the groups at positions ``united``, the area of the union of the site's overlaps with
    every piece of the group's features: one grouped union of those small shapes.

    Their union, not the site's intersection with the pieces' union: unsnapped, the pieces of two
    features digitised apart (the two banks' shoreline zones) meet along cracks where that overlay
    fails in GEOS 3.14 (a line for a site wholly on them: 0 ha).
    """
    at = np.searchsorted(groups, pair_group).clip(max=len(groups) - 1)  # each pair's group, if kept
    wanted = np.zeros(len(groups), dtype=bool)
    wanted[united] = True
    # a feature counts with all its pieces the site meets, even those that only touch it
    near = np.flatnonzero(
        (groups[at] == pair_group) & wanted[at] & np.isin(at.astype(np.int64) * per_group + feature, members)
    )
    unions, which = distinct_unions(shared, near, np.searchsorted(united, at[near]), len(united), None)
    return shapely.area(unions[which])


def _joined_fids(fids: np.ndarray, member_group: np.ndarray) -> np.ndarray:
    """Per group, its features' fids ascending, comma-joined (``member_group`` is sorted)."""
    order = np.lexsort((fids, member_group))
    return join_runs(fids[order].astype(str), run_starts(member_group[order]), ",")


def _class_values(frame, field: str) -> np.ndarray:
    """Each feature's class as text ("" for a layer without classes or a feature without a value)."""
    if not field or field not in frame.columns:
        return np.full(len(frame), "", dtype=object)
    column = frame[field]
    return column.astype(object).where(column.notna(), "").astype(str).str.strip().to_numpy(dtype=object)


__all__ = ["MU_PER_HA", "OVERLAP_CLASSES", "overlap_table"]
