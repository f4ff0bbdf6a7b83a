"""The decision core: from measures to fired / near, the verdict of a finding, and its certainty.

The vector engine (:mod:`chuannan_gis.engine`) and the screening surface
(:mod:`chuannan_gis.screening`) both decide here, so a point proposal and the raster cell at the
same place cannot be judged by two copies of one rule.  Everything is pure numpy on measures the
callers supply (distances, depths, hit flags, the features' ``accuracy_m``); no geometry is read
or computed here.  Functions take scalars or arrays, as shapely 2's ``dwithin`` does, and return
arrays of the broadcast shape.

The rules written here are those of docs/rules.md ("The near-threshold rule") and of
SCHEMA.md's findings ``certainty``:

- a candidate *fires* when the rule's condition holds on the data, and is *near* when the data's
  accuracy leaves the other side open: for ``dwithin``/``intersects``/``within`` a miss within the
  accuracy (near and fired never overlap), for ``outside`` a hit within the nearest feature's
  accuracy (near is a part of fired: it may lie inside), for ``partly_outside`` a part outside
  that reaches no farther than the accuracy beyond the features (it may lie wholly inside);
- a finding takes the rule's verdict, or the milder of it and ``review`` when near; a ``clear``
  rule (every advisory note is one) stands on definite hits only;
- a rule whose required layer is missing gives ``unknown`` to every candidate in its scope;
- a finding is ``certain`` when its conclusion holds anywhere within the feature's stated
  accuracy, ``within_accuracy`` when it holds on the data only, ``unstated`` when the feature
  states no accuracy (it still decides as if 0).

A feature's missing accuracy (NaN) decides as 0 m.
"""

from __future__ import annotations

import numpy as np

from .verdicts import BY_RANK, RANK, milder

PREDICATES = ("intersects", "within", "dwithin", "outside", "partly_outside")
MISSING_LAYER_VERDICT = "unknown"
# A near finding is lowered to this verdict at most (docs/rules.md, "The near-threshold rule").
NEAR_VERDICT = "review"
CERTAIN, WITHIN_ACCURACY, UNSTATED = "certain", "within_accuracy", "unstated"
# Certainty of a finding that has no measure (unknown for a missing layer or geometry).
NO_MEASURE = ""
CERTAINTIES = (CERTAIN, WITHIN_ACCURACY, UNSTATED)
# uint8 codes of the certainties, for rasters (0: no finding or no measure).
CERTAINTY_CODES = {NO_MEASURE: 0, CERTAIN: 1, WITHIN_ACCURACY: 2, UNSTATED: 3}


def accuracy_band(accuracy) -> np.ndarray:
    """The width (m) a feature's ``accuracy_m`` gives its near band: as stated, 0 when not stated.

    >>> accuracy_band([50.0, np.nan])
    array([50.,  0.])
    """
    accuracy = np.asarray(accuracy, dtype=float)
    # np.nan_to_num's value exactly, ~3× faster on a raster's millions of cells: NaN → 0 in one
    # pass, its handling of ±inf (largest finite float) only where an infinite value is there
    band = np.where(np.isnan(accuracy), 0.0, accuracy)
    return np.nan_to_num(band) if np.isinf(band).any() else band


