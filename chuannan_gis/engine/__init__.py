"""The engine: proposals in → normalised → checked with the rule catalog → one Result.

For each rule: select the proposals it applies to, query the (cached) index of the features its
condition selects, measure candidate pairs exactly, decide with the near-threshold band, and turn
the outcome into findings.  All measuring is in EPSG:4544.  The loop runs over rules only.
"""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pandas as pd

from .. import __version__
from ..io import read_proposals
from ..layers import ConstraintSet, load_constraints
from ..layers.schema import LAYERS
from ..result import NOT_CHECKED_COLUMNS, Result
from ..rules import RuleCatalog, load_rules
from .findings import applicable, empty_findings, geometry_findings, missing_layer_findings, rule_findings
from .geometry import prepare_geometry
from .index import feature_index
from .measure import decide
from .summary import summarise
from .zoning import assign_counties


def check(proposals, constraints=None, rules=None, *, progress=None, **read_options) -> Result:
    """Check proposals against the constraint set with the rule catalog.

    Parameters
    ----------
    proposals : path or GeoDataFrame
        Read and normalised by :func:`chuannan_gis.io.read_proposals`.
    constraints : None, path or ConstraintSet
        None loads the bundled set; a path overlays a planner's layers on it.
    rules : None, path or RuleCatalog
        None uses the bundled catalog; a path loads a planner's copy.
    progress : callable, optional
        Called as ``progress(done, total, rule_id)`` after each rule.
    **read_options
        Passed to :func:`~chuannan_gis.io.read_proposals` (``layer``, ``field_map``, ``crs`` ...).

    Returns
    -------
    Result

    Examples
    --------
    >>> result = check("parks.gpkg")  # doctest: +SKIP
    >>> result.verdict_counts()  # doctest: +SKIP
    """
    catalog = rules if isinstance(rules, RuleCatalog) else load_rules(rules)
    constraint_set = constraints if isinstance(constraints, ConstraintSet) else load_constraints(constraints)
    frame = read_proposals(proposals, **read_options)
    measured, problems = prepare_geometry(frame)
    usable = np.ones(len(frame), dtype=bool)
    usable[problems["row"].to_numpy(dtype=int)] = False

    findings, not_checked = [geometry_findings(problems, frame)], []
    for done, rule in enumerate(catalog, start=1):
        rows = np.flatnonzero(applicable(rule, frame) & usable)
        layer = rule.condition.measured_layer
        if constraint_set.has(layer):
            index = feature_index(constraint_set, layer, rule.condition.filter_key())
            outcome = decide(measured, rows, index, rule.condition.predicate, rule.condition.distance_m)
            findings.append(rule_findings(rule, outcome, index, frame, measured))
        elif rule.layer_required:
            findings.append(missing_layer_findings(rule, rows, frame))
        else:
            not_checked.append(_not_checked_row(rule, layer))
        if progress is not None:
            progress(done, len(catalog), rule.id)

    findings = pd.concat([empty_findings(), *findings], ignore_index=True)
    zoning = assign_counties(measured, np.flatnonzero(usable), constraint_set, len(frame))
    return Result(
        proposals=summarise(frame, findings, zoning),
        findings=findings,
        not_checked=pd.DataFrame(not_checked, columns=NOT_CHECKED_COLUMNS),
        run_info=_run_info(catalog, constraint_set, frame),
    )


def _not_checked_row(rule, layer: str) -> dict:
    spec = LAYERS[layer]
    return {"rule_id": rule.id, "layer": layer, "title_zh": rule.title.zh, "title_en": rule.title.en,
            "reason_zh": f"未提供可选图层“{spec.title_zh}”（{layer}）",
            "reason_en": f"optional layer {layer} ({spec.title_en}) not supplied"}


def _run_info(catalog: RuleCatalog, constraints: ConstraintSet, frame) -> dict:
    return {
        "tool_version": __version__,
        "rules_path": catalog.path,
        "rules_sha256": catalog.sha256,
        "rules_text": catalog.text,
        "constraints_path": "; ".join(dict.fromkeys(str(Path(p)) for p in constraints.paths.values())),
        "constraints_fingerprint": constraints.fingerprint,
        "indicative_layers": constraints.indicative_layers(),
        "input_path": frame.attrs.get("source"),
        "input_sha256": frame.attrs.get("sha256"),
        "time": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }


__all__ = ["check"]
