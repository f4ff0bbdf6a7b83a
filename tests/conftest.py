"""Shared fixtures: a synthetic constraint set with known answers, and a proposal factory.

Everything is drawn in EPSG:4544 (metres, false easting 500 000) as straight shapes, so every
distance a test expects can be worked out by hand.  The set sits inside 川南经济区's box (x ≈
500 km is 105°E, y ≈ 3 200 km is 28.9°N).

Map of the set (x in km, y in km):
- water: Yangtze (mainstream) x 499–500, its east edge at x = 500 (accuracy 50 m);
  沱江 (major tributary) x 540–540.2 (accuracy 20 m); 釜溪河 (tributary) x 520–520.05.
- counties: 江阳区 x 470–530, 沿滩区 x 530–570, both y 3150–3250; east of x = 570 is outside.
- eco_redlines: x 510–515, y 3160–3165 (indicative, accuracy 100 m).
- nature_reserves: core x 505–507, y 3170–3172; experimental x 505–507, y 3174–3176 (30 m).
- shoreline_zones along the Yangtze, x 499–501: protection y 3180–3185, controlled 3185–3190,
  development 3190–3195, reserved 3195–3200 (accuracy 25 m).
- Empty ground for distance tests: y 3205–3250.
"""

from __future__ import annotations

import geopandas as gpd
import pytest
import shapely

from chuannan_gis import check
from chuannan_gis.crs import MEASURE_CRS
from chuannan_gis.layers import ConstraintSet

KM = 1000.0
YANGTZE_EDGE_X = 500 * KM
TUO_EDGE_X = 540.2 * KM
FREE_Y = 3_210 * KM  # a y with no polygon constraint nearby: only distances to rivers matter
REGION_EAST_X = 570 * KM


def box_km(xmin, ymin, xmax, ymax):
    return shapely.box(xmin * KM, ymin * KM, xmax * KM, ymax * KM)


def frame(rows: list[dict]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=MEASURE_CRS)


def synthetic_frames() -> dict[str, gpd.GeoDataFrame]:
    """The layers of the synthetic set (a fresh copy each call, so tests can change them)."""
    return {
        "water": frame(
            [
                {
                    "river_id": "yangtze",
                    "river_class": "mainstream",
                    "accuracy_m": 50.0,
                    "data_status": "official",
                    "geometry": box_km(499, 3150, 500, 3250),
                },
                {
                    "river_id": "tuo",
                    "river_class": "major_tributary",
                    "accuracy_m": 20.0,
                    "data_status": "official",
                    "geometry": box_km(540, 3150, 540.2, 3250),
                },
                {
                    "river_id": "fuxi",
                    "river_class": "tributary",
                    "accuracy_m": 10.0,
                    "data_status": "official",
                    "geometry": box_km(520, 3150, 520.05, 3250),
                },
            ]
        ),
        "rivers": frame(
            [
                {
                    "river_id": "yangtze",
                    "name_zh": "长江",
                    "name_en": "Yangtze",
                    "river_class": "mainstream",
                    "basin_km2": 1_000_000.0,
                    "half_width_m": 500.0,
                    "accuracy_m": 50.0,
                    "geometry": shapely.LineString([(499.5 * KM, 3150 * KM), (499.5 * KM, 3250 * KM)]),
                },
                {
                    "river_id": "tuo",
                    "name_zh": "沱江",
                    "name_en": "Tuo River",
                    "river_class": "major_tributary",
                    "basin_km2": 27_800.0,
                    "half_width_m": 100.0,
                    "accuracy_m": 20.0,
                    "geometry": shapely.LineString([(540.1 * KM, 3150 * KM), (540.1 * KM, 3250 * KM)]),
                },
                {
                    "river_id": "fuxi",
                    "name_zh": "釜溪河",
                    "name_en": "Fuxi River",
                    "river_class": "tributary",
                    "basin_km2": 3_500.0,
                    "half_width_m": 25.0,
                    "accuracy_m": 10.0,
                    "geometry": shapely.LineString([(520.025 * KM, 3150 * KM), (520.025 * KM, 3250 * KM)]),
                },
            ]
        ),
        "counties": frame(
            [
                {
                    "adcode": "510502",
                    "name_zh": "江阳区",
                    "name_en": "Jiangyang",
                    "city_adcode": "510500",
                    "city_zh": "泸州市",
                    "district_zh": "泸州都市区",
                    "accuracy_m": 100.0,
                    "geometry": box_km(470, 3150, 530, 3250),
                },
                {
                    "adcode": "510311",
                    "name_zh": "沿滩区",
                    "name_en": "Yantan",
                    "city_adcode": "510300",
                    "city_zh": "自贡市",
                    "district_zh": "内自都市区",
                    "accuracy_m": 100.0,
                    "geometry": box_km(530, 3150, 570, 3250),
                },
            ]
        ),
        "eco_redlines": frame(
            [
                {
                    "block_id": "RL1",
                    "name_zh": "川东南石漠化敏感生态保护红线",
                    "redline_type": "石漠化",
                    "accuracy_m": 100.0,
                    "data_status": "indicative",
                    "geometry": box_km(510, 3160, 515, 3165),
                },
            ]
        ),
        "nature_reserves": frame(
            [
                {
                    "reserve_id": "R1",
                    "name_zh": "长江上游珍稀特有鱼类国家级自然保护区",
                    "zone": "core",
                    "accuracy_m": 30.0,
                    "geometry": box_km(505, 3170, 507, 3172),
                },
                {
                    "reserve_id": "R1",
                    "name_zh": "长江上游珍稀特有鱼类国家级自然保护区",
                    "zone": "experimental",
                    "accuracy_m": 30.0,
                    "geometry": box_km(505, 3174, 507, 3176),
                },
            ]
        ),
        "shoreline_zones": frame(
            [
                {
                    "zone": zone,
                    "river_id": "yangtze",
                    "bank": "left",
                    "accuracy_m": 25.0,
                    "geometry": box_km(499, y0, 501, y0 + 5),
                }
                for zone, y0 in (("protection", 3180), ("controlled", 3185), ("development", 3190), ("reserved", 3195))
            ]
        ),
        "ports": frame(
            [
                {
                    "port_id": "P1",
                    "name_zh": "宜宾港",
                    "area_zh": "志城作业区",
                    "accuracy_m": 100.0,
                    "geometry": box_km(500, 3192, 501, 3193),
                },
            ]
        ),
    }


