"""Import official layers: a red line drawn in QGIS, imported for 江安县, then used by Check proposals.

The red line is what a planner has in QGIS: a memory layer with the national field names (BSM,
HXMC, HXLX) and Chinese values, in CGCS2000 GK zone 35 with the zone prefix (EPSG:4523), placed
inside 江安县 (511523) from the bundled counties layer.  An industrial park inside it is then
prohibited by ``redline_production`` naming the red line's HXMC; a park inside a bundled red line
of another county is still judged on the bundled layer.  Real QGIS, no mocks.
"""
from __future__ import annotations

import geopandas as gpd
import pyogrio
import pytest
import shapely
from qgis.core import (
    QgsApplication,
    QgsFeature,
    QgsGeometry,
    QgsProcessingException,
    QgsProcessingFeatureSourceDefinition,
    QgsProcessingFeedback,
    QgsProject,
    QgsVectorLayer,
)

MEASURE = "EPSG:4544"  # CGCS2000 GK CM 105°E; EPSG:4523 is the same with the zone prefix 35 on eastings
PREFIX = 35_000_000
JIANGAN = "511523"
RED_LINE_NAME = "江安县长江湿地生态保护红线"
PARK = {"kind": "园区", "industry": "电子", "status": "新建"}  # an electronics park: no chemical rule fires


class Log(QgsProcessingFeedback):
    """Keeps what the algorithm reports."""

    def __init__(self):
        super().__init__()
        self.infos, self.warnings = [], []

    def pushInfo(self, info):  # noqa: N802 (QGIS API)
        self.infos.append(info)

    def pushWarning(self, warning):  # noqa: N802 (QGIS API)
        self.warnings.append(warning)


@pytest.fixture(scope="module")
def sites(real_bundle):
    """(red-line polygon in EPSG:4544 inside 江安县, a bundled red line's (name, point) in another county)."""
    from chuannan_gis.layers import load_constraints

    constraints = load_constraints()
    counties = constraints.measured("counties").set_index("adcode")
    county = counties.loc[JIANGAN].geometry
    inner = county.buffer(-4000)  # well inside: no bundled red line across the county edge reaches it
    centre = inner.representative_point()
    red_line = shapely.box(centre.x - 1000, centre.y - 1000, centre.x + 1000, centre.y + 1000)
    assert inner.contains(red_line)
    bundled = constraints.measured("eco_redlines")
    far = county.buffer(10_000)
    other = next((row.name_zh, row.geometry.representative_point()) for row in bundled.itertuples()
                 if not row.geometry.intersects(far) and row.geometry.area > 4e6)
    assert not counties.loc[JIANGAN].geometry.contains(other[1])
    return red_line, other


def red_line_layer(polygons, names) -> QgsVectorLayer:
    """A memory layer as a planner draws one: EPSG:4523 (zone-prefixed eastings), national field names."""
    layer = QgsVectorLayer("Polygon?crs=EPSG:4523&field=BSM:integer&field=HXMC:string(60)&field=HXLX:string(20)",
                           "生态保护红线", "memory")
    features = []
    for number, (polygon, name) in enumerate(zip(polygons, names), 1):
        feature = QgsFeature(layer.fields())
        feature.setAttributes([number, name, "水源涵养"])
        prefixed = shapely.transform(polygon, lambda xy: xy + [PREFIX, 0.0])
        feature.setGeometry(QgsGeometry.fromWkt(prefixed.wkt))
        features.append(feature)
    assert layer.dataProvider().addFeatures(features)
    return layer


def run_import(processing, source, output, feedback=None, **extra):
    params = {"INPUT": source, "TEMPLATE": template_index("redline"), "COVERAGE": "江安县", "OUTPUT": str(output),
              **extra}
    return processing.run("chuannan:importofficial", params, feedback=feedback or QgsProcessingFeedback())


def template_index(name: str) -> int:
    from chuannan_qgis import core

    return [t["name"] for t in core.templates()].index(name)


def proposals_file(path, sites) -> str:
    red_line, (_, other) = sites
    inside = red_line.centroid.buffer(200, cap_style="square")
    frame = gpd.GeoDataFrame(
        [{"名称": "红线内电子园", "类型": PARK["kind"], "行业": PARK["industry"], "状态": PARK["status"]},
         {"名称": "他县红线内电子园", "类型": PARK["kind"], "行业": PARK["industry"], "状态": PARK["status"]}],
        geometry=[inside, other.buffer(200, cap_style="square")], crs=MEASURE).to_crs("EPSG:4490")
    frame.to_file(path, layer="proposals", engine="pyogrio")
    return str(path)


