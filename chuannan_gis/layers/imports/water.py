"""三调 DLTB patches → the ``water`` layer: which land-use codes are river water, and which river.

A DLTB patch names no river.  Each kept patch takes the nearest river line (the planner's
``--rivers``, else the bundled centrelines) within ``match_m`` (default 2 000 m: the bundled WDBII
lines are off by up to ~1.4 km); along connected 1101 patches a river's id is carried on up to
``carry_m`` from its line, so a reach keeps its class where the line drifts away; a patch that
matches no river stays water of class ``tributary`` with an empty ``river_id`` (never dropped).
The rule per code is the template's ``codes`` table (``always`` / ``river`` / ``adjoining`` /
``never``), overridable per import (``--code 1103=never``).
"""

from __future__ import annotations

from collections import Counter, deque

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ...crs import MEASURE_CRS
from ...errors import LayerError

RULES = ("always", "river", "adjoining", "never")


def land_codes(frame: pd.DataFrame, template) -> pd.Series:
    """The normalised DLBM of each patch ('1101', '1104A' …); from DLMC where DLBM is blank."""
    code = frame["DLBM"].astype(str).str.strip().str.upper() if "DLBM" in frame.columns else pd.Series("", frame.index)
    code = code.where(~code.isin(["", "NAN", "NONE", "<NA>"]), "")
    if "DLMC" in frame.columns:
        by_name = frame["DLMC"].astype(str).str.strip().map(template.names)
        code = code.where(code != "", by_name.fillna(""))
    return code


def code_rules(template, overrides: dict | None) -> dict[str, str]:
    rules = {code: spec["rule"] for code, spec in template.codes.items()}
    for code, rule in (overrides or {}).items():
        if rule not in RULES:
            raise LayerError(f"--code {code}={rule}: the rule must be one of {', '.join(RULES)}", field="DLBM")
        rules[str(code).upper()] = rule
    return rules


def rule_of(code: str, rules: dict) -> str | None:
    """The rule of a code; an unlisted 11xx variant (1104B) takes its 4-digit parent's; non-water: None."""
    if not code.startswith("11"):
        return None
    return rules.get(code, rules.get(code[:4], "never"))


