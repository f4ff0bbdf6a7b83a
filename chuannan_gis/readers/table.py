"""Tables of proposals (CSV, Excel, or a pandas DataFrame): a point per row from its coordinate
columns (lon/lat in decimal degrees or 度分秒, or Gauss-Krüger X/Y), or — for a 界址点成果表 — one
polygon from its point rows."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ..crs import STORAGE_CRS, prefixed_zone_crs
from ..errors import InputError, MissingDependencyError
from .angles import parse_angle

LON_COLUMNS = ("lon", "lng", "long", "longitude", "经度", "x")
LAT_COLUMNS = ("lat", "latitude", "纬度", "y")
# A 界址点成果表's columns: the point's name, and X (北坐标, the northing) / Y (东坐标, the easting),
# as Chinese surveyors name the axes.
POINT_NAME_COLUMNS = ("点号", "界址点号", "界址点", "点名", "点位")
NORTH_COLUMNS = ("x", "北坐标", "纵坐标", "x坐标", "北坐标x", "纵坐标x")
EAST_COLUMNS = ("y", "东坐标", "横坐标", "y坐标", "东坐标y", "横坐标y")
# Rows a header may lie below (a workbook's title rows).
HEADER_SEARCH_ROWS = 30
# lon/lat in decimal degrees anywhere in China (a typed-in latitude outside it is a typing error)
CHINA_LON, CHINA_LAT = (73.0, 136.0), (3.0, 54.0)
# Gauss-Krüger northings in China, and eastings without the zone prefix (500 000 ± 400 km)
NORTHINGS = (2.0e6, 6.0e6)
EASTINGS = (1.0e5, 9.0e5)


def read(path: Path, options) -> gpd.GeoDataFrame:
    return frame_of(read_csv_table(path, options.encoding), path, options)


def read_excel(path: Path, options) -> gpd.GeoDataFrame:
    """The first sheet (or ``--layer SHEET``) with coordinate headings, its header found below title rows."""
    table, title = excel_table(path, options.layer)
    return frame_of(table, path, options, title=title or path.stem)


def frame_of(table: pd.DataFrame, label, options, title=None) -> gpd.GeoDataFrame:
    """Points from a table's coordinate columns, or one polygon from a 界址点成果表."""
    if _is_boundary_table(table, options):
        return boundary(table, label, options, title or str(label))
    return points(table, label, options)


def points(table: pd.DataFrame, label, options) -> gpd.GeoDataFrame:
    """The rows of ``table`` as points from its lon/lat (or mapped) columns, EPSG:4490 unless ``--crs``
    or zone-prefixed Gauss-Krüger eastings say otherwise."""
    lon = find_column(table, options.field_map.get("lon"), LON_COLUMNS, "lon", label)
    lat = find_column(table, options.field_map.get("lat"), LAT_COLUMNS, "lat", label)
    xs, ys = (coordinate_column(table, column, label) for column in (lon, lat))
    crs = STORAGE_CRS
    if _surveyors_axes(xs, ys, (lon, lat)):
        xs, ys = ys, xs  # X is the northing (北坐标), Y the easting, as Chinese surveyors write them
    if options.crs is None:
        crs = prefixed_zone_crs(xs) or crs
        if crs == STORAGE_CRS:
            _check_in_china(table, xs, ys, (lon, lat), label)
    geometry = gpd.points_from_xy(xs, ys)
    missing = xs.isna() | ys.isna()
    geometry[missing.to_numpy()] = None  # a row without coordinates is kept: the engine says unknown
    return gpd.GeoDataFrame(table.drop(columns=[lon, lat]), geometry=geometry, crs=crs)


