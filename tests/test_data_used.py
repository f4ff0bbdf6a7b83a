"""Every face names the data a check used (issue 11, deliver 4): an official red-line layer for
江安县 imported with `layers import`, checked through the CLI, then `report` and `map` of the stored
Result name it with its source, date and coverage; a clear verdict resting on indicative layers
says which.

Fixture: a red line of 1.5 km radius around a point inside 江安县 (511523), imported with the
`redline` template and coverage 江安县.  Proposals (electronics parks): one inside the red line,
one clear deep inside 江安县 (the red lines there are official), one clear in 江阳区 (510502, outside
the coverage: the red lines there are the bundled indicative ones).
"""

from __future__ import annotations

import json
import re

import geopandas as gpd
import pytest
import shapely
from click.testing import CliRunner

from chuannan_gis import provenance
from chuannan_gis.cli import main
from chuannan_gis.crs import MEASURE_CRS
from chuannan_gis.layers import load_constraints
from chuannan_gis.layers.imports import import_entries
from chuannan_gis.result import Result

SOURCE = "江安县三区三线成果（测试）"
DATE = "2023-10"


def _clear_site(candidates, official):
    """The first candidate (EPSG:4544 point) that a small electronics park is clear at."""
    import chuannan_gis

    frame = gpd.GeoDataFrame(
        {"name": [f"site{i}" for i in range(len(candidates))], "kind": "industrial_park", "industry": "electronics"},
        index=range(len(candidates)),
        geometry=[p.buffer(100) for p in candidates],
        crs=MEASURE_CRS,
    )
    verdicts = chuannan_gis.check(frame, constraints=official).proposals["verdict"].tolist()
    return next(p for p, v in zip(candidates, verdicts) if v == "clear")


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("official")
    counties = load_constraints().measured("counties").set_index("adcode")
    jiangan, jiangyang = counties.loc["511523"].geometry, counties.loc["510502"].geometry
    centre = jiangan.representative_point()
    red = gpd.GeoDataFrame(
        {"BSM": [1], "HXMC": ["江安测试生态保护红线"], "HXLX": ["水源涵养"]},
        geometry=[centre.buffer(1500)],
        crs=MEASURE_CRS,
    )
    red.to_file(folder / "红线.geojson", engine="pyogrio")
    official = folder / "official.gpkg"
    import_entries(
        [
            {
                "template": "redline",
                "source": str(folder / "红线.geojson"),
                "coverage": "江安县",
                "constants": {"date": DATE, "source": SOURCE, "accuracy_m": 2},
            }
        ],
        official,
    )

    def grid(county, step=4000):
        x0, y0, x1, y1 = county.bounds
        inner = county.buffer(-3000)  # well inside: a bundled feature across the boundary cannot reach it
        return [
            p
            for x in range(int(x0), int(x1), step)
            for y in range(int(y0), int(y1), step)
            if inner.contains(p := shapely.Point(x, y)) and p.distance(centre) > 3000
        ]

    sites = [centre, _clear_site(grid(jiangan), official), _clear_site(grid(jiangyang), official)]
    proposals = gpd.GeoDataFrame(
        {
            "name": ["红线内园区", "江安无冲突园区", "江阳无冲突园区"],
            "kind": "industrial_park",
            "industry": "electronics",
        },
        geometry=[p.buffer(100) for p in sites],
        crs=MEASURE_CRS,
    )
    proposals.to_file(folder / "proposals.gpkg", engine="pyogrio")
    runner = CliRunner()
    out = {"result": folder / "result.gpkg", "report": folder / "report.html", "map": folder / "map.html"}
    for args in (
        ["check", str(folder / "proposals.gpkg"), "--layers", str(official), "-o", str(out["result"])],
        ["report", str(out["result"]), "-o", str(out["report"])],
        ["map", str(out["result"]), "-o", str(out["map"])],
    ):
        outcome = runner.invoke(main, args, catch_exceptions=False)
        assert outcome.exit_code in (0, 1, 3, 4, 5), outcome.output  # exit status: the worst verdict
        assert out[{"check": "result", "report": "report", "map": "map"}[args[0]]].exists(), outcome.output
    return {**out, "official": official}


def _by_name(result, name):
    return result.proposals.set_index("name").loc[name]


def test_the_run_record_names_the_official_layer_with_source_and_coverage(run):
    result = Result.read(run["result"])
    assert _by_name(result, "红线内园区")["verdict"] == "prohibited"
    assert _by_name(result, "江安无冲突园区")["verdict"] == "clear"
    assert _by_name(result, "江阳无冲突园区")["verdict"] == "clear"
    record = {r.name: r for r in result.run_info.layers}["eco_redlines"]
    assert (record.status, record.coverage, record.source) == ("mixed", "511523", SOURCE)
    used = {u.layer: u for u in provenance.data_used(result, result.constraint_set())}
    assert used["eco_redlines"].date == DATE
    assert used["eco_redlines"].coverage_zh == "江安县 (511523)"
    assert used["eco_redlines"].coverage_en == "Jiang'an County (511523)"  # English names in English text
    assert used["water"].status == "indicative" and used["water"].coverage == "region"


