"""Styles: verdict colours for Result layers and screening rasters, QML files for constraint layers.

The verdict colours and labels come from ``chuannan_gis.verdicts`` at run time, so the map, the
report and the web map cannot disagree; ``styles/result.qml`` adds the aliases and map tips.
"""
from __future__ import annotations

from pathlib import Path

from qgis.core import (
    QgsCategorizedSymbolRenderer,
    QgsCentroidFillSymbolLayer,
    QgsConditionalStyle,
    QgsEditorWidgetSetup,
    QgsMarkerSymbol,
    QgsPalLayerSettings,
    QgsProperty,
    QgsRendererCategory,
    QgsRuleBasedLabeling,
    QgsSimpleMarkerSymbolLayer,
    QgsSimpleMarkerSymbolLayerBase,
    QgsSymbol,
    QgsSymbolLayer,
    QgsTextBufferSettings,
    QgsTextFormat,
    QgsUnitTypes,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QColor, QFont

from .i18n import language

STYLES_DIR = Path(__file__).parent / "styles"
RESULT_STYLE = STYLES_DIR / "result.qml"
VERDICT_FIELD = "verdict"
CERTAINTY_FIELD = "certainty"
WITHIN_ACCURACY = "within_accuracy"
# A verdict within the data's accuracy is its own category, "<verdict>:within_accuracy", drawn as
# on the web map (chuannan_gis.verdicts.WITHIN_ACCURACY_LOOK); a Result without certainty keeps
# the plain verdict categories.
CERTAINTY_CLASS = (f"CASE WHEN \"{CERTAINTY_FIELD}\" = '{WITHIN_ACCURACY}' "
                   f"THEN \"{VERDICT_FIELD}\" || ':{WITHIN_ACCURACY}' ELSE \"{VERDICT_FIELD}\" END")
MULTILINE_FIELDS = ("summary_zh", "summary_en", "citations", "message_zh", "message_en", "reason_zh", "reason_en")
# At 1:50,000 and larger scales a site is drawn as its footprint; at smaller ones (1:N, N larger)
# it shrinks to a few pixels, and a marker with a white halo at its centre shows the verdict.
MARKER_SCALE = 50_000
MARKER_MM = 3.2  # ≥ 3 mm: readable at region scale
HALO_MM = 1.2  # the white ring around it, so it stands out on any constraint fill
DECIMALS = 2  # numbers in the attribute tables: 35251.38, not 35251.380000000005
MIN_CONTRAST = 4.5  # WCAG AA for text


def _luminance(colour: QColor) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(colour.red()) + 0.7152 * channel(colour.green()) + 0.0722 * channel(colour.blue())


def contrast(a: str, b: str = "#ffffff") -> float:
    """WCAG contrast ratio of two colours."""
    la, lb = sorted((_luminance(QColor(a)), _luminance(QColor(b))), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def text_colour(code: str) -> str:
    """The colour to write verdict ``code`` in on white: ``Verdict.text_colour`` when the library
    has it (SCHEMA.md), else the verdict colour darkened in the same hue until its contrast with
    white is at least 4.5 (review's #f1c40f is 1.7: unreadable as text)."""
    from chuannan_gis.verdicts import VERDICTS

    verdict = VERDICTS[code]
    given = getattr(verdict, "text_colour", None)
    if given:
        return given
    colour = QColor(verdict.colour)
    hue, saturation, lightness, _alpha = colour.getHslF()
    while contrast(colour.name()) < MIN_CONTRAST and lightness > 0:
        lightness = max(0.0, lightness - 0.01)
        colour = QColor.fromHslF(max(hue, 0.0), saturation, lightness)
    return colour.name()


def _dashed(layer, colour: QColor, width_mm: float) -> None:
    """A dashed outline in ``colour``: Qt's dash, since QGIS 3.22's simple fill and marker have no
    custom dash pattern (the web map uses WITHIN_ACCURACY_LOOK.dash_mm)."""
    layer.setStrokeColor(colour)
    layer.setStrokeWidth(width_mm)
    layer.setStrokeStyle(Qt.DashLine)


def verdict_symbol(geometry_type, code: str, within_accuracy: bool = False) -> QgsSymbol:
    """The symbol of one verdict: a filled marker on a white halo for points; for polygons a
    translucent fill with a strong outline (the footprint, at 1:50,000 and larger scales), plus
    the marker at the centre at smaller scales, so no site vanishes.

    ``within_accuracy``: the verdict rests only on findings within the data's accuracy: a dashed
    outline in the verdict's text colour, and a lighter fill for a footprint (a marker keeps the
    full colour, or at region scale it would not say the verdict)."""
    from chuannan_gis.verdicts import VERDICTS, WITHIN_ACCURACY_LOOK

    fill = QColor(VERDICTS[code].colour)
    edge = QColor(text_colour(code))
    light = QColor(fill.red(), fill.green(), fill.blue(), round(WITHIN_ACCURACY_LOOK.fill_opacity * 255))

    def marker() -> QgsMarkerSymbol:
        symbol = QgsMarkerSymbol.createSimple({"name": "circle", "color": "#ffffff",
                                               "size": str(MARKER_MM + HALO_MM), "outline_color": "#505050",
                                               "outline_width": "0.2"})
        dot = QgsSimpleMarkerSymbolLayer(QgsSimpleMarkerSymbolLayerBase.Circle, MARKER_MM)
        dot.setColor(fill)
        dot.setStrokeColor(edge)
        dot.setStrokeWidth(0.3)
        if within_accuracy:  # the full colour: at region scale the marker must say the verdict
            _dashed(dot, edge, 0.5)
        symbol.appendSymbolLayer(dot)
        return symbol

    if geometry_type == QgsWkbTypes.PointGeometry:
        return marker()
    symbol = QgsSymbol.defaultSymbol(geometry_type)
    symbol.setColor(fill)
    if geometry_type == QgsWkbTypes.PolygonGeometry:
        outline = symbol.symbolLayer(0)
        outline.setFillColor(QColor(fill.red(), fill.green(), fill.blue(), 150))
        outline.setStrokeColor(edge)
        outline.setStrokeWidth(0.6)
        if within_accuracy:
            outline.setFillColor(light)
            _dashed(outline, edge, WITHIN_ACCURACY_LOOK.outline_mm)
        centre = QgsCentroidFillSymbolLayer()
        centre.setSubSymbol(marker())
        centre.setPointOnSurface(True)
        centre.setDataDefinedProperty(QgsSymbolLayer.PropertyLayerEnabled,
                                      QgsProperty.fromExpression(f"@map_scale > {MARKER_SCALE}"))
        symbol.appendSymbolLayer(centre)
    return symbol


def verdict_label(code: str, certainty: str = "") -> str:
    """The legend text of a verdict: 禁止 prohibited in Chinese, prohibited in English; with
    ``within_accuracy``, 禁止（数据精度内） prohibited (within accuracy) / prohibited (within accuracy)."""
    from chuannan_gis.verdicts import verdict_text

    zh, en = (verdict_text(code, certainty, lang, short=True) for lang in ("zh", "en"))
    return f"{zh} {en}" if language() == "zh" else en


def verdict_renderer(geometry_type, with_certainty: bool = False) -> QgsCategorizedSymbolRenderer:
    """One category per verdict of ``chuannan_gis.verdicts``, worst first, in its colour; with
    ``with_certainty`` each verdict but clear (never within accuracy) is followed by its
    within-accuracy category (``CERTAINTY_CLASS``)."""
    from chuannan_gis.verdicts import VERDICTS

    categories = []
    for code, _v in sorted(VERDICTS.items(), key=lambda item: -item[1].rank):
        categories.append(QgsRendererCategory(code, verdict_symbol(geometry_type, code), verdict_label(code)))
        if with_certainty and code != "clear":
            categories.append(QgsRendererCategory(f"{code}:{WITHIN_ACCURACY}",
                                                  verdict_symbol(geometry_type, code, within_accuracy=True),
                                                  verdict_label(code, WITHIN_ACCURACY)))
    return QgsCategorizedSymbolRenderer(CERTAINTY_CLASS if with_certainty else VERDICT_FIELD, categories)


def verdict_conditional_styles(layer) -> None:
    """The attribute table colours the verdict columns: the verdict's fill behind readable text."""
    from chuannan_gis.verdicts import VERDICTS

    styles = []
    for code, verdict in VERDICTS.items():
        style = QgsConditionalStyle(f"\"{VERDICT_FIELD}\" = '{code}'")
        style.setName(verdict_label(code))
        background = QColor(verdict.colour)
        background.setAlpha(70)
        style.setBackgroundColor(background)
        style.setTextColor(QColor(text_colour(code)))
        font = QFont()
        font.setBold(True)
        style.setFont(font)
        styles.append(style)
    for field in (VERDICT_FIELD, "verdict_zh"):
        if layer.fields().indexOf(field) >= 0:
            layer.conditionalStyles().setFieldStyles(field, styles)


def rounded_numbers(layer) -> None:
    """Decimal fields shown with ``DECIMALS`` places in the table and the form (the values keep
    their precision in the GeoPackage)."""
    for index, field in enumerate(layer.fields()):
        if field.isNumeric() and field.typeName().lower() in ("real", "double", "float"):
            layer.setEditorWidgetSetup(index, QgsEditorWidgetSetup("Range", {
                "Precision": DECIMALS, "Min": -1e15, "Max": 1e15, "Step": 1, "Style": "SpinBox",
                "AllowNull": True}))


def multiline_forms(layer) -> None:
    """Reasons, messages and citations in multi-line boxes in the feature form."""
    for field in MULTILINE_FIELDS:
        index = layer.fields().indexOf(field)
        if index >= 0:
            layer.setEditorWidgetSetup(index, QgsEditorWidgetSetup("TextEdit", {"IsMultiline": True,
                                                                                "UseHtml": False}))


def label_expression() -> str:
    """A proposal's label: its name and verdict, 江安化工园区 · 禁止 (the interface language's word)."""
    from chuannan_gis.verdicts import VERDICTS

    lang = "zh" if language() == "zh" else "en"
    words = " ".join(f"WHEN \"{VERDICT_FIELD}\" = '{code}' THEN '{getattr(v, lang)}'" for code, v in VERDICTS.items())
    return f"coalesce(\"name\", '') || ' · ' || CASE {words} ELSE \"{VERDICT_FIELD}\" END"


GUARD_TEXT = "●"  # an invisible label the size of the marker: other labels keep off the marker
GUARD_CLEARANCE_MM = 0.75 * MARKER_MM  # a name's distance from the point: just beyond the guard's box


def _label_settings() -> QgsPalLayerSettings:
    """Name and verdict, bold with a white buffer, above other layers' labels (z-index)."""
    settings = QgsPalLayerSettings()
    settings.fieldName = label_expression()
    settings.isExpression = True
    settings.zIndex = 10
    settings.priority = 10
    obstacle = settings.obstacleSettings()
    obstacle.setIsObstacle(True)
    obstacle.setFactor(2.0)
    text = QgsTextFormat()
    text.setSize(9)
    font = QFont()
    font.setBold(True)
    text.setFont(font)
    buffer = QgsTextBufferSettings()
    buffer.setEnabled(True)
    buffer.setSize(1.0)
    buffer.setColor(QColor("#ffffff"))
    text.setBuffer(buffer)
    settings.setFormat(text)
    return settings


def _marker_guard() -> QgsPalLayerSettings:
    """A transparent label exactly over the marker, of the highest priority.  Labels never overlap
    one another, so the other layers' labels (a county's, a reserve's name) and the proposals' own
    names are placed off the marker: the verdict colour is never hidden under text.  (A polygon's
    obstacle is its footprint, a few pixels at region scale, not the 3 mm marker drawn at it.)"""
    settings = QgsPalLayerSettings()
    settings.fieldName = f"'{GUARD_TEXT}'"
    settings.isExpression = True
    settings.priority = 10
    settings.placement = QgsPalLayerSettings.OverPoint
    settings.centroidInside = True
    text = QgsTextFormat()
    text.setSizeUnit(QgsUnitTypes.RenderMillimeters)
    text.setSize(MARKER_MM)  # its box (the font's height, ~1.2 × size) about covers marker and halo
    text.setOpacity(0.0)  # placed and kept clear, drawn invisibly
    settings.setFormat(text)
    return settings


def name_labels(layer) -> None:
    """Each proposal labelled with its name and verdict around its marker, never on it (the
    marker guard keeps every label off it).  Polygons: at small scales (a marker) the label goes
    anywhere around the site, so that crowded sites keep apart; at site scales it sits above the
    site's centre, so that a constraint layer's label around the same centre (a county's name)
    lands on another line, not run on."""
    settings = _label_settings()
    settings.dist = GUARD_CLEARANCE_MM  # clear of the marker, its halo and its guard
    polygon = layer.geometryType() == QgsWkbTypes.PolygonGeometry
    settings.placement = QgsPalLayerSettings.AroundPoint if polygon else QgsPalLayerSettings.OrderedPositionsAroundPoint
    settings.centroidInside = True
    root = QgsRuleBasedLabeling.Rule(None)
    if polygon:
        root.appendChild(QgsRuleBasedLabeling.Rule(settings, MARKER_SCALE, 0, "", "small scales"))
        root.appendChild(QgsRuleBasedLabeling.Rule(_marker_guard(), MARKER_SCALE, 0, "", "marker guard"))
        large = QgsPalLayerSettings(settings)
        large.placement = QgsPalLayerSettings.OverPoint
        large.quadOffset = QgsPalLayerSettings.QuadrantAbove
        large.dist = 1.5
        root.appendChild(QgsRuleBasedLabeling.Rule(large, 0, MARKER_SCALE, "", "site scales"))
    else:
        root.appendChild(QgsRuleBasedLabeling.Rule(settings, 0, 0, "", "name and verdict"))
        root.appendChild(QgsRuleBasedLabeling.Rule(_marker_guard(), 0, 0, "", "marker guard"))
    layer.setLabeling(QgsRuleBasedLabeling(root))
    layer.setLabelsEnabled(True)


MAP_TIP_WIDTH = "max-width:28em;white-space:normal"  # the default tip is ~90 px wide and runs off screen


def style_result(layer) -> bool:
    """Verdict colours and markers, labels, aliases, map tips, a coloured table and multi-line reasons
    on a Result ``proposals`` layer."""
    ok = apply_qml(layer, RESULT_STYLE)
    with_certainty = CERTAINTY_FIELD in layer.fields().names()  # a Result written before certainty has none
    layer.setRenderer(verdict_renderer(layer.geometryType(), with_certainty))
    tip = layer.mapTipTemplate()
    if with_certainty:
        layer.setFieldAlias(layer.fields().indexOf(CERTAINTY_FIELD), "确定性 certainty")
        tip += f'<br/>确定性 certainty: [% {certainty_expression()} %]'
    if tip and not tip.startswith("<div"):
        layer.setMapTipTemplate(f'<div style="{MAP_TIP_WIDTH}">{tip}</div>')
    name_labels(layer)
    verdict_conditional_styles(layer)
    multiline_forms(layer)
    rounded_numbers(layer)
    layer.triggerRepaint()
    return ok


def certainty_expression() -> str:
    """An expression giving a feature's certainty in words (数据精度内 within accuracy …), from
    ``chuannan_gis.verdicts.CERTAINTY``; empty where the verdict has none."""
    from chuannan_gis.verdicts import CERTAINTY

    cases = " ".join(f"WHEN \"{CERTAINTY_FIELD}\" = '{c.code}' THEN '{c.name_zh} {c.name_en}'"
                     for c in CERTAINTY.values() if c.code)
    return f"CASE {cases} ELSE '' END"


def style_table(layer) -> None:
    """A Result's ``findings`` or ``not_checked`` table: coloured verdicts, multi-line messages."""
    verdict_conditional_styles(layer)
    multiline_forms(layer)
    rounded_numbers(layer)


def screening_style() -> Path:
    """The QML of a screening raster as chuannan_gis ships it (band 1 paletted in the verdict
    colours; generated from ``chuannan_gis/verdicts.py``)."""
    from importlib import resources

    return Path(str(resources.files("chuannan_gis").joinpath("styles", "screening.qml")))


def style_screening(layer) -> bool:
    """Verdict colours on a screening raster (``chuannan_gis.screen``)."""
    ok = apply_qml(layer, screening_style())
    layer.triggerRepaint()
    return ok


CONSTRAINT_LABEL_PRIORITY = 2  # of 10: a county's or reserve's name gives way to a proposal's


def yield_labels(layer) -> None:
    """A constraint layer's labels give way to the proposals' names and marker guards."""
    labeling = layer.labeling()
    if labeling is None or not layer.labelsEnabled() or not hasattr(labeling, "settings"):
        return
    settings = QgsPalLayerSettings(labeling.settings())
    settings.priority = CONSTRAINT_LABEL_PRIORITY
    labeling.setSettings(settings)


def constraint_style(name: str) -> Path | None:
    """The QML file of constraint layer ``name``, if the plugin has one."""
    qml = STYLES_DIR / f"{name}.qml"
    return qml if qml.exists() else None


def apply_qml(layer, qml: Path) -> bool:
    """Apply a QML style file to ``layer``; True when it applied."""
    _message, ok = layer.loadNamedStyle(str(qml))
    return ok
