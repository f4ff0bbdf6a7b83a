"""Check proposals: a vector layer in, the Result GeoPackage (and an HTML report) out."""
from __future__ import annotations

from qgis.core import (
    QgsProcessing,
    QgsProcessingContext,
    QgsProcessingMultiStepFeedback,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterString,
    QgsProcessingParameterVectorDestination,
    QgsProject,
    QgsRelation,
)

from .. import core
from ..canvas_legend import show_legend
from ..layer_order import place_result
from ..i18n import tr
from ..style import style_result, style_table
from .base import ChuannanAlgorithm, LayerStyler


class CheckProposalsAlgorithm(ChuannanAlgorithm):
    INPUT = "INPUT"
    NAME_FIELD = "NAME_FIELD"
    KIND_FIELD = "KIND_FIELD"
    INDUSTRY_FIELD = "INDUSTRY_FIELD"
    STATUS_FIELD = "STATUS_FIELD"
    CONSTANTS = "CONSTANTS"
    OUTPUT = "OUTPUT"
    REPORT = "REPORT"
    # parameter → schema field of chuannan_gis.io.read_proposals(field_map=...)
    FIELD_PARAMETERS = {NAME_FIELD: "name", KIND_FIELD: "kind", INDUSTRY_FIELD: "industry", STATUS_FIELD: "status"}
    # "map one with --field kind=<field>" → “Kind field (kind)”
    CLI_OPTIONS = {**ChuannanAlgorithm.CLI_OPTIONS,
                   **{f"--field {schema}=<field>": key for key, schema in FIELD_PARAMETERS.items()}}

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
        self.add(QgsProcessingParameterFeatureSource(self.INPUT, tr("Proposals"), [QgsProcessing.TypeVector]),
                 tr("The proposed parks, ports, enterprises or projects: points or polygons, any CRS "
                    "(lon/lat in CGCS2000 or WGS84, or projected), e.g. examples/proposals.gpkg."))
        labels = {self.NAME_FIELD: tr("Name field"), self.KIND_FIELD: tr("Kind field (kind)"),
                  self.INDUSTRY_FIELD: tr("Industry field (industry)"),
                  self.STATUS_FIELD: tr("Status field (status)")}
        helps = {self.NAME_FIELD: tr("The field with each proposal's name (default: name)."),
                 self.KIND_FIELD: tr("The field saying what is proposed: industrial_park, port, enterprise, "
                                     "project, or in Chinese 园区, 港口, 码头, 企业, 项目 (default: kind)."),
                 self.INDUSTRY_FIELD: tr("The field with the industry: e.g. chemical, heavy_chemical, "
                                         "general_cargo_port, or 化工, 电子, 通用码头 (default: industry)."),
                 self.STATUS_FIELD: tr("The field saying new, expansion or existing (新建, 扩建, 现有); "
                                       "optional, new when absent (default: status).")}
        for key, label in labels.items():
            # Defaulting to the schema's own name preselects the field when the layer has it.
            self.add(QgsProcessingParameterField(
                key, label, defaultValue=self.FIELD_PARAMETERS[key], parentLayerParameterName=self.INPUT,
                optional=True), helps[key])
        self.add(QgsProcessingParameterString(self.CONSTANTS, tr("Constants"), optional=True),
                 tr("Fields every proposal lacks, e.g. kind=industrial_park;industry=chemical "
                    "(as --constant on the command line)."))
        self.add_rules_parameter()
        self.add_constraints_parameter()
        self.add(QgsProcessingParameterVectorDestination(
            self.OUTPUT, tr("Result"), QgsProcessing.TypeVectorAnyGeometry),
            tr("The Result GeoPackage: the proposals with verdict, reasons and citations, and the "
               "findings and not_checked tables."))
        self.add(QgsProcessingParameterFileDestination(
            self.REPORT, tr("HTML report"), tr("HTML files (*.html)"), optional=True, createByDefault=False),
            tr("Optionally, the report of the check as one HTML page, as the command line writes it."))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802 (QGIS API)
        self.require()
        self.queue(feedback)
        if feedback.isCanceled():
            return {}
        steps = QgsProcessingMultiStepFeedback(3, feedback)
        path, layer_name = self.parameterAsCompatibleSourceLayerPathAndLayerName(
            parameters, self.INPUT, context, ["gpkg"], "gpkg", feedback)
        fields = core.field_map(**{schema: self.parameterAsString(parameters, key, context)
                                   for key, schema in self.FIELD_PARAMETERS.items()})
        try:
            proposals = core.read_proposals(path, layer_name, fields,
                                            self.parameterAsString(parameters, self.CONSTANTS, context))
            feedback.pushInfo(tr("Checking {count} proposals").format(count=len(proposals)))
            result = core.check(proposals, self.constraints_path(parameters, context),
                                self.optional_file(parameters, self.RULES, context), steps)
        except core.Canceled:
            return {}
        except Exception as err:  # chuannan_gis errors name file, feature and field: show them as they are
            raise self.planner_error(err) from err
        for line in summary_lines(result):
            feedback.pushInfo(line)
        steps.setCurrentStep(1)
        output = self.parameterAsOutputLayer(parameters, self.OUTPUT, context)
        uris = core.write_result(result, output)
        self._load_on_completion(context, output, uris, self._input_sources(parameters, context, path))
        steps.setCurrentStep(2)
        report = self.parameterAsFileOutput(parameters, self.REPORT, context)
        if report:
            core.write_report(result, report)
        steps.setCurrentStep(3)
        return {self.OUTPUT: uris[0], self.REPORT: report or None}

    def _input_sources(self, parameters, context, read_path: str) -> tuple[str, ...]:
        """The files of the proposals checked (the project layer, and the copy read if any): the
        input layer is hidden once its verdict-coloured Result is drawn over it."""
        layer = self.parameterAsVectorLayer(parameters, self.INPUT, context)
        return tuple(source for source in (read_path, layer.source() if layer else None) if source)

    def _load_on_completion(self, context, output: str, uris: list[str], inputs: tuple[str, ...] = ()) -> None:
        """Load the ``proposals`` layer of the written GeoPackage (one layer per geometry type),
        styled by verdict, instead of whichever table comes first; and its ``findings`` and
        ``not_checked`` tables, related to the proposals so that a proposal's form lists its findings."""
        if not context.willLoadLayerOnCompletion(output):
            return
        layers = context.layersToLoadOnCompletion()
        details = layers.pop(output)
        title = tr("Compliance result")
        relate = ResultRelations(len(uris), inputs)
        for uri in uris:
            family = uri.partition("|geometrytype=")[2]
            name = f"{title} ({family})" if family else title
            loaded = QgsProcessingContext.LayerDetails(name, details.project, details.outputName)
            loaded.setPostProcessor(LayerStyler.create(relate.proposals))
            layers[uri] = loaded
        path = uris[0].split("|")[0]
        for table, name in (("findings", tr("Findings")), ("not_checked", tr("Not checked"))):
            loaded = QgsProcessingContext.LayerDetails(f"{title}: {name}", details.project, table)
            loaded.setPostProcessor(LayerStyler.create(relate.findings if table == "findings" else styled_table))
            layers[f"{path}|layername={table}"] = loaded
        context.setLayersToLoadOnCompletion(layers)


