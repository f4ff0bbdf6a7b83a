"""The engine: normalised proposals → checked with the rule catalog → one Result (no I/O here).

For each rule: select the proposals it applies to, query the (cached) index of the features its
condition selects, measure candidate pairs exactly, decide with the near-threshold band, and turn
the outcome into findings.  All measuring is in EPSG:4544.  The loop runs over rules only.
"""

from __future__ import annotations

import contextlib

import numpy as np
import pandas as pd

from ..errors import InputError
from ..inputs import check_inputs
from ..layers import ConstraintSet, bundled_path
from ..layers.schema import LAYERS
from ..provenance import indicative_where
from ..result import NOT_CHECKED_COLUMNS, Result, RunInfo, layer_records
from ..rules import RuleCatalog
from .counties import assign_counties
from .findings import (
    Scopes,
    empty_findings,
    geometry_findings,
    incomplete_layers,
    layer_lists,
    missing_layer_findings,
    rule_findings,
)
from .geometry import prepare_geometry
from .index import feature_index
from .measure import decide
from .overlaps import overlap_table
from .share import share_groups
from .summary import summarise


def check(proposals, constraints=None, rules=None, *, progress=None, **read_options) -> Result:
    """Read proposals, then :func:`check_frame` them: :func:`chuannan_gis.check` with ``engine="default"``.

    Examples
    --------
    >>> result = check("parks.gpkg")  # doctest: +SKIP
    >>> result.verdict_counts()  # doctest: +SKIP
    """
    frame, catalog, constraint_set, _ = check_inputs(proposals, constraints, rules, **read_options)
    return check_frame(frame, catalog, constraint_set, progress=progress)


def check_frame(frame, catalog: RuleCatalog, constraints: ConstraintSet, *, progress=None) -> Result:
    """Check normalised proposals against the constraint set with the rule catalog; no I/O.

    Parameters
    ----------
    frame : GeoDataFrame
        Proposals as :func:`chuannan_gis.io.read_proposals` returns them (EPSG:4490, vocabulary
        codes, ``proposal_id``); its ``attrs`` name the input in the run record.
    catalog : RuleCatalog
    constraints : ConstraintSet
    progress : callable, optional
        Called as ``progress(done, total, rule_id)`` after each rule.

    Returns
    -------
    Result
        Holding ``constraints`` and ``catalog`` (see :meth:`Result.constraint_set`).
    """
    measured, problems = prepare_geometry(frame)
    usable = np.ones(len(frame), dtype=bool)
    usable[problems["row"].to_numpy(dtype=int)] = False

    # counties first: the region-edge rule then reuses their measured overlaps (measure_pairs)
    places = assign_counties(measured, np.flatnonzero(usable), constraints, len(frame))
    # (a drawn site has no geometry problem: no table is built for none)
    findings = [geometry_findings(problems, frame)] if len(problems) else []
    checked: dict[str, np.ndarray] = {}  # layer → which proposals a (non-advisory) rule checked on it
    uncovered: dict[str, np.ndarray] = {}  # partial layer → which proposals a rule could not check on it
    scopes = Scopes(frame)
    for done, rule in enumerate(catalog, start=1):
        rows = np.flatnonzero(scopes.applicable(rule) & usable)
        layer = rule.condition.measured_layer
        if layer in constraints.partial:
            rows = _within_coverage(rule, rows, measured, constraints, uncovered.setdefault(layer, usable & False))
        if constraints.has(layer):
            if not rule.advisory:
                checked.setdefault(layer, np.zeros(len(frame), dtype=bool))[rows] = True
            if not len(rows):  # a rule applying to no proposal measures nothing
                groups = []
            elif rule.condition.largest_share_by:
                groups = share_groups(measured, rows, constraints, rule.condition)
            else:
                groups = [(rows, rule.condition.filter_key(), False)]
            tables = []
            for group, filter_key, near_only in groups:
                index = feature_index(constraints, layer, filter_key)
                outcome = decide(measured, group, index, rule.condition.predicate, rule.condition.distance_m)
                if near_only:  # another zone decides; one of this class may still reach it (accuracy)
                    outcome = outcome.take(outcome.near & (outcome.distance > 0))
                tables.append(rule_findings(rule, outcome, index, frame, measured))
            tables = [table for table in tables if table is not None]
            # one rule's findings in proposal order, however many groups measured them
            if len(tables) == 1:
                findings.append(tables[0])
            elif tables:
                findings.append(pd.concat(tables).sort_values("proposal_id", kind="stable"))
        elif rule.layer_required:
            findings.append(missing_layer_findings(rule, rows, frame))
        if progress is not None:
            progress(done, len(catalog), rule.id)

    # the types a concatenation would infer depend on which rules gave findings (none builds no
    # table): fixed here, so partitions, chunks and a single site type their findings alike
    findings = pd.concat([empty_findings(), *findings], ignore_index=True)
    for column in _OBJECT_COLUMNS:  # column by column: a frame's astype copies every column
        if findings[column].dtype != object:
            findings[column] = findings[column].astype(object)
    status = {record.name: record.status for record in layer_records(constraints)}
    on_indicative = indicative_where(frame, catalog, constraints, measured.geoms, status, scopes).values()
    proposals = summarise(frame, findings, places, np.logical_or.reduce([usable & False, *on_indicative]))
    # what the layers cannot see: said once per layer in run_info, named here per proposal
    proposals["incomplete_layers"] = incomplete_layers(checked, constraints, measured.geoms)
    proposals["not_covered_layers"] = layer_lists(uncovered, len(frame))
    return Result(
        proposals=proposals,
        findings=findings,
        not_checked=not_checked_rules(catalog, constraints),
        run_info=RunInfo.for_run(catalog, constraints, frame),
        overlaps=overlap_table(measured, np.flatnonzero(usable), constraints, frame["proposal_id"].to_numpy()),
    ).hold(constraints, catalog)


