"""Per-proposal verdict and one-line summaries from the findings (SCHEMA.md "Result" proposals)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..decision import CERTAIN, NO_MEASURE
from ..verdicts import RANK, VERDICTS
from .messages import spans_note, summary


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
    counted = findings[~findings["advisory"].astype(bool)].assign(rank=lambda f: f["verdict"].map(RANK))
    counted = counted.sort_values(["proposal_id", "rank"], ascending=[True, False], kind="stable")
    deciding = counted.drop_duplicates("proposal_id").set_index("proposal_id")
    fired = counted[counted["verdict"] != "clear"].sort_index()
    ids = frame["proposal_id"]

    out = frame.copy()
    out["verdict"] = _lookup(ids, deciding["verdict"], "clear")
    out["verdict_zh"] = out["verdict"].map({code: v.zh for code, v in VERDICTS.items()})
    for column in zoning.columns.drop("counties_en", errors="ignore"):
        out[column] = zoning[column].to_numpy()
    out["rule_ids"] = _lookup(ids, _join_by_proposal(fired, "rule_id", ","), "")
    out["citations"] = _lookup(ids, _join_by_proposal(fired, "citation", "; "), "")
    out["certainty"] = _certainty(ids, counted, deciding, out["verdict"])
    out["indicative"] = ids.isin(counted.loc[counted["data_status"] == "indicative", "proposal_id"]).to_numpy()
    if checked_on_indicative is not None:
        out["indicative"] |= (out["verdict"].to_numpy() == "clear") & np.asarray(checked_on_indicative, dtype=bool)
    more = ids.map(fired["proposal_id"].value_counts()).fillna(1).astype(int).to_numpy() - 1
    citation = ids.map(deciding["citation"]).tolist()
    for lang in ("zh", "en"):
        message = ids.map(deciding[f"message_{lang}"]).tolist()
        out[f"summary_{lang}"] = [
            summary(*args[:5], lang, args[5])
            for args in zip(
                out["verdict"].tolist(),
                message,
                citation,
                more.tolist(),
                out["indicative"].tolist(),
                out["certainty"].tolist(),
            )
        ]
        if "counties" in zoning.columns:
            # a proposal spanning counties says so: each county's plans and approvals apply to it
            out[f"summary_{lang}"] = [
                text + spans_note(zh, en, lang)
                for text, zh, en in zip(
                    out[f"summary_{lang}"].tolist(), zoning["counties"].tolist(), zoning["counties_en"].tolist()
                )
            ]
    return out


def _certainty(ids: pd.Series, counted: pd.DataFrame, deciding: pd.DataFrame, verdict: pd.Series) -> np.ndarray:
    """Certainty of each proposal's verdict: a ``certain`` finding of that verdict, else the deciding one's."""
    top = counted["rank"].to_numpy() == counted["proposal_id"].map(deciding["rank"]).to_numpy()
    certain = counted.loc[top & (counted["certainty"] == CERTAIN).to_numpy(), "proposal_id"]
    values = np.where(ids.isin(certain), CERTAIN, _lookup(ids, deciding["certainty"], NO_MEASURE))
    return np.where(verdict.to_numpy() == "clear", NO_MEASURE, values).astype(object)


def _lookup(ids: pd.Series, by_id: pd.Series, default) -> np.ndarray:
    """``by_id`` values for ``ids``, ``default`` where an id has none."""
    values = ids.map(by_id).astype(object)
    return values.where(values.notna(), default).to_numpy()


def _join_by_proposal(findings: pd.DataFrame, column: str, separator: str) -> pd.Series:
    """Distinct non-empty values of ``column`` per proposal, in order, joined (a dict, not groupby:
    a Python-level groupby aggregation per proposal costs more than all the geometry)."""
    joined: dict = {}
    for proposal_id, value in zip(findings["proposal_id"].tolist(), findings[column].tolist()):
        if value:
            joined.setdefault(proposal_id, {})[value] = None
    return pd.Series({key: separator.join(values) for key, values in joined.items()}, dtype=object)
