"""The folium elements of the web map: each declares what it renders through a Jinja template.

Data reach the page only as JSON made safe for a ``<script>`` block (:func:`script_json`); the
runtime (``static/webmap.js``) turns them into DOM text.  Package assets are inlined verbatim.
"""

from __future__ import annotations

import json

from branca.element import Element
from folium.elements import MacroElement
from folium.map import Layer
from folium.template import Template

from .assets import AssetError

# Escaped so that no string from data can close the script element or start markup; non-ASCII
# stays UTF-8, half the size of \u escapes for Chinese text.
_SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def script_json(value) -> str:
    """Compact JSON that is safe inside a ``<script>`` element.

    >>> script_json({"name": "</script><b>"})
    '{"name":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e"}'
    """
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False).translate(_SCRIPT_SAFE)


class Inline(Element):
    """A package's JS or CSS file, written into the page's head."""

    _template = Template("<{{ this.tag }}>\n{{ this.text }}\n</{{ this.tag }}>")

    def __init__(self, kind: str, text: str, origin: str):
        super().__init__()
        self.tag = {"js": "script", "css": "style"}[kind]
        if f"</{self.tag}" in text.lower():
            raise AssetError(f"无法内嵌 {origin} cannot be inlined: it contains </{self.tag}")
        self.text = text


class Runtime(MacroElement):
    """Starts the runtime on the map: basemap tiles (or the plain background)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        chuannanWebmap.init({{ this._parent.get_name() }}, {{ this.spec }});
        {% endmacro %}
    """)

    def __init__(self, spec: dict):
        super().__init__()
        self._name = "ChuannanRuntime"
        self.spec = script_json(spec)


class DataLayer(Layer):
    """An overlay drawn by the runtime from GeoJSON: listed in the layer control like folium's own."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = chuannanWebmap.dataLayer({{ this.spec }});
        {% endmacro %}
    """)

    def __init__(self, spec: dict, name: str):
        super().__init__(name=name, overlay=True, control=True, show=True)
        self._name = "ChuannanLayer"
        self.spec = script_json(spec)


class Legend(MacroElement):
    """The legend control: verdict colours, layers (indicative ones marked), notes and the notice."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        chuannanWebmap.legend({{ this._parent.get_name() }}, {{ this.spec }});
        {% endmacro %}
    """)

    def __init__(self, spec: dict):
        super().__init__()
        self._name = "ChuannanLegend"
        self.spec = script_json(spec)


class ImageLayer(Layer):
    """An image overlay drawn by the runtime (the screening surface): listed in the layer control."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = chuannanWebmap.imageLayer({{ this.spec }});
        {% endmacro %}
    """)

    def __init__(self, spec: dict, name: str):
        super().__init__(name=name, overlay=True, control=True, show=True)
        self._name = "ChuannanImage"
        self.spec = script_json(spec)