def test_the_algorithm_is_registered_with_the_librarys_templates(processing_env):
    from chuannan_gis.layers.imports import describe_templates
    from chuannan_gis.layers.schema import DATA_STATUSES

    from chuannan_qgis.processing import import_official

    algorithm = QgsApplication.processingRegistry().algorithmById("chuannan:importofficial")
    assert algorithm is not None and algorithm.displayName() in ("Import official layers", "导入官方图层")
    names = [row["name"] for row in describe_templates()]
    options = algorithm.parameterDefinition("TEMPLATE").options()
    assert [option.split(":")[0] for option in options] == names
    assert import_official.DATA_STATUSES == DATA_STATUSES
    help_text = algorithm.shortHelpString()
    for row in describe_templates():  # every template with the fields it looks for
        assert f"{row['name']}:" in help_text and row["target"] in help_text
        for field, spec in row["fields"].items():
            assert field in help_text and all(str(alias) in help_text for alias in spec["aliases"])
    assert {"红线", "导入", "官方", "import", "official"} <= set(algorithm.tags())
    assert algorithm.parameterDefinition("USE_AS_CONSTRAINT_SET").defaultValue() is True


def test_a_red_line_drawn_in_qgis_becomes_the_constraint_set_check_proposals_uses(
        processing_env, sites, tmp_path):
    import chuannan_gis
    from chuannan_gis.layers import validation_report

    from chuannan_qgis import core

    layer = red_line_layer([sites[0]], [RED_LINE_NAME])
    official = tmp_path / "official.gpkg"
    log = Log()
    outputs = run_import(processing_env, layer, official, log, DATE="2023-10", ACCURACY_M=2)
    assert outputs["OUTPUT"] == str(official) and outputs["LAYER"] == "eco_redlines"

    report = validation_report(official)
    assert report.errors == []
    meta = pyogrio.read_dataframe(official, layer="layer_metadata", read_geometry=False).set_index("layer")
    assert meta.loc["eco_redlines", "coverage"] == JIANGAN
    assert meta.loc["eco_redlines", "data_status"] == "official" and meta.loc["eco_redlines", "date"] == "2023-10"
    assert "memory layer" in meta.loc["eco_redlines", "source"]  # the layer it came from, not the temporary copy
    imported = pyogrio.read_dataframe(official, layer="eco_redlines")
    assert imported["name_zh"].tolist() == [RED_LINE_NAME] and imported["redline_type"].tolist() == ["水源涵养"]
    assert imported.crs.to_epsg() == 4490 and imported["accuracy_m"].tolist() == [2.0]
    # what it did, in both languages; no word of the temporary copy
    assert "读取 features read: 1" in log.infos and "写入 written: 1 → eco_redlines" in log.infos
    assert "覆盖范围 coverage: 江安县 511523" in log.infos
    assert not any("input.gpkg" in line or "chuannan-import-" in line for line in log.infos + log.warnings)
    assert core.constraint_set_path() == str(official)  # "use as the constraint set" is on by default

    # Check proposals with the plugin's constraint set (no CONSTRAINTS given)
    proposals = proposals_file(tmp_path / "proposals.gpkg", sites)
    result = tmp_path / "result.gpkg"
    processing_env.run("chuannan:checkproposals", {
        "INPUT": proposals, "NAME_FIELD": "名称", "KIND_FIELD": "类型", "INDUSTRY_FIELD": "行业",
        "STATUS_FIELD": "状态", "OUTPUT": str(result)})
    verdicts = pyogrio.read_dataframe(result, layer="proposals", read_geometry=False).set_index("name")
    findings = pyogrio.read_dataframe(result, layer="findings", read_geometry=False)
    inside, other = verdicts.loc["红线内电子园"], verdicts.loc["他县红线内电子园"]
    assert inside["verdict"] == "prohibited"
    fired = findings[(findings["proposal_id"] == inside["proposal_id"]) & (findings["rule_id"] == "redline_production")]
    assert len(fired) == 1 and RED_LINE_NAME in fired["message_zh"].iloc[0]
    assert fired["data_status"].iloc[0] == "official"

    # the other county keeps the bundled red lines: the verdict the library gives on the bundled set
    bundled_name = sites[1][0]
    fired = findings[(findings["proposal_id"] == other["proposal_id"]) & (findings["rule_id"] == "redline_production")]
    assert other["verdict"] == "prohibited"
    assert len(fired) == 1 and bundled_name in fired["message_zh"].iloc[0]
    assert fired["data_status"].iloc[0] == "indicative"
    alone = chuannan_gis.check(proposals, field_map={"name": "名称", "kind": "类型", "industry": "行业",
                                                     "status": "状态"}).proposals.set_index("name")
    assert alone.loc["他县红线内电子园", "verdict"] == other["verdict"]
    assert RED_LINE_NAME not in alone.loc["红线内电子园", "summary_zh"]
    del layer


