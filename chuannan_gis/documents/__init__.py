"""The documents a planner files, chosen by suffix (SCHEMA.md "Review documents").

``.html`` the report (:mod:`chuannan_gis.report`); ``.xlsx`` 审查意见表, 压占分析, 地类明细, 依据,
数据来源 (:mod:`.xlsx`); ``.docx`` the 审查意见 per proposal from a replaceable template
(:mod:`.docx`); ``.pdf`` the same on A4 (:mod:`.pdf`).  :func:`write_document` is the one entry
the CLI, the service and the QGIS plugin call; every format renders the Result and nothing else.

Large Results: past ``max_sections`` proposals the .docx and .pdf give the summary and the
sections of the proposals that are not ``clear``; the .xlsx lists every proposal, splitting a
sheet before Excel's row limit.  A Result given as a path (a streamed check's GeoPackage) is read
as the format needs it (:class:`.stored.StoredResult`): the .xlsx and the closing table a chunk
at a time, the geometry only of the proposals that get a section, so memory stays bound.
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
    from ..result import Result
    from .content import contents, sections
    from .stored import StoredResult

    suffix = document_format(path)
    max_sections = MAX_SECTIONS if max_sections is None else int(max_sections)
    if docx_template is not None and not Path(docx_template).is_file():
        raise InputError("the .docx template does not exist", file=docx_template)
    if not isinstance(result, (Result, StoredResult)):
        result = StoredResult(result)
    if suffix == ".html":
        return write_report(result, path, constraints=constraints, max_sections=max_sections)
    if suffix == ".xlsx":
        from .xlsx import write_xlsx

        tables = contents(result, constraints) if isinstance(result, Result) else result.contents(constraints)
        return write_xlsx(tables, path, title=title)
    total = len(result.proposals) if isinstance(result, Result) else result.total
    if isinstance(result, StoredResult):  # only the proposals with a section are read whole
        result = result.subset(result.chosen(max_sections, clear_past_limit=False))
        max_sections = max(max_sections, len(result.proposals))
    constraints = constraints if constraints is not None else recorded_constraints(result)
    parts = sections(result, constraints, max_sections)
    # the summary and the 依据 of the proposals the document gives a section, as from a stored Result
    tables = contents(_subset(result, [part["proposal_id"] for part in parts]), constraints)
    if suffix == ".docx":
        from .docx import write_docx

        return write_docx(tables, parts, path, title=title, template=docx_template, total=total)
    from .pdf import write_pdf

    return write_pdf(tables, parts, path, title=title, total=total)


def _subset(result, ids):
    """The Result of the proposals ``ids`` only (their findings and overlaps), holding the same sets."""
    from ..result import Result

    chosen = set(ids)
    if len(chosen) == len(result.proposals):
        return result
    return Result(
        result.proposals[result.proposals["proposal_id"].isin(chosen)],
        result.findings[result.findings["proposal_id"].isin(chosen)],
        result.not_checked,
        result.run_info,
        result.overlaps[result.overlaps["proposal_id"].isin(chosen)],
    ).hold(result._held.get("constraints"), result._held.get("catalog"))


__all__ = ["FORMATS", "TITLE", "document_format", "write_document"]
