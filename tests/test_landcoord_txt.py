"""用地坐标 TXT (报盘格式): read (zones, holes, encodings, 带号 checks, area warning, bad files) and
write (`chuannan-gis export`), with areas and positions known by hand."""

from __future__ import annotations

import logging

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
from chuannan_gis.readers import landcoord_txt
from chuannan_gis.result import Result
from conftest import box_km

PARK = {"kind": "industrial_park", "industry": "chemical"}
# A 1 km × 1 km parcel in the synthetic set's reserve core zone (x 505–507 km, y 3170–3172 km of
# EPSG:4544), with a 200 m × 200 m hole: 100 ha − 4 ha = 96 ha.
OUTER = [(3171000, 505000), (3171000, 506000), (3170000, 506000), (3170000, 505000)]
HOLE = [(3170600, 505400), (3170600, 505600), (3170400, 505600), (3170400, 505400)]


def coordinate_file(
    rings=(OUTER, HOLE),
    *,
    prefix=35,
    zone="35",
    width="3",
    area="96.0000",
    name="泸州化工园",
    datum="2000国家大地坐标系",
):
    lines = ["[属性描述]", "格式版本号=1.01版本", f"坐标系={datum}", f"几度分带={width}", "计量单位=米"]
    if zone is not None:
        lines.append(f"带号={zone}")
    points, number = [], 0
    for ring_number, ring in enumerate(rings, start=1):
        first = number + 1
        for x, y in ring:
            number += 1
            points.append(f"J{number},{ring_number},{x:.4f},{prefix * 1_000_000 + y if prefix else y:.4f}")
        x, y = ring[0]
        points.append(f"J{first},{ring_number},{x:.4f},{prefix * 1_000_000 + y if prefix else y:.4f}")
    lines += ["[地块坐标]", f"{len(points)},{area},1,{name},面,,工业用地,0601,@", *points]
    return "\n".join(lines) + "\n"


def write(tmp_path, text, encoding="gbk", name="用地坐标.txt"):
    path = tmp_path / name
    path.write_bytes(text.replace("\n", "\r\n").encode(encoding))
    return path


@pytest.mark.parametrize("encoding", ["gbk", "utf-8", "utf-8-sig"])
def test_a_parcel_with_a_hole_reads_as_one_polygon_of_its_area(tmp_path, encoding):
    path = write(tmp_path, coordinate_file(), encoding)
    proposals = read_proposals(path, constants=PARK)
    assert proposals["name"].tolist() == ["泸州化工园"]
    assert proposals["地块用途"].tolist() == ["工业用地"] and proposals["地类编码"].tolist() == ["0601"]
    measured = proposals.to_crs(MEASURE_CRS).geometry.iloc[0]
    assert len(measured.interiors) == 1
    assert measured.area == pytest.approx(960_000, rel=1e-6)  # the hole subtracted
    # the south-west corner, J4 (X 3 170 000, Y 35 505 000), is (505 000, 3 170 000) without the prefix
    assert shapely.Point(505_000, 3_170_000).distance(measured.exterior) < 0.001


def test_the_same_verdict_as_the_same_polygon_from_a_geopackage(tmp_path, constraints):
    from_txt = chuannan_gis.check(write(tmp_path, coordinate_file()), constraints=constraints, constants=PARK)
    polygon = shapely.Polygon([(y, x) for x, y in OUTER], [[(y, x) for x, y in HOLE]])
    gpkg = tmp_path / "same.gpkg"
    gpd.GeoDataFrame(
        {"name": ["泸州化工园"], **{k: [v] for k, v in PARK.items()}}, geometry=[polygon], crs=MEASURE_CRS
    ).to_file(gpkg)
    from_gpkg = chuannan_gis.check(gpkg, constraints=constraints)
    assert from_txt.proposals["verdict"].tolist() == from_gpkg.proposals["verdict"].tolist() == ["prohibited"]


def test_six_degree_zone_and_zone_from_the_prefix_give_the_same_place(tmp_path):
    three = read_proposals(write(tmp_path, coordinate_file(), name="a.txt"), constants=PARK)
    # 6-degree zone 18 has the same central meridian (105°E) as 3-degree zone 35: EPSG:4496 = 4478 + 18
    six = read_proposals(
        write(tmp_path, coordinate_file(prefix=18, zone="18", width="6"), name="b.txt"), constants=PARK
    )
    no_header = read_proposals(write(tmp_path, coordinate_file(zone=None), name="c.txt"), constants=PARK)
    no_prefix = read_proposals(write(tmp_path, coordinate_file(prefix=None), name="d.txt"), constants=PARK)
    reference = three.to_crs(MEASURE_CRS).geometry.iloc[0]
    for other in (six, no_header, no_prefix):
        assert other.to_crs(MEASURE_CRS).geometry.iloc[0].equals_exact(reference, 0.001)


def test_header_and_prefix_that_disagree_are_refused(tmp_path):
    with pytest.raises(CRSError, match="带号=36, but the eastings carry the prefix 35") as err:
        read_proposals(write(tmp_path, coordinate_file(zone="36")), constants=PARK)
    assert err.value.field == "带号" and err.value.file.endswith("用地坐标.txt")


