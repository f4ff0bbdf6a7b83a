"""Hint text for a source with no layer named as in the schema: what was found, and the
``layers import --template`` command to try for it."""

from __future__ import annotations

from pathlib import Path

from .read import describe_layers
from .schema import LAYERS

_TEMPLATE_HINTS = (
    ("DLTB", "dltb"),
    ("地类图斑", "dltb"),
    ("STBHHX", "redline"),
    ("HX", "redline"),
    ("红线", "redline"),
    ("YJJBNT", "yjjbnt"),
    ("基本农田", "yjjbnt"),
    ("CZKFBJ", "czkfbj"),
    ("开发边界", "czkfbj"),
    ("AX", "shoreline"),
    ("岸线", "shoreline"),
    ("SYD", "water-source"),
    ("水源", "water-source"),
    ("ZRBHQ", "reserves"),
    ("ZRBHD", "reserves"),
    ("保护区", "reserves"),
    ("保护地", "reserves"),
    ("HGYQ", "chemical-parks"),
    ("化工", "chemical-parks"),
)


def no_schema_layer_message(path) -> str:
    """ "no layer named as in the schema", with what was found and the import template to try."""
    found = describe_layers(path)
    text = f"no layer named as in the schema ({', '.join(LAYERS)})"
    if not found:
        return text + "; found no vector layer at all"
    text += "; found: " + "; ".join(str(f) for f in found[:20])
    if len(found) > 20:
        text += f"; … and {len(found) - 20} more"
    hints = []
    for layer in found:
        template = next((t for key, t in _TEMPLATE_HINTS if key in layer.name.upper() or key in layer.name), None)
        if template:
            source = layer.name.split(": ")[-1]
            hints.append(
                f"chuannan-gis layers import --template {template} {Path(path).name} --layer {source} -o OUT.gpkg"
            )
    if hints:
        text += ". Import them with: " + " ; ".join(dict.fromkeys(hints))
    else:
        text += (
            ". Name each layer as in the schema, or convert it with `chuannan-gis layers import --template …` "
            "(`chuannan-gis layers templates` lists them)"
        )
    return text


__all__ = ["no_schema_layer_message"]
