"""Screen region: the raster chuannan_gis.screen writes, run through Processing and styled by verdict."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from qgis.core import (
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsPalettedRasterRenderer,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProcessingOutputLayerDefinition,
    QgsProject,
    QgsRasterLayer,
    QgsRectangle,
)

ALGORITHM = "chuannan:screenregion"
COUNTY = "江安县"
RESOLUTION = 500.0
BOX = (104.9, 28.5, 105.1, 28.7)  # lon/lat, EPSG:4490: south of 江安县, on the Yangtze


def choice(field: str, code: str) -> int:
    """The enum index of vocabulary term ``code`` (the options follow the vocabulary's order)."""
    from chuannan_gis.vocabulary import vocabularies

    return list(vocabularies()[field].terms).index(code)


def county_index(name: str = COUNTY) -> int:
    options = QgsApplication.processingRegistry().algorithmById(ALGORITHM).parameterDefinition("COUNTY").options()
    return next(i for i, label in enumerate(options) if label.split()[0] == name or label.endswith(f" {name}"))


def parameters(output, **extra) -> dict:
    return {"KIND": choice("kind", "industrial_park"), "INDUSTRY": choice("industry", "heavy_chemical"),
            "STATUS": choice("status", "new"), "RESOLUTION": RESOLUTION,
            "OUTPUT": output if isinstance(output, QgsProcessingOutputLayerDefinition) else str(output), **extra}


def band(path, number: int = 1):
    import rasterio

    with rasterio.open(path) as dataset:
        return dataset.read(number), dataset.transform, dataset.crs.to_epsg()


def library_screening(path, **options):
    import chuannan_gis

    return chuannan_gis.screen("industrial_park", "heavy_chemical", str(path), status="new",
                               resolution=RESOLUTION, **options)


def test_screen_region_is_registered(processing_env):
    algorithm = QgsApplication.processingRegistry().algorithmById(ALGORITHM)
    assert algorithm is not None and algorithm.displayName() in ("Screen region", "筛查栅格")
    assert algorithm.shortHelpString()
    names = {p.name() for p in algorithm.parameterDefinitions()}
    assert names == {"KIND", "INDUSTRY", "STATUS", "RESOLUTION", "COUNTY", "EXTENT", "RULES", "CONSTRAINTS",
                     "OUTPUT", "AREAS"}
    assert algorithm.parameterDefinition("RESOLUTION").defaultValue() == 100
    assert len(algorithm.parameterDefinition("COUNTY").options()) == 28
    assert algorithm.parameterDefinition("KIND").defaultValue() == choice("kind", "industrial_park")


def test_county_run_gives_the_library_raster(processing_env, real_bundle, tmp_path):
    outputs = processing_env.run(ALGORITHM, parameters(tmp_path / "plugin.tif", COUNTY=county_index(),
                                                       AREAS=str(tmp_path / "areas.csv")))
    expected = library_screening(tmp_path / "library.tif", extent=COUNTY)
    got, transform, epsg = band(outputs["OUTPUT"])
    want, want_transform, _ = band(expected.path)
    assert outputs["OUTPUT"] == str(tmp_path / "plugin.tif") and epsg == 4544
    assert transform == want_transform and np.array_equal(got, want)
    # The prohibited Yangtze shore, and unknown land: Art. 26 bans chemical parks by every 干支流 and
    # the bundled water maps no small tributary, so no cell of 江安 is clear for a chemical park.
    assert set(np.unique(got)) - {255} >= {2, 5} and 1 not in set(np.unique(got))
    assert np.array_equal(band(outputs["OUTPUT"], 2)[0], band(expected.path, 2)[0])
    assert outputs["AREAS"] == str(tmp_path / "areas.csv")
    pd.testing.assert_frame_equal(pd.read_csv(tmp_path / "areas.csv"), pd.read_csv(expected.areas_path))
    layer = QgsRasterLayer(outputs["OUTPUT"], "screening")
    assert layer.isValid() and layer.crs().authid() == "EPSG:4544"


def test_extent_is_reprojected_to_lon_lat(processing_env, real_bundle, tmp_path):
    expected = library_screening(tmp_path / "library.tif", extent=BOX)
    lonlat = processing_env.run(ALGORITHM, parameters(
        tmp_path / "lonlat.tif", EXTENT=f"{BOX[0]},{BOX[2]},{BOX[1]},{BOX[3]} [EPSG:4490]"))
    got, transform, _ = band(lonlat["OUTPUT"])
    want, want_transform, _ = band(expected.path)
    assert transform == want_transform and np.array_equal(got, want)
    # The same box given in the projected CRS: reprojected, it covers the lon/lat box.
    measured = QgsCoordinateTransform(QgsCoordinateReferenceSystem("EPSG:4490"),
                                      QgsCoordinateReferenceSystem("EPSG:4544"),
                                      QgsProject.instance()).transformBoundingBox(QgsRectangle(*BOX))
    projected = processing_env.run(ALGORITHM, parameters(tmp_path / "projected.tif", EXTENT=(
        f"{measured.xMinimum()},{measured.xMaximum()},{measured.yMinimum()},{measured.yMaximum()} [EPSG:4544]")))
    layer, reference = QgsRasterLayer(projected["OUTPUT"], "p"), QgsRasterLayer(str(expected.path), "l")
    assert layer.extent().contains(reference.extent())
    assert layer.extent().width() < 1.2 * reference.extent().width()


def test_toolbox_run_loads_the_raster_styled_by_verdict(processing_env, real_bundle, tmp_path):
    from chuannan_gis.verdicts import VERDICTS
    from processing.gui.Postprocessing import handleAlgorithmResults

    project = QgsProject.instance()
    context = QgsProcessingContext()
    context.setProject(project)
    feedback = QgsProcessingFeedback()
    params = parameters(QgsProcessingOutputLayerDefinition(str(tmp_path / "screen.tif"), project),
                        COUNTY=county_index())
    algorithm = QgsApplication.processingRegistry().createAlgorithmById(ALGORITHM)
    processing_env.run(algorithm, params, feedback=feedback, context=context)
    (tmp_path / "screen.qml").unlink()  # the style beside the raster: the plugin must style it itself
    handleAlgorithmResults(algorithm, context, feedback, False, params)
    try:
        (layer,) = project.mapLayers().values()
        assert layer.isValid() and layer.crs().authid() == "EPSG:4544"
        renderer = layer.renderer()
        assert isinstance(renderer, QgsPalettedRasterRenderer) and renderer.band() == 1
        colours = {int(c.value): c.color.name() for c in renderer.classes()}
        assert colours == {**{v.rank: v.colour for v in VERDICTS.values()}, 0: VERDICTS["unknown"].colour}
    finally:
        project.removeAllMapLayers()


def test_progress_is_reported_per_window(processing_env, real_bundle, tmp_path, monkeypatch):
    import chuannan_gis.screening

    # 江安县 at 500 m in windows of 32 cells: several windows
    monkeypatch.setattr(chuannan_gis.screening.screen, "__kwdefaults__",
                        {**chuannan_gis.screening.screen.__kwdefaults__, "window": 32})
    feedback = QgsProcessingFeedback()
    seen = []
    feedback.progressChanged.connect(seen.append)
    processing_env.run(ALGORITHM, parameters(tmp_path / "s.tif", COUNTY=county_index()), feedback=feedback)
    assert len([p for p in seen if 0 < p < 50]) >= 2 and seen[-1] == 100


def test_cancel_mid_run_stops_without_output(processing_env, real_bundle, tmp_path, monkeypatch):
    import chuannan_gis.screening

    monkeypatch.setattr(chuannan_gis.screening.screen, "__kwdefaults__",
                        {**chuannan_gis.screening.screen.__kwdefaults__, "window": 32})
    feedback = QgsProcessingFeedback()
    feedback.progressChanged.connect(lambda _progress: feedback.cancel())
    outputs = processing_env.run(ALGORITHM, parameters(tmp_path / "s.tif", COUNTY=county_index()), feedback=feedback)
    assert outputs == {} and not (tmp_path / "s.tif").exists()


def test_cancel_before_the_run_writes_nothing(processing_env, tmp_path):
    feedback = QgsProcessingFeedback()
    feedback.cancel()
    outputs = processing_env.run(ALGORITHM, parameters(tmp_path / "s.tif", COUNTY=0), feedback=feedback)
    assert outputs == {} and not (tmp_path / "s.tif").exists()


def test_county_and_extent_together_are_refused(processing_env, tmp_path):
    with pytest.raises(QgsProcessingException, match="county|县"):
        processing_env.run(ALGORITHM, parameters(tmp_path / "s.tif", COUNTY=0,
                                                 EXTENT="104.9,105.1,28.5,28.7 [EPSG:4490]"))


def test_missing_library_stops_with_the_fix(processing_env, tmp_path, monkeypatch):
    from chuannan_qgis import deps

    requirements = tmp_path / "requirements.txt"
    requirements.write_text(deps.REQUIREMENTS_FILE.read_text("utf-8") + "chuannan-not-installed>=1.0\n", "utf-8")
    monkeypatch.setattr(deps, "REQUIREMENTS_FILE", requirements)
    from chuannan_qgis import core

    monkeypatch.setattr(core, "_READY", False)  # forget that an earlier test found everything
    with pytest.raises(QgsProcessingException, match="break-system-packages"):
        processing_env.run(ALGORITHM, parameters(tmp_path / "s.tif", COUNTY=0))
