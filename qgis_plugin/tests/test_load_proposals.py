"""chuannan:loadproposals (the forms planners receive → a proposals layer) and the check's CONSTANTS."""
from __future__ import annotations

import geopandas as gpd
from qgis.core import QgsVectorLayer

from tests.data import PROPOSALS

CONSTANTS = "kind=industrial_park;industry=chemical"


def polygons(path):
    """The polygon proposals, named, without kind or industry (a drawing's or a coordinate file's)."""
    rows = [row for row in PROPOSALS if row[4].geom_type == "Polygon"]
    frame = gpd.GeoDataFrame({"name": [row[0] for row in rows]}, geometry=[row[4] for row in rows], crs="EPSG:4490")
    frame.to_file(path, layer="sites", engine="pyogrio")
    return frame


def verdicts(path) -> dict[str, str]:
    found = {}
    for kind in ("Point", "Polygon"):
        layer = QgsVectorLayer(f"{path}|layername=proposals|geometrytype={kind}", "result", "ogr")
        found.update({f["name"]: f["verdict"] for f in layer.getFeatures()} if layer.isValid() else {})
    return found


def test_a_coordinate_file_loads_and_checks_as_the_library_checks_it(processing_env, tmp_path):
    import chuannan_gis
    from chuannan_gis.readers import landcoord_txt

    sites = tmp_path / "用地坐标.txt"
    landcoord_txt.write(polygons(tmp_path / "sites.gpkg"), sites)
    params = {"INPUT": str(sites), "CONSTANTS": CONSTANTS, "OUTPUT": str(tmp_path / "proposals.gpkg")}
    loaded = processing_env.run("chuannan:loadproposals", params)
    layer = QgsVectorLayer(loaded["OUTPUT"], "proposals", "ogr")
    assert layer.isValid() and layer.featureCount() == len(polygons(tmp_path / "again.gpkg"))
    processing_env.run("chuannan:checkproposals", {"INPUT": loaded["OUTPUT"], "OUTPUT": str(tmp_path / "r.gpkg")})
    expected = chuannan_gis.check(str(sites), constants={"kind": "industrial_park", "industry": "chemical"})
    assert verdicts(tmp_path / "r.gpkg") == dict(zip(expected.proposals["name"], expected.proposals["verdict"]))


def test_check_constants_fill_the_fields_a_layer_lacks(processing_env, tmp_path):
    import chuannan_gis

    polygons(tmp_path / "sites.gpkg")
    params = {"INPUT": str(tmp_path / "sites.gpkg"), "CONSTANTS": CONSTANTS, "OUTPUT": str(tmp_path / "r.gpkg")}
    processing_env.run("chuannan:checkproposals", params)
    constants = {"kind": "industrial_park", "industry": "chemical"}
    expected = chuannan_gis.check(str(tmp_path / "sites.gpkg"), constants=constants)
    assert verdicts(tmp_path / "r.gpkg") == dict(zip(expected.proposals["name"], expected.proposals["verdict"]))


def test_a_bad_file_is_a_clear_processing_error(processing_env, tmp_path):
    import pytest
    from qgis.core import QgsProcessingException

    bad = tmp_path / "空.txt"
    bad.write_text("[属性描述]\n[地块坐标]\n", encoding="utf-8")
    with pytest.raises(QgsProcessingException, match="lists no parcel"):
        processing_env.run("chuannan:loadproposals", {"INPUT": str(bad), "OUTPUT": str(tmp_path / "p.gpkg")})


def test_drawn_sites_export_as_a_coordinate_file_that_reads_back(processing_env, tmp_path):
    from chuannan_gis.crs import MEASURE_CRS
    from chuannan_gis.io import read_proposals

    drawn = polygons(tmp_path / "sites.gpkg")
    output = tmp_path / "sites.txt"
    processing_env.run("chuannan:exportlandcoordinates", {"INPUT": str(tmp_path / "sites.gpkg"),
                                                          "OUTPUT": str(output)})
    back = read_proposals(output, constants={"kind": "industrial_park", "industry": "chemical"})
    assert back["name"].tolist() == drawn["name"].tolist()
    assert back.to_crs(MEASURE_CRS).geometry.iloc[0].equals_exact(drawn.to_crs(MEASURE_CRS).geometry.iloc[0], 0.001)
