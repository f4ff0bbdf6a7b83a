"""What ``layers validate`` says about a set on disk: errors, warnings and coverage notes."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import LayerError, LocatedError
from .hints import no_schema_layer_message
from .load import _read_metadata, _read_source, load_constraints, logger, overlay_set
from .model import ConstraintSet, prepare_layer
from .schema import REQUIRED_LAYERS
from .validation import LayerWarning, coverage_notes, land_use_warnings, shoreline_warnings, validate_set


@dataclass
class ValidationReport:
    """What ``layers validate`` says: ``errors`` (the set is refused), ``warnings`` and ``notes``.

    A problem affecting many features is listed for the first :data:`LISTED` and then one line
    "… and N more"; :meth:`count` is the true number of problems.
    """

    errors: list[LayerError] = field(default_factory=list)
    warnings: list[LocatedError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @staticmethod
    def count(problems) -> int:
        return sum(getattr(p, "count", 1) for p in problems)


def validate(path, complete: bool = False, *, bundled: ConstraintSet | None = None) -> list[LayerError]:
    """Every schema problem of the set at ``path``, each naming file, layer, feature and field.

    ``complete=True`` also reports each required bundled layer the set lacks (a planner's partial
    set falls back to the bundled layers, so that is not an error by default); ``data_gaps``
    describes the bundled set itself and is never required.  :func:`validation_report` adds the
    warnings and the coverage notes.
    """
    return validation_report(path, complete, bundled=bundled).errors


def validation_report(path, complete: bool = False, *, bundled: ConstraintSet | None = None) -> ValidationReport:
    """Errors, warnings and notes for the set at ``path`` (``layers validate``).

    The set is read once; ``bundled``: the bundled set already loaded (else it is loaded here),
    the reference for river ids and the layers the planner's are overlaid on."""
    path = Path(path)
    report = ValidationReport()
    if not path.exists():
        report.errors.append(LayerError("no such file or folder", file=path))
        return report
    errors: list[LayerError] = []
    try:
        layers, _, paths = _read_source(path, prepare=False, errors=errors)
    except LayerError as err:
        report.errors.append(err)
        return report
    report.errors += errors
    if not layers and not errors:
        report.errors.append(LayerError(no_schema_layer_message(path), file=path))
    if complete:
        report.errors += [
            LayerError("required layer is missing", file=path, layer=name)
            for name in REQUIRED_LAYERS
            if name not in layers
        ]
    bundled = bundled if bundled is not None else load_constraints()
    report.errors += validate_set(layers, paths, reference=bundled.layers)
    report.warnings += land_use_warnings(layers, paths)
    if not report.errors and layers:
        constraints = _overlay_unlogged(bundled, path, layers, paths)  # the report lists its warnings once
        report.warnings += [LayerWarning(w) for w in constraints.warnings]
        report.warnings += shoreline_warnings(constraints, set(layers))
        report.notes += coverage_notes(constraints, set(layers))
    return report


def _overlay_unlogged(bundled: ConstraintSet, path: Path, raw: dict, paths: dict) -> ConstraintSet:
    """The set as :func:`load_constraints` would load it, from the layers already read (``raw``,
    not yet prepared), without logging its warnings (the report lists them)."""
    path = path.resolve()
    paths = {name: str(Path(file).resolve()) for name, file in paths.items()}
    layers = {name: prepare_layer(gdf, paths[name], name) for name, gdf in raw.items()}
    was = logger.disabled
    logger.disabled = True
    try:
        return overlay_set(bundled, path, layers, _read_metadata(path, layers), paths)
    finally:
        logger.disabled = was


__all__ = ["ValidationReport", "validate", "validation_report"]
