"""The check a planner would otherwise write: geopandas buffer + sjoin / overlay, layer by layer.

It reads the same rule catalog and gives what the engine gives (a verdict per proposal, and per
finding the measure a report quotes) in the usual way: for each rule, select the proposals and
features, buffer the features by the distance (and by the distance plus their accuracy, for the
near band), spatial-join, overlay for the overlap area, and take the distance to the layer for
the "620 m from the Yangtze" a report quotes; the county of each proposal is the one an overlay
gives the largest share.  No per-piece index, no pruning.
"""
from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from chuannan_gis.crs import MEASURE_CRS
from chuannan_gis.engine.findings import applicable
from chuannan_gis.io import read_proposals
from chuannan_gis.verdicts import BY_RANK, RANK, milder


def naive_check(path, constraints, catalog) -> tuple[pd.Series, pd.Series, dict]:
    """The verdict and county of each proposal in ``path`` (indexed by proposal_id), and rule id →
    measured distances of the proposals it fired on, the naive way."""
    proposals = read_proposals(path).to_crs(MEASURE_CRS)
    rank = pd.Series(RANK["clear"], index=proposals["proposal_id"])
    measured = {}
    for rule in catalog:
        layer = rule.condition.measured_layer
        if rule.advisory or not constraints.has(layer):
            continue
        chosen = proposals[applicable(rule, proposals)][["proposal_id", "geometry"]]
        features = _filtered(constraints.measured(layer), rule.condition.filter)
        fired = []
        for verdict, hits in _rule_hits(rule, chosen, features):
            worse = rank.loc[hits] < RANK[verdict]
            rank.loc[worse[worse].index] = RANK[verdict]
            fired.append(hits)
        measured[rule.id] = _distances(chosen, features, np.concatenate(fired))
    return rank.map(BY_RANK), _counties(proposals, constraints.measured("counties")), measured


def _counties(proposals, counties) -> pd.Series:
    """The county with the largest share of each proposal (points: the one they fall in)."""
    pieces = gpd.overlay(proposals[["proposal_id", "geometry"]], counties[["name_zh", "geometry"]],
                         how="intersection", keep_geom_type=False)
    pieces = pieces.assign(share=pieces.area).sort_values("share", ascending=False)
    return pieces.drop_duplicates("proposal_id").set_index("proposal_id")["name_zh"]


def _distances(proposals, features, ids) -> pd.Series:
    """Distance from each fired proposal to the layer's features, dissolved (the usual way to ask)."""
    fired = proposals[proposals["proposal_id"].isin(ids)]
    return pd.Series(fired.distance(features.union_all()).to_numpy(), index=fired["proposal_id"])


def _filtered(features: gpd.GeoDataFrame, filters: dict) -> gpd.GeoDataFrame:
    for field, values in filters.items():
        features = features[features[field].isin(values)]
    return features[["accuracy_m", "geometry"]].assign(accuracy_m=lambda f: f["accuracy_m"].fillna(0.0))


def _rule_hits(rule, proposals, features):
    """(verdict, proposal ids) pairs: the rule's verdict where it fires, the milder one in the accuracy band."""
    distance = rule.condition.distance_m or 0.0
    if rule.condition.predicate == "outside":
        inside = _joined(proposals, features, 0.0)
        band = _joined(proposals, features, None)
        outside = np.setdiff1d(proposals["proposal_id"], inside)
        return [(rule.verdict, np.setdiff1d(outside, band)), (milder(rule.verdict, "review"), np.intersect1d(outside, band))]
    fired = _overlaid(proposals, features, distance)
    near = np.setdiff1d(_joined(proposals, features, distance, plus_accuracy=True), fired)
    if rule.verdict == "clear":
        return [(rule.verdict, fired)]
    return [(rule.verdict, fired), (milder(rule.verdict, "review"), near)]


def _joined(proposals, features, distance, plus_accuracy=False) -> np.ndarray:
    """Ids of proposals touching the features buffered by ``distance`` (+ accuracy); None: accuracy only."""
    reach = features["accuracy_m"] + (distance or 0.0) if plus_accuracy or distance is None else distance
    buffered = features.set_geometry(features.buffer(reach) if np.any(reach) else features.geometry)
    return np.unique(gpd.sjoin(proposals, buffered, predicate="intersects")["proposal_id"])


def _overlaid(proposals, features, distance) -> np.ndarray:
    """Ids of proposals overlapping the buffered features, through an overlay (for the overlap area)."""
    buffered = features.set_geometry(features.buffer(distance)) if distance else features
    candidates = proposals[proposals["proposal_id"].isin(_joined(proposals, features, distance))]
    overlap = gpd.overlay(candidates, buffered, how="intersection", keep_geom_type=False)
    touching = set(overlap["proposal_id"])
    # points and lines have no overlap area: the join alone decides for them
    return np.union1d(list(touching), candidates.loc[candidates.geom_type.str.contains("Point|Line"), "proposal_id"])
