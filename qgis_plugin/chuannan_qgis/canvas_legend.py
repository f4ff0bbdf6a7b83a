"""The verdict legend and the 示意 caveat on the map canvas, as a text annotation fixed on screen.

A planner looking at the map (or at a picture of it) sees what each colour means and that the
map is a screening on indicative data, not an official map, without opening the layer panel.
It is one annotation in the project (saved with it), shown once however many checks are run.
"""
from __future__ import annotations

import html

from qgis.core import QgsFillSymbol, QgsMarkerSymbol, QgsProject, QgsRenderContext, QgsTextAnnotation
from qgis.PyQt.QtCore import QPointF, QSizeF
from qgis.PyQt.QtGui import QTextDocument

from .i18n import language, tr

LEGEND_ID = "chuannan verdict legend"  # the document title that marks the plugin's annotation
POSITION = QPointF(0.008, 0.855)  # share of the canvas: the lower left corner
SIZE_MM = QSizeF(50, 27)


def legend_html() -> str:
    """The verdicts worst first, each a swatch in its colour and its words in the interface
    language, then the caveat (示意 data, a screening, not a permit)."""
    from chuannan_gis.layers.styles import indicative
    from chuannan_gis.verdicts import VERDICTS

    lang = "zh" if language() == "zh" else "en"
    rows = "<br/>".join(
        f"<span style='color:{v.colour}'>●</span> {html.escape(getattr(v, lang))}"
        for v in sorted(VERDICTS.values(), key=lambda v: -v.rank))
    tag = indicative().tag[0 if lang == "zh" else 1]
    caveat = tr("{tag}: indicative data. A screening, not a permit or an official map.").format(tag=tag)
    title = tr("Verdict")
    return (f"<div style='font-size:7pt'><b>{html.escape(title)}</b><br/>{rows}<br/>"
            f"<span style='color:#555555'>{html.escape(caveat)}</span></div>")


def find_legend(project: QgsProject | None = None):
    project = project or QgsProject.instance()
    for annotation in project.annotationManager().annotations():
        if isinstance(annotation, QgsTextAnnotation) and \
                annotation.document().metaInformation(QTextDocument.DocumentTitle) == LEGEND_ID:
            return annotation
    return None


def show_legend(project: QgsProject | None = None) -> QgsTextAnnotation:
    """Put the legend on the canvas (once per project); return it."""
    project = project or QgsProject.instance()
    found = find_legend(project)
    if found is not None:
        return found
    annotation = QgsTextAnnotation()
    document = QTextDocument()
    document.setHtml(legend_html())
    document.setMetaInformation(QTextDocument.DocumentTitle, LEGEND_ID)
    annotation.setDocument(document)
    annotation.setHasFixedMapPosition(False)  # fixed on screen, whatever the extent
    annotation.setRelativePosition(POSITION)
    annotation.setFrameOffsetFromReferencePointMm(QPointF(0, 0))
    annotation.setFrameSizeMm(SIZE_MM)
    annotation.setFillSymbol(QgsFillSymbol.createSimple({"color": "255,255,255,225", "outline_color": "#888888",
                                                         "outline_width": "0.2"}))
    annotation.setMarkerSymbol(QgsMarkerSymbol.createSimple({"size": "0", "color": "0,0,0,0",
                                                             "outline_style": "no"}))
    project.annotationManager().addAnnotation(annotation)
    return annotation


def paint_legend(painter, width: int, height: int, project: QgsProject | None = None) -> bool:
    """Paint the project's legend onto an image of ``width`` × ``height`` (a map rendered outside the
    canvas, which draws no annotations), where the canvas shows it; False when there is none."""
    annotation = find_legend(project)
    if annotation is None:
        return False
    context = QgsRenderContext.fromQPainter(painter)
    painter.save()
    painter.translate(annotation.relativePosition().x() * width, annotation.relativePosition().y() * height)
    annotation.render(context)
    painter.restore()
    return True
