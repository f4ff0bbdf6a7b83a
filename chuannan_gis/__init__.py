"""chuannan-gis: spatial compliance screening for the South Sichuan Economic Zone (川南经济区).

The public API is small; heavy modules are imported on first use, so ``import chuannan_gis``
stays cheap (the QGIS plugin imports it at start-up).
"""

from __future__ import annotations

import logging

from ._version import __version__
from .engines import ENGINES

logging.getLogger(__name__).addHandler(logging.NullHandler())


def load_constraints(path=None):
    """The bundled constraint set, overlaid with a planner's layers from ``path``; see :mod:`chuannan_gis.layers`."""
    from .layers import load_constraints as _load

    return _load(path)


def load_rules(path=None):
    """The rule catalog (bundled, or a planner's copy at ``path``); see :mod:`chuannan_gis.rules`."""
    from .rules import load_rules as _load

    return _load(path)


def get_engine(name: str):
    """The ``check_frame`` function of engine ``name`` (a key of :data:`ENGINES`, the one engine table
    in :mod:`chuannan_gis.engines`).

    Raises
    ------
    InputError
        Unknown engine (the message lists the engines).
    MissingDependencyError
        The engine's optional libraries are not installed (the message gives the pip command).
    """
    from .engines import get_engine as _get

    return _get(name).check_frame


def check(proposals, constraints=None, rules=None, *, engine="default", **options):
    """Check proposals against the constraint set with the rule catalog; returns a Result.

    Reads and normalises the proposals once (:func:`chuannan_gis.io.read_proposals`), loads the
    catalog and constraint set unless given as objects, then hands over to :func:`check_frame`.

    Parameters
    ----------
    proposals : path or GeoDataFrame
    constraints : None, path or ConstraintSet
        None loads the bundled set; a path overlays a planner's layers on it.
    rules : None, path or RuleCatalog
        None uses the bundled catalog; a path loads a planner's copy.
    engine : str
        A key of :data:`ENGINES`: ``"dask"`` computes the same Result on dask-geopandas
        (``scheduler=`` a cluster's address for a dask.distributed cluster); see :mod:`chuannan_gis.scale`.
    **options
        The read options (``layer``, ``field_map``, ``input_datum``, ``crs``, ``encoding``,
        ``constants``: field → value for features without one, e.g. ``{"kind": "industrial_park"}``;
        ``datum_shift``: the bureau's parameters from Xian 1980 or Beijing 1954, see
        :mod:`chuannan_gis.datums`), and
        the engine's own (``progress``; for dask ``scheduler``, ``chunk_rows``, ``partition_rows``).

    Examples
    --------
    >>> result = check("parks.gpkg", constraints="planner.gpkg")  # doctest: +SKIP
    >>> result.verdict_counts()  # doctest: +SKIP
    """
    from .inputs import check_inputs

    run = get_engine(engine)  # an unknown engine or a missing library fails before any reading
    frame, catalog, constraint_set, engine_options = check_inputs(proposals, constraints, rules, **options)
    return run(frame, catalog, constraint_set, **engine_options)


def check_frame(frame, catalog, constraints, *, engine="default", **options):
    """Check proposals already normalised by :func:`chuannan_gis.io.read_proposals`; no I/O.

    Parameters
    ----------
    frame : GeoDataFrame
        What ``read_proposals`` returned (or a slice of it).
    catalog : RuleCatalog
        From :func:`load_rules`.
    constraints : ConstraintSet
        From :func:`load_constraints`.
    engine : str
        A key of :data:`ENGINES`.
    **options
        The engine's own (``progress``; for dask ``scheduler``, ``chunk_rows``, ``partition_rows``).

    Returns
    -------
    Result
        Its ``run_info`` records the run; it holds ``catalog`` and ``constraints`` for the report
        and map of the same run.
    """
    from .engines import check_frame as _check_frame

    return _check_frame(frame, catalog, constraints, engine=engine, **options)


def screen(kind, industry, output, **options):
    """Write the screening surface of a proposal kind and industry (a COG); see :mod:`chuannan_gis.screening`."""
    from .screening import screen as _screen

    return _screen(kind, industry, output, **options)


__all__ = ["ENGINES", "__version__", "check", "check_frame", "get_engine", "load_constraints", "load_rules", "screen"]
