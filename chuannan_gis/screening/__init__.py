"""The screening surface: where in the region could a proposal of a given kind and industry go?

:func:`screen` answers for every cell of a grid what :func:`chuannan_gis.check` would say of a
point proposal at the cell's centre, from the same rule catalog: each applicable rule's spatial
condition is rasterized (a Euclidean distance transform for distances), and the verdicts are
combined as the engine combines findings.  It holds no rule of its own.  The surface is computed
in windows that overlap by more than any rule looks (threshold plus accuracy), so memory depends
on the window size, not on the extent.  See ``docs/screening.md``.
"""

from __future__ import annotations

import json
import logging
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .._atomic import atomic_output, temporary_path
from .._version import __version__
from ..layers import ConstraintSet, load_constraints
from ..rules import RuleCatalog, load_rules
from .codes import INDICATIVE_TAG, code_tags, nodata_value, raster_dtype
from .grid import Grid, bbox_bounds, find_county, geometry_bounds
from .output import describe, open_scratch, to_cog
from .plan import plan_rules, proposal_frame, region_centre
from .stats import AREA_DECIMALS, AreaTally
from .style import write_style
from .surface import evaluate_block

logger = logging.getLogger(__name__)

# Core window side in cells: at 30 m about 61 km, a few hundred MB of working arrays at most.
WINDOW_CELLS = 2048


@dataclass
class Screening:
    """What :func:`screen` wrote and found.

    ``areas`` is the table of :meth:`AreaTally.table`; ``rules`` the ids of the rules that shaped
    the surface; ``not_checked`` and ``unexpressed`` the rules that could not (for lack of an
    optional layer, or of a raster form), each with the reason in Chinese and English.
    """

    path: Path
    areas_path: Path
    style_path: Path
    areas: pd.DataFrame
    grid: Grid
    rules: list[str] = field(default_factory=list)
    not_checked: list[dict] = field(default_factory=list)
    unexpressed: list[dict] = field(default_factory=list)


def screen(
    kind,
    industry,
    output,
    *,
    status="new",
    resolution=30.0,
    extent=None,
    constraints=None,
    rules=None,
    window=WINDOW_CELLS,
    progress=None,
) -> Screening:
    """Write the screening surface of a proposal kind and industry as a Cloud-Optimized GeoTIFF.

    Parameters
    ----------
    kind, industry, status : str
        The proposal screened, as in a proposals file (codes or Chinese aliases).
    output : path
        The GeoTIFF to write (EPSG:4544).  The area table goes beside it as ``.csv``, the QGIS
        style as ``.qml`` (QGIS applies a style named like the raster when it opens it).
    resolution : float
        Cell size in metres.
    extent : None, str or sequence of 4 floats
        None: the whole region; a county (Chinese or English name, or adcode): that county, cells
        outside it nodata; ``(xmin, ymin, xmax, ymax)``: a lon/lat box in EPSG:4490.
    constraints : None, path or ConstraintSet
    rules : None, path or RuleCatalog
    window : int
        Core window side in cells; bounds the memory used.
    progress : callable, optional
        Called as ``progress(done, total)`` after each window.

    Returns
    -------
    Screening

    Examples
    --------
    >>> screening = screen("industrial_park", "heavy_chemical", "jiangan.tif", extent="江安县")  # doctest: +SKIP
    >>> screening.areas[["name", "prohibited_km2", "clear_km2"]]  # doctest: +SKIP
    """
    catalog = rules if isinstance(rules, RuleCatalog) else load_rules(rules)
    constraint_set = constraints if isinstance(constraints, ConstraintSet) else load_constraints(constraints)
    proposal = proposal_frame(kind, industry, status, region_centre(constraint_set))
    plan = plan_rules(catalog, constraint_set, proposal)
    for listed in plan.unexpressed:
        logger.warning("rule %s not in the surface: %s", listed["rule_id"], listed["reason_en"])
    grid, county_only = _extent_grid(extent, constraint_set.measured("counties"), resolution)
    output = Path(output)
    dtype = raster_dtype(len(catalog))
    nodata = nodata_value(dtype)
    tags = {**code_tags(catalog, nodata), **_run_tags(proposal.iloc[0], grid, catalog, constraint_set, plan)}
    with atomic_output(output) as target, temporary_path(output, ".scratch.tif") as scratch:
        with open_scratch(scratch, grid, dtype, nodata) as dataset:
            describe(dataset, tags)
            tally = _write_windows(dataset, plan, constraint_set, grid, county_only, window, progress)
        to_cog(scratch, target)
    areas = tally.table(constraint_set.layers["counties"], grid.resolution)
    areas_path = output.with_suffix(".csv")
    with atomic_output(areas_path) as tmp:
        # BOM: Excel reads the Chinese right; rounded: a planner reads km², not float noise
        areas.round(AREA_DECIMALS).to_csv(tmp, index=False, encoding="utf-8-sig")
    return Screening(
        output,
        areas_path,
        write_style(output.with_suffix(".qml")),
        areas,
        grid,
        [r.rule.id for r in plan.rules],
        plan.not_checked,
        plan.unexpressed,
    )


