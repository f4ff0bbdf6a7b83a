"""The Processing algorithms, run through processing.run as the toolbox and the modeler run them."""
from __future__ import annotations

import pytest
from qgis.core import (
    QgsApplication,
    QgsCategorizedSymbolRenderer,
    QgsProcessingContext,
    QgsProcessingFeedback,
    QgsProcessingOutputLayerDefinition,
    QgsProject,
    QgsVectorLayer,
)

from tests.conftest import library_verdicts
from tests.data import PROPOSAL_FIELDS, write_proposals

FIELD_PARAMETERS = {"NAME_FIELD": "名称", "KIND_FIELD": "类型", "INDUSTRY_FIELD": "行业", "STATUS_FIELD": "状态"}


def run_check(processing, proposals, tmp_path, **extra):
    params = {"INPUT": str(proposals), **FIELD_PARAMETERS, "OUTPUT": str(tmp_path / "result.gpkg"), **extra}
    return processing.run("chuannan:checkproposals", params)


def verdicts_of(uris) -> dict[str, str]:
    found = {}
    for uri in uris:
        layer = QgsVectorLayer(uri, "result", "ogr")
        assert layer.isValid(), uri
        found.update({f["name"]: f["verdict"] for f in layer.getFeatures()})
    return found


def result_uris(path) -> list[str]:
    return [f"{path}|layername=proposals|geometrytype={kind}" for kind in ("Point", "Polygon")]


def test_provider_and_algorithms_are_registered(processing_env):
    registry = QgsApplication.processingRegistry()
    provider = registry.providerById("chuannan")
    assert provider.name() in ("Chuannan compliance", "川南合规")
    for name in ("checkproposals", "loadconstraints", "exportwebmap", "importofficial"):
        algorithm = registry.algorithmById(f"chuannan:{name}")
        assert algorithm is not None and algorithm.displayName() and algorithm.shortHelpString()


def test_check_gives_the_library_verdicts(processing_env, proposals_gpkg, tmp_path):
    outputs = run_check(processing_env, proposals_gpkg, tmp_path, REPORT=str(tmp_path / "report.html"))
    expected = library_verdicts(proposals_gpkg, {k: v for k, v in PROPOSAL_FIELDS.items()})
    assert verdicts_of(result_uris(tmp_path / "result.gpkg")) == expected
    assert set(expected.values()) >= {"prohibited", "clear"}
    assert outputs["OUTPUT"].startswith(str(tmp_path / "result.gpkg"))
    assert "<html" in (tmp_path / "report.html").read_text("utf-8").lower()


def test_result_carries_reasons_and_citations(processing_env, proposals_gpkg, tmp_path):
    run_check(processing_env, proposals_gpkg, tmp_path)
    layer = QgsVectorLayer(result_uris(tmp_path / "result.gpkg")[1], "result", "ogr")
    feature = next(layer.getFeatures())
    assert feature["verdict"] == "prohibited" and feature["verdict_zh"] == "禁止"
    assert feature["summary_zh"] and feature["summary_en"] and feature["citations"]


def test_single_type_result_opens_styled_by_verdict(processing_env, tmp_path):
    points = write_proposals(tmp_path / "points.gpkg", "Point")
    outputs = processing_env.run("chuannan:checkproposals",
                                 {"INPUT": str(points), **FIELD_PARAMETERS, "OUTPUT": str(tmp_path / "r.gpkg")})
    layer = QgsVectorLayer(outputs["OUTPUT"], "reopened", "ogr")  # the style stored in the GeoPackage
    assert_verdict_style(layer)


def drawn_colour(symbol):
    """The verdict colour of a symbol: a marker's dot sits on its white halo (the last layer)."""
    from qgis.core import QgsMarkerSymbol

    return symbol.symbolLayer(symbol.symbolLayerCount() - 1).color() if isinstance(symbol, QgsMarkerSymbol) \
        else symbol.color()


