"""What data a Result rests on, as every face shows it: one row per constraint layer the check
used ("数据来源 Data used": layer, status, source, date, coverage by county name), and, for a
``clear`` proposal, which indicative layers the rules that apply to it were checked against.

Read from the Result's run record (``run_info.layers``: status, coverage, source) and the
ConstraintSet it was made with (``layer_metadata``: title, date; ``ConstraintSet.coverage``: the
covered area).  Decides no verdict; :func:`indicative_where` is also what sets a clear
proposal's ``indicative`` flag (SCHEMA.md), so the flag and the layers named agree.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely

from .crs import MEASURE_CRS
from .labels import text_of as _text
from .layers.coverage import county_names, coverage_words
from .layers.model import layer_title
from .rules.scope import Scopes

# status → (zh, en) as a person reads it
STATUS_LABELS = {
    "official": ("官方", "official"),
    "indicative": ("示意", "indicative"),
    "mixed": (
        "混合：覆盖范围内为官方数据，范围外为示意数据",
        "mixed: official inside its coverage, indicative outside",
    ),
}
CHECKED_HERE = ("所依据的示意图层：{layers}", "indicative layers checked here: {layers}")
CLEAR_INDICATIVE = ("未发现冲突；" + CHECKED_HERE[0], "clear; " + CHECKED_HERE[1])


@dataclass(frozen=True)
class LayerUse:
    """One constraint layer as a Result used it, in words (both languages where a person reads it)."""

    layer: str
    title_zh: str
    title_en: str
    status: str  # official | indicative | mixed (LayerRecord.status)
    status_zh: str
    status_en: str
    source: str
    date: str
    coverage: str  # the layer_metadata code: region, adcodes, polygon, none
    coverage_zh: str  # county names: 江安县 (511523)
    coverage_en: str


def data_used(result, constraints=None) -> list[LayerUse]:
    """A :class:`LayerUse` per layer of the Result's run record (its order); ``constraints``
    (default: none, then titles and dates come from the schema only) gives titles, dates and
    county names.  A Result recorded before per-layer records lists nothing."""
    counties = county_names(constraints.layers.get("counties") if constraints is not None else None)
    rows = []
    for record in result.run_info.layers:
        info = constraints.layer_info(record.name) if constraints is not None else {}
        title_zh, title_en = layer_title(record.name, constraints)
        zh, en = STATUS_LABELS.get(record.status, (record.status, record.status))
        cov_zh, cov_en = coverage_words(record.coverage, counties)
        rows.append(
            LayerUse(
                record.name,
                title_zh,
                title_en,
                record.status,
                zh,
                en,
                record.source or _text(info.get("source")),
                _text(info.get("date")) or "—",
                record.coverage,
                cov_zh,
                cov_en,
            )
        )
    return rows


def indicative_layers_checked(result, constraints) -> dict[int, list[str]]:
    """proposal_id → the indicative layers the check measured a ``clear`` proposal against
    (:func:`indicative_where`, from the catalog the Result records).  Without that catalog, or
    without a constraint set, every clear proposal lists the run's indicative layers.
    """
    proposals = result.proposals
    clear = proposals[proposals["verdict"] == "clear"]
    if clear.empty:
        return {}
    status = {r.name: r.status for r in result.run_info.layers}
    fallback = sorted(n for n, s in status.items() if s in ("indicative", "mixed")) or list(
        result.run_info.indicative_layers
    )
    try:
        catalog = list(result.catalog())
    except Exception:  # a Result without its catalog text (RuleError), or one that no longer parses
        catalog = None
    if catalog is None or constraints is None or not {"kind", "industry"} <= set(clear.columns):
        return {int(pid): fallback for pid in clear["proposal_id"]}
    frame = clear.reset_index(drop=True)
    if "status" not in frame.columns:
        frame["status"] = "new"
    geoms = frame.to_crs(MEASURE_CRS).geometry.to_numpy() if frame.crs is not None else None
    where = indicative_where(frame, catalog, constraints, geoms, status)
    return {
        int(pid): [layer for layer, mask in sorted(where.items()) if mask[row]]
        for row, pid in enumerate(frame["proposal_id"])
    }


def indicative_where(frame, catalog, constraints, geoms, status: dict[str, str], scopes=None) -> dict[str, np.ndarray]:
    """Layer → which proposals (rows of ``frame``) were checked against it where it is indicative.

    A layer counts for a proposal when a non-advisory rule applying to it (kind, industry, status)
    reads the layer and the layer is indicative there: ``status`` (name → ``official`` |
    ``indicative`` | ``mixed``, as :class:`~chuannan_gis.result.LayerRecord`) says indicative, or
    says ``mixed`` and the proposal, widened by the largest distance those rules measure on the
    layer, is not wholly inside the layer's coverage (it may have been measured against the
    bundled features outside).  ``geoms``: the proposals in EPSG:4544 (None: unknown, then a
    ``mixed`` layer counts).  The engine sets a clear proposal's ``indicative`` flag from this,
    and the report and web map name the layers from it.  ``scopes``: the frame's
    :class:`~chuannan_gis.rules.scope.Scopes`, when the caller has them already.
    """
    scopes = Scopes(frame) if scopes is None else scopes
    reach: dict[str, np.ndarray] = {}  # layer → per proposal the farthest a rule looks (m; −1: none)
    for rule in catalog:
        layer = rule.condition.measured_layer
        if rule.advisory or status.get(layer, "official") == "official":
            continue
        current = reach.setdefault(layer, np.full(len(frame), -1.0))
        mask = scopes.applicable(rule)
        current[mask] = np.maximum(current[mask], float(rule.condition.distance_m or 0.0))
    where = {}
    for layer, distance in reach.items():
        checked = distance >= 0
        if status[layer] == "mixed" and geoms is not None and not constraints.coverage_of(layer).everywhere:
            rows = np.flatnonzero(checked)
            present = np.array([g is not None for g in geoms[rows]], dtype=bool)
            inside = np.zeros(len(rows), dtype=bool)
            inside[present] = constraints.covers(layer, shapely.buffer(geoms[rows][present], distance[rows][present]))
            checked[rows[inside]] = False
        where[layer] = checked
    return where


def clear_summary(layers: list[str], constraints=None, words=CLEAR_INDICATIVE) -> tuple[str, str]:
    """What a clear proposal resting on indicative ``layers`` says, naming them by title and name:
    ``未发现冲突；所依据的示意图层：生态保护红线 (eco_redlines)…`` (``words=CHECKED_HERE``: the
    clause alone, to follow a summary)."""
    titles = {n: layer_title(n, constraints) for n in layers}
    zh = "、".join(f"{titles[n][0]} ({n})" for n in layers)
    en = ", ".join(f"{titles[n][1]} ({n})" for n in layers)
    return words[0].format(layers=zh), words[1].format(layers=en)


__all__ = [
    "CHECKED_HERE",
    "CLEAR_INDICATIVE",
    "STATUS_LABELS",
    "LayerUse",
    "clear_summary",
    "coverage_words",
    "data_used",
    "indicative_layers_checked",
]
