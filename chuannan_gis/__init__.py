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


# Engine name → (module, the extra that installs its libraries); each module has check_frame().
# The CLI's --engine choice reads this table.
ENGINES = {"default": ("chuannan_gis.engine", None), "dask": ("chuannan_gis.scale", "scale")}
# Options of check() that say how to read the input (see chuannan_gis.io.read_proposals).
READ_OPTIONS = ("layer", "field_map", "input_datum", "crs", "encoding", "constants", "datum_shift")


def get_engine(name: str):
    """The ``check_frame`` function of engine ``name`` (a key of :data:`ENGINES`).

    Raises
    ------
    InputError
        Unknown engine (the message lists the engines).
    MissingDependencyError
        The engine's optional libraries are not installed (the message gives the pip command).
    """
    import importlib

    from .errors import InputError, MissingDependencyError

    if name not in ENGINES:
        raise InputError(f"未知的引擎 unknown engine {name!r}; engines: {', '.join(ENGINES)}", field="engine")
    module, extra = ENGINES[name]
    try:
        return importlib.import_module(module).check_frame
    except ImportError as err:
        if extra is None:
            raise
        raise MissingDependencyError(
            f"引擎 {name} 缺少依赖 the {name} engine needs libraries that are not installed ({err}); "
            f'install them with: pip install "chuannan-gis[{extra}]"'
        ) from err


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
    run = get_engine(engine)  # an unknown engine or a missing library fails before any reading
    from .io import read_proposals
    from .layers import ConstraintSet
    from .rules import RuleCatalog

    catalog = rules if isinstance(rules, RuleCatalog) else load_rules(rules)
    constraint_set = constraints if isinstance(constraints, ConstraintSet) else load_constraints(constraints)
    read_options = {key: options.pop(key) for key in READ_OPTIONS if key in options}
    return run(read_proposals(proposals, **read_options), catalog, constraint_set, **options)


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
    from .errors import InputError
    from .layers import ConstraintSet
    from .rules import RuleCatalog

    run = get_engine(engine)
    if not isinstance(catalog, RuleCatalog):
        raise InputError(
            f"catalog must be a RuleCatalog (from load_rules), got {type(catalog).__name__}", field="catalog"
        )
    if not isinstance(constraints, ConstraintSet):
        raise InputError(
            f"constraints must be a ConstraintSet (from load_constraints), got {type(constraints).__name__}",
            field="constraints",
        )
    missing = [c for c in ("proposal_id", "kind", "industry", "status") if c not in frame.columns]
    if missing or frame.crs is None or frame.crs.to_epsg() != 4490:
        raise InputError(
            f"未规范化的项目 the proposals are not normalised (missing {', '.join(missing) or 'none'}, "
            f"CRS {frame.crs}); pass them through chuannan_gis.io.read_proposals first",
            file=frame.attrs.get("source"),
        )
    return run(frame.reset_index(drop=True), catalog, constraints, **options)


def screen(kind, industry, output, **options):
    """Write the screening surface of a proposal kind and industry (a COG); see :mod:`chuannan_gis.screening`."""
    from .screening import screen as _screen

    return _screen(kind, industry, output, **options)


__all__ = ["ENGINES", "__version__", "check", "check_frame", "get_engine", "load_constraints", "load_rules", "screen"]
