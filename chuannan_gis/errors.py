"""One error hierarchy for chuannan-gis.

Every error the library raises on purpose derives from :class:`ChuannanError`; where a builtin
fits, the subclass inherits it too, so ``except ValueError`` keeps working for callers that do
not know this package.  Errors about data carry *where* the problem is (file, layer, feature,
field) so that the CLI and the QGIS plugin can show a planner exactly what to fix.
"""

from __future__ import annotations

import functools


class ChuannanError(Exception):
    """Root of every error chuannan-gis raises on purpose."""


class LocatedError(ChuannanError):
    """An error about data, located by file, layer, feature and field (any may be None)."""

    def __init__(self, message: str, *, file=None, layer=None, feature=None, field=None):
        self.message = message
        self.file = None if file is None else str(file)
        self.layer = layer
        self.feature = feature
        self.field = field
        super().__init__(self._render())

    def _render(self) -> str:
        where = [
            f"{label} {value!s}"
            for label, value in (
                ("file", self.file),
                ("layer", self.layer),
                ("feature", self.feature),
                ("field", self.field),
            )
            if value is not None
        ]
        return f"{'; '.join(where)}: {self.message}" if where else self.message

    def __reduce__(self):
        # keep file, layer, feature and field across a pickle (an error raised in a worker process)
        located = {"file": self.file, "layer": self.layer, "feature": self.feature, "field": self.field}
        return functools.partial(type(self), self.message, **located), ()


class InputError(LocatedError, ValueError):
    """An input that cannot be read or understood: a proposal file (bad value, missing field, ...),
    or a CRS that does not fit its coordinates (:class:`CRSError`, for a constraint layer too)."""


class CRSError(InputError):
    """An input whose CRS is missing, or whose coordinates cannot be in the CRS it declares: a
    proposal file, or (as :class:`LayerCRSError`) a constraint or delivered layer."""


class LayerError(LocatedError, ValueError):
    """A constraint layer that is missing or breaks the schema of SCHEMA.md."""


class LayerCRSError(LayerError, CRSError):
    """A constraint layer (or a delivered one being imported) whose CRS does not fit its coordinates:
    both a LayerError (the layer is refused) and a CRSError (what is wrong is its CRS), so it is an
    InputError too — an error of what the planner handed in, not of a proposal in particular."""


class RuleError(LocatedError, ValueError):
    """A rule catalog that does not validate."""


class MissingDependencyError(ChuannanError, ImportError):
    """An optional feature whose libraries are not installed; the message gives the install command."""
