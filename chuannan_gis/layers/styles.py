"""The style table of the constraint layers (``styles.yaml`` beside this module), read and checked.

One table for the three faces: :mod:`chuannan_gis.layers.qml` writes the QGIS styles from it,
the web map draws its layer views from it and the report colours its small maps from it, so a
layer looks the same everywhere.  The table is data; this module only validates it against the
layer schema (every layer, every vocabulary value of a categorised field) and answers lookups.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources

import yaml

from ..errors import LayerError
from .schema import LAYERS

STROKE_STYLES = ("solid", "dash", "dot", "none")
FILL_STYLES = ("solid", "hatch")
_COLOUR = re.compile(r"^#[0-9a-f]{6}$")
_SYMBOL_KEYS = ("stroke", "width", "stroke_style", "fill", "opacity", "fill_style")
_LAYER_KEYS = (*_SYMBOL_KEYS, "label", "popup", "webmap", "by", "categories")
STYLE_FILE = "styles.yaml"


@dataclass(frozen=True)
class Symbol:
    """How one feature is drawn.  ``fill=None`` draws the outline (or the line) only."""

    stroke: str = "#616161"
    width: float = 0.4  # mm
    stroke_style: str = "solid"
    fill: str | None = None
    opacity: float = 0.3  # of the fill
    fill_style: str = "solid"


@dataclass(frozen=True)
class Category:
    """A value of a categorised layer's field: its legend label and its symbol."""

    value: str
    zh: str
    en: str
    symbol: Symbol


@dataclass(frozen=True)
class LayerStyle:
    layer: str
    symbol: Symbol  # the layer's own; each category starts from it
    label: str | None = None
    popup: tuple[str, ...] = ()
    webmap: bool = True
    by: str | None = None
    categories: tuple[Category, ...] = field(default_factory=tuple)

    @property
    def colour(self) -> str:
        """The layer's key colour (a swatch, the report's maps): its stroke, or, where every
        category sets its own, the first category's."""
        if self.categories and all(c.symbol.stroke != self.symbol.stroke for c in self.categories):
            return self.categories[0].symbol.stroke
        return self.symbol.stroke

    def category(self, value) -> Category | None:
        return next((c for c in self.categories if c.value == value), None)


@dataclass(frozen=True)
class Indicative:
    """How indicative (示意) data are marked: a tag after the layer title, a note per feature."""

    tag: tuple[str, str]  # (zh, en)
    note: tuple[str, str]


@dataclass(frozen=True)
class StyleTable:
    layers: dict[str, LayerStyle]
    indicative: Indicative


def _error(message: str, layer=None, field_name=None) -> LayerError:
    return LayerError(f"样式表 style table: {message}", file=STYLE_FILE, layer=layer, field=field_name)


def _symbol(raw: dict, base: Symbol, layer: str) -> Symbol:
    values = {k: raw[k] for k in _SYMBOL_KEYS if k in raw}
    symbol = replace(base, **values)
    for name in ("stroke", "fill"):
        value = getattr(symbol, name)
        if not (value is None and name == "fill") and not (isinstance(value, str) and _COLOUR.match(value)):
            raise _error(f"{name} must be a colour like #1f78b4, got {value!r}", layer, name)
    if symbol.stroke_style not in STROKE_STYLES:
        raise _error(f"stroke_style {symbol.stroke_style!r} not in {STROKE_STYLES}", layer, "stroke_style")
    if symbol.fill_style not in FILL_STYLES:
        raise _error(f"fill_style {symbol.fill_style!r} not in {FILL_STYLES}", layer, "fill_style")
    if not (0 <= float(symbol.opacity) <= 1) or float(symbol.width) < 0:
        raise _error(f"opacity must lie in 0–1 and width be ≥ 0, got {symbol.opacity}, {symbol.width}", layer)
    return replace(symbol, width=float(symbol.width), opacity=float(symbol.opacity))


def _layer(name: str, raw: dict) -> LayerStyle:
    if name not in LAYERS:
        raise _error(f"no layer {name!r} in the schema; layers: {', '.join(LAYERS)}", name)
    unknown = set(raw) - set(_LAYER_KEYS)
    if unknown:
        raise _error(f"unknown keys {sorted(unknown)}; allowed: {', '.join(_LAYER_KEYS)}", name)
    spec = LAYERS[name]
    symbol = _symbol(raw, Symbol(), name)
    popup = tuple(raw.get("popup") or spec.fields)
    label = raw.get("label")
    for field_name in (*popup, *([label] if label else [])):
        if field_name not in spec.fields:
            raise _error(f"field {field_name!r} is not in the layer's schema fields {spec.fields}", name, field_name)
    by, categories = raw.get("by"), ()
    if by is not None:
        vocabulary = spec.vocab.get(by)
        if vocabulary is None:
            raise _error(f"`by: {by}` is not a vocabulary field of the layer", name, by)
        given = raw.get("categories") or {}
        if set(given) != set(vocabulary):
            raise _error(f"categories {sorted(given)} must be the vocabulary of {by}: {sorted(vocabulary)}", name, by)
        categories = tuple(
            Category(value, given[value]["zh"], given[value]["en"], _symbol(given[value], symbol, name))
            for value in vocabulary
        )
    return LayerStyle(name, symbol, label, popup, bool(raw.get("webmap", True)), by, categories)


def parse(raw: dict) -> StyleTable:
    """The table from its parsed YAML; a :class:`~chuannan_gis.errors.LayerError` names what is wrong."""
    layers = raw.get("layers") or {}
    missing = {spec.style for spec in LAYERS.values()} - set(layers)
    if missing:
        raise _error(f"no style for layers {sorted(missing)}")
    marks = raw["indicative"]
    return StyleTable(
        {name: _layer(name, spec or {}) for name, spec in layers.items()},
        Indicative((marks["tag"]["zh"], marks["tag"]["en"]), (marks["note"]["zh"], marks["note"]["en"])),
    )


@lru_cache(maxsize=1)
def style_table() -> StyleTable:
    """The package's style table (``chuannan_gis/layers/styles.yaml``)."""
    text = resources.files("chuannan_gis.layers").joinpath(STYLE_FILE).read_text("utf-8")
    return parse(yaml.safe_load(text))


def layer_style(name: str) -> LayerStyle | None:
    """The style of layer ``name`` (its ``LayerSpec.style`` entry); None for a name the schema does not know."""
    spec = LAYERS.get(name)
    return style_table().layers.get(spec.style) if spec is not None else None


def indicative() -> Indicative:
    return style_table().indicative
