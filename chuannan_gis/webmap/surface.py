"""A screening surface (``chuannan-gis screen``) as a semi-transparent image layer of the web map.

The raster is read with rasterio (through its overviews when it is large), warped by nearest
neighbour to Web Mercator (EPSG:3857, the map's own projection, so Leaflet's image overlay
stretches it exactly between its two corners) with at most :data:`MAX_PIXELS` on the long side,
coloured from the verdict code table in the file's tags with the colours of ``verdicts.py``
(outside the region and nodata transparent), and embedded as a paletted PNG ``data:`` URI: no
external file, nothing requested.  On a GCJ-02 basemap the image's two corners are shifted like
every overlay vertex; the image between them is stretched linearly (docs/webmap.md says how far
that is from a cell-by-cell shift).
"""

from __future__ import annotations

import base64
import json
import math
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import shapely

from ..crs import WGS84, convert_datum
from ..errors import InputError
from ..screening.codes import INDICATIVE_TAG, OUTSIDE_REGION, VERDICT_TAG, read_code_tables
from ..verdicts import VERDICTS

MAX_PIXELS = 1500  # long side of the embedded image
OPACITY = 0.6
WEB_MERCATOR = "EPSG:3857"
LONLAT = "EPSG:4326"  # CGCS2000 = WGS84 to centimetres here, as for every overlay
TRANSPARENT = 0  # palette index of outside-region, nodata and unknown codes


@dataclass(frozen=True)
class SurfaceImage:
    """The image of a surface and what the legend says of it."""

    path: Path
    png: bytes
    bounds: list[list[float]]  # [[south, west], [north, east]] in the basemap's datum
    tags: dict
    resolution_m: float  # cell size of the raster
    display_m: float  # ground size of an image pixel (≥ the cell size)
    size: tuple[int, int]  # image width, height
    codes: dict[int, dict]  # band-1 code → its entry of the tag table
    palette: list[tuple[int, int, int, int]]  # index → RGBA

    @property
    def data_uri(self) -> str:
        return "data:image/png;base64," + base64.b64encode(self.png).decode("ascii")


def read_surface(path, datum: str = WGS84, max_pixels: int = MAX_PIXELS) -> SurfaceImage:
    """The web-map image of the screening raster at ``path``, its corners in ``datum``.

    Raises :class:`~chuannan_gis.errors.InputError` naming the file when it cannot be read or
    is not a screening surface (no verdict code table in its tags).
    """
    import rasterio
    from rasterio.errors import RasterioError

    path = Path(path)
    try:
        with rasterio.open(path) as dataset:
            tags = dataset.tags()
            codes = _verdict_codes(tags, path)
            nodata = dataset.nodata
            if dataset.crs is None:
                raise InputError("筛查栅格没有坐标系 the screening raster has no CRS", file=path)
            resolution = float(abs(dataset.transform.a))
            band, src_transform = _read_band(dataset, max_pixels)
            src_crs = dataset.crs
            src_bounds = dataset.bounds
    except RasterioError as err:
        raise InputError(f"无法读取筛查栅格 cannot read the screening raster: {err}", file=path) from err
    warped, transform = _warp(band, src_transform, src_crs, src_bounds, nodata, max_pixels)
    palette, lookup = _palette(codes, nodata, band.dtype)
    indices = lookup[warped]
    height, width = indices.shape
    west, north = transform.c, transform.f  # a north-up grid: no rotation terms
    east, south = west + transform.a * width, north + transform.e * height
    corners = _to_lonlat([(west, south), (east, north)])
    shifted = shapely.get_coordinates(convert_datum(shapely.points(corners), WGS84, datum))
    (w, s), (e, n) = np.round(shifted, 6)
    mid_lat = math.radians((s + n) / 2)
    display = max(resolution, abs(transform.a) * math.cos(mid_lat))
    return SurfaceImage(
        path,
        _png(indices, palette),
        [[float(s), float(w)], [float(n), float(e)]],
        tags,
        resolution,
        display,
        (width, height),
        codes,
        palette,
    )


def _verdict_codes(tags: dict, path: Path) -> dict[int, dict]:
    """Band 1's code table from the tags; an InputError naming the file when it is not there."""
    if VERDICT_TAG not in tags:
        raise InputError(
            f"不是 chuannan-gis screen 生成的筛查栅格：缺少结论编码表标签 {VERDICT_TAG} / not a "
            f"screening surface written by `chuannan-gis screen`: its tags hold no verdict code "
            f"table ({VERDICT_TAG})",
            file=path,
        )
    try:
        table, _rules = read_code_tables(tags)  # the one parser of the screening raster's code tags
        unknown = {entry["verdict"] for entry in table.values()} - set(VERDICTS)
    except (ValueError, TypeError, KeyError, AttributeError) as err:
        raise InputError(
            f"筛查栅格的结论编码表无法解析 the verdict code table ({VERDICT_TAG}) of the screening "
            f"raster cannot be read: {err}",
            file=path,
        ) from err
    if unknown:
        raise InputError(
            f"筛查栅格的编码表含未知结论 the code table names unknown verdicts: {sorted(unknown)}", file=path
        )
    return table


