"""The constraint layers' QML styles, generated from chuannan_gis/layers/styles.yaml, as QGIS reads them."""
from __future__ import annotations

import geopandas as gpd
import pytest
from qgis.core import QgsCategorizedSymbolRenderer, QgsSingleSymbolRenderer, QgsVectorLayer
from qgis.PyQt.QtGui import QColor
from shapely.geometry import LineString, Polygon

from chuannan_qgis.style import STYLES_DIR, apply_qml, constraint_style

from chuannan_gis.layers.schema import LAYERS
from chuannan_gis.layers.styles import style_table

SQUARE = Polygon([(105.0, 29.0), (105.01, 29.0), (105.01, 29.01), (105.0, 29.01)])
LINE = LineString([(105.0, 29.0), (105.01, 29.01)])


def layer_file(tmp_path, name: str) -> str:
    """A one-feature GeoPackage layer with the schema's fields, so the style's fields exist."""
    spec = LAYERS[name]
    values = {f: ["x"] for f in spec.fields} | {"data_status": ["indicative"], "accuracy_m": [486.0], "source": ["t"]}
    geometry = LINE if spec.geometry.endswith("LineString") else SQUARE
    path = tmp_path / f"{name}.gpkg"
    gpd.GeoDataFrame(values, geometry=[geometry], crs=4490).to_file(path, layer=name, driver="GPKG")
    return str(path)


def rgba(colour: str | None, opacity: float = 1.0) -> tuple:
    if colour is None:
        return (0, 0, 0, 0)
    c = QColor(colour)
    return (c.red(), c.green(), c.blue(), round(opacity * 255))


def colours_of(symbol, line: bool) -> tuple:
    layer = symbol.symbolLayer(0)
    if line:
        return (layer.color().getRgb(),)
    return (layer.fillColor().getRgb(), layer.strokeColor().getRgb())


@pytest.mark.parametrize("name", list(LAYERS))
def test_each_generated_style_loads_with_the_tables_colours_and_labels(qgis_app, tmp_path, name):
    style = style_table().layers[name]
    qml = constraint_style(name)
    assert qml is not None and qml.parent == STYLES_DIR
    layer = QgsVectorLayer(layer_file(tmp_path, name), name, "ogr")
    assert layer.isValid()
    message, ok = layer.loadNamedStyle(str(qml))
    assert ok, message
    assert apply_qml(layer, qml)
    line = LAYERS[name].geometry.endswith("LineString")
    renderer = layer.renderer()
    if style.categories:
        assert isinstance(renderer, QgsCategorizedSymbolRenderer) and renderer.classAttribute() == style.by
        got = {c.value(): (c.label(), colours_of(c.symbol(), line)) for c in renderer.categories()}
        symbols = {c.value: c.symbol for c in style.categories}
        assert set(got) == set(symbols)
        for category in style.categories:
            label, colours = got[category.value]
            assert label == f"{category.zh} {category.en}"
            assert colours == _expected(category.symbol, line)
    else:
        assert isinstance(renderer, QgsSingleSymbolRenderer)
        assert colours_of(renderer.symbol(), line) == _expected(style.symbol, line)
    assert layer.labelsEnabled() == (style.label is not None)
    if style.label:
        assert layer.labeling().settings().fieldName == style.label
    assert "示意" in layer.mapTipTemplate() and "accuracy_m" in layer.mapTipTemplate()


def _expected(symbol, line: bool) -> tuple:
    if line:
        return (rgba(symbol.stroke),)
    return (rgba(symbol.fill, symbol.opacity), rgba(symbol.stroke))
