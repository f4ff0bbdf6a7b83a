"""CAD red lines (DXF) through GDAL's DXF driver: closed polylines are the proposals.

A drawing's closed LWPOLYLINE/POLYLINE is a polygon (GDAL's DXF_CLOSED_LINE_AS_POLYGON), not the
line GDAL reads by default (which would measure a park as 0 m²).  Texts and block references are
no proposals: a text inside a polygon names it.  Open lines (roads, dimension lines, hatching
outlines) are left out, counted in a warning.  The CAD layer is kept as the field ``cad_layer``.

Text encoding: drawings of AutoCAD 2007 and later (``$ACADVER`` AC1021+) store UTF-8 whatever their
``$DWGCODEPAGE`` says; older ones the code page (ANSI_936 = GBK for Chinese drawings).  GDAL
trusts the code page, which garbles the Chinese layer names of a 2013 drawing, so DXF_ENCODING is
set from the version.  A drawing states no CRS: ``--crs`` is required.  ``--layer`` chooses the CAD
layer of the red lines.
"""

from __future__ import annotations

import contextlib
import logging
import re
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

logger = logging.getLogger(__name__)

# AutoCAD versions that write UTF-8 (R2007 = AC1021 and later)
FIRST_UTF8_VERSION = 1021
# $DWGCODEPAGE values of Chinese drawings → the encoding GDAL is told
CODE_PAGES = {"ANSI_936": "CP936", "ANSI_950": "CP950", "ANSI_1252": "CP1252"}
POLYGONS = ("Polygon", "MultiPolygon")
FIELDS = ("Layer", "Text", "EntityHandle")


def read(path: Path, options) -> gpd.GeoDataFrame:
    encoding = options.encoding or drawing_encoding(path)
    settings = {"DXF_CLOSED_LINE_AS_POLYGON": "TRUE", "DXF_INLINE_BLOCKS": "FALSE", "DXF_ENCODING": encoding}
    with gdal_config(settings):
        # only the fields used: GDAL leaves an INSERT's BlockName in the drawing's code page
        # (undecodable as UTF-8) even with DXF_ENCODING set
        fields = [f for f in pyogrio.read_info(path, layer="entities")["fields"] if f in FIELDS]
        entities = gpd.read_file(path, engine="pyogrio", layer="entities", columns=fields)
    labelled = entities["Text"].notna() if "Text" in entities.columns else pd.Series(False, index=entities.index)
    texts = entities[(entities.geometry.geom_type.eq("Point") & labelled).to_numpy()]  # any layer's
    if options.layer is not None:  # --layer: the CAD layer the red lines are drawn on
        layers = sorted(entities["Layer"].dropna().unique()) if "Layer" in entities.columns else []
        if options.layer not in layers:
            from ..errors import InputError

            raise InputError(f"图中没有这个图层 no CAD layer {options.layer!r}; layers: {', '.join(layers)}", file=path)
        entities = entities[entities["Layer"].eq(options.layer).to_numpy()]
    kinds = entities.geometry.geom_type
    polygons = entities[kinds.isin(POLYGONS).to_numpy()].copy()
    left_out = kinds[~kinds.isin(POLYGONS)].value_counts()
    if len(left_out):
        logger.warning(
            "%s: 非闭合实体不作为项目 %s left out: only closed polylines are proposals",
            path,
            ", ".join(f"{count} {kind}" for kind, count in left_out.items()),
        )
    if polygons.empty:
        from ..errors import InputError

        raise InputError(
            "图中没有闭合多段线 the drawing has no closed polyline (a red line must be closed: PEDIT → Close, "
            "or draw it with PLINE … C)",
            file=path,
        )
    polygons["name"] = [_label(polygon, texts) for polygon in polygons.geometry]
    polygons = polygons.rename(columns={"Layer": "cad_layer", "EntityHandle": "cad_handle"})
    keep = ["name", "cad_layer", "cad_handle", "geometry"]
    return gpd.GeoDataFrame(polygons[[c for c in keep if c in polygons.columns]], geometry="geometry", crs=None)


def _label(polygon, texts) -> str | None:
    """The first text inside the polygon (its label in the drawing), else None (named by feature id)."""
    inside = texts[texts.geometry.within(polygon).to_numpy()]
    return str(inside["Text"].iloc[0]).strip() if len(inside) else None


def drawing_encoding(path: Path) -> str | None:
    """The encoding of a DXF's strings from its header ($ACADVER, $DWGCODEPAGE); None: GDAL's guess."""
    with open(path, "rb") as handle:
        head = handle.read(64 * 1024).decode("latin-1")
    version = re.search(r"\$ACADVER\s*\r?\n\s*1\s*\r?\n\s*AC(\d{4})", head)
    if version and int(version.group(1)) >= FIRST_UTF8_VERSION:
        return "UTF-8"
    page = re.search(r"\$DWGCODEPAGE\s*\r?\n\s*3\s*\r?\n\s*(\S+)", head)
    return CODE_PAGES.get(page.group(1).upper()) if page else None


@contextlib.contextmanager
def gdal_config(settings: dict):
    """GDAL configuration options set for one read, then restored (they are process-wide)."""
    before = {key: pyogrio.get_gdal_config_option(key) for key in settings}
    pyogrio.set_gdal_config_options(settings)
    try:
        yield
    finally:
        pyogrio.set_gdal_config_options(before)
