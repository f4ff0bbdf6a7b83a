"""Excel and CSV lists as planners get them: title rows, 度分秒, Gauss-Krüger X/Y, 界址点成果表."""

from __future__ import annotations

import geopandas as gpd
import openpyxl
import pytest
import shapely
from click.testing import CliRunner

import chuannan_gis
from chuannan_gis.cli import main
from chuannan_gis.crs import MEASURE_CRS
from chuannan_gis.errors import CRSError, InputError
from chuannan_gis.io import read_proposals

PARK = {"kind": "industrial_park", "industry": "chemical"}
# 105°03′00″E 28°39′00″N and 105°03′30″E 28°39′30″N, in decimal degrees
TRUTH = [(105.05, 28.65), (105 + 3.5 / 60, 28 + 39.5 / 60)]


def workbook(path, rows, title="清单", above=(("2026年川南经济区拟建项目清单",), ())):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    for row in (*above, *rows):
        sheet.append(list(row))
    book.save(path)
    return path


def metres_apart(gdf, truth) -> list[float]:
    got = gdf.to_crs(MEASURE_CRS).geometry
    want = gpd.GeoSeries([shapely.Point(p) for p in truth], crs=4490).to_crs(MEASURE_CRS)
    return [a.distance(b) for a, b in zip(got, want)]


@pytest.mark.parametrize(
    ("lon", "lat"),
    [
        (("105°03′00″", "105°03′30″"), ("28°39′00″", "28°39′30″")),
        (("105°03'00\"", "105°03'30\""), ("28°39'00\"", "28°39'30\"")),
        (("105 03 00", "105 03 30"), ("28 39 00", "28 39 30")),
        (("１０５°０３′００″", "１０５°０３′３０″"), ("２８°３９′００″", "２８°３９′３０″")),  # full-width
        (("东经105度03分", "E105°3.5'"), ("北纬28度39分", "28°39'30\"N")),
        ((105.05, 105 + 3.5 / 60), (28.65, 28 + 39.5 / 60)),  # decimal
    ],
)
def test_excel_list_below_title_rows_in_any_angle_notation(tmp_path, lon, lat):
    rows = [("序号", "项目名称", "类型", "行业", "经度", "纬度")]
    rows += [(i + 1, f"园{i}", "化工园区", "化工", lon[i], lat[i]) for i in range(2)]
    gdf = read_proposals(workbook(tmp_path / "清单.xlsx", rows))
    assert gdf["name"].tolist() == ["园0", "园1"] and gdf["kind"].tolist() == ["industrial_park"] * 2
    assert max(metres_apart(gdf, TRUTH)) < 1.0


def test_csv_in_du_fen_miao(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("名称,类型,行业,经度,纬度\n甲,化工园区,化工,105°03′00″,28°39′00″\n", encoding="gbk")
    assert metres_apart(read_proposals(path), TRUTH[:1])[0] < 1.0


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("105°61′00″", "minutes 61 must be below 60"),
        ("105°03′60″", "seconds 60 must be below 60"),
        ("一百零五", "neither"),
    ],
)
def test_a_bad_angle_names_the_sheet_row_and_field(tmp_path, value, message):
    rows = [("项目名称", "类型", "行业", "经度", "纬度"), ("甲", "化工园区", "化工", value, "28°39′00″")]
    with pytest.raises(InputError, match=message) as err:
        read_proposals(workbook(tmp_path / "清单.xlsx", rows))
    # the title row, a blank row and the header come first: the sheet's row 4
    assert err.value.feature == "row 4 (甲)" and err.value.field == "经度"


def test_a_latitude_outside_china_names_its_row(tmp_path):
    rows = [
        ("项目名称", "类型", "行业", "经度", "纬度"),
        ("甲", "化工园区", "化工", 105.05, 28.65),
        ("乙", "园区", "白酒", 105.1, 2.865),
    ]
    with pytest.raises(InputError, match=r"latitude 2\.865 is outside China") as err:
        read_proposals(workbook(tmp_path / "清单.xlsx", rows))
    assert err.value.feature == "row 5 (乙)" and err.value.field == "纬度"