def test_a_sparse_template_without_coverage_is_a_clear_error(processing_env, sites, tmp_path):
    layer = red_line_layer([sites[0]], [RED_LINE_NAME])
    with pytest.raises(QgsProcessingException) as raised:
        run_import(processing_env, layer, tmp_path / "official.gpkg", COVERAGE="")
    message = str(raised.value)
    # the dialog's own parameter, in the interface language, not the command line's option
    assert "“Coverage (counties or cities)”" in message and "--coverage" not in message
    assert "Traceback" not in message and "input.gpkg" not in message
    assert not (tmp_path / "official.gpkg").exists()
    del layer


def test_an_empty_input_is_refused_not_imported_as_none_here(processing_env, tmp_path):
    layer = red_line_layer([], [])
    with pytest.raises(QgsProcessingException, match="no features to import") as raised:
        run_import(processing_env, layer, tmp_path / "official.gpkg")
    assert "生态保护红线 (QGIS 内存图层 memory layer)" in str(raised.value)
    assert not (tmp_path / "official.gpkg").exists()
    del layer


def test_a_bad_value_names_the_layer_feature_and_field(processing_env, sites, tmp_path):
    """A shoreline plan whose zone is not a shoreline zone: the message names the layer as loaded in
    QGIS, the feature and the field, and where the command line's --value is here."""
    layer = QgsVectorLayer("Polygon?crs=EPSG:4544&field=功能区类型:string&field=河流名称:string&field=岸别:string",
                           "岸线功能区", "memory")
    feature = QgsFeature(layer.fields())
    feature.setAttributes(["港口作业区", "长江", "左岸"])
    feature.setGeometry(QgsGeometry.fromWkt(sites[0].wkt))
    assert layer.dataProvider().addFeatures([feature])
    with pytest.raises(QgsProcessingException) as raised:
        run_import(processing_env, layer, tmp_path / "shore.gpkg", TEMPLATE=template_index("shoreline"))
    message = str(raised.value)
    assert "岸线功能区 (QGIS 内存图层 memory layer)" in message and "feature #1" in message
    assert "field zone" in message and "港口作业区" in message and "“Value mappings”" in message
    assert "--value" not in message  # the dialog's parameter, not the command line's option
    assert "input.gpkg" not in message and "Traceback" not in message
    del layer


def test_a_file_layer_selection_into_an_existing_set_replaces_only_its_layer(processing_env, sites, tmp_path):
    """A GeoPackage layer (with its fid) loaded in the project, two red lines, one selected, imported
    into a set that already holds farmland: the red lines are replaced, the farmland kept, and the
    value mapping in the command line's syntax applied."""
    red_line, _ = sites
    second = shapely.transform(red_line, lambda xy: xy + [2500.0, 0.0])
    delivered = gpd.GeoDataFrame({"BSM": [1, 2], "HXMC": ["甲红线", "乙红线"], "类别": ["一类", "二类"]},
                                 geometry=[red_line, second], crs=MEASURE)
    path = tmp_path / "三区三线.gpkg"
    delivered.to_file(path, layer="STBHHX", engine="pyogrio")
    layer = QgsVectorLayer(f"{path}|layername=STBHHX", "红线（交付）", "ogr")
    assert layer.isValid()
    QgsProject.instance().addMapLayer(layer)
    official = tmp_path / "official.gpkg"
    log = Log()
    try:
        run_import(processing_env, layer, official, FIELDS="redline_type=类别", USE_AS_CONSTRAINT_SET=False)
        run_import(processing_env, layer, official, TEMPLATE=template_index("yjjbnt"), USE_AS_CONSTRAINT_SET=False)
        layer.selectByExpression("\"BSM\" = 2")
        run_import(processing_env, QgsProcessingFeatureSourceDefinition(layer.id(), True), official, log,
                   FIELDS="redline_type=类别", VALUES="redline_type:二类=二类红线", USE_AS_CONSTRAINT_SET=False)
    finally:
        QgsProject.instance().removeMapLayer(layer.id())
    from chuannan_qgis import core

    assert core.constraint_set_path() is None  # left as it was
    layers = {name for name, _ in pyogrio.list_layers(official)}
    assert {"farmland", "eco_redlines", "layer_metadata"} <= layers
    assert len(pyogrio.read_dataframe(official, layer="farmland")) == 2
    reds = pyogrio.read_dataframe(official, layer="eco_redlines")
    assert reds["name_zh"].tolist() == ["乙红线"] and reds["redline_type"].tolist() == ["二类红线"]
    assert reds["source"].tolist() == ["三区三线.gpkg:STBHHX"]  # as the command line labels that file
    assert "读取 features read: 1" in log.infos and "写入 written: 1 → eco_redlines" in log.infos
    assert any("layer eco_redlines replaced" in w for w in log.warnings)
    # logged by the library, reported here naming this dialog's parameter instead of its --constant
    assert any("accuracy not stated" in w and "“Accuracy (m)”" in w and "--constant" not in w for w in log.warnings)