def boundary(table: pd.DataFrame, label, options, title: str) -> gpd.GeoDataFrame:
    """A 界址点成果表 as one polygon: its point rows in order (the side-length rows between them,
    without coordinates, skipped), closed by repeating the first point."""
    north = find_column(table, None, NORTH_COLUMNS, "X", label)
    east = find_column(table, None, EAST_COLUMNS, "Y", label)
    names = table[find_column(table, None, POINT_NAME_COLUMNS, "点号", label)]
    ys, xs = (coordinate_column(table, column, label) for column in (north, east))
    rows = np.flatnonzero((xs.notna() & ys.notna()).to_numpy())
    if len(rows) < 4 or (xs.iloc[rows[0]], ys.iloc[rows[0]]) != (xs.iloc[rows[-1]], ys.iloc[rows[-1]]):
        last = int(rows[-1]) if len(rows) else 0
        what = (
            "圈少于三个点 the boundary has fewer than three points"
            if len(rows) < 4
            else f"圈未闭合 the boundary does not close: its last point {names.iloc[last]} is not its first "
            f"{names.iloc[rows[0]]} (repeat the first point at the end)"
        )
        raise InputError(what, file=label, feature=row_label(table, last), field=east)
    ring = list(zip(xs.iloc[rows], ys.iloc[rows]))
    if len(set(ring)) < 3:
        raise InputError(
            "圈少于三个点 the boundary has fewer than three distinct points",
            file=label,
            feature=row_label(table, int(rows[-1])),
        )
    crs = None if options.crs is not None else prefixed_zone_crs(xs.iloc[rows])
    if crs is None and options.crs is None:
        from ..errors import CRSError

        raise CRSError(
            "坐标无带号 the eastings (Y) carry no zone prefix: pass --crs, e.g. EPSG:4544 (CGCS2000 "
            "Gauss-Krüger CM 105°E) or EPSG:4545 (CM 108°E)",
            file=label,
            field=east,
        )
    name = re.sub(r"\s*界址点(坐标)?成果表\s*", "", title).strip() or str(Path(str(label)).stem)
    return gpd.GeoDataFrame({"name": [name]}, geometry=[shapely.Polygon(ring)], crs=crs)


def _is_boundary_table(table: pd.DataFrame, options) -> bool:
    folded = {fold(c) for c in table.columns}
    has_points = any(fold(c) in folded for c in POINT_NAME_COLUMNS)
    has_lonlat = any(c in folded for c in ("经度", "纬度", "lon", "lat", "longitude", "latitude"))
    return has_points and not has_lonlat and "lon" not in options.field_map


def _surveyors_axes(xs: pd.Series, ys: pd.Series, headings) -> bool:
    """Whether an X/Y pair holds X as the northing: X in the range of China's northings and Y in
    that of eastings (without the prefix, or with it: ≥ 10 000 000)."""
    if not {fold(h) for h in headings} <= {"x", "y", *NORTH_COLUMNS, *EAST_COLUMNS}:
        return False
    x, y = xs.dropna(), ys.dropna()
    if not len(x) or not len(y):
        return False
    northing_x = x.between(*NORTHINGS).all()
    easting_y = (y.between(*EASTINGS) | (y >= 1e7)).all()
    return bool(northing_x and easting_y and not x.between(*EASTINGS).all())


def _check_in_china(table, xs, ys, headings, label) -> None:
    """A typed-in lon/lat outside China names its row and field (a swapped pair, or metres, is left
    to the CRS check, which says what it looks like)."""
    degrees = (xs.abs() <= 180) & (ys.abs() <= 90)
    swapped = ys.between(*CHINA_LON) & xs.between(*CHINA_LAT)
    for values, heading, extent, what in (
        (ys, headings[1], CHINA_LAT, "纬度 latitude"),
        (xs, headings[0], CHINA_LON, "经度 longitude"),
    ):
        outside = degrees & ~swapped & values.notna() & ~values.between(*extent)
        if outside.any():
            row = int(np.flatnonzero(outside.to_numpy())[0])
            raise InputError(
                f"{what} {values.iloc[row]:g} is outside China ({extent[0]:g}°–{extent[1]:g}°)",
                file=label,
                feature=row_label(table, row),
                field=str(heading),
            )


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
    by_folded = {}
    for column in table.columns:
        by_folded.setdefault(fold(column), column)
    found = next((by_folded[fold(c)] for c in candidates if fold(c) in by_folded), None)
    if found is None:
        raise InputError(
            f"缺少坐标列 no {what} column (looked for {', '.join(candidates)}); "
            f"fields: {columns(table)}; map one with --field {what}=<field>",
            file=label,
            field=what,
        )
    return found


