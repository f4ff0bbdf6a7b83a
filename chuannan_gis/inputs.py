"""The three inputs of a check, each read or loaded once: the rule catalog, the constraint set
and the normalised proposals.  Every way into a check (:func:`chuannan_gis.check`, the engines'
own ``check``, the streamed check) takes them from here, so an object passed in is used as it is
and a path or None is loaded exactly once."""

from __future__ import annotations

from . import layers
from .io import read_proposals
from .layers import ConstraintSet
from .rules import RuleCatalog, load_rules

# Options of check() that say how to read the input (see chuannan_gis.io.read_proposals).
READ_OPTIONS = ("layer", "field_map", "input_datum", "crs", "encoding", "constants", "datum_shift")


def rule_catalog(rules) -> RuleCatalog:
    """``rules`` as a catalog: itself, or loaded (None: the bundled one; a path: a planner's copy)."""
    return rules if isinstance(rules, RuleCatalog) else load_rules(rules)


def constraint_set(constraints) -> ConstraintSet:
    """``constraints`` as a set: itself, or loaded (None: the bundled one; a path: overlaid on it)."""
    # looked up on the package at call time: a test replacing the loader there is obeyed
    return constraints if isinstance(constraints, ConstraintSet) else layers.load_constraints(constraints)


def split_read_options(options: dict) -> tuple[dict, dict]:
    """(read options, the rest: the engine's own options) of a check's keyword arguments."""
    read = {key: value for key, value in options.items() if key in READ_OPTIONS}
    return read, {key: value for key, value in options.items() if key not in READ_OPTIONS}


def check_inputs(proposals, constraints=None, rules=None, **options):
    """(normalised proposals, catalog, constraint set, engine options) for one check."""
    catalog = rule_catalog(rules)
    constraints = constraint_set(constraints)
    read_options, engine_options = split_read_options(options)
    return read_proposals(proposals, **read_options), catalog, constraints, engine_options


__all__ = ["READ_OPTIONS", "check_inputs", "constraint_set", "rule_catalog", "split_read_options"]