def fired_near(predicate: str, distance, accuracy, threshold=0.0, *, hit=None) -> tuple[np.ndarray, np.ndarray]:
    """Whether each candidate fires the condition on the data, and whether it is in the near band.

    Parameters
    ----------
    predicate : {"intersects", "within", "dwithin", "outside", "partly_outside"}
    distance : float or array_like
        Least distance (m) from the proposal to the feature; 0 when they touch.  ``inf`` (or NaN)
        when there is no feature to measure to.  For ``partly_outside``: how far the part outside
        reaches beyond the features (a lower bound serves).
    accuracy : float or array_like
        The feature's ``accuracy_m``; NaN counts as 0.
    threshold : float, optional
        The rule's ``distance_m`` (``dwithin`` only).
    hit : bool or array_like, optional
        Whether the predicate's own geometric test holds on the data: touches the feature
        (``intersects``), lies wholly inside it (``within``), touches some feature (``outside``),
        has a part outside the features (``partly_outside``, which needs it).
        Default ``distance == 0``; ignored by ``dwithin``.

    Returns
    -------
    fired, near : ndarray of bool
        For ``outside`` near is a part of fired (an outside proposal that may lie inside); for the
        other predicates near is a miss within the accuracy and never fired.

    Examples
    --------
    Art. 26 with the Yangtze edge at ±50 m: 990 m fires, 1,025 m is near, 1,100 m neither.

    >>> fired_near("dwithin", [990.0, 1025.0, 1100.0], 50.0, 1000.0)
    (array([ True, False, False]), array([False,  True, False]))

    A polygon missed by 30 m of its ±50 m; a point inside; a feature that states no accuracy:

    >>> fired_near("intersects", [30.0, 0.0, 30.0], [50.0, 50.0, np.nan])
    (array([False,  True, False]), array([ True, False, False]))

    Outside the region by 200 m, within the county edge's ±500 m; by 900 m; inside:

    >>> fired_near("outside", [200.0, 900.0, 0.0], 500.0)
    (array([ True,  True, False]), array([ True, False, False]))

    A park whose part outside the region reaches 2 km beyond the county edge (±230 m), one whose
    part outside reaches 100 m, one wholly inside:

    >>> fired_near("partly_outside", [2000.0, 100.0, 0.0], 230.0, hit=[True, True, False])
    (array([ True,  True, False]), array([False,  True, False]))
    """
    distance = np.asarray(distance, dtype=float)
    band = accuracy_band(accuracy)
    if predicate == "partly_outside" and hit is None:
        raise ValueError("partly_outside needs hit: whether a part of the proposal lies outside")
    hit = distance == 0 if hit is None else np.asarray(hit, dtype=bool)
    with np.errstate(invalid="ignore"):  # NaN distance: no feature, never within anything
        if predicate == "dwithin":
            fired = distance <= threshold
            near = ~fired & (distance <= threshold + band)
        elif predicate in ("intersects", "within"):
            fired = hit & ~np.isnan(distance)  # a NaN distance has no feature to be inside
            # with no accuracy band a miss is definite: a proposal crossing the edge of a feature
            # stated exact is not within it (for intersects a 0 m miss is a hit anyway)
            near = ~fired & (distance <= band) & (band > 0)
        elif predicate == "outside":
            fired = ~hit
            near = fired & (distance <= band)
        elif predicate == "partly_outside":
            fired = hit
            near = fired & (distance <= band)
        else:
            raise ValueError(f"unknown predicate {predicate!r}; expected one of {', '.join(PREDICATES)}")
    return np.broadcast_arrays(fired, near)


def any_feature(fired, near, axis=0) -> tuple[np.ndarray, np.ndarray]:
    """A candidate's (fired, near) over several features along ``axis``: a hit on any feature
    decides before a near one (``dwithin``, ``intersects``, ``within``; not ``outside``, which
    the nearest feature decides).

    >>> any_feature([[False, False], [True, False]], [[True, True], [False, False]])
    (array([ True, False]), array([False,  True]))
    """
    fired = np.any(fired, axis=axis)
    return fired, np.any(near, axis=axis) & ~fired


def finding_rank(rule_verdict: str, fired, near) -> np.ndarray:
    """Rank (:data:`chuannan_gis.verdicts.RANK`) of each candidate's finding; 0 where it has none.

    Where fired and not near, the rule's verdict; where near, the milder of it and ``review``;
    a ``clear`` rule (advisory notes included) gives nothing where near: "perhaps in a
    development zone" is no reassurance.

    >>> finding_rank("prohibited", [True, False, False], [False, True, False])
    array([5, 3, 0], dtype=uint8)
    >>> finding_rank("clear", [True, True], [False, True])
    array([1, 0], dtype=uint8)
    """
    fired, near = np.broadcast_arrays(np.asarray(fired, dtype=bool), np.asarray(near, dtype=bool))
    rank = np.zeros(fired.shape, dtype=np.uint8)
    rank[fired & ~near] = RANK[rule_verdict]
    if rule_verdict != "clear":
        rank[near] = RANK[milder(rule_verdict, NEAR_VERDICT)]
    return rank


