"""用地坐标 TXT (报盘格式): the coordinate file every 用地预审/报批 application carries; read and written.

A ``[属性描述]`` block of ``key=value`` lines (坐标系, 几度分带, 带号, 计量单位 …), then ``[地块坐标]``:
each parcel opens with ``界址点数,地块面积(公顷),地块编号,地块名称,图形属性,图幅号,地块用途,地类编码,@``
and lists its points as ``J<n>,<圈号>,<北坐标 X>,<东坐标 Y>`` — 圈号 1 the outer ring, 2, 3 … its
holes, each ring closed by repeating its first point.  Y carries the zone prefix (35 505 500 is
zone 35); the CRS is CGCS2000 Gauss-Krüger, EPSG = 4488 + 带号 for 3-degree zones and 4478 + 带号
for 6-degree ones.  One proposal per parcel, named by its 地块名称.
"""

from __future__ import annotations

import datetime
import logging
import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

from ..crs import STORAGE_CRS, gauss_kruger_epsg
from ..errors import CRSError, InputError

logger = logging.getLogger(__name__)

ATTRIBUTES = "[属性描述]"
COORDINATES = "[地块坐标]"
# The parcel fields of a parcel's opening line, in order (the name becomes the proposal's name).
PARCEL_FIELDS = ("界址点数", "地块面积", "地块编号", "name", "图形属性", "图幅号", "地块用途", "地类编码")
# How far the stated 地块面积 may differ from the polygon's area before a warning.
AREA_TOLERANCE = 0.01
# Datums of the 坐标系 line read as CGCS2000; others are refused (their shift must be stated).
CGCS2000_NAMES = ("2000国家大地坐标系", "CGCS2000", "CGCS 2000", "国家2000", "2000")
HECTARE = 10_000.0
# The 属性描述 this module writes; a file it wrote reads back to the same text.
WRITTEN_HEADER = (
    ("格式版本号", "1.01版本"),
    ("数据产生单位", "chuannan-gis"),
    ("数据产生日期", None),
    ("坐标系", "2000国家大地坐标系"),
    ("几度分带", None),
    ("投影类型", "高斯克吕格"),
    ("计量单位", "米"),
    ("带号", None),
    ("精度", "0.0001"),
    ("转换参数", ",,,,,,"),
)


def sniff(head: str) -> bool:
    """Whether the first lines of a .txt are a 用地坐标 file (rather than a CSV)."""
    return ATTRIBUTES in head or COORDINATES in head


def read(path: Path, options) -> gpd.GeoDataFrame:
    text = decode(path.read_bytes(), options.encoding, path)
    header, parcels = _sections(text, path)
    zone, width = _zone(header, parcels, path)
    rows, geometries = [], []
    for opening, points in parcels:
        rows.append(dict(zip(PARCEL_FIELDS, opening)))
        geometries.append(_polygon(points, rows[-1], path))
    frame = gpd.GeoDataFrame(rows, geometry=geometries, crs=_crs(zone, width, parcels, path, options.crs))
    for column in ("界址点数",):
        frame[column] = frame[column].astype(int)
    frame["地块面积"] = frame["地块面积"].astype(float)
    _compare_areas(frame, path)
    return frame


def decode(data: bytes, encoding, path) -> str:
    """The text of a Chinese text file: ``encoding``, else UTF-8 (with or without BOM), else GBK."""
    for candidate in [encoding] if encoding else ["utf-8-sig", "gb18030"]:
        try:
            return data.decode(candidate)
        except UnicodeDecodeError:
            continue
    raise InputError("编码无法识别 text encoding not recognised (tried UTF-8 and GBK); pass --encoding", file=path)


