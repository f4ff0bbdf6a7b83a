"""Reading proposals: formats, encodings, field mapping, vocabulary, CRS fail-safes, web-map datums."""

import hashlib
import logging

import geopandas as gpd
import numpy as np
import pytest
import shapely
from shapely import Point, Polygon

from chuannan_gis import crs as crs_mod
from chuannan_gis.errors import CRSError, InputError
from chuannan_gis.io import read_proposals

LUZHOU = (105.44, 28.87)  # lon, lat of a point in 泸州


def frame(rows=None, geometry=None, crs="EPSG:4490"):
    rows = rows or {
        "名称": ["泸州新材料园", "宜宾港扩建"],
        "类型": ["化工园区", "港口"],
        "行业": ["重化工", "通用码头"],
        "状态": ["新建", "扩建"],
    }
    n = len(next(iter(rows.values())))
    geometry = geometry or [Point(LUZHOU[0] + i * 0.01, LUZHOU[1]) for i in range(n)]
    return gpd.GeoDataFrame(rows, geometry=geometry, crs=crs)


def write_csv(path, text, encoding="utf-8"):
    path.write_bytes(text.encode(encoding))
    return path


def test_chinese_values_and_headings_become_codes():
    gdf = read_proposals(frame())
    assert list(gdf.columns[:5]) == ["proposal_id", "name", "kind", "industry", "status"]
    assert gdf["kind"].tolist() == ["industrial_park", "port"]
    assert gdf["industry"].tolist() == ["heavy_chemical", "general_cargo_port"]
    assert gdf["status"].tolist() == ["new", "expansion"]
    assert gdf["proposal_id"].tolist() == [0, 1]
    assert gdf.crs.to_epsg() == 4490
    assert gdf.attrs == {"source": "<GeoDataFrame>", "sha256": None}


def test_returns_a_new_frame_and_keeps_other_fields_clashes_aside():
    source = frame(
        {
            "name": ["甲", "乙"],
            "kind": ["企业", "项目"],
            "industry": ["白酒", "化工"],
            "verdict": ["x", "y"],
            "county": ["江阳区", "纳溪区"],
            "投资": [1.5, 2.0],
        }
    )
    before = source.copy()
    gdf = read_proposals(source)
    assert gdf is not source
    assert "verdict" not in gdf and gdf["input_verdict"].tolist() == ["x", "y"]
    assert gdf["input_county"].tolist() == ["江阳区", "纳溪区"]
    assert gdf["投资"].tolist() == [1.5, 2.0]
    assert gdf["status"].tolist() == ["new", "new"]
    assert source.equals(before)


def test_blank_status_defaults_to_new():
    gdf = read_proposals(
        frame({"name": ["a", "b"], "kind": ["port", "port"], "industry": ["logistics"] * 2, "status": [None, " "]})
    )
    assert gdf["status"].tolist() == ["new", "new"]


def test_field_map_names_the_input_fields():
    source = frame({"项目": ["甲"], "性质": ["工厂"], "门类": ["电子"], "建设": ["现状"]})
    gdf = read_proposals(source, field_map={"name": "项目", "kind": "性质", "industry": "门类", "status": "建设"})
    assert gdf.loc[0, ["name", "kind", "industry", "status"]].tolist() == [
        "甲",
        "enterprise",
        "electronics",
        "existing",
    ]


def test_field_map_to_a_missing_field_names_it():
    with pytest.raises(InputError, match="类型X") as err:
        read_proposals(frame(), field_map={"kind": "类型X"})
    assert err.value.field == "kind"


def test_unknown_value_names_file_feature_field_and_allowed_values(tmp_path):
    path = write_csv(
        tmp_path / "p.csv", "name,kind,industry,lon,lat\n甲,园区,化工,105.4,28.9\n乙,园区,钢铁,105.5,28.9\n"
    )
    with pytest.raises(InputError) as err:
        read_proposals(path)
    e = err.value
    assert (e.file, e.feature, e.field) == (str(path), "row 2 (乙)", "industry")
    assert "钢铁" in str(e) and "chemical (化工)" in str(e) and str(path) in str(e)


def test_missing_required_field_is_named(tmp_path):
    path = write_csv(tmp_path / "p.csv", "name,industry,lon,lat\n甲,化工,105.4,28.9\n")
    with pytest.raises(InputError, match="--field kind=") as err:
        read_proposals(path)
    assert err.value.field == "kind" and err.value.file == str(path)


