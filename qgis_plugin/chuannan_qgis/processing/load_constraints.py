"""Load constraint layers into the project: grouped, styled, indicative layers marked 示意."""
from __future__ import annotations

from pathlib import Path

from qgis.core import (
    QgsProcessingAlgorithm,
    QgsProcessingOutputMultipleLayers,
    QgsVectorLayer,
)

from .. import core
from ..i18n import language, tr
from ..layer_order import constraint_group
from ..style import apply_qml, constraint_style, yield_labels
from .base import ChuannanAlgorithm


class LoadConstraintsAlgorithm(ChuannanAlgorithm):
    OUTPUT_LAYERS = "OUTPUT_LAYERS"

    def name(self) -> str:
        return "loadconstraints"

    def displayName(self) -> str:  # noqa: N802 (QGIS API)
        return tr("Load constraint layers into the project")

    def shortHelpString(self) -> str:  # noqa: N802 (QGIS API)
        return tr("Adds the constraint layers the check uses (the bundled set, overlaid with your "
                  "GeoPackage if given) to the project in one group, styled, below the compliance results; "
                  "run again, it refreshes that group in place. Layers that rest on indicative (示意) data "
                  "are marked so in the layer tree.")

    def flags(self):
        return super().flags() | QgsProcessingAlgorithm.FlagNoThreading  # touches the project

    def initAlgorithm(self, config=None):  # noqa: N802 (QGIS API)
        self.add_constraints_parameter()
        self.addOutput(QgsProcessingOutputMultipleLayers(self.OUTPUT_LAYERS, tr("Constraint layers")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802 (QGIS API)
        self.require()
        self.queue(feedback)
        constraints = core.load_constraints(self.constraints_path(parameters, context))
        project = context.project()
        group = constraint_group(project) if project else None  # a second load refreshes the group
        indicative = set(constraints.indicative_layers())
        ids = []
        for name, path in constraints.paths.items():
            if feedback.isCanceled():
                break
            layer = constraint_layer(name, path, constraints.layer_info(name), name in indicative)
            if project is not None:
                project.addMapLayer(layer, False)
                group.addLayer(layer)
            ids.append(layer.id())
            feedback.pushInfo(layer.name())
        return {self.OUTPUT_LAYERS: ids}


def constraint_layer(name: str, path: str, info: dict, indicative: bool) -> QgsVectorLayer:
    """One constraint layer, titled in the interface language, styled, with its provenance."""
    title = info.get("title_zh" if language() == "zh" else "title_en") or name
    uri = path if Path(path).stem == name else f"{path}|layername={name}"
    layer = QgsVectorLayer(uri, title + (indicative_mark() if indicative else ""), "ogr")
    qml = constraint_style(name)
    if qml is not None:
        apply_qml(layer, qml)
        yield_labels(layer)
    metadata = layer.metadata()
    metadata.setAbstract(tr("Source: {source}; licence: {licence}; date: {date}; method: {method}; "
                            "accuracy: {accuracy} m").format(
        source=info.get("source"), licence=info.get("licence"), date=info.get("date"),
        method=info.get("method"), accuracy=info.get("accuracy_m")))
    layer.setMetadata(metadata)
    return layer


def indicative_mark() -> str:
    """' (示意 indicative)': the tag of the style table, as the web map's layer control shows it."""
    from chuannan_gis.labels import bilingual
    from chuannan_gis.layers.styles import indicative  # imported here: chuannan_gis loads only when used

    return f" ({bilingual(*indicative().tag)})"
