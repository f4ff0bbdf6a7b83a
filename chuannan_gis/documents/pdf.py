"""The PDF: the same 审查意见 as the .docx, printed on A4 by WeasyPrint from print CSS.

Why this route (docs/documents.md): WeasyPrint is a Python package (pip installs it, with the
plugin's installer too) that lays out paged media itself — ``@page`` size, margins, running
header and ``counter(page)`` page numbers, repeated table headers — and embeds the fonts it uses as
subsets, so the file shows its Chinese anywhere.  It needs Pango from Debian (libpango-1.0-0,
present with any desktop) and a CJK font (fonts-wqy-microhei or fonts-noto-cjk).  LibreOffice
headless from the .docx would need a 600 MB office suite and a process per file; Chromium's
print-to-PDF is a browser run for a library call.
"""

from __future__ import annotations

import base64
from pathlib import Path

import jinja2

from .._atomic import atomic_output
from .content import CAVEAT_ZH, Contents
from .figure import figure_png


def render_review_html(contents: Contents, sections: list[dict], *, title: str, total: int) -> str:
    """The print HTML of the PDF (its figures as PNG data)."""
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("chuannan_gis", "documents/templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    shown = {s["proposal_id"] for s in sections}
    review = contents.review[contents.review["proposal_id"].isin(shown)]
    total = max(total, len(contents.review))
    omitted = total - len(shown)
    figures = []
    for section in sections:
        png = figure_png(section["map"], section["name"])
        figures.append({**section, "figure": base64.b64encode(png).decode() if png else ""})
    return environment.get_template("review.html").render(
        title=title,
        caveat=CAVEAT_ZH,
        contents=contents,
        total=total,
        omitted=omitted,
        review=review.to_dict("records"),
        sections=figures,
        citations=contents.citations.to_dict("records"),
        sources=contents.sources.to_dict("records"),
    )


def write_pdf(contents: Contents, sections: list[dict], path, *, title: str, total: int = 0) -> Path:
    """Write the PDF of ``sections`` (after the summary of ``contents``) to ``path``, atomically."""
    from ..errors import MissingDependencyError
    from .figure import cjk_font_path

    if cjk_font_path() is None:  # WeasyPrint would draw every Chinese character as an empty box
        raise MissingDependencyError(
            "PDF 需要中文字体 / a PDF needs a font with Chinese glyphs: "
            f"apt-get install fonts-wqy-microhei (or fonts-noto-cjk); {path} not written"
        )
    try:
        import weasyprint
    except (ImportError, OSError) as err:  # OSError: Pango missing, which WeasyPrint loads on import
        raise MissingDependencyError(
            f"PDF 需要 WeasyPrint 与 Pango / a PDF needs WeasyPrint and Pango: pip install weasyprint; "
            f"apt-get install libpango-1.0-0 libpangoft2-1.0-0 ({err}); {path} not written"
        ) from err

    html = render_review_html(contents, sections, title=title, total=total)
    with atomic_output(path) as tmp:
        weasyprint.HTML(string=html).write_pdf(str(tmp))
    return Path(path)


__all__ = ["render_review_html", "write_pdf"]
