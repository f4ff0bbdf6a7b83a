"""Print map: one PDF, a page per proposal, laid out from a bundled, replaceable .qpt template.

The template (``print_map.qpt`` beside this file, remade by :func:`make_template`) holds items with
these ids, any of which a bureau's own 图框 may leave out: ``title``, ``map``, ``legend``,
``scalebar``, ``north``, ``verdict`` (the verdict and the findings table, as HTML), ``caveat``,
``sources`` and ``date``.  Each page shows the proposal and the constraint layers its findings name,
in the plugin's styles, at a round scale that fits the site and the distances measured.  QGIS's
layout rendering must run on the main thread (``FlagNoThreading``).
"""
from __future__ import annotations

import html
from datetime import date
from pathlib import Path

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsLayoutExporter,
    QgsLayoutItemLabel,
    QgsLayoutItemLegend,
    QgsLayoutItemMap,
    QgsLayoutItemPage,
    QgsPrintLayout,
    QgsProcessingAlgorithm,
    QgsProcessingException,
    QgsProcessingParameterFile,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterString,
    QgsProject,
    QgsReadWriteContext,
    QgsRectangle,
    QgsVectorLayer,
)
from qgis.PyQt.QtXml import QDomDocument

from .. import style
from ..i18n import tr
from .base import ChuannanAlgorithm

TEMPLATE = Path(__file__).with_name("print_map.qpt")
ROUND_SCALES = (1_000, 2_000, 5_000, 10_000, 25_000, 50_000, 100_000, 250_000, 500_000)
MIN_HALF_WIDTH_M = 500.0


