"""Load proposals from the forms planners receive (用地坐标 TXT, Excel, DXF, KML …) as a layer that
the check algorithm takes."""
from __future__ import annotations

from qgis.core import (
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingParameterCrs,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFile,
    QgsProcessingParameterString,
    QgsProcessingParameterVectorDestination,
)

from .. import core
from ..i18n import tr
from .base import ChuannanAlgorithm

INPUT_DATUMS = ("cgcs2000", "gcj02", "bd09")


class LoadProposalsAlgorithm(ChuannanAlgorithm):
    INPUT = "INPUT"
    LAYER = "LAYER"
    CRS = "CRS"
    INPUT_DATUM = "INPUT_DATUM"
    CONSTANTS = "CONSTANTS"
    DATUM_SHIFT = "DATUM_SHIFT"
    OUTPUT = "OUTPUT"

    def name(self) -> str:
        return "loadproposals"

    def displayName(self) -> str:  # noqa: N802 (QGIS API)
        return tr("Load proposals from a file")

    def shortHelpString(self) -> str:  # noqa: N802 (QGIS API)
        return tr("Reads proposals from a 用地坐标 TXT (报盘格式), an Excel list or 界址点成果表, a CSV with "
                  "经度/纬度 in decimal or 度分秒, a CAD drawing (DXF: closed polylines), a KML/KMZ or any GIS "
                  "file, exactly as the chuannan-gis command line reads them, and writes them as a "
                  "GeoPackage layer for the Check proposals algorithm.")

    def initAlgorithm(self, config=None):  # noqa: N802 (QGIS API)
        self.add(QgsProcessingParameterFile(self.INPUT, tr("Proposals file")),
                 tr("用地坐标 .txt, .xlsx, .csv, .dxf, .kml/.kmz, .gpkg, .shp … (docs/inputs.md)."))
        self.add(QgsProcessingParameterString(self.LAYER, tr("Layer, sheet, CAD layer or KML folder"),
                                              optional=True),
                 tr("Empty: the file's first layer or sheet, every CAD layer, every KML folder."))
        self.add(QgsProcessingParameterCrs(self.CRS, tr("CRS of the file"), optional=True),
                 tr("Required for a DXF drawing, and for X/Y columns without the zone prefix; overrides a "
                    "wrong CRS."))
        self.add(QgsProcessingParameterEnum(self.INPUT_DATUM, tr("Datum of web-map coordinates"),
                                            options=["CGCS2000 / WGS 84", "GCJ-02 (高德/腾讯/奥维)", "BD-09 (百度)"],
                                            defaultValue=0),
                 tr("Lon/lat copied from 高德, 腾讯 or 奥维 maps are GCJ-02, from 百度 maps BD-09."))
        self.add(QgsProcessingParameterString(self.CONSTANTS, tr("Constants"), optional=True),
                 tr("Fields every feature lacks, e.g. kind=industrial_park;industry=chemical "
                    "(as --constant on the command line)."))
        self.add(QgsProcessingParameterString(self.DATUM_SHIFT, tr("Datum shift from Xian 1980 / Beijing 1954"),
                                              optional=True),
                 tr("The bureau's parameters: position_vector:dx,dy,dz,rx,ry,rz,ds, coordinate_frame:… or "
                    "planar:dx,dy,rotation,scale (metres, arc-seconds, ppm)."))
        self.add(QgsProcessingParameterVectorDestination(self.OUTPUT, tr("Proposals"),
                                                         QgsProcessing.TypeVectorAnyGeometry),
                 tr("The proposals as a GeoPackage layer in EPSG:4490, ready for Check proposals."))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802 (QGIS API)
        self.require()
        crs = self.parameterAsCrs(parameters, self.CRS, context)
        options = {
            "crs": crs.authid() or crs.toWkt() if crs.isValid() else None,
            "input_datum": INPUT_DATUMS[self.parameterAsEnum(parameters, self.INPUT_DATUM, context)],
            "constants": self.parameterAsString(parameters, self.CONSTANTS, context),
            "datum_shift": self.parameterAsString(parameters, self.DATUM_SHIFT, context) or None,
        }
        output = self.parameterAsOutputLayer(parameters, self.OUTPUT, context)
        try:
            count = core.load_proposals(self.parameterAsFile(parameters, self.INPUT, context),
                                        self.parameterAsString(parameters, self.LAYER, context), output, **options)
        except Exception as err:  # chuannan_gis errors name file, row and field: show them as they are
            raise QgsProcessingException(str(err)) from err
        feedback.pushInfo(tr("{count} proposals").format(count=count))
        return {self.OUTPUT: output}
