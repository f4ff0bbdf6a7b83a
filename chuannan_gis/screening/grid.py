"""The raster grid of a screening surface, its extent, and the overlapping windows it is computed in.

The grid is in EPSG:4544, its origin snapped to whole multiples of the resolution, so surfaces of
one county and of the whole region line up cell for cell.  Windows are computed with a margin
beyond their core, not clipped at the grid's edge: a river just outside the extent still counts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import shapely
from affine import Affine
from pyproj import Transformer
from rasterio.windows import Window

from ..crs import MEASURE_CRS, STORAGE_CRS
from ..errors import InputError


@dataclass(frozen=True)
class Grid:
    """Cells of ``resolution`` m, ``width`` × ``height``, top-left corner at (``xmin``, ``ymax``)."""

    xmin: float
    ymax: float
    resolution: float
    width: int
    height: int

    @classmethod
    def covering(cls, bounds, resolution: float) -> Grid:
        """The snapped grid that covers ``bounds`` (xmin, ymin, xmax, ymax in EPSG:4544)."""
        if not resolution > 0:
            raise InputError(f"分辨率须为正数 resolution must be positive, got {resolution!r}", field="resolution")
        xmin, ymin, xmax, ymax = bounds
        left, top = math.floor(xmin / resolution) * resolution, math.ceil(ymax / resolution) * resolution
        width = max(1, math.ceil((xmax - left) / resolution))
        height = max(1, math.ceil((top - ymin) / resolution))
        return cls(left, top, float(resolution), width, height)

    @property
    def transform(self) -> Affine:
        return Affine(self.resolution, 0.0, self.xmin, 0.0, -self.resolution, self.ymax)

    @property
    def diagonal(self) -> float:
        """One cell's diagonal (m): how far a cell centre may be from what the raster says of it."""
        return self.resolution * math.sqrt(2)

    def windows(self, size: int):
        """The core windows, ``size`` cells square (smaller at the edges), row by row."""
        for row in range(0, self.height, size):
            for col in range(0, self.width, size):
                yield Window(col, row, min(size, self.width - col), min(size, self.height - row))

    def block(self, window: Window, margin: int) -> Block:
        """The array a window is computed on: its core plus ``margin`` cells on every side."""
        return Block(self, window, margin)


@dataclass(frozen=True)
class Block:
    """A window's core with its margin, as an array of its own (which may reach past the grid)."""

    grid: Grid
    core: Window
    margin: int

    @property
    def shape(self) -> tuple[int, int]:
        return int(self.core.height) + 2 * self.margin, int(self.core.width) + 2 * self.margin

    @property
    def transform(self) -> Affine:
        return self.grid.transform @ Affine.translation(
            self.core.col_off - self.margin, self.core.row_off - self.margin
        )

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        height, width = self.shape
        left, top = self.transform @ (0, 0)
        right, bottom = self.transform @ (width, height)
        return left, bottom, right, top

    @property
    def core_shape(self) -> tuple[int, int]:
        return int(self.core.height), int(self.core.width)

    @property
    def core_transform(self) -> Affine:
        return self.grid.transform @ Affine.translation(self.core.col_off, self.core.row_off)

    @property
    def inner(self) -> tuple[slice, slice]:
        """The slices of the block's array that are the core."""
        m = self.margin
        return slice(m, m + int(self.core.height)), slice(m, m + int(self.core.width))


def bbox_bounds(bbox, crs: str = STORAGE_CRS) -> tuple[float, float, float, float]:
    """A (xmin, ymin, xmax, ymax) box in ``crs`` (lon/lat by default) as bounds in EPSG:4544."""
    try:
        xmin, ymin, xmax, ymax = (float(v) for v in bbox)
    except (TypeError, ValueError):
        raise InputError(
            f"范围须为 xmin,ymin,xmax,ymax bbox must be xmin,ymin,xmax,ymax, got {bbox!r}", field="bbox"
        ) from None
    if not (xmin < xmax and ymin < ymax):
        raise InputError(f"范围为空 empty bbox {bbox!r}: need xmin < xmax and ymin < ymax", field="bbox")
    transformer = Transformer.from_crs(crs, MEASURE_CRS, always_xy=True)
    return transformer.transform_bounds(xmin, ymin, xmax, ymax, densify_pts=21)


def find_county(counties, name: str) -> int:
    """Position in ``counties`` of the county named ``name`` (Chinese or English name, or adcode)."""
    text = str(name).strip()
    for column in ("name_zh", "name_en", "adcode"):
        if column in counties.columns:
            hits = np.flatnonzero(counties[column].astype(str).str.strip().to_numpy() == text)
            if len(hits):
                return int(hits[0])
    known = "、".join(counties["name_zh"].astype(str)) if "name_zh" in counties.columns else ""
    raise InputError(f"没有该县区 no county {name!r}; counties: {known}", field="county")


def geometry_bounds(geoms) -> tuple[float, float, float, float]:
    return tuple(shapely.total_bounds(np.asarray(geoms, dtype=object)))
