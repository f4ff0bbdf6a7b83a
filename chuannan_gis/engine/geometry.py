"""Proposal geometries in the measuring CRS, repaired where possible, refused where not.

``io.read_proposals`` keeps geometries as they come.  Here an invalid one is repaired with
``shapely.make_valid`` when the repair keeps its dimension (a self-touching polygon stays a
polygon); a geometry that is missing, empty or collapses on repair cannot be evaluated, and its
proposal gets an ``unknown`` finding instead of any rule's answer — never ``clear``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

from ..crs import MEASURE_CRS
from .measure import ProposalGeometry

GEOMETRY_RULE_ID = "input_geometry"
GEOMETRY_TITLE = {"zh": "几何无法评估", "en": "Geometry could not be evaluated"}


def prepare_geometry(frame) -> tuple[ProposalGeometry, pd.DataFrame]:
    """Measured proposals (None where unusable) and one problem row per unusable geometry.

    Returns
    -------
    proposals : ProposalGeometry
    problems : DataFrame
        Columns ``row``, ``reason_zh``, ``reason_en``.
    """
    geoms = np.asarray(frame.geometry.to_crs(MEASURE_CRS).values, dtype=object).copy()
    reason_zh = np.full(len(geoms), None, dtype=object)
    reason_en = np.full(len(geoms), None, dtype=object)
    missing = shapely.is_missing(geoms)
    empty = ~missing & shapely.is_empty(geoms)
    reason_zh[missing], reason_en[missing] = "无几何", "no geometry"
    reason_zh[empty], reason_en[empty] = "几何为空", "empty geometry"
    for row in np.flatnonzero(~missing & ~empty & ~shapely.is_valid(geoms)):
        why = shapely.is_valid_reason(geoms[row])
        geoms[row] = _repair(geoms[row])
        if geoms[row] is None:
            reason_zh[row] = f"几何无效且无法修复（{why}）"
            reason_en[row] = f"invalid geometry that cannot be repaired ({why})"
    unusable = pd.notna(reason_zh)
    geoms[unusable] = None
    problems = pd.DataFrame(
        {"row": np.flatnonzero(unusable), "reason_zh": reason_zh[unusable], "reason_en": reason_en[unusable]}
    )
    return ProposalGeometry.from_geoms(geoms), problems


def _repair(geom):
    """``make_valid`` keeping only parts of the original dimension; None when nothing is left."""
    dimension = shapely.get_dimensions(geom)
    parts = [
        p
        for p in shapely.get_parts(shapely.make_valid(geom))
        if shapely.get_dimensions(p) == dimension and not p.is_empty
    ]
    return shapely.union_all(parts) if parts else None
