"""A constraint layer's class as a planner reads it (核心保护区, 一级保护区, a 红线类型, a 地类名称).

The overlap table stores codes (``class_value``); the HTML report and the review documents both name
them through :func:`class_label`, so the two never word a class differently.
"""

from __future__ import annotations

from .schema import LAYERS
from .styles import layer_style

# zone values of urban_boundary, which has no style categories (SCHEMA.md)
URBAN_ZONE_LABELS = {"concentrated": "城镇集中建设区", "flexible": "城镇弹性发展区", "special": "特别用途区"}


def class_label(layer: str, value: str, label: str = "") -> str:
    """A class as a planner reads it; a layer without classes by its title.

    >>> class_label("urban_boundary", "special")
    '特别用途区'
    >>> class_label("farmland", "")
    '永久基本农田'
    >>> class_label("landuse", "0101", "水田")
    '水田'
    """
    if not value:
        return LAYERS[layer].title_zh if layer in LAYERS else layer
    if layer == "urban_boundary":
        return URBAN_ZONE_LABELS.get(value, value)
    style = layer_style(layer)
    for category in style.categories if style else ():
        if category.value == value:
            return category.zh
    return label or value


__all__ = ["URBAN_ZONE_LABELS", "class_label"]
