"""The engines a check runs on, in one table.

:func:`chuannan_gis.check`, :func:`chuannan_gis.check_frame`, the streamed check
(:func:`chuannan_gis.stream.check_to_file`), the CLI's ``--engine`` and the QGIS plugin (through
:func:`chuannan_gis.check`) all choose an engine here.  Each engine is a module with

- ``check_frame(frame, catalog, constraints, **options) -> Result`` (no I/O), and
- ``chunk_checker(constraints, catalog, **options)``: a context manager giving a function that
  checks one normalised chunk, for the streamed check.

The module is imported by name on first use, so an engine's libraries (dask for ``dask``) load
only when it runs, and a missing one is a :class:`~chuannan_gis.errors.MissingDependencyError`
with the pip command.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from .errors import InputError, MissingDependencyError


@dataclass(frozen=True)
class Engine:
    name: str
    module: str  # the module with check_frame and chunk_checker
    extra: str | None  # the pip extra that installs its libraries (None: always installed)
    # True: the streamed check may check several chunks at once in forked worker processes
    # (``workers``); False: the engine schedules its own work (dask has ``scheduler``).
    forks_workers: bool = False

    def load(self):
        """The engine's module; MissingDependencyError naming the extra when its libraries are missing."""
        try:
            return importlib.import_module(self.module)
        except ImportError as err:
            if self.extra is None:
                raise
            raise MissingDependencyError(
                f"引擎 {self.name} 缺少依赖 the {self.name} engine needs libraries that are not installed ({err}); "
                f'install them with: pip install "chuannan-gis[{self.extra}]"'
            ) from err

    @property
    def check_frame(self):
        return self.load().check_frame

    def chunk_checker(self, constraints, catalog, **options):
        """A context manager giving ``check(chunk) -> Result`` for one normalised chunk."""
        return self.load().chunk_checker(constraints, catalog, **options)


ENGINES: dict[str, Engine] = {
    engine.name: engine
    for engine in (
        Engine("default", "chuannan_gis.engine", None, forks_workers=True),
        Engine("dask", "chuannan_gis.scale", "scale"),
    )
}


def get_engine(name: str) -> Engine:
    """The engine ``name`` (a key of :data:`ENGINES`); InputError listing the engines otherwise."""
    if name not in ENGINES:
        raise InputError(f"未知的引擎 unknown engine {name!r}; engines: {', '.join(ENGINES)}", field="engine")
    return ENGINES[name]


def check_frame(frame, catalog, constraints, *, engine: str = "default", **options):
    """:func:`chuannan_gis.check_frame`: normalised proposals checked with engine ``engine``, after
    checking that the inputs are what the engines take (a RuleCatalog, a ConstraintSet, a frame
    from :func:`chuannan_gis.io.read_proposals`); no I/O."""
    from .layers import ConstraintSet
    from .rules import RuleCatalog

    run = get_engine(engine).check_frame
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


__all__ = ["ENGINES", "Engine", "check_frame", "get_engine"]
