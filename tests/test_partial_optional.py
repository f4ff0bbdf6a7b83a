"""An optional layer supplied for part of the region (issue 11): farmland and the urban
development boundary imported for 江安县 (511523) only.  Nothing bundled lies beneath them, so
outside their coverage the layer's silence means nothing: a rule reading it is *not checked*
there (listed in ``not_checked``, named in the proposal's ``not_covered_layers``), never "no farmland
here" and never "outside the urban boundary".

Fixture (EPSG:4544): a 400 m farmland disc and a 2 km urban-boundary disc, 6 km apart, both deep
inside 江安县; electronics parks of 100 m radius: one on the farmland, one inside the urban
boundary, one in 江安县 outside it, one in 江阳区 (510502), outside both coverages.
"""

from __future__ import annotations

import geopandas as gpd
import pytest
import shapely

import chuannan_gis
from chuannan_gis.crs import MEASURE_CRS
from chuannan_gis.layers import load_constraints
from chuannan_gis.layers.imports import import_entries


def _inner_points(county, avoid, step=3000, margin=3000):
    x0, y0, x1, y1 = county.bounds
    inner = county.buffer(-margin)
    return [
        p
        for x in range(int(x0), int(x1), step)
        for y in range(int(y0), int(y1), step)
        if inner.contains(p := shapely.Point(x, y)) and all(p.distance(a) > 2500 for a in avoid)
    ]


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("partial")
    counties = load_constraints().measured("counties").set_index("adcode")
    jiangan, jiangyang = counties.loc["511523"].geometry, counties.loc["510502"].geometry
    inner = _inner_points(jiangan, [])
    farm_centre = inner[len(inner) // 2]
    town_centre = next(p for p in inner if 6000 < p.distance(farm_centre) < 12000)
    for name, centre, radius in (("农田", farm_centre, 400), ("开发边界", town_centre, 2000)):
        gpd.GeoDataFrame({"BSM": [1]}, geometry=[centre.buffer(radius)], crs=MEASURE_CRS).to_file(
            folder / f"{name}.geojson", engine="pyogrio"
        )
    official = folder / "official.gpkg"
    import_entries(
        [
            {"template": "yjjbnt", "source": str(folder / "农田.geojson"), "coverage": "江安县"},
            {"template": "czkfbj", "source": str(folder / "开发边界.geojson"), "coverage": "江安县"},
        ],
        official,
    )
    constraints = load_constraints(official)
    # a 江安 site outside the boundary and a 江阳 site that the rest of the catalog leaves clear
    candidates = {
        "江安边界外": _inner_points(jiangan, [farm_centre, town_centre]),
        "江阳": _inner_points(jiangyang, []),
    }
    sites = {"农田上": farm_centre, "边界内": town_centre}
    for label, points in candidates.items():
        probe = _parks(points)
        result = chuannan_gis.check(probe, constraints=constraints)
        ok = result.proposals["rule_ids"].fillna("").str.fullmatch("(urban_boundary_outside)?")
        sites[label] = points[int(ok.to_numpy().nonzero()[0][0])]
    result = chuannan_gis.check(_parks(list(sites.values()), list(sites)), constraints=constraints)
    return result, constraints


def _parks(points, names=None):
    return gpd.GeoDataFrame(
        {
            "name": names or [f"p{i}" for i in range(len(points))],
            "kind": "industrial_park",
            "industry": "electronics",
        },
        geometry=[p.buffer(100) for p in points],
        crs=MEASURE_CRS,
    )


def _row(result, name):
    return result.proposals.set_index("name").loc[name]


def _rules(result, name):
    pid = _row(result, name)["proposal_id"]
    return set(result.findings.loc[result.findings["proposal_id"] == pid, "rule_id"])


def _not_covered(result, name):
    return set(filter(None, _row(result, name)["not_covered_layers"].split(",")))


def test_the_layers_are_partial(run):
    _, constraints = run
    assert {"farmland", "urban_boundary"} <= constraints.partial
    assert "eco_redlines" not in constraints.partial  # bundled beneath: never partial


def test_inside_the_coverage_the_rules_fire_as_usual(run):
    result, _ = run
    assert _row(result, "农田上")["verdict"] == "prohibited" and "farmland" in _rules(result, "农田上")
    assert "urban_boundary_outside" in _rules(result, "江安边界外")
    assert "urban_boundary_outside" not in _rules(result, "边界内")
    assert not _not_covered(result, "边界内")


def test_outside_the_coverage_the_rules_are_not_checked_not_clear_by_silence(run):
    result, _ = run
    jiangyang = _rules(result, "江阳")
    # the 江阳 park is outside every urban boundary the planner supplied, yet that says nothing there
    assert "urban_boundary_outside" not in jiangyang
    assert _not_covered(result, "江阳") == {"farmland", "urban_boundary"}
    assert not {"farmland_not_covered", "urban_boundary_not_covered"} & set(result.findings["rule_id"])
    notes = result.layer_notes()
    note = notes[
        (notes["proposal_id"] == _row(result, "江阳")["proposal_id"]) & (notes["rule_id"] == "farmland_not_covered")
    ].iloc[0]
    assert note["verdict"] == "clear" and note["layer"] == "farmland"
    assert "江安县 (511523)" in note["message_zh"] and "Jiang'an County (511523)" in note["message_en"]
    assert _row(result, "江阳")["verdict"] == "clear"  # as for a layer not supplied: listed, not guessed
    listed = result.not_checked.set_index("rule_id")
    assert {"farmland", "urban_boundary_outside"} <= set(listed.index)
    assert "仅覆盖江安县 (511523)" in listed.loc["farmland", "reason_zh"]
    assert "covers only Jiang'an County (511523)" in listed.loc["urban_boundary_outside", "reason_en"]


def test_the_dask_engine_gives_the_same_tables(run):
    result, constraints = run
    dask_result = chuannan_gis.check(
        result.proposals[["name", "kind", "industry", "geometry"]],
        constraints=constraints,
        engine="dask",
        partition_rows=2,
    )
    cols = ["proposal_id", "rule_id", "verdict", "message_en"]
    assert dask_result.findings[cols].reset_index(drop=True).equals(result.findings[cols].reset_index(drop=True))
    assert dask_result.not_checked.equals(result.not_checked)
