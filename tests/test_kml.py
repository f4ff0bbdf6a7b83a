"""KML/KMZ placemarks: points, centrelines and polygons from every folder, GCJ-02 exports undone."""

from __future__ import annotations

import zipfile

import geopandas as gpd
import pytest
import shapely

import chuannan_gis
from chuannan_gis.crs import MEASURE_CRS, convert_datum
from chuannan_gis.errors import InputError
from chuannan_gis.io import read_proposals
from conftest import box_km

PARK = {"kind": "industrial_park", "industry": "chemical"}
CORE_SITE = gpd.GeoSeries([box_km(505.2, 3170.2, 506.2, 3171.2)], crs=MEASURE_CRS).to_crs(4490).iloc[0]
FREE_POINT = gpd.GeoSeries([shapely.Point(559_500, 3_209_500)], crs=MEASURE_CRS).to_crs(4490).iloc[0]


def coordinates(geometry) -> str:
    return " ".join(f"{x:.9f},{y:.9f},0" for x, y in geometry.coords)


def document(site=CORE_SITE, point=FREE_POINT) -> str:
    polygon = (
        "<Polygon><outerBoundaryIs><LinearRing><coordinates>"
        f"{coordinates(site.exterior)}</coordinates></LinearRing></outerBoundaryIs></Polygon>"
    )
    centreline = shapely.LineString([site.exterior.coords[0], point.coords[0]])
    line = f"<LineString><coordinates>{coordinates(centreline)}</coordinates></LineString>"
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document><name>项目</name>
<Folder><name>园区</name>
<Placemark><name>泸州化工园</name><description>红线</description>{polygon}</Placemark>
<Placemark><name>仓库</name><Point><coordinates>{coordinates(point)}</coordinates></Point></Placemark>
</Folder>
<Folder><name>管线</name><Placemark><name>输气管道</name>{line}</Placemark></Folder>
</Document></kml>
"""


def test_placemarks_of_every_folder(tmp_path):
    path = tmp_path / "项目.kml"
    path.write_text(document(), encoding="utf-8")
    proposals = read_proposals(path, constants=PARK)
    assert proposals["name"].tolist() == ["泸州化工园", "仓库", "输气管道"]
    assert proposals["kml_folder"].tolist() == ["园区", "园区", "管线"]
    assert proposals.geom_type.tolist() == ["Polygon", "Point", "LineString"]
    assert proposals.to_crs(MEASURE_CRS).area.iloc[0] == pytest.approx(1_000_000, rel=0.01)
    assert read_proposals(path, constants=PARK, layer="管线")["name"].tolist() == ["输气管道"]
    with pytest.raises(InputError, match="no folder '道路'; folders: 园区, 管线"):
        read_proposals(path, constants=PARK, layer="道路")


def test_a_kmz_reads_as_its_kml_with_the_verdicts_of_a_geopackage(tmp_path, constraints):
    path = tmp_path / "项目.kmz"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("doc.kml", document())
    from_kmz = chuannan_gis.check(path, constraints=constraints, constants=PARK).proposals
    gpkg = tmp_path / "same.gpkg"
    gpd.GeoDataFrame(
        {"name": from_kmz["name"], **{k: [v] * 3 for k, v in PARK.items()}},
        geometry=[CORE_SITE, FREE_POINT, shapely.LineString([CORE_SITE.exterior.coords[0], FREE_POINT.coords[0]])],
        crs=4490,
    ).to_file(gpkg)
    from_gpkg = chuannan_gis.check(gpkg, constraints=constraints).proposals
    assert from_kmz["verdict"].tolist() == from_gpkg["verdict"].tolist() == ["prohibited", "clear", "prohibited"]


def test_a_gcj02_export_is_moved_back_within_a_metre(tmp_path):
    shifted = convert_datum(FREE_POINT, "wgs84", "gcj02")
    path = tmp_path / "奥维.kml"
    path.write_text(document(convert_datum(CORE_SITE, "wgs84", "gcj02"), shifted), encoding="utf-8")
    raw = read_proposals(path, constants=PARK).to_crs(MEASURE_CRS).geometry.iloc[1]
    undone = read_proposals(path, constants=PARK, input_datum="gcj02").to_crs(MEASURE_CRS).geometry.iloc[1]
    truth = gpd.GeoSeries([FREE_POINT], crs=4490).to_crs(MEASURE_CRS).iloc[0]
    assert raw.distance(truth) > 100  # GCJ-02 is hundreds of metres off
    assert undone.distance(truth) < 1.0


def test_a_document_without_placemarks_says_so(tmp_path):
    path = tmp_path / "空.kml"
    path.write_text(
        '<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document><Folder><name>空</name>'
        "<Placemark><name>无形状</name></Placemark></Folder></Document></kml>",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match="no placemark"):
        read_proposals(path, constants=PARK)