def _sections(text: str, path):
    """(header {key: value}, [(opening fields, [(line number, point name, 圈号, x, y)])])."""
    header, parcels, section = {}, [], None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("["):
            section = line
            continue
        if section == ATTRIBUTES:
            key, _, value = line.partition("=")
            header[key.strip()] = value.strip()
        elif section == COORDINATES:
            fields = [f.strip() for f in line.split(",")]
            if fields[-1] == "@":
                if len(fields) < 5:
                    raise InputError(
                        f"地块行不完整 a parcel line needs {','.join(PARCEL_FIELDS)},@; got {line!r}",
                        file=path,
                        feature=f"line {number}",
                    )
                parcels.append((_opening(fields[:-1], number, path), []))
            elif not parcels:
                raise InputError(
                    f"界址点前缺少地块行 a point before any parcel line: {line!r}", file=path, feature=f"line {number}"
                )
            else:
                parcels[-1][1].append(_point(fields, number, parcels[-1][0], path))
    if COORDINATES not in text:
        raise InputError(f"缺少 {COORDINATES} the file has no {COORDINATES} section", file=path)
    if not parcels:
        raise InputError(f"没有地块 {COORDINATES} lists no parcel", file=path)
    return header, parcels


def _opening(fields, number, path) -> list:
    fields = (fields + [""] * len(PARCEL_FIELDS))[: len(PARCEL_FIELDS)]
    for field_name, value in zip(PARCEL_FIELDS[:2], fields[:2]):
        try:
            float(value)
        except ValueError:
            raise InputError(
                f"不是数字 {value!r} is not a number", file=path, feature=f"line {number}", field=field_name
            ) from None
    fields[3] = fields[3] or fields[2] or f"地块 {number}"
    return fields


def _point(fields, number, opening, path):
    where = f"parcel {opening[3]}, line {number}"
    if len(fields) < 4:
        raise InputError(
            f"界址点行应为 J<n>,<圈号>,<X>,<Y> a point line needs 4 fields; got {','.join(fields)!r}",
            file=path,
            feature=where,
        )
    name, ring, x, y = fields[:4]
    where = f"parcel {opening[3]}, point {name} (line {number})"
    try:
        ring = int(ring)
    except ValueError:
        raise InputError(
            f"圈号不是整数 {ring!r} is not a ring number", file=path, feature=where, field="圈号"
        ) from None
    values = []
    for field_name, value in (("X", x), ("Y", y)):
        try:
            values.append(float(value))
        except ValueError:
            raise InputError(
                f"坐标不是数字 {value!r} is not a number", file=path, feature=where, field=field_name
            ) from None
    return number, name, ring, values[0], values[1]