def finding_verdict(rule_verdict: str, fired, near) -> np.ndarray:
    """Verdict code of each candidate's finding (object array); None where it has none.

    >>> finding_verdict("restricted", [True, False, False], [False, True, False]).tolist()
    ['restricted', 'review', None]
    """
    return rank_verdicts(finding_rank(rule_verdict, fired, near))


def rank_verdicts(rank) -> np.ndarray:
    """Verdict codes of ranks (object array); None for rank 0.

    >>> rank_verdicts([2, 0]).tolist()
    ['unknown', None]
    """
    codes = np.array([None, *(BY_RANK[r] for r in range(1, max(BY_RANK) + 1))], dtype=object)
    return codes[np.asarray(rank, dtype=np.intp)]


def missing_layer_rank(in_scope) -> np.ndarray:
    """Rank of each candidate's finding when the rule's required layer is missing: ``unknown``
    wherever the rule applies (0 elsewhere).  A missing *optional* layer gives no finding: the rule
    is listed as not checked instead.

    >>> missing_layer_rank([True, False])
    array([2, 0], dtype=uint8)
    """
    in_scope = np.asarray(in_scope, dtype=bool)
    return np.where(in_scope, RANK[MISSING_LAYER_VERDICT], 0).astype(np.uint8)


# --- certainty ----------------------------------------------------------------------------------


def certain_distance(distance, accuracy, threshold) -> np.ndarray:
    """A distance rule's hit is certain when it holds however far the feature may lie off:
    distance + accuracy ≤ threshold.

    A heavy-chemical park 200 m from a river edge stated at ±486 m is certainly within 1 km;
    at 800 m it is within 1 km on the data only.

    >>> certain_distance([200.0, 800.0], 486.0, 1000.0)
    array([ True, False])
    """
    with np.errstate(invalid="ignore"):
        return np.asarray(distance, dtype=float) + accuracy_band(accuracy) <= threshold


def certain_inside(depth, accuracy) -> np.ndarray:
    """An inside rule's hit is certain when the proposal reaches at least the accuracy deep inside
    the qualifying features: depth ≥ accuracy.

    ``depth`` is, for ``intersects``, how deep the deepest part of the proposal lies inside (a
    point: its distance to the features' boundary; some part of a polygon lies in the features
    shrunk by the accuracy exactly when its depth is at least that); for ``within``, how deep its
    shallowest part lies (the distance from the proposal to the boundary: the whole proposal
    lies in the shrunk features).  A lower bound serves as long as it reaches the accuracy
    whenever the true depth does.  With accuracy 0 every hit is certain.

    >>> certain_inside([600.0, 100.0, 0.0], [500.0, 500.0, 0.0])
    array([ True, False,  True])
    """
    with np.errstate(invalid="ignore"):
        return np.asarray(depth, dtype=float) >= accuracy_band(accuracy)


def certain_outside(miss, accuracy) -> np.ndarray:
    """An outside rule's hit is certain when the miss exceeds the accuracy: miss > accuracy
    (exactly the hits that are not near).

    >>> certain_outside([900.0, 200.0], 500.0)
    array([ True, False])
    """
    with np.errstate(invalid="ignore"):
        return np.asarray(miss, dtype=float) > accuracy_band(accuracy)


def certainty(certain, accuracy, measured=True) -> np.ndarray:
    """The certainty label of each finding (object array).

    ``certain`` where the predicate's certainty test holds, ``within_accuracy`` where it does
    not, ``unstated`` where the feature states no accuracy (NaN), and ``""`` where the finding
    has no measure (``measured`` false).

    >>> certainty([True, False, True, True], [50.0, 50.0, np.nan, 50.0], [True, True, True, False]).tolist()
    ['certain', 'within_accuracy', 'unstated', '']
    """
    code = certainty_code(certain, accuracy, measured)
    return _LABELS[code.ravel()].reshape(code.shape)  # an array even for scalars, as before


