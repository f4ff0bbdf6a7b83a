"""Which proposals a rule applies to (its ``applies_to``: kinds, statuses, industries, key projects, purposes).

The engine, the screening plan and the provenance of indicative layers all ask this one function,
on a normalised proposal frame; :class:`Scopes` asks it once per distinct combination of the scope
fields of a frame.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

SCOPE_COLUMNS = ("kind", "industry", "status", "key_project", "purpose")
_MISSING = "\x00"  # a missing scope value, in the keys that group rows


class Scopes:
    """:func:`applicable` for every rule over one frame, decided once per distinct combination of
    the scope fields (a few dozen, whatever the number of proposals) and spread to the rows."""

    def __init__(self, frame):
        columns = [c for c in SCOPE_COLUMNS if c in frame.columns]
        values = {c: frame[c].to_numpy(dtype=object) for c in columns}
        key = np.full(len(frame), "", dtype=object)
        for column in columns:
            present = pd.notna(values[column])
            key = key + np.where(present, values[column], _MISSING).astype(str).astype(object) + "\x1f"
        self.codes = pd.factorize(key)[0]
        first = np.unique(self.codes, return_index=True)[1] if len(key) else np.array([], dtype=int)
        self.distinct = {column: values[column][first] for column in columns}
        self._decided: dict[int, tuple] = {}  # id(rule) → (rule, mask): the engine and provenance both ask

    def applicable(self, rule) -> np.ndarray:
        decided = self._decided.get(id(rule))
        if decided is None or decided[0] is not rule:
            decided = self._decided[id(rule)] = (rule, applicable(rule, self.distinct)[self.codes])
        return decided[1].copy()


def applicable(rule, frame) -> np.ndarray:
    """Which proposals (rows of the normalised frame, or of a mapping of its columns) the rule
    applies to, by kind, industry, status, key-project mark and declared purpose."""
    scope = rule.applies_to
    mask = np.ones(len(frame["kind"]), dtype=bool)
    if scope.kinds:
        mask &= _isin(frame["kind"], scope.kinds)
    if scope.statuses:
        mask &= _isin(frame["status"], scope.statuses)
    for column, selected, excluded in (
        ("key_project", scope.key_projects, scope.exclude_key_projects),
        ("purpose", scope.purposes, scope.exclude_purposes),
    ):
        if selected or excluded:
            # A frame normalised before the column existed has none: no proposal is marked.
            marks = frame[column] if column in frame else np.full(len(mask), "", dtype=object)
            if selected:
                mask &= _isin(marks, selected)
            if excluded:
                mask &= ~_isin(marks, excluded)
    industries = scope.industry_codes()
    if industries is not None:
        mask &= _isin(frame["industry"], industries)
    return mask


def _isin(values, codes) -> np.ndarray:
    """``Series.isin``: by hashing for many rows, by a set for the few distinct ones."""
    values = np.asarray(values, dtype=object)
    if len(values) > 256:
        return pd.Series(values).isin(list(codes)).to_numpy()
    codes = set(codes)
    return np.fromiter((value in codes for value in values), dtype=bool, count=len(values))


__all__ = ["SCOPE_COLUMNS", "Scopes", "applicable"]
