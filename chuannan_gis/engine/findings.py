"""Findings: one row per proposal and rule that fired (or could not be evaluated), in SCHEMA.md form."""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd
import shapely

from ..decision import NO_MEASURE, finding_rank, rank_verdicts
from ..layers.schema import LAYERS
from ..result import FINDING_COLUMNS, layer_records
from ..rules.scope import Scopes, applicable  # noqa: F401 -- re-exported: the engine, screening and provenance ask it
from .geometry import GEOMETRY_RULE_ID, GEOMETRY_TITLE
from .index import FeatureIndex
from .measure import Outcome, ProposalGeometry
from .messages import finding_messages

SQUARE_METRES_PER_HECTARE = 10_000.0
# Finding columns a message template is filled from (see messages.finding_messages).
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


def rule_findings(rule, outcome: Outcome, index: FeatureIndex, frame, proposals: ProposalGeometry):
    """Findings of one rule from its decided outcome (verdicts by :mod:`chuannan_gis.decision`);
    None when it gives none (most rules, for one drawn site: no table is built for them)."""
    rank = finding_rank(rule.verdict, outcome.fired, outcome.near)
    given = rank > 0  # a clear rule gives nothing where near
    if not given.any():
        return None
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
    count = len(row)
    threshold = np.nan if rule.condition.distance_m is None else rule.condition.distance_m
    with np.errstate(divide="ignore", invalid="ignore"):
        overlap_pct = np.where(by_area | by_length, 100.0 * outcome.overlap / size, np.nan)
    # the columns as arrays first, the messages filled from them, then one frame in the findings'
    # order: a frame built, read back and added to costs more than all the rest for one site
    columns = {
        "proposal_id": frame["proposal_id"].to_numpy()[row],
        "rule_id": rule.id,
        "verdict": verdict,
        "measured": measured,
        "unit": np.where(by_area, "ha", "m").astype(object),
        "threshold": np.full(count, threshold),
        "layer": np.full(count, index.layer, dtype=object),
        "feature_id": pd.array(_take(index.fids, feature, has_feature, None), dtype="Int64"),
        "data_status": _take(index.data_status, feature, has_feature, None),
        "accuracy_m": _take(index.accuracy, feature, has_feature, np.nan).astype(float),
        "citation": rule.citation.cited(),
        "title_zh": np.full(count, rule.title.zh, dtype=object),
        "title_en": np.full(count, rule.title.en, dtype=object),
        "advisory": rule.advisory,
        "overlap_pct": overlap_pct,
        "near": outcome.near,
        "certainty": outcome.certainty,
        "share_within_pct": outcome.share_within,
        "feature_count": outcome.features.astype(np.int64),
    }
    columns.update(
        _messages(
            rule,
            columns,
            _take(index.label_zh, feature, has_feature, None),
            _take(index.label_en, feature, has_feature, None),
            has_feature,
            proposals.dimension[row],
        )
    )
    return pd.DataFrame({name: columns[name] for name in FINDING_COLUMNS}, index=pd.RangeIndex(count))


def _take(values: np.ndarray, positions: np.ndarray, present: np.ndarray, fill) -> np.ndarray:
    """``values[positions]`` where ``present``, else ``fill`` (also when ``values`` is empty)."""
    out = np.full(len(positions), fill, dtype=object if fill is None else float)
    if len(values):
        out[present] = values[positions[present]]
    return out


def _messages(rule, columns: dict, label_zh, label_en, has_feature, dimension) -> dict:
    """``message_zh`` and ``message_en`` of one rule's findings (``columns``: theirs, as arrays)."""
    inputs = {name: columns[name] for name in MESSAGE_INPUTS}
    inputs.update(feature_zh=label_zh, feature_en=label_en, has_feature=has_feature, dimension=dimension)
    threshold = np.nan if rule.condition.distance_m is None else rule.condition.distance_m
    layer = columns["layer"][0]
    return {
        f"message_{lang}": finding_messages(
            getattr(rule.message, lang), inputs, rule.condition.predicate, layer, threshold, lang
        )
        for lang in ("zh", "en")
    }


def incomplete_layers(checked: dict, constraints, geometries) -> np.ndarray:
    """The proposals' ``incomplete_layers`` (SCHEMA.md "Result"): per proposal, comma-separated,
    the layers a non-advisory rule checked it against whose ``layer_metadata`` states a
    completeness note that applies where it lies: everywhere for a layer covering the region (the
    bundled ones), else where the proposal reaches into the layer's coverage, by geometry
    (:meth:`ConstraintSet.measured_coverage`: adcodes, county names and polygons alike), so a
    note is never lost for a proposal partly inside.  The notes themselves are said once, in
    ``run_info`` ``layers``.

    ``checked``: layer → which proposals were checked on it; ``geometries``: the proposals'
    measured geometries (EPSG:4544).
    """
    notes = {record.name: record.completeness_zh for record in layer_records(constraints)}
    noted = {}
    for layer, mask in checked.items():
        if not notes.get(layer):  # (either language stands in for the other: one is enough)
            continue
        area = constraints.measured_coverage(layer)
        noted[layer] = mask.copy()
        if area is not None:
            noted[layer][mask] = shapely.intersects(area, np.asarray(geometries)[mask])
    return layer_lists(noted, len(geometries))


def layer_lists(masks: dict, count: int) -> np.ndarray:
    """Per row, the names of the layers whose mask is true there, comma-separated in ``masks`` order.

    >>> layer_lists({"water": np.array([True, False]), "ports": np.array([True, True])}, 2).tolist()
    ['water,ports', 'ports']
    """
    joined = np.full(count, "", dtype=object)
    for layer, mask in masks.items():
        joined = np.where(np.asarray(mask, dtype=bool), np.where(joined == "", layer, joined + ("," + layer)), joined)
    return joined.astype(object)


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
    """No findings, in the findings' columns and types (a copy: callers may add to it)."""
    return _empty_findings().copy()


@functools.cache
def _empty_findings() -> pd.DataFrame:
    return unknown_findings(np.array([], dtype=np.int64), "", None, "", {"zh": "", "en": ""}, "", "")