def classify(frame: gpd.GeoDataFrame, template, rivers: gpd.GeoDataFrame, overrides=None, file=None, layer=None):
    """(water frame: the kept patches with river_id and river_class, report dict) for DLTB ``frame`` (EPSG:4490)."""
    options = template.options
    match_m, carry_m, touch_m = float(options["match_m"]), float(options["carry_m"]), float(options["touch_m"])
    if "DLBM" not in frame.columns and "DLMC" not in frame.columns:
        raise LayerError(
            "no land-use code: the template needs DLBM (地类编码) or DLMC (地类名称); map it with "
            "--field DLBM=SOURCE_FIELD",
            file=file,
            layer=layer,
            field="DLBM",
        )
    rules = code_rules(template, overrides)
    codes = land_codes(frame, template)
    rule = codes.map(lambda c: rule_of(c, rules))
    water_rows = rule.notna().to_numpy()
    candidates = frame[water_rows & (rule != "never").to_numpy()].copy()
    candidates["DLBM"] = codes[candidates.index]
    candidates["_rule"] = rule[candidates.index]
    measured = candidates.geometry.to_crs(MEASURE_CRS).values
    lines = rivers.to_crs(MEASURE_CRS)
    line_geoms = np.asarray(lines.geometry.values)
    n = len(candidates)
    river = np.full(n, -1)  # index into lines, -1 none
    how = np.array([""] * n, dtype=object)
    if n and len(lines):
        distances = np.column_stack([shapely.distance(measured, g) for g in line_geoms])
    else:
        distances = np.full((n, max(len(lines), 1)), np.inf)
    tree = shapely.STRtree(measured)
    left, right = tree.query(measured, predicate="dwithin", distance=touch_m)
    neighbours = [[] for _ in range(n)]
    for a, b in zip(left, right, strict=True):
        if a != b:
            neighbours[a].append(b)
    rule_arr = candidates["_rule"].to_numpy()

    always = np.flatnonzero(rule_arr == "always")
    if len(lines):
        nearest = distances.argmin(axis=1)
        for i in always:
            if distances[i, nearest[i]] <= match_m:
                river[i], how[i] = nearest[i], "matched"
    # carry along connected always-patches, within carry_m of the carried river's line
    queue = deque(i for i in always if river[i] >= 0)
    while queue:
        i = queue.popleft()
        for j in neighbours[i]:
            if rule_arr[j] == "always" and river[j] < 0 and distances[j, river[i]] <= carry_m:
                river[j], how[j] = river[i], "carried"
                queue.append(j)
    kept = np.zeros(n, dtype=bool)
    kept[always] = True
    # reservoirs: on a matched river's line, or touching that river's kept patches (then through connected 1103)
    reservoir = np.flatnonzero(rule_arr == "river")
    for i in reservoir:
        on_line = [k for k in range(len(line_geoms)) if distances[i, k] == 0]
        if on_line:
            river[i], how[i], kept[i] = on_line[0], "on the river line", True
    changed = True
    while changed:
        changed = False
        for i in reservoir:
            if kept[i]:
                continue
            touching = [river[j] for j in neighbours[i] if kept[j] and river[j] >= 0]
            if touching:
                river[i], how[i], kept[i] = Counter(touching).most_common(1)[0][0], "touches the river", True
                changed = True
    # adjoining codes (1106 river beaches): where they touch kept water, with its river
    adjoining = np.flatnonzero(rule_arr == "adjoining")
    changed = True
    while changed:
        changed = False
        for i in adjoining:
            if kept[i]:
                continue
            touching = [j for j in neighbours[i] if kept[j]]
            if touching:
                ids = [river[j] for j in touching if river[j] >= 0]
                river[i] = Counter(ids).most_common(1)[0][0] if ids else -1
                how[i], kept[i] = "adjoins river water", True
                changed = True

    water = candidates[kept].copy()
    river_kept = river[kept]
    ids = lines["river_id"].to_numpy()
    classes = lines["river_class"].to_numpy()
    water["river_id"] = [ids[r] if r >= 0 else None for r in river_kept]
    water["river_class"] = [classes[r] if r >= 0 else "tributary" for r in river_kept]
    water["match"] = [
        h if r >= 0 else "no river line within reach: unnamed tributary"
        for h, r in zip(how[kept], river_kept, strict=True)
    ]
    water = water.drop(columns="_rule")

    all_codes = codes[water_rows]
    kept_codes = Counter(water["DLBM"])
    report = {
        "codes": {
            code: {
                "name": (template.codes.get(code) or template.codes.get(code[:4]) or {}).get("name", ""),
                "rule": rule_of(code, rules),
                "read": int(count),
                "kept": int(kept_codes.get(code, 0)),
                "left_out": int(count - kept_codes.get(code, 0)),
            }
            for code, count in sorted(Counter(all_codes).items())
        },
        "other_land_use": int((~water_rows).sum()),
        "rivers": {
            rid: {
                "matched": int(((water["river_id"] == rid) & (water["match"] != "carried")).sum()),
                "carried": int(((water["river_id"] == rid) & (water["match"] == "carried")).sum()),
            }
            for rid in sorted(set(water["river_id"].dropna()))
        },
        "unnamed_tributary": int(water["river_id"].isna().sum()),
    }
    return water, report


def format_report(report: dict) -> list[str]:
    lines = []
    for code, row in report["codes"].items():
        lines.append(
            f"  {code} {row['name']}: read {row['read']}, kept {row['kept']}, left out {row['left_out']} "
            f"(rule: {row['rule']})"
        )
    lines.append(f"  other land use (not 11xx): {report['other_land_use']} patches, not water")
    for rid, row in report["rivers"].items():
        lines.append(f"  river {rid}: {row['matched']} patches matched, {row['carried']} carried along the reach")
    lines.append(f"  unnamed tributary (no river line within reach): {report['unnamed_tributary']} patches")
    return lines
