"""Writing a file atomically: the one helper every writer of chuannan-gis uses.

A file is written to a temporary path in its destination's folder, then renamed over the target
(``os.replace`` is atomic within one file system), so a crash never leaves a half-written
output and a reader never sees one.  The temporary file is removed whatever happens.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


@contextlib.contextmanager
def temporary_path(beside, suffix: str | None = None):
    """Yield a path that does not exist yet, in the folder of ``beside``; remove it on exit.

    Parameters
    ----------
    beside : str or Path
        The file the temporary one stands for: it lies in the same folder (created if needed),
        named ``.<name>.<random><suffix>``, so a rename onto ``beside`` stays on one file system.
    suffix : str, optional
        Default: the suffix of ``beside`` (GDAL picks a driver from it).

    Examples
    --------
    >>> with temporary_path("/tmp/out.tif", ".scratch.tif") as scratch:
    ...     scratch.name.startswith(".out.tif.") and not scratch.exists()
    True
    """
    target = Path(beside)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=target.suffix if suffix is None else suffix, dir=target.parent
    )
    os.close(fd)
    os.unlink(name)  # GDAL drivers refuse to create over an existing (empty) file
    try:
        yield Path(name)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(name)


@contextlib.contextmanager
def atomic_output(path):
    """Yield a temporary path beside ``path``; when the block succeeds, rename it over ``path``.

    When the block raises, ``path`` is left as it was (absent, or the previous file).

    Examples
    --------
    >>> import tempfile
    >>> target = Path(tempfile.mkdtemp()) / "notes.txt"
    >>> with atomic_output(target) as tmp:
    ...     _ = tmp.write_text("done")
    >>> target.read_text(), sorted(p.name for p in target.parent.iterdir())
    ('done', ['notes.txt'])
    """
    target = Path(path)
    with temporary_path(target) as tmp:
        yield tmp
        os.replace(tmp, target)


__all__ = ["atomic_output", "temporary_path"]
