"""Writing the surface: blocks into a tiled scratch GeoTIFF, then one copy to a Cloud-Optimized GeoTIFF.

GDAL's COG driver only copies a finished dataset, so the blocks go to a scratch file beside the
output first; the copy adds the overviews (mode resampling: a coarse cell shows the verdict most
of its cells have) and the compression.  The scratch file is removed whatever happens.
"""
from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

import rasterio
import rasterio.shutil

from ..crs import MEASURE_CRS
from .codes import verdict_codes

BLOCK_SIZE = 512
BAND_DESCRIPTIONS = ("verdict 结论", "deciding rule 决定规则")
COG_OPTIONS = {"COMPRESS": "DEFLATE", "BLOCKSIZE": str(BLOCK_SIZE), "OVERVIEW_RESAMPLING": "MODE",
               "NUM_THREADS": "ALL_CPUS", "BIGTIFF": "IF_SAFER"}


@contextlib.contextmanager
def scratch_path(beside):
    """A temporary file path in the folder of ``beside``, removed on exit."""
    beside = Path(beside)
    fd, name = tempfile.mkstemp(prefix=f".{beside.name}.", suffix=".scratch.tif", dir=beside.parent)
    os.close(fd)
    try:
        yield name
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.remove(name)


def open_scratch(path, grid, dtype, nodata: int):
    """The tiled, uncompressed two-band GeoTIFF of ``grid`` the blocks are written into."""
    return rasterio.open(path, "w", driver="GTiff", width=grid.width, height=grid.height, count=2, dtype=dtype,
                         crs=MEASURE_CRS, transform=grid.transform, nodata=nodata, tiled=True,
                         blockxsize=BLOCK_SIZE, blockysize=BLOCK_SIZE, BIGTIFF="IF_SAFER")


def describe(dataset, tags: dict) -> None:
    """Tags, band descriptions and band 1's colour table (verdict colours, so any viewer shows them)."""
    dataset.update_tags(**tags)
    for band, description in enumerate(BAND_DESCRIPTIONS, start=1):
        dataset.set_band_description(band, description)
    colours = {code: _rgba(entry["colour"]) for code, entry in verdict_codes().items()}
    dataset.write_colormap(1, {**colours, dataset.nodata: (0, 0, 0, 0)})


def to_cog(scratch, target) -> None:
    """Copy the finished scratch GeoTIFF to a Cloud-Optimized GeoTIFF at ``target``."""
    rasterio.shutil.copy(scratch, target, driver="COG", **COG_OPTIONS)


def _rgba(colour: str) -> tuple[int, int, int, int]:
    return tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5)) + (255,)
