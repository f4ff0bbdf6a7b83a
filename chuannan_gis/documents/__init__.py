"""The documents a planner files, chosen by suffix (SCHEMA.md "Review documents").

``.html`` the report (:mod:`chuannan_gis.report`); ``.xlsx`` 审查意见表, 压占分析, 地类明细, 依据,
数据来源 (:mod:`.xlsx`); ``.docx`` the 审查意见 per proposal from a replaceable template
(:mod:`.docx`); ``.pdf`` the same on A4 (:mod:`.pdf`).  :func:`write_document` is the one entry
the CLI, the service and the QGIS plugin call; every format renders the Result and nothing else.

Large Results: past ``max_sections`` proposals the .docx and .pdf give the summary and the
sections of the proposals that are not ``clear``; the .xlsx lists every proposal, splitting a
sheet before Excel's row limit.  A Result given as a path (a streamed check's GeoPackage) is read
as the format needs it (:func:`documents_result`): the .xlsx and the summary from its attribute
tables, the geometry only of the proposals that get a section.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError

FORMATS = (".html", ".xlsx", ".docx", ".pdf")
TITLE = "川南经济区空间约束筛查审查意见"


def document_format(path) -> str:
    """The format of a document path (its suffix, lower case); an unknown one is an
    :class:`~chuannan_gis.errors.InputError` naming the file and the formats there are."""
    suffix = Path(str(path)).suffix.lower()
    if suffix not in FORMATS:
        raise InputError(
            f"未知的文档格式 unknown document format {suffix or '(no suffix)'!r}: use {', '.join(FORMATS)}",
            file=path,
        )
    return suffix


def write_document(
    result, path, *, constraints=None, max_sections: int | None = None, docx_template=None, title: str = TITLE
) -> Path:
    """Write the document of ``result`` (a Result, or the path of a Result GeoPackage) whose
    format ``path``'s suffix names, atomically; return the path.

    Parameters
    ----------
    result : Result or path
    path : str or Path
        ``.html``, ``.xlsx``, ``.docx`` or ``.pdf``.
    constraints : ConstraintSet, optional
        Where the maps find the features the findings name (default: the set the run recorded).
    max_sections : int, optional
        Past this many proposals (default 200) the .docx/.pdf give only the sections of the
        proposals that are not clear, and the HTML report only the worst this many.
    docx_template : path, optional
        A .docx whose page setup, styles, header and footer the .docx keeps.
    """
    from ..report import MAX_SECTIONS, recorded_constraints, write_report
    from .content import contents, sections

    suffix = document_format(path)
    max_sections = MAX_SECTIONS if max_sections is None else int(max_sections)
    if docx_template is not None and not Path(docx_template).is_file():
        raise InputError("the .docx template does not exist", file=docx_template)
    result = documents_result(result, max_sections)
    if suffix == ".html":
        return write_report(result, path, constraints=constraints, max_sections=max_sections)
    if suffix == ".xlsx":
        from .xlsx import write_xlsx

        return write_xlsx(contents(result, constraints), path, title=title)
    constraints = constraints if constraints is not None else recorded_constraints(result)
    parts = sections(result, constraints, max_sections)
    total = len(result.proposals)
    if suffix == ".docx":
        from .docx import write_docx

        return write_docx(contents(result, constraints), parts, path, title=title, template=docx_template, total=total)
    from .pdf import write_pdf

    return write_pdf(contents(result, constraints), parts, path, title=title, total=total)


def documents_result(result, max_sections: int):
    """A Result as the documents read it: a Result as it is; a path read from the GeoPackage
    (:func:`chuannan_gis.result.Result.read`)."""
    from ..result import Result

    return result if isinstance(result, Result) else Result.read(result)


__all__ = ["FORMATS", "TITLE", "document_format", "write_document"]
