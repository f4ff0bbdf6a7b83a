"""What data a Result rests on, as every face shows it: one row per constraint layer the check
used ("数据来源 Data used": layer, status, source, date, coverage by county name), and, for a
``clear`` proposal, which indicative layers the rules that apply to it were checked against.

Read from the Result's run record (``run_info.layers``: status, coverage, source) and the
ConstraintSet it was made with (``layer_metadata``: title, date; ``ConstraintSet.coverage``: the
covered area).  Decides nothing: the engine's verdicts and the summary's ``indicative`` flag
(SCHEMA.md) are unchanged; this only names what they rest on.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import shapely

from .crs import MEASURE_CRS
from .layers.coverage import county_names, coverage_words
from .layers.schema import LAYERS

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
        spec = LAYERS.get(record.name)
        zh, en = STATUS_LABELS.get(record.status, (record.status, record.status))
        cov_zh, cov_en = coverage_words(record.coverage, counties)
        rows.append(
            LayerUse(
                record.name,
                _text(info.get("title_zh")) or (spec.title_zh if spec else record.name),
                _text(info.get("title_en")) or (spec.title_en if spec else record.name),
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
    """proposal_id → the indicative layers the check measured a ``clear`` proposal against.

    A layer counts when a rule applying to the proposal (kind, industry, status) reads it and the
    layer is indicative there: all indicative, or ``mixed`` and the proposal, widened by the
    largest distance those rules measure on the layer, is not wholly inside the layer's coverage
    (it may have been measured against the bundled features outside).  Needs the catalog the
    Result records; without it, or without a constraint set, every clear proposal lists the
    run's indicative layers.
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
    from .engine.findings import applicable

    frame = clear.copy()
    if "status" not in frame.columns:
        frame["status"] = "new"
    reach: dict[str, pd.Series] = {}  # layer → per clear proposal: the largest distance measured (m)
    for rule in catalog:
        layer = rule.condition.measured_layer
        if status.get(layer, "official") == "official":
            continue
        mask = pd.Series(applicable(rule, frame), index=frame.index)
        distance = float(rule.condition.distance_m or 0.0)
        current = reach.get(layer, pd.Series(-1.0, index=frame.index))
        reach[layer] = current.where(~mask | (current >= distance), distance)
    measured = frame.to_crs(MEASURE_CRS).geometry if frame.crs is not None else None
    out: dict[int, list[str]] = {}
    for i, pid in zip(frame.index, frame["proposal_id"]):
        names = []
        for layer, distances in sorted(reach.items()):
            if distances[i] < 0:
                continue
            if status[layer] == "indicative" or not _inside_coverage(
                constraints, layer, None if measured is None else measured[i], distances[i]
            ):
                names.append(layer)
        out[int(pid)] = names
    return out


def clear_summary(layers: list[str], constraints=None, words=CLEAR_INDICATIVE) -> tuple[str, str]:
    """What a clear proposal resting on indicative ``layers`` says, naming them by title and name:
    ``未发现冲突；所依据的示意图层：生态保护红线 (eco_redlines)…`` (``words=CHECKED_HERE``: the
    clause alone, to follow a summary)."""
    zh = "、".join(f"{_title(n, constraints, 'zh')} ({n})" for n in layers)
    en = ", ".join(f"{_title(n, constraints, 'en')} ({n})" for n in layers)
    return words[0].format(layers=zh), words[1].format(layers=en)


def _inside_coverage(constraints, layer: str, geometry, distance: float) -> bool:
    coverage = getattr(constraints, "coverage", {}).get(layer)
    if coverage is None or geometry is None or geometry.is_empty:
        return False
    if coverage.everywhere:
        return True
    if coverage.geometry is None or coverage.geometry.is_empty:
        return False
    return bool(constraints.covers(layer, [shapely.buffer(geometry, max(distance, 0.0))])[0])


def _title(name: str, constraints, lang: str) -> str:
    info = constraints.layer_info(name) if constraints is not None else {}
    spec = LAYERS.get(name)
    return _text(info.get(f"title_{lang}")) or (getattr(spec, f"title_{lang}") if spec else name)


def _text(value) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value)


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
