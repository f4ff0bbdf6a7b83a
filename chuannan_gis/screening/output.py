"""Writing the surface: blocks into a tiled scratch GeoTIFF, then one copy to a Cloud-Optimized GeoTIFF.

GDAL's COG driver only copies a finished dataset, so the blocks go to a scratch file beside the
output first (:func:`chuannan_gis._atomic.temporary_path`); the copy adds the overviews (mode
resampling: a coarse cell shows the verdict most of its cells have) and the compression.  The
scratch file is removed whatever happens.
"""

from __future__ import annotations

import rasterio
import rasterio.shutil
from rasterio.enums import ColorInterp

from ..crs import MEASURE_CRS

BLOCK_SIZE = 512
BAND_DESCRIPTIONS = ("verdict 结论", "deciding rule 决定规则", "certainty 确定性")
COG_OPTIONS = {
    "COMPRESS": "DEFLATE",
    "BLOCKSIZE": str(BLOCK_SIZE),
    "OVERVIEW_RESAMPLING": "MODE",
    "NUM_THREADS": "ALL_CPUS",
    "BIGTIFF": "IF_SAFER",
}


def open_scratch(path, grid, dtype, nodata: int):
    """The tiled, uncompressed GeoTIFF of ``grid`` (one band per BAND_DESCRIPTIONS) the blocks are written into."""
    return rasterio.open(
        path,
        "w",
        driver="GTiff",
        width=grid.width,
        height=grid.height,
        count=len(BAND_DESCRIPTIONS),
        dtype=dtype,
        crs=MEASURE_CRS,
        transform=grid.transform,
        nodata=nodata,
        tiled=True,
        blockxsize=BLOCK_SIZE,
        blockysize=BLOCK_SIZE,
        BIGTIFF="IF_SAFER",
    )


def describe(dataset, tags: dict) -> None:
    """Tags and band descriptions; every band plain values (no alpha, no colour table).

    The verdict colours travel in the tags and the ``.qml`` beside the file, not as a colour table:
    with one on band 1, GDAL's COG driver marks band 2 as alpha, and viewers would hide the cells
    where no rule fired.
    """
    dataset.update_tags(**tags)
    dataset.colorinterp = (ColorInterp.gray,) + (ColorInterp.undefined,) * (len(BAND_DESCRIPTIONS) - 1)
    for band, description in enumerate(BAND_DESCRIPTIONS, start=1):
        dataset.set_band_description(band, description)


def to_cog(scratch, target) -> None:
    """Copy the finished scratch GeoTIFF to a Cloud-Optimized GeoTIFF at ``target``."""
    rasterio.shutil.copy(scratch, target, driver="COG", **COG_OPTIONS)
