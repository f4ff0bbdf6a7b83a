"""Reading proposals: every input a planner hands in goes through here, is checked, and comes
out normalised (EPSG:4490, vocabulary codes, ``proposal_id``), never modified on disk.

Nothing is written here: outputs are written atomically by their writers through
:func:`chuannan_gis._atomic.atomic_output` (re-exported here for them), and the file utilities
shared with the constraint-layer reader (hashing, shapefile encodings, blank values) are in
:mod:`chuannan_gis.files`.
"""

from __future__ import annotations

import functools
import logging
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely

from . import readers
from ._atomic import atomic_output  # noqa: F401 -- re-exported: the writers' one helper
from .crs import (
    MEASURE_CRS_ZONE_PREFIX,
    REGION_BBOX_LONLAT,
    STORAGE_CRS,
    WGS84,
    convert_datum,
    declare_crs,
    normalise_datum,
)
from .datums import to_cgcs2000
from .errors import CRSError, InputError

# file utilities, re-exported here where they were first defined (proposal reading uses them too)
from .files import blank_values, file_sha256, hash_files, is_blank, shapefile_encoding  # noqa: F401
from .labels import term_label
from .readers import table as table_reader
from .result import PROPOSAL_COLUMNS
from .vocabulary import DEFAULT_STATUS, FIELDS, OPTIONAL_FIELDS, vocabularies

logger = logging.getLogger(__name__)


# ---------------------------------------------------------------------------------------------
# Reading proposals
# ---------------------------------------------------------------------------------------------
REQUIRED_FIELDS = ("name", "kind", "industry")
SCHEMA_FIELDS = (*REQUIRED_FIELDS, "status", *OPTIONAL_FIELDS)
# Rows a warning lists by number before it only counts the rest.
MAX_LISTED_ROWS = 20
# Column headings planners use for the schema fields, tried when a field is not mapped explicitly.
FIELD_ALIASES = {
    "name": ("name", "名称", "项目名称", "园区名称"),
    "kind": ("kind", "类型", "类别"),
    "industry": ("industry", "行业", "产业"),
    "status": ("status", "状态", "建设性质"),
    "key_project": ("key_project", "重大项目", "国家重大项目", "重点项目", "项目级别"),
    "purpose": ("purpose", "目的", "建设目的", "改建目的"),
}
FRAME_LABEL = "<GeoDataFrame>"
TABLE_LABEL = "<DataFrame>"
# How far (degrees, ≈ 100 km) a feature may lie outside 川南经济区's box before its coordinates are
# taken for a CRS mistake rather than a proposal near the border.
REGION_MARGIN_DEG = 1.0