def test_report_names_each_layer_with_status_source_date_and_county(run):
    page = run["report"].read_text(encoding="utf-8")
    assert "数据来源" in page and "Data used" in page
    row = re.search(r'<tr data-layer="eco_redlines" data-status="mixed">(.*?)</tr>', page, re.S).group(1)
    assert SOURCE in row and DATE in row and "江安县 (511523)" in row
    assert "Jiang&#39;an County (511523)" in row or "Jiang'an County (511523)" in row
    assert "覆盖范围内为官方数据，范围外为示意数据" in row and "official inside its coverage" in row
    water = re.search(r'<tr data-layer="water" data-status="(\w+)">(.*?)</tr>', page, re.S)
    assert water.group(1) == "indicative" and "川南经济区全域" in water.group(2)


def _section(page, name):
    start = page.index(f"{name} <span")
    return page[
        start : page.index('<div class="proposal"', start) if '<div class="proposal"' in page[start:] else len(page)
    ]


def test_a_clear_verdict_says_which_indicative_layers_it_rests_on(run):
    page = run["report"].read_text(encoding="utf-8")
    outside = _section(page, "江阳无冲突园区")
    assert "未发现冲突；所依据的示意图层：" in outside and "clear; indicative layers checked here:" in outside
    assert "生态保护红线 (eco_redlines)" in outside  # bundled red lines decide outside the coverage
    inside = _section(page, "江安无冲突园区")
    assert "所依据的示意图层：" in inside  # water, reserves … are still the bundled ones here
    assert "(eco_redlines)" not in re.search(r'class="clear-indicative">(.*?)</p>', inside, re.S).group(1)
    assert "clear-indicative" not in _section(page, "红线内园区")  # only clear verdicts carry it


def _legend(page):
    match = re.search(re.escape("chuannanWebmap.legend("), page)
    return json.JSONDecoder().raw_decode(page, page.index("{", match.end()))[0]


def test_map_of_the_stored_result_redraws_and_names_the_official_layer(run):
    page = run["map"].read_text(encoding="utf-8")
    legend = _legend(page)
    assert legend["dataUsedTitle"] == ["数据来源", "Data used"]
    used = {row["layer"]: row for row in legend["dataUsed"]}
    red = used["eco_redlines"]
    assert (red["status"], red["source"], red["date"]) == ("mixed", SOURCE, DATE)
    assert red["coverage"] == "江安县 (511523) / Jiang'an County (511523)"
    assert red["statusLabel"][1] == "mixed: official inside its coverage, indicative outside"
    assert "江安测试生态保护红线" in page  # the official feature itself is drawn (the set the check used)
    assert "注意：所绘约束图层与检查时所用的不同" not in page
    strings = page[page.index('"strings"') :]
    assert "所依据的示意图层：" in strings and "indicative layers checked here:" in strings


def test_the_legend_lists_the_data_used_in_a_real_browser(run):
    from test_webmap_browser import CHROMIUM_ARGS, Page

    pytest.importorskip("playwright")
    import os
    import shutil
    from pathlib import Path

    chromium = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    if not (shutil.which(chromium) or Path(chromium).exists()):
        pytest.skip("no Chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chrome = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            page = Page(chrome, run["map"])
            text = page.page.locator('.cn-data-used li[data-layer="eco_redlines"]').text_content()  # folded
            popup = page.open_popup(2)  # 江阳无冲突园区: clear, outside the coverage
            assert page.errors_besides_tiles() == []
        finally:
            chrome.close()
    assert SOURCE in text and DATE in text and "江安县 (511523)" in text and "mixed" in text
    assert "所依据的示意图层：" in popup and "生态保护红线 (eco_redlines)" in popup


def test_a_clear_verdict_on_indicative_layers_is_flagged_indicative(run):
    """SCHEMA.md: ``indicative`` is true when the verdict is clear and a layer checked there is
    indicative; the flag and the layers the report names come from one function, so they agree."""
    result = Result.read(run["result"])
    named = provenance.indicative_layers_checked(result, result.constraint_set())
    for name in ("江安无冲突园区", "江阳无冲突园区"):
        row = _by_name(result, name)
        assert row["verdict"] == "clear" and bool(row["indicative"]) and named[int(row["proposal_id"])]
        assert "based on indicative data" in row["summary_en"] and "示意" in row["summary_zh"]


def test_a_clear_verdict_on_official_layers_only_is_not_indicative(run):
    import chuannan_gis
    from chuannan_gis.layers import ConstraintSet

    bundled = load_constraints()
    official = ConstraintSet.from_frames({n: g.assign(data_status="official") for n, g in bundled.layers.items()})
    proposals = gpd.read_file(run["result"], layer="proposals")[["name", "kind", "industry", "geometry"]]
    checked = chuannan_gis.check(proposals, constraints=official).proposals.set_index("name")
    row = checked.loc["江阳无冲突园区"]
    assert row["verdict"] == "clear" and not bool(row["indicative"])
    assert "indicative" not in row["summary_en"]
