"""Small, known inputs for the plugin's tests: proposals with Chinese fields and values, and a
synthetic constraint set (used as the bundled set when the real one is not built yet)."""
from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely

# Proposals as a planner's spreadsheet has them: Chinese field names and values.
PROPOSAL_FIELDS = {"name": "名称", "kind": "类型", "industry": "行业", "status": "状态"}
PROPOSALS = [
    ("红线内化工园区", "园区", "化工", "新建", shapely.box(105.62, 29.12, 105.66, 29.16)),
    ("江边码头", "码头", "通用码头", "新建", shapely.Point(105.30, 28.9)),
    ("远离约束的电子园", "园区", "电子", "扩建", shapely.Point(105.2, 29.25)),
    ("保护区内项目", "项目", "其他", "新建", shapely.Point(105.85, 28.65)),
]


def write_proposals(path: Path, geom_type: str | None = None) -> Path:
    """The proposals as a GeoPackage; only those of ``geom_type`` (``Point`` ...) if given."""
    chosen = [row for row in PROPOSALS if geom_type in (None, row[4].geom_type)]
    rows = [dict(zip(PROPOSAL_FIELDS.values(), row[:4])) for row in chosen]
    frame = gpd.GeoDataFrame(rows, geometry=[row[4] for row in chosen], crs="EPSG:4490")
    frame.to_file(path, layer="proposals", engine="pyogrio")
    return path


def _frame(rows: list[dict], geometries, crs="EPSG:4490") -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(rows, geometry=list(geometries), crs=crs)


def constraint_frames() -> dict[str, gpd.GeoDataFrame]:
    region = shapely.box(105.0, 28.5, 106.0, 29.3)
    river = shapely.LineString([(105.0, 28.9), (106.0, 28.9)])
    measured_river = gpd.GeoSeries([river], crs="EPSG:4490").to_crs("EPSG:4544")
    water = measured_river.buffer(500).to_crs("EPSG:4490").iloc[0]
    shore = measured_river.buffer(2000).to_crs("EPSG:4490").iloc[0]
    common = {"data_status": "official", "accuracy_m": 50.0, "source": "plugin test"}
    return {
        "counties": _frame([{"adcode": "510502", "name_zh": "江阳区", "name_en": "Jiangyang",
                             "city_adcode": "510500", "city_zh": "泸州市", "district_zh": "南部都市区", **common}],
                           [region]),
        "zoning": _frame([{"zone_id": "south", "level": "district", "name_zh": "南部都市区",
                           "name_en": "Southern metropolitan district", **common}], [region]),
        "rivers": _frame([{"river_id": "yangtze", "name_zh": "长江", "name_en": "Yangtze",
                           "river_class": "mainstream", "basin_km2": 1.0e6, "half_width_m": 500.0, **common}],
                         [shapely.MultiLineString([river])]),
        "water": _frame([{"river_id": "yangtze", "river_class": "mainstream", **common}], [water]),
        "eco_redlines": _frame([{"block_id": "R1", "name_zh": "测试红线", "redline_type": "水源涵养",
                                 **common, "data_status": "indicative"}],
                               [shapely.box(105.6, 29.1, 105.7, 29.2)]),
        "nature_reserves": _frame([{"reserve_id": "N1", "name_zh": "测试保护区", "zone": "core", **common}],
                                  [shapely.box(105.8, 28.6, 105.9, 28.7)]),
        "shoreline_zones": _frame([{"zone": "development", "river_id": "yangtze", "bank": "left", **common}],
                                  [shore]),
        "ports": _frame([{"port_id": "P1", "name_zh": "测试港", "area_zh": "测试作业区", **common}],
                        [shapely.box(105.29, 28.89, 105.31, 28.91)]),
    }


def write_constraints(path: Path) -> Path:
    """The synthetic set as a GeoPackage laid out like the bundled one (layers + layer_metadata)."""
    from chuannan_gis.layers import ConstraintSet

    constraints = ConstraintSet.from_frames(constraint_frames(), origin=path.name)
    for name, frame in constraints.layers.items():
        pyogrio.write_dataframe(frame.reset_index(drop=True), path, layer=name, driver="GPKG")
    pyogrio.write_dataframe(pd.DataFrame(constraints.metadata), path, layer="layer_metadata", driver="GPKG")
    return path