def coordinate_column(table: pd.DataFrame, column: str, label) -> pd.Series:
    """A coordinate column as floats: numbers, or angles in 度分秒; an unreadable value names its row."""
    text = table[column]
    values = pd.to_numeric(text, errors="coerce")
    typed = values.isna() & text.notna() & (text.astype(str).str.strip() != "")
    for row in np.flatnonzero(typed.to_numpy()):
        try:
            values.iloc[row] = parse_angle(text.iloc[row])
        except ValueError as err:
            raise InputError(
                f"坐标无法识别 coordinate {text.iloc[row]!r}: {err}",
                file=label,
                feature=row_label(table, int(row)),
                field=str(column),
            ) from None
    return values.astype(float)


def excel_table(path: Path, sheet_name=None) -> tuple[pd.DataFrame, str]:
    """(the table of a workbook's sheet below its title rows, the title rows' text)."""
    try:
        import openpyxl
    except ImportError as err:  # a dependency; missing only in a broken install
        raise MissingDependencyError("reading Excel needs openpyxl: pip install openpyxl") from err
    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        if sheet_name is not None and sheet_name not in workbook.sheetnames:
            raise InputError(
                f"没有这个工作表 no sheet {sheet_name!r}; sheets: {', '.join(workbook.sheetnames)}",
                file=path,
                layer=sheet_name,
            )
        sheets = [workbook[sheet_name]] if sheet_name is not None else workbook.worksheets
        for sheet in sheets:
            rows = [list(row) for row in sheet.iter_rows(values_only=True)]
            header = _header_row(rows)
            if header is not None:
                break
        else:
            looked = ", ".join((*LON_COLUMNS, *LAT_COLUMNS[:-1], *NORTH_COLUMNS[1:3], *EAST_COLUMNS[1:3]))
            raise InputError(
                f"没有坐标列 no sheet has coordinate columns in its first {HEADER_SEARCH_ROWS} rows "
                f"(looked for {looked}); sheets: {', '.join(workbook.sheetnames)}",
                file=path,
                layer=sheet_name,
                field="lon",
            )
    finally:
        workbook.close()
    headings = [_heading(cell, i) for i, cell in enumerate(rows[header])]
    body = [row + [None] * (len(headings) - len(row)) for row in rows[header + 1 :]]
    numbers = [header + 2 + i for i, row in enumerate(body) if any(_filled(c) for c in row)]
    body = [row[: len(headings)] for row in body if any(_filled(c) for c in row)]
    table = pd.DataFrame(body, columns=headings, dtype=object)
    table.attrs["rows"] = numbers  # the sheet's row numbers, for messages
    title = " ".join(str(c).strip() for row in rows[:header] for c in row if _filled(c))
    return table, title


def _header_row(rows) -> int | None:
    coordinate_headings = {fold(c) for c in (*LON_COLUMNS, *LAT_COLUMNS, *NORTH_COLUMNS, *EAST_COLUMNS)}
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        found = {fold(cell) for cell in row if isinstance(cell, str)} & coordinate_headings
        if len(found) >= 2:
            return index
    return None


def _heading(cell, index: int) -> str:
    return str(cell).strip() if _filled(cell) else f"column {index + 1}"


def _filled(cell) -> bool:
    return cell is not None and str(cell).strip() != ""


def fold(heading) -> str:
    """A heading as compared: NFKC (full-width forms), lower case, no spaces, no unit in brackets.

    >>> fold("Ｘ坐标（m）"), fold(" 经度 (°)"), fold("Y(米)")
    ('x坐标', '经度', 'y')
    """
    text = unicodedata.normalize("NFKC", str(heading)).strip().lower()
    return re.sub(r"\s+|\(.*?\)|\[.*?\]", "", text)


def row_label(table: pd.DataFrame, row: int) -> str:
    """'row 3 (泸州化工园)': the 1-based data row (a sheet's own row number), and the name if any."""
    name = next(
        (table[c].iloc[row] for c in ("name", "名称", "项目名称", *POINT_NAME_COLUMNS) if c in table.columns), None
    )
    named = name is not None and not pd.isna(name) and str(name).strip()
    numbers = table.attrs.get("rows")
    number = numbers[row] if numbers else row + 1
    return f"row {number}" + (f" ({str(name).strip()})" if named else "")


def columns(frame: pd.DataFrame) -> str:
    return ", ".join(str(c) for c in frame.columns if c != "geometry") or "(none)"