# findings columns held as Python objects (words of several kinds of finding, and None)
_OBJECT_COLUMNS = ("verdict", "unit", "layer", "data_status", "message_zh", "message_en", "certainty")


@contextlib.contextmanager
def chunk_checker(constraints: ConstraintSet, catalog: RuleCatalog, *, scheduler=None, partition_rows=None):
    """A function checking one normalised chunk in this process, for the streamed check
    (:func:`chuannan_gis.stream.check_to_file`); ``partition_rows`` is the dask engine's and is ignored."""
    if scheduler is not None:
        raise InputError("scheduler needs engine='dask'", field="scheduler")
    # the chunk's rows keep their global proposal_id; the engine works by position
    yield lambda frame: check_frame(frame.reset_index(drop=True), catalog, constraints)


def _within_coverage(rule, rows: np.ndarray, measured, constraints, uncovered: np.ndarray) -> np.ndarray:
    """The rows a rule reading a partial layer measures; marks in ``uncovered`` those not wholly
    inside the layer's coverage.  A conflict the layer shows is real wherever it lies, so those
    rows are measured too, except by an ``outside`` rule: there the layer's silence would read as
    "outside every feature" (not in a recognised park, outside the urban boundary)."""
    inside = constraints.covers(rule.condition.measured_layer, measured.geoms[rows])
    uncovered[rows[~inside]] = True
    return rows[inside] if rule.condition.predicate == "outside" else rows


def not_checked_rules(catalog: RuleCatalog, constraints: ConstraintSet) -> pd.DataFrame:
    """The Result's ``not_checked``: the rules whose layer is missing (and not required), a bundled
    sample only, or partial (covering part of the region), in catalog order.  They depend on the
    set and the catalog alone, never on the proposals: worked out once per pair (a copy each time)."""
    return constraints.derived("not_checked", lambda: _not_checked_table(catalog, constraints), catalog).copy()


def _not_checked_table(catalog: RuleCatalog, constraints: ConstraintSet) -> pd.DataFrame:
    rows = []
    for rule in catalog:
        layer = rule.condition.measured_layer
        if layer in constraints.partial:
            rows.append(_not_covered_row(rule, layer, constraints))
        if constraints.has(layer):
            if bundled_sample(constraints, layer):
                rows.append(_sample_row(rule, layer, constraints))
        elif not rule.layer_required:
            rows.append(_not_checked_row(rule, layer))
    return pd.DataFrame(rows, columns=NOT_CHECKED_COLUMNS)


def _not_covered_row(rule, layer: str, constraints) -> dict:
    spec = LAYERS[layer]
    where_zh, where_en = constraints.coverage_names(layer)
    return {
        "rule_id": rule.id,
        "layer": layer,
        "title_zh": rule.title.zh,
        "title_en": rule.title.en,
        "reason_zh": f"可选图层“{spec.title_zh}”（{layer}）仅覆盖{where_zh}：范围外的项目未检查此规则",
        "reason_en": f"optional layer {layer} ({spec.title_en}) covers only {where_en}: not checked outside it",
    }


def bundled_sample(constraints, layer: str) -> bool:
    """Whether ``layer`` is only the bundled sample of a layer (LayerSpec.complete False) — the
    indicative first-level water-source zones — with nothing supplied over it."""
    return not LAYERS[layer].complete and constraints.paths.get(layer) == str(bundled_path())


def _sample_row(rule, layer: str, constraints) -> dict:
    spec, info = LAYERS[layer], constraints.layer_info(layer)
    return {
        "rule_id": rule.id,
        "layer": layer,
        "title_zh": rule.title.zh,
        "title_en": rule.title.en,
        "reason_zh": f"内置图层“{spec.title_zh}”（{layer}）仅为示例：{info.get('completeness_zh') or ''}",
        "reason_en": f"bundled layer {layer} ({spec.title_en}) is a sample only: {info.get('completeness_en') or ''}",
    }


def _not_checked_row(rule, layer: str) -> dict:
    spec = LAYERS[layer]
    return {
        "rule_id": rule.id,
        "layer": layer,
        "title_zh": rule.title.zh,
        "title_en": rule.title.en,
        "reason_zh": f"未提供可选图层“{spec.title_zh}”（{layer}）",
        "reason_en": f"optional layer {layer} ({spec.title_en}) not supplied",
    }


__all__ = ["check", "check_frame"]
