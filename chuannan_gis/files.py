"""File utilities shared by the proposal reader (:mod:`chuannan_gis.io`) and the constraint-layer
reader (:mod:`chuannan_gis.layers.read`): content hashes, a shapefile's encoding, blank values.

They sit below both readers so that neither imports the other.
"""

from __future__ import annotations

import hashlib
from glob import escape as glob_escape
from pathlib import Path

import numpy as np
import pandas as pd

# DBF language-driver byte → encoding, for the code pages Chinese shapefiles carry.
_DBF_LANGUAGE_DRIVERS = {0x4D: "gbk", 0x7A: "gbk"}


def file_sha256(path) -> str:
    """SHA-256 of a file, or of a shapefile with its sidecar files, or of a folder's files."""
    path = Path(path)
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.is_file())
    elif path.suffix.lower() == ".shp":
        files = sorted(
            p
            for p in path.parent.glob(f"{glob_escape(path.stem)}.*")
            if p.suffix.lower() in (".shp", ".shx", ".dbf", ".prj", ".cpg")
        )
    else:
        files = [path]
    return hash_files(files)


def hash_files(files) -> str:
    """SHA-256 of the contents of ``files``, in the order given, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    for file in files:
        with open(file, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


def shapefile_encoding(path) -> str | None:
    """Encoding of a shapefile's DBF that GDAL would get wrong, else None (GDAL decides).

    GDAL reads a .cpg, or the DBF language-driver byte (offset 29; 0x4D = code page 936).  Chinese
    tools often write neither: GDAL then assumes ISO-8859-1 and garbles every Chinese value.  Then
    the bytes decide: valid UTF-8 is UTF-8, anything else is taken for GBK (GB18030, its superset).
    The constraint-layer reader (:mod:`chuannan_gis.layers.read`) uses this too.
    """
    path = Path(path)
    if path.suffix.lower() != ".shp":
        return None
    sidecars = {p.suffix.lower(): p for p in path.parent.glob(f"{glob_escape(path.stem)}.*")}
    if ".cpg" in sidecars or ".dbf" not in sidecars:
        return None
    data = sidecars[".dbf"].read_bytes()
    if len(data) > 29 and data[29] in _DBF_LANGUAGE_DRIVERS:
        return _DBF_LANGUAGE_DRIVERS[data[29]]
    if data.isascii():
        return None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return "gb18030"
    return "utf-8"


# Up to this many values are judged one by one (pandas' string methods cost more to set up).
_FEW_VALUES = 256


def blank_values(values: pd.Series) -> np.ndarray:
    """Where ``values`` are missing or only whitespace (the blank of proposals and constraint layers)."""
    if len(values) <= _FEW_VALUES:
        return np.array([is_blank(value) for value in values.to_numpy(dtype=object)], dtype=bool)
    return (values.isna() | (values.astype(str).str.strip() == "")).to_numpy()


def is_blank(value) -> bool:
    """One value as :func:`blank_values` judges a column's: missing, or only whitespace (Python's
    ``str.strip`` and pandas' strip the same characters).

    >>> is_blank(None), is_blank(float("nan")), is_blank(" \u3000"), is_blank(0)
    (True, True, True, False)
    """
    missing = pd.isna(value)  # an array for a list-like value: not missing, then
    return (isinstance(missing, (bool, np.bool_)) and bool(missing)) or str(value).strip() == ""


__all__ = ["blank_values", "file_sha256", "hash_files", "is_blank", "shapefile_encoding"]
