"""The review documents, opened for real: openpyxl, python-docx, poppler's pdftotext/pdffonts/pdfinfo.

The Result: three sites on the synthetic set (conftest) plus a 三调 ``landuse`` layer — ``五地类``
on five 地类 (tests/test_overlaps.py: 水田 20, 旱地 15, 乔木林地 25, 农村宅基地 20, 铁路用地 20 ha),
``江边园区`` a heavy-chemical park 300 m from the Yangtze's edge (prohibited), ``空地`` a point in
empty ground (clear).
"""

from __future__ import annotations

import shutil
import subprocess
import unicodedata

import pytest
from click.testing import CliRunner
from test_overlaps import SITE, _landuse

from chuannan_gis import check
from chuannan_gis.cli import main
from chuannan_gis.documents import write_document
from chuannan_gis.documents.docx import make_template
from chuannan_gis.documents.xlsx import write_xlsx
from chuannan_gis.errors import InputError
from conftest import FREE_Y, KM, YANGTZE_EDGE_X, box_km, frame

POPPLER = ("pdftotext", "pdffonts", "pdfinfo")


@pytest.fixture(scope="module")
def result():
    from chuannan_gis.layers import ConstraintSet
    from conftest import synthetic_frames

    constraints = ConstraintSet.from_frames({**synthetic_frames(), "landuse": _landuse()})
    sites = frame(
        [
            {"name": "五地类", "kind": "industrial_park", "industry": "electronics", "geometry": SITE},
            {
                "name": "江边园区",
                "kind": "industrial_park",
                "industry": "heavy_chemical",
                "geometry": box_km(500.3, FREE_Y / KM, 500.5, FREE_Y / KM + 0.2),
            },
            {
                "name": "空地",
                "kind": "industrial_park",
                "industry": "electronics",
                "geometry": box_km(530.5, 3220, 530.6, 3220.1).centroid,
            },
        ]
    )
    assert YANGTZE_EDGE_X == 500 * KM
    return check(sites, constraints=constraints)


def _poppler(tool, *args) -> str:
    if shutil.which(tool) is None:
        pytest.fail(f"{tool} missing: scripts/install-system.sh installs poppler-utils")
    return subprocess.run([tool, *map(str, args)], check=True, capture_output=True, text=True).stdout


def test_the_verdicts_the_documents_render(result):
    assert result.proposals.set_index("name")["verdict"].to_dict() == {
        "五地类": "clear",
        "江边园区": "prohibited",
        "空地": "clear",
    }


