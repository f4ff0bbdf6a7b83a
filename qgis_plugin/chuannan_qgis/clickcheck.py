"""Click to check: draw a point or a polygon, pick kind and industry, read the verdict at once.

The plugin docks the panel; the panel asks :mod:`core` for the check, so a clicked proposal gets exactly the verdict the
command line gives for the same geometry and values; kept results go to a scratch layer styled
like any Result.
"""
from __future__ import annotations

import html
import tempfile
from pathlib import Path

from qgis.core import QgsGeometry, QgsProject, QgsSettings, QgsVectorLayer, QgsWkbTypes
from qgis.gui import QgsMapTool, QgsRubberBand
from qgis.PyQt.QtCore import QPoint, QSize, Qt, pyqtSignal
from qgis.PyQt.QtGui import QColor
from qgis.PyQt.QtWidgets import (
    QComboBox,
    QDockWidget,
    QFormLayout,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from . import core, threads
from .i18n import language, tr
from .style import style_result, text_colour

KEPT_LAYER = "即点即查结果 click-check results"


class DrawTool(QgsMapTool):
    """Left clicks add vertices (one is enough in point mode); a right click closes a polygon."""

    drawn = pyqtSignal(QgsGeometry)

    def __init__(self, canvas):
        super().__init__(canvas)
        self.polygon_mode = False
        self.points = []
        self.band = QgsRubberBand(canvas, QgsWkbTypes.PolygonGeometry)
        self.band.setColor(QColor(60, 60, 200, 120))
        self.setCursor(Qt.CursorShape.CrossCursor)

    def canvasReleaseEvent(self, event):  # noqa: N802 (QGIS API)
        point = self.toMapCoordinates(event.pos())
        if event.button() == Qt.MouseButton.LeftButton and not self.polygon_mode:
            self.drawn.emit(QgsGeometry.fromPointXY(point))
        elif event.button() == Qt.MouseButton.LeftButton:
            self.points.append(point)
            self.band.addPoint(point)
        elif event.button() == Qt.MouseButton.RightButton and len(self.points) >= 3:
            self.drawn.emit(QgsGeometry.fromPolygonXY([self.points + self.points[:1]]))
            self.reset()

    def reset(self) -> None:
        self.points = []
        self.band.reset(QgsWkbTypes.PolygonGeometry)

    def deactivate(self):
        self.reset()
        super().deactivate()


class Panel(QDockWidget):
    """Name, kind, industry and status of the proposal; the verdict and its reasons.

    It opens floating, at a size where a verdict with three findings reads without scrolling
    (docked under the toolbox it was 393 × 321 px: the heading and the county only); where the
    planner moves, sizes or docks it is remembered (QgsSettings) for the next time."""

    PLACEMENT_KEY = "chuannan_compliance/click_panel"
    DEFAULT_SIZE = QSize(460, 680)

    def __init__(self, parent=None):
        super().__init__(tr("Click to check"), parent)
        self.setObjectName("ChuannanClickCheck")
        body = QWidget()
        form = QFormLayout()
        self.name = QLineEdit(tr("Click-check"))
        self.kind, self.industry, self.status = (self._choices(field) for field in ("kind", "industry", "status"))
        self.point = QRadioButton(tr("Click a point"))
        self.polygon = QRadioButton(tr("Draw a polygon (right click to finish)"))
        self.point.setChecked(True)
        for label, widget in ((tr("Name"), self.name), (tr("Kind"), self.kind),
                              (tr("Industry"), self.industry), (tr("Status"), self.status)):
            form.addRow(label, widget)
        self.result = QTextBrowser()
        self.keep = QPushButton(tr("Keep as feature"))
        self.keep.setEnabled(False)
        layout = QVBoxLayout(body)
        for item in (form, self.point, self.polygon):
            (layout.addLayout if item is form else layout.addWidget)(item)
        layout.addWidget(self.result, 1)
        layout.addWidget(self.keep)
        self.setWidget(body)
        self._restoring = False
        self.topLevelChanged.connect(lambda _floating: self.save_placement())

    def restore_placement(self) -> None:
        """Floating at the remembered (or a readable) size and place, or docked if the planner docked it."""
        settings = QgsSettings()
        key = self.PLACEMENT_KEY
        self._restoring = True
        try:
            self.setFloating(settings.value(f"{key}/floating", True, type=bool))
            if self.isFloating():
                size = settings.value(f"{key}/size", self.DEFAULT_SIZE)
                self.resize(size if isinstance(size, QSize) and size.isValid() else self.DEFAULT_SIZE)
                position = settings.value(f"{key}/position", None)
                if isinstance(position, QPoint):
                    self.move(position)
        finally:
            self._restoring = False

    def save_placement(self) -> None:
        if self._restoring:
            return
        settings = QgsSettings()
        settings.setValue(f"{self.PLACEMENT_KEY}/floating", self.isFloating())
        if self.isFloating():
            settings.setValue(f"{self.PLACEMENT_KEY}/size", self.size())
            settings.setValue(f"{self.PLACEMENT_KEY}/position", self.pos())

    def resizeEvent(self, event):  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        self.save_placement()

    def moveEvent(self, event):  # noqa: N802 (Qt API)
        super().moveEvent(event)
        self.save_placement()

    @staticmethod
    def _choices(field: str) -> QComboBox:
        box = QComboBox()
        for code, label in core.terms(field):
            box.addItem(label, code)
        return box

    def values(self) -> dict[str, str]:
        return {"name": self.name.text() or tr("Click-check"), "kind": self.kind.currentData(),
                "industry": self.industry.currentData(), "status": self.status.currentData()}


class ClickCheck:
    """The toolbar button's state: the panel, the map tool, the last Result."""

    def __init__(self, canvas, action, parent=None):
        self.canvas = canvas
        self.panel = Panel(parent)
        self.tool = DrawTool(canvas)
        self.tool.setAction(action)
        self.tool.drawn.connect(self.check)
        self.panel.polygon.toggled.connect(self._set_mode)
        self.panel.keep.clicked.connect(self.keep)
        self.result = None
        # The site just checked, outlined in its verdict colour until the next check.
        self.marker = QgsRubberBand(canvas, QgsWkbTypes.PolygonGeometry)
        self.marker.setWidth(3)
        self.marker.setIcon(QgsRubberBand.ICON_CIRCLE)
        self.marker.setIconSize(14)

    def set_active(self, active: bool) -> None:
        self.panel.setVisible(active)
        if active:
            self.canvas.setMapTool(self.tool)
        elif self.canvas.mapTool() is self.tool:
            self.canvas.unsetMapTool(self.tool)

    def _set_mode(self, polygon: bool) -> None:
        self.tool.polygon_mode = polygon
        self.tool.reset()

    def check(self, geometry: QgsGeometry) -> None:
        """Check the drawn geometry with the panel's values and show the verdict."""
        crs = self.canvas.mapSettings().destinationCrs()
        if threads.busy():  # a toolbox run holds the library: waiting would freeze the map until it ends
            busy = tr("A check is running in the background; click again when it has finished.")
            self.panel.result.setHtml("<p>" + html.escape(busy) + "</p>")
            return
        try:
            proposal = core.drawn_proposal(geometry.asWkt(), crs.authid() or crs.toWkt(), **self.panel.values())
            self.result = core.check(proposal)
        except Exception as err:  # chuannan_gis errors say what is wrong: show them in the panel
            self.result = None
            if core.is_far_outside(err):  # the canvas's CRS is right: the click is far from 川南
                self.panel.result.setHtml(outside_html())
            else:  # the message without the "file <GeoDataFrame>; feature row 1" of a file's errors
                self.panel.result.setHtml(f"<p style='color:#d7191c'>{html.escape(core.error_text(err))}</p>")
        else:
            self.panel.result.setHtml(result_html(self.result))
        self.mark(geometry)
        self.panel.keep.setEnabled(self.result is not None)

    def mark(self, geometry: QgsGeometry) -> None:
        """Outline the checked site on the map in its verdict colour (grey when the check failed)."""
        from chuannan_gis.verdicts import VERDICTS

        code = self.result.proposals["verdict"].iloc[0] if self.result is not None else "unknown"
        colour = QColor(VERDICTS[code].colour)
        self.marker.reset(geometry.type())
        self.marker.setStrokeColor(colour)
        self.marker.setSecondaryStrokeColor(QColor("#ffffff"))
        fill = QColor(colour)
        fill.setAlpha(60)
        self.marker.setFillColor(fill)
        self.marker.setToGeometry(geometry, None)
        self.marker.show()

    def keep(self) -> QgsVectorLayer | None:
        """Add the last checked proposal, with its verdict and reasons, to the kept layer."""
        if self.result is None:
            return None
        with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as folder:
            uri = core.write_result(self.result, str(Path(folder) / "kept.gpkg"))[0]  # one geometry
            written = QgsVectorLayer(uri, "kept", "ogr")
            layer = self._kept_layer(written)
            layer.dataProvider().addFeatures(list(written.getFeatures()))
            del written
        layer.updateExtents()
        layer.triggerRepaint()
        return layer

    def _kept_layer(self, like: QgsVectorLayer) -> QgsVectorLayer:
        """The scratch layer for kept results of ``like``'s geometry type, created the first time
        with ``like``'s fields."""
        name = f"{KEPT_LAYER} ({QgsWkbTypes.geometryDisplayString(like.geometryType())})"
        found = QgsProject.instance().mapLayersByName(name)
        if found:
            return found[0]
        geometry = QgsWkbTypes.displayString(like.wkbType())
        layer = QgsVectorLayer(f"{geometry}?crs={like.crs().authid()}", name, "memory")
        layer.dataProvider().addAttributes(like.fields().toList())
        layer.updateFields()
        style_result(layer)
        QgsProject.instance().addMapLayer(layer)
        return layer

    def close(self) -> None:
        self.set_active(False)
        self.marker.reset()
        self.canvas.scene().removeItem(self.marker)
        self.panel.deleteLater()
        self.tool.reset()


MUTED = "color:#666666;font-style:italic"  # caveats and notes: not a verdict, not a finding


def outside_html() -> str:
    """A click far outside 川南: verdict unknown, "不在川南经济区范围内", as a click at 成都 gets
    from the rule ``region_outside`` (whose words and citation these are)."""
    from chuannan_gis.verdicts import verdict_text

    first, second = ("zh", "en") if language() == "zh" else ("en", "zh")
    rule = core.outside_rule()
    title = " ".join(verdict_text("unknown", "", lang) for lang in (first, second))
    reason = " ".join(getattr(rule.title, lang) for lang in (first, second))
    note = tr("The constraints of this tool do not reach this place.")
    return (f"<h3 style='color:{text_colour('unknown')}'>{html.escape(title)}</h3>"
            f"<p>{html.escape(reason)}</p><p>{html.escape(note)}</p>"
            f"<p><small>{html.escape(rule.citation.short)}</small></p>")


def result_html(result) -> str:
    """The verdict, its reasons and citations of a one-proposal Result, as the panel shows them:
    the interface language first, the other below it in grey; verdicts in their readable text colour."""
    from chuannan_gis.verdicts import certainty_of, verdict_text

    first, second = ("zh", "en") if language() == "zh" else ("en", "zh")
    row = result.proposals.iloc[0]
    certainty = certainty_of(row["certainty"] if "certainty" in row.index else "")
    # 禁止（数据精度内，须核实） prohibited (within the data's accuracy: confirm): never read as certain
    title = " ".join(verdict_text(row["verdict"], certainty.code, lang) for lang in (first, second))
    parts = [f"<h3 style='color:{text_colour(row['verdict'])}'>{html.escape(title)}</h3>",
             f"<p>{html.escape(str(row['county'] or ''))} {html.escape(str(row['city'] or ''))}</p>",
             f"<p>{html.escape(str(row[f'summary_{first}']))}<br/><span style='color:#555'>"
             f"{html.escape(str(row[f'summary_{second}']))}</span></p>"]
    if certainty.code:
        words = " ".join(getattr(certainty, f"name_{lang}") for lang in (first, second))
        label = tr("Certainty")  # outside the f-string, where pylupdate5 can find it
        parts.append(f"<p>{html.escape(label)}: {html.escape(words)}</p>")
    findings = result.findings_with_notes()
    if len(findings):
        items = "".join(
            # a clear finding is a data caveat (coverage, indicative data), muted: never read as a verdict
            (f"<li style='{MUTED}'>{html.escape(f['rule_id'])} " if f["verdict"] == "clear" else
             f"<li><b style='color:{text_colour(f['verdict'])}'>{html.escape(f['rule_id'])}</b> ") +
            f"{html.escape(str(f[f'message_{first}']))}<br/><span style='color:#555'>"
            f"{html.escape(str(f[f'message_{second}']))}</span><br/>"
            f"<small>{html.escape(str(f['citation']))}</small></li>"
            for _, f in findings.iterrows())
        parts.append(f"<ul>{items}</ul>")
    if len(result.not_checked):
        skipped = ", ".join(html.escape(str(rule)) for rule in result.not_checked["rule_id"])
        parts.append(f"<p style='{MUTED}'><small>{html.escape(tr('Not checked'))}: {skipped}</small></p>")
    if bool(row.get("indicative")):
        note = tr("Rests on indicative (示意) data: verify with the official layers.")
        parts.append(f"<p style='{MUTED}'>" + html.escape(note) + "</p>")
    parts.append(f"<p style='{MUTED}'><small>" + html.escape(tr("A screening result, not a permit.")) + "</small></p>")
    return "".join(parts)
