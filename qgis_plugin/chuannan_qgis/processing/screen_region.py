"""Screen region: where could a proposal of a given kind and industry go? A verdict raster out."""
from __future__ import annotations

import shutil
from pathlib import Path

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsProcessingException,
    QgsProcessingMultiStepFeedback,
    QgsProcessingParameterEnum,
    QgsProcessingParameterExtent,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterNumber,
    QgsProcessingParameterRasterDestination,
)

from .. import core
from ..i18n import tr
from ..layer_order import place_result
from ..style import style_screening
from .base import ChuannanAlgorithm, LayerStyler

LONLAT_CRS = "EPSG:4490"  # chuannan_gis.screen takes a bbox in CGCS2000 lon/lat
RASTER_SUFFIXES = (".tif", ".tiff")


class ScreenRegionAlgorithm(ChuannanAlgorithm):
    KIND = "KIND"
    INDUSTRY = "INDUSTRY"
    STATUS = "STATUS"
    RESOLUTION = "RESOLUTION"
    COUNTY = "COUNTY"
    EXTENT = "EXTENT"
    OUTPUT = "OUTPUT"
    AREAS = "AREAS"
    DEFAULT_RESOLUTION = 100.0  # metres: a county in seconds; the command line's default is 30
    DEFAULTS = {KIND: "industrial_park", INDUSTRY: "heavy_chemical", STATUS: "new"}
    VOCABULARY = {KIND: "kind", INDUSTRY: "industry", STATUS: "status"}
    CLI_OPTIONS = {**ChuannanAlgorithm.CLI_OPTIONS, "--kind": KIND, "--industry": INDUSTRY, "--status": STATUS,
                   "--resolution": RESOLUTION, "--county": COUNTY, "--bbox": EXTENT}

    def name(self) -> str:
        return "screenregion"

    def displayName(self) -> str:  # noqa: N802 (QGIS API)
        return tr("Screen region")

    def shortHelpString(self) -> str:  # noqa: N802 (QGIS API)
        return tr("Where could a proposal of this kind and industry go? Writes a raster (GeoTIFF, "
                  "EPSG:4544) whose every cell holds the verdict that “Check proposals” would give a "
                  "point proposal at its centre, from the same rule catalog and constraint layers, "
                  "coloured by verdict, and a table of the area of each verdict per county. Choose a "
                  "county or an extent, or neither for the whole region. Cells within one cell "
                  "diagonal of a threshold may differ from the check: for a decision at a site, "
                  "check the site itself. A verdict is a screening, not a permit.")

    def initAlgorithm(self, config=None):  # noqa: N802 (QGIS API)
        labels = {self.KIND: tr("Kind (kind)"), self.INDUSTRY: tr("Industry (industry)"),
                  self.STATUS: tr("Status (status)")}
        self.codes = {}
        for key, label in labels.items():
            terms = core.terms(self.VOCABULARY[key])
            self.codes[key] = [code for code, _label in terms]
            default = self.codes[key].index(self.DEFAULTS[key]) if self.DEFAULTS[key] in self.codes[key] else 0
            # Without chuannan_gis there are no choices: the run then stops with the install instructions.
            self.add(QgsProcessingParameterEnum(
                key, label, [text for _code, text in terms], defaultValue=default if terms else None,
                optional=not terms), tr("The {field} of the proposal the surface answers for, from the "
                                        "vocabulary (as --{field} on the command line).").format(
                field=self.VOCABULARY[key]))
        self.add(QgsProcessingParameterNumber(
            self.RESOLUTION, tr("Resolution (m)"), QgsProcessingParameterNumber.Double,
            defaultValue=self.DEFAULT_RESOLUTION, minValue=1.0),
            tr("Cell size in metres (EPSG:4544). 100 m screens a county in seconds; 30 m, the command "
               "line's default, takes about ten times as long."))
        counties = core.counties()
        self.counties = [name for name, _label in counties]
        self.add(QgsProcessingParameterEnum(
            self.COUNTY, tr("County (cells outside it are nodata)"), [label for _name, label in counties],
            optional=True), tr("Screen one county only. Give a county or an extent, not both."))
        self.add(QgsProcessingParameterExtent(
            self.EXTENT, tr("Extent (instead of a county; neither: the whole region)"), optional=True),
            tr("Screen this box only (any CRS; it is reprojected to CGCS2000 lon/lat)."))
        self.add_rules_parameter()
        self.add_constraints_parameter()
        self.add(QgsProcessingParameterRasterDestination(self.OUTPUT, tr("Screening raster")),
                 tr("A GeoTIFF (*.tif): band 1 the verdict of each cell, band 2 the rule that decided it."))
        self.add(QgsProcessingParameterFileDestination(
            self.AREAS, tr("Area table (km² per verdict and county)"), tr("CSV files (*.csv)"), optional=True,
            createByDefault=False),
            tr("Optionally, a CSV of the area of each verdict in each county, in km²."))

    def checkParameterValues(self, parameters, context):  # noqa: N802 (QGIS API)
        if self._given(parameters, self.COUNTY) and self._given(parameters, self.EXTENT):
            return False, tr("Give a county or an extent, not both.")
        return super().checkParameterValues(parameters, context)

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802 (QGIS API)
        self.require()
        self.queue(feedback)
        if feedback.isCanceled():
            return {}
        steps = QgsProcessingMultiStepFeedback(2, feedback)
        chosen = {key: self._code(parameters, key, context) for key in self.VOCABULARY}
        extent = self._extent(parameters, context)
        output = self.parameterAsOutputLayer(parameters, self.OUTPUT, context)
        if Path(output).suffix.lower() not in RASTER_SUFFIXES:
            raise QgsProcessingException(tr("The screening raster is a GeoTIFF: name it *.tif"))
        feedback.pushInfo(tr("Screening {kind} / {industry} / {status} at {resolution:g} m").format(
            kind=chosen[self.KIND], industry=chosen[self.INDUSTRY], status=chosen[self.STATUS],
            resolution=self.parameterAsDouble(parameters, self.RESOLUTION, context)))
        try:
            screening = core.screen(
                chosen[self.KIND], chosen[self.INDUSTRY], output, status=chosen[self.STATUS],
                resolution=self.parameterAsDouble(parameters, self.RESOLUTION, context), extent=extent,
                constraints=self.constraints_path(parameters, context),
                rules=self.optional_file(parameters, self.RULES, context), feedback=steps)
        except core.Canceled:
            return {}
        except Exception as err:  # chuannan_gis errors name the value and the field: show them as they are
            raise self.planner_error(err) from err
        # Warnings, not errors: the surface is written and right for every other rule.
        for listed in screening.unexpressed:
            feedback.pushWarning(f"警告 warning: {listed['rule_id']} 未进入栅格 not in the surface: "
                                 f"{listed['reason_zh']} / {listed['reason_en']}")
        for listed in screening.not_checked:
            feedback.pushWarning(f"未检查 not checked: {listed['rule_id']}: {listed['reason_zh']} / "
                                 f"{listed['reason_en']}")
        if feedback.isCanceled():
            return {}
        steps.setCurrentStep(1)
        areas = self.parameterAsFileOutput(parameters, self.AREAS, context)
        if areas and Path(areas).resolve() != screening.areas_path.resolve():
            shutil.copyfile(screening.areas_path, areas)
        self._style_on_completion(context, output)
        steps.setCurrentStep(2)
        return {self.OUTPUT: output, self.AREAS: areas or str(screening.areas_path)}

    @staticmethod
    def _given(parameters, key) -> bool:
        return parameters.get(key) not in (None, "", [])

    def _code(self, parameters, key, context) -> str:
        codes = self.codes[key]
        index = self.parameterAsEnum(parameters, key, context)
        if not 0 <= index < len(codes):
            raise self.no_such_choice(key, parameters.get(key))
        return codes[index]

    def _extent(self, parameters, context):
        """A county's Chinese name, a lon/lat box (EPSG:4490) or None for the whole region."""
        if self._given(parameters, self.COUNTY):
            index = self.parameterAsEnum(parameters, self.COUNTY, context)
            if not 0 <= index < len(self.counties):
                raise self.no_such_choice(self.COUNTY, parameters.get(self.COUNTY))
            return self.counties[index]
        if not self._given(parameters, self.EXTENT):
            return None
        box = self.parameterAsExtent(parameters, self.EXTENT, context, QgsCoordinateReferenceSystem(LONLAT_CRS))
        if box.isNull() or box.isEmpty():
            return None
        return (box.xMinimum(), box.yMinimum(), box.xMaximum(), box.yMaximum())

    @staticmethod
    def _style_on_completion(context, output: str) -> None:
        """Colour the raster by verdict when Processing loads it into the project."""
        if context.willLoadLayerOnCompletion(output):
            context.layerToLoadOnCompletionDetails(output).setPostProcessor(LayerStyler.create(styled_screening))


def styled_screening(layer) -> None:
    """A screening raster coloured by verdict, in the result group below the vector results."""
    style_screening(layer)
    place_result(layer)
