"""Field maps written as text, ``SCHEMA_FIELD=SOURCE_FIELD``: the one parser for the CLI's
``--field`` (proposals and ``layers import``), MAP.yaml entries and the QGIS plugin's FIELDS."""

from __future__ import annotations

from .errors import LayerError


def parse_fields(texts, example: str = "zone=功能区") -> dict:
    """{schema field: source field} from strings SCHEMA_FIELD=SOURCE_FIELD (``--field``'s syntax).

    >>> parse_fields(["zone=功能区", " name_zh = HXMC "])
    {'zone': '功能区', 'name_zh': 'HXMC'}
    """
    out = {}
    for text in texts or ():
        name, sep, column = str(text).partition("=")
        if not sep or not name.strip() or not column.strip():
            raise LayerError(f"--field {text!r}: expected SCHEMA_FIELD=SOURCE_FIELD, e.g. {example}", field="fields")
        out[name.strip()] = column.strip()
    return out


__all__ = ["parse_fields"]
