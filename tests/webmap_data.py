"""Synthetic inputs for the web-map tests: a small constraint set near 泸州 and a Result to draw.

Coordinates are built in GK zone 35 (EPSG:4544; E 500 000 is the central meridian 105°E), where
metres are easy to reason about, and stored in EPSG:4490 like every constraint set.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from chuannan_gis.crs import MEASURE_CRS, STORAGE_CRS
from chuannan_gis.layers import ConstraintSet
from chuannan_gis.result import Result
from chuannan_gis.rules import bundled_rules_path
from chuannan_gis.verdicts import CODES, VERDICTS

XSS_NAME = "<img src=x onerror=alert(1)>"
SCRIPT_NAME = "</script><script>window.__pwned = 1</script>"
N0 = 3_190_000  # northing of the mainstream's centre


def _frame(rows: list[dict], geoms: list) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(rows, geometry=geoms, crs=MEASURE_CRS)


def constraint_set() -> ConstraintSet:
    box = shapely.box
    frames = {
        "counties": _frame(
            [
                {
                    "adcode": "510502",
                    "name_zh": "江阳区",
                    "name_en": "Jiangyang",
                    "city_adcode": "510500",
                    "city_zh": "泸州市",
                    "district_zh": "泸州都市区",
                },
                {
                    "adcode": "510503",
                    "name_zh": "纳溪区",
                    "name_en": "Naxi",
                    "city_adcode": "510500",
                    "city_zh": "泸州市",
                    "district_zh": "泸州都市区",
                },
            ],
            [box(470_000, 3_170_000, 500_000, 3_210_000), box(500_000, 3_170_000, 530_000, 3_210_000)],
        ),
        "zoning": _frame(
            [{"zone_id": "luzhou", "level": "district", "name_zh": "泸州都市区", "name_en": "Luzhou"}],
            [box(470_000, 3_170_000, 530_000, 3_210_000)],
        ),
        "water": _frame(
            [
                {"river_id": "changjiang", "river_class": "mainstream"},
                {"river_id": "tuojiang", "river_class": "major_tributary"},
                {"river_id": "xiaohe", "river_class": "tributary"},
            ],
            [
                box(470_000, N0 - 300, 530_000, N0 + 300),
                box(505_000, N0 + 300, 505_200, 3_210_000),
                box(480_000, 3_170_000, 480_050, N0 - 300),
            ],
        ),
        "eco_redlines": _frame(
            [{"block_id": "b1", "name_zh": "盆中城市饮用水水源—水土保持生态保护红线", "redline_type": "水源涵养"}],
            [box(485_000, 3_195_000, 490_000, 3_200_000)],
        ),
        "nature_reserves": _frame(
            [
                {
                    "reserve_id": "fish",
                    "name_zh": "长江上游珍稀特有鱼类国家级自然保护区",
                    "zone": "unzoned",
                    "data_status": "indicative",
                    "accuracy_m": 500.0,
                }
            ],
            [box(510_000, N0 - 300, 528_000, N0 + 300)],
        ),
        "shoreline_zones": _frame(
            [
                {"zone": "protection", "river_id": "changjiang", "bank": "left"},
                {"zone": "development", "river_id": "changjiang", "bank": "left"},
            ],
            [box(480_000, N0 - 300, 495_000, N0 + 800), box(495_000, N0 - 300, 510_000, N0 + 800)],
        ),
        "ports": _frame(
            [{"port_id": "luzhou", "name_zh": "泸州港", "area_zh": "<b>龙溪口</b> 作业区"}],
            [box(500_000, N0 + 300, 501_000, N0 + 700)],
        ),
    }
    return ConstraintSet.from_frames(frames, origin="synthetic.gpkg")


def result(n: int = 60, seed: int = 7, rules_text: str | None = None) -> Result:
    """``n`` proposals spread over the synthetic set; verdicts cycle through all five codes.

    Every tenth is a park polygon (800 m square), the rest points.  Proposal 0 carries an XSS
    name, proposal 1 a name that tries to close the script element.  Certainty (SCHEMA.md): the
    fired verdicts of proposals 25–29, 55–59, … are within the data's accuracy (the prohibited
    ones among them parks: 25, 55, …), of 20–24, 50–54, … unstated, the others certain.
    """
    rng = np.random.default_rng(seed)
    east = rng.uniform(472_000, 528_000, n)
    north = rng.uniform(3_172_000, 3_208_000, n)
    sites = shapely.points(east, north)
    parks = np.arange(n) % 10 == 5  # prohibited ones, as verdicts cycle by five
    sites[parks] = shapely.box(east[parks] - 400, north[parks] - 400, east[parks] + 400, north[parks] + 400)
    verdicts = [CODES[i % len(CODES)] for i in range(n)]
    certainty = [
        "" if v in ("clear", "unknown") else {5: "within_accuracy", 4: "unstated"}.get((i // 5) % 6, "certain")
        for i, v in enumerate(verdicts)
    ]
    names = [XSS_NAME, SCRIPT_NAME] + [f"拟建园区 {i}" for i in range(2, n)]
    proposals = gpd.GeoDataFrame(
        {
            "name": names[:n],
            "kind": "industrial_park",
            "industry": "chemical",
            "status": "new",
            "proposal_id": np.arange(n),
            "verdict": verdicts,
            "verdict_zh": [VERDICTS[v].zh for v in verdicts],
            "county": "江阳区",
            "city": "泸州市",
            "district": "泸州都市区",
            "rule_ids": ["" if v == "clear" else "yrpl26_chemical_1km" for v in verdicts],
            "summary_zh": [f"结论：{VERDICTS[v].zh}" for v in verdicts],
            "summary_en": [f"verdict: {v}" for v in verdicts],
            "citations": ["" if v == "clear" else "长江保护法 第二十六条" for v in verdicts],
            "indicative": [v == "review" for v in verdicts],
            "certainty": certainty,
        },
        geometry=sites,
        crs=MEASURE_CRS,
    ).to_crs(STORAGE_CRS)
    distances = np.round(rng.uniform(10, 999, n), 1)  # each message differs, as the engine's do
    findings = pd.DataFrame(
        [
            {
                "proposal_id": i,
                "rule_id": "yrpl26_chemical_1km",
                "verdict": v,
                "measured": distances[i],
                "unit": "m",
                "threshold": 1000.0,
                "layer": "water",
                "feature_id": 1,
                "data_status": "official",
                "accuracy_m": 30.0,
                "citation": "长江保护法 第二十六条",
                "message_zh": f"距长江干流岸线 {distances[i]} 米 <1 公里>",
                "message_en": f"{distances[i]} m from the Yangtze shoreline <1 km>",
                "title_zh": "长江干支流岸线1公里内新建、扩建化工园区和化工项目",
                "title_en": "New or expanded chemical park or project within 1 km of the Yangtze shoreline",
                "advisory": False,
                "near": v == "review",
                "certainty": certainty[i],
            }
            for i, v in enumerate(verdicts)
            if v != "clear"
        ]
    )
    run_info = {
        "rules_path": "catalog.yaml",
        "rules_text": bundled_rules_path().read_text(encoding="utf-8") if rules_text is None else rules_text,
        "constraints_path": "synthetic.gpkg",
        "constraints_fingerprint": constraint_set().fingerprint,
    }
    return Result(proposals, findings, run_info=run_info)