class PrintMapAlgorithm(ChuannanAlgorithm):
    RESULT = "RESULT"
    PROPOSAL = "PROPOSAL"
    OUTPUT = "OUTPUT"

    def name(self) -> str:
        return "printmap"

    def displayName(self) -> str:  # noqa: N802 (QGIS API)
        return tr("Print map")

    def shortHelpString(self) -> str:  # noqa: N802 (QGIS API)
        return tr("Lays out a printed map of a Result, one PDF page per proposal: title, the map at a "
                  "round scale with the plugin's styles, legend, scale bar, north arrow, the verdict and "
                  "findings, the caveat, the data sources and the date, from a .qpt template a bureau "
                  "can replace with its own 图框.")

    def flags(self):
        # layout export draws with Qt's painter: on the main thread
        return super().flags() | QgsProcessingAlgorithm.FlagNoThreading

    def initAlgorithm(self, config=None):  # noqa: N802 (QGIS API)
        self.add(QgsProcessingParameterFile(
            self.RESULT, tr("Result GeoPackage (written by Check proposals)"), fileFilter=tr("GeoPackage (*.gpkg)")),
            tr("The Result GeoPackage a check wrote."))
        self.add(QgsProcessingParameterString(self.PROPOSAL, tr("Proposal (id or name)"), optional=True),
                 tr("One proposal's proposal_id or name; empty: every proposal, a page each."))
        self.add(QgsProcessingParameterFileDestination(self.OUTPUT, tr("Print map PDF"), tr("PDF files (*.pdf)")),
                 tr("One PDF, a page per proposal."))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802 (QGIS API)
        self.require()
        from chuannan_gis.documents.content import sections
        from chuannan_gis.documents.stored import StoredResult
        from chuannan_gis.report import recorded_constraints

        # Check proposals' OUTPUT is a layer URI (file|layername=proposals): its file is the Result
        path = self.parameterAsFile(parameters, self.RESULT, context).split("|")[0]
        wanted = (self.parameterAsString(parameters, self.PROPOSAL, context) or "").strip()
        output = self.parameterAsFileOutput(parameters, self.OUTPUT, context)
        try:
            stored = StoredResult(path)
            verdicts = stored.verdicts()
            ids = list(verdicts["proposal_id"])
            if wanted:
                names = stored.subset(ids)
                ids = [int(p) for p, n in zip(names.proposals["proposal_id"], names.proposals.get("name", []))
                       if str(p) == wanted or str(n) == wanted]
                if not ids:
                    raise QgsProcessingException(tr("No proposal {} in the result").format(wanted))
            result = stored.subset(ids)
            constraints = recorded_constraints(result)
            pages = sections(result, constraints, max_sections=len(ids))
        except QgsProcessingException:
            raise
        except Exception as err:  # chuannan_gis errors say what is wrong: show them as they are
            raise QgsProcessingException(str(err)) from err
        pages.sort(key=lambda page: page["proposal_id"])
        project = QgsProject()
        # a Result's proposals may mix points and polygons: one styled layer per geometry type
        shown = []
        for kind in ("Polygon", "LineString", "Point"):
            layer = QgsVectorLayer(f"{path}|layername=proposals|geometrytype={kind}", tr("Proposals"), "ogr")
            if layer.isValid() and layer.featureCount() > 0:
                style.style_result(layer)
                project.addMapLayer(layer)
                shown.append(layer)
        layers = _constraint_layers(project, constraints, result)
        bounds = {int(p): g.bounds for p, g in zip(result.proposals["proposal_id"], result.proposals.geometry)
                  if g is not None and not g.is_empty}
        template = _read_template()
        # one layout, the template's page and items repeated a page per proposal, exported once
        layout = QgsPrintLayout(project)
        layout.initializeDefaults()
        for number, page in enumerate(pages):
            if feedback.isCanceled():
                break
            if number:  # a template appended to a layout brings its items, not its page: add one like the first
                extra = QgsLayoutItemPage(layout)
                extra.setPageSize(layout.pageCollection().page(0).pageSize())
                layout.pageCollection().addPage(extra)
            items, _ok = layout.loadFromTemplate(template, QgsReadWriteContext(), number == 0)
            for item in items:
                if number and not isinstance(item, QgsLayoutItemPage):
                    item.attemptMove(item.pagePositionWithUnits(), True, False, number)
            _fill({i.id(): i for i in items if not isinstance(i, QgsLayoutItemPage) and i.id()}, page, shown, layers,
                  result, stored, bounds.get(page["proposal_id"]))
            feedback.setProgress(90 * (number + 1) / max(len(pages), 1))
        settings = QgsLayoutExporter.PdfExportSettings()
        settings.forceVectorOutput = True
        outcome = QgsLayoutExporter(layout).exportToPdf(output, settings)
        if outcome != QgsLayoutExporter.Success:
            raise QgsProcessingException(tr("The print map could not be written to {}").format(output))
        return {self.OUTPUT: output}


def _read_template() -> QDomDocument:
    document = QDomDocument()
    if not document.setContent(TEMPLATE.read_text(encoding="utf-8")):
        raise QgsProcessingException(tr("The print template {} cannot be read").format(TEMPLATE))
    return document


def _constraint_layers(project, constraints, result) -> dict:
    """The constraint layers the findings name (and the water and counties for orientation), styled."""
    if constraints is None:
        return {}
    named = set(result.findings["layer"].dropna().astype(str)) | {"water", "counties"}
    layers = {}
    for name in sorted(named):
        source = constraints.paths.get(name) if hasattr(constraints, "paths") else None
        if not source or not constraints.has(name):
            continue
        layer = QgsVectorLayer(f"{source}|layername={name}", name, "ogr")
        qml = style.constraint_style(name)
        if layer.isValid():
            if qml:
                style.apply_qml(layer, qml)
            project.addMapLayer(layer)
            layers[name] = layer
    return layers


