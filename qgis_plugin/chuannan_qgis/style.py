"""Styles: verdict colours for Result layers and screening rasters, QML files for constraint layers.

The verdict colours and labels come from ``chuannan_gis.verdicts`` at run time, so the map, the
report and the web map cannot disagree; ``styles/result.qml`` adds the aliases and map tips.
"""
from __future__ import annotations

from pathlib import Path

from qgis.core import QgsCategorizedSymbolRenderer, QgsRendererCategory, QgsSymbol
from qgis.PyQt.QtGui import QColor

from .i18n import language

STYLES_DIR = Path(__file__).parent / "styles"
RESULT_STYLE = STYLES_DIR / "result.qml"
VERDICT_FIELD = "verdict"


def verdict_renderer(geometry_type) -> QgsCategorizedSymbolRenderer:
    """One category per verdict of ``chuannan_gis.verdicts``, worst first, in its colour."""
    from chuannan_gis.verdicts import VERDICTS

    categories = []
    for code, verdict in sorted(VERDICTS.items(), key=lambda item: -item[1].rank):
        symbol = QgsSymbol.defaultSymbol(geometry_type)
        symbol.setColor(QColor(verdict.colour))
        label = verdict.zh if language() == "zh" else verdict.en
        categories.append(QgsRendererCategory(code, symbol, f"{label} ({code})"))
    return QgsCategorizedSymbolRenderer(VERDICT_FIELD, categories)


def style_result(layer) -> bool:
    """Verdict colours, aliases and map tips on a Result ``proposals`` layer."""
    ok = apply_qml(layer, RESULT_STYLE)
    layer.setRenderer(verdict_renderer(layer.geometryType()))
    layer.triggerRepaint()
    return ok


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


def constraint_style(name: str) -> Path | None:
    """The QML file of constraint layer ``name``, if the plugin has one."""
    qml = STYLES_DIR / f"{name}.qml"
    return qml if qml.exists() else None


def apply_qml(layer, qml: Path) -> bool:
    """Apply a QML style file to ``layer``; True when it applied."""
    _message, ok = layer.loadNamedStyle(str(qml))
    return ok
