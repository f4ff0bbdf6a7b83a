"""The hardening corpus: malformed inputs of every kind through `chuannan-gis check`.

Each case writes its input into a folder of its own and runs the command in-process (click's
CliRunner; a few in a real process at the end).  A case expects either a clear error — exit 2, one
line naming the file (and the field where there is one), no traceback — or the right verdicts
against the synthetic constraint set of conftest.py.  Every case also checks that the input folder
is byte-identical afterwards.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from click.testing import CliRunner

import chuannan_gis.inputs
import chuannan_gis.layers
from chuannan_gis import load_rules
from chuannan_gis.cli import main
from chuannan_gis.crs import MEASURE_CRS
from chuannan_gis.result import Result
from conftest import KM, box_km

# Places of the synthetic set (EPSG:4544): a reserve's core zone, free ground, the Yangtze's bank.
CORE = box_km(505.5, 3170.5, 506.5, 3171.5)
FREE = box_km(559, 3209, 560, 3210)
FREE_POINT = shapely.Point(559.5 * KM, 3209.5 * KM)
BANK = box_km(500.2, 3209, 500.4, 3209.2)  # 200 m from the Yangtze: chemicals prohibited, liquor clear
CHEMICAL = {"名称": "化工园", "类型": "化工园区", "行业": "化工"}
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64)

CASES: dict = {}


def case(name, expect, *args):
    """Register ``builder(folder) -> input path`` as corpus case ``name``.

    ``expect``: a list of verdicts, or an error's text (the message must also name the file).
    """

    def register(builder):
        CASES[name] = (builder, expect, args)
        return builder

    return register


def frame(geometries, crs=MEASURE_CRS, **fields):
    rows = {key: [value] * len(geometries) for key, value in {**CHEMICAL, **fields}.items()}
    return gpd.GeoDataFrame(rows, geometry=list(geometries), crs=crs)


def lonlat(geometry):
    return gpd.GeoSeries([geometry], crs=MEASURE_CRS).to_crs(4490).iloc[0]


def write(folder, name, data: bytes | str, encoding="utf-8") -> Path:
    path = folder / name
    path.write_bytes(data.encode(encoding) if isinstance(data, str) else data)
    return path


def gpkg(folder, gdf, name="in.gpkg", **options) -> Path:
    path = folder / name
    gdf.to_file(path, **options)
    return path


def geojson_text(features, crs_name=None) -> str:
    collection = {"type": "FeatureCollection", "features": features}
    if crs_name:
        collection["crs"] = {"type": "name", "properties": {"name": crs_name}}
    return json.dumps(collection, ensure_ascii=False)


def feature(geometry, **properties):
    return {"type": "Feature", "properties": {**CHEMICAL, **properties}, "geometry": geometry}


def csv_row(geometry, **fields) -> str:
    point = lonlat(geometry.centroid)
    row = {**CHEMICAL, **fields}
    return f"{row['名称']},{row['类型']},{row['行业']},{point.x:.7f},{point.y:.7f}\n"


CSV_HEADER = "名称,类型,行业,经度,纬度\n"


# ---------------------------------------------------------------------------------------------
# Files: empty, garbage, truncated, renamed, not a layer
# ---------------------------------------------------------------------------------------------
for suffix in (".gpkg", ".csv", ".geojson", ".shp", ".fgb", ".kml"):
    case(f"zero-byte {suffix}", "the file is empty")(lambda folder, s=suffix: write(folder, f"in{s}", b""))
case("PNG renamed .gpkg", "not a file of any form")(lambda folder: write(folder, "in.gpkg", PNG))
case("PNG renamed .geojson", "not a file of any form")(lambda folder: write(folder, "in.geojson", PNG))
case("PNG renamed .fgb", "not a file of any form")(lambda folder: write(folder, "in.fgb", PNG))
case("text renamed .gpkg", "not a file of any form")(lambda folder: write(folder, "in.gpkg", "名称,类型\n甲,园区\n"))
case("zip renamed .gpkg", "not a file of any form")(
    lambda folder: write(folder, "in.gpkg", b"PK\x05\x06" + bytes(18))  # an empty zip archive
)
case("garbage .geojson", "not a file of any form")(lambda folder: write(folder, "in.geojson", "{这不是 JSON"))
case("binary garbage .csv", "encoding not recognised")(lambda folder: write(folder, "in.csv", bytes(range(256)) * 8))
case("empty sqlite as .gpkg", "cannot be read")(
    lambda folder: write(folder, "in.gpkg", b"SQLite format 3\x00" + bytes(84))
)
case("ragged CSV rows", "more fields than the header")(
    lambda folder: write(folder, "in.csv", CSV_HEADER + "甲,化工园区,化工,105.4,28.9,多,余,列\n")
)
case("damaged Excel workbook", "cannot be read as Excel")(
    lambda folder: write(folder, "清单.xlsx", b"PK\x03\x04" + bytes(40))
)
case("Excel 97 workbook", "save it as .xlsx")(lambda folder: write(folder, "清单.xls", b"\xd0\xcf\x11\xe0" + bytes(60)))
case("DWG drawing", "ODA File Converter")(lambda folder: write(folder, "红线.dwg", b"AC1032" + bytes(40)))


@case("truncated GeoPackage", "cannot be read")
def _truncated_gpkg(folder):
    path = gpkg(folder, frame([CORE] * 50))
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])
    return path


@case("truncated GeoJSON", "cannot be read")
def _truncated_geojson(folder):
    text = geojson_text([feature(shapely.geometry.mapping(lonlat(CORE)))])
    return write(folder, "in.geojson", text[: len(text) // 2])


@case("shapefile without .shx and .dbf", "cannot be read")
def _lone_shp(folder):
    frame([lonlat(CORE)], crs=4490).to_file(folder / "in.shp")
    for sidecar in (".shx", ".dbf"):
        (folder / f"in{sidecar}").unlink()
    return folder / "in.shp"


@case("layer that does not exist", "cannot be read", "--layer", "没有")
def _missing_layer(folder):
    return gpkg(folder, frame([CORE]), layer="parks")


@case("attribute table without geometry", "no geometry column")
def _attribute_table(folder):
    path = folder / "in.gpkg"
    pd.DataFrame(CHEMICAL, index=[0]).pipe(gpd.GeoDataFrame).to_file(path, layer="清单", driver="GPKG")
    return path


@case("empty layer", [])
def _empty_layer(folder):
    return gpkg(folder, frame([CORE]).iloc[:0])


@case("empty FeatureCollection", [])
def _empty_collection(folder):
    return write(folder, "in.geojson", geojson_text([]))


@case("CSV with only a header", [])
def _header_only(folder):
    return write(folder, "in.csv", CSV_HEADER)


# ---------------------------------------------------------------------------------------------
# Geometries
# ---------------------------------------------------------------------------------------------
GEOMETRY_CASES = {
    "null geometry": (None, "unknown"),
    "empty polygon": (shapely.Polygon(), "unknown"),
    "self-intersecting bowtie in a core zone": (
        shapely.Polygon(
            [(505.5 * KM, 3170.5 * KM), (506.5 * KM, 3171.5 * KM), (506.5 * KM, 3170.5 * KM), (505.5 * KM, 3171.5 * KM)]
        ),
        "prohibited",
    ),
    "3D polygon in a core zone": (shapely.force_3d(CORE, 312.5), "prohibited"),
    "3D polygon on free ground": (shapely.force_3d(FREE, 400.0), "clear"),
    "point on free ground": (FREE_POINT, "clear"),
    "line across a core zone": (shapely.LineString([(505.2 * KM, 3170.2 * KM), (506 * KM, 3171 * KM)]), "prohibited"),
    "multipolygon, one part in a core zone": (shapely.MultiPolygon([FREE, CORE]), "prohibited"),
    "geometry collection": (shapely.GeometryCollection([FREE_POINT, CORE]), "prohibited"),
    "polygon with a hole around the core zone": (
        shapely.Polygon(
            box_km(504, 3169, 508, 3173).exterior.coords, [box_km(504.5, 3169.5, 507.5, 3172.5).exterior.coords]
        ),
        "clear",
    ),
    "sliver of 1 mm² on free ground": (box_km(559, 3209, 559.000001, 3209.000001), "clear"),
    "chemicals 200 m from the Yangtze": (BANK, "prohibited"),
}
for label, (geometry, verdict) in GEOMETRY_CASES.items():
    case(label, [verdict])(lambda folder, g=geometry: gpkg(folder, frame([g])))


@case("mixed geometry types in one GeoJSON", ["prohibited", "clear", "prohibited"])
def _mixed(folder):
    shapes = [CORE, FREE_POINT, shapely.LineString([(505.2 * KM, 3170.2 * KM), (506 * KM, 3171 * KM)])]
    return write(folder, "in.geojson", geojson_text([feature(shapely.geometry.mapping(lonlat(s))) for s in shapes]))


@case("GeoJSON feature without geometry", ["unknown"])
def _no_geometry(folder):
    return write(folder, "in.geojson", geojson_text([feature(None)]))


@case("GeoJSON ring that does not close", "cannot be read")
def _open_ring(folder):
    ring = list(lonlat(CORE).exterior.coords)[:-1]
    geometry = {"type": "Polygon", "coordinates": [[list(p) for p in ring[:2]]]}
    return write(folder, "in.geojson", geojson_text([feature(geometry)]))


@case("NaN coordinate", "NaN or infinite")
def _nan(folder):
    broken = shapely.Polygon([(505.5 * KM, 3170.5 * KM), (np.nan, 3171.5 * KM), (506.5 * KM, 3170.5 * KM)])
    return gpkg(folder, frame([broken]))


@case("infinite coordinate", "NaN or infinite")
def _infinite(folder):
    return gpkg(folder, frame([shapely.Point(np.inf, 3171.5 * KM)]))


# ---------------------------------------------------------------------------------------------
# CRSs and coordinates
# ---------------------------------------------------------------------------------------------
case("huge coordinates", "cannot lie in or near")(lambda folder: gpkg(folder, frame([box_km(1e12, 1e12, 2e12, 2e12)])))
case("coordinates of Beijing", "cannot lie in or near")(
    lambda folder: gpkg(folder, frame([shapely.Point(116.4, 39.9).buffer(0.01)], crs=4490))
)
case("lat/lon swapped in a CSV", "swapped lon/lat")(
    lambda folder: write(folder, "in.csv", CSV_HEADER + "化工园,化工园区,化工,28.9,105.4\n")
)
case("metres in a CSV read as lon/lat", "projected metres")(
    lambda folder: write(folder, "in.csv", CSV_HEADER + "化工园,化工园区,化工,505500,3170500\n")
)
case("zone prefix under EPSG:4544", "zone prefix 35", "--crs", "EPSG:4544")(
    lambda folder: write(folder, "in.csv", CSV_HEADER + "化工园,化工园区,化工,35505500,3170500\n")
)
case("lon/lat declared as EPSG:4544", "lon/lat degrees", "--crs", "EPSG:4544")(
    lambda folder: write(folder, "in.csv", CSV_HEADER + "化工园,化工园区,化工,105.05,28.65\n")
)
case("zone prefix declared right (EPSG:4523)", ["prohibited"], "--crs", "EPSG:4523")(
    lambda folder: write(folder, "in.csv", CSV_HEADER + "化工园,化工园区,化工,35506000,3171000\n")
)
case("unknown --crs", "not recognised", "--crs", "EPSG:999999")(
    lambda folder: write(folder, "in.csv", CSV_HEADER + csv_row(CORE))
)
case("GCJ-02 on projected coordinates", "projected CRS", "--input-datum", "gcj02")(
    lambda folder: gpkg(folder, frame([CORE]))
)


@case("shapefile without .prj", "has no CRS")
def _no_prj(folder):
    frame([CORE]).to_file(folder / "in.shp", encoding="utf-8")
    (folder / "in.prj").unlink()
    return folder / "in.shp"


@case("shapefile with a garbage .prj", "has no CRS")
def _garbage_prj(folder):
    frame([CORE]).to_file(folder / "in.shp", encoding="utf-8")
    (folder / "in.prj").write_text("这不是坐标系 not a CRS", encoding="utf-8")
    return folder / "in.shp"


@case("GeoJSON in metres without a crs member", "projected metres")
def _geojson_metres(folder):
    return write(folder, "in.geojson", geojson_text([feature(shapely.geometry.mapping(CORE))]))


@case("GeoJSON declaring EPSG:4544", ["prohibited"])
def _geojson_4544(folder):
    text = geojson_text([feature(shapely.geometry.mapping(CORE))], "urn:ogc:def:crs:EPSG::4544")
    return write(folder, "in.geojson", text)


@case("web mercator GeoPackage", ["prohibited"])
def _mercator(folder):
    return gpkg(folder, frame([CORE]).to_crs(3857))


# ---------------------------------------------------------------------------------------------
# Fields and values
# ---------------------------------------------------------------------------------------------
case("missing kind field", "field kind")(lambda folder: gpkg(folder, frame([CORE]).drop(columns="类型")))
case("unknown kind value", "value '化学园' is not allowed")(lambda folder: gpkg(folder, frame([CORE], 类型="化学园")))
case("blank industry", "is empty")(lambda folder: gpkg(folder, frame([CORE], 行业="  ")))
case("unknown status", "field status")(lambda folder: gpkg(folder, frame([CORE], 状态="拆除")))
case("bad key_project", "field key_project")(lambda folder: gpkg(folder, frame([CORE], 重大项目="也许")))
case("numeric kind codes", "value 3 is not allowed")(lambda folder: gpkg(folder, frame([CORE], 类型=3)))
case("coordinate that is not a number", "北纬二十八")(
    lambda folder: write(folder, "in.csv", CSV_HEADER + "化工园,化工园区,化工,105.4,北纬二十八\n")
)
case("no coordinate columns", "no lon column")(
    lambda folder: write(folder, "in.csv", "名称,类型,行业\n甲,化工园区,化工\n")
)
case("semicolon-separated CSV", "no lon column")(
    lambda folder: write(folder, "in.csv", CSV_HEADER.replace(",", ";") + csv_row(CORE).replace(",", ";"))
)
case("--field to a missing field", "not found", "--field", "kind=不存在")(lambda folder: gpkg(folder, frame([CORE])))
case("--field of a field the schema lacks", "cannot map", "--field", "colour=行业")(
    lambda folder: gpkg(folder, frame([CORE]))
)
case("row without coordinates", ["prohibited", "unknown"])(
    lambda folder: write(folder, "in.csv", CSV_HEADER + csv_row(CORE) + "无坐标园,化工园区,化工,,\n")
)
case("duplicate columns in a CSV", ["prohibited"])(
    lambda folder: write(
        folder, "in.csv", "名称,名称,类型,行业,经度,纬度\n" + csv_row(CORE).replace("化工园,", "化工园,又名,", 1)
    )
)
case("names all blank", ["prohibited", "clear"])(lambda folder: gpkg(folder, frame([CORE, FREE], 名称="")))
case("a name 2,000 characters long with emoji", ["prohibited"])(
    lambda folder: gpkg(folder, frame([CORE], 名称="🏭化工" * 700))
)
case("a planner's own proposal_id of text", ["prohibited", "clear"])(
    lambda folder: gpkg(folder, frame([CORE, FREE], proposal_id="甲-1"))
)
case("liquor 200 m from the Yangtze", ["clear"])(lambda folder: gpkg(folder, frame([BANK], 行业="白酒")))

# ---------------------------------------------------------------------------------------------
# Encodings
# ---------------------------------------------------------------------------------------------
for encoding in ("utf-8", "utf-8-sig", "gbk", "gb18030"):
    case(f"CSV in {encoding}", ["prohibited", "clear"])(
        lambda folder, e=encoding: write(folder, "in.csv", CSV_HEADER + csv_row(CORE) + csv_row(FREE), e)
    )
case("TSV", ["prohibited"])(
    lambda folder: write(folder, "in.tsv", (CSV_HEADER + csv_row(CORE)).replace(",", "\t"), "gbk")
)
case("CSV in UTF-16", "encoding not recognised")(
    lambda folder: write(folder, "in.csv", CSV_HEADER + csv_row(CORE), "utf-16")
)
case("UTF-8 CSV read as latin-1", "no lon column", "--encoding", "latin-1")(
    lambda folder: write(folder, "in.csv", CSV_HEADER + csv_row(CORE))
)
case("unknown --encoding", "cannot be read", "--encoding", "klingon")(
    lambda folder: write(folder, "in.csv", CSV_HEADER + csv_row(CORE))
)


@case("GBK shapefile without .cpg", ["prohibited"])
def _gbk_shapefile(folder):
    frame([CORE]).to_file(folder / "in.shp", encoding="gbk")
    (folder / "in.cpg").unlink(missing_ok=True)
    return folder / "in.shp"


@case("zipped shapefile", ["prohibited"])
def _zipped_shapefile(folder):
    frame([CORE]).to_file(folder / "site.shp", encoding="utf-8")
    with zipfile.ZipFile(folder / "in.zip", "w") as archive:
        for part in folder.glob("site.*"):
            archive.write(part, part.name)
            part.unlink()
    return folder / "in.zip"


# ---------------------------------------------------------------------------------------------
# The forms planners receive: 用地坐标 TXT, DXF, KML, Excel
# ---------------------------------------------------------------------------------------------
LANDCOORD = (
    "[属性描述]\n坐标系=2000国家大地坐标系\n几度分带=3\n带号=35\n[地块坐标]\n"
    "5,100.0000,1,化工园,面,,工业用地,0601,@\n"
    "J1,1,3171000,35505500\nJ2,1,3171000,35506500\nJ3,1,3170000,35506500\nJ4,1,3170000,35505500\n"
    "J1,1,3171000,35505500\n"
)
CONSTANTS = ("--constant", "kind=化工园区", "--constant", "industry=化工")
case("用地坐标 TXT", ["prohibited"], *CONSTANTS)(lambda folder: write(folder, "用地坐标.txt", LANDCOORD, "gbk"))
case("用地坐标 TXT without kind", "field kind")(lambda folder: write(folder, "用地坐标.txt", LANDCOORD, "gbk"))
case("用地坐标 TXT with a 圈号 gap", "ring 2 is missing", *CONSTANTS)(
    lambda folder: write(folder, "用地坐标.txt", LANDCOORD.replace(",1,", ",3,").replace("J1,3,", "J1,1,", 1), "gbk")
)
case("用地坐标 TXT 带号 against the prefix", "带号=36", *CONSTANTS)(
    lambda folder: write(folder, "用地坐标.txt", LANDCOORD.replace("带号=35", "带号=36"), "gbk")
)
case("用地坐标 TXT in Xian 1980", "not in CGCS2000", *CONSTANTS)(
    lambda folder: write(folder, "用地坐标.txt", LANDCOORD.replace("2000国家大地坐标系", "1980西安坐标系"), "gbk")
)
case("用地坐标 TXT header only", "lists no parcel", *CONSTANTS)(
    lambda folder: write(folder, "用地坐标.txt", LANDCOORD.split("5,100")[0], "gbk")
)
DXF_CORNERS = ((505500, 3170500), (506500, 3170500), (506500, 3171500), (505500, 3171500))
DXF_SQUARE = "\n".join(
    ["0", "SECTION", "2", "ENTITIES", "0", "LWPOLYLINE", "8", "红线", "90", "4", "70", "1"]
    + [v for x, y in DXF_CORNERS for v in ("10", str(x), "20", str(y))]
    + ["0", "ENDSEC", "0", "EOF", ""]
)
case("DXF red line", ["prohibited"], "--crs", "EPSG:4544", *CONSTANTS)(
    lambda folder: write(folder, "红线.dxf", DXF_SQUARE)
)
case("DXF without --crs", "has no CRS", *CONSTANTS)(lambda folder: write(folder, "红线.dxf", DXF_SQUARE))
case("garbage .dxf", "not a file of any form", "--crs", "EPSG:4544")(
    lambda folder: write(folder, "红线.dxf", "0\nSECTION\n这不是图纸")
)
case("PNG renamed .kml", "cannot be read")(lambda folder: write(folder, "in.kml", PNG))
case("KML that is not XML", "cannot be read")(lambda folder: write(folder, "in.kml", "<kml><Document><Placemark>"))
case("KMZ without a document", "cannot be read")(lambda folder: write(folder, "in.kmz", b"PK\x05\x06" + bytes(18)))
case("Excel sheet without coordinates", "no sheet has coordinate columns")(
    lambda folder: _workbook(folder, [("项目名称", "类型", "行业"), ("甲", "化工园区", "化工")])
)
case("Excel with minutes of 75", "minutes 75 must be below 60")(
    lambda folder: _workbook(
        folder, [("项目名称", "类型", "行业", "经度", "纬度"), ("甲", "化工园区", "化工", "105°75′00″", "28°39′00″")]
    )
)
case("Excel list in 度分秒", ["prohibited"])(
    lambda folder: _workbook(
        folder, [("项目名称", "类型", "行业", "经度", "纬度"), ("甲", "化工园区", "化工", *_dms(CORE.centroid))]
    )
)


def _workbook(folder, rows):
    import openpyxl

    book = openpyxl.Workbook()
    for row in [("拟建项目清单",), *rows]:
        book.active.append(list(row))
    book.save(folder / "清单.xlsx")
    return folder / "清单.xlsx"


def _dms(point) -> tuple[str, str]:
    def text(value):
        degrees, rest = divmod(value * 3600, 3600)
        minutes, seconds = divmod(rest, 60)
        return f"{degrees:.0f}°{minutes:02.0f}′{seconds:05.2f}″"

    lonlat_point = lonlat(point)
    return text(lonlat_point.x), text(lonlat_point.y)


def digest(folder: Path) -> dict:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def catalog():
    return load_rules()


@pytest.fixture
def synthetic_layers(monkeypatch, constraints, catalog):
    """The check runs against conftest's synthetic set (answers known) with the bundled rules loaded once."""
    monkeypatch.setattr(chuannan_gis.layers, "load_constraints", lambda path=None: constraints)
    monkeypatch.setattr(chuannan_gis.inputs, "load_rules", lambda path=None: catalog)