def _read_band(dataset, max_pixels: int):
    """Band 1, read through the overviews at about twice the image size when the raster is larger."""
    from rasterio.enums import Resampling
    from rasterio.transform import from_origin

    factor = max(dataset.width, dataset.height) / (2 * max_pixels)
    if factor <= 1:
        return dataset.read(1), dataset.transform
    shape = (max(1, round(dataset.height / factor)), max(1, round(dataset.width / factor)))
    band = dataset.read(1, out_shape=shape, resampling=Resampling.nearest)
    t = dataset.transform
    return band, from_origin(t.c, t.f, t.a * dataset.width / shape[1], -t.e * dataset.height / shape[0])


def _warp(band, src_transform, src_crs, src_bounds, nodata, max_pixels: int):
    """``band`` warped to Web Mercator (nearest), at most ``max_pixels`` on the long side."""
    from rasterio.enums import Resampling
    from rasterio.warp import calculate_default_transform, reproject

    height, width = band.shape
    _, natural_w, natural_h = calculate_default_transform(src_crs, WEB_MERCATOR, width, height, *src_bounds)
    scale = max(natural_w, natural_h) / max_pixels
    if scale > 1:
        natural_w, natural_h = (min(max_pixels, max(1, round(side / scale))) for side in (natural_w, natural_h))
    transform, width, height = calculate_default_transform(
        src_crs, WEB_MERCATOR, width, height, *src_bounds, dst_width=natural_w, dst_height=natural_h
    )
    fill = nodata if nodata is not None else np.iinfo(band.dtype).max
    warped = np.full((height, width), fill, dtype=band.dtype)
    reproject(
        band,
        warped,
        src_transform=src_transform,
        src_crs=src_crs,
        src_nodata=fill,
        dst_transform=transform,
        dst_crs=WEB_MERCATOR,
        dst_nodata=fill,
        resampling=Resampling.nearest,
    )
    return warped, transform


def _to_lonlat(xy) -> list[tuple[float, float]]:
    from pyproj import Transformer

    to_lonlat = Transformer.from_crs(WEB_MERCATOR, LONLAT, always_xy=True)
    return [to_lonlat.transform(x, y) for x, y in xy]


def _palette(codes: dict[int, dict], nodata, dtype) -> tuple[list, np.ndarray]:
    """The PNG palette (index 0 transparent, then one colour per verdict code) and the code → index lookup.

    Colours come from ``verdicts.py`` through each code's verdict; the code meaning "outside the
    region" (flagged in the table, else the code of ``screening.codes``) and nodata stay clear.
    """
    lookup = np.full(np.iinfo(dtype).max + 1, TRANSPARENT, dtype=np.uint8)
    palette = [(0, 0, 0, 0)]
    for code, entry in sorted(codes.items()):
        if _outside(code, entry) or code == nodata or not 0 <= code < len(lookup):
            continue
        lookup[code] = len(palette)
        palette.append((*_rgb(VERDICTS[entry["verdict"]].colour), 255))
    return palette, lookup


def _outside(code: int, entry: dict) -> bool:
    return bool(entry.get("outside_region", code == OUTSIDE_REGION))


def _rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4))


def _png(indices: np.ndarray, palette: list) -> bytes:
    """A paletted (8-bit) PNG with a tRNS chunk: a few verdict colours compress to little."""
    height, width = indices.shape
    raw = np.zeros((height, width + 1), dtype=np.uint8)  # filter type 0 at the start of each row
    raw[:, 1:] = indices

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return b"".join(
        (
            b"\x89PNG\r\n\x1a\n",
            chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 3, 0, 0, 0)),
            chunk(b"PLTE", bytes(v for rgba in palette for v in rgba[:3])),
            chunk(b"tRNS", bytes(rgba[3] for rgba in palette)),
            chunk(b"IDAT", zlib.compress(raw.tobytes(), 9)),
            chunk(b"IEND", b""),
        )
    )


def indicative_layers(tags: dict, constraint_set) -> tuple[list[str], bool]:
    """The indicative layers the surface rests on, and whether the file said so itself.

    A surface written by this version lists them in its tags; for an older file the constraint
    set drawn stands in (every indicative layer it has), which errs towards marking it.
    """
    try:
        listed = json.loads(tags[INDICATIVE_TAG])
    except (KeyError, ValueError):
        listed = None
    if isinstance(listed, list):
        return [str(layer) for layer in listed], True
    return list(constraint_set.indicative_layers()), False