# certainty_code → label (index = code), so the labels are a lookup of the codes, never decided twice
_LABELS = np.array(sorted(CERTAINTY_CODES, key=CERTAINTY_CODES.get), dtype=object)


def certainty_code(certain, accuracy, measured=True) -> np.ndarray:
    """:func:`certainty` as its uint8 :data:`CERTAINTY_CODES`: a raster's millions of cells
    cost no object array of labels (which made the screening surface several times slower).

    >>> certainty_code([True, False, True, True], [50.0, 50.0, np.nan, 50.0], [True, True, True, False]).tolist()
    [1, 2, 3, 0]
    """
    certain, accuracy, measured = np.broadcast_arrays(
        np.asarray(certain, dtype=bool), np.asarray(accuracy, dtype=float), np.asarray(measured, dtype=bool)
    )
    code = np.where(certain, CERTAINTY_CODES[CERTAIN], CERTAINTY_CODES[WITHIN_ACCURACY]).astype(np.uint8)
    code[np.isnan(accuracy)] = CERTAINTY_CODES[UNSTATED]
    code[~measured] = CERTAINTY_CODES[NO_MEASURE]
    return code


def finding_certainty(
    predicate: str, near, accuracy, *, distance, threshold=0.0, depth=None, as_codes: bool = False
) -> np.ndarray:
    """Certainty of findings of one rule, from the measures of the feature that decides each.

    Parameters
    ----------
    predicate : {"intersects", "within", "dwithin", "outside", "partly_outside"}
    near : bool or array_like
        From :func:`fired_near`: a near finding is never ``certain``.
    accuracy : float or array_like
        The deciding feature's ``accuracy_m`` (NaN: not stated).
    distance : float or array_like
        Distance (m) to the deciding feature; NaN where there is none (no measure), inf where it
        lies beyond any reach.
    threshold : float
        The rule's ``distance_m`` (``dwithin``).
    depth : float or array_like, optional
        For ``intersects``/``within``, the depth of :func:`certain_inside`; NaN where not
        measured (then a hit is ``within_accuracy``).
    as_codes : bool
        Return :func:`certainty_code`'s uint8 codes instead of labels (the screening surface).

    Examples
    --------
    >>> finding_certainty("dwithin", [False, False, True], 486.0, distance=[200.0, 800.0, 1200.0],
    ...                   threshold=1000.0).tolist()
    ['certain', 'within_accuracy', 'within_accuracy']
    >>> finding_certainty("intersects", False, [50.0, 50.0, np.nan], distance=0.0, depth=[80.0, 20.0, 0.0]).tolist()
    ['certain', 'within_accuracy', 'unstated']
    >>> finding_certainty("outside", [False, True, False], 500.0, distance=[900.0, 200.0, np.nan]).tolist()
    ['certain', 'within_accuracy', '']
    """
    distance = np.asarray(distance, dtype=float)
    if predicate == "dwithin":
        certain = certain_distance(distance, accuracy, threshold)
    elif predicate in ("intersects", "within"):
        certain = certain_inside(np.nan if depth is None else depth, accuracy)
    elif predicate in ("outside", "partly_outside"):
        certain = certain_outside(distance, accuracy)
    else:
        raise ValueError(f"unknown predicate {predicate!r}; expected one of {', '.join(PREDICATES)}")
    decide = certainty_code if as_codes else certainty
    return decide(certain & ~np.asarray(near, dtype=bool), accuracy, ~np.isnan(distance))


__all__ = [
    "CERTAIN",
    "CERTAINTIES",
    "CERTAINTY_CODES",
    "MISSING_LAYER_VERDICT",
    "NO_MEASURE",
    "PREDICATES",
    "UNSTATED",
    "WITHIN_ACCURACY",
    "accuracy_band",
    "any_feature",
    "certain_distance",
    "certain_inside",
    "certain_outside",
    "certainty",
    "certainty_code",
    "finding_certainty",
    "finding_rank",
    "finding_verdict",
    "fired_near",
    "missing_layer_rank",
    "rank_verdicts",
]
