"""The .docx 审查意见 a planner edits and signs: one 审查意见 per proposal, after a summary.

Built with python-docx on a template a bureau can replace (``--docx-template FILE``): the
template's page setup, styles, header and footer (its 图框, letterhead, page numbers) and any text
it already holds are kept, and the opinions are added after that text.  The bundled template
(``templates/review-template.docx``, remade by :func:`make_template`) is A4 with 宋体/黑体 and a
page number in the footer.  Styles used: ``Title``, ``Heading 1``, ``Heading 2``, ``Normal``,
``Quote`` and ``Table Grid`` (a template lacking one falls back to ``Normal``).
"""

from __future__ import annotations

import io
from importlib import resources
from pathlib import Path

from .._atomic import atomic_output
from ..errors import InputError
from .content import CAVEAT_ZH, Contents
from .figure import figure_png

TEMPLATE = "review-template.docx"
SIGN_LINES = "经办人：＿＿＿＿＿＿＿＿　　审核人：＿＿＿＿＿＿＿＿　　日期：＿＿＿＿年＿＿月＿＿日"


def bundled_template() -> Path:
    return Path(str(resources.files("chuannan_gis.documents").joinpath("templates", TEMPLATE)))


def write_docx(contents: Contents, sections: list[dict], path, *, title: str, template=None, total: int = 0) -> Path:
    """Write the 审查意见 of ``sections`` (after the summary of ``contents``) to ``path``, atomically."""
    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError
    from docx.shared import Cm

    source = Path(template) if template else bundled_template()
    try:
        document = Document(str(source))
    except (PackageNotFoundError, KeyError, ValueError, OSError) as err:
        raise InputError(f"not a Word .docx template: {err}", file=source) from err
    _heading(document, title, "Title")
    _paragraph(document, f"检查时间（UTC）：{contents.run_time}　　项目数：{total}")
    _paragraph(document, CAVEAT_ZH)
    _heading(document, "审查意见汇总", "Heading 1")
    shown = {s["proposal_id"] for s in sections}
    review = contents.review[contents.review["proposal_id"].isin(shown)]
    total = max(total, len(contents.review))
    if total > len(shown):
        _paragraph(
            document,
            f"共 {total} 个项目；以下列出并逐项说明结论非“未发现冲突”的 {len(shown)} 个项目，"
            f"其余 {total - len(shown)} 个“未发现冲突”的项目见审查意见表（.xlsx）及结果 GeoPackage。",
        )
    _table(document, review[["序号", "项目名称", "类型/行业", "所在县(区)", "审查结论", "确定性"]])
    for section in sections:
        document.add_page_break()
        _section(document, section, Cm)
    if len(contents.citations):
        document.add_page_break()
        _heading(document, "依据", "Heading 1")
        for citation in contents.citations.to_dict("records"):
            _paragraph(document, f"{citation['规则']}：{citation['文件']}{citation['条款']}")
            if citation["原文"]:
                _paragraph(document, f"“{citation['原文']}”（{citation['核实']}）", "Quote")
    _heading(document, "数据来源", "Heading 1")
    _table(document, contents.sources)
    with atomic_output(path) as tmp:
        document.save(str(tmp))
    return Path(path)


