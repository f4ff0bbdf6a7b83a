"""Certainty on the QGIS Result layer (issue 13): a verdict within the data's accuracy has its own
legend entry (禁止（数据精度内） prohibited (within accuracy)) and symbol — the verdict's colour,
lighter, dashed (chuannan_gis.verdicts.WITHIN_ACCURACY_LOOK, as on the web map) — and the map tip and
the click panel say so in words."""
from __future__ import annotations

import geopandas as gpd
import shapely
from qgis.core import (
    QgsCategorizedSymbolRenderer,
    QgsExpression,
    QgsExpressionContext,
    QgsExpressionContextUtils,
    QgsRenderContext,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import Qt

from tests import data

# In the test red line (105.6–105.7 E, ±50 m): 2 km deep (certain), 20 m deep (within accuracy), and clear.
SITES = {"certain": shapely.box(105.62, 29.12, 105.66, 29.16),
         "within": shapely.box(105.6998, 29.14, 105.71, 29.15),
         "clear": shapely.box(105.2, 29.24, 105.21, 29.25)}


def checked():
    import chuannan_gis
    from chuannan_gis.layers import ConstraintSet

    frame = gpd.GeoDataFrame({"name": list(SITES), "kind": "industrial_park", "industry": "chemical",
                              "status": "new"}, geometry=list(SITES.values()), crs=4490)
    return chuannan_gis.check(frame, constraints=ConstraintSet.from_frames(data.constraint_frames()))


def test_within_accuracy_verdicts_have_their_own_legend_entry_and_symbol(qgis_app, tmp_path):
    from chuannan_qgis.core import write_result
    from chuannan_qgis.style import CERTAINTY_CLASS, verdict_label

    from chuannan_gis.verdicts import VERDICTS, WITHIN_ACCURACY_LOOK

    result = checked()
    assert result.proposals["certainty"].tolist() == ["certain", "within_accuracy", ""]
    layer = QgsVectorLayer(write_result(result, str(tmp_path / "r.gpkg"))[0], "result", "ogr")  # the stored style
    renderer = layer.renderer()
    assert isinstance(renderer, QgsCategorizedSymbolRenderer) and renderer.classAttribute() == CERTAINTY_CLASS
    labels = {c.value(): c.label() for c in renderer.categories()}
    assert labels["prohibited:within_accuracy"] == verdict_label("prohibited", "within_accuracy")
    zh_and_en, en = "禁止（数据精度内） prohibited (within accuracy)", "prohibited (within accuracy)"
    assert labels["prohibited:within_accuracy"] in (zh_and_en, en)
    assert "clear:within_accuracy" not in labels and len(set(labels.values())) == len(labels)

    context = QgsRenderContext()
    context.expressionContext().appendScopes(QgsExpressionContextUtils.globalProjectLayerScopes(layer))
    renderer.startRender(context, layer.fields())
    try:
        symbols = {}
        for feature in layer.getFeatures():
            context.expressionContext().setFeature(feature)  # as QGIS does when it draws a feature
            symbols[feature["name"]] = renderer.symbolForFeature(feature, context).clone()
    finally:
        renderer.stopRender(context)
    firm, shaky = symbols["certain"].symbolLayer(0), symbols["within"].symbolLayer(0)
    colour = VERDICTS["prohibited"].colour
    assert firm.fillColor().name() == shaky.fillColor().name() == colour  # the verdict stays what the data say
    assert shaky.fillColor().alpha() == round(WITHIN_ACCURACY_LOOK.fill_opacity * 255) < firm.fillColor().alpha()
    assert shaky.strokeStyle() == Qt.DashLine and firm.strokeStyle() == Qt.SolidLine
    assert shaky.strokeWidth() == WITHIN_ACCURACY_LOOK.outline_mm
    centre = symbols["within"].symbolLayer(1).subSymbol().symbolLayer(1)  # the small-scale marker (on its halo)
    # dashed, in the full verdict colour: at region scale the marker must still say the verdict
    assert centre.strokeStyle() == Qt.DashLine and centre.fillColor().name() == colour


def test_map_tip_and_click_panel_say_the_certainty_in_words(qgis_app, tmp_path):
    from chuannan_qgis.clickcheck import result_html
    from chuannan_qgis.core import write_result

    result = checked()
    layer = QgsVectorLayer(write_result(result, str(tmp_path / "r.gpkg"))[0], "result", "ogr")
    tip = layer.mapTipTemplate()
    assert "确定性 certainty" in tip
    expression = QgsExpression(tip.split("确定性 certainty: [%")[1].split("%]")[0])
    words = {}
    for feature in layer.getFeatures():
        context = QgsExpressionContext(QgsExpressionContextUtils.globalProjectLayerScopes(layer))
        context.setFeature(feature)
        words[feature["name"]] = expression.evaluate(context)
    assert not expression.hasEvalError(), expression.evalErrorString()
    assert words == {"certain": "确定 certain", "within": "数据精度内 within accuracy", "clear": ""}

    within = type(result)(result.proposals.iloc[[1]], result.findings[result.findings["proposal_id"] == 1],
                          result.not_checked, result.run_info)
    shown = result_html(within)
    assert "禁止（数据精度内，须核实）" in shown and "prohibited (within the data&#x27;s accuracy: confirm)" in shown
    assert "数据精度内 within accuracy" in shown or "within accuracy 数据精度内" in shown
