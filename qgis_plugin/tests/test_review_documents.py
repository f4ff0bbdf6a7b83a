"""chuannan:reviewdocuments in a real QGIS: the .xlsx, .docx and .pdf of a Result, from the toolbox."""
from __future__ import annotations

import subprocess
import zipfile

from tests.data import write_proposals
from tests.test_processing import run_check


def test_review_documents_writes_each_format_of_a_result(processing_env, tmp_path):
    proposals = write_proposals(tmp_path / "proposals.gpkg")
    run_check(processing_env, proposals, tmp_path)
    folder = tmp_path / "documents"
    outputs = processing_env.run("chuannan:reviewdocuments", {"RESULT": str(tmp_path / "result.gpkg"),
                                                              "OUTPUT": str(folder)})
    assert sorted(outputs["FILES"]) == sorted(str(folder / f"审查意见.{s}") for s in ("docx", "pdf", "xlsx"))
    workbook = zipfile.ZipFile(folder / "审查意见.xlsx").read("xl/workbook.xml").decode("utf-8")
    for sheet in ("审查意见表", "压占分析", "地类明细", "依据", "数据来源"):
        assert f'name="{sheet}"' in workbook
    import docx

    text = "\n".join(p.text for p in docx.Document(folder / "审查意见.docx").paragraphs)
    assert "审查意见：" in text and "经办人" in text
    info = subprocess.run(["pdfinfo", str(folder / "审查意见.pdf")], check=True, capture_output=True, text=True).stdout
    assert "(A4)" in info


def test_review_documents_writes_only_the_formats_chosen(processing_env, tmp_path):
    proposals = write_proposals(tmp_path / "proposals.gpkg")
    run_check(processing_env, proposals, tmp_path)
    folder = tmp_path / "only"
    outputs = processing_env.run("chuannan:reviewdocuments", {"RESULT": str(tmp_path / "result.gpkg"),
                                                              "FORMATS": [0], "OUTPUT": str(folder)})
    assert outputs["FILES"] == [str(folder / "审查意见.xlsx")] and sorted(p.name for p in folder.iterdir()) == [
        "审查意见.xlsx"]