def test_a_sheet_without_coordinate_columns_is_named(tmp_path):
    rows = [("项目名称", "类型", "行业"), ("甲", "化工园区", "化工")]
    with pytest.raises(InputError, match="no sheet has coordinate columns") as err:
        read_proposals(workbook(tmp_path / "清单.xlsx", rows))
    assert err.value.file.endswith("清单.xlsx")
    with pytest.raises(InputError, match="no sheet '其他'"):
        read_proposals(workbook(tmp_path / "b.xlsx", rows), layer="其他")


def test_gauss_krueger_x_y_with_the_zone_prefix_and_without(tmp_path):
    # X is the northing (北坐标), Y the easting, as Chinese surveyors write them
    truth = gpd.GeoSeries([shapely.Point(505_500, 3_170_500)], crs=MEASURE_CRS).to_crs(4490)
    prefixed = tmp_path / "a.csv"
    prefixed.write_text("名称,类型,行业,X,Y\n甲,化工园区,化工,3170500,35505500\n", encoding="utf-8")
    plain = tmp_path / "b.csv"
    plain.write_text("名称,类型,行业,X,Y\n甲,化工园区,化工,3170500,505500\n", encoding="utf-8")
    for gdf in (read_proposals(prefixed), read_proposals(plain, crs="EPSG:4544")):
        assert metres_apart(gdf, [(truth.iloc[0].x, truth.iloc[0].y)])[0] < 0.01
    with pytest.raises(CRSError, match="projected metres"):
        read_proposals(plain)  # no prefix, no --crs: the CRS check says what it looks like


def boundary_sheet(path, points, title="泸州化工园界址点成果表"):
    rows = [("点号", "X(m)", "Y(m)", "边长(m)")]
    for index, (name, x, y) in enumerate(points):
        rows.append((name, x, y, None))
        if index < len(points) - 1:
            rows.append((None, None, None, 1000.0))  # the side-length row between two points
    return workbook(path, rows, title="界址点成果表", above=((title,),))


SQUARE = [("J1", 3171000, 35505000), ("J2", 3171000, 35506000), ("J3", 3170000, 35506000), ("J4", 3170000, 35505000)]


def test_a_boundary_point_table_is_one_polygon_with_the_same_verdict(tmp_path, constraints):
    path = boundary_sheet(tmp_path / "界址点.xlsx", [*SQUARE, SQUARE[0]])
    gdf = read_proposals(path, constants=PARK)
    assert gdf["name"].tolist() == ["泸州化工园"]
    assert gdf.to_crs(MEASURE_CRS).area.iloc[0] == pytest.approx(1_000_000, rel=1e-6)
    gpkg = tmp_path / "same.gpkg"
    gpd.GeoDataFrame(
        {"name": ["泸州化工园"], **{k: [v] for k, v in PARK.items()}},
        geometry=[shapely.box(505_000, 3_170_000, 506_000, 3_171_000)],
        crs=MEASURE_CRS,
    ).to_file(gpkg)
    verdicts = [
        chuannan_gis.check(p, constraints=constraints, constants=PARK).proposals["verdict"].tolist()
        for p in (path, gpkg)
    ]
    assert verdicts == [["prohibited"], ["prohibited"]]


def test_a_boundary_that_does_not_close_names_its_last_point(tmp_path):
    with pytest.raises(InputError, match="does not close: its last point J4 is not its first J1") as err:
        read_proposals(boundary_sheet(tmp_path / "界址点.xlsx", SQUARE), constants=PARK)
    assert err.value.feature == "row 9 (J4)"
    with pytest.raises(InputError, match="fewer than three"):
        read_proposals(boundary_sheet(tmp_path / "b.xlsx", [SQUARE[0], SQUARE[1], SQUARE[0]]), constants=PARK)


def test_check_reads_an_excel_list_from_the_command_line(tmp_path):
    rows = [("项目名称", "类型", "行业", "经度", "纬度"), ("甲", "化工园区", "化工", "105°03′00″", "28°39′00″")]
    source = workbook(tmp_path / "项目清单.xlsx", rows)
    before = source.read_bytes()
    out = tmp_path / "result.gpkg"
    result = CliRunner().invoke(main, ["-q", "check", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert source.read_bytes() == before