def assert_verdict_style(layer):
    from chuannan_gis.verdicts import VERDICTS

    from chuannan_qgis.style import CERTAINTY_CLASS

    renderer = layer.renderer()
    # by verdict, each but clear also "<verdict>:within_accuracy" (test_certainty.py), in the verdict's colour
    assert isinstance(renderer, QgsCategorizedSymbolRenderer) and renderer.classAttribute() == CERTAINTY_CLASS
    colours = {c.value(): drawn_colour(c.symbol()).name() for c in renderer.categories()}
    assert colours == {code: v.colour for code, v in VERDICTS.items()} | {
        f"{code}:within_accuracy": v.colour for code, v in VERDICTS.items() if code != "clear"}
    assert "summary_zh" in layer.mapTipTemplate() and "citations" in layer.mapTipTemplate()
    assert layer.attributeAlias(layer.fields().indexOf("verdict")) == "结论 verdict"
    labels = [c.label() for c in renderer.categories()]
    assert len(set(labels)) == len(labels)
    assert "prohibited" in labels or "禁止 prohibited" in labels  # not "prohibited (prohibited)"


def test_toolbox_run_loads_styled_layers_into_the_project(processing_env, proposals_gpkg, tmp_path):
    """What the toolbox does: run with the output going to the project, then load the results."""
    from processing.gui.Postprocessing import handleAlgorithmResults

    project = QgsProject.instance()
    context = QgsProcessingContext()
    context.setProject(project)
    feedback = QgsProcessingFeedback()
    output = QgsProcessingOutputLayerDefinition(str(tmp_path / "result.gpkg"), project)
    params = {"INPUT": str(proposals_gpkg), **FIELD_PARAMETERS, "OUTPUT": output}
    algorithm = QgsApplication.processingRegistry().createAlgorithmById("chuannan:checkproposals")
    processing_env.run(algorithm, params, feedback=feedback, context=context)
    handleAlgorithmResults(algorithm, context, feedback, False, params)
    try:
        names = sorted(layer.name() for layer in project.mapLayers().values())
        assert names == ["Compliance result (Point)", "Compliance result (Polygon)",
                         "Compliance result: Findings", "Compliance result: Not checked"]
        proposals = [layer for layer in project.mapLayers().values() if layer.name().endswith(")")]
        findings = project.mapLayersByName("Compliance result: Findings")[0]
        for layer in proposals:
            assert_verdict_style(layer)
            assert_readable(layer)
        # by name: mapLayers() is keyed by layer id, whose order is not the load order
        polygons = project.mapLayersByName("Compliance result (Polygon)")[0]
        relations = project.relationManager().referencedRelations(polygons)
        assert len(relations) == 1 and relations[0].referencingLayer() is findings
        red_line = next(f for f in polygons.getFeatures() if f["name"] == "红线内化工园区")
        related = list(relations[0].getRelatedFeatures(red_line))
        assert related and all(f["proposal_id"] == red_line["proposal_id"] for f in related)
        assert findings.conditionalStyles().fieldStyles("verdict")
        # numbers shown rounded in the table: 350.00, not 350.00000000000006
        from qgis.core import QgsApplication as App

        index = findings.fields().indexOf("measured")
        setup = findings.editorWidgetSetup(index)
        assert setup.type() == "Range" and setup.config()["Precision"] == 2
        formatter = App.fieldFormatterRegistry().fieldFormatter(setup.type())
        shown = formatter.representValue(findings, index, setup.config(), None, 35251.380000000005)
        assert shown.replace(",", "") == "35251.38"
    finally:
        project.removeAllMapLayers()
        project.relationManager().clear()


