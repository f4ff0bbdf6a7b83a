"""Per-proposal verdict and one-line summaries from the findings (SCHEMA.md "Result" proposals)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..decision import CERTAIN, NO_MEASURE
from ..labels import per_distinct
from ..verdicts import RANK, VERDICTS
from .measure import first_per_row
from .messages import spans_notes, summaries

# the findings' columns a summary reads
_READ = ("verdict", "rule_id", "citation", "certainty", "data_status", "message_zh", "message_en")


def summarise(frame, findings: pd.DataFrame, zoning: pd.DataFrame, checked_on_indicative=None):
    """The proposals frame with the result columns of SCHEMA.md added.

    ``checked_on_indicative``: per proposal, whether a layer it was checked against is indicative
    there (:func:`chuannan_gis.provenance.indicative_where`); a ``clear`` proposal so checked is
    ``indicative`` and its summary says so, as a verdict resting on an indicative finding does.

    A proposal's verdict is the worst among its non-advisory findings, else ``clear``; its summary
    quotes the deciding finding and its citation.  ``rule_ids`` and ``citations`` list the fired
    (not clear, not advisory) findings, in catalog order.  ``certainty`` is the deciding
    finding's, ``certain`` when any finding of the same verdict is (the verdict then stands
    whatever the data's error), empty when ``clear``.
    """
    counting = ~findings["advisory"].astype(bool).to_numpy()
    # the columns read, as arrays of the counted findings (selecting rows of the whole frame
    # copies every column: for the few findings of one site that cost more than the rest)
    counted = {column: findings[column].to_numpy(dtype=object)[counting] for column in _READ}
    pid = findings["proposal_id"].to_numpy(dtype=np.int64)[counting]
    rank = per_distinct(counted["verdict"], RANK.get).astype(np.int64)
    # by proposal, worst first, catalog order among equals: the first row of each decides
    order = np.lexsort((-rank, pid))
    first = first_per_row(pid, order)
    ids = frame["proposal_id"].to_numpy(dtype=np.int64)
    found = pd.Index(pid[first]).get_indexer(ids)
    decided = found >= 0
    deciding = first[np.where(decided, found, 0)] if len(first) else np.zeros(len(ids), dtype=np.int64)

    def decided_value(column: str, default):
        values = counted[column]
        return np.where(decided, values[deciding] if len(values) else default, default).astype(object)

    out = {}  # the result columns, added to the frame at once (a GeoDataFrame's setitem is slow)
    out["verdict"] = decided_value("verdict", "clear")
    out["verdict_zh"] = per_distinct(out["verdict"], lambda code: VERDICTS[code].zh)
    for column in (c for c in zoning.columns if c != "counties_en"):
        out[column] = zoning[column].to_numpy()
    fired = np.flatnonzero(counted["verdict"] != "clear")  # findings' order
    out["rule_ids"] = _joined(ids, pid[fired], counted["rule_id"][fired], ",")
    out["citations"] = _joined(ids, pid[fired], counted["citation"][fired], "; ")
    # a certain finding of the deciding verdict makes the proposal's certain; clear has none
    top = rank == np.where(decided, rank[deciding] if len(rank) else 0, -1)[_positions(ids, pid)]
    certain = np.isin(ids, pid[top & (counted["certainty"] == CERTAIN)])
    certainty = np.where(certain, CERTAIN, decided_value("certainty", NO_MEASURE))
    out["certainty"] = np.where(out["verdict"] == "clear", NO_MEASURE, certainty).astype(object)
    out["indicative"] = np.isin(ids, pid[counted["data_status"] == "indicative"])
    if checked_on_indicative is not None:
        out["indicative"] |= (out["verdict"] == "clear") & np.asarray(checked_on_indicative, dtype=bool)
    fired_per_proposal = np.bincount(_positions(ids, pid[fired]), minlength=len(ids)) if len(ids) else np.zeros(0)
    more = np.maximum(fired_per_proposal.astype(np.int64) - 1, 0)
    citation = decided_value("citation", None)
    for lang in ("zh", "en"):
        message = decided_value(f"message_{lang}", None)
        text = summaries(out["verdict"], message, citation, more, out["indicative"], out["certainty"], lang)
        if "counties" in zoning.columns:
            # a proposal spanning counties says so: each county's plans and approvals apply to it
            text = text + spans_notes(zoning["counties"].to_numpy(), zoning["counties_en"].to_numpy(), lang)
        out[f"summary_{lang}"] = text
    return pd.concat([frame, pd.DataFrame(out, index=frame.index)], axis=1)


def _positions(ids: np.ndarray, pid: np.ndarray) -> np.ndarray:
    """Each finding's proposal as a row of the frame (every finding's proposal is one of ``ids``)."""
    if len(ids) and ids[-1] - ids[0] == len(ids) - 1 and (np.diff(ids) == 1).all():
        return pid - ids[0]  # consecutive ids (a file's, a chunk's): no index to build
    return pd.Index(ids).get_indexer(pid)


def _joined(ids: np.ndarray, pid: np.ndarray, values: np.ndarray, separator: str) -> np.ndarray:
    """Per proposal (``ids``), its distinct non-empty ``values`` in order, joined; "" for none.

    Vectorised over the findings: one pass per place in a proposal's list (a few), not per proposal.

    >>> _joined(np.array([0, 1, 2]), np.array([0, 0, 2, 0]), np.array(["a", "b", "c", "a"], dtype=object), ",").tolist()
    ['a,b', '', 'c']
    """
    keep = pd.notna(values) & (values != "") if len(values) else np.zeros(0, dtype=bool)
    pid, values = pid[keep], values[keep].astype(str).astype(object)
    # the first of each (proposal, value) pair
    code = pd.factorize(values)[0].astype(np.int64)
    distinct = np.zeros(len(pid), dtype=bool)
    distinct[np.unique(pid.astype(np.int64) * (int(code.max(initial=0)) + 1) + code, return_index=True)[1]] = True
    pid, values = pid[distinct], values[distinct]
    row = _positions(ids, pid)
    order = np.argsort(row, kind="stable")
    row, values = row[order], values[order]
    starts = np.r_[True, row[1:] != row[:-1]] if len(row) else np.zeros(0, dtype=bool)
    place = np.arange(len(row)) - np.maximum.accumulate(np.where(starts, np.arange(len(row)), 0)) if len(row) else row
    joined = np.full(len(ids), "", dtype=object)
    for k in range(int(place.max()) + 1 if len(place) else 0):
        at = place == k
        joined[row[at]] = values[at] if k == 0 else joined[row[at]] + separator + values[at]
    return joined
