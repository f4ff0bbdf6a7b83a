"""The layer tree after a planner's usual session: results on top, one constraint group, the order kept.

The session of issue #24: the proposals opened first, *Load constraint layers*, *Check proposals*,
*Load constraint layers* again, then a layer of the planner's own added: the tree must be
[results group (proposals above the tables), constraints group, the planner's layers], with the
input layer hidden under its verdict-coloured Result, and one constraint group, not two.
"""
from __future__ import annotations

from qgis.core import (
    QgsLayerTreeGroup,
    QgsProcessingContext,
    QgsProcessingFeedback,
    QgsProcessingOutputLayerDefinition,
    QgsProject,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QCoreApplication

from tests.test_processing import FIELD_PARAMETERS


def _run_and_load(processing, algorithm_id, params, project):
    from processing.gui.Postprocessing import handleAlgorithmResults
    from qgis.core import QgsApplication

    context = QgsProcessingContext()
    context.setProject(project)
    feedback = QgsProcessingFeedback()
    algorithm = QgsApplication.processingRegistry().createAlgorithmById(algorithm_id)
    processing.run(algorithm, params, feedback=feedback, context=context)
    handleAlgorithmResults(algorithm, context, feedback, False, params)
    QCoreApplication.processEvents()  # the order keeper runs once the event loop is back


def _top_level(project):
    return [(node.name(), node.customProperty("chuannan/role")) if isinstance(node, QgsLayerTreeGroup)
            else (node.name(), "layer") for node in project.layerTreeRoot().children()]


def test_results_stay_above_one_refreshed_constraint_group(processing_env, proposals_gpkg, tmp_path):
    from chuannan_qgis.canvas_legend import find_legend

    project = QgsProject.instance()
    opened = QgsVectorLayer(f"{proposals_gpkg}|layername=proposals", "proposals 拟建项目", "ogr")
    assert opened.isValid()
    project.addMapLayer(opened)
    try:
        _run_and_load(processing_env, "chuannan:loadconstraints", {}, project)
        first_constraints = len(project.mapLayers()) - 1
        output = QgsProcessingOutputLayerDefinition(str(tmp_path / "result.gpkg"), project)
        _run_and_load(processing_env, "chuannan:checkproposals",
                      {"INPUT": opened.id(), **FIELD_PARAMETERS, "OUTPUT": output}, project)
        _run_and_load(processing_env, "chuannan:loadconstraints", {}, project)
        top = _top_level(project)
        assert [role for _name, role in top] == ["results", "constraints", "layer"], top
        root = project.layerTreeRoot()
        results, constraints = root.children()[0], root.children()[1]
        # the Result's proposals (Point and Polygon) above its two tables
        spatial = [node.layer().isSpatial() for node in results.findLayers()]
        assert spatial == [True, True, False, False], [n.name() for n in results.findLayers()]
        # loaded twice, held once: the second load replaced the first one's layers
        assert len(constraints.findLayers()) == first_constraints
        assert sum(1 for layer in project.mapLayers().values() if layer.source().startswith(
            constraints.findLayers()[0].layer().source())) == 1
        assert not root.findLayer(opened.id()).isVisible()  # the input is hidden under its Result
        assert find_legend(project) is not None  # the verdict legend and 示意 caveat on the canvas

        # a layer the planner adds later, even with a result selected, goes below the results
        later = QgsVectorLayer("Point?crs=EPSG:4490", "planner's survey", "memory")
        project.addMapLayer(later, False)
        results.insertLayer(0, later)
        QCoreApplication.processEvents()
        top = _top_level(project)
        assert top[0][1] == "results" and ("planner's survey", "layer") in top, top
        assert later.id() not in [node.layerId() for node in project.layerTreeRoot().children()[0].findLayers()]
    finally:
        project.removeAllMapLayers()
        project.layerTreeRoot().removeAllChildren()
        project.annotationManager().clear()
        project.relationManager().clear()


def test_a_screening_raster_goes_below_the_vector_results(qgis_new_project, tmp_path):
    """The result group draws vectors above rasters: a screening surface never covers a verdict."""
    from osgeo import gdal
    from qgis.core import QgsRasterLayer

    from chuannan_qgis.layer_order import RESULTS, place_result

    path = str(tmp_path / "surface.tif")
    dataset = gdal.GetDriverByName("GTiff").Create(path, 4, 4, 1, gdal.GDT_Byte)
    dataset.SetGeoTransform((105.0, 0.1, 0, 29.0, 0, -0.1))
    dataset.SetProjection('GEOGCS["CGCS2000",DATUM["China_2000",SPHEROID["CGCS2000",6378137,298.257222101]],'
                          'PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]]')
    dataset = None
    project = QgsProject.instance()
    proposals = QgsVectorLayer("Point?crs=EPSG:4490", "result", "memory")
    surface = QgsRasterLayer(path, "surface")
    assert surface.isValid()
    try:
        project.addMapLayer(proposals)
        place_result(proposals, project)
        project.addMapLayer(surface)  # loaded after, so at the top of the tree at first
        place_result(surface, project)
        group = project.layerTreeRoot().children()[0]
        assert group.customProperty("chuannan/role") == RESULTS
        assert [node.layer() for node in group.findLayers()] == [proposals, surface]
    finally:
        project.removeAllMapLayers()
        project.layerTreeRoot().removeAllChildren()
