"""Which rules of the catalog decide a screening surface, and how each becomes a raster operation.

The surface answers, for every cell, "what would the check say of a point proposal of this kind,
industry and status at the cell's centre?".  So the rules are selected with the engine's own
``applicable`` on a one-row proposal frame, and each rule's condition maps to a raster operation
by its predicate (see :mod:`chuannan_gis.screening.fields`).  A rule whose condition the raster
cannot express is listed in ``unexpressed``, never silently dropped.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import shapely

from ..crs import MEASURE_CRS
from ..engine.index import feature_index
from ..io import read_proposals
from ..rules.scope import applicable

# Predicates the raster evaluates for a point at a cell centre.  A point is within a feature
# exactly when it intersects it, so `within` is `intersects` here.
RASTER_PREDICATES = {"intersects": "intersects", "within": "intersects", "dwithin": "dwithin", "outside": "outside"}
MISSING_LAYER = "missing_layer"
# Predicates a cell (a point) can never fire: a point is wholly in or out, so `outside` judges it.
POINTLESS_PREDICATES = ("partly_outside",)


@dataclass(frozen=True)
class RasterRule:
    """One rule as the raster evaluates it.  ``code`` is the rule's band-2 code."""

    rule: object
    code: int
    operation: str  # intersects | dwithin | outside | missing_layer
    source: tuple | None  # (layer, filter key) of the features it measures; None for missing_layer

    @property
    def threshold(self) -> float:
        return self.rule.condition.distance_m or 0.0


@dataclass(frozen=True)
class FieldReading:
    """The rules that read one field: the features of ``source``, measured as far as ``threshold``
    plus their accuracy reaches.  Sources that select the same features share it."""

    source: tuple
    threshold: float
    rules: tuple[RasterRule, ...]

    def has(self, operation: str) -> bool:
        return any(r.operation == operation for r in self.rules)


@dataclass
class ScreeningPlan:
    """The rules that run, and those that cannot (for lack of an optional layer, or of a raster form)."""

    rules: list[RasterRule] = field(default_factory=list)
    not_checked: list[dict] = field(default_factory=list)
    unexpressed: list[dict] = field(default_factory=list)

    def sources(self) -> list[tuple]:
        """Distinct (layer, filter key) pairs the rules measure, in first-use order."""
        return list(dict.fromkeys(r.source for r in self.rules if r.source is not None))

    def fields(self, constraints) -> list[FieldReading]:
        """The fields the rules read, in first-use order: one per layer, set of features and
        threshold, so two filters that select the same features (a river class no river has, a zone
        no reserve has) cost one field."""
        readings: dict[tuple, tuple[tuple, list]] = {}
        for source in self.sources():
            threshold = self.threshold(source)
            key = (source[0], tuple(source_index(constraints, source).fids.tolist()), threshold)
            readings.setdefault(key, (source, []))[1].extend(r for r in self.rules if r.source == source)
        return [FieldReading(source, key[2], tuple(rules)) for key, (source, rules) in readings.items()]

    def threshold(self, source: tuple) -> float:
        """The largest distance threshold among the rules that measure ``source`` (0 without one)."""
        return max(r.threshold for r in self.rules if r.source == source)

    def reach(self, constraints) -> float:
        """The farthest any rule looks from its features: threshold plus the features' accuracy (m)."""
        reaches = [
            r.threshold + source_index(constraints, r.source).max_accuracy for r in self.rules if r.source is not None
        ]
        return max(reaches, default=0.0)


def proposal_frame(kind: str, industry: str, status: str, where) -> gpd.GeoDataFrame:
    """One proposal, normalised by :func:`chuannan_gis.io.read_proposals` (aliases, vocabulary checks)."""
    frame = gpd.GeoDataFrame(
        {"name": ["screen"], "kind": [kind], "industry": [industry], "status": [status]},
        geometry=[where],
        crs=MEASURE_CRS,
    )
    return read_proposals(frame)


def plan_rules(catalog, constraints, frame) -> ScreeningPlan:
    """Walk the catalog in order and turn each rule applicable to ``frame``'s proposal into a RasterRule.

    Advisory rules never change a verdict, and a ``partly_outside`` rule never fires on a point,
    so neither enters the surface.
    """
    plan = ScreeningPlan()
    for code, rule in enumerate(catalog, start=1):
        if rule.advisory or rule.condition.predicate in POINTLESS_PREDICATES or not applicable(rule, frame)[0]:
            continue
        layer = rule.condition.measured_layer
        operation = RASTER_PREDICATES.get(rule.condition.predicate)
        if operation is None:
            plan.unexpressed.append(
                _listed(
                    rule,
                    f"谓词 {rule.condition.predicate} 无栅格形式",
                    f"predicate {rule.condition.predicate} has no raster form",
                )
            )
        elif constraints.has(layer):
            plan.rules.append(RasterRule(rule, code, operation, (layer, rule.condition.filter_key())))
        elif rule.layer_required:
            plan.rules.append(RasterRule(rule, code, MISSING_LAYER, None))
        else:
            plan.not_checked.append(_listed(rule, f"未提供可选图层 {layer}", f"optional layer {layer} not supplied"))
    return plan


def _listed(rule, reason_zh: str, reason_en: str) -> dict:
    return {
        "rule_id": rule.id,
        "title_zh": rule.title.zh,
        "title_en": rule.title.en,
        "reason_zh": reason_zh,
        "reason_en": reason_en,
    }


def source_index(constraints, source: tuple):
    """The engine's (cached) index of the features a rule measures: same filter, same repairs."""
    layer, filter_key = source
    return feature_index(constraints, layer, filter_key)


def accuracy_groups(index) -> list[tuple[float, np.ndarray]]:
    """The index's pieces grouped by their feature's accuracy_m; features that state none form a
    group of their own (NaN, last), which decides as 0 m as in the engine but whose certainty is
    ``unstated``.

    Each feature has its own near-threshold band, so distances are taken per group of equal
    accuracy: a handful of groups per layer, not one transform per feature.
    """
    accuracy = index.accuracy[index.piece_feature] if len(index.pieces) else np.array([])
    stated = ~np.isnan(accuracy)
    groups = [(float(value), np.flatnonzero(stated & (accuracy == value))) for value in np.unique(accuracy[stated])]
    if not stated.all():
        groups.append((math.nan, np.flatnonzero(~stated)))
    return groups


def region_centre(constraints) -> shapely.Point:
    """A point inside the region, to stand for the screened proposal when it is normalised."""
    return constraints.measured("counties").geometry.iloc[0].representative_point()
