"""Review documents: the .xlsx, .docx and .pdf a planner files, from a Result GeoPackage."""
from __future__ import annotations

from pathlib import Path

from qgis.core import (
    QgsProcessingException,
    QgsProcessingOutputMultipleLayers,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFile,
    QgsProcessingParameterFolderDestination,
)

from ..i18n import tr
from .base import ChuannanAlgorithm

FORMATS = ("xlsx", "docx", "pdf")
STEM = "审查意见"


class ReviewDocumentsAlgorithm(ChuannanAlgorithm):
    RESULT = "RESULT"
    OUTPUT = "OUTPUT"
    FORMATS = "FORMATS"
    FILES = "FILES"

    def name(self) -> str:
        return "reviewdocuments"

    def displayName(self) -> str:  # noqa: N802 (QGIS API)
        return tr("Review documents")

    def shortHelpString(self) -> str:  # noqa: N802 (QGIS API)
        return tr("Writes the documents a planner files from a Result of “Check proposals”: 审查意见.xlsx "
                  "(审查意见表, 压占分析, 地类明细, 依据, 数据来源), 审查意见.docx (a 审查意见 per proposal to edit "
                  "and sign) and 审查意见.pdf (A4, fonts embedded), in the folder given.")

    def initAlgorithm(self, config=None):  # noqa: N802 (QGIS API)
        self.add(QgsProcessingParameterFile(
            self.RESULT, tr("Result GeoPackage (written by Check proposals)"), fileFilter=tr("GeoPackage (*.gpkg)")),
            tr("The Result GeoPackage a check wrote."))
        self.add(QgsProcessingParameterEnum(
            self.FORMATS, tr("Formats"), list(FORMATS), allowMultiple=True, defaultValue=list(range(len(FORMATS)))),
            tr("Which documents to write: xlsx, docx, pdf (default all)."))
        self.add(QgsProcessingParameterFolderDestination(self.OUTPUT, tr("Output folder")),
                 tr("The folder the documents are written into, as 审查意见.xlsx / .docx / .pdf."))
        self.addOutput(QgsProcessingOutputMultipleLayers(self.FILES, tr("Documents written")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802 (QGIS API)
        self.require()
        from chuannan_gis.documents import write_document

        # Check proposals' OUTPUT is a layer URI (file|layername=proposals): its file is the Result
        result = self.parameterAsFile(parameters, self.RESULT, context).split("|")[0]
        folder = Path(self.parameterAsString(parameters, self.OUTPUT, context))
        chosen = [FORMATS[i] for i in self.parameterAsEnums(parameters, self.FORMATS, context)] or list(FORMATS)
        folder.mkdir(parents=True, exist_ok=True)
        written = []
        for step, suffix in enumerate(chosen):
            if feedback.isCanceled():
                break
            path = folder / f"{STEM}.{suffix}"
            try:
                write_document(result, path)
            except Exception as err:  # chuannan_gis errors say what is wrong: show them as they are
                raise QgsProcessingException(str(err)) from err
            feedback.pushInfo(tr("Written: {}").format(path))
            feedback.setProgress(100 * (step + 1) / len(chosen))
            written.append(str(path))
        return {self.OUTPUT: str(folder), self.FILES: written}
