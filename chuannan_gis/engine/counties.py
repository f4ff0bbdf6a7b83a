"""Clause (十一): the county, city and 都市区 of each proposal, from the `counties` layer.

A point takes the county it lies in; a line or polygon the county it overlaps most, unless most of
it lies outside every county: then its county is :data:`OUTSIDE_COUNTY` (SCHEMA.md), as for a
proposal wholly outside.  The `region_outside` and `region_partly_outside` rules report the part
outside as unknown.  ``counties`` lists every county a line or polygon overlaps, largest share
first, so a proposal spanning counties can say so.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .index import feature_index
from .measure import ProposalGeometry, first_per_row, measure_pairs
from .runs import join_runs, run_starts

COUNTY_FIELDS = {"county": "name_zh", "city": "city_zh", "district": "district_zh"}
# The county of a proposal most of which lies outside 川南经济区 (SCHEMA.md proposals ``county``).
OUTSIDE_COUNTY = "川南以外 outside"
# Separator of the ``counties`` column (the Chinese list comma: county names are Chinese).
COUNTIES_SEPARATOR = "、"


def assign_counties(proposals: ProposalGeometry, rows: np.ndarray, constraints, n: int) -> pd.DataFrame:
    """County, city, district (都市区) and the counties overlapped, for ``n`` proposals; None where unknown.

    Parameters
    ----------
    proposals : ProposalGeometry
    rows : ndarray of int
        Positions of proposals with a usable geometry.
    constraints : ConstraintSet
    n : int
        Number of proposals (the frame returned has one row each).

    Returns
    -------
    DataFrame
        ``county``, ``city``, ``district``, ``counties`` (the county names overlapped, largest
        share first, joined by :data:`COUNTIES_SEPARATOR`; one name for a point; empty when it
        touches none) and ``counties_en`` (their English names, ", "-joined, for the English
        summary only).
    """
    columns = {column: np.full(n, None, dtype=object) for column in (*COUNTY_FIELDS, "counties", "counties_en")}
    if not constraints.has("counties") or len(rows) == 0:
        return _frame(columns)
    layer = constraints.layers["counties"]
    index = feature_index(constraints, "counties")
    by_feature = layer.loc[index.fids]  # the indexed counties' fields, by feature position
    pairs = measure_pairs(proposals, rows, index, 0.0)
    order = np.lexsort((-pairs.overlap, pairs.row))
    best = first_per_row(pairs.row, order)
    for column, field in COUNTY_FIELDS.items():
        if field in layer.columns:
            columns[column][pairs.row[best]] = by_feature[field].to_numpy(dtype=object)[pairs.feature[best]]
    # counties do not overlap each other, so what they cover of a proposal is the sum of its overlaps
    covered = np.bincount(pairs.row, weights=pairs.overlap, minlength=n)
    size = proposals.size
    mostly_outside = np.zeros(n, dtype=bool)
    # "most of it": more than half, beyond float noise (a park split exactly in two keeps its county)
    mostly_outside[rows] = (size[rows] > 0) & (covered[rows] < 0.5 * size[rows] * (1 - 1e-9))
    mostly_outside[np.setdiff1d(rows, pairs.row)] = True  # touches no county at all
    columns["county"][mostly_outside] = OUTSIDE_COUNTY
    columns["city"][mostly_outside] = columns["district"][mostly_outside] = None

    columns["counties"][rows] = columns["counties_en"][rows] = ""
    if "name_zh" in layer.columns:
        # every county with a share of it (a point's one county), largest first
        shown = order[(pairs.overlap[order] > 0) | np.isin(order, best)]
        zh = by_feature["name_zh"].astype(str)
        en = by_feature["name_en"].fillna(zh).astype(str) if "name_en" in layer.columns else zh
        feature, starts = pairs.feature[shown], run_starts(pairs.row[shown])
        listed = pairs.row[shown][starts]
        columns["counties"][listed] = join_runs(zh.to_numpy(dtype=object)[feature], starts, COUNTIES_SEPARATOR)
        columns["counties_en"][listed] = join_runs(en.to_numpy(dtype=object)[feature], starts, ", ")
    return _frame(columns)


def _frame(columns: dict) -> pd.DataFrame:
    return pd.DataFrame({column: pd.Series(values, dtype=object) for column, values in columns.items()})