def test_xlsx_sheets_values_formats_and_subtotals(result, tmp_path):
    import openpyxl

    path = write_document(result, tmp_path / "审查意见.xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["审查意见表", "压占分析", "地类明细", "依据", "数据来源"]
    review = book["审查意见表"]
    assert "A1:H1" in {str(r) for r in review.merged_cells.ranges}  # the merged title
    assert [c.value for c in review[3]] == [
        "序号",
        "项目名称",
        "类型/行业",
        "所在县(区)",
        "审查结论",
        "确定性",
        "主要依据",
        "说明",
    ]
    assert review.freeze_panes == "A4"
    assert review.page_setup.orientation == "landscape" and review.page_setup.paperSize == 9
    # fit to one page wide (1 is the default XlsxWriter leaves unwritten), any number tall
    assert review.sheet_properties.pageSetUpPr.fitToPage and review.page_setup.fitToWidth in (None, 1)
    assert review.page_setup.fitToHeight == 0
    assert review.print_title_rows == "$1:$3"
    rows = {r[1]: r for r in review.iter_rows(min_row=4, values_only=True)}
    assert rows["江边园区"][4] == "禁止" and rows["五地类"][4] == "未发现冲突"
    assert isinstance(rows["江边园区"][0], int)
    assert review.column_dimensions["H"].width > review.column_dimensions["A"].width  # widths fit the text

    detail = book["地类明细"]
    table = [r for r in detail.iter_rows(min_row=4) if r[0].value == "五地类"]
    by_name = {r[2].value: r for r in table}
    assert by_name["乔木林地"][3].data_type == "n" and by_name["乔木林地"][3].number_format == "0.0000"
    assert by_name["乔木林地"][4].number_format == "0.00" and by_name["乔木林地"][5].number_format == "0.0"
    details = [r for r in table if r[1].value]  # rows with a 地类编码; the 小计 rows have none
    assert sum(r[3].value for r in details) == pytest.approx(100.0, abs=1e-4)
    assert by_name["农用地小计"][3].value == pytest.approx(60.0)  # 水田 + 旱地 + 乔木林地
    assert by_name["其中耕地小计"][3].value == pytest.approx(35.0)  # 水田 + 旱地
    assert by_name["建设用地小计"][3].value == pytest.approx(40.0)  # 宅基地 + 铁路
    assert "未利用地小计" not in by_name  # the site touches none
    for row in details:
        assert row[4].value == pytest.approx(row[3].value * 15)  # 亩 = 公顷 × 15
    # values, not formulas, in every sheet
    assert not any(
        isinstance(c.value, str) and c.value.startswith("=") for s in book for row in s.iter_rows() for c in row
    )
    citations = list(book["依据"].iter_rows(min_row=4, values_only=True))
    assert any("长江" in (r[1] or "") and r[3] for r in citations)  # the clause's text quoted


def test_xlsx_splits_a_sheet_before_the_row_limit(result, tmp_path):
    import openpyxl

    from chuannan_gis.documents.content import contents

    path = write_xlsx(contents(result), tmp_path / "split.xlsx", title="t", rows_per_sheet=2)
    names = openpyxl.load_workbook(path).sheetnames
    # 8 rows (5 地类; 小计 of 农用地, 其中耕地, 建设用地) → 4 sheets of 2
    assert "地类明细 (4)" in names and "地类明细 (5)" not in names


def test_docx_opinion_per_proposal_with_tables_and_figure(result, tmp_path):
    import docx

    document = docx.Document(write_document(result, tmp_path / "审查意见.docx"))
    text = "\n".join(p.text for p in document.paragraphs)
    assert text.count("审查意见：") == 3
    assert "审查结论：禁止" in text and "经办人" in text and "审核人" in text
    assert "东经" in text and "CGCS2000" in text
    assert "长江保护法" in text and "“" in text  # a clause quoted
    tables = document.tables
    overlap = next(t for t in tables if t.rows[0].cells[0].text == "图层" and len(t.columns) == 5)
    assert ["三调地类图斑", "其中耕地小计", "35.0000", "525.00", "35.0"] in [
        [c.text for c in r.cells] for r in overlap.rows
    ]
    land = next(t for t in tables if t.rows[0].cells[0].text == "地类编码")
    assert ["0101", "水田", "20.0000", "300.00", "20.0"] in [[c.text for c in r.cells] for r in land.rows]
    assert len(document.inline_shapes) == 3  # a 附图 for each site (the point drawn as a dot)


def test_docx_keeps_a_bureaus_template(result, tmp_path):
    import docx

    template = make_template(tmp_path / "bureau.docx")
    edited = docx.Document(template)
    edited.sections[0].header.paragraphs[0].text = "宜宾市江安县自然资源和规划局"
    edited.add_paragraph("江安县自然资源和规划局用地审查意见书")
    edited.save(template)
    out = docx.Document(write_document(result, tmp_path / "b.docx", docx_template=template))
    assert out.sections[0].header.paragraphs[0].text == "宜宾市江安县自然资源和规划局"
    assert out.paragraphs[0].text == "江安县自然资源和规划局用地审查意见书"
    with pytest.raises(InputError, match="docx"):
        write_document(result, tmp_path / "c.docx", docx_template=tmp_path / "b.docx.missing")


def test_large_results_give_the_summary_and_the_sections_not_clear(result, tmp_path):
    import docx

    document = docx.Document(write_document(result, tmp_path / "few.docx", max_sections=2))
    text = "\n".join(p.text for p in document.paragraphs)
    assert text.count("审查意见：") == 1 and "审查意见：江边园区" in text
    assert "其余 2 个“未发现冲突”的项目" in text


def test_pdf_text_fonts_and_page_size(result, tmp_path):
    path = write_document(result, tmp_path / "审查意见.pdf")
    text = unicodedata.normalize("NFKC", _poppler("pdftotext", "-layout", path, "-"))
    assert "审查意见:江边园区" in text and "审查结论:禁止" in text  # NFKC: full-width colons → ':'
    assert "第 1 页,共" in text and "经办人" in text and "20.0000" in text
    fonts = _poppler("pdffonts", path).splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts)  # every font embedded
    assert any("WenQuanYi" in line or "Noto" in line for line in fonts)
    info = _poppler("pdfinfo", path)
    assert "(A4)" in info and "595.276 x 841.89" in info


def test_cli_formats_by_suffix(tmp_path):
    source = tmp_path / "p.gpkg"
    frame([{"name": "a", "kind": "industrial_park", "industry": "electronics", "geometry": SITE}]).to_file(source)
    runner = CliRunner()
    out = tmp_path / "r.gpkg"
    done = runner.invoke(main, ["check", str(source), "-o", str(out), "--report", str(tmp_path / "x.doc")])
    assert done.exit_code == 2 and "unknown document format '.doc'" in done.output
    assert not out.exists()  # refused before the check ran
    argv = [
        "check",
        str(source),
        "-o",
        str(out),
        "--report",
        str(tmp_path / "a.pdf"),
        "--report",
        str(tmp_path / "a.xlsx"),
    ]
    done = runner.invoke(main, argv)
    assert done.exit_code == 0, done.output
    assert (tmp_path / "a.pdf").read_bytes()[:5] == b"%PDF-" and (tmp_path / "a.xlsx").read_bytes()[:2] == b"PK"
    done = runner.invoke(main, ["report", str(out), "-o", str(tmp_path / "b.docx"), "-o", str(tmp_path / "b.html")])
    assert done.exit_code == 0, done.output
    assert (tmp_path / "b.docx").exists() and "<html" in (tmp_path / "b.html").read_text(encoding="utf-8")
    done = runner.invoke(main, ["report", str(out), "-o", str(tmp_path / "b.txt")])
    assert done.exit_code == 2 and "unknown document format" in done.output


