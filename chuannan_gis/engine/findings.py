"""Findings: one row per proposal and rule that fired (or could not be evaluated), in SCHEMA.md form."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..decision import NO_MEASURE, finding_rank, rank_verdicts
from ..layers.coverage import county_names, coverage_words
from ..layers.schema import LAYERS
from ..result import FINDING_COLUMNS
from ..rules.scope import applicable  # noqa: F401 -- re-exported: the engine, screening and provenance ask it
from .geometry import GEOMETRY_RULE_ID, GEOMETRY_TITLE
from .index import FeatureIndex
from .measure import Outcome, ProposalGeometry
from .messages import finding_message

SQUARE_METRES_PER_HECTARE = 10_000.0
# Finding columns a message template is filled from (see messages.finding_message).
MESSAGE_INPUTS = (
    "unit",
    "measured",
    "overlap_pct",
    "threshold",
    "accuracy_m",
    "layer",
    "near",
    "title_zh",
    "title_en",
    "share_within_pct",
    "feature_count",
)
# Predicates whose measure of a polygon proposal is an area (the part inside, or outside) when it has one.
AREA_PREDICATES = ("intersects", "within", "partly_outside")


def rule_findings(rule, outcome: Outcome, index: FeatureIndex, frame, proposals: ProposalGeometry) -> pd.DataFrame:
    """Findings of one rule from its decided outcome (verdicts by :mod:`chuannan_gis.decision`)."""
    rank = finding_rank(rule.verdict, outcome.fired, outcome.near)
    given = rank > 0  # a clear rule gives nothing where near
    outcome, verdict = outcome.take(given), rank_verdicts(rank[given])
    row = outcome.row
    has_feature = outcome.feature >= 0
    feature = np.where(has_feature, outcome.feature, 0)
    size = proposals.size[row]
    predicate = rule.condition.predicate
    # A distance rule reports a distance (0 m when touching) and the share within its threshold,
    # never its overlap with the water; an inside rule the area inside the features' union.
    # (a near inside finding reports its miss: the distance its message quotes)
    by_area = (
        (predicate in AREA_PREDICATES)
        & (proposals.dimension[row] == 2)
        & (outcome.overlap > 0)
        & ~(outcome.near & (predicate != "partly_outside"))
    )
    # a line partly outside: the length outside, and its share of the line
    by_length = (predicate == "partly_outside") & (proposals.dimension[row] == 1)
    measured = np.where(
        by_area, outcome.overlap / SQUARE_METRES_PER_HECTARE, np.where(by_length, outcome.overlap, outcome.distance)
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        table = pd.DataFrame(
            {
                "proposal_id": frame["proposal_id"].to_numpy()[row],
                "rule_id": rule.id,
                "verdict": verdict,
                "measured": measured,
                "unit": np.where(by_area, "ha", "m"),
                "threshold": np.nan if rule.condition.distance_m is None else rule.condition.distance_m,
                "layer": index.layer,
                "feature_id": pd.array(_take(index.fids, feature, has_feature, None), dtype="Int64"),
                "data_status": _take(index.data_status, feature, has_feature, None),
                "accuracy_m": _take(index.accuracy, feature, has_feature, np.nan).astype(float),
                "citation": rule.citation.cited(),
                "title_zh": rule.title.zh,
                "title_en": rule.title.en,
                "advisory": rule.advisory,
                "overlap_pct": np.where(by_area | by_length, 100.0 * outcome.overlap / size, np.nan),
                "near": outcome.near,
                "certainty": outcome.certainty,
                "share_within_pct": outcome.share_within,
                "feature_count": outcome.features.astype(np.int64),
            }
        )
    _add_messages(
        table,
        rule,
        _take(index.label_zh, feature, has_feature, None),
        _take(index.label_en, feature, has_feature, None),
        has_feature,
        proposals.dimension[row],
    )
    return table[FINDING_COLUMNS]


def _take(values: np.ndarray, positions: np.ndarray, present: np.ndarray, fill) -> np.ndarray:
    """``values[positions]`` where ``present``, else ``fill`` (also when ``values`` is empty)."""
    out = np.full(len(positions), fill, dtype=object if fill is None else float)
    if len(values):
        out[present] = values[positions[present]]
    return out


def _add_messages(table: pd.DataFrame, rule, label_zh, label_en, has_feature, dimension) -> None:
    # Plain dicts from arrays: DataFrame.to_dict boxes every value and costs more than the geometry.
    columns = {name: table[name].to_numpy() for name in MESSAGE_INPUTS}
    columns.update(feature_zh=label_zh, feature_en=label_en, has_feature=has_feature, dimension=dimension)
    columns["predicate"] = np.full(len(table), rule.condition.predicate, dtype=object)
    records = [dict(zip(columns, values)) for values in zip(*columns.values())]
    for lang in ("zh", "en"):
        template = getattr(rule.message, lang)
        table[f"message_{lang}"] = [finding_message(template, record, lang) for record in records]


INCOMPLETE_SUFFIX = "_incomplete"
# layer_metadata ``coverage`` values that mean the whole region (an empty one too).
REGION_COVERAGE = ("", "region")


def incomplete_findings(checked: dict, constraints, frame, zoning: pd.DataFrame) -> pd.DataFrame:
    """Advisory ``<layer>_incomplete`` findings (SCHEMA.md): for each proposal and each layer a rule
    checked it against whose ``layer_metadata`` states a completeness note, the note, where the
    layer's coverage includes the proposal.  Verdict ``clear``, ``advisory`` true: they say what
    the layer cannot see and never change the verdict, the summary or ``rule_ids``.

    Coverage: ``region`` (or none stated) includes every proposal; a list of counties or cities
    (names, comma-separated) those whose county or city is listed; any other form (a polygon in
    ``layer_coverage``) is taken to include every proposal, so a note is never lost.
    """
    tables = []
    for layer, mask in checked.items():
        info = constraints.layer_info(layer)
        note_zh, note_en = _note(info.get("completeness_zh")), _note(info.get("completeness_en"))
        if not (note_zh or note_en):
            continue
        covered = mask & _in_coverage(_note(info.get("coverage")), zoning)
        rows = np.flatnonzero(covered)
        if len(rows) == 0:
            continue
        spec = LAYERS.get(layer)
        title_zh = info.get("title_zh") or (spec.title_zh if spec else layer)
        title_en = info.get("title_en") or (spec.title_en if spec else layer)
        tables.append(
            _advisory_notes(
                frame["proposal_id"].to_numpy()[rows],
                layer + INCOMPLETE_SUFFIX,
                layer,
                {"zh": f"图层已知不完整：{title_zh}", "en": f"Layer known to be incomplete: {title_en}"},
                note_zh or note_en,
                note_en or note_zh,
            )
        )
    return pd.concat(tables, ignore_index=True) if tables else empty_findings()


NOT_COVERED_SUFFIX = "_not_covered"


def not_covered_findings(uncovered: dict, constraints, frame) -> pd.DataFrame:
    """Advisory ``<layer>_not_covered`` findings (SCHEMA.md): one per proposal and partial layer
    (:attr:`ConstraintSet.partial`: supplied, no bundled layer beneath, a coverage short of the
    region) that a rule reading it could not check, the proposal not lying wholly inside the
    coverage.  Verdict ``clear``, ``advisory`` true: as for a layer not supplied at all, the rule
    is listed in ``not_checked``; this says so where it matters, per proposal."""
    tables = []
    names = county_names(constraints.layers.get("counties"))
    for layer, mask in uncovered.items():
        rows = np.flatnonzero(mask)
        if len(rows) == 0:
            continue
        spec = LAYERS[layer]
        where_zh, where_en = coverage_words(constraints.coverage[layer].code, names)
        tables.append(
            _advisory_notes(
                frame["proposal_id"].to_numpy()[rows],
                layer + NOT_COVERED_SUFFIX,
                layer,
                {"zh": f"图层未覆盖此处：{spec.title_zh}", "en": f"Layer does not cover this place: {spec.title_en}"},
                f"未检查：图层“{spec.title_zh}”（{layer}）仅覆盖{where_zh}，本项目不全在其范围内",
                f"not checked: layer {layer} ({spec.title_en}) covers only {where_en}; "
                "this proposal is not wholly inside",
            )
        )
    return pd.concat(tables, ignore_index=True) if tables else empty_findings()


def _advisory_notes(proposal_ids, rule_id: str, layer: str, title: dict, message_zh, message_en) -> pd.DataFrame:
    """Notes that never change a verdict: findings without a measure, ``clear`` and advisory."""
    table = unknown_findings(proposal_ids, rule_id, layer, "", title, message_zh, message_en)
    table["verdict"], table["advisory"] = "clear", True
    return table


def _note(value) -> str:
    return "" if value is None or (isinstance(value, float) and np.isnan(value)) else str(value).strip()


def _in_coverage(coverage: str, zoning: pd.DataFrame) -> np.ndarray:
    if coverage.lower() in REGION_COVERAGE:
        return np.ones(len(zoning), dtype=bool)
    names = {name.strip() for name in coverage.replace("，", ",").replace("、", ",").split(",") if name.strip()}
    listed = zoning["county"].isin(names).to_numpy() | zoning["city"].isin(names).to_numpy()
    # a coverage the engine cannot read as names (a polygon) includes everything: never lose a note
    return listed if listed.any() or not _looks_like_polygon(coverage) else np.ones(len(zoning), dtype=bool)


def _looks_like_polygon(coverage: str) -> bool:
    return coverage.lower() in ("polygon", "layer_coverage") or coverage.upper().startswith(("POLYGON", "MULTIPOLYGON"))


def missing_layer_findings(rule, rows: np.ndarray, frame) -> pd.DataFrame:
    """``unknown`` for every proposal a rule applies to, when its required layer is missing."""
    layer = rule.condition.measured_layer
    spec = LAYERS[layer]
    return unknown_findings(
        frame["proposal_id"].to_numpy()[rows],
        rule.id,
        layer,
        rule.citation.cited(),
        {"zh": rule.title.zh, "en": rule.title.en},
        f"缺少必需图层“{spec.title_zh}”（{layer}），无法判定：{rule.title.zh}",
        f"required layer {layer} missing ({spec.title_en}), so this could not be judged: {rule.title.en}",
    )


def geometry_findings(problems: pd.DataFrame, frame) -> pd.DataFrame:
    """``unknown`` for every proposal whose geometry could not be evaluated."""
    rows = problems["row"].to_numpy(dtype=int)
    return unknown_findings(
        frame["proposal_id"].to_numpy()[rows],
        GEOMETRY_RULE_ID,
        None,
        "",
        GEOMETRY_TITLE,
        ("无法评估：" + problems["reason_zh"]).to_numpy(),
        ("could not be evaluated: " + problems["reason_en"]).to_numpy(),
    )


def unknown_findings(
    proposal_ids, rule_id: str, layer, citation: str, title: dict, message_zh, message_en
) -> pd.DataFrame:
    """Findings of verdict ``unknown`` without a measure, one per proposal id (messages: str or array)."""
    count = len(proposal_ids)
    return pd.DataFrame(
        {
            "proposal_id": proposal_ids,
            "rule_id": rule_id,
            "verdict": "unknown",
            "measured": np.nan,
            "unit": None,
            "threshold": np.nan,
            "layer": layer,
            "feature_id": pd.array([None] * count, dtype="Int64"),
            "data_status": None,
            "accuracy_m": np.nan,
            "citation": citation,
            "message_zh": message_zh,
            "message_en": message_en,
            "title_zh": title["zh"],
            "title_en": title["en"],
            "advisory": False,
            "overlap_pct": np.nan,
            "near": False,
            "certainty": NO_MEASURE,
            "share_within_pct": np.nan,
            "feature_count": pd.array([None] * count, dtype="Int64"),
        },
        index=pd.RangeIndex(count),
    )[FINDING_COLUMNS]


def empty_findings() -> pd.DataFrame:
    return unknown_findings(np.array([], dtype=np.int64), "", None, "", {"zh": "", "en": ""}, "", "")
