"""Reading proposals and writing outputs.

Every input a planner hands in goes through here, and every file chuannan-gis writes is written
atomically: to a temporary file in the destination's folder, then renamed over the target, so a
crash never leaves a half-written output and never touches the input.
"""
from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


@contextlib.contextmanager
def atomic_output(path):
    """Yield a temporary path beside ``path``; on success rename it over ``path``.

    >>> with atomic_output("out.gpkg") as tmp:  # doctest: +SKIP
    ...     frame.to_file(tmp, layer="proposals")
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=target.suffix, dir=target.parent)
    os.close(fd)
    os.unlink(tmp_name)  # GDAL drivers refuse to create over an existing (empty) file
    try:
        yield Path(tmp_name)
        os.replace(tmp_name, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
