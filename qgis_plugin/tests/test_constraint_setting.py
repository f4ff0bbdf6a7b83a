"""One constraint-set setting: Check proposals, Screen region and click-to-check use the same
set (issue 11, deliver 4).  An official red line imported for 江安县 around a site where a
chemical park is not prohibited on the bundled layers: once Check proposals has run with it (or
the setting names it), click-to-check at the site gives the algorithm's verdict, not the bundled one.
"""
from __future__ import annotations

import geopandas as gpd
import pytest
import shapely
from qgis.core import QgsCoordinateReferenceSystem, QgsRectangle, QgsVectorLayer

from tests.test_clickcheck import VALUES, click

MEASURE = "EPSG:4544"


@pytest.fixture(scope="module")
def official(tmp_path_factory, real_bundle):
    """(site lon/lat, official.gpkg, bundled verdict at the site)."""
    import chuannan_gis
    from chuannan_gis.layers import load_constraints
    from chuannan_gis.layers.imports import import_entries

    folder = tmp_path_factory.mktemp("official")
    county = load_constraints().measured("counties").set_index("adcode").loc["511523"].geometry
    x0, y0, x1, y1 = county.buffer(-3000).bounds
    grid = [shapely.Point(x, y) for x in range(int(x0), int(x1), 5000) for y in range(int(y0), int(y1), 5000)]
    grid = [p for p in grid if county.buffer(-3000).contains(p)]
    frame = gpd.GeoDataFrame({k: [v] * len(grid) for k, v in VALUES.items()}, geometry=grid, crs=MEASURE)
    bundled = chuannan_gis.check(frame).proposals["verdict"].tolist()
    site, before = next((p, v) for p, v in zip(grid, bundled) if v != "prohibited")
    red = gpd.GeoDataFrame({"BSM": [1], "HXMC": ["江安测试红线"], "HXLX": ["水源涵养"]},
                           geometry=[site.buffer(1000)], crs=MEASURE)
    red.to_file(folder / "红线.geojson", engine="pyogrio")
    out = folder / "official.gpkg"
    import_entries([{"template": "redline", "source": str(folder / "红线.geojson"), "coverage": "江安县",
                     "constants": {"date": "2023-10", "source": "测试红线"}}], out)
    lon_lat = gpd.GeoSeries([site], crs=MEASURE).to_crs("EPSG:4490").iloc[0]
    return (lon_lat.x, lon_lat.y), out, before


def test_click_check_follows_the_set_check_proposals_used(
        official, processing_env, plugin, qgis_iface, qgis_new_project, tmp_path):
    from chuannan_qgis import core

    (lon, lat), path, bundled_verdict = official
    site = gpd.GeoDataFrame({k: [v] for k, v in VALUES.items()}, geometry=[shapely.Point(lon, lat)], crs="EPSG:4490")
    site.to_file(tmp_path / "site.gpkg", engine="pyogrio")
    params = {"INPUT": str(tmp_path / "site.gpkg"), "CONSTRAINTS": str(path), "OUTPUT": str(tmp_path / "r.gpkg")}
    outputs = processing_env.run("chuannan:checkproposals", params)
    algorithm_verdict = next(QgsVectorLayer(outputs["OUTPUT"], "r", "ogr").getFeatures())["verdict"]
    assert algorithm_verdict == "prohibited" != bundled_verdict
    assert core.constraint_set_path() == str(path)  # the set given to the algorithm is the plugin's setting

    canvas = qgis_iface.mapCanvas()
    canvas.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:4490"))
    canvas.setExtent(QgsRectangle(lon - 0.05, lat - 0.05, lon + 0.05, lat + 0.05))
    plugin.action.setChecked(True)
    tool = plugin.click_check
    try:
        for box, field in ((tool.panel.kind, "kind"), (tool.panel.industry, "industry"),
                           (tool.panel.status, "status")):
            box.setCurrentIndex(box.findData(VALUES[field]))
        click(canvas, tool.tool, (lon, lat))
        assert tool.result.proposals["verdict"].iloc[0] == algorithm_verdict
        assert tool.result.run_info.constraints_overlay == str(path.resolve())
        core.set_constraint_set_path(None)  # Constraint set… › bundled
        click(canvas, tool.tool, (lon, lat))
        assert tool.result.proposals["verdict"].iloc[0] == bundled_verdict
    finally:
        plugin.action.setChecked(False)


def test_the_algorithms_default_to_the_setting(official, processing_env):
    from qgis.core import QgsApplication

    from chuannan_qgis import core

    _, path, _ = official
    core.set_constraint_set_path(str(path))
    for name in ("chuannan:checkproposals", "chuannan:screenregion", "chuannan:loadconstraints"):
        algorithm = QgsApplication.processingRegistry().createAlgorithmById(name)
        assert algorithm.parameterDefinition("CONSTRAINTS").defaultValue() == str(path), name
    webmap = QgsApplication.processingRegistry().createAlgorithmById("chuannan:exportwebmap")
    assert not webmap.parameterDefinition("CONSTRAINTS").defaultValue()  # the map draws what the check used
    core.set_constraint_set_path(None)
    algorithm = QgsApplication.processingRegistry().createAlgorithmById("chuannan:checkproposals")
    assert not algorithm.parameterDefinition("CONSTRAINTS").defaultValue()
