"""QGIS styles (QML text) of the constraint layers, written from the style table (``styles.yaml``).

Plain XML strings: nothing here imports QGIS.  The plugin ships the output as
``qgis_plugin/chuannan_qgis/styles/<layer>.qml``; ``tests/test_styles.py`` keeps the committed
files equal to :func:`render_qml`.  Regenerate them after editing the table::

    python -m chuannan_gis.layers.qml qgis_plugin/chuannan_qgis/styles

Only what the table sets is written; QGIS fills every other property with its default on loading.
"""

from __future__ import annotations

import sys
from html import escape
from pathlib import Path

from ..labels import ACCURACY_NOT_STATED, bilingual
from .schema import LAYERS
from .styles import Category, LayerStyle, Symbol, indicative, style_table

QGIS_VERSION = "3.22.16-Białowieża"
# QGIS's names for the table's stroke and fill styles.
_PEN = {"solid": "solid", "dash": "dash", "dot": "dot", "none": "no"}
_BRUSH = {"solid": "solid", "hatch": "b_diagonal"}
LABEL_SIZE_PT = 9


def _attr(value) -> str:
    return escape(str(value), quote=True)


def qgis_colour(colour: str | None, opacity: float = 1.0) -> str:
    """'#d7191c', 0.24 → '215,25,28,61' (QGIS's r,g,b,a); no colour → fully transparent.

    >>> qgis_colour("#d7191c", 0.24), qgis_colour(None)
    ('215,25,28,61', '0,0,0,0')
    """
    if colour is None:
        return "0,0,0,0"
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"{r},{g},{b},{round(opacity * 255)}"


def _options(values: dict, indent: str) -> str:
    rows = "\n".join(
        f'{indent}  <Option name="{_attr(k)}" type="QString" value="{_attr(v)}"/>' for k, v in values.items()
    )
    return f'{indent}<Option type="Map">\n{rows}\n{indent}</Option>'


def _symbol(name: str, symbol: Symbol, line: bool) -> str:
    if line:
        kind, cls = "line", "SimpleLine"
        values = {
            "line_color": qgis_colour(symbol.stroke),
            "line_width": f"{symbol.width:g}",
            "line_width_unit": "MM",
            "line_style": _PEN[symbol.stroke_style],
            "capstyle": "round",
            "joinstyle": "round",
        }
    else:
        kind, cls = "fill", "SimpleFill"
        values = {
            "color": qgis_colour(symbol.fill, symbol.opacity),
            "style": "no" if symbol.fill is None else _BRUSH[symbol.fill_style],
            "outline_color": qgis_colour(symbol.stroke),
            "outline_width": f"{symbol.width:g}",
            "outline_width_unit": "MM",
            "outline_style": _PEN[symbol.stroke_style],
            "joinstyle": "bevel",
        }
    return (
        f'      <symbol name="{name}" type="{kind}" alpha="1" clip_to_extent="1" force_rhr="0">\n'
        f'        <layer class="{cls}" enabled="1" locked="0" pass="0">\n'
        f"{_options(values, '          ')}\n"
        f"        </layer>\n"
        f"      </symbol>"
    )


def _renderer(style: LayerStyle, line: bool) -> str:
    head = 'symbollevels="0" forceraster="0" enableorderby="0" referencescale="-1"'
    if not style.categories:
        return (
            f'  <renderer-v2 type="singleSymbol" {head}>\n    <symbols>\n'
            f"{_symbol('0', style.symbol, line)}\n    </symbols>\n  </renderer-v2>"
        )
    categories = "\n".join(_category(i, c) for i, c in enumerate(style.categories))
    symbols = "\n".join(_symbol(str(i), c.symbol, line) for i, c in enumerate(style.categories))
    return (
        f'  <renderer-v2 type="categorizedSymbol" attr="{_attr(style.by)}" {head}>\n'
        f"    <categories>\n{categories}\n    </categories>\n"
        f"    <symbols>\n{symbols}\n    </symbols>\n  </renderer-v2>"
    )


def _category(index: int, category: Category) -> str:
    label = bilingual(category.zh, category.en)
    return f'      <category symbol="{index}" value="{_attr(category.value)}" label="{_attr(label)}" render="true"/>'


def _labeling(field_name: str) -> str:
    # Haloed black text (a white buffer), so that a label reads on any fill.
    return f"""  <labeling type="simple">
    <settings calloutType="simple">
      <text-style fieldName="{_attr(field_name)}" isExpression="0" fontSize="{LABEL_SIZE_PT}" fontSizeUnit="Point" textColor="0,0,0,255" textOpacity="1">
        <text-buffer bufferDraw="1" bufferSize="0.8" bufferSizeUnits="MM" bufferColor="255,255,255,255" bufferOpacity="1" bufferNoFill="1"/>
      </text-style>
      <placement placement="0" placementFlags="10" polygonPlacementFlags="2" priority="5" dist="0"/>
      <rendering drawLabels="1" obstacle="1" obstacleType="1" scaleVisibility="0" displayAll="0" upsidedownLabels="0"/>
    </settings>
  </labeling>"""


def _map_tip(style: LayerStyle) -> str:
    """The map tip: the label field (else the layer's first), source and accuracy in the words of
    :func:`chuannan_gis.labels.accuracy_text`, and the indicative note on indicative features."""
    fields = LAYERS[style.layer].fields
    shown = style.label or (fields[0] if fields else None)
    head = f'<b>[% "{shown}" %]</b><br/>' if shown else ""
    not_stated = bilingual(ACCURACY_NOT_STATED["zh"], ACCURACY_NOT_STATED["en"])
    note = bilingual(*indicative().note)
    text = (
        f'{head}[% "source" %] · '
        f"[% CASE WHEN \"accuracy_m\" > 0 THEN '±' || round(\"accuracy_m\") || ' m' ELSE '{not_stated}' END %]"
        f"[% CASE WHEN \"data_status\" = 'indicative' THEN '<br/><i>{note}</i>' ELSE '' END %]"
    )
    return f"  <mapTip>{escape(text, quote=False)}</mapTip>"


def render_qml(name: str) -> str:
    """The QML text of constraint layer ``name``."""
    style = style_table().layers[name]
    line = LAYERS[name].geometry.endswith("LineString")
    labels = style.label is not None
    parts = [
        "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>",
        "<!-- Generated by chuannan_gis.layers.qml from chuannan_gis/layers/styles.yaml: edit the table there. -->",
        f'<qgis version="{QGIS_VERSION}" styleCategories="Symbology|Labeling|MapTips" labelsEnabled="{int(labels)}">',
        _renderer(style, line),
        *([_labeling(style.label)] if labels else []),
        _map_tip(style),
        f"  <layerGeometryType>{1 if line else 2}</layerGeometryType>",
        "</qgis>",
    ]
    return "\n".join(parts) + "\n"


def write_qml(folder) -> list[Path]:
    """Write ``<layer>.qml`` for every layer of the table into ``folder``; the paths written."""
    folder = Path(folder)
    written = []
    for name in style_table().layers:
        path = folder / f"{name}.qml"
        path.write_text(render_qml(name), encoding="utf-8")
        written.append(path)
    return written


def main(argv=None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print(
            "usage: python -m chuannan_gis.layers.qml FOLDER   (the plugin's: qgis_plugin/chuannan_qgis/styles)",
            file=sys.stderr,
        )
        return 2
    for path in write_qml(args[0]):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