def _section(document, section: dict, Cm) -> None:
    verdict, certainty = section["verdict"], section["certainty"]
    _heading(document, f"审查意见：{section['name']}", "Heading 1")
    kind = section["kind"] + (f"／{section['industry']}" if section["industry"] else "")
    _paragraph(document, f"项目名称：{section['name']}（编号 {section['proposal_id']}）")
    _paragraph(document, f"类型/行业：{kind}")
    _paragraph(
        document,
        f"位置：{section['county']}{('，' + section['city']) if section['city'] else ''}；中心点 {section['centre']}",
    )
    conclusion = verdict.zh + (f"（{certainty.zh}）" if certainty.zh else "")
    _paragraph(document, f"审查结论：{conclusion}", bold=True)
    if section["summary_zh"]:
        _paragraph(document, section["summary_zh"])
    _heading(document, "主要发现", "Heading 2")
    if section["findings"]:
        for number, finding in enumerate(section["findings"], start=1):
            mark = "（示意数据）" if finding["indicative"] else ""
            measured = (
                f"实测 {finding['measured']}，阈值 {finding['threshold']}；" if finding["measured"] != "—" else ""
            )
            _paragraph(
                document,
                f"{number}. {finding['title']}：{finding['verdict'].zh}。{finding['message']}"
                f"（{measured}图层：{finding['layer']}{mark}）",
            )
            if finding["quote"]:
                _paragraph(
                    document,
                    f"依据：{finding['document']}{finding['clause']}：“{finding['quote']}”（{finding['verified']}）",
                    "Quote",
                )
            elif finding["document"]:
                _paragraph(document, f"依据：{finding['document']}", "Quote")
    else:
        _paragraph(document, "未发现与所检查约束的冲突。")
    if section["note"]:
        _paragraph(document, f"说明：{section['note']}")
    _heading(document, "压占情况", "Heading 2")
    if section["overlaps"]:
        import pandas as pd

        _table(document, pd.DataFrame(section["overlaps"])[["图层", "类别", "公顷", "亩", "占比(%)"]])
    else:
        _paragraph(document, "未压占所检查的图层（或项目为点、线，无面积）。")
    if section["landuse"]:
        import pandas as pd

        _heading(document, "地类明细", "Heading 2")
        _table(document, pd.DataFrame(section["landuse"])[["地类编码", "地类名称", "公顷", "亩", "占比(%)"]])
    png = figure_png(section["map"], section["name"])
    if png:
        _heading(document, "附图", "Heading 2")
        document.add_picture(io.BytesIO(png), width=Cm(15))
        _paragraph(document, f"附图：{section['name']} 与相关约束要素（EPSG:4544，上北）")
    _paragraph(document, f"提示：{CAVEAT_ZH}")
    _paragraph(document, "")
    _paragraph(document, SIGN_LINES)


def _style(document, name: str):
    try:
        return document.styles[name]
    except KeyError:
        return document.styles["Normal"]


def _heading(document, text: str, style: str) -> None:
    document.add_paragraph(text, style=_style(document, style))


def _paragraph(document, text: str, style: str = "Normal", bold: bool = False):
    paragraph = document.add_paragraph(style=_style(document, style))
    run = paragraph.add_run(text)
    run.bold = bold or None
    return paragraph


def _table(document, frame) -> None:
    table = document.add_table(rows=1, cols=len(frame.columns))
    table.style = _style(document, "Table Grid") if "Table Grid" in [s.name for s in document.styles] else None
    for cell, column in zip(table.rows[0].cells, frame.columns):
        cell.text = str(column)
        for run in cell.paragraphs[0].runs:
            run.bold = True
    formats = {"公顷": "{:.4f}", "亩": "{:.2f}", "占比(%)": "{:.1f}"}
    for record in frame.itertuples(index=False):
        cells = table.add_row().cells
        for cell, column, value in zip(cells, frame.columns, record):
            cell.text = formats[column].format(value) if column in formats else ("" if value is None else str(value))


def make_template(path) -> Path:
    """Write the bundled template: A4 portrait, 2.5 cm margins, 宋体 text, 黑体 headings, a header
    line and a page number in the footer.  A bureau's replacement needs none of this."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    document = Document()
    for section in document.sections:
        section.page_width, section.page_height = Cm(21.0), Cm(29.7)
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Cm(2.5))
        header = section.header.paragraphs[0]
        header.text = "川南经济区空间约束筛查　审查意见（筛查结果，不作为审批依据）"
        header.alignment = WD_ALIGN_PARAGRAPH.CENTER
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        footer.add_run("第 ")
        _page_field(footer.add_run(), OxmlElement, qn)
        footer.add_run(" 页")
    for name, font, size in (
        ("Normal", "宋体", 11),
        ("Title", "黑体", 18),
        ("Heading 1", "黑体", 15),
        ("Heading 2", "黑体", 12),
        ("Quote", "楷体", 10.5),
    ):
        style = document.styles[name]
        style.font.name = font
        style.font.size = Pt(size)
        style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)
    with atomic_output(path) as tmp:
        document.save(str(tmp))
    return Path(path)


def _page_field(run, OxmlElement, qn) -> None:
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


if __name__ == "__main__":  # python -m chuannan_gis.documents.docx: remake the bundled template
    print(make_template(bundled_template()))


__all__ = ["bundled_template", "make_template", "write_docx"]
