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


def _pdf(tool, path) -> str:
    return subprocess.run([tool, str(path)] + (["-"] if tool == "pdftotext" else []), check=True,
                          capture_output=True, text=True).stdout


def test_print_map_gives_a_page_per_proposal_from_the_template(processing_env, tmp_path):
    import unicodedata

    import chuannan_gis

    proposals = write_proposals(tmp_path / "proposals.gpkg")
    run_check(processing_env, proposals, tmp_path)
    result = chuannan_gis.result.Result.read(tmp_path / "result.gpkg")
    output = tmp_path / "map.pdf"
    processing_env.run("chuannan:printmap", {"RESULT": str(tmp_path / "result.gpkg"), "OUTPUT": str(output)})
    info = _pdf("pdfinfo", output)
    assert f"Pages:           {len(result.proposals)}" in info
    text = unicodedata.normalize("NFKC", _pdf("pdftotext", output))
    for name in result.proposals["name"]:
        assert name in text
    assert "审查结论:" in text and "数据来源" in text and "制图日期" in text
    # the legend names what the page draws by its Chinese title, never a layer's code name
    assert "县级行政区" in text and "水面" in text
    assert not any(line.strip() in ("water", "counties", "shoreline_zones") for line in text.splitlines())
    fonts = _pdf("pdffonts", output).splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts)

    one = tmp_path / "one.pdf"
    name = result.proposals["name"].iloc[0]
    processing_env.run("chuannan:printmap", {"RESULT": str(tmp_path / "result.gpkg"), "PROPOSAL": name,
                                             "OUTPUT": str(one)})
    assert "Pages:           1" in _pdf("pdfinfo", one) and name in _pdf("pdftotext", one)