def read_proposals(
    source,
    *,
    layer=None,
    field_map=None,
    input_datum=None,
    crs=None,
    encoding=None,
    constants=None,
    datum_shift=None,
):
    """Read proposals from a file or a GeoDataFrame into a new GeoDataFrame in EPSG:4490.

    Parameters
    ----------
    source : path, GeoDataFrame or DataFrame
        A file of a form in :data:`chuannan_gis.readers.FORMS` (anything GDAL/OGR reads —
        GeoPackage, shapefile, GeoJSON …; a CSV with lon/lat columns ``lon``/``lng``/``longitude``/
        ``经度``, ``lat``/``latitude``/``纬度``), a GeoDataFrame, or a table (a sheet read by
        pandas) with such columns.
    layer : str, optional
        Layer of a multi-layer source.
    field_map : dict, optional
        Schema field → input field name, e.g. ``{"kind": "类型"}``; ``lon``/``lat`` name a CSV's
        coordinate columns.
    input_datum : {None, "wgs84", "cgcs2000", "gcj02", "bd09"}
        Web-map datum of lon/lat coordinates copied from 高德/腾讯 (GCJ-02) or 百度 (BD-09) maps.
    crs : str, optional
        CRS of the input: declares it where the file has none (a CSV is EPSG:4490 by default),
        and overrides a wrong one.
    encoding : str, optional
        Text encoding; detected when not given (GBK shapefiles without .cpg, GBK CSVs).
    constants : dict, optional
        Field → value every feature gets where it has none (the column missing, or the value
        blank), e.g. ``{"kind": "industrial_park", "industry": "chemical"}`` for a drawing or a
        coordinate file that states neither; ``--constant kind=industrial_park`` in the CLI.
    datum_shift : str, optional
        The bureau's parameters from an older datum (Xian 1980, Beijing 1954) to CGCS2000, which
        PROJ reaches only by a "ballpark" zero shift (refused without them):
        ``position_vector:dx,dy,dz,rx,ry,rz,ds``, ``coordinate_frame:…`` or
        ``planar:dx,dy,rotation,scale`` (see :mod:`chuannan_gis.datums`).

    Returns
    -------
    GeoDataFrame
        Columns ``name``, ``kind``, ``industry``, ``status`` as vocabulary codes, ``key_project``
        (``national`` or empty), ``proposal_id``
        (0..n-1) and the other input fields (one clashing with a Result column kept as
        ``input_<name>``); ``attrs["source"]`` and ``attrs["sha256"]`` say what was read.
        Invalid and null geometries are kept as they are: the engine reports them as unknown.

    Raises
    ------
    InputError
        Unreadable source, missing field or a value outside the vocabulary (naming file,
        feature and field).
    CRSError
        No CRS, or coordinates impossible in the declared CRS.

    Examples
    --------
    >>> gdf = read_proposals("parks.csv", field_map={"kind": "类型"})  # doctest: +SKIP
    """
    datum = normalise_datum(input_datum)
    # a chunk of a bigger file (chuannan_gis.stream) numbers its features after the rows before it
    first_row = int(source.attrs.get(FIRST_ROW, 0)) if isinstance(source, gpd.GeoDataFrame) else 0
    frame, label, digest = _read_source(source, layer=layer, crs=crs, encoding=encoding, field_map=field_map or {})
    # what the readers' libraries raise is mapped there; an odd frame that trips pandas or shapely
    # here is mapped the same way, naming the source
    with readers.reading(label, "proposals"):
        _refuse_duplicate_columns(frame, label)
        frame = _apply_field_map(_without_own_ids(frame), field_map or {}, label)
        frame = _with_constants(frame, constants or {})
        frame.attrs[FIRST_ROW] = first_row
        check_coordinates(frame, label)
        frame = _to_storage(frame, datum, label, datum_shift)
        frame.attrs[FIRST_ROW] = first_row
        frame = _normalise_values(frame, label)
    frame.attrs = {"source": label, "sha256": digest}
    return frame


def parse_assignments(values, separator: str | None = None) -> dict:
    """``FIELD=VALUE`` items as a dict: the syntax of ``--constant`` (and of the QGIS check's
    ``CONSTANTS``, one string split at ``separator``, e.g. ``kind=industrial_park;industry=chemical``).

    >>> parse_assignments("kind=industrial_park; industry=化工", separator=";")
    {'kind': 'industrial_park', 'industry': '化工'}
    """
    if isinstance(values, str):
        values = values.split(separator) if separator else [values]
    mapping = {}
    for value in values:
        if not str(value).strip():
            continue
        key, sep, item = str(value).partition("=")
        if not sep or not key.strip():
            raise InputError(f"expected NAME=VALUE, got {value!r}", field="constants")
        mapping[key.strip()] = item.strip()
    return mapping


def _read_source(source, *, layer, crs, encoding, field_map):
    """The raw frame, a label for messages and the input's hash."""
    if isinstance(source, gpd.GeoDataFrame):
        frame = source.copy()
        if frame.geometry.name != "geometry":
            frame = frame.rename_geometry("geometry")
        # a frame this function returned keeps naming the file it came from
        label, digest = source.attrs.get("source", FRAME_LABEL), source.attrs.get("sha256")
        return _declare_crs(frame, crs, label), label, digest
    options = readers.ReadOptions(layer=layer, crs=crs, encoding=encoding, field_map=field_map)
    if isinstance(source, pd.DataFrame):  # a table without geometry (an Excel sheet read by pandas)
        label = source.attrs.get("source", TABLE_LABEL)
        with readers.reading(label, "table"):
            return _declare_crs(table_reader.points(source, label, options), crs, label), label, None
    path = Path(source)
    frame = readers.read_file(path, options)
    return _declare_crs(frame, crs, path), str(path), file_sha256(path)


def _refuse_duplicate_columns(frame: pd.DataFrame, label) -> None:
    duplicated = frame.columns[frame.columns.duplicated()]
    if len(duplicated):
        raise InputError(
            f"字段重名 the field {duplicated[0]!r} appears more than once; rename one of them",
            file=label,
            field=str(duplicated[0]),
        )


def _declare_crs(frame: gpd.GeoDataFrame, crs, label) -> gpd.GeoDataFrame:
    return declare_crs(
        frame,
        crs,
        file=label,
        missing=(
            "没有坐标系 has no CRS; declare it in the file (e.g. a .prj) or pass --crs EPSG:4490 (lon/lat), "
            "EPSG:4544 (Gauss-Krüger CM 105°E) or EPSG:4523 (the same with zone prefix 35)"
        ),
    )