class ResultRelations:
    """Styles a Result's layers as Processing loads them, and once the proposals layers and the
    findings table are all in the project, relates them by ``proposal_id`` (any order of loading)."""

    def __init__(self, proposal_layers: int, inputs: tuple[str, ...] = ()):
        self.expected = proposal_layers
        self.inputs = inputs
        self.proposal_layers = []
        self.findings_layer = None

    def proposals(self, layer) -> None:
        style_result(layer)
        place_result(layer, hide_sources=self.inputs)
        show_legend()
        self.proposal_layers.append(layer)
        self._relate()

    def findings(self, layer) -> None:
        style_table(layer)
        place_result(layer)
        self.findings_layer = layer
        self._relate()

    def _relate(self) -> None:
        if self.findings_layer is None or len(self.proposal_layers) < self.expected:
            return
        relate_findings(self.proposal_layers, self.findings_layer)


def styled_table(layer) -> None:
    """A Result's not_checked table: styled, in the result group."""
    style_table(layer)
    place_result(layer)


def relate_findings(proposal_layers, findings_layer) -> list[QgsRelation]:
    """A relation findings.proposal_id → proposals.proposal_id for each proposals layer."""
    project = QgsProject.instance()
    relations = []
    for layer in proposal_layers:
        relation = QgsRelation()
        relation.setId(f"chuannan_findings_{layer.id()}")
        relation.setName(tr("Findings of the proposal"))
        relation.setReferencedLayer(layer.id())
        relation.setReferencingLayer(findings_layer.id())
        relation.addFieldPair("proposal_id", "proposal_id")
        if relation.isValid():
            project.relationManager().addRelation(relation)
            relations.append(relation)
    return relations


def summary_lines(result) -> list[str]:
    """The verdict counts and the rules not checked, as the command line prints them after a check."""
    from chuannan_gis.verdicts import VERDICTS

    counts = result.verdict_counts()
    lines = [f"{v.zh} {v.en}: {int(counts.get(code, 0))}" for code, v in VERDICTS.items()]
    lines.append(f"合计 total: {sum(counts.values())}")
    for _, row in result.not_checked.iterrows():
        lines.append(f"未检查 not checked: {row['rule_id']} — {row['reason_zh']} / {row['reason_en']}")
    return lines
