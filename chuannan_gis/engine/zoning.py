"""Clause (十一): the county, city and 都市区 of each proposal, from the `counties` layer.

A point takes the county it lies in; a line or polygon the county it overlaps most.  A proposal
outside every county gets no county here; the `region_outside` rule reports it as unknown.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .index import feature_index
from .measure import ProposalGeometry, first_per_row, measure_pairs

COUNTY_FIELDS = {"county": "name_zh", "city": "city_zh", "district": "district_zh"}


def assign_counties(proposals: ProposalGeometry, rows: np.ndarray, constraints, n: int) -> pd.DataFrame:
    """County, city and district (都市区) for ``n`` proposals; None where unknown.

    Parameters
    ----------
    proposals : ProposalGeometry
    rows : ndarray of int
        Positions of proposals with a usable geometry.
    constraints : ConstraintSet
    n : int
        Number of proposals (the frame returned has one row each).
    """
    zoning = pd.DataFrame({column: pd.Series([None] * n, dtype=object) for column in COUNTY_FIELDS})
    if not constraints.has("counties") or len(rows) == 0:
        return zoning
    index = feature_index(constraints, "counties")
    pairs = measure_pairs(proposals, rows, index, 0.0)
    best = first_per_row(pairs.row, np.lexsort((-pairs.overlap, pairs.row)))
    counties = constraints.layers["counties"].loc[index.fids[pairs.feature[best]]]
    for column, field in COUNTY_FIELDS.items():
        if field in counties.columns:
            zoning.loc[pairs.row[best], column] = counties[field].to_numpy(dtype=object)
    return zoning
