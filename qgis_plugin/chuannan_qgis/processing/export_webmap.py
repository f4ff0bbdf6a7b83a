"""Export web map: a Result as one HTML file that opens anywhere, offline by default."""
from __future__ import annotations

from qgis.core import (
    QgsProcessing,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterVectorLayer,
)

from .. import core
from ..i18n import language, tr
from .base import ChuannanAlgorithm


class ExportWebMapAlgorithm(ChuannanAlgorithm):
    RESULT = "RESULT"
    BASEMAP = "BASEMAP"
    OUTPUT = "OUTPUT"

    def name(self) -> str:
        return "exportwebmap"

    def displayName(self) -> str:  # noqa: N802 (QGIS API)
        return tr("Export web map")

    def shortHelpString(self) -> str:  # noqa: N802 (QGIS API)
        return tr("Writes a result of “Check proposals” as one HTML web map with the constraint "
                  "layers and each proposal's verdict and reasons. Scripts are inlined, so the "
                  "file opens without internet, e.g. on a government intranet.")

    def initAlgorithm(self, config=None):  # noqa: N802 (QGIS API)
        from chuannan_gis.webmap import BASEMAPS

        self.basemaps = list(BASEMAPS)
        self.add(QgsProcessingParameterVectorLayer(
            self.RESULT, tr("Result layer (written by Check proposals)"), [QgsProcessing.TypeVectorAnyGeometry]),
            tr("The proposals layer of a Result GeoPackage written by Check proposals."))
        self.add_constraints_parameter(shared=False)  # default: the layers the check used
        labels = [(b.zh if language() == "zh" else b.en) for b in BASEMAPS.values()]
        self.add(QgsProcessingParameterEnum(self.BASEMAP, tr("Basemap"), labels, defaultValue=0),
                 tr("The map under the layers. The first, the default, needs no internet: counties, rivers "
                    "and county names drawn from the constraint layers. The others are online tiles."))
        self.add(QgsProcessingParameterFileDestination(self.OUTPUT, tr("Web map"), tr("HTML files (*.html)")),
                 tr("One HTML file that opens in any browser, offline."))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802 (QGIS API)
        self.require()
        self.queue(feedback)
        layer = self.parameterAsVectorLayer(parameters, self.RESULT, context)
        output = self.parameterAsFileOutput(parameters, self.OUTPUT, context)
        basemap = self.basemaps[self.parameterAsEnum(parameters, self.BASEMAP, context)]
        try:
            core.write_webmap(layer.source().split("|")[0], output,
                              self.optional_file(parameters, self.CONSTRAINTS, context), basemap)
        except Exception as err:  # chuannan_gis errors say what is wrong: show them as they are
            raise self.planner_error(err) from err
        return {self.OUTPUT: output}
