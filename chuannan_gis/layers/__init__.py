"""The constraint set: load the bundled layers or a planner's own, and validate them.

The package is split by what things are; every name is importable from here as before:

- :mod:`~chuannan_gis.layers.schema` — the layers as data (:class:`LayerSpec`: fields,
  vocabularies, sparseness, id field, titles);
- :mod:`~chuannan_gis.layers.model` — :class:`ConstraintSet`, the one place that answers about a
  loaded layer (coverage, covered or not, sparseness, id field, completeness, status);
- :mod:`~chuannan_gis.layers.load` — :func:`load_constraints`: the bundled set, a planner's overlaid;
- :mod:`~chuannan_gis.layers.overlay` — a supplied layer over the bundled one, gap filling;
- :mod:`~chuannan_gis.layers.coverage` — where a supplied layer speaks;
- :mod:`~chuannan_gis.layers.validation` — schema problems and warnings of layers;
- :mod:`~chuannan_gis.layers.report` — ``layers validate``'s report of a set on disk;
- :mod:`~chuannan_gis.layers.hints` — the import command to try for a misnamed layer;
- :mod:`~chuannan_gis.layers.read` — reading vector layers from any OGR source;
- :mod:`~chuannan_gis.layers.imports`, :mod:`~chuannan_gis.layers.build` — official deliveries
  converted, and the bundled set built.
"""

from __future__ import annotations

from ..files import blank_values, hash_files
from .hints import no_schema_layer_message
from .load import bundled_path, load_constraints
from .model import ConstraintSet
from .overlay import complete_classes, fill_gaps, overlay_layer
from .read import VECTOR_SUFFIXES
from .report import ValidationReport, validate, validation_report
from .schema import COMMON_FIELDS, LAYERS, LayerSpec
from .validation import LISTED, LayerWarning, validate_layer, validate_set

__all__ = [
    "COMMON_FIELDS",
    "LAYERS",
    "LISTED",
    "VECTOR_SUFFIXES",
    "ConstraintSet",
    "LayerSpec",
    "LayerWarning",
    "ValidationReport",
    "blank_values",
    "bundled_path",
    "complete_classes",
    "fill_gaps",
    "hash_files",
    "load_constraints",
    "no_schema_layer_message",
    "overlay_layer",
    "validate",
    "validate_layer",
    "validate_set",
    "validation_report",
]
