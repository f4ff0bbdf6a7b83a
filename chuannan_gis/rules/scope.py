"""Which proposals a rule applies to (its ``applies_to``: kinds, statuses, industries, key projects, purposes).

The engine, the screening plan and the provenance of indicative layers all ask this one function,
on a normalised proposal frame.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def applicable(rule, frame) -> np.ndarray:
    """Which proposals (rows of the normalised frame) the rule applies to, by kind, industry, status,
    key-project mark and declared purpose."""
    scope = rule.applies_to
    mask = np.ones(len(frame), dtype=bool)
    if scope.kinds:
        mask &= frame["kind"].isin(scope.kinds).to_numpy()
    if scope.statuses:
        mask &= frame["status"].isin(scope.statuses).to_numpy()
    for column, selected, excluded in (
        ("key_project", scope.key_projects, scope.exclude_key_projects),
        ("purpose", scope.purposes, scope.exclude_purposes),
    ):
        if selected or excluded:
            # A frame normalised before the column existed has none: no proposal is marked.
            marks = frame[column] if column in frame else pd.Series("", index=frame.index)
            if selected:
                mask &= marks.isin(selected).to_numpy()
            if excluded:
                mask &= ~marks.isin(excluded).to_numpy()
    industries = scope.industry_codes()
    if industries is not None:
        mask &= frame["industry"].isin(industries).to_numpy()
    return mask


__all__ = ["applicable"]