def test_the_corpus_is_large_enough():
    assert len(CASES) >= 60


@pytest.mark.parametrize("name", list(CASES))
def test_malformed_input(name, tmp_path, synthetic_layers):
    builder, expect, args = CASES[name]
    folder = tmp_path / "in"
    folder.mkdir()
    path = builder(folder)
    before = digest(folder)
    output = tmp_path / "result.gpkg"
    result = CliRunner().invoke(main, ["check", str(path), "-o", str(output), *args])
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    if isinstance(expect, str):
        assert result.exit_code == 2, result.output
        error = result.output.strip().splitlines()[-1]
        assert error.startswith("错误 Error: file ") and path.name in error, error
        assert expect in error, error
        assert not output.exists()
    else:
        assert result.exit_code == 0, result.output
        assert Result.read(output).proposals["verdict"].tolist() == expect
    assert digest(folder) == before


@pytest.mark.parametrize("name", ["zero-byte .gpkg", "PNG renamed .gpkg", "truncated GeoPackage", "DWG drawing"])
def test_malformed_input_in_a_real_process(name, tmp_path):
    """The installed command, not the test runner: exit 2, one line on stderr, no traceback."""
    builder, expect, args = CASES[name]
    folder = tmp_path / "in"
    folder.mkdir()
    path = builder(folder)
    command = [sys.executable, "-m", "chuannan_gis.cli", "check", str(path), "-o", str(tmp_path / "o.gpkg"), *args]
    done = subprocess.run(
        command, check=False, capture_output=True, text=True, env={**os.environ, "PYTHONWARNINGS": "ignore"}
    )
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr and expect in done.stderr and path.name in done.stderr


def test_a_plain_dataframe_is_read_as_a_table_or_refused_clearly(constraints):
    import chuannan_gis
    from chuannan_gis.errors import InputError

    sheet = pd.DataFrame({"名称": ["甲"], "类型": ["化工园区"], "行业": ["化工"]})  # an Excel sheet read by pandas
    with pytest.raises(InputError, match="no lon column") as err:
        chuannan_gis.check(sheet, constraints=constraints)
    assert err.value.file == "<DataFrame>"
    centre = lonlat(CORE.centroid)
    sheet = sheet.assign(经度=[centre.x], 纬度=[centre.y])
    assert chuannan_gis.check(sheet, constraints=constraints).proposals["verdict"].tolist() == ["prohibited"]


def test_a_frame_with_duplicate_columns_names_the_field():
    from chuannan_gis.errors import InputError
    from chuannan_gis.io import read_proposals

    proposals = frame([lonlat(CORE)], crs=4490)
    proposals = pd.concat([proposals, proposals[["名称"]]], axis=1)
    with pytest.raises(InputError, match="more than once") as err:
        read_proposals(gpd.GeoDataFrame(proposals, geometry="geometry"))
    assert err.value.field == "名称"