def _without_own_ids(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Drop a proposal_id that numbers the rows 0..n-1: this function's own, so reading its
    output again changes nothing (any other proposal_id is the planner's, kept as input_proposal_id)."""
    ids = frame.get("proposal_id")
    if ids is not None and pd.api.types.is_integer_dtype(ids) and np.array_equal(ids.to_numpy(), np.arange(len(frame))):
        return frame.drop(columns="proposal_id")
    return frame


def _apply_field_map(frame: gpd.GeoDataFrame, field_map: dict, label) -> gpd.GeoDataFrame:
    """Rename input fields to the schema's; move clashing input fields aside as input_<name>."""
    unknown = set(field_map) - set(SCHEMA_FIELDS) - {"lon", "lat"}
    if unknown:
        raise InputError(
            f"未知的字段映射 cannot map {', '.join(sorted(unknown))}; mappable fields: "
            f"{', '.join((*SCHEMA_FIELDS, 'lon', 'lat'))}",
            file=label,
        )
    renames = {}
    for field_name in SCHEMA_FIELDS:
        source_column = field_map.get(field_name)
        if source_column is not None and source_column not in frame.columns:
            raise InputError(
                f"映射的字段不存在 mapped field {source_column!r} not found; fields: {_columns(frame)}",
                file=label,
                field=field_name,
            )
        source_column = source_column or _aliased_column(frame, field_name)
        if source_column is not None and source_column != field_name:
            renames[source_column] = field_name
    # an input field named like a column the Result adds is kept as input_<name>
    taken = set(renames.values()) | set(PROPOSAL_COLUMNS)
    aside = {c: f"input_{c}" for c in frame.columns if c in taken and c not in renames and c != "geometry"}
    # (the frame is the reader's own copy: with nothing to rename it is returned as it is)
    return frame.rename(columns={**aside, **renames}) if aside or renames else frame


def _with_constants(frame: gpd.GeoDataFrame, constants: dict) -> gpd.GeoDataFrame:
    """``frame`` with each constant's field set where it is missing or blank (the file's values kept)."""
    frame = frame.copy() if constants else frame
    for field_name, value in constants.items():
        if field_name not in frame.columns:
            frame[field_name] = value
        else:
            frame[field_name] = frame[field_name].astype(object).where(~blank_values(frame[field_name]), value)
    return frame


def _aliased_column(frame: pd.DataFrame, field_name: str):
    """The input column holding ``field_name`` under a common heading (any case), else None."""
    if field_name in frame.columns:
        return field_name
    by_folded = {str(c).strip().lower(): c for c in frame.columns}
    return next((by_folded[a] for a in FIELD_ALIASES[field_name] if a in by_folded), None)


def check_coordinates(frame: gpd.GeoDataFrame, label) -> None:
    """Raise CRSError when a feature cannot lie in or near 川南经济区 in the frame's declared CRS,
    InputError when a coordinate is not a finite number (NaN, infinite: GEOS cannot measure it)."""
    geometries = np.asarray(frame.geometry.values)
    coordinates, owner = shapely.get_coordinates(geometries, return_index=True)
    not_finite = owner[~np.isfinite(coordinates).all(axis=1)]
    if not_finite.size:
        raise InputError(
            "坐标不是有限数 a coordinate is NaN or infinite; fix or delete the vertex",
            file=label,
            feature=_feature_label(frame, int(not_finite[0])),
            field="geometry",
        )
    bounds = shapely.bounds(geometries)
    present = np.isfinite(bounds).all(axis=1)
    if not present.any():
        return
    centres = np.column_stack([(bounds[:, 0] + bounds[:, 2]) / 2, (bounds[:, 1] + bounds[:, 3]) / 2])
    lon, lat = _lonlat(centres, frame.crs)
    wrong = np.flatnonzero(present & ~_near_region(lon, lat))
    if wrong.size:
        row = int(wrong[0])
        x, y = centres[row]
        raise CRSError(
            f"坐标不可能在川南经济区 coordinates ({x:.6g}, {y:.6g}) cannot lie in or near "
            f"川南经济区 in the declared CRS {frame.crs.to_string()}: {_diagnose(x, y, frame.crs)}",
            file=label,
            feature=_feature_label(frame, row),
            field="geometry",
        )


def _near_region(lon, lat):
    """Whether lon/lat (scalars or arrays) lie in 川南经济区's box widened by REGION_MARGIN_DEG."""
    minx, miny, maxx, maxy = REGION_BBOX_LONLAT
    margin = REGION_MARGIN_DEG
    return (lon >= minx - margin) & (lon <= maxx + margin) & (lat >= miny - margin) & (lat <= maxy + margin)


def _lonlat(xy: np.ndarray, crs) -> tuple[np.ndarray, np.ndarray]:
    transformer = _to_lonlat(crs)
    with np.errstate(all="ignore"):
        lon, lat = transformer.transform(xy[:, 0], xy[:, 1], errcheck=False)
    return np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)


@functools.lru_cache(maxsize=16)  # a click-to-check asks for the canvas's CRS on every click
def _to_lonlat(crs) -> pyproj.Transformer:
    """The transformer from ``crs`` to EPSG:4490 lon/lat (pyproj's are thread-safe since 3.1)."""
    return pyproj.Transformer.from_crs(crs, STORAGE_CRS, always_xy=True)


def _diagnose(x: float, y: float, crs) -> str:
    """What is probably wrong with coordinate (x, y) declared in ``crs``."""
    if _near_region(y, x):
        return "looks like swapped lon/lat (纬度、经度颠倒); put longitude first"
    if 1.0e7 <= x < 1.0e8:
        zone = int(x // 1e6)
        hint = MEASURE_CRS_ZONE_PREFIX if zone == 35 else f"the CGCS2000 Gauss-Krüger CRS of zone {zone}"
        return f"eastings carry the Gauss-Krüger zone prefix {zone} (带号); declare --crs {hint}"
    degrees = abs(x) <= 180 and abs(y) <= 90
    if crs.is_geographic and not degrees:
        return "looks like projected metres (投影坐标) declared as lon/lat; declare the projected CRS with --crs"
    if crs.is_projected and degrees:
        return "looks like lon/lat degrees (经纬度) declared as a projected CRS; declare --crs EPSG:4490"
    return "wrong CRS, or the data are not in 川南经济区 (坐标系错误或不在川南经济区)"


def _to_storage(frame: gpd.GeoDataFrame, datum: str, label, datum_shift=None) -> gpd.GeoDataFrame:
    """Undo a web-map datum shift, or an older datum's with the bureau's parameters (a datum PROJ
    reaches only by a ballpark shift is refused), then reproject to EPSG:4490."""
    frame = to_cgcs2000(frame, datum_shift, label)
    if datum != WGS84:
        if not frame.crs.is_geographic:
            raise CRSError(
                f"{datum} coordinates are lon/lat, but the input is in the projected CRS "
                f"{frame.crs.to_string()} (GCJ-02/BD-09 坐标应为经纬度)",
                file=label,
            )
        frame = frame.set_geometry(convert_datum(frame.geometry, datum, WGS84))
    if not frame.crs.equals(STORAGE_CRS):
        frame = frame.to_crs(STORAGE_CRS)
    return frame


def _normalise_values(frame: gpd.GeoDataFrame, label) -> gpd.GeoDataFrame:
    """Schema fields as vocabulary codes, proposal_id as row number; errors name the feature."""
    frame = frame.reset_index(drop=True)
    if not len(frame):
        logger.warning("%s: 没有要素 the input has no features: nothing to check", label)
    for field_name in REQUIRED_FIELDS:
        if not len(frame) and field_name not in frame.columns:
            frame[field_name] = pd.Series(dtype=object)  # no features, no fields: an empty GeoJSON
        if field_name not in frame.columns and field_name != "name":
            raise InputError(
                f"缺少必填字段 required field is missing; fields: {_columns(frame)}; map one with "
                f"--field {field_name}=<field>; allowed values: {_allowed(field_name)}",
                file=label,
                field=field_name,
            )
    names = _named(frame, label)
    codes = {}
    for field_name in (*FIELDS, *OPTIONAL_FIELDS):
        # Absent is blank: a new proposal (status), not a key project (the optional fields, whose
        # columns are always there, empty then)
        values = frame[field_name] if field_name in frame.columns else pd.Series("", index=frame.index, dtype=object)
        codes[field_name] = _codes(
            values,
            field_name,
            label,
            frame,
            optional=field_name in OPTIONAL_FIELDS,
            default=DEFAULT_STATUS if field_name == "status" else None,
        )
    # the normalised frame built at once: a GeoDataFrame's column assignments cost more than the
    # values they assign for the one site of a click-to-check
    leading = {"proposal_id": np.arange(len(frame), dtype="int64"), "name": names}
    leading.update((field_name, codes[field_name]) for field_name in SCHEMA_FIELDS[1:])
    rest = {column: frame[column] for column in frame.columns if column not in leading}
    return gpd.GeoDataFrame({**leading, **rest}, geometry=frame.geometry.name, crs=frame.crs)


# GeoDataFrame.attrs key: how many rows of the file come before this frame (a chunk's offset)
FIRST_ROW = "first_row"


def feature_name(row: int) -> str:
    """The name of a feature that has none: its feature id, the 1-based row number (a GeoPackage's
    fid as GDAL writes it), in both languages.

    >>> feature_name(16)
    '要素 17 / feature 17'
    """
    return f"要素 {row + 1} / feature {row + 1}"


def _named(frame: pd.DataFrame, label) -> pd.Series:
    """Names, stripped; a feature with an empty name, or every feature of a source with no name
    field (a 三调 parcel extract), is named by its feature id, with a warning naming the rows:
    real data have such features, and refusing the whole run for them helps no one."""
    first = int(frame.attrs.get(FIRST_ROW, 0))
    if "name" not in frame.columns:
        logger.warning(
            "%s: 无名称字段，%d 个要素均以要素编号命名 no name field: all %d feature(s) are named "
            "by their feature id (map one with --field name=<field>)",
            label,
            len(frame),
            len(frame),
        )
        return pd.Series(
            [feature_name(first + row) for row in range(len(frame))], index=frame.index, dtype=object
        ).astype(str)
    given, blank = frame["name"].to_numpy(dtype=object), blank_values(frame["name"])
    names = np.array([None if empty else str(name).strip() for name, empty in zip(given, blank)], dtype=object)
    if blank.any():
        rows = np.flatnonzero(blank)
        listed = ", ".join(str(first + row + 1) for row in rows[:MAX_LISTED_ROWS])
        more = f" …(+{len(rows) - MAX_LISTED_ROWS})" if len(rows) > MAX_LISTED_ROWS else ""
        logger.warning(
            "%s: %d 个要素名称为空，以要素编号命名 %d feature(s) with an empty name, named by their "
            "feature id: row(s) %s%s",
            label,
            len(rows),
            len(rows),
            listed,
            more,
        )
        names[blank] = [feature_name(first + row) for row in rows]
    return pd.Series(names, index=frame.index, dtype=str)


def _codes(values: pd.Series, field_name: str, label, frame, optional: bool = False, default=None) -> pd.Series:
    """A field's values (a column of ``frame``) as vocabulary codes; blanks are an error, or take
    ``default``, or stay "" when ``optional``."""
    vocab = vocabularies()[field_name]
    # decided once per distinct value (a few, whatever the number of features), spread to the rows
    position, distinct = pd.factorize(values.to_numpy(dtype=object))
    distinct_blank = np.array([*(is_blank(value) for value in distinct), True], dtype=bool)  # [-1]: missing
    found = np.array(
        [*(None if blank else vocab.normalise(value) for value, blank in zip(distinct, distinct_blank)), None],
        dtype=object,
    )
    if default is not None:
        found[distinct_blank] = vocab.normalise(default)
        distinct_blank[:] = False
    blank = distinct_blank[position]
    unknown = ~blank & pd.isna(found[position])
    bad = unknown if optional else blank | unknown
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        what = "值为空 is empty" if blank[row] else f"未知的值 value {_plain(values.iloc[row])!r} is not allowed"
        allowed = _allowed(field_name) + ("; or empty 或留空" if optional else "")
        raise InputError(
            f"{what}; allowed values: {allowed}", file=label, feature=_feature_label(frame, row), field=field_name
        )
    return pd.Series(np.where(blank, "", found[position]), index=values.index, dtype=str)


def _plain(value):
    """A numpy scalar as the Python value it holds (so a message shows 3, not np.int64(3))."""
    return value.item() if isinstance(value, np.generic) else value


def _allowed(field_name: str) -> str:
    return ", ".join(f"{code} ({term_label(field_name, code, 'zh')})" for code in vocabularies()[field_name].terms)


def _feature_label(frame: pd.DataFrame, row: int) -> str:
    """'row 3 (泸州化工园)': the 1-based row number, as a planner counts them, and the name if any."""
    name = frame["name"].iloc[row] if "name" in frame.columns else None
    blank = name is None or pd.isna(name) or not str(name).strip()
    return f"row {int(frame.attrs.get(FIRST_ROW, 0)) + row + 1}" + ("" if blank else f" ({str(name).strip()})")


def _columns(frame: pd.DataFrame) -> str:
    return ", ".join(str(c) for c in frame.columns if c != "geometry") or "(none)"