def test_no_zone_anywhere_asks_for_one(tmp_path):
    with pytest.raises(CRSError, match="带号"):
        read_proposals(write(tmp_path, coordinate_file(prefix=None, zone=None)), constants=PARK)
    # --crs says it
    declared = read_proposals(write(tmp_path, coordinate_file(prefix=None, zone=None)), constants=PARK, crs="EPSG:4544")
    assert declared.to_crs(MEASURE_CRS).area.iloc[0] == pytest.approx(960_000, rel=1e-6)


def test_a_stated_area_off_by_more_than_one_percent_is_warned(tmp_path, caplog):
    with caplog.at_level(logging.WARNING):
        read_proposals(write(tmp_path, coordinate_file(area="96.5000")), constants=PARK)  # 0.5 %: quiet
    assert "地块面积" not in caplog.text
    with caplog.at_level(logging.WARNING):
        read_proposals(write(tmp_path, coordinate_file(area="100.0000")), constants=PARK)  # the hole forgotten
    assert "地块面积 100.0000 公顷 differs from the polygon's 96.0000 公顷 by 4.0 %" in caplog.text


@pytest.mark.parametrize(
    ("text", "message", "feature", "field"),
    [
        (coordinate_file().replace("J1,1,3171000.0000,35505000.0000\nJ5", "J5"), "does not close", "ring 1", "圈号"),
        (coordinate_file(rings=(OUTER[:2],)), "fewer than three points", "ring 1", "圈号"),
        (coordinate_file().replace(",2,", ",3,"), "ring 2 is missing", "parcel 泸州化工园", "圈号"),
        (
            coordinate_file().replace("J2,1,3171000.0000", "J2,1,3171OOO.0000"),
            "'3171OOO.0000' is not a number",
            "J2",
            "X",
        ),
        (coordinate_file().replace("96.0000", "九十六"), "not a number", "line 8", "地块面积"),
    ],
)
def test_bad_files_name_the_parcel_point_and_field(tmp_path, text, message, feature, field):
    with pytest.raises(InputError, match=message) as err:
        read_proposals(write(tmp_path, text), constants=PARK)
    assert feature in err.value.feature and err.value.field == field


def test_another_datum_is_refused(tmp_path):
    with pytest.raises(CRSError, match="1980西安坐标系"):
        read_proposals(write(tmp_path, coordinate_file(datum="1980西安坐标系")), constants=PARK)


def test_what_the_tool_writes_reads_back_to_the_same_text(tmp_path):
    first = read_proposals(write(tmp_path, coordinate_file()), constants=PARK)
    text = landcoord_txt.text(first, date="2026-12-08")
    again = read_proposals(write(tmp_path, text, name="again.txt"), constants=PARK)
    assert landcoord_txt.text(again, date="2026-12-08") == text
    # and to the same parcels: the points of the file read, to 1 mm
    assert again.to_crs(MEASURE_CRS).geometry.iloc[0].equals_exact(first.to_crs(MEASURE_CRS).geometry.iloc[0], 0.001)
    assert "带号=35" in text and "J1,1,3171000.0000,35505000.0000" in text
    six = landcoord_txt.text(first, width=6, date="2026-12-08")
    assert "带号=18" in six and "J1,1,3171000.0000,18505000.0000" in six


def test_check_then_export_writes_the_result_s_parcels(tmp_path, constraints, monkeypatch):
    monkeypatch.setattr(chuannan_gis.layers, "load_constraints", lambda path=None: constraints)
    monkeypatch.setattr(chuannan_gis.inputs, "load_rules", lambda path=None: load_rules())
    source = write(tmp_path, coordinate_file())
    before = source.read_bytes()
    result, sites = tmp_path / "result.gpkg", tmp_path / "sites.txt"
    checked = CliRunner().invoke(
        main, ["check", str(source), "-o", str(result), "--constant", "kind=化工园区", "--constant", "industry=化工"]
    )
    assert checked.exit_code == 0, checked.output
    assert Result.read(result).proposals["verdict"].tolist() == ["prohibited"]
    exported = CliRunner().invoke(main, ["export", str(result), "-o", str(sites)])
    assert exported.exit_code == 0, exported.output
    back = read_proposals(sites, constants=PARK)
    assert back["name"].tolist() == ["泸州化工园"]
    assert (
        back.to_crs(MEASURE_CRS)
        .geometry.iloc[0]
        .equals_exact(read_proposals(source, constants=PARK).to_crs(MEASURE_CRS).geometry.iloc[0], 0.001)
    )
    assert source.read_bytes() == before
    sites.read_bytes().decode("gbk")  # GBK, as the 报批 system reads


def test_export_refuses_points(tmp_path):
    points = gpd.GeoDataFrame({"name": ["点"]}, geometry=[box_km(505, 3170, 506, 3171).centroid], crs=MEASURE_CRS)
    with pytest.raises(InputError, match="only polygons"):
        landcoord_txt.text(points)


def test_constants_fill_only_what_features_lack(constraints):
    frame = gpd.GeoDataFrame(
        {"name": ["甲", "乙"], "kind": ["港口", None], "industry": ["通用码头", "化工"]},
        geometry=[box_km(559, 3209, 560, 3210)] * 2,
        crs=MEASURE_CRS,
    )
    proposals = read_proposals(frame, constants={"kind": "industrial_park", "status": "expansion"})
    assert proposals["kind"].tolist() == ["port", "industrial_park"]
    assert proposals["status"].tolist() == ["expansion", "expansion"]