def test_empty_name_is_named_by_feature_id_with_a_warning(caplog):
    # issue 13: real data hold unnamed features; they are checked, named by their feature id
    names = ["甲", "", None, "  乙 "]
    with caplog.at_level(logging.WARNING, logger="chuannan_gis.io"):
        gdf = read_proposals(frame({"name": names, "kind": ["port"] * 4, "industry": ["logistics"] * 4}))
    assert gdf["name"].tolist() == ["甲", "要素 2 / feature 2", "要素 3 / feature 3", "乙"]
    (record,) = [r for r in caplog.records if "empty name" in r.getMessage()]
    assert "2 feature(s) with an empty name" in record.getMessage() and "row(s) 2, 3" in record.getMessage()
    assert "名称为空" in record.getMessage()


def test_source_without_a_name_field_is_named_by_feature_id(tmp_path, caplog):
    # a 三调 parcel extract: no name field at all
    path = write_csv(tmp_path / "p.csv", "类型,行业,经度,纬度\n园区,白酒,105.44,28.87\n园区,白酒,105.45,28.88\n")
    with caplog.at_level(logging.WARNING, logger="chuannan_gis.io"):
        gdf = read_proposals(path)
    assert gdf["name"].tolist() == ["要素 1 / feature 1", "要素 2 / feature 2"]
    assert any("no name field: all 2 feature(s)" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_csv_with_chinese_coordinate_headings_in_any_encoding(tmp_path, encoding):
    path = write_csv(
        tmp_path / "p.csv", "名称,类型,行业,经度,纬度,备注\n白酒园,园区,白酒,105.44,28.87,说明\n", encoding
    )
    gdf = read_proposals(path)
    assert gdf.loc[0, "name"] == "白酒园" and gdf.loc[0, "industry"] == "liquor"
    assert gdf.loc[0, "备注"] == "说明"
    assert gdf.geometry[0].equals(Point(105.44, 28.87))
    assert gdf.attrs == {"source": str(path), "sha256": hashlib.sha256(path.read_bytes()).hexdigest()}


def test_csv_row_without_coordinates_is_kept_with_null_geometry(tmp_path):
    path = write_csv(tmp_path / "p.csv", "name,kind,industry,lng,latitude\na,港口,物流,105.4,28.9\nb,港口,物流,,\n")
    gdf = read_proposals(path)
    assert len(gdf) == 2 and gdf.geometry[1] is None


def test_csv_in_a_projected_crs(tmp_path):
    path = write_csv(tmp_path / "p.csv", "name,kind,industry,x,y\na,港口,物流,543000,3195000\n")
    gdf = read_proposals(path, crs="EPSG:4544")
    lon, lat = gdf.geometry[0].x, gdf.geometry[0].y
    assert 105.3 < lon < 105.6 and 28.7 < lat < 29.0


def test_csv_coordinate_that_is_not_a_number(tmp_path):
    path = write_csv(tmp_path / "p.csv", "name,kind,industry,lon,lat\na,港口,物流,105.4,北纬二十八\n")
    with pytest.raises(InputError, match="北纬二十八") as err:
        read_proposals(path)
    assert err.value.field == "lat"


def test_geopackage_layer_is_read_and_left_untouched(tmp_path):
    path = tmp_path / "in.gpkg"
    frame().to_file(path, layer="parks")
    before = path.read_bytes()
    gdf = read_proposals(path, layer="parks")
    assert len(gdf) == 2 and gdf.attrs["sha256"] == hashlib.sha256(before).hexdigest()
    assert path.read_bytes() == before


def _gbk_shapefile(tmp_path, language_driver):
    """A shapefile as Chinese desktop tools write it: GBK text, no .cpg."""
    path = tmp_path / "gbk.shp"
    frame().to_file(path, engine="pyogrio", encoding="gbk")
    (tmp_path / "gbk.cpg").unlink()
    dbf = tmp_path / "gbk.dbf"
    data = bytearray(dbf.read_bytes())
    data[29] = language_driver
    dbf.write_bytes(bytes(data))
    return path


@pytest.mark.parametrize("language_driver", [0x4D, 0x00])
def test_gbk_shapefile_without_cpg(tmp_path, language_driver):
    path = _gbk_shapefile(tmp_path, language_driver)
    gdf = read_proposals(path)
    assert gdf["name"].tolist() == ["泸州新材料园", "宜宾港扩建"]
    assert gdf["kind"].tolist() == ["industrial_park", "port"]


def test_shapefile_without_crs_is_refused(tmp_path):
    path = tmp_path / "nocrs.shp"
    frame().to_file(path)
    (tmp_path / "nocrs.prj").unlink()
    with pytest.raises(CRSError, match=r"has no CRS.*--crs"):
        read_proposals(path)
    assert read_proposals(path, crs="EPSG:4490").crs.to_epsg() == 4490


def test_geojson_with_projected_metres_is_refused(tmp_path):
    path = tmp_path / "metres.geojson"
    path.write_text(
        '{"type":"FeatureCollection","features":[{"type":"Feature","properties":'
        '{"name":"a","kind":"港口","industry":"物流"},"geometry":{"type":"Point",'
        '"coordinates":[543000,3195000]}}]}',
        encoding="utf-8",
    )
    with pytest.raises(CRSError, match="projected metres") as err:
        read_proposals(path)
    assert err.value.feature == "row 1 (a)"


def test_swapped_lon_lat_is_refused(tmp_path):
    path = write_csv(tmp_path / "p.csv", "name,kind,industry,lon,lat\na,港口,物流,105.4,28.9\nb,港口,物流,28.9,105.4\n")
    with pytest.raises(CRSError, match="swapped lon/lat") as err:
        read_proposals(path)
    assert err.value.feature == "row 2 (b)"


def test_far_away_lon_lat_is_refused():
    with pytest.raises(CRSError, match="not in 川南经济区"):
        read_proposals(frame(geometry=[Point(116.4, 39.9), Point(116.4, 39.9)]))  # Beijing


def test_zone_prefixed_eastings_declared_as_4544_are_refused():
    metres = gpd.GeoSeries([Point(LUZHOU)] * 2, crs=4490).to_crs(crs_mod.MEASURE_CRS_ZONE_PREFIX)
    with pytest.raises(CRSError, match=r"zone prefix 35.*EPSG:4523"):
        read_proposals(frame(geometry=list(metres), crs=crs_mod.MEASURE_CRS))
    gdf = read_proposals(frame(geometry=list(metres), crs=crs_mod.MEASURE_CRS_ZONE_PREFIX))
    assert gdf.geometry[0].distance(Point(LUZHOU)) < 1e-7


def test_gk_zone_35_is_accepted():
    metres = gpd.GeoSeries([Point(LUZHOU)] * 2, crs=4490).to_crs(crs_mod.MEASURE_CRS)
    gdf = read_proposals(frame(geometry=list(metres), crs=crs_mod.MEASURE_CRS))
    assert gdf.crs.to_epsg() == 4490 and gdf.geometry[0].distance(Point(LUZHOU)) < 1e-7


@pytest.mark.parametrize("datum", ["gcj02", "bd09"])
def test_web_map_datum_is_undone(datum):
    truth = [Point(LUZHOU), Polygon([(105.4, 28.8), (105.5, 28.8), (105.5, 28.9), (105.4, 28.8)])]
    shifted = crs_mod.convert_datum(np.array(truth, dtype=object), "wgs84", datum)
    offset_m = gpd.GeoSeries([truth[0], shifted[0]], crs=4490).to_crs(crs_mod.MEASURE_CRS)
    assert 100 < offset_m[0].distance(offset_m[1]) < 1500  # the shift is real ...
    gdf = read_proposals(frame(geometry=list(shifted)), input_datum=datum)
    for got, want in zip(gdf.geometry, truth):  # ... and undone to centimetres, vertex by vertex
        assert shapely.hausdorff_distance(got, want) < 1e-7


def test_web_map_datum_needs_lon_lat():
    metres = gpd.GeoSeries([Point(LUZHOU)] * 2, crs=4490).to_crs(crs_mod.MEASURE_CRS)
    with pytest.raises(CRSError, match="lon/lat"):
        read_proposals(frame(geometry=list(metres), crs=crs_mod.MEASURE_CRS), input_datum="gcj02")


def test_unknown_datum_is_refused():
    with pytest.raises(InputError, match="unknown datum"):
        read_proposals(frame(), input_datum="mars")


def test_invalid_and_null_geometries_are_kept_as_they_are():
    bowtie = Polygon([(105.4, 28.8), (105.5, 28.9), (105.5, 28.8), (105.4, 28.9), (105.4, 28.8)])
    gdf = read_proposals(frame(geometry=[bowtie, None]))
    assert not gdf.geometry[0].is_valid and gdf.geometry[0].equals_exact(bowtie, 0)
    assert gdf.geometry[1] is None


def test_missing_file():
    with pytest.raises(InputError, match="no such file"):
        read_proposals("/nonexistent/parks.gpkg")


def test_datum_round_trip_both_directions():
    point = Point(LUZHOU)
    for datum in ("gcj02", "bd09"):
        there = crs_mod.convert_datum(point, "wgs84", datum)
        assert crs_mod.convert_datum(there, datum, "wgs84").distance(point) < 1e-7
    series = gpd.GeoSeries([point, None], crs=4490)
    moved = crs_mod.convert_datum(series, "cgcs2000", "GCJ-02")
    assert isinstance(moved, gpd.GeoSeries) and moved[1] is None and moved.crs == series.crs


def test_zone_prefixed_eastings_declared_as_lon_lat_are_refused():
    metres = gpd.GeoSeries([Point(LUZHOU)] * 2, crs=4490).to_crs(crs_mod.MEASURE_CRS_ZONE_PREFIX)
    with pytest.raises(CRSError, match="zone prefix 35"):
        read_proposals(frame(geometry=list(metres), crs="EPSG:4490"))


def test_lon_lat_declared_as_projected_is_refused(tmp_path):
    path = write_csv(tmp_path / "p.csv", "name,kind,industry,lon,lat\na,港口,物流,105.4,28.9\n")
    with pytest.raises(CRSError, match="lon/lat degrees"):
        read_proposals(path, crs="EPSG:4544")


def test_reading_its_own_output_again_changes_nothing(tmp_path):
    path = write_csv(tmp_path / "p.csv", "名称,类型,行业,经度,纬度,proposal_id\n甲,园区,白酒,105.44,28.87,A-7\n")
    once = read_proposals(path)
    twice = read_proposals(once)
    assert once["input_proposal_id"].tolist() == ["A-7"]
    assert twice.equals(once) and list(twice.columns) == list(once.columns)
    assert twice.attrs == once.attrs and twice.attrs["source"] == str(path)


def test_unrecognised_crs_is_refused(tmp_path):
    path = write_csv(tmp_path / "p.csv", "name,kind,industry,lon,lat\na,港口,物流,105.4,28.9\n")
    with pytest.raises(CRSError, match="EPSG:99999"):
        read_proposals(path, crs="EPSG:99999")


# --- rebuild and key_project (SCHEMA.md "Proposals") ---------------------------------------------


def test_rebuild_is_its_own_status_and_gaikuojian_stays_expansion():
    gdf = read_proposals(
        frame(
            {
                "name": ["a", "b", "c"],
                "kind": ["项目"] * 3,
                "industry": ["尾矿库"] * 3,
                "status": ["改建", "改扩建", "rebuild"],
            }
        )
    )
    assert gdf["status"].tolist() == ["rebuild", "expansion", "rebuild"]


def test_key_project_is_optional_with_chinese_aliases():
    plain = read_proposals(frame())
    assert plain["key_project"].tolist() == ["", ""]
    marked = read_proposals(
        frame(
            {
                "name": ["a", "b", "c"],
                "kind": ["项目"] * 3,
                "industry": ["线性基础设施"] * 3,
                "重大项目": ["国家重大项目", "国家重点建设项目", None],
            }
        )
    )
    assert marked["key_project"].tolist() == ["national", "national", ""]


def test_key_project_field_map_and_bad_value():
    source = frame({"name": ["a"], "kind": ["项目"], "industry": ["道路"], "级别": ["national"]})
    assert read_proposals(source, field_map={"key_project": "级别"})["key_project"].tolist() == ["national"]
    source["级别"] = ["省重点"]
    with pytest.raises(InputError, match="national") as err:
        read_proposals(source, field_map={"key_project": "级别"})
    assert err.value.field == "key_project" and "省重点" in str(err.value)
