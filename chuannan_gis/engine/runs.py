"""Reductions over runs: the rows of an array sorted by group, each group's rows one run.

The engine's tables are built array-wise; a per-group Python aggregation (a groupby with a
``str.join``) costs more than the overlay it reports on, so texts are joined by one C-level
reduction over the runs instead.
"""

from __future__ import annotations

import numpy as np


def run_starts(group: np.ndarray) -> np.ndarray:
    """The position where each run of equal values of ``group`` (sorted) begins.

    >>> run_starts(np.array([3, 3, 5, 7, 7, 7])).tolist()
    [0, 2, 3]
    """
    return np.flatnonzero(np.r_[True, group[1:] != group[:-1]]) if len(group) else np.zeros(0, dtype=np.int64)


def join_runs(texts: np.ndarray, starts: np.ndarray, separator: str) -> np.ndarray:
    """The texts of each run (beginning at ``starts``) joined by ``separator``, as an object array.

    >>> join_runs(np.array(["a", "b", "c", "d"], dtype=object), np.array([0, 1]), "、").tolist()
    ['a', 'b、c、d']
    """
    texts = np.asarray(texts, dtype=object)
    if not len(starts):
        return np.zeros(0, dtype=object)
    later = np.ones(len(texts), dtype=bool)
    later[starts] = False
    joined = texts.copy()
    joined[later] = separator + joined[later]  # each text after its run's first gets the separator
    return np.add.reduceat(joined, starts)
