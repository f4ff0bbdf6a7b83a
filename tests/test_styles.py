"""One style table (chuannan_gis/layers/styles.yaml) for QGIS, the web map and the report; one
formatter for vocabulary labels and accuracy; verdict text colours readable on white."""

from __future__ import annotations

import colorsys
from pathlib import Path

import pytest
import yaml

from chuannan_gis.errors import LayerError
from chuannan_gis.labels import accuracy_text, stated_accuracy, term_label
from chuannan_gis.layers.qml import render_qml
from chuannan_gis.layers.schema import LAYERS
from chuannan_gis.layers.styles import parse, style_table
from chuannan_gis.report.svg import layer_colour
from chuannan_gis.verdicts import VERDICTS
from chuannan_gis.webmap import content

PLUGIN_STYLES = Path(__file__).parents[1] / "qgis_plugin" / "chuannan_qgis" / "styles"
TABLE = Path(__file__).parents[1] / "chuannan_gis" / "layers" / "styles.yaml"


@pytest.mark.parametrize("name", list(LAYERS))
def test_committed_qml_is_the_generated_one(name):
    committed = (PLUGIN_STYLES / f"{name}.qml").read_text(encoding="utf-8")
    assert committed == render_qml(name), (
        f"{name}.qml differs from the style table: run python -m chuannan_gis.layers.qml {PLUGIN_STYLES}"
    )


def test_every_committed_constraint_style_comes_from_the_table():
    generated = {f"{name}.qml" for name in style_table().layers}
    on_disk = {p.name for p in PLUGIN_STYLES.glob("*.qml")} - {"result.qml"}  # result.qml: the Result's fields
    assert on_disk == generated


def test_every_vocabulary_value_of_a_categorised_layer_has_a_style():
    for name, style in style_table().layers.items():
        if style.by:
            assert [c.value for c in style.categories] == list(LAYERS[name].vocab[style.by])


def test_a_bad_table_is_a_layer_error_naming_the_layer_and_field():
    raw = yaml.safe_load(TABLE.read_text(encoding="utf-8"))
    raw["layers"]["shoreline_zones"]["categories"].pop("reserved")
    with pytest.raises(LayerError, match="shoreline_zones") as raised:
        parse(raw)
    assert "reserved" in str(raised.value) and raised.value.field == "zone"
    raw = yaml.safe_load(TABLE.read_text(encoding="utf-8"))
    raw["layers"]["ports"]["stroke"] = "purple"
    with pytest.raises(LayerError, match=r"ports.*colour"):
        parse(raw)


def hue(colour: str) -> float:
    r, g, b = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return colorsys.rgb_to_hls(r, g, b)[0] * 360


def is_red(colour: str) -> bool:
    return min(hue(colour), 360 - hue(colour)) < 15


def test_red_lines_are_red_in_qgis_the_web_map_and_the_report():
    style = style_table().layers["eco_redlines"]
    assert is_red(style.symbol.stroke) and is_red(style.symbol.fill)
    assert 'value="215,25,28,255"' in render_qml("eco_redlines")  # #d7191c, the stroke
    view = next(v for v in content.views() if v.layer == "eco_redlines")
    assert is_red(view.style.colour) and is_red(view.style.fill)
    assert is_red(layer_colour("eco_redlines"))


@pytest.mark.parametrize("name", [n for n, s in style_table().layers.items() if s.webmap])
def test_web_map_and_report_use_the_tables_colours(name):
    style = style_table().layers[name]
    view = next(v for v in content.views() if v.layer == name)
    assert (view.style.colour, view.style.fill, view.style.fill_opacity) == (
        style.symbol.stroke,
        style.symbol.fill,
        style.symbol.opacity,
    )
    for category in style.categories:
        drawn, zh, en = view.categories[category.value]
        assert (drawn.colour, drawn.fill, zh, en) == (
            category.symbol.stroke,
            category.symbol.fill,
            category.zh,
            category.en,
        )
        assert f'label="{category.zh} {category.en}"' in render_qml(name)
    assert layer_colour(name) == style.colour


def test_the_table_keeps_the_colours_the_plugin_tests_check():
    assert style_table().layers["water"].symbol.fill == "#a6cee3"


def relative_luminance(colour: str) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(int(colour[i : i + 2], 16) / 255) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_on_white(colour: str) -> float:
    return 1.05 / (relative_luminance(colour) + 0.05)


@pytest.mark.parametrize("code", list(VERDICTS))
def test_verdict_text_colour_reads_on_white_and_keeps_the_hue(code):
    verdict = VERDICTS[code]
    assert contrast_on_white(verdict.text_colour) >= 4.5
    if verdict.colour != verdict.text_colour:  # darkened only where the fill does not read
        assert contrast_on_white(verdict.colour) < 4.5
        assert abs(hue(verdict.colour) - hue(verdict.text_colour)) < 3
    assert contrast_on_white(VERDICTS["review"].colour) < 4.5  # why this exists: #f1c40f on white


def test_one_label_for_a_vocabulary_code_in_every_language_order():
    assert term_label("kind", "industrial_park") == "产业园区 industrial park"
    assert term_label("kind", "industrial_park", "zh") == "产业园区"
    assert term_label("kind", "industrial_park", "en zh") == "industrial park 产业园区"
    assert term_label("kind", None) == "" and term_label("kind", float("nan")) == ""
    assert term_label("kind", "shipyard?") == "shipyard?"


@pytest.mark.parametrize("value", [None, float("nan"), 0, 0.0, "", "n/a"])
def test_missing_nan_and_zero_accuracy_all_read_not_stated(value):
    assert stated_accuracy(value) is None
    assert accuracy_text(value, "zh") == "精度未注明"
    assert accuracy_text(value, "en") == "accuracy not stated"


def test_stated_accuracy_reads_the_same_in_report_and_messages():
    from chuannan_gis.engine.messages import accuracy_text as message_accuracy
    from chuannan_gis.report import accuracy_label

    assert message_accuracy is accuracy_text
    assert accuracy_label(486.0) == accuracy_text(486.0, "en") == "±486 m"
    assert accuracy_text(1401.5, "zh") == "±1402米"
