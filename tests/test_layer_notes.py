"""The lean Result (SCHEMA.md "Result"): what a layer cannot see is said once per layer, in
``run_info`` ``layers``, and named per proposal in ``incomplete_layers`` / ``not_covered_layers``;
no findings row is written for it.  Results written before, with one advisory findings row per
proposal and layer, still read, as the same lean Result.

Fixture (EPSG:4544): a planner's official water layer for 江安县 (511523) only, really imported
(``layers import``'s ``import_entries``, then ``load_constraints``: its coverage stored as the
loader stores it, adcodes); chemical parks of 100 m radius, one deep inside 江安县, one in 江阳区.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from pandas.testing import assert_frame_equal

import chuannan_gis
from chuannan_gis.crs import MEASURE_CRS
from chuannan_gis.layers import load_constraints
from chuannan_gis.layers.imports import import_entries
from chuannan_gis.result import Result

DELIVERED_EN = "As delivered by the bureau; complete within its coverage as far as the bureau says."


@pytest.fixture(scope="module")
def checked(tmp_path_factory):
    folder = tmp_path_factory.mktemp("notes")
    counties = load_constraints().measured("counties").set_index("adcode")
    jiangan = counties.loc["511523"].geometry.buffer(-3000).representative_point()
    jiangyang = counties.loc["510502"].geometry.buffer(-3000).representative_point()
    pond = shapely.Point(jiangan.x + 5000, jiangan.y).buffer(300)  # a tributary's water, 5 km off
    gpd.GeoDataFrame({"HLMC": [""], "HLDJ": ["支流"]}, geometry=[pond], crs=MEASURE_CRS).to_file(
        folder / "水面.geojson", engine="pyogrio"
    )
    official = folder / "official.gpkg"
    import_entries([{"template": "water", "source": str(folder / "水面.geojson"), "coverage": "江安县"}], official)
    constraints = load_constraints(official)
    parks = gpd.GeoDataFrame(
        {"name": ["江安", "江阳"], "kind": "industrial_park", "industry": "chemical"},
        geometry=[jiangan.buffer(100), jiangyang.buffer(100)],
        crs=MEASURE_CRS,
    )
    return chuannan_gis.check(parks, constraints=constraints), constraints, tmp_path_factory.mktemp("written")


def _layers(result, name, column="incomplete_layers"):
    row = result.proposals.set_index("name").loc[name]
    return [layer for layer in row[column].split(",") if layer]


def test_an_imported_layer_keeps_its_note_inside_its_coverage(checked):
    result, constraints, _ = checked
    assert constraints.coverage["water"].code == "511523"  # the loader's form: adcodes, not names
    assert "water" in _layers(result, "江安")
    # outside 江安县 the planner's note does not apply; the bundled layers' notes do, everywhere
    assert "water" not in _layers(result, "江阳")
    assert "eco_redlines" in _layers(result, "江阳") and "eco_redlines" in _layers(result, "江安")
    record = {r.name: r for r in result.run_info.layers}["water"]
    assert record.completeness_en == DELIVERED_EN and record.completeness_zh.startswith("按主管部门交付")
    assert record.coverage == "511523" and "江安县" in record.coverage_zh


def test_no_findings_row_says_it_and_the_notes_are_rebuilt_per_proposal(checked):
    result, _, _ = checked
    assert not result.findings["rule_id"].str.endswith(("_incomplete", "_not_covered")).any()
    notes = result.layer_notes()
    jiangan = int(result.proposals.set_index("name").loc["江安", "proposal_id"])
    water = notes[(notes["proposal_id"] == jiangan) & (notes["layer"] == "water")].iloc[0]
    assert (water.rule_id, water.verdict, water.advisory, water.message_en) == (
        "water_incomplete",
        "clear",
        True,
        DELIVERED_EN,
    )
    assert water.title_en.startswith("Layer known to be incomplete") and pd.isna(water.measured)
    # one row per proposal and listed layer, nothing else
    listed = sum(len(_layers(result, name)) for name in ("江安", "江阳"))
    assert len(notes) == listed


def test_the_notes_survive_writing_and_reading(checked):
    result, _, folder = checked
    back = Result.read(result.write(folder / "lean.gpkg"))
    assert back.proposals["incomplete_layers"].tolist() == result.proposals["incomplete_layers"].tolist()
    assert_frame_equal(back.layer_notes(), result.layer_notes(), check_dtype=False)


def test_an_older_result_with_note_rows_reads_as_the_lean_one(checked):
    result, _, folder = checked
    # as Results were written before: the note rows among the findings, no proposal columns
    older = Result(
        result.proposals.drop(columns=["incomplete_layers", "not_covered_layers"]),
        result.findings_with_notes(),
        result.not_checked,
        result.run_info,
    )
    assert len(older.findings) == len(result.findings)  # the rows left findings at once
    path = folder / "older.gpkg"
    Result(result.proposals.drop(columns=["incomplete_layers", "not_covered_layers"]), result.findings).write(path)
    import pyogrio

    pyogrio.write_dataframe(result.findings_with_notes(), path, layer="findings", driver="GPKG")
    back = Result.read(path)
    assert len(pyogrio.read_dataframe(path, layer="findings", read_geometry=False)) > len(back.findings)
    assert_frame_equal(back.findings, Result.read(result.write(folder / "new.gpkg")).findings)
    assert back.proposals["incomplete_layers"].tolist() == result.proposals["incomplete_layers"].tolist()
    notes = lambda r: r.layer_notes()[["proposal_id", "rule_id", "message_zh", "message_en"]]  # noqa: E731
    assert_frame_equal(notes(back), notes(result))