def _zone(header: dict, parcels, path) -> tuple[int | None, int]:
    """(带号, zone width): from the header, checked against the eastings' prefix."""
    datum = header.get("坐标系", "")
    if datum and not any(name in datum for name in CGCS2000_NAMES):
        raise CRSError(
            f"坐标系 {datum!r} 不是2000国家大地坐标系 the file is not in CGCS2000; only CGCS2000 "
            "coordinate files are read: convert it with the bureau's parameters first",
            file=path,
            field="坐标系",
        )
    width_text = header.get("几度分带", "3").strip() or "3"
    if width_text not in ("3", "6"):
        raise InputError(f"几度分带 {width_text!r}: expected 3 or 6", file=path, field="几度分带")
    width = int(width_text)
    eastings = np.array([point[4] for _, points in parcels for point in points])
    prefixes = set((eastings[eastings >= 1e7] // 1e6).astype(int).tolist())
    stated = header.get("带号", "").strip()
    if stated and not stated.isdigit():
        raise InputError(f"带号 {stated!r} is not a zone number", file=path, field="带号")
    if len(prefixes) > 1:
        raise CRSError(
            f"东坐标带号不一致 the eastings carry several zone prefixes: {sorted(prefixes)}", file=path, field="Y"
        )
    prefix = next(iter(prefixes), None)
    if stated and prefix is not None and int(stated) != prefix:
        raise CRSError(
            f"带号不一致 the header says 带号={stated}, but the eastings carry the prefix {prefix} "
            f"(e.g. {eastings[0]:.0f}); correct one of them",
            file=path,
            field="带号",
        )
    zone = int(stated) if stated else prefix
    if prefix is not None and (eastings < 1e7).any():
        raise CRSError(
            "东坐标部分带带号、部分不带 some eastings carry the zone prefix, others not", file=path, field="Y"
        )
    return zone, width


def _crs(zone, width, parcels, path, declared):
    if declared is not None:
        return None  # --crs says it (read_proposals declares it)
    if zone is None:
        raise CRSError(
            "无带号 neither the header (带号=) nor the eastings' prefix says the zone: add 带号= or pass "
            "--crs (e.g. EPSG:4544 for CM 105°E without the prefix)",
            file=path,
            field="带号",
        )
    prefixed = parcels[0][1][0][4] >= 1e7
    cm = 3 * zone if width == 3 else 6 * zone - 3
    code = gauss_kruger_epsg(width, cm, prefixed)
    if code is None:
        raise CRSError(f"带号 {zone} is no CGCS2000 {width}-degree zone of China", file=path, field="带号")
    return f"EPSG:{code}"


def _polygon(points, parcel: dict, path) -> shapely.Polygon:
    """The parcel's polygon: ring 1 the shell, 2, 3 … holes; each ring closed, ≥ 3 distinct points."""
    rings: dict[int, list] = {}
    for point in points:
        rings.setdefault(point[2], []).append(point)
    name = parcel["name"]
    if not rings:
        raise InputError("地块没有界址点 the parcel lists no point", file=path, feature=f"parcel {name}")
    numbers = sorted(rings)
    if numbers != list(range(1, len(numbers) + 1)):
        missing = sorted(set(range(1, numbers[-1] + 1)) - set(numbers))
        raise InputError(
            f"圈号不连续 ring numbers {numbers}: ring {missing[0] if missing else 1} is missing",
            file=path,
            feature=f"parcel {name}",
            field="圈号",
        )
    coordinates = []
    for number in numbers:
        ring = rings[number]
        first, last = ring[0], ring[-1]
        where = f"parcel {name}, ring {number}, point {last[1]} (line {last[0]})"
        if (first[3], first[4]) != (last[3], last[4]):
            raise InputError(
                f"圈未闭合 the ring does not close: its last point ({last[3]}, {last[4]}) is not its first "
                f"{first[1]} ({first[3]}, {first[4]})",
                file=path,
                feature=where,
                field="圈号",
            )
        if len({(p[3], p[4]) for p in ring}) < 3:
            raise InputError(
                "圈少于三个点 the ring has fewer than three points", file=path, feature=where, field="圈号"
            )
        coordinates.append([(p[4], p[3]) for p in ring])  # X is the northing: (east, north) = (Y, X)
    count = int(float(parcel["界址点数"]))
    if count != len(points):
        logger.warning("%s: parcel %s: 界址点数=%d, but %d points are listed", path, name, count, len(points))
    return shapely.Polygon(coordinates[0], coordinates[1:])


def _compare_areas(frame: gpd.GeoDataFrame, path) -> None:
    measured = frame.geometry.area / HECTARE
    stated = frame["地块面积"]
    off = (stated > 0) & ((measured - stated).abs() > AREA_TOLERANCE * stated)
    for row in np.flatnonzero(off.to_numpy()):
        logger.warning(
            "%s: parcel %s: 地块面积 %.4f 公顷 differs from the polygon's %.4f 公顷 by %.1f %% (over 1 %%)",
            path,
            frame["name"].iloc[row],
            stated.iloc[row],
            measured.iloc[row],
            100 * abs(measured.iloc[row] - stated.iloc[row]) / stated.iloc[row],
        )


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------
def zone_of(longitude: float, width: int = 3) -> int:
    """The Gauss-Krüger zone of a longitude: 3-degree zones centred on multiples of 3°, 6-degree ones
    on 6n − 3.

    >>> zone_of(105.4), zone_of(105.4, 6), zone_of(103.6)
    (35, 18, 35)
    """
    return round(longitude / 3) if width == 3 else int(longitude // 6) + 1


def text(proposals: gpd.GeoDataFrame, *, width: int = 3, date=None, label=None) -> str:
    """The 用地坐标 TXT of ``proposals`` (polygons; a multipolygon's parts become parcels of one name).

    Coordinates in the zone of the proposals' centre, with the zone prefix, to 0.1 mm; areas in 公顷.
    """
    if width not in (3, 6):
        raise InputError(f"zone width {width}: expected 3 or 6", field="几度分带")
    lonlat = proposals.to_crs(STORAGE_CRS)
    if not len(lonlat):
        raise InputError("没有地块 there is no proposal to write", file=label)
    centre = shapely.union_all(lonlat.geometry.envelope.values).centroid
    zone = zone_of(centre.x, width)
    cm = 3 * zone if width == 3 else 6 * zone - 3
    planar = lonlat.to_crs(gauss_kruger_epsg(width, cm, True))
    date = date or datetime.date.today().isoformat()
    values = {"数据产生日期": date, "几度分带": str(width), "带号": str(zone)}
    lines = [ATTRIBUTES, *(f"{key}={values.get(key, value)}" for key, value in WRITTEN_HEADER), COORDINATES]
    for row, geometry in enumerate(planar.geometry):
        name = _cell(planar, "name", row) or f"地块 {row + 1}"
        parts = _polygons(geometry, name, label)
        for index, part in enumerate(parts, start=1):
            number = _cell(planar, "地块编号", row) or str(row + 1)
            if len(parts) > 1:
                number = f"{number}-{index}"
            lines.extend(_parcel_lines(part, number, name, planar, row))
    return "\n".join(lines) + "\n"


def _polygons(geometry, name, label) -> list:
    if geometry is None or geometry.is_empty or geometry.geom_type not in ("Polygon", "MultiPolygon"):
        kind = "empty" if geometry is None or geometry.is_empty else geometry.geom_type
        raise InputError(
            f"只能写出面 only polygons are written to a 用地坐标 file; this proposal is {kind}",
            file=label,
            feature=name,
        )
    return list(shapely.get_parts(geometry))  # the planner's point order kept


def _parcel_lines(polygon, number, name, frame, row) -> list[str]:
    rings = [polygon.exterior, *polygon.interiors]
    points = sum(len(ring.coords) for ring in rings)
    opening = [
        str(points),
        f"{polygon.area / HECTARE:.4f}",
        number,
        name,
        _cell(frame, "图形属性", row) or "面",
        _cell(frame, "图幅号", row),
        _cell(frame, "地块用途", row),
        _cell(frame, "地类编码", row),
        "@",
    ]
    lines, number = [",".join(opening)], 0
    for ring_number, ring in enumerate(rings, start=1):
        coordinates = list(ring.coords)
        first = number + 1
        for index, (east, north) in enumerate(coordinates):
            closing = index == len(coordinates) - 1  # it repeats the ring's first point, and its name
            number += not closing
            lines.append(f"J{first if closing else number},{ring_number},{north:.4f},{east:.4f}")
    return lines


def _cell(frame, column, row) -> str:
    if column not in frame.columns:
        return ""
    value = frame[column].iloc[row]
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    return re.sub(r"[,\r\n@]", " ", str(value)).strip()


def write(proposals: gpd.GeoDataFrame, path, *, width: int = 3, encoding: str = "gbk", date=None, label=None) -> Path:
    """Write ``proposals`` as a 用地坐标 TXT at ``path`` (atomically; GBK as the 报批 system reads)."""
    from .._atomic import atomic_output

    content = text(proposals, width=width, date=date, label=label).replace("\n", "\r\n").encode(encoding)
    with atomic_output(path) as target:
        Path(target).write_bytes(content)
    return Path(path)