def test_field_and_value_mappings_accept_several_per_line(processing_env):
    from chuannan_qgis import core

    assert core.split_mappings("zone=GNQ; bank=AB\nriver_id=HL；name_zh=MC\n") == [
        "zone=GNQ", "bank=AB", "river_id=HL", "name_zh=MC"]
    fields, values = core.import_mappings("zone=GNQ;bank=AB", "zone:保护岸段=protection\nbank:北=left")
    assert fields == {"zone": "GNQ", "bank": "AB"}
    assert values == {"zone": {"保护岸段": "protection"}, "bank": {"北": "left"}}


def test_dltb_takes_its_coverage_from_the_xzq_layer_beside_it(processing_env, sites, tmp_path):
    """A 三调 DLTB loaded from its GeoPackage: no coverage given, so the XZQ (行政区) layer of the same
    file is copied too and names the county, as the command line reads it; the pond is left out."""
    red_line, _ = sites
    centre = red_line.centroid
    patches = gpd.GeoDataFrame({"BSM": ["1", "2"], "DLBM": ["1101", "1104"], "DLMC": ["河流水面", "坑塘水面"]},
                               geometry=[centre.buffer(300), shapely.Point(centre.x + 1000, centre.y).buffer(50)],
                               crs=MEASURE)
    path = tmp_path / "511523_三调.gpkg"
    patches.to_file(path, layer="DLTB", engine="pyogrio")
    gpd.GeoDataFrame({"XZQDM": ["511523101001"], "XZQMC": ["江安镇"]}, geometry=[red_line.buffer(3000)],
                     crs=MEASURE).to_file(path, layer="XZQ", engine="pyogrio")
    layer = QgsVectorLayer(f"{path}|layername=DLTB", "DLTB", "ogr")
    assert layer.isValid()
    log = Log()
    run_import(processing_env, layer, tmp_path / "water.gpkg", log, TEMPLATE=template_index("dltb"), COVERAGE="",
               SCALE="1:10000")
    meta = pyogrio.read_dataframe(tmp_path / "water.gpkg", layer="layer_metadata", read_geometry=False)
    assert meta.set_index("layer").loc["water", "coverage"] == JIANGAN
    assert any("inferred from the delivered XZQ layer" in line for line in log.infos)
    assert "剔除（非河流水面）left out (not river water): 1" in log.infos
    assert "写入 written: 1 → water" in log.infos and not log.warnings  # the scale gives the accuracy
    del layer


def test_the_coverage_refusal_is_in_the_chinese_interface_too(processing_env, tmp_path):
    """In a Chinese QGIS the refusal names the parameter as the Chinese dialog shows it."""
    from qgis.PyQt.QtCore import QCoreApplication, QTranslator

    import build
    from chuannan_qgis.processing.import_official import ImportOfficialAlgorithm

    build.compile_translations()
    translator = QTranslator()
    assert translator.load(str(build.I18N / "chuannan_qgis_zh.qm"))
    QCoreApplication.installTranslator(translator)
    try:
        algorithm = ImportOfficialAlgorithm()
        algorithm.initAlgorithm()
        message = algorithm.coverage_needed({"name": "water-source"})
    finally:
        QCoreApplication.removeTranslator(translator)
    assert message.startswith("模板 water-source 需要“覆盖范围（县区或市）”") and "--coverage" not in message
