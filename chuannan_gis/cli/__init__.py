"""The ``chuannan-gis`` command line: a thin click group over the library,
one module per command (as rasterio's ``rio``).

Each command parses its options and calls library functions; no command decides a verdict or
holds a threshold.  An error of the :class:`~chuannan_gis.errors.ChuannanError` hierarchy is
printed as one clean line on stderr (exit status 2); ``-v`` shows its traceback in the log.

Exit status: 0 done, 1 the ``--fail-on`` threshold was hit, 2 bad input.
"""

from __future__ import annotations

from .main import main

__all__ = ["main"]
