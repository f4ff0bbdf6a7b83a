"""What the web map shows, as display-ready GeoJSON: constraint layers, shoreline bands, proposals.

Everything here is data for the page's runtime (``static/webmap.js``), which draws it and
builds popups and the legend with DOM text nodes, so no string from data is ever parsed as HTML.
Geometry is simplified for display in metres (EPSG:4544), preserving topology — shared edges too
where a layer is a clean polygon coverage — then moved into the basemap's datum and rounded.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import mapping

from ..crs import MEASURE_CRS, STORAGE_CRS, WGS84, convert_datum
from ..layers.schema import LAYERS
from ..layers.styles import Symbol, layer_style, style_table
from ..rules import RIVER_LAYERS, load_rules
from ..verdicts import CERTAINTY, RANK, VERDICTS, WITHIN_ACCURACY_LOOK, verdict_text

DEFAULT_TOLERANCE_M = 20.0
# 5 decimals of a degree is about 1 m here: far below any display tolerance worth using.
DISPLAY_DECIMALS = 5


# The style table's widths are QGIS millimetres; Leaflet draws in CSS pixels (96 per inch).
PX_PER_MM = 96 / 25.4
DASH_ARRAYS = {"solid": None, "dash": "6 4", "dot": "1 4", "none": None}


@dataclass(frozen=True)
class Style:
    """A Leaflet path style; ``fill=None`` draws the outline only, ``stroke=False`` no outline."""

    colour: str
    fill: str | None = None
    fill_opacity: float = 0.3
    weight: float = 1.5
    dash: str | None = None
    stroke: bool = True

    @classmethod
    def of(cls, symbol: Symbol) -> Style:
        """The web map's drawing of a symbol of the style table (``layers/styles.yaml``)."""
        return cls(
            symbol.stroke,
            symbol.fill,
            symbol.opacity,
            round(symbol.width * PX_PER_MM, 1),
            DASH_ARRAYS[symbol.stroke_style],
            symbol.stroke_style != "none",
        )

    def as_js(self) -> dict:
        return {
            "color": self.colour,
            "weight": self.weight,
            "dashArray": self.dash,
            "stroke": self.stroke,
            "fill": self.fill is not None,
            "fillColor": self.fill or self.colour,
            "fillOpacity": self.fill_opacity,
        }


@dataclass(frozen=True)
class View:
    """How one constraint layer is drawn: its style, popup fields and, optionally, styles by value."""

    layer: str
    fields: tuple[str, ...]
    style: Style
    colour_by: str | None = None
    categories: dict[str, tuple[Style, str, str]] = field(default_factory=dict)  # value → (style, zh, en)

    def categories_js(self) -> dict:
        return {
            value: {"style": style.as_js(), "title": [zh, en]} for value, (style, zh, en) in self.categories.items()
        }


def views() -> tuple[View, ...]:
    """The constraint layers the web map draws, bottom to top, as the style table says."""
    return tuple(
        View(
            name,
            style.popup,
            Style.of(style.symbol),
            style.by,
            {c.value: (Style.of(c.symbol), c.zh, c.en) for c in style.categories},
        )
        for name, style in style_table().layers.items()
        if style.webmap
    )


BAND_STYLE = Style("#1f78b4", "#1f78b4", 0.08, 1.2, "4 4")
COMMON_POPUP_FIELDS = ("data_status", "accuracy_m", "source")

# Popup labels of constraint fields (zh, en); a field without one shows its own name.
FIELD_LABELS = {
    "name_zh": ("名称", "name"),
    "name_en": ("英文名", "English name"),
    "city_zh": ("市", "city"),
    "district_zh": ("都市区", "metropolitan district"),
    "level": ("层级", "level"),
    "river_id": ("河流", "river"),
    "river_class": ("河流等级", "river class"),
    "block_id": ("红线区块", "red-line block"),
    "redline_type": ("红线类型", "red-line type"),
    "reserve_id": ("保护区", "reserve"),
    "zone": ("分区", "zone"),
    "bank": ("岸别", "bank"),
    "port_id": ("港口", "port"),
    "area_zh": ("作业区", "port area"),
    "gap_id": ("缺失编号", "gap"),
    "missing_layer": ("缺失图层", "missing from layer"),
    "data_status": ("数据状态", "data status"),
    "accuracy_m": ("位置精度 (m)", "accuracy (m)"),
    "source": ("来源", "source"),
    "rule_ids": ("规则", "rules"),
    "distance_m": ("距离 (m)", "distance (m)"),
    "proposal_id": ("编号", "id"),
    "kind": ("类型", "kind"),
    "industry": ("行业", "industry"),
    "status": ("状态", "status"),
    "county": ("县区", "county"),
    "city": ("市", "city"),
    "district": ("都市区", "metropolitan district"),
    "citations": ("依据", "citations"),
}
PROPOSAL_FIELDS = (
    "proposal_id",
    "name",
    "kind",
    "industry",
    "status",
    "verdict",
    "certainty",
    "county",
    "city",
    "district",
    "rule_ids",
    "summary_zh",
    "summary_en",
    "citations",
    "indicative",
    "checked_here_zh",
    "checked_here_en",
)  # the last two: a clear verdict's indicative layers
FINDING_FIELDS = (
    "rule_id",
    "title_zh",
    "title_en",
    "verdict",
    "measured",
    "unit",
    "threshold",
    "message_zh",
    "message_en",
    "citation",
    "layer",
    "data_status",
    "accuracy_m",
    "near",
    "certainty",
)


