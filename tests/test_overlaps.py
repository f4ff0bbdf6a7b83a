"""The 压占分析 (``overlaps``): known areas drawn by hand in EPSG:4544 (conftest's map).

Ground used here: y 3213–3218 km is free of every polygon constraint of the synthetic set; the
red line RL1 lies at x 510–515, y 3160–3165.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely

from chuannan_gis import check
from chuannan_gis.result import Result
from conftest import box_km, frame, synthetic_frames

# A site of 1 km × 1 km = 100 ha at x 520.5–521.5, y 3215–3216, on five 地类 whose boundaries are
# vertical lines at x = 520.7, 520.85, 521.1, 521.3: 20, 15, 25, 20 and 20 ha.
SITE = box_km(520.5, 3215, 521.5, 3216)
LANDUSE = [  # (dlbm, dlmc, xmin, xmax, ymin, ymax); 水田 is two patches, split at y = 3215.5
    ("0101", "水田", 520.0, 520.7, 3213.0, 3215.5),
    ("0101", "水田", 520.0, 520.7, 3215.5, 3218.0),
    ("0103", "旱地", 520.7, 520.85, 3213.0, 3218.0),
    ("0301", "乔木林地", 520.85, 521.1, 3213.0, 3218.0),
    ("0702", "农村宅基地", 521.1, 521.3, 3213.0, 3218.0),
    ("1001", "铁路用地", 521.3, 522.0, 3213.0, 3218.0),
]
EXPECTED_HA = {"0101": 20.0, "0103": 15.0, "0301": 25.0, "0702": 20.0, "1001": 20.0}


def _landuse():
    return frame(
        [
            {
                "dlbm": code,
                "dlmc": name,
                "qsxz": "30",
                "qsdwmc": "某村",
                "tbbh": str(i + 1),
                "geometry": box_km(x0, y0, x1, y1),
            }
            for i, (code, name, x0, x1, y0, y1) in enumerate(LANDUSE)
        ]
    )


def _site(geometry, name="site"):
    return frame([{"name": name, "kind": "industrial_park", "industry": "electronics", "geometry": geometry}])


@pytest.fixture
def with_landuse(make_constraints):
    return make_constraints(landuse=_landuse())


def test_a_site_on_five_land_uses_adds_up_to_its_area(with_landuse):
    result = check(_site(SITE), constraints=with_landuse)
    rows = result.overlaps[result.overlaps["layer"] == "landuse"].set_index("class_value")
    assert set(rows.index) == set(EXPECTED_HA)
    for code, hectares in EXPECTED_HA.items():
        assert rows.loc[code, "area_ha"] == pytest.approx(hectares, abs=1e-6)
    assert rows["area_ha"].sum() == pytest.approx(SITE.area / 10_000, abs=1e-4)  # 100 ha
    assert rows["share_pct"].sum() == pytest.approx(100.0, abs=1e-6)
    assert rows.loc["0301", "class_label"] == "乔木林地" and rows.loc["0301", "class_field"] == "dlbm"
    # the two 水田 patches (fids 0 and 1) are one row: both named, their areas summed
    assert rows.loc["0101", "feature_ids"] == "0,1"
    # 亩 = 公顷 × 15
    np.testing.assert_allclose(rows["area_mu"], rows["area_ha"] * 15)


def test_two_overlapping_red_lines_count_their_shared_ground_once(make_constraints):
    redlines = synthetic_frames()["eco_redlines"]
    second = redlines.iloc[[0]].assign(block_id="RL2", geometry=[box_km(512, 3162, 517, 3167)])
    other_type = redlines.iloc[[0]].assign(
        block_id="RL3", redline_type="水源涵养", geometry=[box_km(515.5, 3163, 517, 3164)]
    )
    constraints = make_constraints(eco_redlines=pd.concat([redlines, second, other_type], ignore_index=True))
    # 2 km × 1 km = 200 ha; RL1 holds its west half (100 ha), RL2 all of it (200 ha): the union is 200 ha
    result = check(_site(box_km(514, 3163, 516, 3164)), constraints=constraints)
    rows = result.overlaps[result.overlaps["layer"] == "eco_redlines"].set_index("class_value")
    assert rows.loc["石漠化", "area_ha"] == pytest.approx(200.0, abs=1e-6)
    assert rows.loc["石漠化", "share_pct"] == pytest.approx(100.0)
    assert rows.loc["石漠化", "feature_ids"] == "0,1"
    assert rows.loc["水源涵养", "area_ha"] == pytest.approx(50.0, abs=1e-6)  # x 515.5–516: 0.5 km²
    assert rows.loc["水源涵养", "area_mu"] == pytest.approx(750.0)


def test_a_layer_without_classes_and_a_point_site(make_constraints):
    farmland = frame([{"geometry": box_km(520, 3213, 521, 3218)}])
    constraints = make_constraints(farmland=farmland)
    sites = pd.concat([_site(SITE, "a"), _site(box_km(520.5, 3215, 520.5, 3215).centroid, "b")], ignore_index=True)
    result = check(sites, constraints=constraints)
    rows = result.overlaps[result.overlaps["layer"] == "farmland"]
    assert rows["proposal_id"].tolist() == [0]  # a point takes no ground
    assert rows["class_value"].tolist() == [""] and rows["area_ha"].iloc[0] == pytest.approx(50.0)


def test_overlaps_are_written_and_read_and_older_results_still_read(with_landuse, tmp_path):
    result = check(_site(SITE), constraints=with_landuse)
    path = result.write(tmp_path / "r.gpkg")
    back = Result.read(path)
    pd.testing.assert_frame_equal(
        back.overlaps.reset_index(drop=True), result.overlaps.reset_index(drop=True), check_dtype=False
    )
    # a Result written before the table existed
    old = tmp_path / "old.gpkg"
    for layer in ("proposals", "findings", "not_checked", "run_info"):
        table = pyogrio.read_dataframe(path, layer=layer, read_geometry=layer == "proposals")
        pyogrio.write_dataframe(table, old, layer=layer, append=old.exists())
    assert len(Result.read(old).overlaps) == 0 and "area_ha" in Result.read(old).overlaps.columns


def test_overlapping_blocks_of_one_type_are_united_per_site_in_one_batch(make_constraints):
    """Three sites checked together, each on the same two overlapping 石漠化 blocks, RL1 at
    x 510–515, y 3160–3165 and RL2 at x 512–517, y 3162–3167: each site's union is its own."""
    redlines = synthetic_frames()["eco_redlines"]
    second = redlines.iloc[[0]].assign(block_id="RL2", geometry=[box_km(512, 3162, 517, 3167)])
    constraints = make_constraints(eco_redlines=pd.concat([redlines, second], ignore_index=True))
    sites = pd.concat(
        [
            # 2 km × 2 km: RL1 holds x 511–513, y 3164–3165 (200 ha), RL2 x 512–513, y 3164–3166
            # (200 ha), both x 512–513, y 3164–3165 (100 ha): 300 ha, not the 400 ha of the sum
            _site(box_km(511, 3164, 513, 3166), "a"),
            # 1 km × 1 km on the same corner: 50 + 50 − 25 ha
            _site(box_km(511.5, 3164.5, 512.5, 3165.5), "b"),
            # wholly inside RL2, half on RL1 (x 514.5–515): all of it, 100 ha, not 150
            _site(box_km(514.5, 3163, 515.5, 3164), "c"),
        ],
        ignore_index=True,
    )
    rows = check(sites, constraints=constraints).overlaps
    rows = rows[rows["layer"] == "eco_redlines"].set_index("proposal_id")
    assert rows["area_ha"].to_dict() == pytest.approx({0: 300.0, 1: 75.0, 2: 100.0}, abs=1e-6)
    assert rows["share_pct"].to_dict() == pytest.approx({0: 75.0, 1: 75.0, 2: 100.0})
    assert rows["feature_ids"].tolist() == ["0,1"] * 3


def test_a_site_wholly_on_both_banks_reserved_shoreline_is_all_on_it():
    """The bundled 岸线 reserved zones (fids 15 and 16, digitised apart) cover this site by Yibin
    wholly: its overlaps with the two add up to its area (1,252 + 85,124 + 280,397 m² on their
    three pieces = 36.68 ha).  Their unsnapped union met the site in a line (0 ha) in GEOS 3.14."""
    site = shapely.Polygon(
        [
            (105.91351678555807, 28.880695522209965),
            (105.90979593087397, 28.882346438764923),
            (105.90563335395335, 28.875078074000733),
            (105.9093540220416, 28.873427274924584),
        ]
    )
    sites = gpd.GeoDataFrame(
        {"name": ["by the river"], "kind": ["project"], "industry": ["other"]}, geometry=[site], crs=4490
    )
    row = check(sites).overlaps.query("layer == 'shoreline_zones'").squeeze()
    assert (row["class_value"], row["feature_ids"]) == ("reserved", "15,16")
    assert row["share_pct"] == pytest.approx(100.0)
    assert row["area_ha"] == pytest.approx(36.677, abs=1e-3)