def test_documents_render_an_older_result_without_overlaps(result, tmp_path):
    import openpyxl

    older = type(result)(result.proposals, result.findings, result.not_checked, result.run_info)
    path = write_document(older, tmp_path / "old.xlsx")
    assert openpyxl.load_workbook(path)["压占分析"].max_row == 3  # title, caveat, header: no rows


def test_a_stored_result_gives_the_same_documents_read_a_chunk_at_a_time(result, tmp_path):
    """A streamed check's documents come from the file (StoredResult), a chunk at a time, the
    same as from the Result in memory."""
    import docx
    import openpyxl

    from chuannan_gis.documents.stored import StoredResult
    from chuannan_gis.report import render_report

    path = result.write(tmp_path / "r.gpkg")
    for limit in (200, 1):
        assert render_report(StoredResult(path, chunk_rows=1), max_sections=limit) == render_report(
            result, max_sections=limit
        )
    for suffix in (".xlsx", ".docx"):
        write_document(result, tmp_path / f"memory{suffix}", max_sections=1)
        write_document(StoredResult(path, chunk_rows=1), tmp_path / f"stored{suffix}", max_sections=1)
    memory, stored = (openpyxl.load_workbook(tmp_path / f"{n}.xlsx") for n in ("memory", "stored"))
    assert memory.sheetnames == stored.sheetnames
    for name in memory.sheetnames:
        assert [[c.value for c in r] for r in memory[name].iter_rows()] == [
            [c.value for c in r] for r in stored[name].iter_rows()
        ]
    paragraphs = [[p.text for p in docx.Document(tmp_path / f"{n}.docx").paragraphs] for n in ("memory", "stored")]
    assert paragraphs[0] == paragraphs[1] and "审查意见：江边园区" in "\n".join(paragraphs[0])


def test_documents_of_a_stored_result_keep_the_memory_bound(tmp_path, monkeypatch):
    """10,000 proposals, chunks of 500: the report and the .xlsx from the file never read more than a
    chunk of rows at once, except the three verdict columns (to count and rank); every row is listed."""
    import geopandas as gpd
    import numpy as np
    import pandas as pd
    import pyogrio

    from chuannan_gis.documents import stored as stored_module
    from chuannan_gis.documents.stored import StoredResult
    from chuannan_gis.report import write_report
    from chuannan_gis.result import FINDING_COLUMNS, Result
    from chuannan_gis.verdicts import VERDICTS

    n, chunk = 10_000, 500
    verdict = np.where(np.arange(n) % 50 == 0, "review", "clear")
    proposals = gpd.GeoDataFrame(
        {
            "proposal_id": np.arange(n),
            "name": [f"地块{i}" for i in range(n)],
            "kind": "project",
            "industry": "electronics",
            "verdict": verdict,
            "verdict_zh": [VERDICTS[v].zh for v in verdict],
            "county": "江安县",
            "summary_zh": "未发现与所检查约束的冲突",
            "summary_en": "no conflict with the constraints checked",
            "citations": "",
            "indicative": False,
        },
        geometry=gpd.points_from_xy(105 + np.arange(n) * 1e-5, np.full(n, 28.8)),
        crs=4490,
    )
    reviewed = np.flatnonzero(verdict == "review")
    findings = pd.DataFrame({"proposal_id": reviewed, "rule_id": "r", "verdict": "review"})
    findings = findings.reindex(columns=FINDING_COLUMNS).assign(advisory=False, near=False, message_zh="需审查")
    path = Result(proposals, findings).write(tmp_path / "big.gpkg")
    reads = []
    read = pyogrio.read_dataframe

    def counted(*args, **kwargs):
        frame = read(*args, **kwargs)
        reads.append((kwargs.get("layer"), len(frame), len(frame.columns)))
        return frame

    monkeypatch.setattr(stored_module.pyogrio, "read_dataframe", counted)
    write_report(StoredResult(path, chunk_rows=chunk), tmp_path / "r.html", max_sections=20)
    write_document(StoredResult(path, chunk_rows=chunk), tmp_path / "r.xlsx")
    wide = [(layer, rows, columns) for layer, rows, columns in reads if rows > chunk and columns > 3]
    assert reads and not wide, wide
    assert (tmp_path / "r.html").read_text(encoding="utf-8").count("<tr><td>") >= n - 20


def test_a_pdf_without_a_cjk_font_is_a_clear_error_not_empty_boxes(result, tmp_path, monkeypatch):
    """A fresh Debian has no font with Chinese glyphs: WeasyPrint would draw every character as an
    empty box.  The PDF is refused, naming the Debian package; nothing is written."""
    from chuannan_gis.documents import figure

    stored = tmp_path / "r.gpkg"
    result.write(stored)
    monkeypatch.setattr(figure, "cjk_font_path", lambda: None)
    pdf = tmp_path / "审查意见.pdf"
    done = CliRunner().invoke(main, ["report", str(stored), "-o", str(pdf)])
    assert done.exit_code == 2, done.output
    assert "fonts-wqy-microhei" in done.output and "Traceback" not in done.output
    assert not pdf.exists()
