"""Check proposals: a vector layer in, the Result GeoPackage (and an HTML report) out."""
from __future__ import annotations

from qgis.core import (
    QgsProcessing,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingLayerPostProcessorInterface,
    QgsProcessingMultiStepFeedback,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterVectorDestination,
)

from .. import core
from ..i18n import tr
from ..style import style_result
from .base import ChuannanAlgorithm


class CheckProposalsAlgorithm(ChuannanAlgorithm):
    INPUT = "INPUT"
    NAME_FIELD = "NAME_FIELD"
    KIND_FIELD = "KIND_FIELD"
    INDUSTRY_FIELD = "INDUSTRY_FIELD"
    STATUS_FIELD = "STATUS_FIELD"
    OUTPUT = "OUTPUT"
    REPORT = "REPORT"
    # parameter → schema field of chuannan_gis.io.read_proposals(field_map=...)
    FIELD_PARAMETERS = {NAME_FIELD: "name", KIND_FIELD: "kind", INDUSTRY_FIELD: "industry", STATUS_FIELD: "status"}

    def name(self) -> str:
        return "checkproposals"

    def displayName(self) -> str:  # noqa: N802 (QGIS API)
        return tr("Check proposals")

    def shortHelpString(self) -> str:  # noqa: N802 (QGIS API)
        return tr("Checks proposed industrial parks, ports, enterprises and projects against the "
                  "constraint layers with the rule catalog, exactly as the chuannan-gis command "
                  "line does. Map the name, kind, industry and status fields if they are named "
                  "differently; Chinese values such as 园区 or 化工 are accepted. The result layer "
                  "is coloured by verdict and carries the reasons and citations. A verdict is a "
                  "screening, not a permit.")

    def initAlgorithm(self, config=None):  # noqa: N802 (QGIS API)
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.INPUT, tr("Proposals"), [QgsProcessing.TypeVector]))
        labels = {self.NAME_FIELD: tr("Name field"), self.KIND_FIELD: tr("Kind field (kind)"),
                  self.INDUSTRY_FIELD: tr("Industry field (industry)"),
                  self.STATUS_FIELD: tr("Status field (status)")}
        for key, label in labels.items():
            self.addParameter(QgsProcessingParameterField(
                key, label, parentLayerParameterName=self.INPUT, optional=True))
        self.add_rules_parameter()
        self.add_constraints_parameter()
        self.addParameter(QgsProcessingParameterVectorDestination(
            self.OUTPUT, tr("Result"), QgsProcessing.TypeVectorAnyGeometry))
        self.addParameter(QgsProcessingParameterFileDestination(
            self.REPORT, tr("HTML report"), tr("HTML files (*.html)"), optional=True,
            createByDefault=False))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802 (QGIS API)
        self.require()
        if feedback.isCanceled():
            return {}
        steps = QgsProcessingMultiStepFeedback(3, feedback)
        path, layer_name = self.parameterAsCompatibleSourceLayerPathAndLayerName(
            parameters, self.INPUT, context, ["gpkg"], "gpkg", feedback)
        fields = core.field_map(**{schema: self.parameterAsString(parameters, key, context)
                                   for key, schema in self.FIELD_PARAMETERS.items()})
        try:
            proposals = core.read_proposals(path, layer_name, fields)
            feedback.pushInfo(tr("Checking {count} proposals").format(count=len(proposals)))
            result = core.check(proposals, self.optional_file(parameters, self.CONSTRAINTS, context),
                                self.optional_file(parameters, self.RULES, context), steps)
        except core.Canceled:
            return {}
        except Exception as err:  # chuannan_gis errors name file, feature and field: show them as they are
            raise QgsProcessingException(str(err)) from err
        steps.setCurrentStep(1)
        output = self.parameterAsOutputLayer(parameters, self.OUTPUT, context)
        uris = core.write_result(result, output)
        self._load_on_completion(context, output, uris)
        steps.setCurrentStep(2)
        report = self.parameterAsFileOutput(parameters, self.REPORT, context)
        if report:
            core.write_report(result, report)
        steps.setCurrentStep(3)
        return {self.OUTPUT: uris[0], self.REPORT: report or None}

    def _load_on_completion(self, context, output: str, uris: list[str]) -> None:
        """Load the ``proposals`` layer of the written GeoPackage (one layer per geometry type),
        styled by verdict, instead of whichever table comes first."""
        if not context.willLoadLayerOnCompletion(output):
            return
        layers = context.layersToLoadOnCompletion()
        details = layers.pop(output)
        title = tr("Compliance result")
        for uri in uris:
            family = uri.partition("|geometrytype=")[2]
            name = f"{title} ({family})" if family else title
            loaded = QgsProcessingContext.LayerDetails(name, details.project, details.outputName)
            loaded.setPostProcessor(VerdictStyler.create())
            layers[uri] = loaded
        context.setLayersToLoadOnCompletion(layers)


class VerdictStyler(QgsProcessingLayerPostProcessorInterface):
    """Styles a result layer by verdict once Processing has loaded it into the project.

    The context deletes each styler it was given, so every layer gets its own; QGIS calls them
    after ``processAlgorithm`` has returned and its algorithm copy is gone, so the Python objects
    are kept alive here.
    """

    _alive: list = []

    @classmethod
    def create(cls) -> "VerdictStyler":
        styler = cls()
        cls._alive.append(styler)
        return styler

    def postProcessLayer(self, layer, context, feedback):  # noqa: N802 (QGIS API)
        style_result(layer)
