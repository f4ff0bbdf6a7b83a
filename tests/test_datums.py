"""Older datums said, not hidden: Xian 1980 / Beijing 1954 refused unless the bureau's parameters
(or, for a layer, an assumed accuracy) are given; WGS 84 taken as CGCS2000, said."""

from __future__ import annotations

import logging
import math

import geopandas as gpd
import pyproj
import pytest
import shapely
from click.testing import CliRunner

from chuannan_gis.cli import main
from chuannan_gis.crs import MEASURE_CRS
from chuannan_gis.errors import CRSError
from chuannan_gis.io import read_proposals
from chuannan_gis.layers import load_constraints
from chuannan_gis.layers.imports import import_source

XIAN80_GK = "EPSG:2380"  # Xian 1980 / 3-degree Gauss-Kruger CM 105E
SITE = shapely.box(505_000, 3_170_000, 506_000, 3_171_000)
CORNER = SITE.exterior.coords[0]  # (506 000, 3 170 000)


def proposals(crs=XIAN80_GK, geometry=SITE):
    return gpd.GeoDataFrame(
        {"name": ["甲"], "kind": ["industrial_park"], "industry": ["chemical"]}, geometry=[geometry], crs=crs
    )


def corner(gdf, crs=MEASURE_CRS):
    return shapely.get_coordinates(gdf.to_crs(crs).geometry.iloc[0].exterior)[0]


@pytest.mark.parametrize(
    ("crs", "datum"), [(XIAN80_GK, "Xian 1980"), ("EPSG:2435", "Beijing 1954"), ("EPSG:4214", "Beijing 1954")]
)
def test_a_ballpark_only_datum_is_refused_naming_it_and_the_ways_out(tmp_path, crs, datum):
    path = tmp_path / "西安80.gpkg"
    proposals().to_crs(crs).to_file(path) if crs != XIAN80_GK else proposals().to_file(path)
    before = path.read_bytes()
    result = CliRunner().invoke(main, ["check", str(path), "-o", str(tmp_path / "r.gpkg")])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert datum in result.output and "ballpark" in result.output
    assert (
        "--datum-shift position_vector:dx,dy,dz,rx,ry,rz,ds" in result.output
        and "planar:dx,dy,rotation,scale" in result.output
    )
    assert path.read_bytes() == before


def test_a_planar_four_parameter_shift_moves_the_plane(tmp_path):
    # dx 10 m east, dy −20 m north, no rotation or scale: the corner moves by exactly that
    shifted = read_proposals(proposals(), datum_shift="planar:10,-20,0,0")
    assert corner(shifted) == pytest.approx((CORNER[0] + 10, CORNER[1] - 20), abs=0.001)
    # rotation 10″ anticlockwise and scale 5 ppm about the origin of the plane, by the formula
    theta, factor = 10 * math.pi / (180 * 3600), 1 + 5e-6
    east, north = CORNER
    expected = (
        factor * (east * math.cos(theta) - north * math.sin(theta)),
        factor * (east * math.sin(theta) + north * math.cos(theta)),
    )
    turned = read_proposals(proposals(), datum_shift="planar:0,0,10,5")
    assert corner(turned) == pytest.approx(expected, abs=0.001)


def test_seven_parameters_in_either_rotation_convention(tmp_path):
    # the same rotation is +r in position-vector and −r in coordinate-frame convention
    a = read_proposals(proposals(), datum_shift="position_vector:0,0,0,0,0,1.5,0")
    b = read_proposals(proposals(), datum_shift="coordinate_frame:0,0,0,0,0,-1.5,0")
    assert corner(a) == pytest.approx(corner(b), abs=0.001)
    # the same as PROJ's own Helmert step in a pipeline written out by hand (cartesian on Xian 1980's
    # ellipsoid IAU 76, the 7 parameters, back to lon/lat on GRS 80), to 1 mm
    parameters = {"x": -12.5, "y": 80.0, "z": 45.1, "rx": 0.5, "ry": -1.2, "rz": 3.0, "s": 2.5}
    text = "coordinate_frame:" + ",".join(str(parameters[k]) for k in ("x", "y", "z")) + ","
    text += ",".join(str(-parameters[k]) for k in ("rx", "ry", "rz")) + f",{parameters['s']}"
    moved = read_proposals(proposals(), datum_shift=text)
    helmert = " ".join(f"+{k}={v}" for k, v in parameters.items())
    pipeline = pyproj.Transformer.from_pipeline(
        "+proj=pipeline +step +inv +proj=tmerc +lon_0=105 +x_0=500000 +ellps=IAU76 +step +proj=cart +ellps=IAU76 "
        f"+step +proj=helmert {helmert} +convention=position_vector +step +inv +proj=cart +ellps=GRS80 "
        "+step +proj=unitconvert +xy_in=rad +xy_out=deg"
    )
    expected = gpd.GeoSeries([shapely.Point(pipeline.transform(*CORNER))], crs=4490).to_crs(MEASURE_CRS).iloc[0]
    assert corner(moved) == pytest.approx((expected.x, expected.y), abs=0.001)
    assert shapely.Point(corner(moved)).distance(shapely.Point(CORNER)) > 10  # it did move


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("0,0,0,0,0,0,0", "expected position_vector"),
        ("bursa:1,2,3,4,5,6,7", "expected"),
        ("planar:1,2,3", "takes 4 numbers"),
        ("position_vector:1,2,a,4,5,6,7", "must be numbers"),
    ],
)
def test_a_bad_datum_shift_says_the_forms(text, message):
    with pytest.raises(CRSError, match=message):
        read_proposals(proposals(), datum_shift=text)


def test_wgs84_is_taken_as_cgcs2000_and_said(caplog):
    lonlat = proposals(MEASURE_CRS).to_crs(4326)
    with caplog.at_level(logging.WARNING):
        read = read_proposals(lonlat)
    assert corner(read) == pytest.approx(CORNER, abs=0.001)
    said = [r.getMessage() for r in caplog.records if "WGS 84" in r.getMessage()]
    assert len(said) == 1 and "taken as CGCS2000" in said[0]


def test_a_layer_in_xian_1980_is_refused_or_imported_at_the_assumed_accuracy(tmp_path):
    centre = load_constraints().measured("counties").set_index("adcode").loc["511523"].geometry.representative_point()
    delivered = gpd.GeoDataFrame({"HXMC": ["西安80红线"]}, geometry=[centre.buffer(1000)], crs=MEASURE_CRS)
    delivered.set_crs(XIAN80_GK, allow_override=True).to_file(tmp_path / "红线.shp", engine="pyogrio", encoding="utf-8")
    with pytest.raises(CRSError, match=r"Xian 1980.*--assume-accuracy-m N"):
        import_source("redline", tmp_path / "红线.shp", tmp_path / "set.gpkg", coverage="江安县")
    results, _ = import_source(
        "redline", tmp_path / "红线.shp", tmp_path / "set.gpkg", coverage="江安县", assume_accuracy_m=30
    )
    assert results[0].frame["accuracy_m"].tolist() == [30]
    assert results[0].metadata["accuracy_m"] == 30