def assert_readable(layer):
    """Labelled above other labels, a marker at small scales, coloured table, multi-line reasons."""
    from qgis.core import QgsWkbTypes

    from chuannan_qgis.style import GUARD_TEXT, MARKER_SCALE

    labeling = layer.labeling()
    assert labeling.type() == "rule-based" and layer.labelsEnabled()
    rules = {rule.description(): rule for rule in labeling.rootRule().children()}
    names = [rule.settings() for key, rule in rules.items() if key != "marker guard"]
    # name · verdict, e.g. 江安化工园区 · 禁止, above other layers' labels
    assert names and all('"name"' in s.fieldName and '"verdict"' in s.fieldName and s.isExpression
                         and s.zIndex > 0 for s in names)
    guard = rules["marker guard"]  # an invisible label over the marker keeps other labels off it
    assert GUARD_TEXT in guard.settings().fieldName and guard.settings().format().opacity() == 0
    assert guard.settings().priority == 10
    if layer.geometryType() == QgsWkbTypes.PolygonGeometry:  # footprint from 1:50,000, marker below
        assert guard.maximumScale() == MARKER_SCALE == 50_000 and rules["site scales"].minimumScale() == MARKER_SCALE
    if layer.geometryType() == QgsWkbTypes.PolygonGeometry:
        categories = layer.renderer().categories()  # held: each symbol belongs to its category copy
        symbol = categories[0].symbol()
        assert symbol.symbolLayerCount() == 2 and symbol.symbolLayer(1).layerType() == "CentroidFill"
    styles = layer.conditionalStyles().fieldStyles("verdict")
    assert len(styles) == 5 and all(style.textColor().isValid() for style in styles)
    summary = layer.editorWidgetSetup(layer.fields().indexOf("summary_zh"))
    assert summary.type() == "TextEdit" and summary.config()["IsMultiline"]
    assert "max-width" in layer.mapTipTemplate()


def test_log_lists_verdict_counts_and_rules_not_checked(processing_env, proposals_gpkg, tmp_path):
    from qgis.core import QgsProcessingFeedback

    class Log(QgsProcessingFeedback):
        lines = []

        def pushInfo(self, info):  # noqa: N802 (QGIS API)
            self.lines.append(info)

    log = Log()
    processing_env.run("chuannan:checkproposals", {"INPUT": str(proposals_gpkg), **FIELD_PARAMETERS,
                                                   "OUTPUT": str(tmp_path / "r.gpkg")}, feedback=log)
    assert "禁止 prohibited: 1" in log.lines and "合计 total: 4" in log.lines
    import chuannan_gis

    skipped = chuannan_gis.check(str(proposals_gpkg), field_map=dict(PROPOSAL_FIELDS)).not_checked
    assert sum(line.startswith("未检查 not checked") for line in log.lines) == len(skipped)


def test_cancel_stops_without_output(processing_env, proposals_gpkg, tmp_path):
    feedback = QgsProcessingFeedback()
    feedback.cancel()
    outputs = processing_env.run("chuannan:checkproposals",
                                 {"INPUT": str(proposals_gpkg), "OUTPUT": str(tmp_path / "result.gpkg")},
                                 feedback=feedback)
    assert "OUTPUT" not in outputs or not (tmp_path / "result.gpkg").exists()


def test_progress_is_reported_and_cancel_honoured_mid_run(processing_env, proposals_gpkg, tmp_path):
    feedback = QgsProcessingFeedback()
    seen = []

    def cancel_after_first_rule(progress):
        seen.append(progress)
        feedback.cancel()

    feedback.progressChanged.connect(cancel_after_first_rule)
    outputs = processing_env.run("chuannan:checkproposals",
                                 {"INPUT": str(proposals_gpkg), **FIELD_PARAMETERS, "OUTPUT": str(tmp_path / "r.gpkg")},
                                 feedback=feedback)
    assert seen and 0 < seen[0] < 100
    assert outputs == {} and not (tmp_path / "r.gpkg").exists()


def test_bad_values_are_a_clear_processing_error(processing_env, proposals_gpkg, tmp_path):
    from qgis.core import QgsProcessingException

    with pytest.raises(QgsProcessingException, match="类型|kind"):
        processing_env.run("chuannan:checkproposals",
                           {"INPUT": str(proposals_gpkg), "KIND_FIELD": "名称", "OUTPUT": str(tmp_path / "r.gpkg")})


