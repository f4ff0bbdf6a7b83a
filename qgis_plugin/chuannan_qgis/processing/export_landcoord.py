"""Export proposals drawn in QGIS as a 用地坐标 TXT (报盘格式) for the 报批 system."""
from __future__ import annotations

from qgis.core import (
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterFileDestination,
)

from .. import core
from ..i18n import tr
from .base import ChuannanAlgorithm

ZONE_WIDTHS = (3, 6)


class ExportLandCoordinatesAlgorithm(ChuannanAlgorithm):
    INPUT = "INPUT"
    NAME_FIELD = "NAME_FIELD"
    ZONE_WIDTH = "ZONE_WIDTH"
    OUTPUT = "OUTPUT"

    def name(self) -> str:
        return "exportlandcoordinates"

    def displayName(self) -> str:  # noqa: N802 (QGIS API)
        return tr("Export 用地坐标 TXT")

    def shortHelpString(self) -> str:  # noqa: N802 (QGIS API)
        return tr("Writes polygon proposals as a 用地坐标 TXT (报盘格式) for the 报批 system, as "
                  "chuannan-gis export does: one parcel per polygon, CGCS2000 Gauss-Krüger coordinates "
                  "with the zone prefix, GBK.")

    def initAlgorithm(self, config=None):  # noqa: N802 (QGIS API)
        self.add(QgsProcessingParameterFeatureSource(self.INPUT, tr("Proposals"), [QgsProcessing.TypeVectorPolygon]),
                 tr("Polygons in any CRS, e.g. sites drawn in QGIS or a check's Result."))
        self.add(QgsProcessingParameterField(self.NAME_FIELD, tr("Name field"), defaultValue="name",
                                             parentLayerParameterName=self.INPUT, optional=True),
                 tr("The field whose value becomes the parcel's 地块名称."))
        self.add(QgsProcessingParameterEnum(self.ZONE_WIDTH, tr("Gauss-Krüger zones"),
                                            options=[tr("3-degree"), tr("6-degree")], defaultValue=0),
                 tr("3-degree zones (EPSG 4488 + 带号) or 6-degree zones (EPSG 4478 + 带号)."))
        self.add(QgsProcessingParameterFileDestination(self.OUTPUT, tr("用地坐标 TXT"), tr("Text files (*.txt)")),
                 tr("The coordinate file to write."))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802 (QGIS API)
        self.require()
        path, layer_name = self.parameterAsCompatibleSourceLayerPathAndLayerName(
            parameters, self.INPUT, context, ["gpkg"], "gpkg", feedback)
        output = self.parameterAsFileOutput(parameters, self.OUTPUT, context)
        width = ZONE_WIDTHS[self.parameterAsEnum(parameters, self.ZONE_WIDTH, context)]
        try:
            count = core.export_land_coordinates(path, layer_name, output, width,
                                                 self.parameterAsString(parameters, self.NAME_FIELD, context))
        except Exception as err:  # chuannan_gis errors name file and feature: show them as they are
            raise QgsProcessingException(str(err)) from err
        feedback.pushInfo(tr("{count} parcels").format(count=count))
        return {self.OUTPUT: output}