@dataclass(frozen=True)
class Band:
    """A shoreline band: the filtered water (or centreline) buffered by one rule distance."""

    layer: str
    filter: dict[str, tuple[str, ...]]
    distance_m: float
    rule_ids: tuple[str, ...]

    @property
    def id(self) -> str:
        classes = "_".join(v for values in self.filter.values() for v in values) or "all"
        return f"band_{self.layer}_{classes}_{self.distance_m:g}m"

    @property
    def title(self) -> tuple[str, str]:
        km = f"{self.distance_m / 1000:g}"
        rivers = layer_style("rivers")
        classes = [
            (c.zh, c.en) if (c := rivers.category(v)) else (v, v) for values in self.filter.values() for v in values
        ]
        zh = "、".join(c[0] for c in classes) or "全部河流"
        en = ", ".join(c[1] for c in classes) or "all rivers"
        return f"岸线 {km} 公里范围（{zh}）", f"{km} km from the shoreline ({en})"


def shoreline_bands(rules) -> list[Band]:
    """The bands of the catalog's distance-to-river rules, one per (layer, filter, distance).

    ``rules`` is the RuleCatalog the check used (``Result.catalog()``), or the catalog text a
    Result recorded (its ``run_info``) — never the defaults, so the map shows the distances the
    check used.
    """
    catalog = load_rules("run_info.rules_text", text=rules) if isinstance(rules, str) else rules
    groups: dict[tuple, list[str]] = {}
    for rule in catalog:
        condition = rule.condition
        if condition.predicate == "dwithin" and condition.measured_layer in RIVER_LAYERS:
            key = (condition.measured_layer, condition.filter_key(), condition.distance_m)
            groups.setdefault(key, []).append(rule.id)
    return [
        Band(layer, dict(filter_), distance, tuple(ids))
        for (layer, filter_, distance), ids in sorted(groups.items(), key=lambda kv: -kv[0][2])
    ]


def band_frame(band: Band, source: gpd.GeoDataFrame) -> gpd.GeoDataFrame | None:
    """The band as one feature: the selected river features buffered by the rule distance; None
    when the filter selects no feature."""
    selected = source
    for column, values in band.filter.items():
        selected = selected[selected[column].isin(values)]
    if selected.empty:
        return None
    measured = selected.to_crs(MEASURE_CRS).geometry
    geometry = shapely.buffer(shapely.union_all(measured.values), band.distance_m, quad_segs=4)
    return gpd.GeoDataFrame(
        {
            "rule_ids": [", ".join(band.rule_ids)],
            "distance_m": [band.distance_m],
            "data_status": ["indicative" if (selected["data_status"] == "indicative").any() else "official"],
            "accuracy_m": [selected["accuracy_m"].max()],
            "source": ["; ".join(sorted(set(selected["source"])))],
        },
        geometry=[geometry],
        crs=MEASURE_CRS,
    ).to_crs(STORAGE_CRS)


def display_geometry(geometry: gpd.GeoSeries, tolerance_m: float, datum: str = WGS84) -> np.ndarray:
    """Geometries simplified by ``tolerance_m`` (0: as they are), in lon/lat of ``datum``, rounded
    for display."""
    if tolerance_m > 0:
        simplified = _simplify(geometry.to_crs(MEASURE_CRS).values, tolerance_m)
        geometry = gpd.GeoSeries(simplified, crs=MEASURE_CRS)
    shifted = convert_datum(geometry.to_crs(STORAGE_CRS), WGS84, datum)
    return shapely.transform(np.asarray(shifted.values), lambda xy: np.round(xy, DISPLAY_DECIMALS))


def _simplify(geoms: np.ndarray, tolerance_m: float) -> np.ndarray:
    # A clean polygon coverage (the counties) keeps its shared edges shared; anything else is
    # simplified feature by feature, each staying valid.
    polygonal = np.isin(shapely.get_type_id(geoms), (3, 6)).all()  # Polygon, MultiPolygon
    if len(geoms) > 1 and polygonal and shapely.coverage_is_valid(geoms):
        return shapely.coverage_simplify(geoms, tolerance_m, simplify_boundary=True)
    return shapely.simplify(geoms, tolerance_m, preserve_topology=True)


def feature_collection(geoms: np.ndarray, properties: list) -> dict:
    return {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "geometry": mapping(g), "properties": p} for g, p in zip(geoms, properties)],
    }


def constraint_properties(frame: pd.DataFrame, fields: tuple[str, ...]) -> list[dict]:
    present = [f for f in fields + COMMON_POPUP_FIELDS if f in frame.columns]
    return [{f: plain(v) for f, v in zip(present, row)} for row in frame[present].itertuples(index=False)]