def test_a_missing_field_is_named_as_the_dialog_shows_it(processing_env, tmp_path):
    """A file with no field saying what is proposed: the refusal points to the dialog's “Kind field
    (kind)”, not to the command line's --field kind=<field>."""
    import geopandas as gpd
    import shapely
    from qgis.core import QgsProcessingException

    source = tmp_path / "no_kind.gpkg"
    gpd.GeoDataFrame({"name": ["某园区"], "note": ["x"]}, geometry=[shapely.Point(105.4, 28.9)],
                     crs="EPSG:4490").to_file(source, layer="sites")
    params = {"INPUT": str(source), "OUTPUT": str(tmp_path / "r.gpkg")}
    with pytest.raises(QgsProcessingException) as raised:
        processing_env.run("chuannan:checkproposals", params)
    message = str(raised.value)
    assert "“Kind field (kind)”" in message and "--field" not in message, message


def test_load_constraints_groups_styles_and_marks_indicative(processing_env):
    import chuannan_gis

    project = QgsProject.instance()
    context = QgsProcessingContext()
    context.setProject(project)
    outputs = processing_env.run("chuannan:loadconstraints", {}, context=context)
    try:
        group = project.layerTreeRoot().findGroup("Chuannan constraints")
        assert group is not None
        names = [node.name() for node in group.findLayers()]
        constraints = chuannan_gis.load_constraints()
        assert len(names) == len(constraints.layers) == len(outputs["OUTPUT_LAYERS"])
        indicative = [n for n in names if n.endswith("(示意 indicative)")]
        assert len(indicative) == len(constraints.indicative_layers()) >= 1
        water = project.mapLayer(outputs["OUTPUT_LAYERS"][list(constraints.layers).index("water")])
        assert water.renderer().symbol().color().name() == "#a6cee3"
    finally:
        project.removeAllMapLayers()
        project.layerTreeRoot().removeAllChildren()


def test_check_and_web_map_chain_in_a_model(processing_env, proposals_gpkg, tmp_path):
    from qgis.core import (
        QgsProcessingModelAlgorithm,
        QgsProcessingModelChildAlgorithm,
        QgsProcessingModelChildParameterSource,
        QgsProcessingModelOutput,
    )

    def child(algorithm_id, child_id, sources, output):
        step = QgsProcessingModelChildAlgorithm(algorithm_id)
        step.setChildId(child_id)
        for key, source in sources.items():
            step.addParameterSources(key, [source])
        step.setModelOutputs({output: QgsProcessingModelOutput(output)})
        step.modelOutput(output).setChildOutputName("OUTPUT")
        return step

    static = QgsProcessingModelChildParameterSource.fromStaticValue
    model = QgsProcessingModelAlgorithm("screen", "chuannan")
    model.addChildAlgorithm(child("chuannan:checkproposals", "check", {
        "INPUT": static(str(proposals_gpkg)), **{key: static(field) for key, field in FIELD_PARAMETERS.items()}},
        "result"))
    model.addChildAlgorithm(child("chuannan:exportwebmap", "map", {
        "RESULT": QgsProcessingModelChildParameterSource.fromChildOutput("check", "OUTPUT")}, "map"))
    model.updateDestinationParameters()
    processing_env.run(model, {"check:result": str(tmp_path / "model.gpkg"), "map:map": str(tmp_path / "model.html")})
    assert verdicts_of(result_uris(tmp_path / "model.gpkg")) == library_verdicts(proposals_gpkg, dict(PROPOSAL_FIELDS))
    assert "红线内化工园区" in (tmp_path / "model.html").read_text("utf-8")


def test_export_web_map_from_a_result(processing_env, proposals_gpkg, tmp_path):
    outputs = run_check(processing_env, proposals_gpkg, tmp_path)
    layer = QgsVectorLayer(outputs["OUTPUT"], "result", "ogr")
    exported = processing_env.run("chuannan:exportwebmap", {"RESULT": layer, "OUTPUT": str(tmp_path / "map.html")})
    page = (tmp_path / "map.html").read_text("utf-8")
    assert exported["OUTPUT"] == str(tmp_path / "map.html")
    assert "leaflet" in page.lower() and "红线内化工园区" in page
