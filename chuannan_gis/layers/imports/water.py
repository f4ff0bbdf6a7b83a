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
from dataclasses import dataclass

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
    """(water frame: the kept patches with river_id and river_class, report dict) for DLTB ``frame`` (EPSG:4490).

    In steps: the candidate patches by their code's rule; the always-water patches matched to the
    nearest river line and the match carried along connected patches; reservoirs on or touching
    a river; adjoining codes (river beaches) touching kept water; the kept patches with their
    river, and the report."""
    options = template.options
    match_m, carry_m, touch_m = float(options["match_m"]), float(options["carry_m"]), float(options["touch_m"])
    _require_land_use(frame, file, layer)
    rules = code_rules(template, overrides)
    codes = land_codes(frame, template)
    rule = codes.map(lambda c: rule_of(c, rules))
    water_rows = rule.notna().to_numpy()
    candidates = frame[water_rows & (rule != "never").to_numpy()].copy()
    candidates["DLBM"] = codes[candidates.index]
    lines = rivers.to_crs(MEASURE_CRS)
    reach = _Reach.of(candidates, rule[candidates.index].to_numpy(), lines, touch_m)
    reach.match_always(match_m)
    reach.carry_always(carry_m)
    reach.keep_reservoirs()
    reach.keep_adjoining()
    water = _kept_water(candidates, reach, lines)
    return water, _report(template, rules, codes[water_rows], water, int((~water_rows).sum()))


def _require_land_use(frame, file, layer) -> None:
    if "DLBM" not in frame.columns and "DLMC" not in frame.columns:
        raise LayerError(
            "no land-use code: the template needs DLBM (地类编码) or DLMC (地类名称); map it with "
            "--field DLBM=SOURCE_FIELD",
            file=file,
            layer=layer,
            field="DLBM",
        )


@dataclass
class _Reach:
    """The candidate patches and what is decided about each: ``river`` (index into the lines, −1
    none), ``how`` it was decided, ``kept``; with their distances to every line and the patches
    each touches (within ``touch_m``)."""

    rule: np.ndarray
    distances: np.ndarray  # patch × line, metres
    neighbours: list[list[int]]
    river: np.ndarray
    how: np.ndarray
    kept: np.ndarray
    line_count: int

    @classmethod
    def of(cls, candidates, rule: np.ndarray, lines: gpd.GeoDataFrame, touch_m: float) -> _Reach:
        measured = candidates.geometry.to_crs(MEASURE_CRS).values
        line_geoms = np.asarray(lines.geometry.values)
        n = len(candidates)
        if n and len(lines):
            distances = np.column_stack([shapely.distance(measured, g) for g in line_geoms])
        else:
            distances = np.full((n, max(len(lines), 1)), np.inf)
        left, right = shapely.STRtree(measured).query(measured, predicate="dwithin", distance=touch_m)
        neighbours: list[list[int]] = [[] for _ in range(n)]
        for a, b in zip(left, right, strict=True):
            if a != b:
                neighbours[a].append(b)
        return cls(
            rule,
            distances,
            neighbours,
            np.full(n, -1),
            np.array([""] * n, dtype=object),
            np.zeros(n, dtype=bool),
            len(lines),
        )

    def match_always(self, match_m: float) -> None:
        """Always-water patches: kept; named after the nearest line within ``match_m``."""
        always = np.flatnonzero(self.rule == "always")
        if self.line_count:
            nearest = self.distances.argmin(axis=1)
            for i in always:
                if self.distances[i, nearest[i]] <= match_m:
                    self.river[i], self.how[i] = nearest[i], "matched"
        self.kept[always] = True

    def carry_always(self, carry_m: float) -> None:
        """Carry a match along connected always-patches, within ``carry_m`` of the carried river's line."""
        queue = deque(i for i in np.flatnonzero(self.rule == "always") if self.river[i] >= 0)
        while queue:
            i = queue.popleft()
            for j in self.neighbours[i]:
                if self.rule[j] == "always" and self.river[j] < 0 and self.distances[j, self.river[i]] <= carry_m:
                    self.river[j], self.how[j] = self.river[i], "carried"
                    queue.append(j)

    def keep_reservoirs(self) -> None:
        """Reservoirs: on a river's line, or touching that river's kept patches (then through connected 1103)."""
        reservoir = np.flatnonzero(self.rule == "river")
        for i in reservoir:
            on_line = [k for k in range(self.line_count) if self.distances[i, k] == 0]
            if on_line:
                self.river[i], self.how[i], self.kept[i] = on_line[0], "on the river line", True
        self._spread(reservoir, self._keep_reservoir)

    def keep_adjoining(self) -> None:
        """Adjoining codes (1106 river beaches): where they touch kept water, with its river."""
        self._spread(np.flatnonzero(self.rule == "adjoining"), self._keep_adjoining)

    def _spread(self, rows: np.ndarray, keep) -> None:
        """Apply ``keep`` to the patches of ``rows`` not yet kept until none more is kept."""
        changed = True
        while changed:
            changed = False
            for i in rows:
                if not self.kept[i] and keep(i):
                    changed = True

    def _keep_reservoir(self, i: int) -> bool:
        touching = [self.river[j] for j in self.neighbours[i] if self.kept[j] and self.river[j] >= 0]
        if touching:
            self.river[i], self.how[i], self.kept[i] = Counter(touching).most_common(1)[0][0], "touches the river", True
        return bool(touching)

    def _keep_adjoining(self, i: int) -> bool:
        touching = [j for j in self.neighbours[i] if self.kept[j]]
        if touching:
            ids = [self.river[j] for j in touching if self.river[j] >= 0]
            self.river[i] = Counter(ids).most_common(1)[0][0] if ids else -1
            self.how[i], self.kept[i] = "adjoins river water", True
        return bool(touching)


def _kept_water(candidates, reach: _Reach, lines) -> gpd.GeoDataFrame:
    """The kept patches with their river's id and class (none: an unnamed tributary) and how matched."""
    water = candidates[reach.kept].copy()
    river_kept = reach.river[reach.kept]
    ids = lines["river_id"].to_numpy()
    classes = lines["river_class"].to_numpy()
    water["river_id"] = [ids[r] if r >= 0 else None for r in river_kept]
    water["river_class"] = [classes[r] if r >= 0 else "tributary" for r in river_kept]
    water["match"] = [
        h if r >= 0 else "no river line within reach: unnamed tributary"
        for h, r in zip(reach.how[reach.kept], river_kept, strict=True)
    ]
    return water


def _report(template, rules: dict, water_codes: pd.Series, water: gpd.GeoDataFrame, other: int) -> dict:
    """Per code read, kept and left out; per river matched and carried; the unnamed tributaries."""
    kept_codes = Counter(water["DLBM"])
    return {
        "codes": {
            code: {
                "name": (template.codes.get(code) or template.codes.get(code[:4]) or {}).get("name", ""),
                "rule": rule_of(code, rules),
                "read": int(count),
                "kept": int(kept_codes.get(code, 0)),
                "left_out": int(count - kept_codes.get(code, 0)),
            }
            for code, count in sorted(Counter(water_codes).items())
        },
        "other_land_use": other,
        "rivers": {
            rid: {
                "matched": int(((water["river_id"] == rid) & (water["match"] != "carried")).sum()),
                "carried": int(((water["river_id"] == rid) & (water["match"] == "carried")).sum()),
            }
            for rid in sorted(set(water["river_id"].dropna()))
        },
        "unnamed_tributary": int(water["river_id"].isna().sum()),
    }


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
