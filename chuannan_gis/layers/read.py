"""Reading a planner's layers as bureaus deliver them.

GeoPackages, File Geodatabase folders (``.gdb``, GDAL's OpenFileGDB driver), shapefiles (GBK
without a ``.cpg`` detected as for proposals: :func:`chuannan_gis.io.shapefile_encoding`), GeoJSON
and FlatGeobuf.  Each function here raises :class:`~chuannan_gis.errors.LayerError` naming file,
layer, feature and field; none modifies its input.  ``layers import`` reads its sources through
:func:`read_vector_layer` too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio

from ..crs import declare_crs, gauss_kruger_mismatch
from ..errors import LayerCRSError, LayerError
from ..files import shapefile_encoding

# Files (and .gdb folders) a constraint layer may come in; a folder of them is matched by stem.
VECTOR_SUFFIXES = (".gpkg", ".gdb", ".shp", ".geojson", ".json", ".fgb")
# Sources holding several layers, matched by layer name.
CONTAINER_SUFFIXES = (".gpkg", ".gdb")
DBF_FIELD_WIDTH = 10  # a DBF field name has at most 10 characters


@dataclass(frozen=True)
class FoundLayer:
    """A layer of a data source, as listed for "no layer named as in the schema"."""

    name: str
    geometry_type: str
    crs: str
    features: int

    def __str__(self) -> str:
        return f"{self.name} ({self.geometry_type}, {self.crs}, {self.features} features)"


def is_container(path) -> bool:
    """Whether ``path`` is a multi-layer source (a GeoPackage file or a ``.gdb`` folder)."""
    path = Path(path)
    return path.suffix.lower() in CONTAINER_SUFFIXES and path.exists()


def list_layer_names(path, *, geometric=False) -> list[str]:
    """The layer names of a data source (a GeoPackage, a ``.gdb`` folder, any OGR source);
    ``geometric``: only the layers with a geometry (not the attribute tables)."""
    try:
        return [
            str(name) for name, geometry_type in pyogrio.list_layers(path) if geometry_type is not None or not geometric
        ]
    except Exception as err:  # pyogrio raises several GDAL error types
        raise LayerError(f"cannot be read as a vector data source: {err}", file=path) from err


def describe_layers(path) -> list[FoundLayer]:
    """Every layer of ``path`` (or every vector file of a folder) with geometry type, CRS and count."""
    path = Path(path)
    sources = (
        [p for p in sorted(path.iterdir()) if p.suffix.lower() in VECTOR_SUFFIXES]
        if path.is_dir() and path.suffix.lower() != ".gdb"
        else [path]
    )
    found = []
    for source in sources:
        try:
            rows = pyogrio.list_layers(source)
        except Exception:  # an unreadable file is listed as such
            found.append(FoundLayer(source.name, "unreadable", "?", 0))
            continue
        for name, geometry_type in rows:
            try:
                info = pyogrio.read_info(source, layer=name)
                crs, count = info.get("crs") or "no CRS", int(info.get("features", -1))
            except Exception:  # pyogrio raises several GDAL error types
                crs, count = "?", -1
            label = name if source == path else f"{source.name}: {name}"
            found.append(FoundLayer(label, str(geometry_type or "no geometry"), str(crs), count))
    return found


def read_vector_layer(
    file, layer=None, *, encoding=None, name=None, fields=(), where=None, crs=None
) -> gpd.GeoDataFrame:
    """One layer of ``file`` as a GeoDataFrame indexed by its fid, as delivered (CRS unchanged).

    ``layer``: the layer of a multi-layer source (None: the first).  ``encoding``: the text
    encoding (None: detected for shapefiles without a ``.cpg``).  ``name`` names the layer in
    errors (default ``layer``).  ``fields``: the schema's field names, to which DBF-truncated names
    are mapped back (:func:`restore_dbf_names`).  ``where``: an OGR SQL filter of the features
    read.  ``crs``: a CRS to declare instead of the file's own (:func:`chuannan_gis.crs.declare_crs`).

    Raises LayerError when the file cannot be read, when its text decodes to mojibake (naming the
    encoding to try) or when its Gauss-Krüger eastings do not fit the declared CRS's zone prefix
    (a :class:`~chuannan_gis.errors.LayerCRSError`, also a CRSError).
    """
    file = Path(file)
    label = name or layer
    encoding = encoding or shapefile_encoding(file)
    try:
        gdf = gpd.read_file(
            file,
            layer=layer,
            fid_as_index=True,
            engine="pyogrio",
            **({"encoding": encoding} if encoding else {}),
            **({"where": where} if where else {}),
        )
    except UnicodeDecodeError as err:
        declared = encoding or "the encoding its .cpg declares"
        raise LayerError(
            f"text cannot be decoded as {declared} ({err.reason} at byte {err.start}): the encoding is "
            "probably GB18030 (GBK): for a shapefile write GB18030 in its .cpg file, or import it with "
            "`chuannan-gis layers import … --encoding gb18030`",
            file=file,
            layer=label,
        ) from err
    except Exception as err:  # pyogrio raises several GDAL error types
        hint = " (check the --where SQL)" if where else ""
        raise LayerError(f"cannot be read{hint}: {err}", file=file, layer=label) from err
    if crs is not None:
        gdf = declare_crs(gdf, crs, file=file, layer=label)
    if fields and _is_dbf(file):
        gdf = restore_dbf_names(gdf, fields)
    problem = mojibake(gdf, encoding)
    if problem is not None:
        fid, column, message = problem
        raise LayerError(message, file=file, layer=label, feature=fid, field=column)
    problem = crs_prefix_problem(gdf)
    if problem is not None:
        raise LayerCRSError(problem, file=file, layer=label, field="geometry")
    return gdf


def _is_dbf(file: Path) -> bool:
    return file.suffix.lower() in (".shp", ".dbf")


def restore_dbf_names(gdf: gpd.GeoDataFrame, fields) -> gpd.GeoDataFrame:
    """``gdf`` with DBF-truncated field names (``river_clas``) renamed to the schema's (``river_class``).

    A name is mapped only where it is unambiguous: exactly one field of ``fields`` truncates to it,
    and the full name is not there already.
    """
    by_truncation: dict[str, list[str]] = {}
    for full in dict.fromkeys(fields):
        if len(full) > DBF_FIELD_WIDTH:
            by_truncation.setdefault(full[:DBF_FIELD_WIDTH].lower(), []).append(full)
    renames = {}
    for column in gdf.columns:
        candidates = by_truncation.get(str(column).lower(), [])
        if len(candidates) == 1 and candidates[0] not in gdf.columns:
            renames[column] = candidates[0]
    return gdf.rename(columns=renames) if renames else gdf


_CPG_NAME = {"gb18030": "GB18030", "utf-8": "UTF-8"}
_GUESS_NAME = {"gb18030": "GB18030 (GBK)", "utf-8": "UTF-8"}
_CJK = re.compile(r"[\u4e00-\u9fff]")
_LATIN1_HIGH = re.compile(r"[\u0080-\u00ff]")


def _mojibake_of(text: str) -> str | None:
    """The encoding ``text`` was really in, when it looks like that encoding decoded wrongly."""
    if "\ufffd" in text:
        return "gb18030"
    if _LATIN1_HIGH.search(text) and not _CJK.search(text):
        try:
            raw = text.encode("latin-1")
        except UnicodeEncodeError:
            return None
        for candidate in ("utf-8", "gb18030"):
            try:
                if _CJK.search(raw.decode(candidate)):
                    return candidate
            except UnicodeDecodeError:
                continue
        return None
    if _CJK.search(text):
        # UTF-8 bytes read as GBK give CJK-looking nonsense that re-encodes to valid UTF-8 Chinese
        try:
            decoded = text.encode("gb18030").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            return None
        if decoded != text and _CJK.search(decoded):
            return "utf-8"
    return None


def mojibake(gdf: pd.DataFrame, encoding=None):
    """``(fid, field, message)`` for the first text field whose values look wrongly decoded, else None.

    A field counts when more than half of its non-ASCII values re-decode to Chinese in another
    encoding (GBK read as Latin-1, UTF-8 read as GBK, or U+FFFD replacement characters).
    """
    for column in gdf.columns:
        if column == getattr(gdf, "_geometry_column_name", "geometry") or not (
            gdf[column].dtype == object or pd.api.types.is_string_dtype(gdf[column].dtype)
        ):
            continue
        values = gdf[column].dropna()
        values = values[values.map(lambda v: isinstance(v, str) and not v.isascii())]
        if values.empty:
            continue
        guesses = values.map(_mojibake_of)
        bad = guesses.dropna()
        if len(bad) * 2 > len(values):
            fid, guess = bad.index[0], bad.iloc[0]
            read_as = f" read as {encoding}" if encoding else ""
            return (
                fid,
                column,
                f"text looks wrongly decoded (乱码){read_as}: {values.loc[fid]!r} and {len(bad) - 1} more of "
                f"{len(values)} non-ASCII values; the encoding is probably {_GUESS_NAME[guess]}: for a shapefile "
                f"write {_CPG_NAME[guess]} in its .cpg file, or import it with `chuannan-gis layers import … "
                f"--encoding {guess}`",
            )
    return None


def crs_prefix_problem(gdf: gpd.GeoDataFrame) -> str | None:
    """A Gauss-Krüger zone-prefix mistake in ``gdf``'s eastings against its declared CRS, else None."""
    if gdf.crs is None or gdf.empty:
        return None
    bounds = gdf.geometry.bounds
    eastings = ((bounds["minx"] + bounds["maxx"]) / 2).to_numpy(dtype=float)
    return gauss_kruger_mismatch(gdf.crs, eastings[np.isfinite(eastings)])


__all__ = [
    "CONTAINER_SUFFIXES",
    "VECTOR_SUFFIXES",
    "FoundLayer",
    "crs_prefix_problem",
    "describe_layers",
    "is_container",
    "list_layer_names",
    "mojibake",
    "read_vector_layer",
    "restore_dbf_names",
]
