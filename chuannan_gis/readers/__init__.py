"""The one reader of proposal files: a table of the forms planners hand in, and one error mapping.

:func:`read_file` chooses the form's reader from :data:`FORMS` (by suffix, and for a ``.txt`` by
its first lines) and returns the raw features as a GeoDataFrame; :func:`chuannan_gis.io.read_proposals`
then maps fields, checks coordinates and normalises values.  The streamed check reads GeoPackages
chunk by chunk through :func:`vector_chunks`.  Whatever a reader or the library under it (GDAL,
pandas, openpyxl) raises is turned into an :class:`~chuannan_gis.errors.InputError` naming the
file, here in :func:`reading` and nowhere else, so a malformed file is exit 2 and one line in the
CLI, never a traceback.

Each form's reader is a module of this package with ``read(path, options) -> GeoDataFrame``; its
CRS is the file's own or None (then ``--crs`` must say it).
"""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ChuannanError, InputError


@dataclass(frozen=True)
class ReadOptions:
    """How to read a file (the read options of :func:`chuannan_gis.io.read_proposals`)."""

    layer: str | None = None
    crs: str | None = None
    encoding: str | None = None
    field_map: Mapping = field(default_factory=dict)


@dataclass(frozen=True)
class Form:
    """A form of proposal file: its name, the suffixes it comes with, the module that reads it
    (None: known but not read, ``refusal`` says what to do) and a one-line example."""

    name: str
    suffixes: tuple[str, ...]
    module: str | None
    example: str
    refusal: str = ""
    sniffs: bool = False  # the module's sniff(first characters) decides among files of these suffixes
    function: str = "read"  # the module's reader: function(path, options) -> GeoDataFrame

    def accepts(self, path: Path) -> bool:
        if path.suffix.lower() not in self.suffixes:
            return False
        return not self.sniffs or importlib.import_module(f"{__name__}.{self.module}").sniff(_head(path))


def _head(path: Path, size: int = 4096) -> str:
    """The first characters of a text file, in whichever of UTF-8 and GBK decodes them."""
    with contextlib.suppress(OSError), open(path, "rb") as handle:
        data = handle.read(size)
        return data.decode("utf-8", errors="ignore") + data.decode("gb18030", errors="ignore")
    return ""


# The forms, in the order a file is matched against them; the last is GDAL's (anything it reads).
FORMS = (
    Form(
        "用地坐标 TXT (报盘格式)",
        (".txt",),
        "landcoord_txt",
        "chuannan-gis check 用地坐标.txt --constant kind=project --constant industry=other -o result.gpkg",
        sniffs=True,
    ),
    Form(
        "CSV 表格 (经度/纬度 or X/Y columns)",
        (".csv", ".tsv", ".txt"),
        "table",
        "chuannan-gis check parks.csv -o result.gpkg",
    ),
    Form(
        "Excel 表格 (.xlsx: 经度/纬度, X/Y, 界址点成果表)",
        (".xlsx", ".xlsm"),
        "table",
        "chuannan-gis check 项目清单.xlsx -o result.gpkg",
        function="read_excel",
    ),
    Form(
        "Excel 97 表格",
        (".xls",),
        None,
        "",
        refusal="旧版 Excel (.xls) 无法读取 an Excel 97-2003 workbook cannot be read: save it as .xlsx in Excel or WPS",
    ),
    Form(
        "DXF 图纸 (closed polylines; --crs required)",
        (".dxf",),
        "dxf",
        "chuannan-gis check 红线.dxf --crs EPSG:4544 --constant kind=industrial_park --constant industry=chemical "
        "-o result.gpkg",
    ),
    Form(
        "KML/KMZ 地标 (points, lines, polygons)",
        (".kml", ".kmz"),
        "kml",
        "chuannan-gis check 奥维导出.kmz --input-datum gcj02 --constant kind=project --constant industry=other "
        "-o result.gpkg",
    ),
    Form(
        "DWG 图纸",
        (".dwg",),
        None,
        "",
        refusal=(
            "DWG 无法直接读取 a DWG drawing cannot be read: convert it to DXF first (ODA File Converter, "
            "free; or LibreCAD / AutoCAD 'Save As DXF'), then check the DXF with --crs"
        ),
    ),
    Form(
        "GIS 矢量文件 (GeoPackage, shapefile, GeoJSON, FlatGeobuf … anything GDAL reads)",
        (),
        "vector",
        "chuannan-gis check parks.gpkg -o result.gpkg",
    ),
)


def form_of(path: Path) -> Form:
    """The form ``path`` is read as (GDAL's for a suffix no other form claims)."""
    return next((form for form in FORMS if form.accepts(path)), FORMS[-1])


def supported_forms() -> str:
    """The forms read, for messages: 'GIS …; CSV …; …'."""
    return "; ".join(form.name for form in FORMS if form.module is not None)


def read_file(path, options: ReadOptions | None = None):
    """The features of the proposal file ``path`` as a GeoDataFrame (CRS the file's, or None).

    Raises
    ------
    InputError
        Missing, empty or unreadable file, a form not read (naming the forms that are), or a
        bad row (naming row and field).
    """
    path = Path(path)
    options = options or ReadOptions()
    check_file(path)
    form = form_of(path)
    if form.module is None:
        raise InputError(f"不支持的格式 not supported: {form.refusal}; supported forms: {supported_forms()}", file=path)
    reader = getattr(importlib.import_module(f"{__name__}.{form.module}"), form.function)
    with reading(path, form.name, options.layer):
        return reader(path, options)


def check_file(path: Path) -> None:
    """Refuse a path that is missing or empty before a library tries to read it."""
    if not path.exists():
        raise InputError("文件不存在 no such file or folder", file=path)
    if path.is_file() and path.stat().st_size == 0:
        raise InputError("文件为空 the file is empty (0 bytes): nothing to read", file=path)


# What GDAL says of bytes it cannot read as any vector format (a PNG renamed .gpkg, a Word file).
_UNRECOGNISED = ("not recognized as being in a supported file format", "not recognized as a supported file format")


@contextlib.contextmanager
def reading(path, form: str, layer=None):
    """The one error mapping of reading: any error but the package's own becomes an InputError
    naming the file (and layer), with the library's reason in one line."""
    try:
        yield
    except ChuannanError:
        raise
    except MemoryError:
        raise
    except Exception as err:  # GDAL, SQLite, pandas, openpyxl, zipfile … each raise their own types
        reason = " ".join(str(err).split()) or type(err).__name__
        if any(text in reason for text in _UNRECOGNISED):
            message = (
                f"无法识别的文件 not a file of any form read here (damaged, or a form not supported "
                f"under this name); supported forms: {supported_forms()}"
            )
        else:
            message = f"无法读取 cannot be read as {form}: {reason[:300]}"
        raise InputError(message, file=path, layer=layer) from err


def vector_chunks(path, layer, encoding, chunk_rows: int):
    """Yield ``(raw frame, first row, total rows)`` of a GIS file, ``chunk_rows`` rows at a time."""
    from . import vector

    path = Path(path)
    check_file(path)
    with reading(path, FORMS[-1].name, layer):
        yield from vector.chunks(path, layer, encoding, chunk_rows)


__all__ = ["FORMS", "Form", "ReadOptions", "form_of", "read_file", "reading", "supported_forms", "vector_chunks"]
