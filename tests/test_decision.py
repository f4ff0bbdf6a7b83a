"""The decision core with known numbers: fired / near, the finding's verdict, and each certainty
predicate on both sides of the accuracy (SCHEMA.md findings ``certainty``)."""

from __future__ import annotations

import numpy as np
import pytest

from chuannan_gis import decision
from chuannan_gis.decision import (
    certain_distance,
    certain_inside,
    certain_outside,
    certainty,
    finding_certainty,
    finding_verdict,
    fired_near,
)

NAN = float("nan")


@pytest.mark.parametrize(
    "predicate, distance, accuracy, threshold, expected",
    [
        # Art. 26 with the water edge at ±50 m (docs/rules.md): 990 m fires, 1,025 m near, 1,100 m neither
        ("dwithin", 990.0, 50.0, 1000.0, (True, False)),
        ("dwithin", 1025.0, 50.0, 1000.0, (False, True)),
        ("dwithin", 1100.0, 50.0, 1000.0, (False, False)),
        ("dwithin", 1025.0, NAN, 1000.0, (False, False)),  # no accuracy stated: decides as 0
        ("intersects", 0.0, 100.0, 0.0, (True, False)),
        ("intersects", 50.0, 100.0, 0.0, (False, True)),
        ("intersects", 250.0, 100.0, 0.0, (False, False)),
        ("intersects", NAN, NAN, 0.0, (False, False)),  # no feature at all
        ("outside", 50.0, 100.0, 0.0, (True, True)),  # outside, but may lie inside
        ("outside", 500.0, 100.0, 0.0, (True, False)),
        ("outside", 0.0, 100.0, 0.0, (False, False)),
        ("outside", NAN, NAN, 0.0, (True, False)),  # a layer without features: everything is outside
    ],
)
def test_fired_near(predicate, distance, accuracy, threshold, expected):
    fired, near = fired_near(predicate, distance, accuracy, threshold)
    assert (bool(fired), bool(near)) == expected


def test_within_fires_on_the_hit_flag_not_on_touching():
    fired, near = fired_near("within", [0.0, 0.0, 20.0], 30.0, hit=[True, False, False])
    assert fired.tolist() == [True, False, False]
    assert near.tolist() == [False, True, True]  # touching but not covered is a miss of 0 m


def test_fired_near_is_array_first():
    fired, near = fired_near("dwithin", np.array([[990.0, 1025.0], [2000.0, 0.0]]), np.array([50.0, 20.0]), 1000.0)
    assert fired.shape == near.shape == (2, 2)
    assert fired.tolist() == [[True, False], [False, True]] and near.tolist() == [[False, False], [False, False]]


def test_unknown_predicate_names_it():
    with pytest.raises(ValueError, match="'touches'"):
        fired_near("touches", 0.0, 0.0)


@pytest.mark.parametrize(
    "rule_verdict, expected",
    [
        ("prohibited", ["prohibited", "review", None]),
        ("restricted", ["restricted", "review", None]),
        ("review", ["review", "review", None]),
        ("unknown", ["unknown", "unknown", None]),  # milder than review: stays unknown in the band
        ("clear", ["clear", None, None]),  # a clear (or advisory) rule stands on definite hits only
    ],
)
def test_finding_verdict_lowers_near_findings(rule_verdict, expected):
    assert finding_verdict(rule_verdict, [True, False, False], [False, True, False]).tolist() == expected


def test_outside_near_is_part_of_fired_and_lowered():
    fired, near = fired_near("outside", [50.0, 500.0], 100.0)
    assert finding_verdict("prohibited", fired, near).tolist() == ["review", "prohibited"]


def test_missing_layer_is_unknown_in_scope_only():
    assert decision.rank_verdicts(decision.missing_layer_rank([True, False])).tolist() == ["unknown", None]


# --- certainty predicates, each on both sides of the accuracy ---------------------------------------


@pytest.mark.parametrize("distance, expected", [(200.0, True), (514.0, True), (514.5, False), (800.0, False)])
def test_distance_certain_when_distance_plus_accuracy_within_threshold(distance, expected):
    # a heavy-chemical park and a river edge stated at ±486 m, 1 km rule
    assert bool(certain_distance(distance, 486.0, 1000.0)) is expected


@pytest.mark.parametrize(
    "depth, accuracy, expected",
    [
        (150.0, 100.0, True),
        (100.0, 100.0, True),
        (99.0, 100.0, False),
        (0.0, 100.0, False),
        (0.0, 0.0, True),  # exact data: any hit is certain
    ],
)
def test_inside_certain_when_as_deep_as_the_accuracy(depth, accuracy, expected):
    assert bool(certain_inside(depth, accuracy)) is expected


@pytest.mark.parametrize("miss, expected", [(101.0, True), (100.0, False), (40.0, False)])
def test_outside_certain_when_the_miss_exceeds_the_accuracy(miss, expected):
    assert bool(certain_outside(miss, 100.0)) is expected


def test_certainty_labels():
    labels = certainty([True, False, True, False], [50.0, 50.0, NAN, NAN], [True, True, True, False])
    assert labels.tolist() == ["certain", "within_accuracy", "unstated", ""]


@pytest.mark.parametrize(
    "predicate, kwargs, expected",
    [
        ("dwithin", {"distance": 200.0, "threshold": 1000.0}, "certain"),
        ("dwithin", {"distance": 800.0, "threshold": 1000.0}, "within_accuracy"),
        ("intersects", {"distance": 0.0, "depth": 600.0}, "certain"),
        ("intersects", {"distance": 0.0, "depth": 300.0}, "within_accuracy"),
        ("within", {"distance": 0.0, "depth": 486.0}, "certain"),
        ("within", {"distance": 0.0, "depth": 485.0}, "within_accuracy"),
        ("within", {"distance": 0.0}, "within_accuracy"),  # depth not measured: never claimed certain
        ("outside", {"distance": 487.0}, "certain"),
        ("outside", {"distance": NAN}, ""),  # no feature to measure to: no measure
    ],
)
def test_finding_certainty_per_predicate(predicate, kwargs, expected):
    assert finding_certainty(predicate, False, 486.0, **kwargs).item() == expected


def test_near_findings_are_never_certain_and_unstated_wins():
    assert finding_certainty("dwithin", True, 486.0, distance=1200.0, threshold=1000.0).item() == "within_accuracy"
    assert finding_certainty("dwithin", False, NAN, distance=200.0, threshold=1000.0).item() == "unstated"
