"""A planner's ``layers import --coverage``, read by the shared reader :mod:`chuannan_gis.layers.coverage`.

``--coverage`` is what ``layer_metadata.coverage`` is (:func:`~chuannan_gis.layers.coverage.parse_coverage`:
``region``, county/city names or adcodes), or a polygon file
(:func:`~chuannan_gis.layers.coverage.read_polygon_file`), stored as ``polygon``.
"""

from __future__ import annotations

from pathlib import Path

from ...errors import LayerError
from ..coverage import NONE, POLYGON, REGION, parse_coverage, read_polygon_file
from ..load import load_constraints


def counties():
    """The 28 counties of the bundled set (EPSG:4490)."""
    return load_constraints().layers["counties"]


def coverage_option(text_or_path, region=None) -> tuple[str, object]:
    """(``layer_metadata.coverage`` code, polygon in EPSG:4490 or None) for a planner's ``--coverage``;
    ``region``: the bundled counties if already loaded."""
    text = str(text_or_path).strip()
    if text and Path(text).exists():
        return POLYGON, read_polygon_file(text)
    code = parse_coverage(text_or_path, counties() if region is None else region)
    if code in (POLYGON, NONE):
        raise LayerError(
            f"--coverage {code}: give the polygon file itself (its path), or the counties or cities "
            "it covers (e.g. 江安县, 511523, 宜宾市, 511500) or region",
            field="coverage",
        )
    return code, None


def resolve_coverage(text_or_path) -> str:
    """The ``layer_metadata.coverage`` code for a planner's ``--coverage`` (``polygon`` for a file).

    >>> resolve_coverage("江安县,511502")
    '511502,511523'
    >>> resolve_coverage("自贡市").split(",")[:2]
    ['510302', '510303']
    """
    text = str(text_or_path).strip()
    if text and Path(text).exists():
        return POLYGON
    return coverage_option(text)[0]


__all__ = ["POLYGON", "REGION", "counties", "coverage_option", "resolve_coverage"]