def _write_windows(dataset, plan, constraints, grid, county_only, window, progress) -> AreaTally:
    """Compute the surface window by window into ``dataset``; return the area tally of the cells written.

    Each window is computed with a margin of the farthest any rule looks, plus a cell diagonal.
    """
    margin = math.ceil((plan.reach(constraints) + grid.diagonal) / grid.resolution)
    tally = AreaTally(len(constraints.layers["counties"]))
    windows = list(grid.windows(window))
    for done, core in enumerate(windows, start=1):
        block = evaluate_block(plan, constraints, grid.block(core, margin), with_certainty=True)
        kept = None if county_only is None else block.county == county_only
        tally.add(block.county, block.verdict, kept)
        for band, values in ((1, block.verdict), (2, block.rule), (3, block.certainty)):
            kept_values = values if kept is None else np.where(kept, values, dataset.nodata)
            dataset.write(kept_values.astype(dataset.dtypes[0], copy=False), band, window=core)
        if progress is not None:
            progress(done, len(windows))
    return tally


def _extent_grid(extent, counties, resolution) -> tuple[Grid, int | None]:
    """The grid of ``extent``, and the 1-based county position cells are kept in (None: keep all)."""
    if extent is None:
        return Grid.covering(geometry_bounds(counties.geometry.values), resolution), None
    if isinstance(extent, str):
        position = find_county(counties, extent)
        return Grid.covering(counties.geometry.iloc[position].bounds, resolution), position + 1
    return Grid.covering(bbox_bounds(extent), resolution), None


def _run_tags(proposal, grid, catalog, constraints, plan) -> dict[str, str]:
    """What the surface is of and what made it, as metadata tags (the raster's run_info)."""
    return {
        "CHUANNAN_KIND": proposal["kind"],
        "CHUANNAN_INDUSTRY": proposal["industry"],
        "CHUANNAN_STATUS": proposal["status"],
        "CHUANNAN_RESOLUTION_M": f"{grid.resolution:g}",
        "CHUANNAN_TOOL_VERSION": __version__,
        "CHUANNAN_RULES_SHA256": catalog.sha256,
        "CHUANNAN_CONSTRAINTS_FINGERPRINT": constraints.fingerprint,
        "CHUANNAN_RULES_USED": ",".join(r.rule.id for r in plan.rules),
        "CHUANNAN_NOT_CHECKED": ",".join(r["rule_id"] for r in plan.not_checked),
        "CHUANNAN_UNEXPRESSED": ",".join(r["rule_id"] for r in plan.unexpressed),
        INDICATIVE_TAG: json.dumps(_indicative_sources(plan, constraints)),  # "[]", never empty: GDAL drops ""
        "CHUANNAN_NOTE": (
            "每个像元为其中心点处的点状拟建项目的筛查结论；距阈值不足一个像元对角线的像元可能与矢量检查不同。"
            " Each cell is the verdict of a point proposal at its centre; cells within one cell "
            "diagonal of a threshold may differ from the vector check."
        ),
    }


def _indicative_sources(plan, constraints) -> list[str]:
    """The layers with indicative data that the surface's rules measure (the web map marks it so)."""
    indicative = set(constraints.indicative_layers())
    return sorted({r.source[0] for r in plan.rules if r.source is not None and r.source[0] in indicative})


__all__ = ["WINDOW_CELLS", "Screening", "screen"]