class StringTable:
    """Each distinct string once; rows carry its index.  10,000 proposals repeat a few dozen rule
    titles, citations, counties and the "clear" summary: coded, they stay well under 10 MB."""

    def __init__(self):
        self.strings: list[str] = []
        self._index: dict[str, int] = {}

    def code(self, value) -> int | None:
        if value is None:
            return None
        text = str(value)
        if text not in self._index:
            self._index[text] = len(self.strings)
            self.strings.append(text)
        return self._index[text]


def proposal_rows(proposals: pd.DataFrame, findings: pd.DataFrame) -> tuple[list[list], dict]:
    """Each proposal's popup data as a row, and the table that decodes the rows.

    A row holds the values of ``fields`` (text as indices into ``strings``), its last value the
    proposal's findings, worst first, as rows of ``findingFields``.
    """
    table = StringTable()
    fields = [f for f in PROPOSAL_FIELDS if f in proposals.columns]
    finding_fields = [f for f in FINDING_FIELDS if f in findings.columns]
    coded = _text_columns(proposals, fields) | _text_columns(findings, finding_fields)
    by_proposal = _findings_by_proposal(findings, finding_fields, coded, table)
    rows = []
    for record in proposals[fields].to_dict("records"):
        found = by_proposal.get(plain(record["proposal_id"]), [])
        if found:  # the summary repeats the worst finding's message, which the popup lists anyway
            record.update(summary_zh=None, summary_en=None)
        rows.append([_encode(f, record[f], coded, table) for f in fields] + [found])
    return rows, {
        "fields": [*fields, "findings"],
        "findingFields": finding_fields,
        "coded": sorted(coded),
        "strings": table.strings,
    }


def _findings_by_proposal(findings: pd.DataFrame, fields: list[str], coded: set, table: StringTable) -> dict:
    """proposal_id → its findings as rows, worst verdict first."""
    if findings.empty:
        return {}
    worst_first = findings.iloc[np.argsort(-findings["verdict"].map(RANK).to_numpy(), kind="stable")]
    by_proposal: dict = {}
    for record in worst_first[["proposal_id", *fields]].to_dict("records"):
        row = [_encode(f, record[f], coded, table) for f in fields]
        by_proposal.setdefault(plain(record["proposal_id"]), []).append(row)
    return by_proposal


def _text_columns(frame: pd.DataFrame, fields: list[str]) -> set[str]:
    return {f for f in fields if not (pd.api.types.is_numeric_dtype(frame[f]) or pd.api.types.is_bool_dtype(frame[f]))}


def _encode(field_name: str, value, coded: set, table: StringTable):
    value = plain(value)
    return table.code(value) if field_name in coded else value


def plain(value):
    """A JSON-ready Python value: numpy scalars unwrapped, NaN and NA as None, floats rounded."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float):
        return None if math.isnan(value) else round(value, 2)
    return value if isinstance(value, (bool, int, str)) else str(value)


def field_labels(fields) -> list[list[str]]:
    return [[f, *FIELD_LABELS.get(f, (f, f))] for f in fields]


def verdict_table() -> dict:
    """Per verdict: labels, colours and, per certainty, the label with its qualifier
    (``labels[certainty]`` = [zh, en], from ``verdicts.verdict_text``: the page composes no words)."""
    return {
        code: {
            "zh": v.zh,
            "en": v.en,
            "colour": v.colour,
            "textColour": v.text_colour,
            "rank": v.rank,
            "labels": {c: [verdict_text(code, c, "zh"), verdict_text(code, c, "en")] for c in CERTAINTY},
            "short": {
                c: [verdict_text(code, c, "zh", short=True), verdict_text(code, c, "en", short=True)] for c in CERTAINTY
            },
        }
        for code, v in VERDICTS.items()
    }


def certainty_table() -> dict:
    """Per certainty code, its name in both languages (a finding's certainty line in a popup)."""
    return {c.code: [c.name_zh, c.name_en] for c in CERTAINTY.values() if c.code}


def within_accuracy_style() -> dict:
    """What a verdict within the data's accuracy changes in a proposal's Leaflet style
    (``verdicts.WITHIN_ACCURACY_LOOK``; the outline takes the verdict's text colour in the page)."""
    look = WITHIN_ACCURACY_LOOK
    return {
        "fillOpacity": look.fill_opacity,
        "weight": round(look.outline_mm * PX_PER_MM, 1),
        "dashArray": " ".join(f"{mm * PX_PER_MM:.0f}" for mm in look.dash_mm),
    }


def layer_title(name: str, metadata: pd.DataFrame) -> tuple[str, str]:
    """A layer's (zh, en) title from the set's metadata, else from the schema."""
    rows = metadata[metadata["layer"] == name] if "layer" in metadata else metadata.iloc[0:0]
    spec = LAYERS[name]
    if len(rows):
        row = rows.iloc[0]
        return (plain(row.get("title_zh")) or spec.title_zh, plain(row.get("title_en")) or spec.title_en)
    return spec.title_zh, spec.title_en