@pytest.fixture
def constraints() -> ConstraintSet:
    """The synthetic constraint set (bundled layers only; no optional layer)."""
    return ConstraintSet.from_frames(synthetic_frames())


@pytest.fixture
def make_constraints():
    """Factory: the synthetic set with layers added, replaced (a frame) or removed (None)."""

    def build(**changes) -> ConstraintSet:
        frames = synthetic_frames()
        for name, layer in changes.items():
            if layer is None:
                frames.pop(name)
            else:
                frames[name] = layer
        return ConstraintSet.from_frames(frames)

    return build


@pytest.fixture
def proposals():
    """Factory: a proposals GeoDataFrame in EPSG:4544 from (geometry, kind, industry, status) rows."""

    def build(*rows) -> gpd.GeoDataFrame:
        return frame(
            [
                {"name": f"p{i}", "kind": kind, "industry": industry, "status": status, "geometry": geom}
                for i, (geom, kind, industry, status) in enumerate(rows)
            ]
        )

    return build


def point(x_m: float, y_m: float = FREE_Y):
    return shapely.Point(x_m, y_m)


@pytest.fixture
def run(constraints, proposals):
    """check() a few (geometry, kind, industry, status) rows against the synthetic set."""

    def run_rows(*rows, constraint_set=None, rules=None):
        return check(proposals(*rows), constraints=constraint_set or constraints, rules=rules)

    return run_rows


def fired(result, proposal_id=0) -> dict:
    """rule id → finding row, for one proposal."""
    rows = result.findings[result.findings["proposal_id"] == proposal_id]
    return {row.rule_id: row for row in rows.itertuples()}


def made_with_catalog(result, catalog_name: str):
    """``result`` as if an older catalog (``tests/data/<catalog_name>``) had made it: its run record
    holds that catalog's text, as a Result written before a catalog change does."""
    import dataclasses
    from pathlib import Path

    from chuannan_gis.result import Result

    text = (Path(__file__).parent / "data" / catalog_name).read_text("utf-8")
    return Result(
        result.proposals,
        result.findings,
        result.not_checked,
        dataclasses.replace(result.run_info, rules_text=text, rules_path="old-catalog.yaml"),
    )