def _fill(items: dict, page: dict, proposals: list, layers: dict, result, stored, bounds) -> None:
    """Fill one page's items (by id) for one proposal; its legend, scale bar and north arrow follow its map."""
    named = {f["layer_code"] for f in page["findings"]} | {"water"}
    shown = [*proposals, *[layers[n] for n in layers if n in named]]
    shown += [layers["counties"]] if "counties" in layers else []
    if isinstance(items.get("map"), QgsLayoutItemMap):
        _frame(items["map"], page, shown, bounds)
        for linked in ("legend", "scalebar", "north"):
            if linked in items and hasattr(items[linked], "setLinkedMap"):
                items[linked].setLinkedMap(items["map"])
                items[linked].refresh()
        if isinstance(items.get("legend"), QgsLayoutItemLegend):
            _legend(items["legend"], shown)
    _text(items, "title", f"{html.escape(page['name'])}　审查附图")
    findings = "".join(
        f"<tr><td>{html.escape(f['title'])}</td><td>{html.escape(f['verdict'].zh)}</td>"
        f"<td>{html.escape(f['measured'])}</td><td>{html.escape(f['document'])}{html.escape(f['clause'])}</td></tr>"
        for f in page["findings"])
    table = (f"<table border='1' cellspacing='0' cellpadding='2' style='font-size:7pt'>"
             f"<tr><th>规则</th><th>结论</th><th>实测</th><th>依据</th></tr>{findings}</table>") if findings else ""
    conclusion = page["verdict"].zh + (f"（{page['certainty'].zh}）" if page["certainty"].zh else "")
    _text(items, "verdict", f"<b>审查结论：{html.escape(conclusion)}</b><br>{html.escape(page['county'])}　"
                            f"{html.escape(page['centre'])}<br>{table}")
    from chuannan_gis.documents.content import CAVEAT_ZH

    _text(items, "caveat", html.escape(CAVEAT_ZH))
    sources = "；".join(f"{u.title_zh}（{u.status_zh.split('：')[0]}）" for u in _data_used(result))
    _text(items, "sources", f"数据来源：{html.escape(sources)}")
    _text(items, "date", f"制图日期：{date.today().isoformat()}　检查时间（UTC）：{html.escape(str(stored.run_info.time))}")


def _legend(item: QgsLayoutItemLegend, shown: list) -> None:
    """The legend lists the layers drawn on this page, by their Chinese titles: not every layer of
    the project (filter-by-map alone kept the project's whole tree and ran out of the box)."""
    from chuannan_gis.layers.schema import LAYERS

    item.setAutoUpdateModel(False)
    root = item.model().rootGroup()
    root.removeAllChildren()
    for layer in shown:
        node = root.addLayer(layer)
        spec = LAYERS.get(layer.name())
        if spec is not None:
            node.setCustomProperty("legend/title-label", spec.title_zh)
    item.updateLegend()


def _data_used(result):
    from chuannan_gis.provenance import data_used

    return data_used(result)


def _text(items: dict, item_id: str, text: str) -> None:
    item = items.get(item_id)
    if isinstance(item, QgsLayoutItemLabel):
        item.setMode(QgsLayoutItemLabel.ModeHtml)
        item.setText(text)


def _frame(item: QgsLayoutItemMap, page: dict, layers: list, bounds) -> None:
    """The map around the proposal in EPSG:4544, at the first round scale that holds it and its
    measured distances (``bounds``: the proposal's lon/lat box)."""
    from pyproj import Transformer

    item.setLayers(layers)
    item.setKeepLayerSet(True)
    item.setCrs(QgsCoordinateReferenceSystem("EPSG:4544"))
    if bounds is None:
        return
    to_metres = Transformer.from_crs("EPSG:4490", "EPSG:4544", always_xy=True)
    (x0, x1), (y0, y1) = to_metres.transform([bounds[0], bounds[2]], [bounds[1], bounds[3]])
    reach = max([MIN_HALF_WIDTH_M] + [_metres(f["measured"]) * 1.2 for f in page["findings"]])
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    half_w, half_h = (x1 - x0) / 2 + reach, (y1 - y0) / 2 + reach
    size = item.sizeWithUnits()
    aspect = size.width() / size.height()
    half_w, half_h = max(half_w, half_h * aspect), max(half_h, half_w / aspect)
    item.zoomToExtent(QgsRectangle(cx - half_w, cy - half_h, cx + half_w, cy + half_h))
    scale = next((s for s in ROUND_SCALES if s >= item.scale()), item.scale())
    item.setScale(scale)


