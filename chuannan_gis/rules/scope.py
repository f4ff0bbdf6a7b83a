"""Which proposals a rule applies to (its ``applies_to``: kinds, statuses, industries, key projects).

The engine, the screening plan and the provenance of indicative layers all ask this one function,
on a normalised proposal frame.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def applicable(rule, frame) -> np.ndarray:
    """Which proposals (rows of the normalised frame) the rule applies to, by kind, industry, status
    and key-project mark."""
    scope = rule.applies_to
    mask = np.ones(len(frame), dtype=bool)
    if scope.kinds:
        mask &= frame["kind"].isin(scope.kinds).to_numpy()
    if scope.statuses:
        mask &= frame["status"].isin(scope.statuses).to_numpy()
    if scope.key_projects or scope.exclude_key_projects:
        # A frame normalised before key_project existed has no column: no proposal is marked.
        marks = frame["key_project"] if "key_project" in frame else pd.Series("", index=frame.index)
        if scope.key_projects:
            mask &= marks.isin(scope.key_projects).to_numpy()
        if scope.exclude_key_projects:
            mask &= ~marks.isin(scope.exclude_key_projects).to_numpy()
    industries = scope.industry_codes()
    if industries is not None:
        mask &= frame["industry"].isin(industries).to_numpy()
    return mask


__all__ = ["applicable"]
