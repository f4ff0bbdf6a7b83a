"""Tables of proposals (CSV, or a pandas DataFrame): one point per row from its coordinate columns."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from ..crs import STORAGE_CRS
from ..errors import InputError

LON_COLUMNS = ("lon", "lng", "long", "longitude", "经度", "x")
LAT_COLUMNS = ("lat", "latitude", "纬度", "y")


def read(path: Path, options) -> gpd.GeoDataFrame:
    return points(read_csv_table(path, options.encoding), path, options)


def points(table: pd.DataFrame, label, options) -> gpd.GeoDataFrame:
    """The rows of ``table`` as points from its lon/lat (or mapped) columns, EPSG:4490 unless ``--crs``."""
    lon = find_column(table, options.field_map.get("lon"), LON_COLUMNS, "lon", label)
    lat = find_column(table, options.field_map.get("lat"), LAT_COLUMNS, "lat", label)
    xs, ys = (numeric_column(table, column, label) for column in (lon, lat))
    geometry = gpd.points_from_xy(xs, ys)
    missing = xs.isna() | ys.isna()
    geometry[missing.to_numpy()] = None  # a row without coordinates is kept: the engine says unknown
    # a table's coordinates are lon/lat in CGCS2000 unless the planner declares otherwise
    return gpd.GeoDataFrame(table.drop(columns=[lon, lat]), geometry=geometry, crs=STORAGE_CRS)


def read_csv_table(path: Path, encoding) -> pd.DataFrame:
    sep = "\t" if path.suffix.lower() == ".tsv" else ","
    for candidate in [encoding] if encoding else ["utf-8-sig", "gb18030"]:
        try:
            table = pd.read_csv(path, sep=sep, encoding=candidate)
        except UnicodeDecodeError:
            continue
        if not isinstance(table.index, pd.RangeIndex):
            # pandas takes the surplus leading fields of rows longer than the header for an index
            raise InputError(
                f"行的字段多于表头 the rows have more fields than the header ({len(table.columns)} headings); "
                "a value with a comma must be quoted",
                file=path,
                feature="row 1",
            )
        return table
    raise InputError("编码无法识别 text encoding not recognised (tried UTF-8 and GBK); pass --encoding", file=path)


def find_column(table: pd.DataFrame, mapped, candidates, what: str, label) -> str:
    if mapped is not None:
        if mapped not in table.columns:
            raise InputError(
                f"映射的字段不存在 mapped field {mapped!r} not found; fields: {columns(table)}", file=label, field=what
            )
        return mapped
    by_folded = {str(c).strip().lower(): c for c in table.columns}
    found = next((by_folded[c] for c in candidates if c in by_folded), None)
    if found is None:
        raise InputError(
            f"缺少坐标列 no {what} column (looked for {', '.join(candidates)}); "
            f"fields: {columns(table)}; map one with --field {what}=<field>",
            file=label,
            field=what,
        )
    return found


def numeric_column(table: pd.DataFrame, column: str, label) -> pd.Series:
    text = table[column]
    values = pd.to_numeric(text, errors="coerce")
    bad = values.isna() & text.notna() & (text.astype(str).str.strip() != "")
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(
            f"坐标不是数字 coordinate {text.iloc[row]!r} is not a number",
            file=label,
            feature=row_label(table, row),
            field=column,
        )
    return values


def row_label(table: pd.DataFrame, row: int) -> str:
    """'row 3 (泸州化工园)': the 1-based data row, and the name where a name column has one."""
    name = next((table[c].iloc[row] for c in ("name", "名称", "项目名称") if c in table.columns), None)
    named = name is not None and not pd.isna(name) and str(name).strip()
    return f"row {row + 1}" + (f" ({str(name).strip()})" if named else "")


def columns(frame: pd.DataFrame) -> str:
    return ", ".join(str(c) for c in frame.columns if c != "geometry") or "(none)"