def _metres(text: str) -> float:
    number, _, unit = str(text).replace(",", "").partition(" ")
    try:
        return float(number) if unit.strip() == "m" else 0.0
    except ValueError:
        return 0.0


def make_template(path: Path = TEMPLATE) -> Path:
    """Write the bundled template: A4 landscape, the map on the left, the texts on the right."""
    from qgis.core import (
        QgsLayoutItemLegend,
        QgsLayoutItemPicture,
        QgsLayoutItemScaleBar,
        QgsLayoutPoint,
        QgsLayoutSize,
        QgsScaleBarSettings,
        QgsUnitTypes,
    )
    from qgis.PyQt.QtGui import QFont

    layout = QgsPrintLayout(QgsProject.instance())
    layout.initializeDefaults()
    layout.pageCollection().page(0).setPageSize("A4", 1)  # 1: landscape
    mm = QgsUnitTypes.LayoutMillimeters

    def place(item, x, y, w, h, item_id):
        layout.addLayoutItem(item)
        item.attemptMove(QgsLayoutPoint(x, y, mm))
        item.attemptResize(QgsLayoutSize(w, h, mm))
        item.setId(item_id)
        return item

    title = place(QgsLayoutItemLabel(layout), 10, 6, 277, 12, "title")
    title.setFont(QFont("WenQuanYi Micro Hei", 16))
    title.setText("项目名称　审查附图")
    map_item = place(QgsLayoutItemMap(layout), 10, 20, 180, 160, "map")
    map_item.setFrameEnabled(True)
    # drawn in EPSG:4544 (metres, as everything is measured) with a real extent (川南经济区): a template
    # saved without one stores NaN, which no later zoom recovers from
    map_item.setCrs(QgsCoordinateReferenceSystem("EPSG:4544"))
    map_item.setExtent(QgsRectangle(360_000, 3_050_000, 640_000, 3_300_000))
    map_item.attemptResize(QgsLayoutSize(180, 160, mm))
    legend = place(QgsLayoutItemLegend(layout), 195, 20, 92, 60, "legend")
    legend.setLinkedMap(map_item)
    legend.setLegendFilterByMapEnabled(True)  # only what the page shows
    legend.setResizeToContents(False)
    legend.setTitle("图例")
    scalebar = place(QgsLayoutItemScaleBar(layout), 12, 170, 60, 8, "scalebar")
    scalebar.setLinkedMap(map_item)
    scalebar.setUnits(QgsUnitTypes.DistanceMeters)
    scalebar.setUnitLabel("m")
    scalebar.setNumberOfSegments(2)
    scalebar.setNumberOfSegmentsLeft(0)
    scalebar.setSegmentSizeMode(QgsScaleBarSettings.SegmentSizeFitWidth)  # a round length 25–50 mm long
    scalebar.setMinimumBarWidth(25)
    scalebar.setMaximumBarWidth(50)
    north = place(QgsLayoutItemPicture(layout), 176, 22, 12, 12, "north")
    north.setPicturePath(":/images/north_arrows/layout_default_north_arrow.svg")
    north.setLinkedMap(map_item)
    place(QgsLayoutItemLabel(layout), 195, 82, 92, 78, "verdict").setText("审查结论")
    place(QgsLayoutItemLabel(layout), 195, 160, 92, 20, "caveat").setText("提示")
    place(QgsLayoutItemLabel(layout), 10, 182, 230, 18, "sources").setText("数据来源")
    place(QgsLayoutItemLabel(layout), 240, 182, 47, 18, "date").setText("日期")
    legend.setAutoUpdateModel(True)
    layout.saveAsTemplate(str(path), QgsReadWriteContext())
    return path
