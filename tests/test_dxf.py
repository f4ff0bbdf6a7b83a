"""CAD red lines (DXF): closed polylines as polygons, texts as their names, Chinese layer names of
old (GBK) and new (UTF-8) drawings, --crs required."""

from __future__ import annotations

import geopandas as gpd
import pytest
import shapely
from click.testing import CliRunner

import chuannan_gis
import chuannan_gis.inputs
import chuannan_gis.layers
from chuannan_gis import load_rules
from chuannan_gis.cli import main
from chuannan_gis.crs import MEASURE_CRS
from chuannan_gis.errors import CRSError, InputError
from chuannan_gis.io import read_proposals
from chuannan_gis.result import Result

PARK = {"kind": "industrial_park", "industry": "chemical"}
# 1 km × 1 km in EPSG:4544 metres, in the synthetic set's reserve core zone (x 505–507 km, y 3170–3172 km)
SQUARE = [(505000, 3170000), (506000, 3170000), (506000, 3171000), (505000, 3171000)]


def drawing(entities, version="AC1027", codepage="ANSI_936") -> str:
    """A minimal DXF: a header naming the AutoCAD version and code page, then the entities."""
    header = ["0", "SECTION", "2", "HEADER", "9", "$ACADVER", "1", version, "9", "$DWGCODEPAGE", "3", codepage]
    # the block the drawing's INSERT refers to: a title frame (图框) of one line
    frame = ["0", "BLOCK", "8", "0", "2", "图框", "70", "0", "10", "0", "20", "0", "0", "LINE", "8", "0",
             "10", "0", "20", "0", "11", "420", "21", "0", "0", "ENDBLK"]  # fmt: skip
    body = ["0", "ENDSEC", "0", "SECTION", "2", "BLOCKS", *frame, "0", "ENDSEC"]
    body += ["0", "SECTION", "2", "ENTITIES", *entities, "0", "ENDSEC", "0", "EOF"]
    return "\n".join(header + body) + "\n"


def polyline(layer, points, closed=True, handle="1F"):
    entity = ["0", "LWPOLYLINE", "5", handle, "100", "AcDbEntity", "8", layer, "100", "AcDbPolyline"]
    entity += ["90", str(len(points)), "70", "1" if closed else "0"]
    for x, y in points:
        entity += ["10", f"{x}", "20", f"{y}"]
    return entity


def text(layer, x, y, value):
    return ["0", "TEXT", "5", "2A", "100", "AcDbEntity", "8", layer, "100", "AcDbText", "10", str(x), "20", str(y),
            "30", "0", "40", "5", "1", value]  # fmt: skip


def block_reference(layer, x, y):
    return ["0", "INSERT", "5", "3B", "100", "AcDbEntity", "8", layer, "100", "AcDbBlockReference", "2", "图框",
            "10", str(x), "20", str(y)]  # fmt: skip


RED_LINE = polyline("规划红线", SQUARE) + text("注记", 505500, 3170500, "泸州化工园")
OTHERS = polyline("道路", [(504000, 3169000), (507000, 3169000)], closed=False, handle="20") + block_reference(
    "图框", 0, 0
)


@pytest.mark.parametrize(
    ("version", "encoding"),
    [("AC1027", "utf-8"), ("AC1015", "gbk")],  # AutoCAD 2013 writes UTF-8; 2000 the code page (ANSI_936)
)
def test_a_closed_polyline_is_one_polygon_named_by_its_text(tmp_path, version, encoding):
    path = tmp_path / "红线.dxf"
    path.write_bytes(drawing(RED_LINE + OTHERS, version).encode(encoding))
    proposals = read_proposals(path, crs="EPSG:4544", constants=PARK)
    assert proposals["name"].tolist() == ["泸州化工园"]  # the text names it; it is no proposal itself
    assert proposals["cad_layer"].tolist() == ["规划红线"]  # no mojibake
    assert proposals.to_crs(MEASURE_CRS).area.iloc[0] == pytest.approx(1_000_000, rel=0.01)


def test_a_drawing_has_no_crs(tmp_path):
    path = tmp_path / "红线.dxf"
    path.write_text(drawing(RED_LINE), encoding="utf-8")
    with pytest.raises(CRSError, match=r"has no CRS.*--crs"):
        read_proposals(path, constants=PARK)


def test_a_drawing_without_closed_polylines_says_so(tmp_path):
    path = tmp_path / "线.dxf"
    path.write_text(drawing(OTHERS), encoding="utf-8")
    with pytest.raises(InputError, match="no closed polyline"):
        read_proposals(path, crs="EPSG:4544", constants=PARK)


def test_layer_chooses_the_cad_layer(tmp_path):
    path = tmp_path / "红线.dxf"
    other = polyline("现状", [(x + 10_000, y) for x, y in SQUARE], handle="21")
    path.write_text(drawing(RED_LINE + other), encoding="utf-8")
    assert len(read_proposals(path, crs="EPSG:4544", constants=PARK)) == 2
    assert read_proposals(path, crs="EPSG:4544", constants=PARK, layer="规划红线")["name"].tolist() == ["泸州化工园"]
    with pytest.raises(InputError, match="no CAD layer '红线'; layers: 注记, 现状, 规划红线"):
        read_proposals(path, crs="EPSG:4544", constants=PARK, layer="红线")


def test_the_same_verdict_as_the_same_polygon_from_a_geopackage(tmp_path, constraints, monkeypatch):
    monkeypatch.setattr(chuannan_gis.layers, "load_constraints", lambda path=None: constraints)
    monkeypatch.setattr(chuannan_gis.inputs, "load_rules", lambda path=None: load_rules())
    path = tmp_path / "红线.dxf"
    path.write_text(drawing(RED_LINE + OTHERS), encoding="utf-8")
    out = tmp_path / "result.gpkg"
    args = [
        "check",
        str(path),
        "-o",
        str(out),
        "--crs",
        "EPSG:4544",
        "--constant",
        "kind=化工园区",
        "--constant",
        "industry=化工",
    ]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    gpkg = tmp_path / "same.gpkg"
    same = {"name": ["泸州化工园"], **{k: [v] for k, v in PARK.items()}}
    gpd.GeoDataFrame(same, geometry=[shapely.Polygon(SQUARE)], crs=MEASURE_CRS).to_file(gpkg)
    expected = chuannan_gis.check(gpkg, constraints=constraints).proposals["verdict"].tolist()
    assert Result.read(out).proposals["verdict"].tolist() == expected == ["prohibited"]
