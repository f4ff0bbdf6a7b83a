"""chuannan-gis: spatial compliance screening for the South Sichuan Economic Zone (川南经济区).

The public API is small; heavy modules are imported on first use, so ``import chuannan_gis``
stays cheap (the QGIS plugin imports it at start-up).
"""
from __future__ import annotations

import logging

__version__ = "0.1.0"

logging.getLogger(__name__).addHandler(logging.NullHandler())


def load_constraints(path=None):
    """The bundled constraint set, overlaid with a planner's layers from ``path``; see :mod:`chuannan_gis.layers`."""
    from .layers import load_constraints as _load

    return _load(path)


def load_rules(path=None):
    """The rule catalog (bundled, or a planner's copy at ``path``); see :mod:`chuannan_gis.rules`."""
    from .rules import load_rules as _load

    return _load(path)


ENGINES = ("default", "dask")


def check(proposals, constraints=None, rules=None, *, engine="default", **options):
    """Check proposals against the constraint set with the rule catalog; returns a Result.

    ``engine="dask"`` computes the same Result on dask-geopandas (``scheduler=`` a cluster's
    address for a dask.distributed cluster); see :mod:`chuannan_gis.scale`.
    """
    if engine == "dask":
        from .scale import check as _check
    elif engine == "default":
        from .engine import check as _check
    else:
        from .errors import InputError

        raise InputError(f"未知的引擎 unknown engine {engine!r}; engines: {', '.join(ENGINES)}", field="engine")
    return _check(proposals, constraints=constraints, rules=rules, **options)


def screen(kind, industry, output, **options):
    """Write the screening surface of a proposal kind and industry (a COG); see :mod:`chuannan_gis.screening`."""
    from .screening import screen as _screen

    return _screen(kind, industry, output, **options)


__all__ = ["ENGINES", "__version__", "check", "load_constraints", "load_rules", "screen"]
